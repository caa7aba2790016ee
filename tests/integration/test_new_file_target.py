"""Restoring to a new file refuses a target it must not write, before any work and in words
that name it (the command-line tests check the same from outside; these are seen by the
mutation run): a folder, a file or a link already there (even a link to nothing), a folder
that does not exist, and a backup whose check failed."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from kasirbackup.core.errors import TargetExists, TargetFolderMissing, TargetIsDirectory, VerificationFailed
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.to_file import check_new_target, restore_to_new_file
from kasirbackup.core.snapshot.backup import BackupRequest, backup


def test_each_target_that_must_not_be_written_is_refused_by_name(tmp_path):
    (tmp_path / "ada.db").write_bytes(b"x")
    os.symlink(tmp_path / "nowhere.db", tmp_path / "link-to-nothing.db")
    cases = [
        (tmp_path, TargetIsDirectory, f"{tmp_path} is a folder."),
        (tmp_path / "ada.db", TargetExists, f"{tmp_path / 'ada.db'} already exists."),
        (tmp_path / "link-to-nothing.db", TargetExists, f"{tmp_path / 'link-to-nothing.db'} already exists."),
        (tmp_path / "no-folder" / "kasir.db", TargetFolderMissing, f"The folder {tmp_path / 'no-folder'} does not exist."),
    ]
    for target, kind, words in cases:
        with pytest.raises(kind) as err:
            check_new_target(target)
        assert err.value.message().startswith(words), target
    assert check_new_target(tmp_path / "baru.db") == tmp_path / "baru.db"
    assert not (tmp_path / "nowhere.db").exists()


def test_a_backup_whose_check_failed_is_not_restored(tmp_path, pos_db, monkeypatch):
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db))).snapshot
    monkeypatch.setattr(snap, "verification", dataclasses.replace(snap.verification, ok=False,
                                                                   detail="3 damaged pages"))
    with pytest.raises(VerificationFailed) as err:
        restore_to_new_file(repo, snap, tmp_path / "baru.db")
    assert err.value.message().startswith(f"Backup {snap.short_id} failed verification: 3 damaged pages.")
    assert not (tmp_path / "baru.db").exists()


def _shop(tmp_path, pos_db):
    repo = Repository.open(tmp_path / "repo", create=True)
    return repo, backup(repo, BackupRequest(str(pos_db))).snapshot


def test_the_new_file_is_the_backup_with_the_usual_permissions(tmp_path, pos_db, monkeypatch):
    from kasirbackup.core.restore import to_file
    repo, snap = _shop(tmp_path, pos_db)
    calls = []
    real = to_file.rebuild_image
    monkeypatch.setattr(to_file, "rebuild_image", lambda *a, **k: calls.append(k) or real(*a, **k))
    old = os.umask(0o022)
    try:
        result = restore_to_new_file(repo, snap, tmp_path / "baru.db")
    finally:
        os.umask(old)
    out = tmp_path / "baru.db"
    assert (result.snapshot, result.path, result.bytes) == (snap, out, out.stat().st_size)
    assert result.bytes == snap.image_bytes and result.sha256 == snap.image_sha256
    assert out.stat().st_mode & 0o777 == 0o644          # as any new file: 0o666 less the umask
    # a drilled backup is proven by its whole-image SHA-256; each page is not hashed again
    assert calls == [{"stop_at_first": True, "check_pages": False}]
    assert [p.name for p in tmp_path.iterdir() if "kasirbackup-tmp" in p.name] == []


def test_a_never_drilled_backup_is_rebuilt_with_every_page_checked_and_checked_by_sqlite(tmp_path, pos_db,
                                                                                         monkeypatch):
    from kasirbackup.core.restore import to_file
    from kasirbackup.core.snapshot import verify
    from tests.support.corrupt import swap_table_leaves

    repo, good = _shop(tmp_path, pos_db)
    monkeypatch.setattr(good, "verification", dataclasses.replace(good.verification, method="readback"))
    calls = []
    real = to_file.rebuild_image
    monkeypatch.setattr(to_file, "rebuild_image", lambda *a, **k: calls.append(k) or real(*a, **k))
    restore_to_new_file(repo, good, tmp_path / "ok.db")
    assert calls == [{"stop_at_first": True, "check_pages": True}]
    # an image SQLite finds damaged, stored with every page matching its checksum
    swap_table_leaves(pos_db, "transaksi")
    real_inspect = verify.inspect_image
    with monkeypatch.context() as m:
        m.setattr(verify, "inspect_image", lambda image, full_integrity=False: dataclasses.replace(
            real_inspect(image, full_integrity), integrity="ok"))
        bad = backup(repo, BackupRequest(str(pos_db))).snapshot
    monkeypatch.setattr(bad, "verification", dataclasses.replace(bad.verification, method="readback"))
    with pytest.raises(VerificationFailed) as err:
        restore_to_new_file(repo, bad, tmp_path / "bad.db")
    msg = err.value.message()
    assert msg.startswith(f"Backup {bad.short_id} failed verification: ") and "out of order" in msg
    assert not (tmp_path / "bad.db").exists()


def test_a_damaged_pack_is_named_and_no_file_appears(tmp_path, pos_db):
    repo, snap = _shop(tmp_path, pos_db)
    for p in (tmp_path / "repo" / "data").glob("*/*"):
        data = bytearray(p.read_bytes())
        for i in range(len(data) // 2, len(data) // 2 + 64):
            data[i] ^= 0x5A
        p.write_bytes(bytes(data))
    with pytest.raises(VerificationFailed) as err:
        restore_to_new_file(repo, snap, tmp_path / "baru.db")
    assert re.match(rf"Backup {snap.short_id} failed verification: \d+ pages? in pack \w+ cannot be read ",
                    err.value.message())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kasir.db", "repo"]


def test_the_disk_filling_up_names_the_folder(tmp_path, pos_db, monkeypatch):
    from kasirbackup.core.errors import DiskFull
    from kasirbackup.core.restore import to_file

    repo, snap = _shop(tmp_path, pos_db)
    out = tmp_path / "out"
    out.mkdir()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    for where in ("rebuild_image", "fsync_dir"):
        with monkeypatch.context() as m:
            m.setattr(to_file, where, full)
            with pytest.raises(DiskFull) as err:
                restore_to_new_file(repo, snap, out / "baru.db")
        assert err.value.message().startswith(f"The disk holding {out} is full."), where
        assert [p.name for p in out.iterdir() if "kasirbackup-tmp" in p.name] == []


def test_without_hard_links_the_file_is_renamed_into_place_but_never_over_another(tmp_path, pos_db, monkeypatch):
    repo, snap = _shop(tmp_path, pos_db)

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")          # e.g. FAT32 on a USB stick

    monkeypatch.setattr(os, "link", no_links)
    result = restore_to_new_file(repo, snap, tmp_path / "baru.db")
    assert result.path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in tmp_path.iterdir() if "kasirbackup-tmp" in p.name] == []

    def appeared_meanwhile(src, dst):
        Path(dst).write_bytes(b"someone else's file")
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", appeared_meanwhile)
    with pytest.raises(TargetExists) as err:
        restore_to_new_file(repo, snap, tmp_path / "lain.db")
    assert err.value.message().startswith(f"{tmp_path / 'lain.db'} already exists.")
    assert (tmp_path / "lain.db").read_bytes() == b"someone else's file"

    def exists_already(src, dst):
        Path(dst).write_bytes(b"theirs")
        raise FileExistsError(17, "File exists")

    monkeypatch.setattr(os, "link", exists_already)
    with pytest.raises(TargetExists) as err:
        restore_to_new_file(repo, snap, tmp_path / "tiga.db")
    assert err.value.message().startswith(f"{tmp_path / 'tiga.db'} already exists.")
    assert (tmp_path / "tiga.db").read_bytes() == b"theirs"


def test_a_cancelled_restore_leaves_no_file(tmp_path, pos_db):
    from kasirbackup.core.errors import Cancelled
    from kasirbackup.core.progress import CancelToken

    repo, snap = _shop(tmp_path, pos_db)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        restore_to_new_file(repo, snap, tmp_path / "baru.db", cancel=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kasir.db", "repo"]
