"""The sample shop database (app/sample.py) and what the first-start setup detects
(app/discover.py): SQLite files found by their header in a fake home folder, bounded depth,
no symbolic-link loops, backup places and the backup-folder check on real folders."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kasirbackup.app import discover
from kasirbackup.app.discover import PlaceKind, SearchRoot, find_databases, plan_backup_folder
from kasirbackup.app.sample import create_sample_db
from kasirbackup.core.errors import Cancelled, RepoReadOnly, RepoWriteProtected
from kasirbackup.core.progress import CancelToken
from kasirbackup.core.repo.repository import Repository
from tests.support.privileges import need_binding_permissions, need_mounts

TODAY = date(2026, 3, 14)


# -- the sample database -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return create_sample_db(tmp_path_factory.mktemp("sample") / "toko-contoh.db", today=TODAY)


def test_sample_is_a_sound_rollback_journal_database(sample):
    conn = sqlite3.connect(sample)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        assert {"produk", "pelanggan", "penjualan", "penjualan_detail", "kategori", "kasir"} <= tables
        fks = {r[2] for r in conn.execute("PRAGMA foreign_key_list(penjualan_detail)")}
        assert fks == {"penjualan", "produk"}
        sales = conn.execute("SELECT count(*) FROM penjualan").fetchone()[0]
        assert 2000 <= sales <= 5000
        first, last = conn.execute("SELECT min(tanggal), max(tanggal) FROM penjualan").fetchone()
        assert datetime.fromisoformat(first).date() >= TODAY - timedelta(days=28)
        assert datetime.fromisoformat(last).date() < TODAY
        # every sale adds up: lines, discount, change
        bad = conn.execute("""
            SELECT count(*) FROM penjualan p
            WHERE p.subtotal != (SELECT sum(d.subtotal) FROM penjualan_detail d WHERE d.penjualan_id = p.id)
               OR p.total != p.subtotal - p.diskon OR p.kembalian != p.bayar - p.total OR p.kembalian < 0
        """).fetchone()[0]
        assert bad == 0
        assert conn.execute("SELECT count(*) FROM penjualan_detail WHERE qty * harga_satuan != subtotal"
                            ).fetchone()[0] == 0
    finally:
        conn.close()
    assert not Path(str(sample) + "-journal").exists()
    assert 100_000 < sample.stat().st_size < 1_500_000


def test_sample_is_deterministic(sample, tmp_path):
    again = create_sample_db(tmp_path / "again.db", today=TODAY)
    other_day = create_sample_db(tmp_path / "other.db", today=TODAY + timedelta(days=1))

    def dump(p):
        conn = sqlite3.connect(p)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    assert dump(again) == dump(sample)
    assert dump(other_day) != dump(sample)


def test_sample_replaces_an_existing_file(tmp_path):
    target = tmp_path / "sub" / "toko.db"
    target.parent.mkdir()
    target.write_text("old")
    assert create_sample_db(target, today=TODAY) == target
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in target.parent.iterdir()] == ["toko.db"]      # no temporary file left


# -- finding databases -------------------------------------------------------------------------

def _db(path: Path, rows: int = 3) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(rows)])
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def home(tmp_path) -> Path:
    h = tmp_path / "home"
    _db(h / "Documents" / "TokoApp" / "instance" / "kasir.db")
    _db(h / "Desktop" / "kaka_wallet.sqlite")
    _db(h / "Downloads" / "resep.db3")
    (h / "Desktop" / "pos.db").write_text("a text file with a database's name " * 40)
    (h / "Desktop" / "Thumbs.db").write_bytes(os.urandom(4096))
    _db(h / "Documents" / "TokoApp" / "backups" / "kasir_backup_20250208_230613.db")
    _db(h / "Documents" / "TokoApp" / "kasir_backup_20250209.db")
    _db(h / ".hidden" / "toko.db")
    _db(h / "Documents" / "node_modules" / "pkg" / "pos.db")
    _db(h / "Documents" / "a" / "b" / "c" / "d" / "e" / "deep.db")
    return h


def _names(found) -> set[str]:
    return {c.path.name for c in found.candidates}


def test_finds_sqlite_files_by_header_not_by_name(home):
    found = find_databases(discover.default_roots(home, platform="linux"))
    assert found.complete
    assert _names(found) == {"kasir.db", "kaka_wallet.sqlite", "resep.db3"}
    by_name = {c.path.name: c for c in found.candidates}
    assert by_name["kasir.db"].known and by_name["kaka_wallet.sqlite"].known
    assert not by_name["resep.db3"].known
    assert found.candidates[-1].path.name == "resep.db3"          # known names first


def test_depth_is_bounded(home):
    shallow = find_databases([SearchRoot(home / "Documents", 2)])
    assert "kasir.db" in _names(shallow)                  # Documents/TokoApp/instance: two folders down
    assert find_databases([SearchRoot(home / "Documents", 1)]).candidates == []
    deep = find_databases([SearchRoot(home / "Documents", 5)])
    assert "deep.db" in _names(deep)                      # the same file is found when allowed
    assert "deep.db" not in _names(find_databases([SearchRoot(home / "Documents", 4)]))


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links")
def test_symbolic_links_are_never_followed(home, tmp_path):
    docs = home / "Documents"
    os.symlink(docs, docs / "loop")                        # a loop
    os.symlink(home, docs / "TokoApp" / "up")
    outside = _db(tmp_path / "elsewhere" / "pos.db")
    os.symlink(outside, home / "Desktop" / "linked_pos.db")
    os.symlink(outside.parent, home / "Desktop" / "linked_folder")
    found = find_databases([SearchRoot(docs, 30), SearchRoot(home / "Desktop", 30)])
    assert found.complete
    assert sorted(str(c.path) for c in found.candidates) == sorted(
        [str(home / "Desktop" / "kaka_wallet.sqlite"), str(docs / "TokoApp" / "instance" / "kasir.db"),
         str(docs / "a" / "b" / "c" / "d" / "e" / "deep.db")])


def test_strict_roots_take_only_shop_like_names(tmp_path):
    app_dir = tmp_path / "ProgramData" / "KasirPintar"
    _db(app_dir / "data" / "kasir.db")
    _db(app_dir / "cache" / "thumbnails.sqlite")
    assert _names(find_databases([SearchRoot(app_dir, 3, strict=True)])) == {"kasir.db"}
    assert _names(find_databases([SearchRoot(app_dir, 3)])) == {"kasir.db", "thumbnails.sqlite"}


def test_budget_cancel_and_exclude(home):
    roots = discover.default_roots(home, platform="linux")
    limited = find_databases(roots, max_dirs=2)
    assert not limited.complete and limited.folders_seen == 2
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        find_databases(roots, cancel=token)
    seen = []
    find_databases(roots, progress=lambda phase, done, total: seen.append((phase, done)))
    assert seen and seen[0] == ("search", 1)
    without = find_databases(roots, exclude=[home / "Documents" / "TokoApp", home / "Downloads" / "resep.db3"])
    assert _names(without) == {"kaka_wallet.sqlite"}


# -- places for the backups ---------------------------------------------------------------------

def test_backup_places_fall_back_to_documents_and_data_folder(home, tmp_path):
    db = home / "Documents" / "TokoApp" / "instance" / "kasir.db"
    places = discover.suggest_backup_places(db, home=home, mounts=[])
    assert [p.kind for p in places] == [PlaceKind.DOCUMENTS, PlaceKind.DATA_DIR]
    assert places[0].path == home / "Documents" / "KasirBackup"
    assert places[1].path == discover.data_dir() / "backups"
    assert all(p.same_disk is True and not p.protects_against_disk_failure for p in places)


def test_removable_media_listed_first_and_same_disk_said(home, tmp_path):
    media = tmp_path / "media" / "kasir"
    (media / "SANDISK").mkdir(parents=True)
    (media / "not-a-folder").write_text("x")
    mounts = discover.removable_mounts(roots=[media])
    assert mounts == [(media / "SANDISK", PlaceKind.REMOVABLE, "SANDISK")]
    db = home / "Documents" / "TokoApp" / "instance" / "kasir.db"
    places = discover.suggest_backup_places(db, home=home, mounts=mounts)
    assert places[0].kind == PlaceKind.REMOVABLE and places[0].path == media / "SANDISK" / "KasirBackup"
    assert places[0].same_disk is True          # a folder on this disk, not really a USB stick


def _mount_tmpfs(where: Path, read_only: bool = False) -> Path:
    need_mounts()
    where.mkdir(parents=True, exist_ok=True)
    opts = "size=4m,mode=0755" + (",ro" if read_only else "")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return where


@pytest.fixture
def mounts():
    done: list[Path] = []
    yield done
    for m in done:
        subprocess.run(["umount", "-l", str(m)], capture_output=True)


def test_another_disk_protects_against_a_disk_failure(home, tmp_path, mounts):
    usb = _mount_tmpfs(tmp_path / "media" / "USB")
    mounts.append(usb)
    db = home / "Documents" / "TokoApp" / "instance" / "kasir.db"
    places = discover.suggest_backup_places(db, home=home, mounts=[(usb, PlaceKind.REMOVABLE, "USB")])
    assert places[0].path == usb / "KasirBackup" and places[0].same_disk is False
    assert places[0].protects_against_disk_failure
    assert plan_backup_folder(usb, "kasir", db).same_disk is False


# -- the chosen backup folder ----------------------------------------------------------------------

def test_plan_puts_each_database_in_its_own_folder(tmp_path, home):
    db = home / "Documents" / "TokoApp" / "instance" / "kasir.db"
    usb = tmp_path / "usb"
    plan = plan_backup_folder(usb, "kasir", db)
    assert plan.target == usb / "kasir" and not plan.existing and plan.same_disk is True
    assert not usb.exists()                           # nothing created by the check
    (usb / "kasir").mkdir(parents=True)
    (usb / "kasir" / "someone's file.txt").write_text("x")
    assert plan_backup_folder(usb, "kasir", db).target == usb / "kasir-2"
    Repository.init(usb / "kasir-2")
    plan = plan_backup_folder(usb, "kasir", db)
    assert plan.target == usb / "kasir-2" and plan.existing and not plan.encrypted
    # picking the repository folder itself continues it
    assert plan_backup_folder(usb / "kasir-2", "kasir", db).target == usb / "kasir-2"
    Repository.init(tmp_path / "secret", encrypt_with="rahasia toko")
    plan = plan_backup_folder(tmp_path / "secret", "kasir", db)
    assert plan.existing and plan.encrypted
    assert discover.folder_name_for('Toko: "Jaya"/2') == "Toko- -Jaya-2"
    with pytest.raises(ValueError):
        plan_backup_folder("relative/folder", "kasir", db)


@pytest.mark.parametrize("how", ["mount", "chmod"])
def test_plan_refuses_a_read_only_folder(tmp_path, mounts, how):
    if how == "mount":
        ro = _mount_tmpfs(tmp_path / "ro", read_only=True)
        mounts.append(ro)
        expected = RepoWriteProtected
    else:
        need_binding_permissions()
        ro = tmp_path / "ro"
        ro.mkdir()
        os.chmod(ro, 0o500)
        expected = RepoReadOnly
    try:
        with pytest.raises(expected):
            plan_backup_folder(ro, "kasir")
        with pytest.raises(expected):
            plan_backup_folder(ro / "deeper" / "folder", "kasir")
    finally:
        if expected is RepoReadOnly:
            os.chmod(ro, 0o700)
    assert plan_backup_folder(tmp_path / "ok", "kasir").target == tmp_path / "ok" / "kasir"
