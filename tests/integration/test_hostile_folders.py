"""A backup folder is untrusted ground (issue: planted links, shared scratch space).

Every folder a repository owns is replaced by a link to a *victim* folder — another
program's folder, or the folder of the live database itself — and the real command line
runs backup and prune against it: it must stop with one clear line naming the link, and
leave every file of the victim exactly as it was (names, bytes, inode). A scratch folder
planted or owned by someone else in the shared temporary folder is never used, and the
temporary copy of a WAL database left by a killed run is cleaned by the next one."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kbhelpers import ROOT, make_kb

OUR_TEMP_NAME = ".0123456789abcdef.tmp"      # what LocalStorage names its own temporaries


def make_db(path: Path, journal_mode: str = "delete") -> Path:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={journal_mode}")
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, code TEXT UNIQUE, total INTEGER)")
    conn.executemany("INSERT INTO sale (code, total) VALUES (?, ?)",
                     [(f"TRX{i:06d}", i * 1000) for i in range(2000)])
    conn.commit()
    conn.close()
    return path


def snapshot_of(folder: Path) -> dict[str, tuple[str, int]]:
    """name → (sha256, inode) of every file below ``folder``, links not followed."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(folder))] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino)
    return out


def victim_folder(tmp_path: Path) -> Path:
    """Another program's folder, holding files named exactly as ours would be."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "accounts.txt").write_text("the other program's data\n")
    (victim / OUR_TEMP_NAME).write_text("not ours, even if the name looks like it\n")
    (victim / "drill-999999-abcdef.db").write_bytes(b"also not ours")
    (victim / ("ab" * 32)).write_bytes(b"a file named like a pack")
    return victim


@pytest.fixture
def world(tmp_path):
    kb = make_kb(tmp_path)
    shop = tmp_path / "shop"
    shop.mkdir()
    db = make_db(shop / "kasir.db")
    repo = tmp_path / "repo"
    kb.run("init", "--repo", repo, "--plain-copy", check=True)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    return kb, db, repo


def plant(repo: Path, folder: str, target: Path) -> Path:
    where = repo / folder
    if where.is_dir() and not where.is_symlink():
        for p in sorted(where.rglob("*"), reverse=True):
            p.rmdir() if p.is_dir() else p.unlink()
        where.rmdir()
    elif where.exists():
        where.unlink()
    where.symlink_to(target, target_is_directory=True)
    return where


@pytest.mark.parametrize("folder", ["tmp", "latest", "locks", "data", "index", "snapshots"])
@pytest.mark.parametrize("aim", ["victim", "live-database-folder"])
def test_a_planted_link_stops_backup_and_prune_and_touches_nothing(world, tmp_path, folder, aim):
    kb, db, repo = world
    target = victim_folder(tmp_path) if aim == "victim" else db.parent
    before = snapshot_of(target)
    link = plant(repo, folder, target)

    for args in (("backup", "--db", db, "--repo", repo), ("prune", "--repo", repo, "--keep-last", "1")):
        r = kb.run(*args)
        if args[0] == "prune" and folder == "latest":     # prune never goes there: it may succeed
            assert r.returncode == 0, r.stderr
            assert snapshot_of(target) == before
            continue
        assert r.returncode == 1, f"{args[0]} through a linked {folder}/ did not stop:\n{r.stdout}\n{r.stderr}"
        assert r.stderr.count("\n") == 1 and "is a link to another place" in r.stderr, r.stderr
        assert str(link) in r.stderr
        assert snapshot_of(target) == before, f"{args[0]} changed the folder behind {folder}/"
    assert link.is_symlink()
    # the live database is still the very same file, not a replaced one
    assert db.exists() and sqlite3.connect(db).execute("SELECT count(*) FROM sale").fetchone()[0] == 2000


def test_a_linked_data_subfolder_is_never_listed_or_cleaned(world, tmp_path):
    kb, db, repo = world
    victim = victim_folder(tmp_path)
    before = snapshot_of(victim)
    sub = next(p for p in (repo / "data").iterdir() if p.is_dir())
    plant(repo, f"data/{sub.name}", victim)
    r = kb.run("prune", "--repo", repo, "--keep-last", "1")
    assert r.returncode == 1 and "is a link to another place" in r.stderr, r.stderr
    assert snapshot_of(victim) == before


def test_a_link_inside_tmp_is_left_alone_and_its_target_untouched(world, tmp_path):
    """Cleaning tmp/ removes only regular files named as we name them: a link in it named
    like one of ours is not followed, and someone's file with another name stays."""
    kb, db, repo = world
    victim = victim_folder(tmp_path)
    before = snapshot_of(victim)
    tmp = repo / "tmp"
    tmp.mkdir(exist_ok=True)
    (tmp / ".fedcba9876543210.tmp").symlink_to(victim / "accounts.txt")
    (tmp / "notes.txt").write_text("someone's file")
    (tmp / ".0000000000000000.tmp").write_bytes(b"left by a killed run")
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    assert snapshot_of(victim) == before
    assert (tmp / "notes.txt").exists()
    assert not (tmp / ".0000000000000000.tmp").exists()


