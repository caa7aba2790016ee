"""SIGKILL the restore (the real command line) at random moments: before, during and
after the safety snapshot, and inside the copy into the live database. Afterwards the
database is opened the way the POS opens it (SQLite rolls back a hot journal or ignores
uncommitted WAL frames): integrity_check must pass and the content must be exactly the
old database or exactly the snapshot, never a mix."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from restorekit import SUFFIXES, backup, contents, diff_contents, restore_new, run
from tests.support.checks import assert_ok
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

DB_BYTES = 5_000_000
RANDOM_TRIALS = 6       # kill at a uniformly random moment of the whole run
AFTER_SAFETY_TRIALS = 3  # kill shortly after the safety snapshot is stored
IN_WRITE_TRIALS = 6      # kill once SQLite writes the journal / WAL of the copy


def make_old_state(db: Path) -> None:
    """What the database looks like now, compared with the snapshot: many pages differ."""
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM transaksi_detail WHERE id % 5 = 0")
        con.execute("UPDATE transaksi SET kasir = kasir || '*' WHERE id % 3 = 0")
        con.execute("COMMIT")
    finally:
        con.close()
    simulate_day_of_sales(str(db), 300, seed=1, sales_per_commit=300)


def reset_target(pristine: Path, db: Path) -> None:
    for s in SUFFIXES:
        try:
            os.unlink(str(db) + s)
        except FileNotFoundError:
            pass
    shutil.copyfile(pristine, db)


def settle(db: Path) -> dict:
    """Open as the POS does, check, and return the content."""
    con = sqlite3.connect(str(db), isolation_level=None, timeout=10)
    try:
        check = [r[0] for r in con.execute("PRAGMA integrity_check")]
        assert check == ["ok"], f"integrity_check after a killed restore: {check[:5]}"
        return contents(db, conn=con)
    finally:
        con.close()


def writing(db: Path) -> bool:
    """SQLite has started writing into the database's journal or WAL."""
    for s in ("-journal", "-wal"):
        try:
            if os.stat(str(db) + s).st_size > 0:
                return True
        except FileNotFoundError:
            pass
    return False


def count_scratch(tmpdir: Path) -> int:
    """Items in the command line's temporary folder (a killed run cannot remove its
    temporary database images; the next run removes those of dead processes)."""
    return sum(1 for p in tmpdir.rglob("*") if p.is_file())


