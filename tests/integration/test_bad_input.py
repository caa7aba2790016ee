"""Bad input and damage: every failure is one clear line, a non-zero exit, no traceback,
and nothing already backed up is lost (the repository still verifies and the earlier
snapshots still restore, byte for byte)."""

from __future__ import annotations

import errno
import itertools
import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest

from kasirbackup.core.storage import local as storage_mod
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.errors import DiskFull, KasirBackupError, RepoReadOnly
from kasirbackup.core.repo.repository import Repository
from tests.support.checks import (assert_ok, assert_one_line_error, describe, parse_json_stdout,
                                  sha256_file)
from tests.support.privileges import need_binding_permissions, remount
from tests.support.dbgen import make_hard_cases_db, make_pos_db, simulate_day_of_sales


# -- helpers ------------------------------------------------------------------------------------

_counter = itertools.count()


def do_backup(kb, db, repo, *extra) -> dict:
    proc = assert_ok(kb.run("backup", "--db", db, "--repo", repo, "--json", *extra))
    return parse_json_stdout(proc)


def api_backup(db, repo) -> dict:
    """A backup through the Python API (quicker set-up than a subprocess)."""
    snap = backup(Repository.open(repo, create=True), BackupRequest(db_path=str(db))).snapshot
    assert snap.verified
    return snap.summary_json()


def snapshot_ids(kb, repo) -> list[str]:
    return [s["id"] for s in parse_json_stdout(assert_ok(kb.run("list", "--repo", repo, "--json")))]


def assert_nothing_lost(kb, repo: Path, snaps: dict[str, str], scratch: Path) -> None:
    """The repository verifies clean and every snapshot in ``snaps`` (id -> sha256)
    restores to a file with that SHA-256."""
    assert_ok(kb.run("verify", "--repo", repo, "--all"))
    assert_restores(kb, repo, snaps, scratch)


def assert_restores(kb, repo: Path, snaps: dict[str, str], scratch: Path) -> None:
    scratch.mkdir(parents=True, exist_ok=True)
    for sid, sha in snaps.items():
        target = scratch / f"check-{sid[:8]}-{next(_counter)}.db"
        assert_ok(kb.run("restore", "--repo", repo, "--snapshot", sid, "--to", target))
        assert sha256_file(target) == sha


def assert_no_target(target: Path) -> None:
    """A refused restore leaves neither the file nor a temporary next to it."""
    assert not target.exists()
    leftovers = [p.name for p in target.parent.iterdir() if target.name in p.name]
    assert leftovers == [], leftovers


