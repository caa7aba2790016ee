"""The live restore through its Python API, in this process (issue 18): what the command-line
tests check from outside, checked here where a mutation run (docs/TESTING.md) can see which
test guards which line. Whole database, selected tables and merge; the safety backup is a
verified copy of exactly the state before; the lock keeps every other program out until
it is released; the messages name the database and what went wrong."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kasirbackup.core.repo.manifest import Kind
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.live import (DatabaseInUse, RestoreCheckFailed, SafetySnapshotFailed, execute_restore,
                                          lock_exclusive, prepare_restore, release_lock)
from kasirbackup.core.restore.to_file import restore_to_new_file
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from tests.support.checks import table_rows as rows


def sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for s in statements:
            conn.execute(s)
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.fixture
def shop(tmp_path, pos_db):
    """A backup, then a day of changes: sales deleted, prices changed, a new sale."""
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    at_backup = rows(pos_db)
    sql(pos_db, "DELETE FROM transaksi_detail WHERE transaksi_id BETWEEN 10 AND 14",
        "DELETE FROM transaksi WHERE id BETWEEN 10 AND 14",
        "UPDATE produk SET harga_jual = harga_jual + 500 WHERE id <= 3",
        "INSERT INTO pelanggan (nama) VALUES ('Pelanggan Baru')")
    return repo, snap, pos_db, at_backup, rows(pos_db)


def test_whole_restore_brings_the_backup_back_with_a_verified_safety_backup(shop, tmp_path):
    repo, snap, db, at_backup, before = shop
    with prepare_restore(repo, snap, db) as plan:
        assert plan.whole and plan.mode == "replace" and plan.tables is None
        result = execute_restore(repo, plan)
    assert rows(db) == at_backup
    assert result.snapshot.id == snap.id and result.target == db and result.mode == "replace"
    assert result.tables == [] and result.notes == []
    js = result.to_json()
    assert js["whole_database"] is True and js["safety_snapshot"] == result.safety.id and js["path"] == str(db)
    # the safety backup: stored, verified, labelled, and exactly the database as it was
    safety = Repository.open(repo.location).find(result.safety.id)
    assert safety.kind == Kind.BEFORE_RESTORE and safety.verified
    assert safety.label == f"before restoring {snap.short_id}"
    assert safety.source_path == str(db)
    back = tmp_path / "before.db"
    restore_to_new_file(repo, safety, back)
    assert rows(back) == before
    # and the database is free again for the POS
    sql(db, "INSERT INTO pelanggan (nama) VALUES ('setelah')")


def test_selected_tables_and_merge(shop):
    repo, snap, db, at_backup, before = shop
    with prepare_restore(repo, snap, db, table_names=["produk"]) as plan:
        assert not plan.whole
        result = execute_restore(repo, plan)
    after = rows(db)
    assert after["produk"] == at_backup["produk"]
    assert after["transaksi"] == before["transaksi"] and after["pelanggan"] == before["pelanggan"]
    assert [t.name for t in result.tables] == ["produk"]
    assert result.to_json()["whole_database"] is False

    with prepare_restore(repo, snap, db, mode="merge") as plan:
        result = execute_restore(repo, plan)
    after = rows(db)
    for t in ("transaksi", "transaksi_detail"):
        assert after[t] == sorted(set(at_backup[t]) | set(before[t])), t
    assert after["pelanggan"] == before["pelanggan"]            # the new customer stays
    assert len(Repository.open(repo.location).snapshots()) == 3  # one safety backup per restore


def test_row_count_check_names_the_table_and_both_counts(shop):
    repo, snap, db, _, before = shop
    with prepare_restore(repo, snap, db) as plan:
        n = plan.snapshot.tables["produk"]
        plan.snapshot.tables["produk"] = n + 1
        with pytest.raises(RestoreCheckFailed) as err:
            execute_restore(repo, plan)
    msg = err.value.message()
    assert f"produk: {n + 1} expected, {n} found" in msg and "row counts differ from the backup" in msg
    assert "transaksi:" not in msg                 # only the table that differs
    assert rows(db) == before


def test_safety_backup_failure_names_the_database_and_the_reason(shop, monkeypatch):
    repo, snap, db, _, before = shop
    from kasirbackup.core.restore import live

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(live, "backup", broken)
    with prepare_restore(repo, snap, db) as plan:
        with pytest.raises(SafetySnapshotFailed) as err:
            execute_restore(repo, plan)
    msg = err.value.message()
    assert str(db) in msg and "No space left on device" in msg
    assert rows(db) == before


def test_the_lock_keeps_others_out_until_released(tmp_path, pos_db):
    conn = lock_exclusive(pos_db, 0.0)
    try:
        other = sqlite3.connect(pos_db, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("SELECT count(*) FROM transaksi").fetchall()
        other.close()
    finally:
        release_lock(conn)
    other = sqlite3.connect(pos_db, timeout=0)
    assert other.execute("SELECT count(*) FROM transaksi").fetchone()[0] > 0
    other.close()


def test_the_lock_waits_for_a_writer_then_refuses_naming_the_file(tmp_path, pos_db):
    pos = sqlite3.connect(pos_db, isolation_level=None, check_same_thread=False)
    pos.execute("BEGIN IMMEDIATE")
    pos.execute("UPDATE produk SET stok = stok - 1 WHERE id = 1")
    try:
        with pytest.raises(DatabaseInUse) as err:
            lock_exclusive(pos_db, 0.2)
        assert str(pos_db) in err.value.message() and "kasir.db" in err.value.message()
        # a writer that commits while we wait: the lock is taken after it, its sale kept
        commit = threading.Timer(0.3, lambda: pos.execute("COMMIT"))
        commit.start()
        conn = lock_exclusive(pos_db, 30)
        assert not pos.in_transaction          # taken only after the sale was committed
        release_lock(conn)
    finally:
        commit.join() if "commit" in locals() else None
        pos.close()
    check = sqlite3.connect(pos_db)
    assert check.execute("SELECT stok FROM produk WHERE id = 1").fetchone()[0] is not None
    check.close()


IDLE_POS = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("SELECT count(*) FROM transaksi").fetchall()      # then idle: no transaction, no lock
print("open", flush=True)
time.sleep(120)
"""


