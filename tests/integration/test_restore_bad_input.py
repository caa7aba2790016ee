"""Restoring into an existing database when something is wrong: the target is not a
database, cannot be written, the snapshot is damaged or from another database, the disk
fills up. Every refusal is one line on standard error with a non-zero exit, and the
target is left exactly as it was (or, where SQLite had started writing, rolled back to
exactly its old content)."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from restorekit import (backup, contents, diff_contents, file_state, integrity, restore_live,
                        restore_live_json, restore_new, run, snapshots)
from tests.support.checks import assert_one_line_error, describe
from tests.support.dbgen import make_hard_cases_db, make_pos_db, simulate_day_of_sales
from tests.support.privileges import need_binding_permissions, remount

POS_BYTES = 300_000
ROOT = Path(__file__).resolve().parents[2]


def exec_sql(db, *statements) -> None:
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        for s in statements:
            con.execute(s)
        con.execute("COMMIT")
    finally:
        con.close()


@pytest.fixture
def shop(kb, tmp_path):
    """A POS database with one backup, then a day of changes."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    simulate_day_of_sales(str(db), 6, seed=2)
    exec_sql(db, "DELETE FROM transaksi_detail WHERE id <= 30")
    return db, repo, snap


def assert_untouched(db: Path, state: dict) -> None:
    assert file_state(db) == state, "the target changed"


# -- the target ----------------------------------------------------------------------------------

def test_target_is_a_directory(kb, shop, tmp_path):
    _, repo, snap = shop
    folder = tmp_path / "Dokumen"
    folder.mkdir()
    (folder / "laporan.txt").write_text("tetap")
    for extra in ((), ("--tables", "produk"), ("--mode", "merge")):
        proc = restore_live(kb, repo, snap["id"], folder, *extra)
        assert_one_line_error(proc)
        assert sorted(p.name for p in folder.iterdir()) == ["laporan.txt"], extra
    assert len(snapshots(kb, repo)) == 1


@pytest.mark.parametrize("case", ["text", "random", "empty"])
def test_target_is_not_a_database(kb, shop, tmp_path, case):
    _, repo, snap = shop
    target = tmp_path / "kasir-palsu.db"
    data = {"text": b"Daftar belanja: beras, gula, minyak.\n" * 50, "random": os.urandom(8192), "empty": b""}[case]
    target.write_bytes(data)
    state = file_state(target)
    proc = restore_live(kb, repo, snap["id"], target)
    line = assert_one_line_error(proc)
    assert "kasir-palsu.db" in line
    assert_untouched(target, state)
    assert len(snapshots(kb, repo)) == 1


# -- read-only targets ---------------------------------------------------------------------------------
#
# Only real permissions: the run must be one where they bind (tests/support/privileges.py).

@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_target(kb, tmp_path, what):
    need_binding_permissions()
    base = tmp_path
    folder = base / "toko"
    folder.mkdir()
    db = folder / "kasir.db"
    repo = base / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    exec_sql(db, "DELETE FROM transaksi_detail WHERE id <= 30")
    def runner(*args):
        return run(kb, *args)
    if what == "file":
        os.chmod(db, 0o444)
    else:
        os.chmod(folder, 0o555)          # the -journal cannot be created next to the database
    try:
        state = file_state(db)
        n_snaps = len(snapshots(kb, repo))
        proc = runner("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--yes")
        line = assert_one_line_error(proc, "kasir.db")
        assert "read-only" in line or "cannot be changed" in line, describe(proc)
        assert_untouched(db, state)
        assert len(snapshots(kb, repo)) in (n_snaps, n_snaps + 1)
    finally:
        os.chmod(folder, 0o755)
        os.chmod(db, 0o644)
    assert integrity(db) == ["ok"]
    # the control: with the permissions back, the same user can restore
    proc = runner("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--yes")
    assert proc.returncode == 0, describe(proc)


