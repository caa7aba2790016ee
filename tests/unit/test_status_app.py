"""The one status of the whole app (kasirbackup.app.status.app_status): the worst state across
every database and each of its backup places, naming the database and the place, plus the
warning that nothing starts KasirBackup after a restart. On a real run history, fixed clocks,
and real runs into a place that cannot be written."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kasirbackup.app.history import History, PlaceOutcome, Result, Trigger
from kasirbackup.app.places import place_name
from kasirbackup.app.runner import run_profile
from kasirbackup.app.settings import Profile, Schedule
from kasirbackup.app.status import Level, ProblemKind, RestartCover, app_status
from tests.support.privileges import need_mounts

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 4, 16, 32, tzinfo=WIB)


@pytest.fixture
def history(tmp_path):
    h = History(tmp_path / "history.db")
    yield h
    h.close()


def prof(name, repos=("/b/main",), kind="daily", time="23:00"):
    return Profile(name, f"/db/{name}.db", list(repos), schedule=Schedule(kind=kind, time=time))


def run(history, profile, at, result, places=(), message=""):
    """A finished run of ``profile`` at ``at``; ``places``: (repo, ok, code, message) per place."""
    rid = history.start(profile.name, Trigger.SCHEDULED, at)
    history.record_places(rid, [PlaceOutcome(*p) for p in places])
    history.finish(rid, result, at + timedelta(seconds=5), message)


def good(history, profile, at):
    run(history, profile, at, Result.SUCCESS, [(r, True) for r in profile.repos])


def test_nothing_wrong_is_green_with_no_problems(history):
    toko, kop = prof("Toko"), prof("Koperasi")
    good(history, toko, NOW - timedelta(hours=17))
    good(history, kop, NOW - timedelta(hours=17))
    st = app_status([toko, kop], history, NOW, WIB)
    assert st.level == Level.OK and st.problems == ()
    assert [s.profile for s in st.profiles] == ["Toko", "Koperasi"]


def test_one_database_never_backed_up_makes_the_app_red(history):
    toko, kop = prof("Toko"), prof("Koperasi")
    good(history, toko, NOW - timedelta(hours=17))
    st = app_status([toko, kop], history, NOW, WIB)
    assert st.level == Level.ERROR
    assert [(p.kind, p.profile) for p in st.problems] == [(ProblemKind.NEVER, "Koperasi")]
    assert st.of("Toko").level == Level.OK              # the other database is still green by itself
    assert st.problems_of("Toko") == []


def test_a_failing_extra_copy_is_amber_and_names_the_place_and_since(history):
    toko = prof("Toko", ["/b/main", "/run/media/budi/USB-BACKUP/kasir"])
    kop = prof("Koperasi")
    usb = toko.repos[1]
    good(history, toko, NOW - timedelta(days=3))
    good(history, kop, NOW - timedelta(hours=17))
    first_fail = NOW - timedelta(days=2)
    for at in (first_fail, NOW - timedelta(days=1), NOW - timedelta(hours=17)):
        run(history, toko, at, Result.PARTIAL, [("/b/main", True), (usb, False, "repo-write-protected", "read-only")],
            "off-site copy pending")
    st = app_status([toko, kop], history, NOW, WIB)
    assert st.level == Level.WARNING
    (p,) = st.problems
    assert (p.kind, p.level, p.profile, p.place, p.code) == (ProblemKind.COPY_FAILING, Level.WARNING, "Toko", usb,
                                                             "repo-write-protected")
    assert p.since == first_fail                       # the first failure after the place's last success
    assert place_name(p.place) == "USB-BACKUP"

    # the copy works again: green
    good(history, toko, NOW - timedelta(hours=1))
    assert app_status([toko, kop], history, NOW, WIB).level == Level.OK


def test_overdue_is_amber_and_red_comes_first(history):
    toko = prof("Toko")
    kop = prof("Koperasi", ["/b/k", "/b/k-usb"])
    good(history, toko, NOW - timedelta(days=2))                  # yesterday's 23:00 was missed
    run(history, kop, NOW - timedelta(hours=17), Result.FAILED,
        [("/b/k", False, "disk-full", "full"), ("/b/k-usb", False, "repo-read-only", "no permission")])
    st = app_status([toko, kop], history, NOW, WIB)
    assert st.level == Level.ERROR
    assert [(p.kind, p.profile, p.place) for p in st.problems] == [
        (ProblemKind.FAILED, "Koperasi", "/b/k"),              # red first
        (ProblemKind.OVERDUE, "Toko", ""),
        (ProblemKind.COPY_FAILING, "Koperasi", "/b/k-usb")]
    assert st.problems[1].since == datetime(2026, 12, 3, 23, 0, tzinfo=WIB)
    assert st.worst_problem is st.problems[0]


def test_a_database_error_is_not_blamed_on_a_place_and_is_said_once(history):
    toko = prof("Toko", ["/b/main", "/b/usb"])
    gone = "The database file /db/Toko.db does not exist."
    run(history, toko, NOW - timedelta(hours=2), Result.FAILED,
        [("/b/main", False, "source-missing", gone), ("/b/usb", False, "source-missing", gone)])
    st = app_status([toko], history, NOW, WIB)
    assert [(p.kind, p.place, p.message) for p in st.problems] == [(ProblemKind.FAILED, "", gone)]
    assert st.problems[0].since == NOW - timedelta(hours=2)


def test_a_run_recorded_before_places_were_still_warns(history):
    toko = prof("Toko", ["/b/main", "/b/usb"])
    good(history, toko, NOW - timedelta(days=2))
    run(history, toko, NOW - timedelta(hours=17), Result.PARTIAL, message="off-site copy pending: /b/usb: gone")
    (p,) = app_status([toko], history, NOW, WIB).problems
    assert (p.kind, p.place, p.since) == (ProblemKind.COPY_FAILING, "", NOW - timedelta(hours=17))


def test_a_running_database_shows_no_problem_of_its_own(history):
    toko, kop = prof("Toko"), prof("Koperasi")
    st = app_status([toko, kop], history, NOW, WIB, running={"Toko"})
    assert [p.profile for p in st.problems] == ["Koperasi"]


@pytest.mark.parametrize("cover, warned", [
    (None, False),                                           # not known yet: no warning
    (RestartCover(login_start=False), True),
    (RestartCover(login_start=True), False),
    (RestartCover(login_start=False, os_tasks=frozenset({"Toko"})), True),      # Koperasi is not covered
    (RestartCover(login_start=False, os_tasks=frozenset({"Toko", "Koperasi"})), False)])
def test_nothing_starts_after_a_restart_is_amber(history, cover, warned):
    toko, kop = prof("Toko"), prof("Koperasi")
    good(history, toko, NOW - timedelta(hours=17))
    good(history, kop, NOW - timedelta(hours=17))
    st = app_status([toko, kop], history, NOW, WIB, restart=cover)
    assert [p.kind for p in st.problems] == ([ProblemKind.NO_RESTART] if warned else [])
    assert st.level == (Level.WARNING if warned else Level.OK)


def test_no_schedule_needs_nothing_after_a_restart(history):
    manual = prof("Toko", kind="off")
    good(history, manual, NOW - timedelta(days=30))
    st = app_status([manual], history, NOW, WIB, restart=RestartCover(login_start=False))
    assert st.problems == ()


def test_place_names():
    assert place_name("/run/media/budi/USB-BACKUP/kasir") == "USB-BACKUP"
    assert place_name("E:\\KasirBackup\\kasir") == "E:"
    assert place_name("s3://toko-budi/backups") == "s3://toko-budi/backups"
    assert place_name("/srv/backups/kasir") == "/srv/backups/kasir"


# -- real runs -------------------------------------------------------------------------------------

def test_a_real_run_records_each_place(history, pos_db, tmp_path):
    blocked = tmp_path / "usb"
    blocked.write_text("a file where the folder should be")
    toko = Profile("Toko", str(pos_db), [str(tmp_path / "main"), str(blocked)], schedule=Schedule())
    res = run_profile(toko, Trigger.MANUAL, history)
    assert res.result == Result.PARTIAL
    main, usb = (history.place_state("Toko", r) for r in toko.repos)
    assert main.ok and main.failing_since is None
    assert not usb.ok and usb.code == "repo-is-file" and usb.failing_since == usb.tried_at
    (p,) = app_status([toko], history, usb.tried_at + timedelta(minutes=1), WIB).problems
    assert (p.kind, p.profile, p.place, p.code) == (ProblemKind.COPY_FAILING, "Toko", str(blocked), "repo-is-file")


def test_a_real_run_into_a_read_only_disk(history, pos_db, tmp_path):
    need_mounts()
    ro = tmp_path / "USB-BACKUP"
    ro.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(ro)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    try:
        toko = Profile("Toko", str(pos_db), [str(tmp_path / "main"), str(ro / "kasir")], schedule=Schedule())
        assert run_profile(toko, Trigger.MANUAL, history).result == Result.PARTIAL
    finally:
        subprocess.run(["umount", "-l", str(ro)], capture_output=True)
    st = app_status([toko], history, datetime.now(WIB), WIB)
    assert st.level == Level.WARNING
    (p,) = st.problems
    assert (p.kind, p.place, p.code) == (ProblemKind.COPY_FAILING, str(ro / "kasir"), "repo-write-protected")
