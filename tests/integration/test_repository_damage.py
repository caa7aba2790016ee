"""A repository whose state went back in time or got damaged (issue: untrusted ground).

* A sync client or a restored disk image brings old index files and manifests back after a
  prune: their entries name packs that are gone. No index entry is trusted without its pack.
* A flipped byte in a pack's trailer is found by every ``verify``, not only by reading all data.
* Many damaged pages of one pack make one line with a count, not twenty repeated ones.
* The weekly read-back of an off-site copy that finds nothing there is not a success."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

from kasirbackup.app.sampling import sampled_check_if_due
from kasirbackup.core.repo.repository import Repository


def fill(db: Path, seed: int, rows: int = 3000) -> None:
    """The database with ``rows`` rows of random text: another seed, other pages."""
    if db.exists():
        db.unlink()
    rnd = random.Random(seed)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, note TEXT)")
    conn.executemany("INSERT INTO sale (note) VALUES (?)",
                     [("".join(rnd.choice("abcdefghij") for _ in range(300)),) for _ in range(rows)])
    conn.commit()
    conn.close()


def packs(repo: Path) -> list[Path]:
    return sorted(p for p in (repo / "data").glob("*/*") if p.is_file())


def test_rolled_back_index_and_manifests_after_a_prune(kb, tmp_path):
    db, repo = tmp_path / "kasir.db", tmp_path / "repo"
    fill(db, seed=1)
    kb.run("backup", "--db", db, "--repo", repo, check=True)                       # P: content A
    old_index, old_snaps = tmp_path / "old-index", tmp_path / "old-snapshots"
    shutil.copytree(repo / "index", old_index)
    shutil.copytree(repo / "snapshots", old_snaps)
    fill(db, seed=2)
    kb.run("backup", "--db", db, "--repo", repo, check=True)                       # Q: content B
    kb.run("prune", "--repo", repo, "--keep-last", "1", check=True)                 # P and its packs go
    # the sync client puts the old state of index/ and snapshots/ back (data/ stays as it is)
    for f in old_index.iterdir():
        shutil.copy2(f, repo / "index" / f.name)
    shutil.rmtree(repo / "snapshots")
    shutil.copytree(old_snaps, repo / "snapshots")

    r = Repository.open(repo)
    present = r.present_packs()
    refs = r.scan_index(lambda b, t: True)
    assert refs and all(ref.frame.pack in present for ref in refs.values()), \
        "an index entry whose pack is gone was trusted"

    # content A again: its pages are named by the old index, in packs that are gone
    fill(db, seed=1)
    for _ in range(2):
        out = kb.json("backup", "--db", db, "--repo", repo)
        assert out["verified"] is True, out
    restored = tmp_path / "restored.db"
    kb.run("restore", "--repo", repo, "--snapshot", out["id"], "--to", restored, check=True)
    assert restored.read_bytes() == db.read_bytes()


def rolled_back(kb, tmp_path) -> tuple[Path, Path, str]:
    """A repository after a prune whose old index and manifests a sync client put back:
    backup P (removed by the prune, its packs gone) is listed again. Returns db, repo, P."""
    db, repo = tmp_path / "kasir.db", tmp_path / "repo"
    fill(db, seed=1)
    p = kb.json("backup", "--db", db, "--repo", repo)["id"]
    old_index, old_snaps = tmp_path / "old-index", tmp_path / "old-snapshots"
    shutil.copytree(repo / "index", old_index)
    shutil.copytree(repo / "snapshots", old_snaps)
    fill(db, seed=2)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    kb.run("prune", "--repo", repo, "--keep-last", "1", check=True)
    for f in old_index.iterdir():
        shutil.copy2(f, repo / "index" / f.name)
    for f in old_snaps.iterdir():
        shutil.copy2(f, repo / "snapshots" / f.name)
    return db, repo, p


def test_prune_after_a_rollback_drops_stale_entries_when_no_kept_backup_needs_them(kb, tmp_path):
    db, repo, p = rolled_back(kb, tmp_path)
    fill(db, seed=3)
    newest = kb.json("backup", "--db", db, "--repo", repo)["id"]
    out = kb.json("prune", "--repo", repo, "--keep-last", "1")
    assert out["removed"] == 2, out
    assert [s["id"] for s in kb.json("list", "--repo", repo)] == [newest]
    r = Repository.open(repo)
    present = r.present_packs()
    assert all(pack in present for pack, _ in r.index_entries()), "the new index still names packs that are gone"
    kb.run("verify", "--repo", repo, "--all", check=True)


def test_prune_that_would_keep_a_backup_whose_data_is_gone_names_it_and_repair_forgets_it(kb, tmp_path):
    db, repo, p = rolled_back(kb, tmp_path)
    before = {f.name for f in (repo / "data").rglob("*") if f.is_file()}
    r = kb.run("prune", "--repo", repo, "--keep-last", "5")
    assert r.returncode != 0
    err = r.stderr.strip().splitlines()
    assert len(err) <= 2 and p[:8] in r.stderr and "repair --forget-damaged" in r.stderr, r.stderr
    assert {f.name for f in (repo / "data").rglob("*") if f.is_file()} == before, "a refused prune deleted data"

    out = kb.json("repair", "--repo", repo, "--forget-damaged")
    assert [f["id"] for f in out["forgotten"]] == [p], out
    assert len(kb.json("list", "--repo", repo)) == 1
    kb.run("prune", "--repo", repo, "--keep-last", "5", check=True)
    kb.run("verify", "--repo", repo, "--all", check=True)
    again = kb.run("repair", "--repo", repo, "--forget-damaged", check=True)
    assert "nothing to repair" in again.stdout


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    os.chmod(path, 0o600)
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_a_pack_trailer_is_found_by_every_verify(kb, tmp_path):
    db, repo = tmp_path / "kasir.db", tmp_path / "repo"
    fill(db, seed=3)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    assert kb.run("verify", "--repo", repo).returncode == 0
    pack = packs(repo)[0]
    flip(pack, pack.stat().st_size - 8 - 4 - 20)          # inside the trailer, before its length and end mark
    r = kb.run("verify", "--repo", repo, "--all")
    assert r.returncode == 3, (r.stdout, r.stderr)
    assert f"DAMAGED pack {pack.name[:12]} is damaged" in r.stdout, r.stdout
    out = json.loads(kb.run("verify", "--repo", repo, "--json").stdout)
    assert out["ok"] is False and any(pack.name[:12] in p for p in out["problems"])


def test_many_damaged_pages_of_one_pack_make_one_counted_line(kb, tmp_path):
    db, repo = tmp_path / "kasir.db", tmp_path / "repo"
    fill(db, seed=4, rows=6000)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    pack = max(packs(repo), key=lambda p: p.stat().st_size)
    size = pack.stat().st_size
    for k in range(1, 30):                                # damage frames through most of the pack
        flip(pack, 8 + (size * 6 // 10) * k // 30)   # (the trees are written last: keep them whole)
    r = kb.run("verify", "--repo", repo)
    assert r.returncode == 3
    line = next(x for x in r.stdout.splitlines() if x.startswith("DAMAGED") and "pages" in x)
    assert f"pages in pack {pack.name[:12]}" in line and len(line) < 600, line


def test_weekly_read_back_that_finds_nothing_is_not_a_success(kb, tmp_path):
    db, repo = tmp_path / "kasir.db", tmp_path / "offsite"
    fill(db, seed=5, rows=200)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    shutil.rmtree(repo / "data")
    shutil.rmtree(repo / "index")
    shutil.rmtree(repo / "snapshots")                     # e.g. the wrong folder, or an emptied share
    os.environ["KASIRBACKUP_DATA_DIR"] = str(tmp_path / "data-dir")
    try:
        report = sampled_check_if_due(Repository.open(repo))
    finally:
        os.environ.pop("KASIRBACKUP_DATA_DIR")
    assert report is not None and not report.ok
    assert any("nothing was found to read back" in p for p in report.problems), report.problems


def test_a_deleted_or_damaged_index_is_rebuilt_from_the_packs_and_said_so(kb, tmp_path):
    db, repo = tmp_path / "kasir.db", tmp_path / "repo"
    fill(db, seed=6)
    first = kb.json("backup", "--db", db, "--repo", repo)
    fill(db, seed=7)
    kb.json("backup", "--db", db, "--repo", repo)

    shutil.rmtree(repo / "index")                            # deleted (a sync client, a careless hand)
    r = kb.run("verify", "--repo", repo, "--all")
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert "NOTE    index damaged or incomplete: rebuilt from the backup files" in r.stdout
    assert "DAMAGED" not in r.stdout and r.stdout.count("OK ") == 2

    index = next((repo / "index").iterdir())
    flip(index, index.stat().st_size // 2)                  # damaged
    out = json.loads(kb.run("verify", "--repo", repo, "--json").stdout)
    assert out["ok"] is True and any("1 damaged index file(s) replaced" in n for n in out["notes"]), out
    assert not index.exists() or hashlib.sha256(index.read_bytes()).hexdigest() == index.name

    shutil.rmtree(repo / "index")
    r = kb.run("repair", "--repo", repo, check=True)
    assert r.stdout.startswith("Index damaged or incomplete: rebuilt from the backup files"), r.stdout
    assert "nothing to repair" in kb.run("repair", "--repo", repo, check=True).stdout

    shutil.rmtree(repo / "index")                            # prune rebuilds it too, and deletes nothing needed
    kb.run("prune", "--repo", repo, "--keep-last", "1", check=True)
    restored = tmp_path / "restored.db"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", restored, check=True)
    assert restored.read_bytes() == db.read_bytes()
    assert first["id"] not in kb.run("list", "--repo", repo, check=True).stdout
