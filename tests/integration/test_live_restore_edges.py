"""The live restore's edges, in process, each found by the mutation run (docs/TESTING.md)
surviving in `core/restore/live.py` (the photos restored in place and the JSON result:
test_live_restore_photos.py): read-only files and folders, a hot journal, a WAL database
whose page size changed, a backup of another database, a backup that failed its check or
was never drilled, the refusals of a table restore and a merge in their own words, SQLite
failing in the middle, a cancel, and a writer still finishing its sale when the restore
starts."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kasirbackup.core.errors import Cancelled, KasirBackupError
from kasirbackup.core.progress import CancelToken
from kasirbackup.core.repo.manifest import Kind
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore import live
from kasirbackup.core.restore.live import (RestoreCheckFailed, TargetReadOnly, UnknownTables, UnsafeRestore,
                                          execute_restore, prepare_restore, preview_for_mode)
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from tests.support.checks import run_sql as sql
from tests.support.checks import table_rows as rows
from tests.support.privileges import need_binding_permissions


# -- preparing -------------------------------------------------------------------------------

@pytest.fixture
def shop(tmp_path, pos_db):
    repo = Repository.open(tmp_path / "repo", create=True)
    return repo, backup(repo, BackupRequest(str(pos_db))).snapshot, pos_db


def test_the_plan_removes_its_scratch_copies_when_closed(shop):
    repo, snap, db = shop
    with prepare_restore(repo, snap, db) as plan:
        assert plan.image.is_file() and plan.image.parent == plan.workdir
    assert not plan.workdir.exists()


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_database_that_cannot_be_changed_is_refused_before_anything(shop, read_only):
    need_binding_permissions()
    repo, snap, db = shop
    victim = db if read_only == "file" else db.parent
    mode = victim.stat().st_mode
    os.chmod(victim, 0o555 if read_only == "folder" else 0o444)
    try:
        with pytest.raises(TargetReadOnly) as err:
            prepare_restore(repo, snap, db)
    finally:
        os.chmod(victim, mode)
    assert err.value.message().startswith(f"The database {db} cannot be changed")


HALF_SALE = """
import sqlite3, sys, os, signal
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")            # spill to the file, so the journal is hot
conn.execute("BEGIN")
conn.execute("UPDATE transaksi SET total = total + 1")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_hot_journal_left_by_a_killed_pos_is_rolled_back_and_said(shop):
    repo, snap, db = shop
    before = rows(db)
    proc = subprocess.run([sys.executable, "-c", HALF_SALE, str(db)])
    assert proc.returncode == -signal.SIGKILL
    assert live._hot_journal(db)
    with prepare_restore(repo, snap, db) as plan:
        assert any("hot journal" in n for n in plan.notes)
    assert rows(db) == before                                  # the half sale is gone


def test_a_journal_kept_empty_or_zeroed_is_not_hot(shop):
    repo, snap, db = shop
    for mode in ("PERSIST", "TRUNCATE"):
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute(f"PRAGMA journal_mode = {mode}")
        conn.execute("UPDATE produk SET stok = stok + 1 WHERE id = 1")
        conn.close()
        assert Path(f"{db}-journal").exists() and not live._hot_journal(db), mode
        with prepare_restore(repo, snap, db) as plan:
            assert not any("hot journal" in n for n in plan.notes)


def test_a_wal_database_whose_page_size_changed_since_the_backup_is_restored(tmp_path, pos_db):
    sql(pos_db, "PRAGMA journal_mode = WAL")
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    at_backup = rows(pos_db)
    sql(pos_db, "PRAGMA journal_mode = DELETE", "PRAGMA page_size = 8192", "VACUUM", "PRAGMA journal_mode = WAL",
        "DELETE FROM transaksi_detail WHERE transaksi_id < 5", "DELETE FROM transaksi WHERE id < 5")
    with prepare_restore(repo, snap, pos_db) as plan:
        execute_restore(repo, plan)
    assert rows(pos_db) == at_backup
    conn = sqlite3.connect(pos_db)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    conn.close()


