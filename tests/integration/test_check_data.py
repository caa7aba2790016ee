"""Sampled data checks (``verify --read-data-subset``): groups n/t read every pack exactly
once between them; damage in a pack that is read is named; damage in a pack that is not
read is not claimed as checked; the structure of every backup is always checked."""

from __future__ import annotations

import random

import pytest

from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.check import BadSubset, Subset, check_data
from kasirbackup.core.repo.repository import Repository
from tests.support.dbgen import make_pos_db, simulate_day_of_sales


@pytest.fixture
def repo_with_packs(tmp_path):
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 3_000_000, seed=4)
    repo = Repository.init(tmp_path / "repo")
    repo.config.pack_bytes = 256 * 1024        # several packs from a small database
    repo.save_config()
    repo = Repository.open(tmp_path / "repo")
    backup(repo, BackupRequest(str(db)))
    simulate_day_of_sales(str(db), 40, seed=2)
    backup(repo, BackupRequest(str(db)))
    return repo


def test_subset_parsing():
    assert Subset.parse("10%").percent == 10
    assert Subset.parse(" 2 / 5 ").group == (2, 5)
    for bad in ("0%", "101%", "0/3", "4/3", "abc", "", "1/0"):
        with pytest.raises(BadSubset):
            Subset.parse(bad)


def test_groups_read_every_pack_once(repo_with_packs):
    repo = repo_with_packs
    packs = set(repo.storage.list("data"))
    assert len(packs) >= 4
    read = []
    for n in (1, 2, 3):
        chosen = Subset.parse(f"{n}/3").choose(sorted(packs))
        report = check_data(repo, Subset.parse(f"{n}/3"))
        assert report.ok and report.snapshots == 2 and report.packs_read == len(chosen)
        read.extend(chosen)
    assert sorted(read) == sorted(packs)


def test_percentage_reads_that_share(repo_with_packs):
    repo = repo_with_packs
    total = len(list(repo.storage.list("data")))
    report = check_data(repo, Subset.parse("50%"), rng=random.Random(1))
    assert report.ok and report.packs_read == -(-total // 2) and report.blobs_checked > 0
    full = check_data(repo, Subset.parse("100%"))
    assert full.packs_read == total and full.bytes_read == sum(
        repo.storage.size("data", p) for p in repo.storage.list("data"))


def test_damage_is_named_only_where_read(repo_with_packs):
    repo = repo_with_packs
    packs = sorted(repo.storage.list("data"))
    victim = packs[0]
    path = repo.storage._path("data", victim)
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.chmod(0o600)
    path.write_bytes(bytes(data))
    report = check_data(repo, Subset.parse("100%"))
    assert not report.ok
    assert any(victim[:12] in p and "damaged" in p for p in report.problems)
    # a group that does not contain the damaged pack reads only intact packs
    t = 7
    group = next(n for n in range(1, t + 1) if victim not in Subset.parse(f"{n}/{t}").choose(packs))
    assert check_data(repo, Subset.parse(f"{group}/{t}")).ok


def test_missing_pack_breaks_the_structure_check(repo_with_packs):
    repo = repo_with_packs
    victim = sorted(repo.storage.list("data"))[-1]
    repo.storage.remove("data", victim)
    report = check_data(repo, Subset.parse("1/1000"))      # reads almost nothing
    assert not report.ok
    assert any(victim[:12] in p and "missing" in p for p in report.problems)


def test_cli_read_data_subset(kb, tmp_path, pos_db):
    repo = tmp_path / "repo"
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    r = kb.run("verify", "--repo", repo, "--read-data-subset", "100%")
    assert r.returncode == 0 and "all intact" in r.stdout
    out = kb.json("verify", "--repo", repo, "--read-data-subset", "1/1")
    assert out["ok"] and out["packs_read"] == out["packs_total"] >= 1 and out["subset"] == "1/1"
    bad = kb.run("verify", "--repo", repo, "--read-data-subset", "200%")
    assert bad.returncode != 0 and "is not a share" in bad.stderr and "Traceback" not in bad.stderr
    pack = next((repo / "data").rglob("*"))
    while pack.is_dir():
        pack = next(pack.iterdir())
    raw = bytearray(pack.read_bytes())
    raw[10] ^= 1
    pack.chmod(0o600)
    pack.write_bytes(bytes(raw))
    r = kb.run("verify", "--repo", repo, "--read-data-subset", "100%")
    assert r.returncode == 3 and "DAMAGED pack" in r.stdout
