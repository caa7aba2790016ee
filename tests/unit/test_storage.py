"""LocalStorage (kasirbackup.core.storage.local): a repository folder that may have been written
by someone else. Object names never leave the folder, saves are atomic and private, and
write failures become user errors."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from kasirbackup.core.storage import local as storage_mod
from kasirbackup.core.errors import DiskFull, IoFailure, RepoReadOnly, RepoWriteProtected
from kasirbackup.core.storage.local import KINDS, LocalStorage

BAD_NAMES = ["../x", "..", ".", "", "a/b", "data/../../x", "/etc/passwd", "/tmp/evil", "a\\b", "..\\..\\x",
             "x\0y", "../../../../../../tmp/kasirbackup-escape"]


@pytest.fixture
def store(tmp_path) -> LocalStorage:
    root = tmp_path / "repo"
    root.mkdir()
    return LocalStorage(root)


def _all_files(path) -> set[str]:
    return {os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_that_leave_the_folder_are_refused(store, tmp_path, kind, name):
    before = _all_files(tmp_path)
    with pytest.raises(ValueError):
        store.save(kind, name, b"owned")
    with pytest.raises(ValueError):
        store.load(kind, name)
    with pytest.raises(ValueError):
        store.size(kind, name)
    with pytest.raises(ValueError):
        store.remove(kind, name)
    with pytest.raises(ValueError):
        store.create_exclusive(kind, name, b"owned")
    with pytest.raises(ValueError):
        store.exists(kind, name)
    assert _all_files(tmp_path) == before
    assert not os.path.exists("/tmp/kasirbackup-escape")


def test_unknown_kind_is_refused(store):
    for kind in ("", "tmp", "..", "latest", "../data"):
        with pytest.raises(ValueError):
            store.save(kind, "abc", b"x")


def test_save_load_list_remove(store):
    name = "ab" + "0" * 62
    store.save("data", name, b"pack bytes")
    store.save("index", "i1", b"index")
    store.save("snapshots", "s1.json", b"{}")
    store.save("config", "kasirbackup.json", b"{}")
    assert store.load("data", name) == b"pack bytes"
    assert store.load("data", name, 5) == b"bytes"
    assert store.load("data", name, 5, 2) == b"by"
    assert store.size("data", name) == 10
    assert (store.root / "data" / "ab" / name).is_file()       # data fans out by the first two characters
    assert set(store.list("data")) == {name}
    assert set(store.list("index")) == {"i1"}
    assert set(store.list("snapshots")) == {"s1.json"}
    assert "kasirbackup.json" in set(store.list("config"))
    assert set(store.list("locks")) == set()
    store.remove("data", name)
    store.remove("data", name)                                  # removing twice is fine
    assert not store.exists("data", name)
    with pytest.raises(FileNotFoundError):
        store.load("data", name)
    assert list((store.root / "tmp").iterdir()) == []           # no temporary left behind


def test_list_of_a_fresh_folder_is_empty(tmp_path):
    store = LocalStorage(tmp_path / "missing")
    for kind in KINDS:
        assert list(store.list(kind)) == []


def test_save_replaces_atomically_and_privately(store):
    store.save("snapshots", "s.json", b"old")
    store.save("snapshots", "s.json", b"new and longer")
    assert store.load("snapshots", "s.json") == b"new and longer"
    if os.name == "posix":
        mode = stat.S_IMODE((store.root / "snapshots" / "s.json").stat().st_mode)
        assert mode & 0o077 == 0, oct(mode)                     # readable by the owner only


def test_create_exclusive(store):
    assert store.create_exclusive("locks", "exclusive", b"first") is True
    assert store.create_exclusive("locks", "exclusive", b"second") is False
    assert store.load("locks", "exclusive") == b"first"
    assert list((store.root / "tmp").iterdir()) == []


def test_stray_files_in_data_are_not_listed(store):
    (store.root / "data").mkdir()
    (store.root / "data" / "README.txt").write_text("hi")
    (store.root / "data" / "abc").mkdir()                       # not a two-character fan-out folder
    (store.root / "data" / "abc" / "x").write_text("hi")
    assert list(store.list("data")) == []


class _FaultyWriteOs:
    def __init__(self, err: int) -> None:
        self.err = err

    def __getattr__(self, name):
        return getattr(os, name)

    def write(self, fd, data):
        raise OSError(self.err, os.strerror(self.err))


@pytest.mark.parametrize("err, expected", [(errno.ENOSPC, DiskFull), (errno.EDQUOT, DiskFull),
                                           (errno.EACCES, RepoReadOnly), (errno.EROFS, RepoWriteProtected),
                                           (errno.EIO, IoFailure)])
def test_write_failures_become_user_errors_and_leave_nothing(store, monkeypatch, err, expected):
    store.save("snapshots", "s.json", b"good")
    monkeypatch.setattr(storage_mod, "os", _FaultyWriteOs(err))
    with pytest.raises(expected) as info:
        store.save("snapshots", "s.json", b"half-written")
    monkeypatch.undo()
    assert store.location in str(info.value)
    assert store.load("snapshots", "s.json") == b"good"          # the old object is intact
    assert list((store.root / "tmp").iterdir()) == []            # and the temporary is gone