def test_the_preview_of_each_mode_says_which_it_is_and_leaves_no_scratch(shop, monkeypatch):
    repo, snap, db = shop
    made = []
    real = live.scratch_folder
    monkeypatch.setattr(live, "scratch_folder", lambda kind: made.append(real(kind)) or made[-1])
    for mode, names, expected in (("replace", None, "replace"), ("replace", ["produk"], "tables"),
                                  ("merge", None, "merge")):
        _, identity, preview = preview_for_mode(repo, snap, db, mode, names, 3)
        assert preview.mode == expected and identity.same
        assert made and not made[-1].exists()
    _, _, preview = preview_for_mode(repo, snap, db, "replace", ["produk"], 3)
    assert [t.name for t in preview.tables] == ["produk"]
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        preview_for_mode(repo, snap, db, "replace", None, 3, cancel=cancel)
    assert not made[-1].exists()
    with prepare_restore(repo, snap, db, table_names=["produk"]) as plan:
        assert plan.mode_preview.mode == "tables" and [t.name for t in plan.preview.tables] == ["produk"]
    with prepare_restore(repo, snap, db, mode="merge") as plan:
        assert plan.mode_preview.mode == "merge" and not plan.whole


# -- refusals of tables and merge, in their words -------------------------------------------------

def test_a_table_the_backup_does_not_have_is_named_with_those_it_has(shop):
    repo, snap, db = shop
    with pytest.raises(UnknownTables) as err:
        prepare_restore(repo, snap, db, table_names=["produk", "gudang", "kas"])
    msg = err.value.message()
    assert msg.startswith("The backup has no table named gudang, kas.")
    assert "pelanggan, produk, transaksi, transaksi_detail" in msg


def _schema_change(db: Path, *statements: str) -> None:
    sql(db, "PRAGMA foreign_keys = OFF", *statements)


def test_columns_gone_or_required_since_the_backup_stop_a_table_restore(shop):
    repo, snap, db = shop
    _schema_change(db, "ALTER TABLE produk ADD COLUMN rak TEXT NOT NULL DEFAULT 'A'",          # fine: a default
                   "ALTER TABLE produk ADD COLUMN diskon INTEGER",                          # fine: not required
                   "ALTER TABLE produk ADD COLUMN harga_grosir INTEGER AS (harga_jual * 9 / 10)",  # generated
                   "CREATE TABLE p2 (id INTEGER PRIMARY KEY, nama TEXT NOT NULL, alamat TEXT, kota TEXT, "
                   "poin INTEGER NOT NULL DEFAULT 0, terdaftar TEXT, kode TEXT NOT NULL, catatan TEXT NOT NULL DEFAULT '')",
                   "INSERT INTO p2 SELECT id, nama, alamat, kota, poin, terdaftar, nama, '' FROM pelanggan",
                   "DROP TABLE pelanggan", "ALTER TABLE p2 RENAME TO pelanggan")
    with pytest.raises(UnsafeRestore) as err:
        prepare_restore(repo, snap, db, table_names=["pelanggan", "produk"])
    msg = err.value.message()
    assert msg.startswith("This cannot be done safely: pelanggan: the backup has column(s) ")
    assert "pelanggan: the backup has column(s) nik, telepon that the database no longer has; " \
           "their values would be lost; pelanggan: column kode was added since the backup, is required and " \
           "has no default." in msg
    assert "produk" not in msg
    with prepare_restore(repo, snap, db, table_names=["produk"]) as plan:       # produk alone is fine
        assert [t.name for t in plan.preview.tables] == ["produk"]


