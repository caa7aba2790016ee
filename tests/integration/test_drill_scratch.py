"""Where the drill writes its scratch copy, in process: in the scratch folder (removed after)
or, for the plain copy, in the folder asked for (kept when the check passed); and a scratch
folder that is full or cannot be written is named with the reason, the backups unchanged."""

from __future__ import annotations

import pytest

from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.snapshot import verify
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.snapshot.verify import ScratchSpace, drill


@pytest.fixture
def shop(tmp_path, pos_db):
    repo = Repository.open(tmp_path / "repo", create=True)
    return repo, backup(repo, BackupRequest(str(pos_db))).snapshot


def test_the_drill_keeps_its_copy_only_where_asked_and_only_when_it_passed(shop, tmp_path):
    repo, snap = shop
    plain = tmp_path / "latest"
    plain.mkdir()
    result = drill(repo, snap, keep_in=plain)
    assert result.verification.ok and result.image is not None and result.image.parent == plain
    assert result.image.read_bytes()[:16] == b"SQLite format 3\x00" and result.sha256 == snap.image_sha256
    assert result.verification.at.endswith("+00:00")
    result.image.unlink()
    result = drill(repo, snap)
    assert result.verification.ok and result.image is None
    assert list(plain.iterdir()) == []


@pytest.mark.parametrize("where", ["scratch_file", "rebuild_image"])
def test_a_full_scratch_folder_is_named_with_the_reason(shop, tmp_path, monkeypatch, where):
    repo, snap = shop
    folder = tmp_path / "scratch"
    folder.mkdir()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(verify, where, full)
    with pytest.raises(ScratchSpace) as err:
        drill(repo, snap, keep_in=folder)
    assert err.value.message().startswith(
        f"Could not write the scratch copy used to check the backup in {folder}: No space left on device.")
    assert list(folder.iterdir()) == []
