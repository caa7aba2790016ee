"""The check of a continuous snapshot (core/snapshot/readback.py) on real repositories,
plain and encrypted: what it added read back, the rest proven; anything it cannot prove
gets the whole drill; a snapshot it checked is drilled before it is restored."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from kasirbackup.core.repo import crypto
from kasirbackup.core.repo.manifest import DRILL, READBACK, Kind
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.live import execute_restore, prepare_restore
from kasirbackup.core.restore.to_file import restore_to_new_file
from kasirbackup.core.snapshot import readback as readback_mod
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from tests.support.dbgen import simulate_day_of_sales

PW = "uji-sandi-rahasia 42"


def sell(db: Path, n: int, seed: int) -> None:
    simulate_day_of_sales(str(db), n, seed=seed)


def sales(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, total FROM transaksi ORDER BY id").fetchall()
    finally:
        conn.close()


def books_balance(db: Path) -> None:
    """Application-level consistency: every sale's lines add up to its subtotal, and its total is
    the subtotal less the discount."""
    conn = sqlite3.connect(db)
    try:
        bad = conn.execute("SELECT t.id FROM transaksi t JOIN transaksi_detail d ON d.transaksi_id = t.id "
                           "GROUP BY t.id HAVING sum(d.subtotal) != t.subtotal "
                           "OR t.total != t.subtotal - t.diskon").fetchall()
    finally:
        conn.close()
    assert bad == []


@pytest.fixture(params=["plain", "encrypted"])
def shop(request, tmp_path, pos_db, monkeypatch):
    monkeypatch.setattr(crypto, "KDF_DEFAULT", {"name": "argon2id", "memory_kib": 8, "iterations": 1, "lanes": 1})
    repo_dir = tmp_path / "repo"
    enc = request.param == "encrypted"
    repo = Repository.init(repo_dir, encrypt_with=PW) if enc else Repository.open(repo_dir, create=True)
    first = backup(repo, BackupRequest(str(pos_db), kind=Kind.CONTINUOUS, check=READBACK)).snapshot
    reopen = lambda: Repository.open(repo_dir, passphrase=(lambda cfg, loc: PW) if enc else None)  # noqa: E731
    return reopen, first, pos_db


def continuous(repo: Repository, db: Path):
    return backup(repo, BackupRequest(str(db), kind=Kind.CONTINUOUS, check=READBACK)).snapshot


def test_first_snapshot_is_drilled_then_each_change_is_read_back(shop, tmp_path):
    reopen, first, db = shop
    # nothing checked before it: the readback cannot prove it complete, so the drill runs
    assert first.verified and first.verification.method == DRILL and first.drilled
    sell(db, 3, seed=11)
    snap = continuous(reopen(), db)
    assert snap.verified and snap.verification.method == READBACK and not snap.drilled
    assert snap.kind == Kind.CONTINUOUS and snap.image_sha256 == "" and snap.tables == {}
    assert "new blobs" in snap.verification.detail and "in checked data" in snap.verification.detail
    assert snap.summary_json()["check"] == READBACK
    stored = reopen().find(snap.id)
    assert stored.verification.method == READBACK
    # restoring it rebuilds and checks it whole first: the file is the database as it was
    out = restore_to_new_file(reopen(), stored, tmp_path / "back.db")
    assert sales(out.path) == sales(db)
    assert hashlib.sha256(out.path.read_bytes()).hexdigest() == out.sha256
    books_balance(out.path)


def test_a_new_frame_that_does_not_read_back_fails_the_snapshot(shop, monkeypatch):
    reopen, first, db = shop
    sell(db, 2, seed=12)
    repo = reopen()
    real_load = repo.storage.load
    flipped = []
    old_packs = set(repo.storage.list("data"))

    def damaged(kind, name, offset=0, length=None):
        data = real_load(kind, name, offset, length)
        if kind == "data" and name not in old_packs and length is not None and not flipped:
            flipped.append(name)
            data = data[:-1] + bytes([data[-1] ^ 0x40])   # the disk gave back one wrong bit
        return data
    monkeypatch.setattr(repo.storage, "load", damaged)
    snap = continuous(repo, db)
    assert flipped, "the readback read nothing back"
    assert snap.verification.ok is False and snap.verification.method == READBACK
    assert not snap.verified
    assert "read back" in snap.verification.detail or "checksum" in snap.verification.detail


def test_unproven_pages_get_the_whole_drill(shop, monkeypatch):
    """A page the previous checked snapshot does not hold (here: forgotten from what it
    holds) is not proven by the readback: the drill runs instead and says so."""
    reopen, first, db = shop
    sell(db, 2, seed=13)
    real = readback_mod.readback_check

    def forgetful(repo, packs, index_name, page_ids, root_hex, checked_before, *rest):
        some = next(pid for pid in page_ids if pid in checked_before)     # an unchanged page
        return real(repo, packs, index_name, page_ids, root_hex, checked_before - {some}, *rest)
    monkeypatch.setattr("kasirbackup.core.snapshot.backup.readback_check", forgetful)
    snap = continuous(reopen(), db)
    assert snap.verified and snap.verification.method == DRILL and snap.drilled and snap.tables


def test_after_an_unchecked_snapshot_the_drill_runs(shop):
    reopen, first, db = shop
    repo = reopen()
    first.verification.ok = None          # its drill was interrupted
    repo.save_snapshot(first)
    sell(db, 1, seed=14)
    snap = continuous(reopen(), db)
    assert snap.verification.method == DRILL and snap.drilled


def test_readback_check_alone_refuses_a_page_missing_from_checked_data(shop):
    reopen, first, db = shop
    repo = reopen()
    ids = list(repo.blob_ids_of(first))
    res = readback_mod.readback_check(repo, [], None, [ids[0]], "0" * 64, set(ids))
    assert res.verification is not None and res.verification.ok is False      # wrong root
    seg = repo.config.segment_pages
    page_ids = repo.page_ids(first)
    segments = [repo.codec.blob_id(b"".join(page_ids[i:i + seg])) for i in range(0, len(page_ids), seg)]
    root = repo.codec.blob_id(b"".join(segments)).hex()
    assert root == first.root
    ok = readback_mod.readback_check(repo, [], None, page_ids, root, set(ids))
    assert ok.verification is not None and ok.verification.ok
    missing = readback_mod.readback_check(repo, [], None, page_ids, root, set(ids) - {page_ids[-1]})
    assert missing.verification is None and "1 blobs" in missing.reason


def test_live_restore_of_a_read_back_snapshot_drills_it_first(shop):
    reopen, first, db = shop
    sell(db, 4, seed=15)
    snap = continuous(reopen(), db)
    assert snap.verification.method == READBACK
    wanted = sales(db)
    sell(db, 5, seed=16)                     # sales after the snapshot: the restore takes them away
    assert sales(db) != wanted
    repo = reopen()
    plan = prepare_restore(repo, repo.find(snap.id), db, "replace")
    with plan:
        assert plan.identity.same, plan.identity.differences    # identity needs the drill's facts
        assert plan.snapshot.drilled and plan.snapshot.tables["transaksi"] == len(wanted)
        execute_restore(repo, plan)
    assert sales(db) == wanted
    books_balance(db)


def test_attachments_are_read_back_with_the_pages(shop, tmp_path):
    """A continuous snapshot of a database with a photo folder, plain and encrypted: the new
    photo's chunk and list are read back, the unchanged ones proven by the previous check,
    and every file restores."""
    import os

    reopen, first, db = shop
    up = tmp_path / "uploads"
    up.mkdir()
    for i in range(40):
        (up / f"p{i}.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(3000))
    repo = reopen()
    base = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    assert base.verified and base.verification.method == DRILL and base.attachments[0].files == 40
    (up / "new.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(5000))
    sell(db, 2, seed=5)
    snap = backup(reopen(), BackupRequest(str(db), kind=Kind.CONTINUOUS, check=READBACK,
                                          attachments=[str(up)])).snapshot
    assert snap.verified and snap.verification.method == READBACK and snap.attachments[0].files == 41
    from kasirbackup.core.attachments.restore import restore_attachments
    [done] = restore_attachments(reopen(), snap, tmp_path / "out")
    assert done.report.files == 41 and not done.report.problems
    assert (tmp_path / "out" / "uploads" / "new.jpg").read_bytes() == (up / "new.jpg").read_bytes()
    # a drill of it rebuilds every file (verify: nothing proven in advance)
    from kasirbackup.core.snapshot.verify import drill
    result = drill(reopen(), snap)
    assert result.verification.ok and "41 attachment files match (41 rebuilt" in result.verification.detail