def test_a_merge_needs_the_same_primary_key(shop):
    repo, snap, db = shop
    _schema_change(db, "CREATE TABLE p2 (id INTEGER, nama TEXT NOT NULL, telepon TEXT, nik TEXT, alamat TEXT, "
                   "kota TEXT, poin INTEGER NOT NULL DEFAULT 0, terdaftar TEXT)",
                   "INSERT INTO p2 SELECT * FROM pelanggan",
                   "DROP TABLE pelanggan", "ALTER TABLE p2 RENAME TO pelanggan")
    with pytest.raises(UnsafeRestore) as err:
        prepare_restore(repo, snap, db, mode="merge")
    assert err.value.message().startswith(
        "This cannot be done safely: pelanggan: its primary key changed since the backup.")
    with prepare_restore(repo, snap, db) as plan:              # replacing the whole database is fine
        assert plan.whole
    # the check goes on past a table dropped since the backup (pelanggan, named before
    # transaksi_detail, whose key changed)
    _schema_change(db, "DROP TABLE pelanggan",
                   "CREATE TABLE d2 (id INTEGER, transaksi_id INTEGER NOT NULL, produk_id INTEGER NOT NULL, "
                   "qty INTEGER NOT NULL, harga INTEGER NOT NULL, subtotal INTEGER NOT NULL)",
                   "INSERT INTO d2 SELECT * FROM transaksi_detail", "DROP TABLE transaksi_detail",
                   "ALTER TABLE d2 RENAME TO transaksi_detail")
    with pytest.raises(UnsafeRestore) as err:
        prepare_restore(repo, snap, db, mode="merge")
    assert err.value.message().startswith(
        "This cannot be done safely: transaksi_detail: its primary key changed since the backup.")
    _schema_change(db, "CREATE TABLE pelanggan (id INTEGER, nama TEXT)")
    # a table that became a search index has no key at all
    _schema_change(db, "DROP TABLE pelanggan", "CREATE VIRTUAL TABLE pelanggan USING fts5(id, nama, telepon, nik, "
                   "alamat, kota, poin, terdaftar)")
    with pytest.raises(UnsafeRestore) as err:
        prepare_restore(repo, snap, db, mode="merge")
    assert err.value.message().startswith(
        "This cannot be done safely: pelanggan: has no primary key, so rows cannot be matched for a merge; "
        "pelanggan: its primary key changed since the backup; transaksi_detail: its primary key changed")


def test_a_search_index_cannot_be_restored_as_a_table(tmp_path, pos_db):
    sql(pos_db, "CREATE VIRTUAL TABLE cari USING fts5(nama)", "INSERT INTO cari SELECT nama FROM produk")
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    with pytest.raises(UnsafeRestore) as err:
        prepare_restore(repo, snap, pos_db, table_names=["cari", "cari_data"])
    assert err.value.message().startswith(
        "This cannot be done safely: cari is a search index (virtual table); restore the whole database instead; "
        "cari_data is part of a search index; restore the whole database instead.")
    with pytest.raises(UnknownTables) as err:
        prepare_restore(repo, snap, pos_db, table_names=["nothing"])
    assert "cari_data" not in err.value.message() and "cari," in err.value.message()
    with prepare_restore(repo, snap, pos_db, mode="merge") as plan:    # a merge leaves the index to SQLite
        assert plan.mode == "merge"
    # and goes on checking the tables named after it
    _schema_change(pos_db, "CREATE TABLE p2 (id INTEGER, nama TEXT NOT NULL, telepon TEXT, nik TEXT, alamat TEXT, "
                   "kota TEXT, poin INTEGER NOT NULL DEFAULT 0, terdaftar TEXT)",
                   "INSERT INTO p2 SELECT * FROM pelanggan", "DROP TABLE pelanggan", "ALTER TABLE p2 RENAME TO pelanggan")
    with pytest.raises(UnsafeRestore, match="pelanggan: its primary key changed"):
        prepare_restore(repo, snap, pos_db, mode="merge")


