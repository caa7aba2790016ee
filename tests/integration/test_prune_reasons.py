"""``kasirbackup prune`` says why each backup goes: the real command line over a repository of
seven backups taken with ``backup --time`` (Asia/Jakarta, the commands run with TZ=WIB-7).

The policy ``--keep-last 2 --keep-daily 3 --keep-weekly 2 --keep-within 2d``, worked out by hand:

* last 2: #7, #6; daily 3: 06-06 -> #7, 06-05 -> #5, 06-03 -> #4 (not #3, earlier that day);
* weekly 2: W23 -> #7, W22 -> #2; within 2 days of #7 (06-06 23:00): #5, #6, #7.

Kept: #2, #4, #5, #6, #7. Removed: #3 (a newer backup of its day and of its week is kept) and
#1 (its day and week are older than the three days and two weeks kept)."""

from __future__ import annotations

import json
import re

import pytest
from prunekit import kb_for, same_moment

from tests.support.checks import assert_ok
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

SCHEDULE = ["2024-05-20T23:00:00+07:00", "2024-05-27T23:00:00+07:00", "2024-06-03T10:00:00+07:00",
            "2024-06-03T23:00:00+07:00", "2024-06-05T23:00:00+07:00", "2024-06-06T09:00:00+07:00",
            "2024-06-06T23:00:00+07:00"]
POLICY = ["--keep-last", "2", "--keep-daily", "3", "--keep-weekly", "2", "--keep-within", "2d"]
WHY_REMOVED = {
    3: ["not one of the 2 newest", "not the newest of its day or week",
        "more than 2 days older than the newest backup"],
    1: ["not one of the 2 newest", "older than the 3 daily and 2 weekly backups kept",
        "more than 2 days older than the newest backup"],
}
KEPT_BY = {7: ["last", "daily", "weekly", "within", "newest verified"], 6: ["last", "within"],
           5: ["daily", "within"], 4: ["daily"], 2: ["weekly"]}


@pytest.fixture
def built(tmp_path):
    kb = kb_for(tmp_path)
    db, repo = tmp_path / "kasir.db", tmp_path / "repo"
    make_pos_db(str(db), 100_000, seed=3)
    ids = []
    for n, when in enumerate(SCHEDULE, 1):
        simulate_day_of_sales(str(db), 10, seed=n, sales_per_commit=10)
        snap = kb.json("backup", "--db", db, "--repo", repo, "--time", when, "--kind", "scheduled")
        assert same_moment(snap["created_at"], when), snap
        ids.append(snap["id"])
    return kb, repo, ids


def test_dry_run_says_why_each_backup_is_kept_or_removed(built):
    kb, repo, ids = built
    out = kb.json("prune", "--repo", repo, *POLICY, "--dry-run")
    got = {ids.index(i["id"]) + 1: i for i in out["snapshots"]}
    assert sorted(got) == list(range(1, 8))
    for n, item in got.items():
        if n in WHY_REMOVED:
            assert item["action"] == "remove" and item["reasons"] == [], item
            assert item["why_removed"] == WHY_REMOVED[n], (n, item)
        else:
            assert item["action"] == "keep" and item["reasons"] == KEPT_BY[n], (n, item)
            assert item["why_removed"] == [], (n, item)

    plain = assert_ok(kb.run("prune", "--repo", repo, *POLICY, "--dry-run")).stdout
    lines = {ids.index(next(i for i in ids if i[:8] in ln)) + 1: ln
             for ln in plain.splitlines() if ln.startswith(("keep", "remove"))}
    assert sorted(lines) == list(range(1, 8)), plain
    for n, line in lines.items():
        if n in WHY_REMOVED:
            assert re.match(r"remove \w{8} ", line) and line.rstrip().endswith("; ".join(WHY_REMOVED[n])), line
        else:
            assert line.startswith("keep") and line.rstrip().endswith(", ".join(KEPT_BY[n])), line
    assert "2 of 7 backups would be removed" in plain
    assert len(kb.json("list", "--repo", repo)) == 7          # a dry run removes nothing


def test_a_real_prune_lists_the_removed_backups_with_their_reasons(built):
    kb, repo, ids = built
    plain = assert_ok(kb.run("prune", "--repo", repo, *POLICY)).stdout
    removed = [ln for ln in plain.splitlines() if ln.startswith("remove")]
    assert len(removed) == 2, plain
    for n, why in WHY_REMOVED.items():
        line = next(ln for ln in removed if ids[n - 1][:8] in ln)
        assert line.rstrip().endswith("; ".join(why)), line
    assert "2 of 7 backups removed" in plain
    left = {s["id"] for s in json.loads(assert_ok(kb.run("list", "--repo", repo, "--json")).stdout)}
    assert left == {ids[n - 1] for n in KEPT_BY}
