"""The status verdict behind the banner and the tray (kasirbackup.app.status), on a real
run history and fixed clocks: green after a verified run, amber when a scheduled time passed
without a run or only the off-site copy is pending, red after a failure or before any backup."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kasirbackup.app.history import History, Result, Trigger
from kasirbackup.app.settings import Profile, Schedule
from kasirbackup.app.status import Level, Reason, profile_status, worst

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def history(tmp_path):
    h = History(tmp_path / "history.db")
    yield h
    h.close()


def run(history, at, result, message=""):
    rid = history.start("Toko", Trigger.SCHEDULED, at)
    history.finish(rid, result, at + timedelta(seconds=5), message)


def prof(kind="daily", time="23:00"):
    return Profile("Toko", "/tmp/kasir.db", ["/tmp/repo"], schedule=Schedule(kind=kind, time=time))


def test_never_backed_up_is_red(history):
    st = profile_status(prof(), history, datetime(2026, 11, 21, 10, 0, tzinfo=WIB), WIB)
    assert (st.level, st.reason) == (Level.ERROR, Reason.NEVER)
    assert st.next_run == datetime(2026, 11, 21, 23, 0, tzinfo=WIB)


def test_verified_run_since_last_due_is_green(history):
    run(history, datetime(2026, 11, 20, 23, 0, tzinfo=WIB), Result.SUCCESS)
    st = profile_status(prof(), history, datetime(2026, 11, 21, 10, 0, tzinfo=WIB), WIB)
    assert (st.level, st.reason) == (Level.OK, Reason.PROTECTED)
    assert st.last_success == datetime(2026, 11, 20, 23, 0, tzinfo=WIB)


def test_missed_schedule_is_amber_only_after_grace(history):
    run(history, datetime(2026, 11, 20, 23, 0, tzinfo=WIB), Result.SUCCESS)
    # 23:10 on the 21st: the 23:00 run is late but within the grace period
    st = profile_status(prof(), history, datetime(2026, 11, 21, 23, 10, tzinfo=WIB), WIB)
    assert st.level == Level.OK
    st = profile_status(prof(), history, datetime(2026, 11, 22, 8, 0, tzinfo=WIB), WIB)
    assert (st.level, st.reason) == (Level.WARNING, Reason.OVERDUE)
    assert st.overdue_since == datetime(2026, 11, 21, 23, 0, tzinfo=WIB)


def test_failure_is_red_with_message_then_success_clears_it(history):
    run(history, datetime(2026, 11, 20, 23, 0, tzinfo=WIB), Result.SUCCESS)
    run(history, datetime(2026, 11, 21, 23, 0, tzinfo=WIB), Result.FAILED, "disk full")
    now = datetime(2026, 11, 21, 23, 30, tzinfo=WIB)
    st = profile_status(prof(), history, now, WIB)
    assert (st.level, st.reason, st.message) == (Level.ERROR, Reason.FAILED, "disk full")
    run(history, datetime(2026, 11, 21, 23, 20, tzinfo=WIB), Result.SUCCESS)
    assert profile_status(prof(), history, now, WIB).level == Level.OK


def test_interrupted_run_is_a_failure(history):
    run(history, datetime(2026, 11, 21, 23, 0, tzinfo=WIB), Result.INTERRUPTED)
    st = profile_status(prof(), history, datetime(2026, 11, 21, 23, 30, tzinfo=WIB), WIB)
    assert st.reason == Reason.FAILED


def test_offsite_pending_since_first_partial_run(history):
    run(history, datetime(2026, 11, 19, 23, 0, tzinfo=WIB), Result.SUCCESS)
    run(history, datetime(2026, 11, 20, 23, 0, tzinfo=WIB), Result.PARTIAL, "off-site copy pending: s3 down")
    run(history, datetime(2026, 11, 21, 23, 0, tzinfo=WIB), Result.PARTIAL, "off-site copy pending: s3 down")
    st = profile_status(prof(), history, datetime(2026, 11, 21, 23, 30, tzinfo=WIB), WIB)
    assert (st.level, st.reason) == (Level.WARNING, Reason.OFFSITE_PENDING)
    assert st.offsite_pending_since == datetime(2026, 11, 20, 23, 0, tzinfo=WIB)


def test_skips_do_not_hide_a_failure(history):
    run(history, datetime(2026, 11, 21, 23, 0, tzinfo=WIB), Result.FAILED, "locked")
    history.skipped("Toko", Trigger.CATCH_UP, datetime(2026, 11, 21, 23, 5, tzinfo=WIB), "not needed")
    st = profile_status(prof(), history, datetime(2026, 11, 21, 23, 30, tzinfo=WIB), WIB)
    assert st.reason == Reason.FAILED


def test_schedule_off_has_no_next_run_and_never_overdue(history):
    run(history, datetime(2026, 10, 1, 12, 0, tzinfo=WIB), Result.SUCCESS)
    st = profile_status(prof(kind="off"), history, datetime(2026, 11, 21, 12, 0, tzinfo=WIB), WIB)
    assert (st.level, st.next_run) == (Level.OK, None)


def test_worst_of_several(history):
    now = datetime(2026, 11, 21, 10, 0, tzinfo=WIB)
    run(history, datetime(2026, 11, 20, 23, 0, tzinfo=WIB), Result.SUCCESS)
    green = profile_status(prof(), history, now, WIB)
    red = profile_status(Profile("Koperasi", "/tmp/k.db", ["/tmp/r"]), history, now, WIB)
    assert worst([]) == Level.OK
    assert worst([green]) == Level.OK
    assert worst([green, red]) == Level.ERROR


def test_a_cancelled_run_neither_protects_nor_fails(history):
    run(history, datetime(2026, 11, 21, 23, 0, tzinfo=WIB), Result.FAILED, "locked")
    run(history, datetime(2026, 11, 21, 23, 10, tzinfo=WIB), Result.CANCELLED)
    st = profile_status(prof(), history, datetime(2026, 11, 21, 23, 30, tzinfo=WIB), WIB)
    assert st.reason == Reason.FAILED           # the failure before the cancel still shows
    run(history, datetime(2026, 11, 21, 23, 15, tzinfo=WIB), Result.SUCCESS)
    run(history, datetime(2026, 11, 21, 23, 20, tzinfo=WIB), Result.CANCELLED)
    st = profile_status(prof(), history, datetime(2026, 11, 21, 23, 30, tzinfo=WIB), WIB)
    assert st.level == Level.OK


def test_continuous_protection_is_protected_up_to_the_newer_of_snapshot_and_watch(tmp_path):
    from datetime import datetime, timedelta, timezone

    from kasirbackup.app.history import History, Result, Trigger
    from kasirbackup.app.settings import Profile, Schedule
    from kasirbackup.app.status import profile_status

    tz = timezone(timedelta(hours=7))
    now = datetime(2026, 12, 4, 14, 33, tzinfo=tz)
    h = History(tmp_path / "h.db")
    rid = h.start("toko", Trigger.CONTINUOUS, now - timedelta(minutes=10))
    h.finish(rid, Result.SUCCESS, now - timedelta(minutes=10) + timedelta(seconds=1), "backup ab read back")
    cont = Profile("toko", "/x.db", ["/r"], Schedule.parse("continuous"))
    assert profile_status(cont, h, now, tz).protected_up_to == now - timedelta(minutes=10)
    seen = now - timedelta(seconds=4)            # the watch looked: unchanged since that snapshot
    assert profile_status(cont, h, now, tz, confirmed=seen).protected_up_to == seen
    nightly = Profile("toko", "/x.db", ["/r"], Schedule.parse("daily@23:00"))
    assert profile_status(nightly, h, now, tz, confirmed=seen).protected_up_to is None
    h.close()