# -- executing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sqlite_says, kind, words", [
    ("database or disk is full", "disk-full", None),
    ("attempt to write a readonly database", "target-read-only", "cannot be changed"),
    ("database disk image is malformed", "database-corrupt", "malformed"),
    ("read-only file system", "target-read-only", "cannot be changed"),
    ("database corrupt at page 12", "database-corrupt", "corrupt at page 12"),
    ("disk I/O error", "restore-failed", "disk I/O error"),
])
def test_sqlite_failing_during_the_copy_is_said_and_nothing_changes(shop, monkeypatch, sqlite_says, kind, words):
    repo, snap, db = shop
    sql(db, "INSERT INTO pelanggan (nama) VALUES ('sesudah')")
    before = rows(db)
    real = live._copy_image_into

    def failing(image, conn, progress, phase):
        if phase == "restore":
            raise sqlite3.OperationalError(sqlite_says)
        return real(image, conn, progress, phase)

    monkeypatch.setattr(live, "_copy_image_into", failing)
    with prepare_restore(repo, snap, db) as plan:
        with pytest.raises(KasirBackupError) as err:
            execute_restore(repo, plan)
    assert err.value.code == kind
    msg = err.value.message()
    assert str(db) in msg and (words is None or words in msg)
    if kind == "restore-failed":
        safety = [s for s in Repository.open(repo.location).snapshots() if s.kind == Kind.BEFORE_RESTORE][0]
        assert f"The safety backup {safety.short_id} holds the database as it was" in msg
    assert rows(db) == before


def test_a_put_back_that_fails_too_names_the_safety_backup(shop, monkeypatch):
    repo, snap, db = shop
    real = live._copy_image_into

    def undo_fails(image, conn, progress, phase):
        if phase == "undo":
            raise sqlite3.OperationalError("disk I/O error")
        return real(image, conn, progress, phase)

    monkeypatch.setattr(live, "_copy_image_into", undo_fails)
    with prepare_restore(repo, snap, db) as plan:
        plan.snapshot.tables["produk"] += 1
        with pytest.raises(KasirBackupError) as err:
            execute_restore(repo, plan)
    safety = [s for s in Repository.open(repo.location).snapshots() if s.kind == Kind.BEFORE_RESTORE][0]
    assert err.value.code == "database-corrupt"
    msg = err.value.message()
    assert str(db) in msg and "row counts differ from the backup" in msg
    assert f"putting it back failed too (disk I/O error); restore backup {safety.short_id}" in msg


def test_row_counts_name_at_most_five_tables_and_a_table_that_is_missing(shop):
    repo, snap, db = shop
    counts = dict(snap.tables)
    with prepare_restore(repo, snap, db) as plan:
        for t in list(plan.snapshot.tables):
            plan.snapshot.tables[t] += 1
        for extra in ("zz1", "zz2"):
            plan.snapshot.tables[extra] = 7
        with pytest.raises(RestoreCheckFailed) as err:
            execute_restore(repo, plan)
    detail = err.value.message().split("(row counts differ from the backup (", 1)[1].split("))", 1)[0]
    parts = detail.split("; ")
    assert len(parts) == 5 and all(re.fullmatch(r"\w+: \d+ expected, (\d+ found|the table is missing)", p) for p in parts)
    snap.tables.clear()
    snap.tables.update(counts)
    with prepare_restore(repo, snap, db) as plan:
        plan.snapshot.tables["aaa_gone"] = 7
        with pytest.raises(RestoreCheckFailed) as err:
            execute_restore(repo, plan)
    assert "(row counts differ from the backup (aaa_gone: 7 expected, the table is missing))" in err.value.message()


def test_a_sale_being_written_when_the_restore_starts_is_waited_for(shop):
    repo, snap, db = shop
    at_backup = rows(db)
    pos = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    with prepare_restore(repo, snap, db) as plan:
        pos.execute("BEGIN IMMEDIATE")
        pos.execute("INSERT INTO pelanggan (nama) VALUES ('di tengah')")
        done = threading.Timer(0.5, lambda: pos.execute("COMMIT"))
        done.start()
        try:
            # (even_if_open: our own connection hides the writer from the check for other programs)
            execute_restore(repo, plan, wait_s=60, even_if_open=True)
        finally:
            done.join()
            pos.close()
    assert rows(db) == at_backup
    safety = [s for s in Repository.open(repo.location).snapshots() if s.kind == Kind.BEFORE_RESTORE][0]
    assert safety.tables["pelanggan"] == snap.tables["pelanggan"] + 1          # the sale is in the safety backup


def _as_never_drilled(snap, monkeypatch):
    """The snapshot as a continuous one is stored: read back, not drilled (nothing recorded
    of its image yet)."""
    import dataclasses
    monkeypatch.setattr(snap, "verification", dataclasses.replace(snap.verification, method="readback",
                                                                   detail="read back"))
    monkeypatch.setattr(snap, "image_sha256", "")
    monkeypatch.setattr(snap, "tables", {})
    assert not snap.drilled