def test_exports_folder_as_a_link_is_refused_and_left_alone(world, tmp_path):
    from kasirbackup.app.auto_export import export_snapshot, remove_orphans
    from kasirbackup.core.repo.repository import Repository

    kb, db, repo = world
    victim = victim_folder(tmp_path)
    named_like_ours = victim / "20200101-000000-kasir-deadbeef.csv.zip"
    named_like_ours.write_bytes(b"an export of another repository")
    before = snapshot_of(victim)
    plant(repo, "exports", victim)
    r = Repository.open(repo)
    snap = r.snapshots()[0]
    out = export_snapshot(r, snap, ["csv"])
    assert out.failed and "is a link to another place" in out.failed["csv"]
    assert remove_orphans(r) == []
    assert snapshot_of(victim) == before


# -- scratch space ------------------------------------------------------------------------

def _isolated_env(kb, tmp_path) -> dict:
    env = dict(kb.env)
    env.pop("KASIRBACKUP_SCRATCH_DIR", None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX users")
def test_scratch_is_per_user_and_a_planted_or_foreign_one_is_never_used(world, tmp_path):
    kb, db, repo = world
    env = _isolated_env(kb, tmp_path)
    shared = Path(kb.tmpdir) / f"kasirbackup-scratch-{os.getuid()}"
    if shared.exists():
        subprocess.run(["rm", "-rf", str(shared)], check=True)
    victim = victim_folder(tmp_path)
    before = snapshot_of(victim)
    shared.symlink_to(victim, target_is_directory=True)      # planted by another user
    r = subprocess.run([sys.executable, "-m", "kasirbackup", "verify", "--repo", str(repo)],
                       env=env, capture_output=True, text=True, timeout=300, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert snapshot_of(victim) == before
    assert (tmp_path / "cache" / "kasirbackup" / "scratch").is_dir()     # fell back to our own cache
    shared.unlink()

    shared.mkdir(mode=0o777)  # a folder of that name owned by someone else (root can make one)
    try:
        os.chown(shared, 65534, 65534)
    except OSError:           # not root, or root of a user namespace that maps no other user
        shared.rmdir()
    else:
        r = subprocess.run([sys.executable, "-m", "kasirbackup", "verify", "--repo", str(repo)],
                           env=env, capture_output=True, text=True, timeout=300, cwd=str(ROOT))
        assert r.returncode == 0, r.stderr
        assert list(shared.iterdir()) == []


def test_scratch_folder_override_that_is_a_link_is_refused_in_one_line(world, tmp_path):
    kb, db, repo = world
    env = dict(kb.env)
    victim = victim_folder(tmp_path)
    link = tmp_path / "scratch-link"
    link.symlink_to(victim, target_is_directory=True)
    env["KASIRBACKUP_SCRATCH_DIR"] = str(link)
    r = subprocess.run([sys.executable, "-m", "kasirbackup", "verify", "--repo", str(repo)],
                       env=env, capture_output=True, text=True, timeout=300, cwd=str(ROOT))
    assert r.returncode == 1
    assert "cannot be used safely: it is a link" in r.stderr and r.stderr.count("\n") == 1


KILL_DURING_WAL_COPY = """
import os, signal, sqlite3, sys
from kasirbackup.core.progress import CancelToken
from kasirbackup.core.snapshot.capture import CaptureOptions, capture_connection

def progress(phase, done, total):
    if phase == "copy":
        os.kill(os.getpid(), signal.SIGKILL)     # killed while the copy of the shop's data exists

class Sink:
    def put(self, blob_id, data, index):
        pass

conn = sqlite3.connect(sys.argv[1])
capture_connection(conn, Sink(), progress, CancelToken(), CaptureOptions())
"""


def test_a_killed_wal_copy_leaves_its_copy_only_in_scratch_and_the_next_run_removes_it(tmp_path):
    kb = make_kb(tmp_path)
    env = _isolated_env(kb, tmp_path)
    db = make_db(tmp_path / "kasir.db", journal_mode="wal")
    r = subprocess.run([sys.executable, "-c", KILL_DURING_WAL_COPY, str(db)], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL
    scratch = Path(kb.tmpdir) / f"kasirbackup-scratch-{os.getuid()}" if hasattr(os, "getuid") else None
    left = sorted(p.name for p in Path(kb.tmpdir).rglob("*") if p.is_file())
    assert left and all(n.startswith("wal-") for n in left), left
    assert all(p.parent == scratch for p in Path(kb.tmpdir).rglob("*") if p.is_file())
    repo = tmp_path / "repo"
    r = subprocess.run([sys.executable, "-m", "kasirbackup", "backup", "--db", str(db), "--repo", str(repo), "--json"],
                       env=env, capture_output=True, text=True, timeout=300, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verified"] if "verified" in json.loads(r.stdout) else True
    assert [p for p in Path(kb.tmpdir).rglob("*") if p.is_file()] == [], "the killed run's copy is still there"


KILL_DURING_DRILL = """
import os, signal, sys
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.snapshot.verify import drill

def progress(phase, done, total):
    if phase == "verify" and done > total // 2:
        os.kill(os.getpid(), signal.SIGKILL)      # killed while the plaintext image is half written

repo = Repository.open(sys.argv[1], passphrase=lambda *a, **k: "Toko-Rahasia 7f3Q kasir!")
drill(repo, repo.snapshots()[0], progress)
"""


def test_a_killed_drill_of_an_encrypted_backup_leaves_no_plaintext_past_the_next_command(tmp_path):
    kb = make_kb(tmp_path)
    env = _isolated_env(kb, tmp_path)
    env["KASIRBACKUP_PASSPHRASE"] = "Toko-Rahasia 7f3Q kasir!"
    db = make_db(tmp_path / "kasir.db")
    repo = tmp_path / "repo"
    for args in (("init", "--repo", repo, "--encrypt"), ("backup", "--db", db, "--repo", repo)):
        r = subprocess.run([sys.executable, "-m", "kasirbackup", *map(str, args)], env=env, capture_output=True,
                           text=True, timeout=300, cwd=str(ROOT))
        assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-c", KILL_DURING_DRILL, str(repo)], env=env, capture_output=True,
                       text=True, timeout=300, cwd=str(ROOT))
    assert r.returncode == -signal.SIGKILL, r.stderr
    left = [p for p in Path(kb.tmpdir).rglob("drill-*") if p.is_file()]
    assert left, "the killed drill left no image: the test did not kill it mid-way"
    r = subprocess.run([sys.executable, "-m", "kasirbackup", "list", "--repo", str(repo)], env=env,
                       capture_output=True, text=True, timeout=300, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert [p for p in Path(kb.tmpdir).rglob("drill-*") if p.is_file()] == [], "plaintext left after 'list'"
