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
    assert result.image.stat().st_mode & 0o777 == 0o600          # the shop's data: for its owner only
    assert result.verification.at.endswith("+00:00")
    result.image.unlink()
    result = drill(repo, snap)
    assert result.verification.ok and result.image is None
    assert list(plain.iterdir()) == []


@pytest.mark.parametrize("where", ["scratch_file", "rebuild_image", "_write_all"])
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


def test_what_the_drill_records(shop, tmp_path, monkeypatch):
    repo, snap = shop
    quick = drill(repo, snap)
    v = quick.verification
    assert (v.ok, v.integrity, v.at[-6:]) == (True, "quick_check", "+00:00") and v.duration_s >= 0
    assert v.detail.endswith(", SHA-256 matches, quick_check ok, 4 table counts checked")
    assert quick.facts.integrity == "ok" and quick.sha256 == snap.image_sha256
    full = drill(repo, snap, full=True).verification
    assert full.integrity == "integrity_check" and "SHA-256 matches, integrity_check ok" in full.detail
    seen = []
    real = verify.inspect_image
    monkeypatch.setattr(verify, "inspect_image", lambda image, full_integrity=False: seen.append(full_integrity)
                        or real(image, full_integrity))
    drill(repo, snap, full=True)
    drill(repo, snap)
    assert seen == [True, False]
    monkeypatch.setattr(snap, "image_sha256", "")             # never drilled: this drill records it
    assert "SHA-256 recorded, quick_check ok" in drill(repo, snap).verification.detail


def test_row_counts_that_differ_are_named_at_most_five(shop, monkeypatch):
    repo, snap = shop
    counts = dict(snap.tables)
    monkeypatch.setattr(snap, "tables", {**{t: n + 1 for t, n in counts.items()}, "aaa": 1, "zzz": 2})
    v = drill(repo, snap).verification
    assert not v.ok and v.detail.startswith("row counts differ (aaa: 1 in the manifest, no table in the image; ")
    assert v.detail.count(" in the manifest, ") == 5


def test_pages_missing_from_the_repository_are_counted_from_the_first(shop, tmp_path, monkeypatch):
    repo, snap = shop
    ids = repo.page_ids(snap, repo.scan_index(lambda b, t: t == verify.BLOB_TREE), repo.frame_cache())
    gone = set(ids[2:]) - set(ids[:2])
    first = next(i for i, pid in enumerate(ids) if pid in gone)
    calls = []
    real = repo.scan_index

    def without_some_pages(pred):
        refs = real(pred)
        calls.append(pred)
        return {k: v for k, v in refs.items() if k not in gone} if len(calls) == 2 else refs

    monkeypatch.setattr(repo, "scan_index", without_some_pages)
    v = drill(repo, snap).verification
    assert not v.ok
    assert (f"; {len(gone)} page(s) are missing from the repository: no index names them in a "
            f"pack that is there (first: page {first + 1}); ") in v.detail
    assert first >= 2


def test_a_repository_without_its_packs_cannot_list_the_pages(shop, tmp_path):
    repo, snap = shop
    for p in (tmp_path / "repo" / "data").glob("*/*"):
        p.unlink()
    v = drill(repo, snap).verification
    assert not v.ok and v.detail.startswith("the list of pages is unreadable: tree ")


def test_a_rebuild_over_a_longer_file_leaves_nothing_of_it(shop, tmp_path):
    repo, snap = shop
    out = tmp_path / "out.db"
    out.write_bytes(b"\xee" * (snap.image_bytes + 100_000))
    report = verify.rebuild_image(repo, snap, out)
    assert report.ok and out.stat().st_size == snap.image_bytes and report.sha256 == snap.image_sha256


def test_the_drill_checks_the_photos_too_and_says_what_it_read(tmp_path, pos_db):
    photos = tmp_path / "foto"
    photos.mkdir()
    import random
    rng = random.Random(5)
    photo = [b"\xff\xd8\xff" + rng.randbytes(300_000) for _ in range(3)]
    for i in range(3):
        (photos / f"{i}.jpg").write_bytes(photo[i])
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db), attachments=[str(photos)])).snapshot
    assert drill(repo, snap).verification.detail.endswith(
        ", 3 attachment files match (3 rebuilt, the others in the last checked backup)")
    roots = {a.root for a in snap.attachments}
    assert drill(repo, snap, proven_roots=roots).verification.detail.endswith(
        ", 3 attachment files match (0 rebuilt, the others in the last checked backup)")
    # a damaged photo and a wrong row count are both named
    flipped = 0
    for p in (tmp_path / "repo" / "data").glob("*/*"):
        data = bytearray(p.read_bytes())
        at = data.find(photo[2][1000:1064])
        if at >= 0:
            data[at + 10] ^= 1
            p.write_bytes(bytes(data))
            flipped += 1
    assert flipped == 1
    snap.tables["produk"] += 1
    v = drill(repo, snap).verification
    assert not v.ok and v.detail.startswith("row counts differ (produk: ") and "; attachment " in v.detail


def test_a_cancelled_drill_stops_and_leaves_no_copy(shop, tmp_path):
    from kasirbackup.core.errors import Cancelled
    from kasirbackup.core.progress import CancelToken

    repo, snap = shop
    folder = tmp_path / "scratch"
    folder.mkdir()
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        drill(repo, snap, cancel=cancel, keep_in=folder)
    assert list(folder.iterdir()) == []
