"""Helpers of the prune tests (test_prune.py, test_prune_kill.py): a repository of twenty
snapshots of a changing POS database taken over six weeks with ``backup --time``, the
snapshots the test policy must keep, and repository inspection.

The schedule (Asia/Jakarta, UTC+7; the commands run with TZ=WIB-7) and the policy
``--keep-last 3 --keep-daily 4 --keep-weekly 3 --keep-monthly 2``, worked out by hand:

* last 3: #20 (Mon 06-10 23:00), #19 (06-10 12:00), #18 (06-10 00:30);
* daily 4: 06-10 -> #20, 06-09 -> #17, 06-08 -> #16 (the newest of three that day), 06-05 -> #13;
* weekly 3 (ISO): 2024-W24 -> #20, W23 (06-03..06-09) -> #17 (Sun 23:00, not Mon 00:30),
  W22 (05-27..06-02) -> #12;
* monthly 2: June -> #20, May -> #11 (05-29 23:00, not 05-29 12:00).

Kept: #11, #12, #13, #16, #17, #18, #19, #20; removed: #1–#10, #14, #15.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kbhelpers import KB, indexed_packs, make_kb
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

TZ_ENV = "WIB-7"

SCHEDULE = [   # 1-based snapshot numbers in the docstring
    "2024-05-01T23:00:00+07:00",   # 1  Wed
    "2024-05-05T23:00:00+07:00",   # 2  Sun
    "2024-05-08T23:00:00+07:00",   # 3  Wed
    "2024-05-12T22:00:00+07:00",   # 4  Sun
    "2024-05-13T00:30:00+07:00",   # 5  Mon
    "2024-05-15T23:00:00+07:00",   # 6  Wed
    "2024-05-19T23:00:00+07:00",   # 7  Sun
    "2024-05-22T23:00:00+07:00",   # 8  Wed
    "2024-05-26T23:00:00+07:00",   # 9  Sun
    "2024-05-29T12:00:00+07:00",   # 10 Wed
    "2024-05-29T23:00:00+07:00",   # 11 Wed
    "2024-06-02T23:00:00+07:00",   # 12 Sun
    "2024-06-05T23:00:00+07:00",   # 13 Wed
    "2024-06-08T09:00:00+07:00",   # 14 Sat
    "2024-06-08T13:00:00+07:00",   # 15 Sat
    "2024-06-08T23:00:00+07:00",   # 16 Sat
    "2024-06-09T23:00:00+07:00",   # 17 Sun
    "2024-06-10T00:30:00+07:00",   # 18 Mon
    "2024-06-10T12:00:00+07:00",   # 19 Mon
    "2024-06-10T23:00:00+07:00",   # 20 Mon
]
POLICY_ARGS = ["--keep-last", "3", "--keep-daily", "4", "--keep-weekly", "3", "--keep-monthly", "2"]
KEPT_NUMBERS = {11, 12, 13, 16, 17, 18, 19, 20}
EXPECTED_REASONS = {   # number -> rules that keep it
    20: {"last", "daily", "weekly", "monthly", "verified"}, 19: {"last"}, 18: {"last"}, 17: {"daily", "weekly"},
    16: {"daily"}, 13: {"daily"}, 12: {"weekly"}, 11: {"monthly"},
}


def same_moment(a: str, b: str) -> bool:
    """Two ISO 8601 times name the same moment with the same offset (precision may differ)."""
    da, db = datetime.fromisoformat(a.replace("Z", "+00:00")), datetime.fromisoformat(b.replace("Z", "+00:00"))
    return da == db and da.utcoffset() == db.utcoffset()


def kb_for(workdir: Path) -> KB:
    kb = make_kb(workdir)
    kb.env["TZ"] = TZ_ENV
    return kb


@dataclass
class BuiltRepo:
    repo: Path
    db: Path
    ids: list[str]                                   # by snapshot number - 1
    sha: dict[str, str] = field(default_factory=dict)   # id -> sha256 of its restored file
    prune_s: float = 0.0

    def number(self, snap_id: str) -> int:
        return self.ids.index(snap_id) + 1

    @property
    def kept_ids(self) -> set[str]:
        return {self.ids[n - 1] for n in KEPT_NUMBERS}

    @property
    def removed_ids(self) -> set[str]:
        return set(self.ids) - self.kept_ids

    def copy(self, dest: Path) -> Path:
        shutil.copytree(self.repo, dest, symlinks=True)
        return dest


def build_repo(workdir: Path, kb: KB, db_bytes: int = 200_000, sales: int = 30) -> BuiltRepo:
    """Twenty CLI backups with ``--time`` of a POS database that gets a day of sales
    (``sales`` sales, one commit) before each one."""
    db = workdir / "kasir.db"
    repo = workdir / "repo"
    make_pos_db(str(db), db_bytes, seed=5)
    ids = []
    for n, when in enumerate(SCHEDULE, 1):
        simulate_day_of_sales(str(db), sales, seed=100 + n, sales_per_commit=sales)
        proc = kb.run("backup", "--db", db, "--repo", repo, "--time", when, "--kind", "scheduled", "--json",
                      check=True)
        snap = json.loads(proc.stdout)
        assert snap["verified"] and same_moment(snap["created_at"], when), snap
        ids.append(snap["id"])
    return BuiltRepo(repo, db, ids)


# -- restoring ----------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cli_restore_sha(kb: KB, repo: Path, snap_id: str, dest: Path) -> str:
    """Restore with the command line; returns the sha256 of the file it made."""
    proc = kb.run("restore", "--repo", repo, "--snapshot", snap_id, "--to", dest, "--json", check=True)
    out = json.loads(proc.stdout)
    got = sha256_file(dest)
    assert out["sha256"] == got, out
    dest.unlink()
    return got


def api_restore_sha(repo: Path, snap_id: str, dest: Path) -> str:
    """Restore through the Python API (fast enough for many trials)."""
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.restore.to_file import restore_to_new_file

    r = Repository.open(repo)
    res = restore_to_new_file(r, r.find(snap_id), dest)
    got = sha256_file(dest)
    assert res.sha256 == got
    dest.unlink()
    return got


# -- inspecting ---------------------------------------------------------------------------------

def tree_state(root: Path) -> dict[str, str]:
    """Every file (relative path -> sha256) and folder (-> "<dir>") under ``root``."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = "<dir>"
        for f in filenames:
            p = os.path.join(dirpath, f)
            out[os.path.relpath(p, root)] = sha256_file(Path(p))
    return out


