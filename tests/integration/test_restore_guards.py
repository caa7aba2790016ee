"""The checks that stand between a bad restore and the shop, each made to fire for real
(issue 18): a safety backup that does not pass its own check stops the restore before
anything changes, and a live restore whose result does not match the backup is put back."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from kasirbackup.core.repo.manifest import Verification
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore import live
from kasirbackup.core.restore.live import (RestoreCheckFailed, SafetySnapshotFailed, execute_restore,
                                          prepare_restore)
from kasirbackup.core.snapshot.backup import BackupRequest, backup


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
        with pytest.raises(SafetySnapshotFailed, match="3 damaged pages"):
            execute_restore(repo, plan)
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
