"""Continuous protection end to end: a real POS-like writer process sells while the watch
looks and snapshots (rollback journal and WAL); every sale acknowledged before a look is in
the snapshot that look started; the daemon does it on its own and an idle shop costs nothing."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kasirbackup.app.continuous import ContinuousWatch, outcomes_of
from kasirbackup.app.history import History, Result, Trigger
from kasirbackup.app.runner import run_profile
from kasirbackup.app.settings import Profile, Schedule
from kasirbackup.core.repo.manifest import DRILL, READBACK, Kind
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.to_file import restore_to_new_file
from kbhelpers import WriterProcess
from tests.support.checks import assert_ok
from tests.support.dbgen import make_pos_db

WRITER = Path(__file__).resolve().parents[1] / "support" / "writer_proc.py"


def sale_ids(db: Path) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM transaksi")}
    finally:
        conn.close()


def books_balance(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT t.id FROM transaksi t LEFT JOIN transaksi_detail d ON d.transaksi_id = t.id "
                            "GROUP BY t.id HAVING coalesce(sum(d.subtotal), t.subtotal) != t.subtotal "
                            "OR t.total != t.subtotal - t.diskon").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_every_acknowledged_sale_is_in_the_snapshot_of_the_next_look(tmp_path, writers, journal):
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 300_000, seed=3, journal_mode=journal)
    repo_dir = tmp_path / "repo"
    history = History(tmp_path / "history.db")
    profile = Profile("toko", str(db), [str(repo_dir)], Schedule.parse("continuous"))
    now = [1_900_000_000.0]

    def run(p, places):
        return outcomes_of(run_profile(p, Trigger.CONTINUOUS, history, places=places), places)

    watch = ContinuousWatch(history, run, clock=lambda: now[0])
    watch.sync([profile])
    writer = WriterProcess(WRITER, db, tmp_path, interval_ms=20)
    writers.append(writer)
    checked = []
    try:
        for _ in range(5):
            time.sleep(0.3)                            # the writer sells
            acked = set(writer.acked())                # acknowledged before the look
            now[0] += 61
            started = watch.tick()
            assert started == [("toko", [str(repo_dir)])]
            repo = Repository.open(repo_dir)
            newest = repo.snapshots()[0]
            assert newest.kind == Kind.CONTINUOUS and newest.verified
            checked.append(newest.verification.method)
            out = restore_to_new_file(repo, newest, tmp_path / f"r{len(checked)}.db")
            missing = acked - sale_ids(out.path)
            assert not missing, f"acknowledged sales missing from the snapshot: {sorted(missing)[:5]}"
            assert books_balance(out.path) == []
    finally:
        stats = writer.stop()
    assert stats["failures"] == 0, stats["failure_messages"]
    assert stats["commits"] > 20
    # the first snapshot is drilled whole; the next ones are read back (a drill within 24 h)
    assert checked[0] == DRILL and set(checked[1:]) == {READBACK}, checked
    runs = history.runs("toko")
    assert len(runs) >= 5 and all(r.trigger == Trigger.CONTINUOUS and r.result == Result.SUCCESS for r in runs)
    assert "read back and checked" in runs[0].message
    # the sales made after the last look get their snapshot (within a few looks: a look is
    # skipped while a connection of ours may still hold the file); then nothing changes
    for _ in range(5):
        now[0] += 61
        started = watch.tick()
        if started:
            break
    assert started == [("toko", [str(repo_dir)])]
    final = Repository.open(repo_dir).snapshots()[0]
    out = restore_to_new_file(Repository.open(repo_dir), final, tmp_path / "final.db")
    assert set(range(stats["first_id"], stats["last_id"] + 1)) <= sale_ids(out.path)
    for _ in range(3):
        now[0] += 600
        assert watch.tick() == []
    history.close()


def test_the_daemon_protects_continuously_and_an_idle_shop_costs_nothing(kb, tmp_path, writers):
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 200_000, seed=4)
    repo_dir = tmp_path / "repo"
    assert_ok(kb.run("profile", "add", "--name", "toko", "--db", db, "--repo", repo_dir,
                     "--schedule", "continuous:10"))
    prof = json.loads(assert_ok(kb.run("profile", "list", "--json")).stdout)[0]
    assert prof["schedule"]["continuous"] == 10 and prof["schedule_text"] == "continuous:10"
    assert prof["retention"]["keep_within"] == "2h" and prof["retention"]["keep_hourly"] == 48
    daemon = kb.popen("daemon")
    try:
        writer = WriterProcess(WRITER, db, tmp_path, interval_ms=100)
        writers.append(writer)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:          # two snapshots while selling (10 s apart)
            listed = json.loads(assert_ok(kb.run("list", "--repo", repo_dir, "--json")).stdout) \
                if (repo_dir / "snapshots").exists() else []
            if len(listed) >= 2:
                break
            time.sleep(1)
        acked = set(writer.acked())
        stats = writer.stop()
        assert stats["failures"] == 0, stats["failure_messages"]
        # the last sales are in a snapshot within the interval + a look + the snapshot's time
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listed = json.loads(assert_ok(kb.run("list", "--repo", repo_dir, "--json")).stdout)
            newest = listed[0]
            out = tmp_path / f"check-{newest['id'][:8]}.db"
            if not out.exists():
                assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", newest["id"], "--to", out))
            if acked <= sale_ids(out):
                break
            time.sleep(1)
        else:
            raise AssertionError("the last acknowledged sales never reached a snapshot")
        assert all(s["kind"] == "continuous" and s["verified"] for s in listed)
        assert {s["check"] for s in listed} == {"drill", "readback"}
        # idle: the database does not change, no snapshot is added
        count = len(listed)
        time.sleep(14)
        assert len(json.loads(assert_ok(kb.run("list", "--repo", repo_dir, "--json")).stdout)) == count
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def _watch(tmp_path, profile, history):
    now = [1_900_000_000.0]

    def run(p, places):
        return outcomes_of(run_profile(p, Trigger.CONTINUOUS, history, places=places), places)

    watch = ContinuousWatch(history, run, clock=lambda: now[0])
    watch.sync([profile])
    return watch, now


def test_a_deleted_then_restored_database_and_an_unplugged_offsite_copy(tmp_path):
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 200_000, seed=5)
    local, usb = tmp_path / "repo", tmp_path / "usb" / "toko"
    usb.parent.mkdir()
    history = History(tmp_path / "history.db")
    profile = Profile("toko", str(db), [str(local), str(usb)], Schedule.parse("continuous"))
    watch, now = _watch(tmp_path, profile, history)
    assert watch.tick() == [("toko", [str(local), str(usb)])]
    assert Repository.open(usb).snapshots()

    # the USB disk is pulled out (its folder is gone and a file stands in the way): the local
    # snapshots go on, the off-site copy is pending and is tried again after the pause
    kept = tmp_path / "usb-away"
    usb.parent.rename(kept)
    (tmp_path / "usb").write_text("not a folder")
    from tests.support.dbgen import simulate_day_of_sales
    simulate_day_of_sales(str(db), 2, seed=1)
    now[0] += 61
    assert watch.tick() == [("toko", [str(local), str(usb)])]
    last = history.runs("toko", limit=1)[0]
    assert last.result == Result.PARTIAL and "off-site copy pending" in last.message
    simulate_day_of_sales(str(db), 2, seed=2)
    now[0] += 61
    assert watch.tick() == [("toko", [str(local)])]            # the disk waits its pause
    # it comes back: the next look after the pause brings it up to date
    (tmp_path / "usb").unlink()
    kept.rename(usb.parent)
    now[0] += 300
    assert watch.tick() == [("toko", [str(usb)])]
    usb_newest = Repository.open(usb).snapshots()[0]
    out = restore_to_new_file(Repository.open(usb), usb_newest, tmp_path / "from-usb.db")
    assert sale_ids(out.path) == sale_ids(db)

    # the database is deleted: one failed run with the reason, then quiet until it is back
    moved = tmp_path / "kasir.db.moved"
    db.rename(moved)
    now[0] += 61
    assert watch.tick() == [("toko", [str(local), str(usb)])]
    failed = history.runs("toko", limit=1)[0]
    assert failed.result == Result.FAILED and "does not exist" in failed.message
    now[0] += 61
    assert watch.tick() == []                                   # not every two seconds
    moved.rename(db)                                            # put back as it was: nothing to do
    now[0] += 61
    assert watch.tick() == []
    simulate_day_of_sales(str(db), 1, seed=3)
    assert watch.tick() == [("toko", [str(local)])]             # (the disk failed with it: its pause)
    assert history.runs("toko", limit=1)[0].result == Result.SUCCESS
    now[0] += 300
    assert watch.tick() == [("toko", [str(usb)])]
    history.close()