@pytest.mark.slow
@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_kill_restore_at_random_moments(kb, tmp_path, journal_mode):
    rng = random.Random(f"kill-{journal_mode}")
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), DB_BYTES, seed=0, journal_mode=journal_mode)
    snap = backup(kb, db, repo)
    make_old_state(db)
    assert not Path(str(db) + "-wal").exists() and not Path(str(db) + "-journal").exists()
    pristine = tmp_path / "pristine-old.db"
    shutil.copyfile(db, pristine)
    old = contents(pristine, "immutable")
    new = contents(restore_new(kb, repo, snap["id"], tmp_path / "ref.db"), "immutable")
    assert old != new
    snaps_dir = repo / "snapshots"
    argv = ("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--yes")

    # one run to the end: its duration, and when the safety snapshot is stored
    n0 = len(list(snaps_dir.iterdir()))
    t0 = time.monotonic()
    p = kb.popen(*argv)
    safety_at = None
    while p.poll() is None:
        if safety_at is None and len(list(snaps_dir.iterdir())) > n0:
            safety_at = time.monotonic() - t0
        time.sleep(0.002)
    total = time.monotonic() - t0
    out, err = p.communicate()
    assert p.returncode == 0, f"{out}\n{err}"
    assert settle(db) == new
    assert safety_at is not None
    copy_window = max(total - safety_at, 0.05)

    outcomes = {"old": 0, "snapshot": 0}
    by_kind: dict[str, list[str]] = {}
    hot_or_frames = 0    # kills that left SQLite a half-done copy to throw away
    leftovers = 0
    plan = ["random"] * RANDOM_TRIALS + ["after-safety"] * AFTER_SAFETY_TRIALS + ["in-write"] * IN_WRITE_TRIALS
    rng.shuffle(plan)
    for i, how in enumerate(plan):
        reset_target(pristine, db)
        n = len(list(snaps_dir.iterdir()))
        t0 = time.monotonic()
        p = kb.popen(*argv)
        try:
            if how == "random":
                time.sleep(rng.uniform(0.1, 0.95) * total)
            elif how == "after-safety":
                while p.poll() is None and len(list(snaps_dir.iterdir())) == n:
                    time.sleep(0.001)
                time.sleep(rng.uniform(0.0, 0.4) * copy_window)
            else:
                while p.poll() is None and not writing(db):
                    time.sleep(0.0005)
                time.sleep(rng.uniform(0.0, 0.02))
            p.kill()
        finally:
            out, err = p.communicate(timeout=60)
        journal, wal = Path(str(db) + "-journal"), Path(str(db) + "-wal")
        hot = journal.exists() and journal.stat().st_size > 0 and journal.read_bytes()[:8] != bytes(8)
        wal_frames = wal.exists() and wal.stat().st_size > 32
        try:
            got = settle(db)
        except AssertionError as exc:
            raise AssertionError(f"trial {i} ({how}, killed after {time.monotonic() - t0:.2f} s): {exc}") from None
        if hot or (wal_frames and got == old):
            hot_or_frames += 1
        by_kind.setdefault(how, []).append("old" if got == old else "snap" if got == new else "?")
        if got == old:
            outcomes["old"] += 1
        elif got == new:
            outcomes["snapshot"] += 1
        else:
            pytest.fail(f"trial {i} ({how}): the database is neither the old state nor the snapshot; "
                        f"differs from old in {diff_contents(got, old)}, from the snapshot in "
                        f"{diff_contents(got, new)}\nexit {p.returncode}\n{out}\n{err}")
        leftovers = max(leftovers, count_scratch(kb.tmpdir))   # cleaned by the next run
    print(f"{journal_mode}: {outcomes} over {len(plan)} kills {by_kind}, {hot_or_frames} left a hot journal or "
          f"uncommitted WAL frames (run {total:.2f} s, copy window "
          f"{copy_window:.2f} s); at most {leftovers} temporary files left behind at a time")
    assert outcomes["old"] > 0, outcomes

    # the repository is still usable after all this: listed, the snapshot verifies and a
    # restore runs to the end
    assert_ok(run(kb, "list", "--repo", repo))
    assert_ok(run(kb, "verify", "--repo", repo, "--snapshot", snap["id"]))
    reset_target(pristine, db)
    assert_ok(run(kb, *argv))
    assert settle(db) == new
    # what the killed runs left in the temporary folder (copies of the shop's data) is gone
    left = [str(p.relative_to(kb.tmpdir)) for p in kb.tmpdir.rglob("*") if p.is_file()]
    assert left == [], f"temporary files of killed restores were not cleaned up: {left[:10]}"


# Each stage of a live restore, killed exactly there (the random trials above spread kills
# over time; these place them, so every stage is reached on any machine).
STAGES = [("rebuild.chunk:2", "old"),    # rebuilding the backup's image into scratch space
          ("backup.recorded", "old"),    # the safety backup's manifest is saved
          ("restore.safety", "old"),     # the safety backup is complete, nothing copied yet
          ("restore.copying", "old"),    # the copy is half written inside its transaction
          ("restore.copied", "snapshot")]  # the copy is committed, not yet checked


@pytest.mark.slow
@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_kill_restore_at_each_stage(kb, tmp_path, journal_mode):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), 18_000_000, seed=0, journal_mode=journal_mode)   # > 4096 pages: two copy steps at least
    snap = backup(kb, db, repo)
    make_old_state(db)
    pristine = tmp_path / "pristine-old.db"
    shutil.copyfile(db, pristine)
    old = contents(pristine, "immutable")
    new = contents(restore_new(kb, repo, snap["id"], tmp_path / "ref.db"), "immutable")
    argv = ("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--yes")
    for point, expected in STAGES:
        reset_target(pristine, db)
        kb.killed_at(point, *argv)
        got = settle(db)
        state = "old" if got == old else "snapshot" if got == new else "a mix"
        assert state == expected, f"killed at {point}: the database is {state}"
    assert_ok(run(kb, "verify", "--repo", repo, "--all"))
    reset_target(pristine, db)
    assert_ok(run(kb, *argv))            # and the next restore cleans up after the killed ones
    assert settle(db) == new
    left = [str(p.relative_to(kb.tmpdir)) for p in kb.tmpdir.rglob("*") if p.is_file()]
    assert left == [], f"temporary files of killed restores were not cleaned up: {left[:10]}"
