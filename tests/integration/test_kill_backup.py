"""SIGKILL a backup at random moments: the repository and the source survive.

Dozens of trials; each one changes part of the database (so the killed backup has new
pages to write), launches ``kasirbackup backup`` in its own process and kills it after a
seeded random delay spread over the measured duration of one backup (Python start-up,
capture, packing, index, restore drill, manifest, plain copy). After every kill:

* ``kasirbackup verify --all`` exits 0: the repository is valid and every earlier
  complete snapshot still restores and checks;
* no half snapshot appears: ``list`` shows the snapshots from before, plus at most the
  killed one if it got as far as saving its manifest, and every one of them verified;
* the source database passes integrity_check, and its -journal (a POS transaction left
  open by this test) or its -wal/-shm were neither removed nor changed;
* the plain copy in ``REPO/latest`` (rollback case), if present, is a whole database;
* the next backup succeeds: the lock left by the killed process (whose pid is dead) is
  taken over without help.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from kbhelpers import integrity
from tests.support.dbgen import make_pos_db

pytestmark = pytest.mark.slow

SEED = 20250208


def source_check(db: Path) -> list[str]:
    """integrity_check of the live source through an ordinary read-only connection."""
    conn = sqlite3.connect(db.absolute().as_uri() + "?mode=ro", uri=True, timeout=10)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


class Pos:
    """The test's own connection to the source, like the POS application."""

    def __init__(self, db: Path, mode: str) -> None:
        self.db = db
        self.mode = mode
        self.conn = sqlite3.connect(db, isolation_level=None, timeout=10)
        if mode == "wal":
            assert self.conn.execute("PRAGMA journal_mode = wal").fetchone()[0] == "wal"
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")   # keep committed frames in -wal
        self.max_id = self.conn.execute("SELECT max(id) FROM transaksi").fetchone()[0]

    def change(self, rng: random.Random) -> None:
        """Commit a change to ~1/4 of the sales (new pages for the next backup); in
        rollback mode then leave a write transaction open, so that a -journal exists."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        lo = rng.randint(1, self.max_id * 3 // 4)
        self.conn.execute("UPDATE transaksi SET diskon = diskon + 1 WHERE id BETWEEN ? AND ?",
                          (lo, lo + self.max_id // 4))
        if self.mode == "delete":
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("UPDATE produk SET stok = stok - 1 WHERE id = 1")   # uncommitted
            assert self.sidecars(), "expected a -journal while a write transaction is open"

    def sidecars(self) -> dict[str, bytes]:
        names = ["-journal"] if self.mode == "delete" else ["-wal", "-shm"]
        out = {}
        for suffix in names:
            p = Path(str(self.db) + suffix)
            if p.exists():
                out[suffix] = p.read_bytes() if suffix != "-shm" else b"%d" % p.stat().st_size
        return out

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def listed(kb, repo: Path) -> dict[str, dict]:
    return {s["id"]: s for s in kb.json("list", "--repo", repo)}


def run_trials(tmp_path: Path, kb, mode: str, trials: int, mb: float, plain_copy: bool) -> dict:
    rng = random.Random(SEED + trials)
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), int(mb * 1_000_000), seed=3, journal_mode="delete")
    pos = Pos(db, mode)
    try:
        init = ["init", "--repo", repo] + (["--plain-copy"] if plain_copy else [])
        kb.run(*init, check=True)
        # one complete backup first, then a timed one of a typical change: the kills
        # are spread over its duration
        pos.change(rng)
        assert kb.json("backup", "--db", db, "--repo", repo)["verified"]
        pos.change(rng)
        lock_file = repo / "locks" / "exclusive"
        t0 = time.monotonic()
        proc = kb.popen("backup", "--db", db, "--repo", repo, "--json")
        startup = None
        while proc.poll() is None:
            if startup is None and lock_file.exists():
                startup = time.monotonic() - t0        # Python start-up until the lock is taken
            time.sleep(0.001)
        duration = time.monotonic() - t0
        out, err = proc.communicate()
        assert proc.returncode == 0 and json.loads(out)["verified"], err
        startup = min(startup if startup is not None else 0.0, duration)
        known = set(listed(kb, repo))
        # Stratified delays: half of the kills spread over the whole run (start-up
        # included), half over the part after the lock was taken (capture, packs, index,
        # drill, manifest, plain copy), where a kill leaves a stale lock behind.
        half = trials // 2
        delays = [(False, (i + rng.random()) / half * duration * 1.1) for i in range(half)]
        work = max(duration - startup, 0.05)
        delays += [(True, (i + rng.random()) / (trials - half) * work * 1.1) for i in range(trials - half)]
        rng.shuffle(delays)

        stats = {"duration_s": round(duration, 3), "startup_s": round(startup, 3), "killed_mid_run": 0, "stale_locks": 0,
                 "stale_locks_met_by_backup": 0, "completed_before_kill": 0, "tmp_leftovers": [],
                 "timings": {}}
        timings = stats["timings"]

        def timed(name, fn, *a):
            t = time.monotonic()
            try:
                return fn(*a)
            finally:
                timings[name] = round(timings.get(name, 0) + time.monotonic() - t, 2)

        def next_backup(what: str) -> str:
            nxt = timed("next", kb.run, "backup", "--db", db, "--repo", repo, "--json")
            assert nxt.returncode == 0, f"{what}: the next backup failed: {nxt.stderr}"
            out = json.loads(nxt.stdout)
            assert out["verified"], f"{what}: the next backup did not verify: {out['verification']}"
            return out["id"]

        for trial, (after_lock, delay) in enumerate(delays):
            timed("change", pos.change, rng)
            before = set(known)
            sidecars = pos.sidecars()
            proc = kb.popen("backup", "--db", db, "--repo", repo, "--json")
            if after_lock:
                while proc.poll() is None and not lock_file.exists():
                    time.sleep(0.001)
            time.sleep(delay)
            finished = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)      # this process only (we started it)
            proc.communicate()
            what = (f"trial {trial} (kill {delay:.3f}s after {'taking the lock' if after_lock else 'start'}, "
                    f"one backup takes ~{duration:.3f}s)")
            if finished:
                stats["completed_before_kill"] += 1
                assert proc.returncode == 0, f"{what}: the backup failed on its own"
            else:
                stats["killed_mid_run"] += 1
            stale = lock_file.exists()
            stats["stale_locks"] += stale
            # who meets the stale lock first alternates: the next backup or verify
            backup_first = trial % 2 == 1
            if backup_first:
                stats["stale_locks_met_by_backup"] += stale
                next_id = next_backup(what)

            ver = timed("verify", kb.run, "verify", "--repo", repo, "--all", "--json")
            assert ver.returncode == 0, f"{what}: verify --all exited {ver.returncode}: {ver.stdout} {ver.stderr}"
            report = json.loads(ver.stdout)
            assert report["ok"] and not report["problems"], f"{what}: {report}"

            after = timed("list", listed, kb, repo)
            assert before <= set(after), f"{what}: snapshots disappeared"
            new = set(after) - before - ({next_id} if backup_first else set())
            assert len(new) <= 1, f"{what}: {len(new)} new snapshots from one killed backup"
            assert {s["id"] for s in report["snapshots"]} == set(after)
            assert all(s["ok"] for s in report["snapshots"]), f"{what}: {report}"
            assert all(s["verified"] for s in after.values()), f"{what}: an unverified snapshot is listed"

            if plain_copy:
                for f in (repo / "latest").glob("*.db"):
                    assert integrity(f) == ["ok"], f"{what}: plain copy {f.name} is not a whole database"
            if not backup_first:
                next_id = next_backup(what)
            known = set(after) | {next_id}

            assert timed("source", source_check, db) == ["ok"], f"{what}: the source database is damaged"
            assert pos.sidecars() == sidecars, f"{what}: the source's {list(sidecars)} changed or vanished"
            assert not lock_file.exists(), f"{what}: the lock was not released"
            leftovers = sorted(p.name for p in (repo / "tmp").iterdir()) if (repo / "tmp").is_dir() else []
            assert leftovers == [], f"{what}: files left in the repository's tmp/ after the next backup"
        stats["tmp_leftovers"] = sorted((p.name, p.stat().st_size) for p in kb.tmpdir.iterdir())
        stats["snapshots"] = len(listed(kb, repo))
        return stats
    finally:
        pos.close()


def test_kill_backup_rollback_journal_source(tmp_path, kb):
    stats = run_trials(tmp_path, kb, "delete", trials=20, mb=5, plain_copy=True)
    print("rollback:", stats)
    # the test is only meaningful if it really killed backups
    assert stats["killed_mid_run"] > 0, stats


def test_kill_backup_wal_source(tmp_path, kb):
    stats = run_trials(tmp_path, kb, "wal", trials=10, mb=5, plain_copy=False)
    print("wal:", stats)
    assert stats["killed_mid_run"] > 0, stats


def test_next_backup_takes_over_the_lock_of_a_killed_backup(tmp_path, kb):
    """Deterministic: kill a backup while it holds the repository lock; the next backup
    (not verify) is the first to meet the stale lock and must take it over by itself."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), 2_000_000, seed=5)
    assert kb.json("backup", "--db", db, "--repo", repo)["verified"]
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE transaksi SET diskon = diskon + 1")
    conn.close()
    lock_file = repo / "locks" / "exclusive"
    proc = kb.killed_at("backup.locked", "backup", "--db", db, "--repo", repo)
    info = json.loads(lock_file.read_text())
    assert info["command"] == "backup" and info["pid"] != os.getpid()
    assert proc.stdout == ""

    out = kb.json("backup", "--db", db, "--repo", repo)      # no verify, no unlock before it
    assert out["verified"]
    assert not lock_file.exists()
    assert kb.run("verify", "--repo", repo, "--all").returncode == 0


