"""The shop's photos restored in place with the database, through the engine's API in
process (the command-line tests in test_attachments.py do the same from outside; these are
seen by the mutation run, docs/TESTING.md): what comes back, changes and goes, what a merge
keeps, the safety backup that holds the folder as it was, the database and backup folder
never touched when the whole shop folder is attached, and files that cannot be put back."""

from __future__ import annotations

import os

import pytest

from kasirbackup.core.repo.manifest import Kind
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.live import execute_restore, prepare_restore
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from tests.support.checks import run_sql as sql
from tests.support.checks import table_rows as rows
from tests.support.privileges import need_binding_permissions


@pytest.fixture
def shop_with_photos(tmp_path, pos_db):
    """The database and its folder of photos (the shop keeps both in one folder, with the
    backup folder inside it too); a backup; then a.jpg deleted, b.jpg changed, c.jpg added."""
    photos = pos_db.parent / "foto"
    photos.mkdir()
    (photos / "a.jpg").write_bytes(b"\xff\xd8a" * 1000)
    (photos / "b.jpg").write_bytes(b"\xff\xd8b" * 1000)
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(pos_db), attachments=[str(photos)])).snapshot
    (photos / "a.jpg").unlink()
    (photos / "b.jpg").write_bytes(b"\xff\xd8B" * 999)
    (photos / "c.jpg").write_bytes(b"\xff\xd8c" * 10)
    sql(pos_db, "INSERT INTO pelanggan (nama) VALUES ('Pelanggan Baru')")
    return repo, snap, pos_db, photos


def test_a_whole_restore_puts_the_photos_back_and_the_safety_backup_keeps_them_as_they_were(
        shop_with_photos, tmp_path):
    repo, snap, db, photos = shop_with_photos
    with prepare_restore(repo, snap, db) as plan:
        [changes] = plan.files
        assert (changes.come_back, changes.change, changes.go) == (["a.jpg"], ["b.jpg"], ["c.jpg"])
        assert [a.folder for a in plan.file_sets] == [str(photos)]
        result = execute_restore(repo, plan)
    assert sorted(p.name for p in photos.iterdir()) == ["a.jpg", "b.jpg"]
    assert (photos / "b.jpg").read_bytes() == b"\xff\xd8b" * 1000
    [(c, report)] = result.files
    assert report.files == 2 and report.problems == []
    # the JSON the command line prints, whole
    js = result.to_json()
    assert set(js) == {"snapshot", "path", "mode", "whole_database", "tables", "safety_snapshot",
                       "duration_s", "notes", "attachments"}
    assert (js["snapshot"], js["path"], js["mode"], js["tables"], js["notes"]) == (snap.id, str(db), "replace", [], [])
    assert js["duration_s"] == round(result.duration_s, 3) and isinstance(js["duration_s"], float)
    assert js["attachments"] == [{**c.to_json(), "written": 2, "links": 0, "not_restored": []}]
    assert js["attachments"][0]["come_back"] == 1 and js["attachments"][0]["go"] == 1
    # the safety backup holds the folder as it was: undo brings c.jpg and the changed b.jpg back
    safety = Repository.open(repo.location).find(result.safety.id)
    assert safety.kind == Kind.BEFORE_RESTORE
    assert [a.folder for a in safety.attachments] == [str(photos)] and safety.attachments[0].files == 2
    with prepare_restore(repo, safety, db) as undo:
        execute_restore(repo, undo)
    assert sorted(p.name for p in photos.iterdir()) == ["b.jpg", "c.jpg"]
    assert (photos / "b.jpg").read_bytes() == b"\xff\xd8B" * 999


def test_a_merge_only_brings_photos_back(shop_with_photos):
    repo, snap, db, photos = shop_with_photos
    with prepare_restore(repo, snap, db, mode="merge") as plan:
        assert plan.files[0].merge and plan.files[0].go == []
        execute_restore(repo, plan)
    assert sorted(p.name for p in photos.iterdir()) == ["a.jpg", "b.jpg", "c.jpg"]
    assert (photos / "b.jpg").read_bytes() == b"\xff\xd8B" * 999        # changed since: kept


def test_attaching_the_database_folder_never_touches_the_database_or_the_backups(tmp_path, pos_db):
    shop = pos_db.parent                     # kasir.db, its backup folder and a photo, in one folder
    (shop / "logo.png").write_bytes(b"\x89PNG" * 100)
    repo = Repository.open(shop / "backup", create=True)
    snap = backup(repo, BackupRequest(str(pos_db), attachments=[str(shop)])).snapshot
    (shop / "logo.png").unlink()
    sql(pos_db, "INSERT INTO pelanggan (nama) VALUES ('sesudah')")
    with prepare_restore(repo, snap, pos_db) as plan:
        [changes] = plan.files
        assert changes.come_back == ["logo.png"] and changes.go == []
        execute_restore(repo, plan)
    assert (shop / "logo.png").read_bytes() == b"\x89PNG" * 100
    assert len(Repository.open(repo.location).snapshots()) == 2           # the backup folder is whole
    assert "sesudah" not in str(rows(pos_db)["pelanggan"])                # the database restored, not removed


def test_tables_or_no_attachments_leave_the_photos_alone(shop_with_photos):
    repo, snap, db, photos = shop_with_photos
    with prepare_restore(repo, snap, db, table_names=["produk"]) as plan:
        assert plan.files == [] and plan.file_sets == []
    with prepare_restore(repo, snap, db, attachments=False) as plan:
        assert plan.files == []
        result = execute_restore(repo, plan)
    assert result.files == [] and result.to_json()["attachments"] == []
    assert sorted(p.name for p in photos.iterdir()) == ["b.jpg", "c.jpg"]




def test_photos_that_cannot_be_put_back_are_named_and_the_rest_is_restored(shop_with_photos):
    need_binding_permissions()
    repo, snap, db, photos = shop_with_photos
    sub = photos / "nota"
    sub.mkdir()
    (sub / "keep.txt").write_text("x")
    # the backup knew nota/ empty of these; now: a file must come back into a folder we cannot write
    snap2 = backup(repo, BackupRequest(str(db), attachments=[str(photos)])).snapshot
    for name in ("n1.jpg", "n2.jpg"):
        (sub / name).write_bytes(b"\xff\xd8" + name.encode())
    (photos / "c.jpg").unlink()
    os.chmod(sub, 0o555)
    try:
        with prepare_restore(repo, snap2, db) as plan:
            assert sorted(plan.files[0].go) == ["nota/n1.jpg", "nota/n2.jpg"]
            result = execute_restore(repo, plan)
    finally:
        os.chmod(sub, 0o755)
    assert (photos / "c.jpg").exists()                                       # the rest came back
    [note] = result.notes
    assert note.startswith(f"2 attachment files in {photos} could not be restored (the safety backup "
                           f"{result.safety.short_id} holds the folder as it was): ")
    assert note.count("nota/n") == 2 and "; " in note