def tree_diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = [f"gone: {k}" for k in sorted(before.keys() - after.keys())]
    lines += [f"new: {k}" for k in sorted(after.keys() - before.keys())]
    lines += [f"changed: {k}" for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return lines


def data_files(repo: Path) -> set[str]:
    base = repo / "data"
    return {p.name for p in base.glob("*/*") if p.is_file()} if base.is_dir() else set()


def data_bytes(repo: Path) -> int:
    base = repo / "data"
    return sum(p.stat().st_size for p in base.glob("*/*") if p.is_file())


def manifest_ids(repo: Path) -> set[str]:
    base = repo / "snapshots"
    return {p.name[:-5] for p in base.glob("*.json")} if base.is_dir() else set()


def pack_consistency(repo: Path) -> tuple[set[str], set[str]]:
    """(packs no index names, packs named by an index that do not exist)."""
    named = indexed_packs(repo)
    present = data_files(repo)
    return present - named, named - present


def reason_rules(reasons: list[str]) -> set[str]:
    """The rules named by ``prune --json`` reasons (safety rules as 'verified'/'before-restore')."""
    out = set()
    for r in reasons:
        r = r.lower()
        if "restore" in r:
            out.add("before-restore")
        elif "verified" in r:
            out.add("verified")
        elif "within" in r:
            out.add("within")
        elif "hour" in r:
            out.add("hourly")
        elif "daily" in r:
            out.add("daily")
        elif "week" in r:
            out.add("weekly")
        elif "month" in r:
            out.add("monthly")
        elif "year" in r:
            out.add("yearly")
        elif "last" in r or "latest" in r:
            out.add("last")
        else:
            out.add(f"?{r}")
    return out

