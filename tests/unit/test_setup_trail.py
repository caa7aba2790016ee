"""Taking back a cancelled setup (kasirbackup.app.setup_trail) on real folders: exactly what
the setup made goes; a folder that existed before, a repository with another id, a file the
user added or a link inside keep everything where it is."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

from kasirbackup.app.setup_trail import SetupTrail, missing_folders, remove_new_repository
from kasirbackup.core.repo.repository import Repository


def made_by_setup(target) -> SetupTrail:
    trail = SetupTrail(datetime.now(timezone.utc), created_folders=missing_folders(target))
    trail.repo_id = Repository.init(target).config.id
    return trail


def test_missing_folders_innermost_first(tmp_path):
    assert missing_folders(tmp_path / "usb" / "kasir") == [tmp_path / "usb" / "kasir", tmp_path / "usb"]
    assert missing_folders(tmp_path) == []


def test_what_the_setup_made_goes_and_nothing_else(tmp_path):
    (tmp_path / "usb").mkdir()
    (tmp_path / "usb" / "foto.jpg").write_bytes(b"photo")
    target = tmp_path / "usb" / "kasir"
    trail = made_by_setup(target)
    (target / "tmp").mkdir(exist_ok=True)
    (target / "latest").mkdir()
    (target / "latest" / "kasir.db").write_bytes(b"the plain copy")
    assert remove_new_repository(trail, str(target)) is True
    assert not target.exists() and (tmp_path / "usb" / "foto.jpg").read_bytes() == b"photo"


def test_a_folder_that_existed_empty_stays(tmp_path):
    target = tmp_path / "kasir"
    target.mkdir()
    trail = made_by_setup(target)
    assert trail.created_folders == []
    assert remove_new_repository(trail, str(target)) is True
    assert target.is_dir() and list(target.iterdir()) == []


@pytest.mark.parametrize("case", ["stranger", "link", "other-id", "not-made"])
def test_anything_else_keeps_the_folder(tmp_path, case):
    target = tmp_path / "usb" / "kasir"
    trail = made_by_setup(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.db").write_bytes(b"data")
    if case == "stranger":
        (target / "catatan.txt").write_text("mine")
    elif case == "link":
        os.symlink(elsewhere, target / "data-link")
    elif case == "other-id":
        trail.repo_id = "0" * 32
    else:
        trail.repo_id = ""                         # the repository was there before the setup
        trail.created_folders = []
    before = sorted(p.name for p in target.iterdir())
    assert remove_new_repository(trail, str(target)) is (case == "not-made")
    assert sorted(p.name for p in target.iterdir()) == before
    assert (elsewhere / "precious.db").read_bytes() == b"data"