def test_target_on_a_read_only_mount(kb, tmp_path, mount_tmpfs):
    """A read-only file system stops root too."""
    disk = mount_tmpfs("ro", "4m", "0755")
    db = disk / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    exec_sql(db, "DELETE FROM transaksi_detail WHERE id <= 30")
    r = remount(disk, read_only=True)
    assert r.returncode == 0, f"cannot remount read-only: {r.stderr.strip()}"
    try:
        state = file_state(db)
        proc = restore_live(kb, repo, snap["id"], db)
        assert_one_line_error(proc)
        assert "read-only" in proc.stderr or "cannot be changed" in proc.stderr, describe(proc)
        assert_untouched(db, state)
    finally:
        remount(disk, read_only=False)


# -- the snapshot ---------------------------------------------------------------------------------

def damage_packs(repo: Path) -> int:
    packs = [p for p in (repo / "data").glob("*/*") if p.is_file()]
    for p in packs:
        data = bytearray(p.read_bytes())
        mid = len(data) // 2
        for i in range(mid, min(mid + 64, len(data))):
            data[i] ^= 0x5A
        p.write_bytes(bytes(data))
    return len(packs)


@pytest.mark.parametrize("verified_first", [False, True], ids=["damage-unnoticed", "verify-marked-it"])
def test_snapshot_failing_verification_is_refused(kb, shop, verified_first):
    db, repo, snap = shop
    assert damage_packs(repo) > 0
    if verified_first:
        proc = run(kb, "verify", "--repo", repo, "--all")
        assert proc.returncode != 0, describe(proc)
    state = file_state(db)
    for extra in ((), ("--tables", "produk"), ("--mode", "merge")):
        proc = restore_live(kb, repo, snap["id"], db, *extra)
        assert_one_line_error(proc, "verification")
        assert_untouched(db, state)
    assert [s["kind"] for s in snapshots(kb, repo)] == ["manual"], "no safety snapshot for a refused restore"


# -- another database ------------------------------------------------------------------------------

def test_snapshot_of_another_shop_is_refused_unless_forced(kb, tmp_path):
    db = tmp_path / "kasir.db"
    other = tmp_path / "toko-sebelah.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    make_pos_db(str(other), POS_BYTES, seed=1)         # same application, other shop
    snap = backup(kb, other, repo)
    state = file_state(db)
    for extra in ((), ("--mode", "merge"), ("--tables", "produk")):
        proc = restore_live(kb, repo, snap["id"], db, *extra)
        line = assert_one_line_error(proc, "different database")
        assert "oldest rows" in line or "another shop" in line, line
        assert "--force-other-database" in line
        assert_untouched(db, state)
    assert len(snapshots(kb, repo)) == 1

    before = contents(db)
    res = restore_live_json(kb, repo, snap["id"], db, "--force-other-database")
    ref = contents(restore_new(kb, repo, snap["id"], tmp_path / "ref.db"), "immutable")
    assert contents(db) == ref, diff_contents(contents(db), ref)
    undo = contents(restore_new(kb, repo, res["safety_snapshot"], tmp_path / "undo.db"), "immutable")
    assert undo == before


def test_snapshot_of_another_application_is_refused(kb, tmp_path):
    db = tmp_path / "kasir.db"
    other = tmp_path / "aplikasi-lain.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    exec_sql(db, "PRAGMA application_id = 1347571283")        # b"PENS": the POS marks its files
    make_hard_cases_db(str(other))                             # application_id b"KASR", other tables
    snap = backup(kb, other, repo)
    state = file_state(db)
    proc = restore_live(kb, repo, snap["id"], db)
    line = assert_one_line_error(proc, "different database")
    assert "application" in line, line
    assert_untouched(db, state)
    assert len(snapshots(kb, repo)) == 1


