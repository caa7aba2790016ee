"""What prune keeps: every blob a kept backup references — its root, its segment trees, its
pages, its photos' file lists and chunks — is marked, so a repack can never drop one
(found by the mutation run: dropping the root or a segment from the marks failed no test,
because no test repacked the pack that held them)."""

from __future__ import annotations

import random

import pytest

from kasirbackup.core.errors import RepoDamaged
from kasirbackup.core.progress import CancelToken, no_progress
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.retention import prune
from kasirbackup.core.snapshot.backup import BackupRequest, backup


def test_every_blob_of_a_kept_backup_is_marked(tmp_path, pos_db):
    photos = tmp_path / "foto"
    photos.mkdir()
    rng = random.Random(3)
    for i in range(3):
        (photos / f"{i}.jpg").write_bytes(b"\xff\xd8\xff" + rng.randbytes(20_000))
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db), attachments=[str(photos)])).snapshot
    everything = set(repo.scan_index(lambda b, t: True))
    marked = prune._mark(repo, [snap], no_progress, CancelToken())
    assert marked == everything                 # one backup, no garbage: all of it is its own
    assert bytes.fromhex(snap.root) in marked
    assert prune._mark(repo, [], no_progress, CancelToken()) == set()


def test_marking_a_damaged_repository_refuses_before_anything_is_deleted(tmp_path, pos_db, monkeypatch):
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    monkeypatch.setattr(repo, "problems", ["index file 0a1b2c3d4e5f is damaged", "pack 9f8e is missing"])
    monkeypatch.setattr(repo, "scan_index", lambda pred: {})
    with pytest.raises(RepoDamaged) as err:
        prune._mark(repo, [snap], no_progress, CancelToken())
    assert err.value.message().startswith("The backup repository is damaged: index file 0a1b2c3d4e5f is damaged; "
                                          "pack 9f8e is missing; nothing was deleted.")


def test_an_encrypted_repository_is_repacked_and_the_kept_backup_restores(tmp_path, pos_db):
    """A repack opens each frame it keeps part of; in an encrypted repository that frame only
    opens with its own associated data (its first blob's id)."""
    import sqlite3

    from kasirbackup.core.restore.to_file import restore_to_new_file
    from kasirbackup.core.retention.policy import Policy
    from tests.support.checks import table_rows

    repo = Repository.init(str(tmp_path / "repo"), encrypt_with="kunci toko yang panjang sekali")
    backup(repo, BackupRequest(str(pos_db)))
    conn = sqlite3.connect(pos_db)
    conn.execute("UPDATE transaksi SET kasir = 'kasir-' || id")
    conn.execute("UPDATE transaksi_detail SET qty = qty + 1, subtotal = harga * (qty + 1)")
    conn.commit()
    conn.close()
    kept = backup(repo, BackupRequest(str(pos_db))).snapshot
    packs_before = [p.stat().st_size for p in (tmp_path / "repo" / "data").glob("*/*")]
    result = prune.prune(repo, Policy(keep_last=1))
    assert [s.id for s in result.removed] != [] and result.gc.packs_written >= 1
    assert result.gc.packs_before == len(packs_before)
    assert result.gc.bytes_before == sum(packs_before)
    out = tmp_path / "back.db"
    restore_to_new_file(Repository.open(repo.location, passphrase=lambda *a: "kunci toko yang panjang sekali"), kept, out)
    assert table_rows(out) == table_rows(pos_db)