def test_an_idle_pos_stops_the_restore_unless_the_owner_goes_ahead(shop):
    import subprocess
    import sys

    from kasirbackup.core.holders import DatabaseOpenElsewhere

    repo, snap, db, at_backup, before = shop
    pos = subprocess.Popen([sys.executable, "-c", IDLE_POS, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert pos.stdout.readline().strip() == "open"
        with prepare_restore(repo, snap, db) as plan:
            with pytest.raises(DatabaseOpenElsewhere) as err:
                execute_restore(repo, plan)
            assert f"({pos.pid})" in err.value.message() and str(db) in err.value.message()
            assert rows(db) == before
            result = execute_restore(repo, plan, even_if_open=True)
        assert rows(db) == at_backup
        assert len(result.notes) == 1 and f"({pos.pid})" in result.notes[0] and "went ahead although" in result.notes[0]
        assert result.notes[0].endswith(" had the database open: it keeps its own ids and may hand out again ids "
                                        "of sales it already gave; restart it")
    finally:
        pos.kill()
        pos.wait()


def test_progress_phases_and_the_put_back(shop):
    repo, snap, db, _, before = shop
    seen: list[str] = []

    def progress(phase, done, total):
        if not seen or seen[-1] != phase:
            seen.append(phase)

    with prepare_restore(repo, snap, db) as plan:
        result = execute_restore(repo, plan, progress=progress)
    assert "restore" in seen and seen.index("restore") > 0          # after the safety backup's phases
    steps = []
    with prepare_restore(repo, snap, db) as plan:
        execute_restore(repo, plan, progress=lambda phase, done, total: phase == "restore" and steps.append((done, total)))
    assert steps and steps[-1][0] == steps[-1][1] > 0                 # the copy ends at its total
    assert all(isinstance(d, int) and 0 <= d <= t for d, t in steps)
    assert 0 <= result.duration_s < 3600
    seen.clear()
    with prepare_restore(repo, snap, db) as plan:
        plan.snapshot.tables["produk"] += 1
        with pytest.raises(RestoreCheckFailed) as err:
            execute_restore(repo, plan, progress=progress)
    assert seen[-2:] == ["restore", "undo"]
    safety = [s for s in Repository.open(repo.location).snapshots() if s.kind == Kind.BEFORE_RESTORE][0]
    assert f"keep the safety backup {safety.short_id}" in err.value.message()
