"""The capture of a live database is one consistent state of it.

Every transaction of ``invariant_writer`` keeps cross-table invariants (two tables and a
running total, stock moved between rows far apart in the file), so a copy mixing pages
from before and after a commit is caught in the restored image.

* Deterministic tests commit from inside the progress callback, which the rollback-journal
  capture calls after each batch, between its short SHARED locks: a commit lands exactly
  between two batches, or between the last batch and the final sweep.
* Process tests run the writer in a separate process, committing continuously, while
  many backups are taken through ``kasirbackup.core.snapshot.backup.backup``.
* ``lock_budget_s=0`` forces the over-budget path of the final sweep: it must end in
  ``DatabaseTooBusy`` with nothing left in the repository, or in a correct snapshot.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kbhelpers import ROOT, WriterProcess, indexed_packs, repo_files
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.snapshot.capture import CaptureOptions
from kasirbackup.core.errors import DatabaseTooBusy
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.to_file import restore_to_new_file

from invariant_writer import InvariantWriter, check, create

WRITER = ROOT / "tests" / "integration" / "invariant_writer.py"


def restored(repo: Repository, snap, dest: Path) -> Path:
    restore_to_new_file(repo, snap, dest)
    return dest


def image_checks(path: Path) -> tuple[list[str], list[str], int]:
    """(integrity_check result, invariant violations, last_txn) of a static image."""
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        last = conn.execute("SELECT last_txn FROM totals").fetchone()[0]
        return [r[0] for r in conn.execute("PRAGMA integrity_check")], check(conn), last
    finally:
        conn.close()


def assert_clean_after_failure(repo_path: Path, before: dict[str, set[str]], kb) -> None:
    """A failed backup leaves no snapshot, no index, no pack nobody references, no lock,
    and ``verify --all`` is happy with what is there."""
    after = repo_files(repo_path)
    assert after["snapshots"] == before["snapshots"]
    assert after["index"] == before["index"]
    orphans = after["data"] - indexed_packs(repo_path)
    assert not orphans, f"packs left behind by the failed backup: {sorted(orphans)}"
    assert after["locks"] == set(), "the repository lock was not released"
    proc = kb.run("verify", "--repo", repo_path, "--all")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- deterministic: commits between batches -------------------------------------------------

class HookWriter:
    """A progress callback that commits from a second connection of this process."""

    def __init__(self, db: Path, plan: str) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None, timeout=5)
        self.w = InvariantWriter(self.conn, seed=99)
        self.plan = plan
        self.calls: list[tuple[str, int, int]] = []
        self.commits_after_start: list[int] = []

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.calls.append((phase, done, total))
        if phase not in ("copy", "catch-up"):
            return
        first = len([c for c in self.calls if c[0] in ("copy", "catch-up")]) == 1
        if self.plan == "once" and first:
            for _ in range(20):
                self.commits_after_start.append(self.w.step())
        elif self.plan == "every-batch":
            self.commits_after_start.append(self.w.step())
        elif self.plan == "vacuum-page-size" and first:
            self.commits_after_start.append(self.w.step())
            self.conn.execute("PRAGMA page_size = 8192")
            self.conn.execute("VACUUM")
            self.commits_after_start.append(self.w.step())
        elif self.plan == "shrink" and first:
            self.w.shrink()
            self.commits_after_start.append(self.w.step())
        elif self.plan == "to-wal" and first:
            self.commits_after_start.append(self.w.step())
            assert self.conn.execute("PRAGMA journal_mode = wal").fetchone()[0] == "wal"
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")     # the new commits stay in -wal
            for _ in range(20):
                self.commits_after_start.append(self.w.step())
        elif self.plan == "grow" and first:
            self.conn.execute("BEGIN IMMEDIATE")
            for _ in range(3000):        # ~2 MB more: the file grows past its last batch
                self.w.body()
            self.conn.execute("COMMIT")
            self.commits_after_start.append(self.w.k)

    def close(self) -> None:
        self.conn.close()


@pytest.mark.parametrize("plan", ["once", "every-batch", "vacuum-page-size", "shrink", "grow"])
def test_commits_during_the_copy_are_in_the_snapshot(tmp_path, plan):
    db = tmp_path / "live.db"
    create(str(db))            # ~10 MB: three 4 MiB batches
    repo = Repository.init(tmp_path / "repo")
    hook = HookWriter(db, plan)
    try:
        res = backup(repo, BackupRequest(str(db)), progress=hook)
    finally:
        hook.close()
    snap = res.snapshot
    assert hook.commits_after_start, "the hook never ran"
    assert snap.verification.ok, snap.verification.detail
    img = restored(repo, snap, tmp_path / "restored.db")
    # The database is quiet now, so the snapshot must be the file exactly as it is: the
    # state at the final lock, which includes every commit made during the copy.
    assert img.read_bytes() == db.read_bytes(), f"snapshot differs from the quiet source ({snap.capture})"
    checks, bad, last = image_checks(img)
    assert checks == ["ok"]
    assert bad == []
    assert last == hook.commits_after_start[-1]


def test_switch_to_wal_during_the_copy(tmp_path):
    """The POS switches the database to WAL while we copy it page by page: the newest
    commits are in the -wal file, so the copy must be taken again the WAL way."""
    db = tmp_path / "live.db"
    create(str(db))
    repo = Repository.init(tmp_path / "repo")
    hook = HookWriter(db, "to-wal")
    try:
        snap = backup(repo, BackupRequest(str(db)), progress=hook).snapshot
        assert snap.verification.ok, snap.verification.detail
        assert snap.database.journal_mode == "wal"
        img = restored(repo, snap, tmp_path / "restored.db")
        want = list(hook.conn.iterdump())
    finally:
        hook.close()
    conn = sqlite3.connect(img, isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check(conn) == []
        assert conn.execute("SELECT last_txn FROM totals").fetchone()[0] == hook.commits_after_start[-1]
        assert list(conn.iterdump()) == want
    finally:
        conn.close()


def test_quiet_database_with_zero_budget_skips_the_sweep(tmp_path):
    db = tmp_path / "quiet.db"
    create(str(db))
    repo = Repository.init(tmp_path / "repo")
    res = backup(repo, BackupRequest(str(db)), capture_opts=CaptureOptions(lock_budget_s=0.0))
    snap = res.snapshot
    assert snap.verification.ok, snap.verification.detail
    assert snap.capture["passes"] == 1 and snap.capture["final_sweeps"] == 1, snap.capture
    assert snap.capture["pages_changed_during_copy"] == 0, snap.capture
    img = restored(repo, snap, tmp_path / "restored.db")
    assert img.read_bytes() == db.read_bytes()


def test_zero_budget_commit_during_copy_then_quiet(tmp_path):
    """The over-budget path: the first sweep finds changes and gives up (budget 0), a
    catch-up pass runs, the second sweep is skipped because nothing moved since. The
    snapshot must still be the file as it is now (with the commits made during the copy)."""
    db = tmp_path / "live.db"
    create(str(db))
    repo = Repository.init(tmp_path / "repo")
    hook = HookWriter(db, "once")
    try:
        res = backup(repo, BackupRequest(str(db)), progress=hook,
                     capture_opts=CaptureOptions(lock_budget_s=0.0))
    finally:
        hook.close()
    snap = res.snapshot
    assert snap.verification.ok, f"torn snapshot: {snap.verification.detail[:300]} (capture {snap.capture})"
    img = restored(repo, snap, tmp_path / "restored.db")
    checks, bad, last = image_checks(img)
    assert (checks, bad) == (["ok"], [])
    assert last == hook.commits_after_start[-1], (
        f"the snapshot misses commits made before its final lock: last_txn {last}, "
        f"expected {hook.commits_after_start[-1]} (capture {snap.capture})")
    assert img.read_bytes() == db.read_bytes()


def test_zero_budget_small_db_commit_during_copy_then_quiet(tmp_path):
    """The same with a database of one batch: the stale copy is consistent, so only the
    missing commits tell that it is the wrong state."""
    db = tmp_path / "small.db"
    create(str(db), stock_rows=2000, sales=300)     # < 4 MiB: a single batch
    repo = Repository.init(tmp_path / "repo")
    hook = HookWriter(db, "once")
    try:
        res = backup(repo, BackupRequest(str(db)), progress=hook,
                     capture_opts=CaptureOptions(lock_budget_s=0.0))
    finally:
        hook.close()
    snap = res.snapshot
    assert snap.verification.ok, snap.verification.detail
    img = restored(repo, snap, tmp_path / "restored.db")
    _, _, last = image_checks(img)
    assert last == hook.commits_after_start[-1], (
        f"the snapshot misses commits made before its final lock: last_txn {last}, "
        f"expected {hook.commits_after_start[-1]} (capture {snap.capture})")
    assert img.read_bytes() == db.read_bytes()


def test_zero_budget_busy_writer_raises_cleanly(tmp_path, kb):
    db = tmp_path / "busy.db"
    create(str(db))
    repo_path = tmp_path / "repo"
    repo = Repository.init(repo_path)
    good = backup(repo, BackupRequest(str(db))).snapshot          # an earlier good snapshot
    assert good.verification.ok
    # change the file so that the failed backup has new pages to write
    conn = sqlite3.connect(db, isolation_level=None)
    w = InvariantWriter(conn, seed=5)
    for _ in range(200):
        w.step()
    conn.close()
    before = repo_files(repo_path)
    hook = HookWriter(db, "every-batch")        # a commit between every two batches, always
    try:
        with pytest.raises(DatabaseTooBusy):
            backup(repo, BackupRequest(str(db)), progress=hook, capture_opts=CaptureOptions(lock_budget_s=0.0))
    finally:
        hook.close()
    phases = {c[0] for c in hook.calls}
    assert "catch-up" in phases, hook.calls
    assert_clean_after_failure(repo_path, before, kb)
    # the earlier snapshot still restores, and the next backup works
    img = restored(Repository.open(repo_path), good, tmp_path / "earlier.db")
    assert image_checks(img)[:2] == (["ok"], [])
    again = backup(Repository.open(repo_path), BackupRequest(str(db))).snapshot
    assert again.verification.ok


# -- a writer in another process ------------------------------------------------------------

@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_snapshots_taken_under_a_busy_writer_are_consistent(tmp_path, writers, journal_mode):
    db = tmp_path / "live.db"
    create(str(db), journal_mode=journal_mode)
    repo = Repository.init(tmp_path / "repo")
    writer = WriterProcess(WRITER, db, tmp_path, interval_ms=2)
    writers.append(writer)
    results = []
    for i in range(12):
        acked_before = writer.last_acked()
        snap = backup(repo, BackupRequest(str(db))).snapshot
        assert snap.verification.ok, snap.verification.detail
        img = restored(repo, snap, tmp_path / f"restored-{i}.db")
        checks, bad, last = image_checks(img)
        assert checks == ["ok"], f"backup {i}: {checks[:5]} ({snap.capture})"
        assert bad == [], f"backup {i} is not one consistent state: {bad} ({snap.capture})"
        assert last >= acked_before, f"backup {i} lacks acknowledged transactions {acked_before} > {last}"
        results.append((last - acked_before, snap.capture))
        img.unlink()
    stats = writer.stop()
    assert stats["commits"] > 0
    assert stats["failures"] == 0, (f"the writer failed {stats['failures']} times "
                                    f"(max stall {stats['max_stall_ms']} ms): {stats['failure_messages']}")
    print(f"{journal_mode}: writer {stats}; per backup (commits after start, capture): {results}")


def test_zero_budget_under_a_busy_writer_never_gives_a_wrong_snapshot(tmp_path, writers, kb):
    """With a budget of 0 the final sweep can only succeed when it is skipped. Each
    attempt must end in DatabaseTooBusy (repository untouched) or a correct snapshot."""
    db = tmp_path / "live.db"
    create(str(db))
    repo_path = tmp_path / "repo"
    repo = Repository.init(repo_path)
    writer = WriterProcess(WRITER, db, tmp_path, interval_ms=2)
    writers.append(writer)
    outcomes = []
    for i in range(8):
        before = repo_files(repo_path)
        acked_before = writer.last_acked()
        try:
            snap = backup(repo, BackupRequest(str(db)), capture_opts=CaptureOptions(lock_budget_s=0.0)).snapshot
        except DatabaseTooBusy:
            outcomes.append("too-busy")
            assert_clean_after_failure(repo_path, before, kb)
            continue
        outcomes.append("ok")
        assert snap.verification.ok, f"attempt {i}: {snap.verification.detail[:300]} ({snap.capture})"
        img = restored(repo, snap, tmp_path / f"restored-{i}.db")
        checks, bad, last = image_checks(img)
        assert (checks, bad) == (["ok"], []), f"attempt {i}: {checks[:3]} {bad} ({snap.capture})"
        assert last >= acked_before
    stats = writer.stop()
    assert stats["failures"] == 0, stats
    print(f"zero budget outcomes: {outcomes}; writer {stats}")
