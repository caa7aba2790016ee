"""When continuous protection takes a snapshot and when off-site places follow
(app/continuous.py): the decisions on a clock the test moves, with marks it makes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kasirbackup.app.continuous import FAILURE_PAUSE, ContinuousWatch, Watcher, offsite_every
from kasirbackup.app.history import History, Result, Trigger
from kasirbackup.app.settings import Profile, Schedule
from kasirbackup.core.snapshot.watch import MISSING, Mark

LOCAL, USB, S3 = "/backups/toko", "/media/USB/toko", "s3://bucket/toko"


def mark(n: int, mtime: float = 1000.0) -> Mark:
    return Mark(True, (1, 2), 8192, int(mtime * 1e9), n.to_bytes(4, "big"))


def profile(schedule="continuous", repos=(LOCAL,)) -> Profile:
    return Profile("toko", "/shop/kasir.db", list(repos), Schedule.parse(schedule))


def test_first_look_snapshots_then_only_changes_after_the_interval():
    w = Watcher(profile())
    assert w.due(mark(1), 0.0) == [LOCAL]                  # nothing known yet
    w.finished(mark(1), 0.0, {LOCAL: True})
    assert w.due(mark(1), 5.0) == []                       # unchanged: an idle shop costs nothing
    assert w.due(mark(1), 500.0) == []
    assert w.protected_up_to == 500.0                      # the look confirmed nothing changed
    assert w.due(mark(2), 30.0) == []                      # changed, but within the interval of the last snapshot
    assert w.due(mark(2), 59.9) == []
    assert w.due(mark(2), 60.0) == [LOCAL]                 # the interval (60 s) has passed
    w.finished(mark(2), 60.0, {LOCAL: True})
    assert w.due(mark(3), 119.0) == [] and w.due(mark(3), 120.0) == [LOCAL]


def test_interval_from_the_schedule():
    w = Watcher(profile("continuous:300"))
    w.finished(mark(1), 0.0, {LOCAL: True})
    assert w.due(mark(2), 299.0) == [] and w.due(mark(2), 300.0) == [LOCAL]


def test_a_clock_jump_forward_or_back_never_postpones_a_change():
    w = Watcher(profile())
    w.finished(mark(1), 10_000.0, {LOCAL: True})
    # the machine slept for hours: the first look after waking snapshots at once
    assert w.due(mark(2), 10_000.0 + 6 * 3600) == [LOCAL]
    w.finished(mark(2), 10_000.0 + 6 * 3600, {LOCAL: True})
    # the clock was set back an hour: not "an hour to wait"
    assert w.due(mark(3), 10_000.0 + 5 * 3600) == [LOCAL]


def test_a_failure_pauses_unless_the_database_changes_again():
    w = Watcher(profile())
    w.finished(mark(1), 0.0, {LOCAL: False})               # e.g. the database was locked too long
    assert w.due(mark(1), 61.0) == []                      # not every 2 s
    assert w.due(mark(1), FAILURE_PAUSE - 1) == []
    assert w.due(mark(1), FAILURE_PAUSE) == [LOCAL]
    assert w.due(mark(2), 61.0) == [LOCAL]                 # a new change: try again (after the interval)
    assert w.protected_up_to is None                       # no good snapshot yet


def test_deleted_database_is_tried_then_paused():
    w = Watcher(profile())
    w.finished(mark(1), 0.0, {LOCAL: True})
    assert w.due(MISSING, 60.0) == [LOCAL]                 # the run records why it failed
    w.finished(MISSING, 60.0, {LOCAL: False})
    assert w.due(MISSING, 120.0) == []
    assert w.due(mark(5), 120.0) == [LOCAL]                # it is back (restored): snapshot


def test_offsite_places_follow_at_their_own_pace():
    p = profile(repos=(LOCAL, USB, S3))
    assert offsite_every(p, USB) == 0 and offsite_every(p, S3) == 900
    w = Watcher(p)
    assert w.due(mark(1), 0.0) == [LOCAL, USB, S3]
    w.finished(mark(1), 0.0, {LOCAL: True, USB: True, S3: True})
    assert w.due(mark(2), 60.0) == [LOCAL, USB]            # the folder follows every snapshot
    w.finished(mark(2), 60.0, {LOCAL: True, USB: True})
    assert w.due(mark(3), 899.0) == [LOCAL, USB]
    w.finished(mark(3), 899.0, {LOCAL: True, USB: True})
    assert w.due(mark(3), 900.0) == [S3]                   # 15 minutes: online storage catches up alone
    w.finished(mark(3), 900.0, {S3: True})
    assert w.due(mark(3), 2000.0) == []                    # nothing new anywhere
    # an unplugged USB disk: the local snapshots go on, the disk is tried again later
    w.finished(mark(4), 960.0, {LOCAL: True, USB: False})
    assert w.due(mark(4), 1020.0) == []
    assert w.due(mark(4), 960.0 + FAILURE_PAUSE) == [USB]


def test_offsite_interval_from_the_schedule():
    p = profile(repos=(LOCAL, S3))
    p.schedule.offsite_every = 120
    assert offsite_every(p, S3) == 120


def test_adopts_the_last_snapshot_when_the_file_did_not_change_since():
    w = Watcher(profile())
    w.adopt(mark(1, mtime=1000.0), since=1500.0, now=1600.0)
    assert w.due(mark(1, mtime=1000.0), 1602.0) == []       # restarted app: no needless snapshot
    w2 = Watcher(profile())
    w2.adopt(mark(1, mtime=2000.0), since=1500.0, now=2100.0)
    assert w2.due(mark(1, mtime=2000.0), 2102.0) == [LOCAL]  # changed after the last snapshot
    w3 = Watcher(profile())
    wal = Mark(True, (1, 2), 8192, int(1000e9), b"\0\0\0\1", (4096, int(2000e9), b"x"))
    w3.adopt(wal, since=1500.0, now=2100.0)
    assert w3.due(wal, 2102.0) == [LOCAL]                    # the -wal changed after it


def test_the_watch_runs_due_profiles_and_records_outcomes(tmp_path):
    history = History(tmp_path / "h.db")
    now = [1_000_000.0]
    marks = {"/shop/kasir.db": mark(1)}
    runs = []

    def run(p, places):
        runs.append((p.name, list(places)))
        return {pl: True for pl in places}

    watch = ContinuousWatch(history, run, clock=lambda: now[0], look_at=lambda path: marks[path])
    p = profile()
    off = Profile("other", "/shop/other.db", [LOCAL], Schedule.parse("daily@23:00"))
    watch.sync([p, off])
    assert list(watch.watchers) == [p.id]                   # only continuous profiles are watched
    assert watch.tick() == [("toko", [LOCAL])]
    now[0] += 2
    assert watch.tick() == []
    marks["/shop/kasir.db"] = mark(2)
    now[0] += 60
    assert watch.tick() == [("toko", [LOCAL])]
    assert runs == [("toko", [LOCAL]), ("toko", [LOCAL])]
    assert watch.protected_up_to("toko") == datetime.fromtimestamp(now[0]).astimezone()
    # a look that must not be taken now (a connection of ours is open): nothing happens
    marks["/shop/kasir.db"] = None
    now[0] += 120
    assert watch.tick() == []
    watch.sync([off])
    assert watch.watchers == {}
    history.close()


def test_on_restart_the_history_tells_what_the_last_snapshot_holds(tmp_path):
    history = History(tmp_path / "h.db")
    start = datetime(2026, 12, 4, 14, 0, tzinfo=timezone.utc)
    rid = history.start("toko", Trigger.CONTINUOUS, start)
    history.finish(rid, Result.SUCCESS, start + timedelta(seconds=1), "backup ab read back and checked")
    runs = []
    m = mark(7, mtime=start.timestamp() - 30)               # last modified before that snapshot
    watch = ContinuousWatch(history, lambda p, pl: runs.append(pl) or {x: True for x in pl},
                            clock=lambda: start.timestamp() + 600, look_at=lambda path: m)
    watch.sync([profile()])
    assert watch.tick() == [] and runs == []
    history.close()


@pytest.mark.parametrize("text", ["continuous:0", "continuous:9", "continuous:86401", "continuous:x"])
def test_bad_intervals_are_refused(text):
    from kasirbackup.app.settings import BadSchedule

    with pytest.raises(BadSchedule) as e:
        Schedule.parse(text)
    assert text in e.value.message()


def test_an_unreachable_offsite_place_waits_its_pause_even_while_selling():
    w = Watcher(profile(repos=(LOCAL, USB)))
    w.finished(mark(1), 0.0, {LOCAL: True, USB: True})
    w.finished(mark(2), 60.0, {LOCAL: True, USB: False})      # the disk was pulled out
    assert w.due(mark(3), 120.0) == [LOCAL]                    # sales go on being protected locally
    assert w.due(mark(3), 60.0 + FAILURE_PAUSE) == [LOCAL, USB]
