"""The checks that stand between a bad restore and the shop, each made to fire for real
(issue 18): a safety backup that does not pass its own check stops the restore before
anything changes; a live restore that SQLite finds damaged, or whose result does not match
the backup, is put back; the restore drill's quick_check names a damaged image, whether the
damage came with the source or is in a stored backup."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from pathlib import Path

import pytest

from kasirbackup.core.repo.manifest import Verification
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore import live
from kasirbackup.core.restore.live import (RestoreCheckFailed, SafetySnapshotFailed, execute_restore,
                                          prepare_restore)
from kasirbackup.core.snapshot import verify
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.snapshot.verify import drill
from kasirbackup.core.restore.to_file import restore_to_new_file
from kasirbackup.core.sqlitefile import one_line
from tests.support.checks import assert_one_line_error
from tests.support.corrupt import quick_check, swap_table_leaves


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def dump(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def shop(tmp_path, pos_db):
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    conn = sqlite3.connect(pos_db)
    conn.execute("DELETE FROM transaksi_detail WHERE transaksi_id > 900")
    conn.execute("DELETE FROM transaksi WHERE id > 900")
    conn.commit()
    conn.close()
    return repo, snap, pos_db


def test_a_safety_backup_that_fails_its_check_stops_the_restore(shop, monkeypatch):
    repo, snap, db = shop
    before = dump(db)
    real = live.backup

    def unverified(*args, **kwargs):
        result = real(*args, **kwargs)
        result.snapshot.verification = Verification(ok=False, detail="the drill found 3 damaged pages")
        return result

    monkeypatch.setattr(live, "backup", unverified)
    with prepare_restore(repo, snap, db) as plan:
        with pytest.raises(SafetySnapshotFailed, match="3 damaged pages") as err:
            execute_restore(repo, plan)
    assert err.value.message().startswith(f"Could not take the safety backup of {db} before restoring: ")
    assert dump(db) == before                   # nothing was restored


def test_a_live_restore_that_does_not_match_the_backup_is_put_back(shop):
    """The backup's manifest says one row more than its image holds (as a wrong image would):
    the check after the restore sees it, and the database is put back as it was."""
    repo, snap, db = shop
    before = dump(db)
    with prepare_restore(repo, snap, db) as plan:
        plan.snapshot.tables["produk"] += 1
        with pytest.raises(RestoreCheckFailed, match="row counts differ"):
            execute_restore(repo, plan)
    assert dump(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_a_live_restore_that_sqlite_finds_damaged_is_put_back(shop):
    """The restored image is damaged after it was checked (two leaf pages swapped in the
    scratch copy: same row count, every page readable): only quick_check on the live
    database can see it, and the database must be put back as it was."""
    repo, snap, db = shop
    before = dump(db)
    with prepare_restore(repo, snap, db) as plan:
        swap_table_leaves(plan.image, "transaksi")
        reports = quick_check(plan.image)[:10]
        with pytest.raises(RestoreCheckFailed, match="SQLite reports.*out of order") as err:
            execute_restore(repo, plan)
    assert one_line("(SQLite reports: " + "; ".join(reports) + ")") in err.value.message()
    assert "\n" not in err.value.message()
    assert err.value.message().startswith("The restored database did not pass its check (SQLite reports: ")
    assert dump(db) == before
    assert quick_check(db) == ["ok"]


def test_backup_of_a_source_damaged_inside_is_refused_by_the_drill(kb, pos_db, tmp_path):
    """Every page readable and the row count right, yet the b-tree is out of order: the
    capture cannot see it, the drill's quick_check must, and no backup is recorded."""
    repo = tmp_path / "repo"
    assert kb.json("backup", "--db", pos_db, "--repo", repo)["verified"]
    swap_table_leaves(pos_db, "transaksi")
    proc = kb.run("backup", "--db", pos_db, "--repo", repo)
    line = assert_one_line_error(proc, "kasir.db", "damaged")
    assert "out of order" in line
    assert len(kb.json("list", "--repo", repo)) == 1


@pytest.fixture
def damaged_backup(tmp_path, pos_db, monkeypatch):
    """A stored backup whose image SQLite finds damaged while every page matches its
    checksum: made with a drill that did not run quick_check (as an older version or a
    SQLite that missed it would), then checked again by the real one."""
    repo = Repository.open(tmp_path / "repo", create=True)
    swap_table_leaves(pos_db, "transaksi")
    real = verify.inspect_image

    def blind(image, full_integrity=False):
        facts = real(image, full_integrity)
        return dataclasses.replace(facts, integrity="ok")

    with monkeypatch.context() as m:
        m.setattr(verify, "inspect_image", blind)
        snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    assert snap.verified
    return repo, snap


def test_the_drill_names_a_stored_image_that_sqlite_finds_damaged(damaged_backup, kb, tmp_path):
    repo, snap = damaged_backup
    result = drill(repo, snap)
    assert result.verification.ok is False
    assert "out of order" in result.verification.detail
    assert result.verification.detail.startswith("the database was already damaged when it was copied")
    assert result.source_damaged
    # the command line says so and exits non-zero
    proc = kb.run("verify", "--repo", repo.location, "--snapshot", snap.id)
    assert proc.returncode != 0 and "out of order" in proc.stdout + proc.stderr
    # once verify has recorded the failure, a restore refuses it
    repo = Repository.open(repo.location)
    assert repo.find(snap.id).verification.ok is False
    with pytest.raises(Exception, match="out of order"):
        restore_to_new_file(repo, repo.find(snap.id), tmp_path / "kembali.db")
    assert not (tmp_path / "kembali.db").exists()


def test_the_drill_of_a_stored_backup_compares_every_row_count(shop):
    """The drill of a stored backup (verify, before a restore) checks SHA-256, quick_check
    and the row count of every table against the manifest; a count that differs is named
    with both numbers, and only that table."""
    repo, snap, _ = shop
    stored = Repository.open(repo.location).find(snap.id)
    good = drill(repo, stored)
    n_tables = len(stored.tables)
    assert good.verification.ok is True and good.sha256 == stored.image_sha256
    assert good.verification.detail == (f"{stored.database.page_count} pages match their checksums, SHA-256 matches, "
                                        f"quick_check ok, {n_tables} table counts checked")
    assert good.facts.tables == stored.tables and good.image is None
    n = stored.tables["produk"]
    stored.tables["produk"] = n + 1
    bad = drill(repo, stored)
    assert bad.verification.ok is False
    assert bad.verification.detail == f"row counts differ (produk: {n + 1} in the manifest, {n} in the image)"
    assert not bad.source_damaged                       # the image itself is fine
