"""Capturing attachment folders in process, with the awkward moments placed exactly: a file
that changes or disappears while it is read, a hostile file list (core/attachments)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from kasirbackup.core.attachments import capture as capture_mod
from kasirbackup.core.attachments.listing import read_listing
from kasirbackup.core.attachments.model import BadListing, FileEntry, safe_relative
from kasirbackup.core.attachments.rebuild import attachment_refs
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.snapshot.backup import BackupRequest, backup


@pytest.fixture
def shop(tmp_path):
    db = tmp_path / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t(a)")
    conn.commit()
    conn.close()
    up = tmp_path / "uploads"
    up.mkdir()
    for i in range(5):
        (up / f"{i}.jpg").write_bytes(b"\xff\xd8\xff" + bytes([i]) * 1000)
    return db, up, Repository.open(tmp_path / "repo", create=True)


def entries_of(repo, snap):
    [aset] = snap.attachments
    return {e.path: e for e in read_listing(repo, aset, attachment_refs(repo), repo.frame_cache())}


def test_a_file_that_changes_while_it_is_read_is_read_again(shop, monkeypatch):
    db, up, repo = shop
    real = capture_mod._read_window
    calls = {"n": 0}

    def window(fd):
        data = real(fd)
        if data and calls["n"] == 0 and os.fstat(fd).st_size == 1003:
            calls["n"] += 1        # the POS writes a new version of the photo while we read it
            (up / "2.jpg").write_bytes(b"\xff\xd8\xff" + b"new" * 500)
        return data

    monkeypatch.setattr(capture_mod, "_read_window", window)
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    e = entries_of(repo, snap)["2.jpg"]
    assert calls["n"] == 1
    assert e.size == 1503 and e.sha256 == __import__("hashlib").sha256((up / "2.jpg").read_bytes()).hexdigest()
    assert snap.verified and snap.attachments[0].problems == []


def test_a_file_that_never_stops_changing_is_kept_as_last_read_and_named(shop, monkeypatch):
    db, up, repo = shop
    real = capture_mod._read_window
    n = {"i": 0}

    def window(fd):
        data = real(fd)
        if data and data.startswith(b"\xff\xd8\xff\x03"):
            n["i"] += 1
            (up / "3.jpg").write_bytes(b"\xff\xd8\xff\x03" + b"v" * (100 + n["i"]))
        return data

    monkeypatch.setattr(capture_mod, "_read_window", window)
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    assert [(p.path, "kept changing" in p.reason) for p in snap.attachments[0].problems] == [("3.jpg", True)]
    assert snap.verified and "3.jpg" in entries_of(repo, snap)


def test_a_file_deleted_before_it_is_read_is_listed_not_fatal(shop, monkeypatch):
    db, up, repo = shop
    real = capture_mod.open_file

    def gone(found):
        if found.rel == "1.jpg":
            os.unlink(found.path)
        return real(found)

    monkeypatch.setattr(capture_mod, "open_file", gone)
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    assert snap.verified and snap.attachments[0].files == 4
    assert [(p.path, p.reason) for p in snap.attachments[0].problems] == \
        [("1.jpg", "deleted while the backup ran; not in this backup")]


def test_a_file_swapped_for_a_link_while_listed_is_not_followed(shop, monkeypatch, tmp_path):
    db, up, repo = shop
    secret = tmp_path / "secret.txt"
    secret.write_text("not the shop's")
    real = capture_mod.open_file

    def swap(found):
        if found.rel == "4.jpg":
            os.unlink(found.path)
            os.symlink(secret, found.path)
        return real(found)

    monkeypatch.setattr(capture_mod, "open_file", swap)
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    assert "4.jpg" not in entries_of(repo, snap)
    assert [p.path for p in snap.attachments[0].problems] == ["4.jpg"]
    assert "became a link" in snap.attachments[0].problems[0].reason


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "a/../../b", "a/./b", "", "a//b", "C:evil",
                                  "a\\..\\b", "nul\x00byte", ".", ".."])
def test_a_hostile_path_in_a_file_list_is_refused(path):
    assert not safe_relative(path)
    with pytest.raises(BadListing):
        FileEntry.from_json({"path": path, "type": "file", "size": 1, "sha256": "0" * 64})


@pytest.mark.parametrize("entry", [{"path": "a", "type": "device"}, {"path": "a", "type": "file", "size": -1},
                                   {"path": "a", "type": "file", "sha256": "xyz"}, {"type": "file"},
                                   {"path": "a", "type": "file", "sha256": "0" * 64, "chunks": ["0" * 63]}])
def test_a_malformed_entry_is_refused(entry):
    with pytest.raises(BadListing):
        FileEntry.from_json(entry)


def test_entries_round_trip_and_one_chunk_is_implied():
    e = FileEntry("a/b.jpg", "file", size=10, mtime_ns=5, mode=0o640, sha256="a" * 64, chunks=["a" * 64])
    d = e.to_json()
    assert "chunks" not in d
    assert FileEntry.from_json(json.loads(json.dumps(d))) == e
    empty = FileEntry("e", "file", size=0, sha256="b" * 64, chunks=[])
    assert FileEntry.from_json(empty.to_json()).chunks == []


def test_the_database_and_its_journal_are_left_out_of_a_folder_holding_them(shop):
    db, up, repo = shop
    Path(str(db) + "-journal").write_bytes(b"")
    snap = backup(repo, BackupRequest(str(db), attachments=[str(db.parent)])).snapshot
    names = set(entries_of(repo, snap))
    assert "kasir.db" not in names and "kasir.db-journal" not in names and "repo" not in names
    assert "uploads/0.jpg" in names


@pytest.mark.parametrize("dir_fd", [True, False], ids=["posix-dir-fd", "by-path"])
def test_both_ways_of_walking_and_writing_give_the_same_folder(shop, tmp_path, monkeypatch, dir_fd):
    """The descriptor-relative walk and writes (POSIX) and the by-path ones (what Windows
    uses) store and restore the same folder, and neither goes through a planted link."""
    from kasirbackup.core.attachments import inplace, walk
    from kasirbackup.core.attachments.inplace import restore_sets_in_place

    monkeypatch.setattr(walk, "DIR_FD", walk.DIR_FD and dir_fd)
    monkeypatch.setattr(inplace, "DIR_FD", walk.DIR_FD and dir_fd)
    db, up, repo = shop
    (up / "sub" / "deeper").mkdir(parents=True)
    (up / "sub" / "deeper" / "a.pdf").write_bytes(b"%PDF-" + os.urandom(300_000))
    os.symlink("0.jpg", up / "link.jpg")
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    names = set(entries_of(repo, snap))
    assert names == {"0.jpg", "1.jpg", "2.jpg", "3.jpg", "4.jpg", "link.jpg", "sub", "sub/deeper", "sub/deeper/a.pdf"}
    want = (up / "sub" / "deeper" / "a.pdf").read_bytes()
    # the folder is swapped for a link to somewhere else; a restore in place removes the link
    outside = tmp_path / "outside"
    outside.mkdir()
    import shutil
    shutil.rmtree(up / "sub")
    os.symlink(outside, up / "sub")
    (up / "0.jpg").unlink()
    [(changes, report)] = restore_sets_in_place(repo, snap.attachments, merge=False)
    assert not report.problems, report.problems
    assert not (up / "sub").is_symlink() and (up / "sub" / "deeper" / "a.pdf").read_bytes() == want
    assert list(outside.iterdir()) == []
    assert (up / "0.jpg").exists() and os.readlink(up / "link.jpg") == "0.jpg"


def test_a_list_that_cannot_be_read_leaves_the_folder_alone_and_says_so(shop, monkeypatch):
    """The database is restored already when the files follow: a damaged list is reported,
    the folder left as it is, nothing raised that would hide the restore that happened."""
    from kasirbackup.core.attachments import inplace
    from kasirbackup.core.repo.packs import FormatError

    db, up, repo = shop
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    (up / "0.jpg").unlink()
    before = sorted(p.name for p in up.iterdir())

    def damaged(*args):
        raise FormatError("file list 1234 in pack 5678 is damaged")

    monkeypatch.setattr(inplace, "read_listing", damaged)
    [(changes, report)] = inplace.restore_sets_in_place(repo, snap.attachments, merge=False)
    assert report.problems == ["the folder was left as it is: file list 1234 in pack 5678 is damaged"]
    assert sorted(p.name for p in up.iterdir()) == before


def test_names_that_are_not_text_and_folders_nested_too_deep_are_listed_not_fatal(shop):
    """A file name that is not UTF-8 (possible on Linux) cannot go into a JSON list, and a
    folder 200 levels deep would run out of descriptors: both are listed as problems, the
    rest is backed up."""
    db, up, repo = shop
    with open(os.path.join(os.fsencode(up), b"\xff\xfebad.jpg"), "wb") as fh:
        fh.write(b"x")
    (up / "baris\nbaru.jpg").write_bytes(b"y")
    deep = up
    for i in range(200):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "lost.jpg").write_bytes(b"z")
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    assert snap.verified
    reasons = {p.path: p.reason for p in snap.attachments[0].problems}
    assert reasons["\ufffd\ufffdbad.jpg"].startswith("its name is not valid text")
    assert any("nested deeper than 128 levels" in r for r in reasons.values())
    names = entries_of(repo, snap)
    assert "baris\nbaru.jpg" in names and "0.jpg" in names
    assert json.loads(snap.dumps())["attachments"][0]["problems"]      # the manifest is valid JSON text


def test_a_hostile_list_never_writes_through_its_own_links(shop, tmp_path):
    """A backup folder someone else prepared: its list has a link "x" to a folder outside and
    then a file "x/planted". Neither a restore into a new folder nor one in place writes
    through that link."""
    import hashlib

    from kasirbackup.core.attachments.inplace import restore_sets_in_place
    from kasirbackup.core.attachments.listing import store_listing
    from kasirbackup.core.attachments.rebuild import restore_files
    from kasirbackup.core.repo.manifest import AttachmentSet
    from kasirbackup.core.repo.packs import BLOB_CHUNK
    from kasirbackup.core.repo.repository import BlobSink

    db, up, repo = shop
    victim = tmp_path / "victim"
    victim.mkdir()
    data = b"planted by someone else"
    cid = hashlib.sha256(data).hexdigest()
    writer = repo.pack_writer()
    sink = BlobSink(writer, set(), repo.codec)
    sink.put_blob(bytes.fromhex(cid), BLOB_CHUNK, data)
    entries = [FileEntry("x", "link", target=str(victim)),
               FileEntry("x/planted", "file", size=len(data), sha256=cid, chunks=[cid])]
    root, _ = store_listing(entries, sink)
    repo.save_index(writer.finish())
    aset = AttachmentSet(folder=str(up), root=root, files=1, bytes=len(data))
    report = restore_files(repo, aset, tmp_path / "new")
    assert report.files == 0 and any("link" in p for p in report.problems), report
    assert list(victim.iterdir()) == []
    [(changes, report)] = restore_sets_in_place(repo, [aset], merge=False)
    assert report.files == 0 and any("link" in p for p in report.problems), report
    assert list(victim.iterdir()) == []


def test_the_backup_folder_itself_is_never_attached(shop, tmp_path):
    db, up, repo = shop
    root = tmp_path / "repo"
    snap = backup(repo, BackupRequest(str(db), attachments=[str(root), str(root / "data"), str(up)])).snapshot
    assert snap.verified
    left, inner, photos = snap.attachments
    assert not left.captured and not inner.captured and photos.captured and photos.files == 5
    assert left.problems[0].reason == "it is the backup folder, or inside it; left out"