def test_a_backup_that_was_never_drilled_is_drilled_before_it_is_restored(shop, monkeypatch):
    repo, snap, db = shop
    recorded = (snap.image_sha256, dict(snap.tables), snap.database.schema_fingerprint)
    _as_never_drilled(snap, monkeypatch)
    seen = []
    real = live.drill_rebuilt
    monkeypatch.setattr(live, "drill_rebuilt", lambda s, image, sha: seen.append((s.id, image.name)) or
                        real(s, image, sha))
    with prepare_restore(repo, snap, db) as plan:
        assert plan.identity.same
    assert seen == [(snap.id, "snapshot.db")]
    # what the drill records is filled in, as a drill at backup time would have
    assert (snap.image_sha256, snap.tables, snap.database.schema_fingerprint) == recorded
    v = snap.verification
    assert v.ok is True and v.integrity == "quick_check" and v.duration_s >= 0 and v.at.endswith("+00:00")
    pages = snap.image_bytes // snap.database.page_size
    assert v.detail == (f"{pages} pages match their checksums, SHA-256 recorded, quick_check ok, "
                        f"{len(recorded[1])} table counts checked")


def test_a_never_drilled_backup_that_sqlite_finds_damaged_is_refused(tmp_path, pos_db, monkeypatch):
    """Every page matches its checksum, yet two leaf pages were swapped before the capture
    (as a continuous snapshot of a damaged file would store them): the drill before the
    restore must see it, and nothing is restored."""
    import dataclasses

    from kasirbackup.core.errors import VerificationFailed
    from kasirbackup.core.snapshot import verify
    from tests.support.corrupt import swap_table_leaves

    good = tmp_path / "good.db"
    good.write_bytes(pos_db.read_bytes())
    swap_table_leaves(pos_db, "transaksi")
    repo = Repository.open(tmp_path / "repo", create=True)
    real = verify.inspect_image
    with monkeypatch.context() as m:
        m.setattr(verify, "inspect_image", lambda image, full_integrity=False: dataclasses.replace(real(image, full_integrity),
                                                                                        integrity="ok"))
        snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    _as_never_drilled(snap, monkeypatch)
    target = tmp_path / "shop.db"
    target.write_bytes(good.read_bytes())
    with pytest.raises(VerificationFailed) as err:
        prepare_restore(repo, snap, target, force_other_database=True)
    msg = err.value.message()
    assert snap.short_id in msg and "out of order" in msg and "\n" not in msg
    assert target.read_bytes() == good.read_bytes()


def test_a_cancel_before_the_restore_stores_no_safety_backup_and_changes_nothing(shop):
    repo, snap, db = shop
    sql(db, "INSERT INTO pelanggan (nama) VALUES ('sesudah')")
    before = rows(db)
    cancel = CancelToken()
    with prepare_restore(repo, snap, db) as plan:
        cancel.cancel()
        with pytest.raises(Cancelled):
            execute_restore(repo, plan, cancel=cancel)
    assert rows(db) == before
    assert [s.kind for s in Repository.open(repo.location).snapshots()] == [snap.kind]


def test_a_safety_backup_refused_by_the_engine_names_the_database_and_why(shop, monkeypatch):
    from kasirbackup.core.errors import DiskFull
    repo, snap, db = shop
    before = rows(db)

    def full(*args, **kwargs):
        raise DiskFull(path=str(repo.location))

    monkeypatch.setattr(live, "backup", full)
    with prepare_restore(repo, snap, db) as plan:
        with pytest.raises(live.SafetySnapshotFailed) as err:
            execute_restore(repo, plan)
    assert err.value.message().startswith(
        f"Could not take the safety backup of {db} before restoring: The disk holding {repo.location} is full.")
    assert rows(db) == before


# -- what prepare_restore refuses ---------------------------------------------------------------------

def _scratch_made(monkeypatch) -> list[Path]:
    made: list[Path] = []
    real = live.scratch_folder
    monkeypatch.setattr(live, "scratch_folder", lambda kind: made.append(real(kind)) or made[-1])
    return made