def test_kill_during_restore_drill_leaves_no_copy_of_the_database_behind(tmp_path, kb):
    """A backup killed while its restore drill writes the rebuilt image (a full copy of
    the shop's database) must not leave that copy behind for ever: temporary files of a
    killed run belong in the repository's tmp/, which the next run empties under its lock."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), 12_000_000, seed=4)
    places = [kb.tmpdir, repo / "tmp"]

    def drill_files() -> list[tuple[str, int]]:
        return [(str(p), p.stat().st_size) for d in places if d.is_dir() for p in d.rglob("drill*")]

    kb.killed_at("rebuild.chunk:8", "backup", "--db", db, "--repo", repo)   # 8 MiB of the image written
    caught = drill_files()
    assert caught and max(size for _, size in caught) >= 8 << 20, caught
    nxt = kb.run("backup", "--db", db, "--repo", repo, "--json")
    assert nxt.returncode == 0, nxt.stderr
    left = drill_files()
    assert not left, f"a partial copy of the database survives the next backup: {left}"


# Every stage of a backup, each killed exactly there: what the earlier backups and the next
# one must survive (the random trials above spread kills over time; these place them).
STAGES = ["backup.locked", "backup.packed", "backup.indexed", "rebuild.chunk:2", "backup.recorded"]


@pytest.mark.parametrize("point", STAGES)
def test_kill_at_each_stage_of_a_backup(tmp_path, kb, point):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), 4_000_000, seed=6)
    kb.run("init", "--repo", repo, "--plain-copy", check=True)
    first = kb.json("backup", "--db", db, "--repo", repo)
    pos = Pos(db, "delete")
    try:
        pos.change(random.Random(point))
        sidecars = pos.sidecars()
        kb.killed_at(point, "backup", "--db", db, "--repo", repo)
        assert pos.sidecars() == sidecars, "the source's journal changed"
    finally:
        pos.close()
    assert source_check(db) == ["ok"]
    ver = kb.run("verify", "--repo", repo, "--all", "--json")
    assert ver.returncode == 0, ver.stdout + ver.stderr
    after = listed(kb, repo)
    # the killed backup counts only once its manifest is saved, and then it is a whole one
    assert set(after) == {first["id"]} if point != "backup.recorded" else len(after) == 2
    assert all(s["verified"] for s in after.values())
    for f in (repo / "latest").glob("*.db"):
        assert integrity(f) == ["ok"], f"the plain copy {f.name} is not a whole database"
    nxt = kb.json("backup", "--db", db, "--repo", repo)
    assert nxt["verified"]
    assert not (repo / "locks" / "exclusive").exists()
    assert sorted(p.name for p in (repo / "tmp").iterdir()) == []
