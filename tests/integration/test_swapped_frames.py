"""Two stored frames of the same length swapped inside one pack file (issue 18, survivor 1).

Every frame is still a valid compressed (or sealed) frame; on an unencrypted repository
each one even decompresses to the right length, so the pages simply come back in the
wrong places. A restore of a verified snapshot skips re-hashing every page (for speed):
on that path the SHA-256 of the whole rebuilt image is the only check, and it must stop
the restore — to a new file and into the live database — on both kinds of repository."""

from __future__ import annotations

import re
import sqlite3

import pytest

from kasirbackup.core.errors import KasirBackupError, VerificationFailed
from kasirbackup.core.repo import crypto
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.live import execute_restore, prepare_restore
from kasirbackup.core.restore.to_file import restore_to_new_file
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.snapshot.verify import drill
from tests.support.checks import sha256_file as sha
from tests.support.corrupt import swap_equal_frames
from tests.support.dbgen import make_photo_db

PW = "uji-sandi-rahasia 42"


@pytest.fixture(params=["plain", "encrypted"])
def stored(request, tmp_path, monkeypatch):
    """A verified snapshot of photo_db, then two same-length frames of different content
    swapped in its pack. Returns (repository opener, snapshot, database)."""
    monkeypatch.setattr(crypto, "KDF_DEFAULT", {"name": "argon2id", "memory_kib": 8, "iterations": 1, "lanes": 1})
    db = tmp_path / "foto.db"
    make_photo_db(db, 260, seed=7)
    repo_dir = tmp_path / "repo"
    encrypted = request.param == "encrypted"
    repo = Repository.init(repo_dir, encrypt_with=PW) if encrypted else Repository.open(repo_dir, create=True)
    snap = backup(repo, BackupRequest(db_path=str(db))).snapshot
    assert snap.verified and snap.image_sha256

    (pack,) = [p for p in (repo_dir / "data").glob("*/*") if p.is_file()]
    swap_equal_frames(pack, repo.codec)

    def reopen() -> Repository:
        return Repository.open(repo_dir, passphrase=(lambda cfg, loc: PW) if encrypted else None)

    return reopen, snap, db


def test_restore_to_a_new_file_refuses(stored, tmp_path):
    reopen, snap, _ = stored
    repo = reopen()
    target = tmp_path / "kembali.db"
    with pytest.raises(VerificationFailed) as err:
        restore_to_new_file(repo, repo.find(snap.id), target)
    assert snap.short_id in err.value.message()
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kembali.db")]


def test_restore_into_the_live_database_refuses_and_changes_nothing(stored):
    reopen, snap, db = stored
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM foto WHERE id > 200")
    conn.commit()
    conn.close()
    before = sha(db)
    repo = reopen()
    with pytest.raises(KasirBackupError) as err:
        with prepare_restore(repo, repo.find(snap.id), db) as plan:
            execute_restore(repo, plan)
    assert snap.short_id in err.value.message() or "damaged" in err.value.message()
    assert sha(db) == before


def test_the_drill_names_the_damage(stored):
    reopen, snap, _ = stored
    repo = reopen()
    result = drill(repo, repo.find(snap.id))
    assert result.verification.ok is False
    # one counted line for the pages of both frames, naming the pack and the first page
    m = re.match(r"(\d+) of (\d+) pages are damaged or missing; (\d+) pages in pack [0-9a-f]{12} "
                 r"(do not match their checksums|cannot be read \(.*\)) \(first: page \d+\); "
                 r"the rebuilt database has SHA-256", result.verification.detail)
    assert m, result.verification.detail
    assert m.group(1) == m.group(3) and int(m.group(1)) >= 2 and int(m.group(2)) == snap.database.page_count