# -- disk full ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_kind", ["data", "index", "snapshots"])
def test_disk_full_while_writing_the_safety_snapshot(kb, shop, monkeypatch, fail_kind):
    from kasirbackup.core.storage import local as storage_mod
    from kasirbackup.core.errors import DiskFull
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.restore.live import SafetySnapshotFailed, execute_restore, prepare_restore

    db, repo_dir, snap = shop
    repo = Repository.open(repo_dir)
    plan = prepare_restore(repo, repo.find(snap["id"]), db)
    state = file_state(db)
    real_save = storage_mod.LocalStorage.save
    calls: list[str] = []

    def save(self, kind, name, data):
        calls.append(kind)
        if kind == fail_kind:
            raise storage_mod.os_error_to_user(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), self.location)
        return real_save(self, kind, name, data)

    monkeypatch.setattr(storage_mod.LocalStorage, "save", save)
    with plan:
        with pytest.raises((SafetySnapshotFailed, DiskFull)) as info:
            execute_restore(repo, plan)
    monkeypatch.undo()
    assert fail_kind in calls, calls
    assert "full" in str(info.value).lower(), str(info.value)
    assert_untouched(db, state)
    # the database lock is released: the POS can write again at once
    con = sqlite3.connect(str(db), timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
    finally:
        con.close()
    assert [s["kind"] for s in snapshots(kb, repo_dir)] == ["manual"]
    assert run(kb, "verify", "--repo", repo_dir, "--all").returncode == 0
    assert list((repo_dir / "tmp").iterdir()) == [] if (repo_dir / "tmp").is_dir() else True


def _ignore_sigxfsz_and_limit(limit: int):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return pre


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_file_size_limit_hit_by_the_restore_itself(kb, tmp_path, journal_mode):
    """RLIMIT_FSIZE just above the database size: the temporary images and the safety
    snapshot fit, the rollback journal (or the WAL) of the restore does not."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), 1_000_000, seed=0, journal_mode=journal_mode)
    snap = backup(kb, db, repo)
    exec_sql(db, "UPDATE transaksi SET kasir = upper(kasir)", "DELETE FROM transaksi_detail WHERE id % 5 = 0")
    size = db.stat().st_size
    assert size >= snap["db_bytes"], "the snapshot image must fit under the limit"
    before = contents(db)
    proc = subprocess.run(kb.argv("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--yes"),
                          env=kb.env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          preexec_fn=_ignore_sigxfsz_and_limit(size + 1024))
    assert_one_line_error(proc)
    after_conn = sqlite3.connect(str(db), isolation_level=None)       # as the POS opens it
    try:
        after = contents(db, conn=after_conn)
        assert [r[0] for r in after_conn.execute("PRAGMA integrity_check")] == ["ok"]
    finally:
        after_conn.close()
    assert after == before, f"the target changed: {diff_contents(after, before)}"
    assert "damaged" not in proc.stderr, \
        f"a write that failed and was rolled back is reported as a damaged database: {proc.stderr.strip()}"


@pytest.mark.parametrize("case", ["journal-does-not-fit", "database-grows", "wal-does-not-fit"])
def test_disk_full_during_the_restore_on_a_real_small_disk(kb, tmp_path, mount_tmpfs, case):
    """The database lives on a nearly full disk (a small tmpfs); the temporary files and
    the repository are elsewhere. SQLite gets ENOSPC while writing the journal/WAL, or
    while growing the database at commit, and must roll back to the old content."""
    disk = mount_tmpfs("toko", "1600k", "0755")
    build = tmp_path / "kasir.db"           # built and backed up here, then moved onto the small disk
    repo = tmp_path / "repo"
    mode = "wal" if case == "wal-does-not-fit" else "delete"
    if case == "database-grows":
        make_pos_db(str(build), 1_400_000, seed=0, journal_mode=mode)
        snap = backup(kb, build, repo)
        exec_sql(build, "DELETE FROM transaksi_detail WHERE id > 3000", "DELETE FROM transaksi WHERE id > 1200")
        con = sqlite3.connect(str(build))
        con.execute("VACUUM")
        con.close()
        assert build.stat().st_size < snap["db_bytes"] / 2
    else:
        make_pos_db(str(build), 900_000, seed=0, journal_mode=mode)
        snap = backup(kb, build, repo)
        exec_sql(build, "UPDATE transaksi SET kasir = upper(kasir)")
    assert not Path(str(build) + "-wal").exists() and not Path(str(build) + "-journal").exists()
    db = disk / "kasir.db"
    shutil.copyfile(build, db)
    before = contents(db)
    proc = restore_live(kb, repo, snap["id"], db)
    assert_one_line_error(proc, "full")
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        after = contents(db, conn=con)
        assert [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"]
    finally:
        con.close()
    assert after == before, f"the target changed: {diff_contents(after, before)}"
