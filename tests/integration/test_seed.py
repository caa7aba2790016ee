"""Starting a capture from the last one (core/snapshot/seed.py): the same snapshot as a capture
from nothing, whatever happened to the database or to the seed file in between."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kasirbackup.core.repo.manifest import Kind, READBACK
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.to_file import restore_to_new_file
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.snapshot.capture import CaptureOptions, ImageFileSink, capture
from kasirbackup.core.snapshot.seed import Seed, load_seed, save_seed
from tests.support.dbgen import simulate_day_of_sales


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def run(repo_dir: Path, db: Path, seed: Path):
    return backup(Repository.open(repo_dir, create=True),
                  BackupRequest(str(db), kind=Kind.CONTINUOUS, check=READBACK, seed_file=seed))


def restored(repo_dir: Path, snap, out: Path) -> Path:
    return restore_to_new_file(Repository.open(repo_dir), Repository.open(repo_dir).find(snap.id), out).path


def test_seeded_snapshots_restore_byte_for_byte(tmp_path, pos_db):
    seed = tmp_path / "seed"
    first = run(tmp_path / "repo", pos_db, seed).snapshot
    assert seed.exists() and not first.capture.get("seeded")
    assert load_seed(seed).snapshot == first.id
    for i in range(3):
        simulate_day_of_sales(str(pos_db), 2 + i, seed=40 + i)
        res = run(tmp_path / "repo", pos_db, seed)
        assert res.snapshot.verified and res.snapshot.capture["seeded"]
        assert res.snapshot.capture["passes"] == 0                                # straight to the sweep
        out = restored(tmp_path / "repo", res.snapshot, tmp_path / f"r{i}.db")
        assert sha(out) == sha(pos_db)
        assert load_seed(seed).snapshot == res.snapshot.id


def _mutate(db: Path, rng: random.Random, op: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        if op == "insert":
            conn.execute("INSERT INTO t(v) VALUES (?)", (rng.randbytes(rng.randint(10, 9000)),))
        elif op == "update":
            conn.execute("UPDATE t SET v = ? WHERE id = (SELECT id FROM t ORDER BY random() LIMIT 1)",
                         (rng.randbytes(rng.randint(10, 3000)),))
        elif op == "delete":
            conn.execute("DELETE FROM t WHERE id IN (SELECT id FROM t ORDER BY random() LIMIT 5)")
        elif op == "vacuum":
            conn.execute("VACUUM")
        elif op == "pagesize":
            size = rng.choice([1024, 4096, 8192])
            conn.execute(f"PRAGMA page_size={size}")
            conn.execute("VACUUM")
    finally:
        conn.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["insert", "update", "delete", "vacuum", "pagesize"]), min_size=1, max_size=8),
       st.integers(0, 2**32 - 1))
def test_a_seeded_capture_is_the_capture_from_nothing(tmp_path_factory, ops, salt):
    tmp = tmp_path_factory.mktemp("seed")
    db = tmp / "db.sqlite"
    rng = random.Random(salt)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)")
    conn.executemany("INSERT INTO t(v) VALUES (?)", [(rng.randbytes(rng.randint(10, 5000)),) for _ in range(60)])
    conn.commit()
    conn.close()
    first = capture(db, ImageFileSink(tmp / "a.img"))
    seed = first.seed("x")
    for op in ops:
        _mutate(db, rng, op)
    plain = capture(db, ImageFileSink(tmp / "b.img"))
    seeded = capture(db, ImageFileSink(tmp / "c.img"), opts=CaptureOptions(seed=seed))
    assert seeded.seeded == (seeded.header.page_size == first.header.page_size)
    assert seeded.page_ids == plain.page_ids
    assert seeded.header == plain.header
    assert hashlib.sha256(b"".join(seeded.page_ids)).digest() == hashlib.sha256(b"".join(plain.page_ids)).digest()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other-db", "wrong-snapshot", "ids-not-stored"])
def test_a_bad_seed_costs_time_only(tmp_path, pos_db, damage):
    seed = tmp_path / "seed"
    repo_dir = tmp_path / "repo"
    first = run(repo_dir, pos_db, seed).snapshot
    s = load_seed(seed)
    if damage == "truncated":
        seed.write_bytes(seed.read_bytes()[:-100])
    elif damage == "garbage":
        seed.write_bytes(b"KBSEED01\n{\"page_size\": 4096}\n" + bytes(5000))
    elif damage == "other-db":
        other = tmp_path / "other.db"
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE x(a)")
        conn.executemany("INSERT INTO x VALUES (?)", [(i,) for i in range(5000)])
        conn.commit()
        conn.close()
        save_seed(seed, capture(other, ImageFileSink(tmp_path / "o.img")).seed(first.id))
    elif damage == "wrong-snapshot":
        s.snapshot = "f" * 32
        save_seed(seed, s)
    elif damage == "ids-not-stored":
        s.ids = [hashlib.sha256(bytes([i % 256]) * 7).digest() for i in range(len(s.ids))]
        save_seed(seed, s)
    simulate_day_of_sales(str(pos_db), 3, seed=50)
    res = run(repo_dir, pos_db, seed)
    assert res.snapshot.verified
    out = restored(repo_dir, res.snapshot, tmp_path / "back.db")
    assert sha(out) == sha(pos_db)


def test_seed_file_round_trip_and_refusals(tmp_path):
    s = Seed(4096, b"\x01" * 4096, [bytes([i]) * 32 for i in range(40)], [b"", bytes([7]) * 16, bytes([9]) * 16])
    p = tmp_path / "s"
    save_seed(p, s)
    back = load_seed(p)
    assert (back.page_size, back.page1, back.ids, back.blocks) == (s.page_size, s.page1, s.ids, s.blocks)
    assert load_seed(tmp_path / "none") is None
    for junk in (b"", b"KBSEED01\n", b"KBSEED01\nnot json\n", p.read_bytes() + b"x"):
        p.write_bytes(junk)
        assert load_seed(p) is None


def test_a_pack_gone_since_the_seed_is_noticed(tmp_path, pos_db):
    """The seed remembers which packs held the previous snapshot; a pack removed since (a sync
    client, a restored disk image, another computer's prune) means its pages are stored again."""
    seed = tmp_path / "seed"
    repo_dir = tmp_path / "repo"
    first = run(repo_dir, pos_db, seed).snapshot
    simulate_day_of_sales(str(pos_db), 2, seed=70)
    second = run(repo_dir, pos_db, seed).snapshot
    kept = load_seed(seed)
    assert kept.snapshot == second.id and kept.packs and kept.indexed
    first_packs = [p for p in (repo_dir / "data").glob("*/*") if p.name in set(kept.packs)]
    assert first_packs
    for p in first_packs:                       # every pack the seed names is gone
        p.unlink()
    simulate_day_of_sales(str(pos_db), 2, seed=71)
    third = run(repo_dir, pos_db, seed)
    assert third.snapshot.verified
    out = restored(repo_dir, third.snapshot, tmp_path / "back.db")
    assert sha(out) == sha(pos_db)
    assert first.id != third.snapshot.id


def test_the_seed_remembers_the_index_files_and_forgets_removed_ones(tmp_path, pos_db):
    seed = tmp_path / "seed"
    repo_dir = tmp_path / "repo"
    run(repo_dir, pos_db, seed)
    simulate_day_of_sales(str(pos_db), 1, seed=72)
    run(repo_dir, pos_db, seed)
    listed = {p.name for p in (repo_dir / "index").iterdir()}
    assert set(load_seed(seed).indexed) == listed
    gone = sorted(listed)[0]
    (repo_dir / "index" / gone).unlink()
    simulate_day_of_sales(str(pos_db), 1, seed=73)
    res = run(repo_dir, pos_db, seed)        # the packs it named are adopted again
    assert res.snapshot.verified
    indexed = load_seed(seed).indexed
    assert gone not in indexed and set(indexed) <= {p.name for p in (repo_dir / "index").iterdir()}
    assert sha(restored(repo_dir, res.snapshot, tmp_path / "back.db")) == sha(pos_db)
