"""Restoring to a new file refuses a target it must not write, before any work and in words
that name it (the command-line tests check the same from outside; these are seen by the
mutation run): a folder, a file or a link already there (even a link to nothing), a folder
that does not exist, and a backup whose check failed."""

from __future__ import annotations

import dataclasses
import os

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