def test_a_backup_of_another_database_is_refused_unless_the_owner_confirms(tmp_path, pos_db, monkeypatch):
    from kasirbackup.core.restore.identity import OtherDatabase
    from tests.support.dbgen import make_pos_db

    sql(pos_db, "PRAGMA application_id = 1262834515")
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    other = tmp_path / "koperasi.db"
    make_pos_db(str(other), 150_000, seed=7)
    sql(other, "PRAGMA application_id = 7")
    before = rows(other)
    made = _scratch_made(monkeypatch)
    with pytest.raises(OtherDatabase) as err:
        prepare_restore(repo, snap, other)
    msg = err.value.message()
    assert msg.startswith(f"Backup {snap.short_id} was taken from a different database than {other}: it belongs "
                          "to another application (application id 0x4b455353 in the backup, 0x7 here); the oldest "
                          "rows of pelanggan, produk, transaksi, transaksi_detail are different (another shop's data?).")
    assert made and not made[-1].exists() and rows(other) == before
    with prepare_restore(repo, snap, other, force_other_database=True) as plan:
        assert not plan.identity.same
        execute_restore(repo, plan)
    assert rows(other) == rows(pos_db)


def test_a_backup_whose_check_failed_or_whose_packs_are_damaged_is_not_restored(shop, monkeypatch):
    import dataclasses

    from kasirbackup.core.errors import VerificationFailed

    repo, snap, db = shop
    before = rows(db)
    failed = dataclasses.replace(snap.verification, ok=False, detail="3 damaged pages")
    with monkeypatch.context() as m:
        m.setattr(snap, "verification", failed)
        with pytest.raises(VerificationFailed) as err:
            prepare_restore(repo, snap, db)
    assert err.value.message().startswith(f"Backup {snap.short_id} failed verification: 3 damaged pages.")
    for p in Path(repo.location, "data").glob("*/*"):
        data = bytearray(p.read_bytes())
        for i in range(len(data) // 2, len(data) // 2 + 64):
            data[i] ^= 0x5A
        p.write_bytes(bytes(data))
    with pytest.raises(VerificationFailed) as err:
        prepare_restore(repo, snap, db)
    msg = err.value.message()
    assert msg.startswith(f"Backup {snap.short_id} failed verification: ") and "\n" not in msg
    assert "cannot be read" in msg or "does not match" in msg
    assert rows(db) == before


def test_the_hot_journal_note_and_the_default_sample_in_words(shop):
    repo, snap, db = shop
    sql(db, "DELETE FROM transaksi_detail WHERE transaksi_id <= 12", "DELETE FROM transaksi WHERE id <= 12")
    proc = subprocess.run([sys.executable, "-c", HALF_SALE, str(db)])
    assert proc.returncode == -signal.SIGKILL
    with prepare_restore(repo, snap, db) as plan:
        assert plan.notes[0] == ("an unfinished change left by a program that stopped abruptly was rolled back "
                                 "first (SQLite's hot journal), as SQLite always does")
        [sales] = [t for t in plan.mode_preview.tables if t.name == "transaksi"]
        assert sales.counts["back"] == 12 and len(sales.rows["back"]) == 5


def test_a_database_in_use_names_the_file_in_the_advice(shop):
    from kasirbackup.core.restore.live import DatabaseInUse
    _, _, db = shop
    pos = sqlite3.connect(db, isolation_level=None)
    pos.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseInUse) as err:
            live.lock_exclusive(db, 0.0)
    finally:
        pos.execute("ROLLBACK")
        pos.close()
    assert err.value.message() == (f"The database {db} is in use by another program. Close the POS application "
                                   "(and any other program using kasir.db) and try again, or wait for it with "
                                   "--wait SECONDS.")


def test_a_cancelled_preview_stops_and_leaves_no_scratch(shop, monkeypatch):
    repo, snap, db = shop
    made = _scratch_made(monkeypatch)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        prepare_restore(repo, snap, db, cancel=cancel)
    assert made and not made[-1].exists()