def make_ledger_db(path: Path, rows: int = 1500) -> Path:
    """A small savings-and-loan ledger (a schema unlike the POS one, so its snapshot
    shares no pages, packs or index files with a POS snapshot)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE anggota (id INTEGER PRIMARY KEY, nama TEXT NOT NULL, nik TEXT)")
        conn.execute("CREATE TABLE simpanan (id INTEGER PRIMARY KEY, anggota_id INTEGER, tanggal TEXT, "
                     "jumlah INTEGER, keterangan TEXT)")
        conn.executemany("INSERT INTO anggota VALUES (?, ?, ?)",
                         [(i, f"Anggota koperasi nomor {i}", f"3201{i:012d}") for i in range(1, 201)])
        conn.executemany("INSERT INTO simpanan VALUES (?, ?, ?, ?, ?)",
                         [(i, i % 200 + 1, f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", 10_000 + i * 7,
                           f"setoran wajib ke-{i} bulan {i % 12 + 1}") for i in range(1, rows + 1)])
    conn.close()
    return path


@pytest.fixture
def repo_with_backup(kb, pos_db, repo_dir):
    snap = api_backup(pos_db, repo_dir)
    return repo_dir, {snap["id"]: snap["sha256"]}


# -- the source database ----------------------------------------------------------------------

def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


SOURCES = {
    "missing": (lambda d: d / "tidak-ada.db", ["does not exist"]),
    "directory": (lambda d: (d / "folder.db").mkdir() or d / "folder.db", ["folder"]),
    "random-bytes": (lambda d: _write(d / "acak.db", os.urandom(3000)), ["not an SQLite database"]),
    "empty-file": (lambda d: _write(d / "kosong.db", b""), ["empty"]),
    "text-file": (lambda d: _write(d / "catatan.txt", ("Daftar belanja: beras 5 kg, gula 2 kg, minyak 2 L.\n"
                                                        * 40).encode()), ["not an SQLite database"]),
    "short-file": (lambda d: _write(d / "pendek.db", b"SQLite format 3\x00\x10\x00"), ["not an SQLite database"]),
    # SQLCipher encrypts every page including page 1, whose first 16 bytes become the
    # random salt: the file has no "SQLite format 3" header and reads as random bytes.
    # 32 KB of random data models such a file (several 4 KB pages, no readable header).
    "sqlcipher-like": (lambda d: _write(d / "terenkripsi.db", os.urandom(32 * 1024)),
                       ["not an SQLite database", "encrypt"]),
}


@pytest.mark.parametrize("case", list(SOURCES))
def test_bad_source_is_refused_and_nothing_lost(kb, repo_with_backup, tmp_path, case):
    repo, snaps = repo_with_backup
    make, needles = SOURCES[case]
    src = make(tmp_path)
    before = sha256_file(src) if src.is_file() else None
    proc = kb.run("backup", "--db", src, "--repo", repo)
    line = assert_one_line_error(proc, *needles)
    assert src.name in line                       # says which file
    assert proc.stdout == ""
    if before is not None:
        assert sha256_file(src) == before         # never writes to the source
    for suffix in ("-journal", "-wal", "-shm"):
        assert not Path(f"{src}{suffix}").exists()
    assert snapshot_ids(kb, repo) == list(snaps)  # no snapshot was added
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check")


def test_damaged_source_database_is_reported_as_damaged_source(kb, repo_with_backup, pos_db, tmp_path):
    """A database whose header is fine but whose pages are garbage (a disk error on the
    shop PC). The backup must fail with one clear line that names the source database
    (the user must restore it), and the earlier backups stay good."""
    repo, snaps = repo_with_backup
    bad = tmp_path / "kasir-rusak.db"
    data = bytearray(pos_db.read_bytes())
    data[3 * 4096:23 * 4096] = os.urandom(20 * 4096)
    bad.write_bytes(bytes(data))
    proc = kb.run("backup", "--db", bad, "--repo", repo)
    assert_one_line_error(proc, "kasir-rusak.db", "damaged")
    assert_restores(kb, repo, snaps, tmp_path / "check")
    for sid in snaps:
        assert_ok(kb.run("verify", "--repo", repo, "--snapshot", sid))


# -- the repository location ----------------------------------------------------------------

def test_repository_path_is_a_file(kb, pos_db, tmp_path):
    not_a_folder = tmp_path / "backup.zip"
    not_a_folder.write_bytes(b"PK\x03\x04 something else")
    for args in (("backup", "--db", pos_db, "--repo", not_a_folder),
                 ("list", "--repo", not_a_folder),
                 ("verify", "--repo", not_a_folder, "--all"),
                 ("init", "--repo", not_a_folder)):
        assert_one_line_error(kb.run(*args), "is a file")
    assert not_a_folder.read_bytes() == b"PK\x03\x04 something else"


def test_foreign_non_empty_folder_is_not_taken_over(kb, pos_db, tmp_path):
    folder = tmp_path / "Dokumen"
    folder.mkdir()
    (folder / "laporan.xlsx").write_bytes(b"not ours")
    assert_one_line_error(kb.run("backup", "--db", pos_db, "--repo", folder), "not empty")
    assert sorted(p.name for p in folder.iterdir()) == ["laporan.xlsx"]


def test_damaged_repository_configuration(kb, repo_with_backup):
    repo, _ = repo_with_backup
    (repo / "kasirbackup.json").write_bytes(b"\x00\xff garbage")
    for args in (("list", "--repo", repo), ("verify", "--repo", repo, "--all")):
        assert_one_line_error(kb.run(*args), "damaged")


def _chmod_tree(root: Path, dir_mode: int, file_mode: int | None) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        for f in filenames:
            if file_mode is not None:
                os.chmod(os.path.join(dirpath, f), file_mode)
        os.chmod(dirpath, dir_mode)


def test_read_only_repository_folder_chmod(kb, repo_with_backup, pos_db, tmp_path):
    repo, snaps = repo_with_backup
    need_binding_permissions()
    _chmod_tree(repo, 0o500, 0o400)
    try:
        simulate_day_of_sales(str(pos_db), 2)
        assert_one_line_error(kb.run("backup", "--db", pos_db, "--repo", repo), "cannot write")
        assert_restores(kb, repo, snaps, tmp_path / "check")   # reading still works
    finally:
        _chmod_tree(repo, 0o700, 0o600)
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check2")


def test_injected_permission_error_gives_read_only_message(pos_db, repo_dir, tmp_path, monkeypatch, kb):
    repo = Repository.open(repo_dir, create=True)
    first = backup(repo, BackupRequest(db_path=str(pos_db))).snapshot
    simulate_day_of_sales(str(pos_db), 2)
    monkeypatch.setattr(storage_mod, "os", _FaultyOs(fail_open=errno.EACCES))
    with pytest.raises(RepoReadOnly) as info:
        backup(repo, BackupRequest(db_path=str(pos_db)))
    assert "Cannot write to the backup folder" in str(info.value)
    monkeypatch.undo()
    assert list((repo_dir / "tmp").iterdir()) == []
    assert_nothing_lost(kb, repo_dir, {first.id: first.image_sha256}, tmp_path / "check")


# -- small or read-only file systems (real mounts, when the sandbox allows them) -----------------------

def test_disk_full_on_a_real_small_disk(kb, mount_tmpfs, pos_db, tmp_path):
    usb = mount_tmpfs("usb", "2m")
    repo = usb / "repo"
    first = do_backup(kb, pos_db, repo)
    big = tmp_path / "besar.db"
    make_hard_cases_db(str(big))                 # ~5 MB, 3 MiB of it incompressible
    proc = kb.run("backup", "--db", big, "--repo", repo)
    assert_one_line_error(proc, "space")
    assert list((repo / "tmp").iterdir()) == []
    snaps = {first["id"]: first["sha256"]}
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check")
    simulate_day_of_sales(str(pos_db), 3)
    again = do_backup(kb, pos_db, repo)          # and the next (small) backup works
    snaps[again["id"]] = again["sha256"]
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check2")


def test_disk_full_while_checking_the_backup(kb, mount_tmpfs, pos_db, tmp_path):
    """With the plain copy on, the restore drill rebuilds the image inside the repository
    (so it can become REPO/latest/kasir.db). When that image does not fit, the user must
    get the disk-full message, not an internal error."""
    usb = mount_tmpfs("usb", "2m")
    repo = usb / "repo"
    first = do_backup(kb, pos_db, repo)
    assert_ok(kb.run("config", "--repo", repo, "--plain-copy", "on"))
    bigger = tmp_path / "kasir-besar.db"
    make_pos_db(str(bigger), 1_800_000, seed=3)  # compresses to well under 1 MB, image 1.8 MB
    proc = kb.run("backup", "--db", bigger, "--repo", repo)
    assert_one_line_error(proc, "space")
    snaps = {first["id"]: first["sha256"]}
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check")
    simulate_day_of_sales(str(pos_db), 3)
    again = do_backup(kb, pos_db, repo)
    assert (repo / "latest" / "kasir.db").is_file()
    snaps[again["id"]] = again["sha256"]
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check2")


def test_read_only_mounted_repository(kb, mount_tmpfs, pos_db, tmp_path):
    usb = mount_tmpfs("usb-ro", "8m")
    repo = usb / "repo"
    first = do_backup(kb, pos_db, repo)
    snaps = {first["id"]: first["sha256"]}
    r = remount(usb, read_only=True)
    assert r.returncode == 0, f"cannot remount read-only: {r.stderr.strip()}"
    try:
        simulate_day_of_sales(str(pos_db), 2)
        assert_one_line_error(kb.run("backup", "--db", pos_db, "--repo", repo), "read-only")
        assert snapshot_ids(kb, repo) == list(snaps)          # listing a read-only copy works
        assert_restores(kb, repo, snaps, tmp_path / "check")  # and restoring from it too
    finally:
        remount(usb, read_only=False)
    assert_nothing_lost(kb, repo, snaps, tmp_path / "check2")


def test_read_only_repository_can_still_be_verified(kb, mount_tmpfs, pos_db, tmp_path):
    """A write-protected USB disk or a read-only share holding the off-site copy: the
    helper must still be able to check that its backups are good (restic's `check`
    works on a read-only repository too); only recording the result is impossible."""
    usb = mount_tmpfs("usb-ro", "8m")
    repo = usb / "repo"
    first = do_backup(kb, pos_db, repo)
    r = remount(usb, read_only=True)
    assert r.returncode == 0, f"cannot remount read-only: {r.stderr.strip()}"
    try:
        proc = assert_ok(kb.run("verify", "--repo", repo, "--all"))
        assert first["id"][:8] in proc.stdout
        assert_ok(kb.run("verify", "--repo", repo, "--snapshot", "latest"))
    finally:
        remount(usb, read_only=False)


# -- disk full, injected in-process -------------------------------------------------------------

class _FaultyOs:
    """Stands in for the ``os`` module inside kasirbackup.core.storage.local: everything is
    the real ``os`` except the injected failures."""

    def __init__(self, fail_open: int | None = None) -> None:
        self.fail_write_errno: int | None = None
        self.fail_open = fail_open

    def __getattr__(self, name):
        return getattr(os, name)

    def write(self, fd, data):
        if self.fail_write_errno is not None:
            raise OSError(self.fail_write_errno, os.strerror(self.fail_write_errno))
        return os.write(fd, data)

    def open(self, path, flags, mode=0o777, *args, **kwargs):
        if self.fail_open is not None and flags & os.O_CREAT:
            raise PermissionError(self.fail_open, os.strerror(self.fail_open), str(path))
        return os.open(path, flags, mode, *args, **kwargs)


@pytest.mark.parametrize("kind", ["data", "index", "snapshots"],
                         ids=["while-writing-a-pack", "while-writing-the-index", "while-writing-the-manifest"])
def test_disk_full_during_backup(kb, pos_db, repo_dir, tmp_path, monkeypatch, kind):
    """The disk fills up in the middle of a backup: a write of the kind ``kind`` fails
    with ENOSPC inside LocalStorage.save (the real save, its real clean-up)."""
    repo = Repository.open(repo_dir, create=True)
    first = backup(repo, BackupRequest(db_path=str(pos_db))).snapshot
    simulate_day_of_sales(str(pos_db), 5)

    faulty = _FaultyOs()
    real_save = storage_mod.LocalStorage.save
    seen: list[str] = []

    def save(self, k, name, data):
        seen.append(k)
        faulty.fail_write_errno = errno.ENOSPC if k == kind else None
        try:
            return real_save(self, k, name, data)
        finally:
            faulty.fail_write_errno = None

    monkeypatch.setattr(storage_mod, "os", faulty)
    monkeypatch.setattr(storage_mod.LocalStorage, "save", save)
    with pytest.raises(DiskFull) as info:
        backup(repo, BackupRequest(db_path=str(pos_db)))
    assert kind in seen
    assert str(info.value).startswith("The disk holding ")
    assert "is full" in str(info.value)
    monkeypatch.undo()

    assert [s.id for s in Repository.open(repo_dir).snapshots()] == [first.id]
    assert list((repo_dir / "tmp").iterdir()) == []
    snaps = {first.id: first.image_sha256}
    assert_nothing_lost(kb, repo_dir, snaps, tmp_path / "check")
    again = do_backup(kb, pos_db, repo_dir)
    snaps[again["id"]] = again["sha256"]
    assert again["tables"]["transaksi"] == first.tables["transaksi"] + 5
    assert_nothing_lost(kb, repo_dir, snaps, tmp_path / "check2")


@pytest.mark.parametrize("after", [0, 1, 2])
def test_disk_full_raised_by_the_storage_backend(kb, pos_db, repo_dir, tmp_path, monkeypatch, after):
    """A storage backend's save() that fails with OSError(ENOSPC) after ``after`` calls
    (as a backend other than LocalStorage may): the backup reports DiskFull, not an
    internal error, and the repository stays good."""
    repo = Repository.open(repo_dir, create=True)
    first = backup(repo, BackupRequest(db_path=str(pos_db))).snapshot
    simulate_day_of_sales(str(pos_db), 5)
    real_save = storage_mod.LocalStorage.save
    calls = itertools.count()

    def save(self, kind, name, data):
        if next(calls) >= after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(self, kind, name, data)

    monkeypatch.setattr(storage_mod.LocalStorage, "save", save)
    with pytest.raises(KasirBackupError) as info:
        backup(repo, BackupRequest(db_path=str(pos_db)))
    assert isinstance(info.value, DiskFull), repr(info.value)
    monkeypatch.undo()
    snaps = {first.id: first.image_sha256}
    assert_nothing_lost(kb, repo_dir, snaps, tmp_path / "check")
    do_backup(kb, pos_db, repo_dir)


# -- snapshot ids ---------------------------------------------------------------------------------

def test_unknown_snapshot_id(kb, repo_with_backup, tmp_path):
    repo, snaps = repo_with_backup
    unknown = next(c for c in "0123456789abcdef" if not next(iter(snaps)).startswith(c)) * 6
    target = tmp_path / "pulih.db"
    assert_one_line_error(kb.run("restore", "--repo", repo, "--snapshot", unknown, "--to", target), unknown)
    assert_no_target(target)
    assert_one_line_error(kb.run("verify", "--repo", repo, "--snapshot", unknown), unknown)
    assert_one_line_error(kb.run("restore", "--repo", repo, "--snapshot", "not-hex!", "--to", target))
    assert_no_target(target)


def test_no_snapshots_yet(kb, repo_dir, tmp_path):
    assert_ok(kb.run("init", "--repo", repo_dir))
    target = tmp_path / "pulih.db"
    assert_one_line_error(kb.run("restore", "--repo", repo_dir, "--snapshot", "latest", "--to", target),
                          "no backups")
    assert_no_target(target)


def test_ambiguous_snapshot_id(kb, pos_db, repo_dir, tmp_path):
    by_first: dict[str, list[str]] = {}
    for _ in range(17):                           # 17 ids: two must share a first hex digit
        sid = api_backup(pos_db, repo_dir)["id"]
        by_first.setdefault(sid[0], []).append(sid)
        if len(by_first[sid[0]]) == 2:
            break
    char, ids = next((c, v) for c, v in by_first.items() if len(v) == 2)
    target = tmp_path / "pulih.db"
    line = assert_one_line_error(kb.run("restore", "--repo", repo_dir, "--snapshot", char, "--to", target),
                                 "matches 2")
    assert char in line
    assert_no_target(target)
    assert_one_line_error(kb.run("verify", "--repo", repo_dir, "--snapshot", char), "matches 2")
    # one more character settles it (unless the two ids share it too)
    n = next(i for i in range(1, 33) if ids[0][:i] != ids[1][:i])
    assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", ids[0][:n], "--to", target))


# -- a lock held by another backup --------------------------------------------------------------

def test_repository_in_use_by_another_backup(kb, repo_with_backup, pos_db, tmp_path):
    repo_path, snaps = repo_with_backup
    lock = Repository.open(repo_path).lock("backup")
    try:
        line = assert_one_line_error(kb.run("backup", "--db", pos_db, "--repo", repo_path), "in use")
        assert str(os.getpid()) in line and socket.gethostname() in line
        assert_one_line_error(kb.run("verify", "--repo", repo_path, "--all"), "in use")
    finally:
        lock.release()
    assert not (repo_path / "locks" / "exclusive").exists()
    assert_nothing_lost(kb, repo_path, snaps, tmp_path / "check")
    do_backup(kb, pos_db, repo_path)


# -- damage on disk -----------------------------------------------------------------------------

def _files(repo: Path, kind: str) -> set[Path]:
    base = repo / kind
    return {p for p in base.rglob("*") if p.is_file()} if base.is_dir() else set()


@pytest.fixture
def two_snapshots(kb, pos_db, tmp_path):
    """A repository with snapshot A (the POS database) and snapshot B (a ledger database
    that shares nothing with it), and the pack and index files that belong to each."""
    repo = tmp_path / "repo"
    a = api_backup(pos_db, repo)
    packs_a, index_a = _files(repo, "data"), _files(repo, "index")
    ledger = make_ledger_db(tmp_path / "koperasi.db")
    b = api_backup(ledger, repo)
    assert b["added_bytes"] > 0
    return {"repo": repo, "a": a, "b": b, "packs_a": packs_a, "index_a": index_a,
            "manifest_a": repo / "snapshots" / f"{a['id']}.json"}


def _flip(path: Path, at: int, n: int = 16) -> None:
    data = bytearray(path.read_bytes())
    for i in range(at, min(at + n, len(data))):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))


def _edit_manifest(path: Path, edit) -> None:
    d = json.loads(path.read_bytes())
    edit(d)
    path.write_text(json.dumps(d))


DAMAGE = {
    # name: (how to damage, what verify must name: "pack" / "index" / "manifest")
    "pack-bytes-flipped": (lambda r: _flip(sorted(r["packs_a"])[0], 60), "pack"),
    "pack-truncated": (lambda r: [os.truncate(p, p.stat().st_size // 2) for p in r["packs_a"]], "pack"),
    "pack-deleted": (lambda r: [p.unlink() for p in r["packs_a"]], "pack"),
    "index-deleted": (lambda r: [p.unlink() for p in r["index_a"]], None),
    "index-bytes-flipped": (lambda r: [_flip(p, 40) for p in r["index_a"]], "index"),
    "manifest-truncated": (lambda r: r["manifest_a"].write_bytes(r["manifest_a"].read_bytes()[:300]), "manifest"),
    "manifest-garbage": (lambda r: r["manifest_a"].write_bytes(os.urandom(700)), "manifest"),
    "manifest-tables-not-an-object": (
        lambda r: _edit_manifest(r["manifest_a"], lambda d: d.update(tables=["produk", 50])), "manifest"),
    "manifest-root-not-hex": (
        lambda r: _edit_manifest(r["manifest_a"], lambda d: d.update(root="zz" * 32)), "manifest"),
    "manifest-page-size-zero": (
        lambda r: _edit_manifest(r["manifest_a"], lambda d: d["database"].update(page_size=0)), "manifest"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_repository_is_reported_and_never_restored(kb, two_snapshots, tmp_path, damage):
    r = two_snapshots
    repo, a, b = r["repo"], r["a"], r["b"]
    make_damage, names = DAMAGE[damage]
    make_damage(r)
    out = tmp_path / "pulih"
    out.mkdir()

    # restore of the damaged snapshot, before anyone ran verify: refused, no file
    target = out / "a.db"
    assert_one_line_error(kb.run("restore", "--repo", repo, "--snapshot", a["id"][:8], "--to", target))
    assert_no_target(target)

    if damage.startswith("index-"):
        # an index is only a list of what the packs hold: verify rebuilds it from the packs
        # themselves, says so, and the intact backups verify and restore again
        proc = kb.run("verify", "--repo", repo, "--all")
        assert proc.returncode == 0, describe(proc)
        assert "NOTE    index damaged or incomplete: rebuilt from the backup files" in proc.stdout, describe(proc)
        assert all(ln.startswith("OK") for ln in proc.stdout.splitlines() if a["id"][:8] in ln), describe(proc)
        assert_restores(kb, repo, {a["id"]: a["sha256"], b["id"]: b["sha256"]}, tmp_path / "check")
        return

    # verify says what is damaged
    proc = kb.run("verify", "--repo", repo, "--all")
    assert proc.returncode != 0, describe(proc)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, describe(proc)
    text = proc.stdout + proc.stderr
    assert a["id"][:8] in text, f"verify does not name snapshot {a['id'][:8]}\n{describe(proc)}"
    if names == "pack":
        pack = sorted(r["packs_a"])[0].name
        assert pack[:12] in text, f"verify does not name pack {pack[:12]}\n{describe(proc)}"
    elif names == "index":
        index = sorted(r["index_a"])[0].name
        assert index[:12] in text, f"verify does not name index file {index[:12]}\n{describe(proc)}"
        damaged_lines = [ln for ln in proc.stdout.splitlines() if index[:12] in ln]
        assert len(damaged_lines) == len(set(damaged_lines)), f"a damaged file is reported twice\n{describe(proc)}"
    b_lines = [ln for ln in proc.stdout.splitlines() if b["id"][:8] in ln]
    assert b_lines and all(ln.startswith("OK") for ln in b_lines), describe(proc)

    # after verify, still refused
    assert_one_line_error(kb.run("restore", "--repo", repo, "--snapshot", a["id"][:8], "--to", target))
    assert_no_target(target)

    # the other snapshot is untouched: it lists, verifies and restores
    assert b["id"] in snapshot_ids(kb, repo)
    proc = kb.run("verify", "--repo", repo, "--snapshot", b["id"][:8])
    assert "Traceback" not in proc.stdout + proc.stderr
    assert [ln[:7] for ln in proc.stdout.splitlines() if b["id"][:8] in ln] == ["OK     "], describe(proc)
    assert_restores(kb, repo, {b["id"]: b["sha256"]}, tmp_path / "check")


def test_restore_latest_does_not_silently_skip_a_damaged_newest_manifest(kb, pos_db, tmp_path):
    """The newest backup's manifest is unreadable: `restore --snapshot latest` must not
    quietly hand over an older backup as if it were the latest; it refuses, or at least
    warns on stderr, naming the damaged manifest."""
    repo = tmp_path / "repo"
    old = do_backup(kb, pos_db, repo, "--time", "2025-01-01T08:00:00+07:00")
    simulate_day_of_sales(str(pos_db), 3)
    new = do_backup(kb, pos_db, repo)
    (repo / "snapshots" / f"{new['id']}.json").write_bytes(b'{"id": "' + new["id"].encode())
    target = tmp_path / "pulih.db"
    proc = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", target)
    assert "Traceback" not in proc.stdout + proc.stderr
    if proc.returncode == 0:
        assert sha256_file(target) == old["sha256"]
        assert new["id"] in proc.stderr or new["id"][:8] in proc.stderr, \
            f"an older backup was restored as 'latest' without a word about the damaged newest one\n{describe(proc)}"
    else:
        assert_one_line_error(proc)
        assert_no_target(target)


def test_verify_json_on_damage_still_gives_one_line_on_stderr(kb, two_snapshots):
    r = two_snapshots
    for p in r["packs_a"]:
        p.unlink()
    proc = kb.run("verify", "--repo", r["repo"], "--all", "--json")
    assert proc.returncode != 0
    report = parse_json_stdout(proc)             # the report is on stdout, as JSON
    assert report["ok"] is False
    bad = [s for s in report["snapshots"] if not s["ok"]]
    assert [s["id"] for s in bad] == [r["a"]["id"]]
    assert len(proc.stderr.strip().splitlines()) == 1, \
        f"a non-zero exit needs its one-line reason on stderr, --json or not\n{describe(proc)}"


def test_backup_still_works_next_to_a_damaged_manifest(kb, two_snapshots, pos_db):
    """One unreadable manifest must not stop new backups (the shop keeps selling)."""
    r = two_snapshots
    _edit_manifest(r["manifest_a"], lambda d: d.update(tables=["produk", 50]))
    simulate_day_of_sales(str(pos_db), 2)
    proc = assert_ok(kb.run("backup", "--db", pos_db, "--repo", r["repo"]))
    assert "warning" not in proc.stdout
