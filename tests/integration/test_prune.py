"""``kasirbackup prune``: what it keeps, what it frees, what it refuses to touch.

One repository of twenty snapshots (prunekit.py: six weeks of a POS database taken with
``backup --time``, several on some days) is built once per module; every test works on
its own copy. The commands run with TZ=WIB-7 (Asia/Jakarta), the zone the schedule is
written in.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zoneinfo
from datetime import datetime
from pathlib import Path

import pytest

from prunekit import (EXPECTED_REASONS, KEPT_NUMBERS, POLICY_ARGS, SCHEDULE, BuiltRepo, build_repo,
                      cli_restore_sha, data_bytes, data_files, kb_for, manifest_ids, pack_consistency,
                      reason_rules, same_moment, tree_diff, tree_state)
from tests.support import mutation_map
from tests.support.checks import assert_ok, assert_one_line_error, describe

ROOT = Path(__file__).resolve().parents[2]
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> BuiltRepo:
    cache = mutation_map.setup_cache("prune-build", ROOT)
    if cache is not None and (cache / "done").exists():    # a mutmut run: built by its stats run
        saved = json.loads((cache / "built.json").read_text())
        return BuiltRepo(cache / "repo", cache / "kasir.db", saved["ids"], saved["sha"])
    work = cache or tmp_path_factory.mktemp("prune-build")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    kb = kb_for(work)
    b = build_repo(work, kb)
    for snap_id in b.ids:
        b.sha[snap_id] = cli_restore_sha(kb, b.repo, snap_id, work / f"before-{snap_id[:8]}.db")
    assert len(set(b.sha.values())) == len(b.ids), "every snapshot should be a different database"
    if cache is not None:
        (cache / "built.json").write_text(json.dumps({"ids": b.ids, "sha": b.sha}))
        (cache / "done").touch()
    return b


@pytest.fixture
def kbp(tmp_path):
    return kb_for(tmp_path)


@pytest.fixture
def repo(built, tmp_path) -> Path:
    return built.copy(tmp_path / "repo")


def prune_json(kb, repo: Path, *args: str) -> dict:
    proc = assert_ok(kb.run("prune", "--repo", repo, *args, "--json"))
    return json.loads(proc.stdout)


def check_decisions(out: dict, built: BuiltRepo) -> None:
    """The listing names every snapshot once, with the expected action and reasons."""
    items = out["snapshots"]
    assert sorted(i["id"] for i in items) == sorted(built.ids)
    created = [datetime.fromisoformat(i["created_at"]) for i in items]
    assert created == sorted(created, reverse=True), "newest first"
    for item in items:
        n = built.number(item["id"])
        assert same_moment(item["created_at"], SCHEDULE[n - 1]), (item["created_at"], SCHEDULE[n - 1])
        assert item["kind"] == "scheduled"
        assert item["source"] == str(built.db.resolve())
        if n in KEPT_NUMBERS:
            assert item["action"] == "keep", (n, item)
            assert reason_rules(item["reasons"]) == EXPECTED_REASONS[n], (n, item["reasons"])
        else:
            assert item["action"] == "remove", (n, item)
            assert item["reasons"] == [], (n, item)
    assert out["kept"] == len(KEPT_NUMBERS) and out["removed"] == len(SCHEDULE) - len(KEPT_NUMBERS)


# -- dry run --------------------------------------------------------------------------------------

def test_dry_run_lists_every_snapshot_and_changes_nothing(built, repo, kbp):
    before = tree_state(repo)
    out = prune_json(kbp, repo, *POLICY_ARGS, "--dry-run")
    assert out["dry_run"] is True and out["policy_is_default"] is False
    check_decisions(out, built)
    assert out["packs_deleted"] == 0 and out["packs_written"] == 0 and out["bytes_freed"] == 0
    assert tree_diff(before, tree_state(repo)) == []

    plain = assert_ok(kbp.run("prune", "--repo", repo, *POLICY_ARGS, "--dry-run"))
    assert "12 of 20 backups would be removed" in plain.stdout, plain.stdout
    lines = [ln for ln in plain.stdout.splitlines() if ln.startswith(("keep", "remove"))]
    assert len(lines) == 20
    for snap_id in built.ids:
        line = next(ln for ln in lines if snap_id[:8] in ln)
        assert line.startswith("keep" if built.number(snap_id) in KEPT_NUMBERS else "remove"), line
    assert tree_diff(before, tree_state(repo)) == []


def test_python_api_dry_run_agrees_with_the_command_line(built, repo, kbp):
    from kasirbackup.core.retention.prune import prune
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.retention.policy import Policy

    before = tree_state(repo)
    cli = prune_json(kbp, repo, *POLICY_ARGS, "--dry-run")
    res = prune(Repository.open(repo), Policy(keep_last=3, keep_daily=4, keep_weekly=3, keep_monthly=2),
                dry_run=True, tz=JAKARTA)
    api = res.to_json()
    assert [(i["id"], i["action"], i["reasons"]) for i in api["snapshots"]] == \
           [(i["id"], i["action"], i["reasons"]) for i in cli["snapshots"]]
    assert {s.id for s in res.removed} == built.removed_ids
    assert tree_diff(before, tree_state(repo)) == []


def test_default_policy_is_used_and_said_when_no_rule_is_given(built, repo, kbp):
    out = prune_json(kbp, repo, "--dry-run")
    assert out["policy_is_default"] is True
    kept = sorted(built.number(i["id"]) for i in out["snapshots"] if i["action"] == "keep")
    # last 10: #11-#20; daily 7 (days 06-10, 06-09, 06-08, 06-05, 06-02, 05-29, 05-26): adds #9;
    # weekly 4 (W24, W23, W22, W21): W21 (05-20..05-26) -> #9; monthly 12: June #20, May #11
    assert kept == [9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    plain = assert_ok(kbp.run("prune", "--repo", repo, "--dry-run"))
    assert "default policy" in plain.stdout


def test_bad_keep_within_is_refused(repo, kbp):
    before = tree_state(repo)
    assert_one_line_error(kbp.run("prune", "--repo", repo, "--keep-within", "5x"), "5x", "duration")
    assert tree_diff(before, tree_state(repo)) == []


# -- a real prune -----------------------------------------------------------------------------------

def test_prune_removes_the_expected_snapshots_and_the_rest_restore_identically(built, repo, kbp, tmp_path):
    used_before = data_bytes(repo)
    packs_before = data_files(repo)
    out = prune_json(kbp, repo, *POLICY_ARGS)
    assert out["dry_run"] is False
    check_decisions(out, built)

    # the snapshots: exactly the kept ones remain
    assert manifest_ids(repo) == built.kept_ids
    listed = {s["id"] for s in json.loads(assert_ok(kbp.run("list", "--repo", repo, "--json")).stdout)}
    assert listed == built.kept_ids

    # the space
    used_after = data_bytes(repo)
    assert used_after < used_before, (used_before, used_after)
    assert out["bytes_before"] == used_before and out["bytes_after"] == used_after
    assert out["bytes_freed"] == used_before - used_after > 0
    assert out["packs_deleted"] == len(packs_before - data_files(repo)) > 0
    assert out["packs_written"] >= 1, "removing snapshots leaves packs partly used: some get repacked"
    assert pack_consistency(repo) == (set(), set())
    assert len(list((repo / "index").iterdir())) == 1
    assert not (repo / "locks" / "exclusive").exists()
    assert not any((repo / "tmp").iterdir())

    # every remaining snapshot verifies and restores to the very same bytes as before
    ver = assert_ok(kbp.run("verify", "--repo", repo, "--all", "--json"))
    vj = json.loads(ver.stdout)
    assert vj["ok"] and {s["id"] for s in vj["snapshots"]} == built.kept_ids
    for snap_id in sorted(built.kept_ids):
        assert cli_restore_sha(kbp, repo, snap_id, tmp_path / f"after-{snap_id[:8]}.db") == built.sha[snap_id]

    # a second prune right after: nothing to remove, nothing freed, not a byte changed
    before = tree_state(repo)
    again = prune_json(kbp, repo, *POLICY_ARGS)
    assert again["removed"] == 0 and again["kept"] == len(KEPT_NUMBERS)
    assert again["bytes_freed"] == 0 and again["packs_deleted"] == 0 and again["packs_written"] == 0
    assert tree_diff(before, tree_state(repo)) == []


def test_prune_through_the_python_api(built, repo, tmp_path):
    from kasirbackup.core.retention.prune import prune
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.retention.policy import Policy

    from prunekit import api_restore_sha

    res = prune(Repository.open(repo), Policy(keep_last=3, keep_daily=4, keep_weekly=3, keep_monthly=2),
                tz=JAKARTA)
    assert {s.id for s in res.removed} == built.removed_ids
    assert res.gc.bytes_after < res.gc.bytes_before and res.gc.packs_written >= 1
    assert res.gc.unindexed_removed == 0
    assert {s.id for s in Repository.open(repo).snapshots()} == built.kept_ids
    for snap_id in built.kept_ids:
        assert api_restore_sha(repo, snap_id, tmp_path / "r.db") == built.sha[snap_id]
    assert pack_consistency(repo) == (set(), set())


# -- garbage of killed runs -------------------------------------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_killed_backups_are_removed_by_the_next_prune(built, repo, kbp, tmp_path):
    from kasirbackup.core.repo.packs import BLOB_PAGE
    from kasirbackup.core.repo.repository import Repository
    from tests.support.dbgen import simulate_day_of_sales

    original_packs = data_files(repo)
    original_index = set(os.listdir(repo / "index"))

    # 1. a pack written with PackWriter and never indexed (a backup killed before its index)
    import hashlib
    r = Repository.open(repo)
    writer = r.pack_writer()
    for i in range(40):
        page = hashlib.sha256(b"leftover %d" % i).digest() * 128
        writer.add(hashlib.sha256(page).digest(), BLOB_PAGE, page)
    orphan_a = {name for name, _ in writer.finish()}

    # 2. the packs a real backup of newer data wrote (taken in a scratch copy, then copied
    # over without their index and manifest: the state a kill right after them leaves)
    scratch = built.copy(tmp_path / "scratch")
    db = tmp_path / "kasir.db"
    shutil.copy(built.db, db)
    simulate_day_of_sales(str(db), 200, seed=999, sales_per_commit=200)
    assert_ok(kbp.run("backup", "--db", db, "--repo", scratch, "--time", "2024-06-11T23:00:00+07:00"))
    orphan_b = data_files(scratch) - original_packs
    assert orphan_b
    for name in orphan_b:
        (repo / "data" / name[:2]).mkdir(exist_ok=True)
        shutil.copy(scratch / "data" / name[:2] / name, repo / "data" / name[:2] / name)

    # 3. a temporary file and the lock of a process that is gone
    (repo / "tmp").mkdir(exist_ok=True)
    (repo / "tmp" / ".0123456789abcdef.tmp").write_bytes(b"half a pack")
    (repo / "locks" / "exclusive").write_text(json.dumps({
        "host": __import__("socket").gethostname(), "pid": _dead_pid(), "pid_start": None,
        "command": "backup", "nonce": "feedfeedfeedfeed", "time": time.time() - 60}))

    assert pack_consistency(repo)[0] == orphan_a | orphan_b
    # keep every snapshot: only the garbage goes
    out = prune_json(kbp, repo, "--keep-last", "100")
    assert out["removed"] == 0
    assert data_files(repo) == original_packs, "exactly the leftover packs are removed"
    assert out["packs_deleted"] == len(orphan_a | orphan_b)
    assert pack_consistency(repo) == (set(), set())
    assert manifest_ids(repo) == set(built.ids)
    assert not any((repo / "tmp").iterdir())
    assert not (repo / "locks" / "exclusive").exists()
    assert len(os.listdir(repo / "index")) == 1 < len(original_index)
    assert_ok(kbp.run("verify", "--repo", repo, "--all"))


def test_leftover_pack_and_removed_snapshots_in_one_prune(built, repo, kbp, tmp_path):
    """Leftovers go in the same run that forgets snapshots and repacks."""
    from kasirbackup.core.repo.packs import BLOB_PAGE
    from kasirbackup.core.repo.repository import Repository

    r = Repository.open(repo)
    writer = r.pack_writer()
    page = b"\x42" * 4096
    import hashlib
    writer.add(hashlib.sha256(page).digest(), BLOB_PAGE, page)
    orphan = {name for name, _ in writer.finish()}
    out = prune_json(kbp, repo, *POLICY_ARGS)
    assert out["removed"] == 12
    assert not orphan & data_files(repo)
    assert pack_consistency(repo) == (set(), set())
    assert_ok(kbp.run("verify", "--repo", repo, "--all"))


def test_prune_after_one_stopped_right_after_repacking_keeps_the_repacked_pack(built, repo, kbp, tmp_path,
                                                                             monkeypatch):
    """A prune stopped (killed) after writing its repacked pack but before the new index: that
    pack is unindexed. The next prune repacks the same blobs into a byte-identical pack —
    same name — and must not then delete it as a leftover: every kept snapshot needs it."""
    from kasirbackup.core.retention.prune import prune
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.retention.policy import Policy

    policy = Policy(keep_last=3, keep_daily=4, keep_weekly=3, keep_monthly=2)

    def killed(self, packs):
        raise KeyboardInterrupt("stopped between the repacked pack and the new index")

    monkeypatch.setattr(Repository, "save_index", killed)
    with pytest.raises(KeyboardInterrupt):
        prune(Repository.open(repo), policy, tz=JAKARTA)
    monkeypatch.undo()
    leftover, _ = pack_consistency(repo)
    assert leftover, "the stopped prune should have left its repacked pack behind"
    assert_ok(kbp.run("verify", "--repo", repo, "--all"))        # still fine here

    out = prune_json(kbp, repo, *POLICY_ARGS)
    assert out["packs_written"] >= 1
    unindexed, missing = pack_consistency(repo)
    assert not missing, f"the index names packs that the prune deleted: {sorted(missing)}"
    assert not unindexed
    assert_ok(kbp.run("verify", "--repo", repo, "--all"))
    for snap_id in sorted(built.kept_ids):
        assert cli_restore_sha(kbp, repo, snap_id, tmp_path / f"r-{snap_id[:8]}.db") == built.sha[snap_id]


# -- refusals ---------------------------------------------------------------------------------------

def _flip(path: Path, at: int, n: int = 8) -> None:
    data = bytearray(path.read_bytes())
    for i in range(at, min(at + n, len(data))):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _tree_frame(repo: Path, snap_id: str, which: str):
    from kasirbackup.core.repo.packs import BLOB_TREE
    from kasirbackup.core.repo.repository import Repository

    r = Repository.open(repo)
    snap = r.find(snap_id)
    refs = r.scan_index(lambda b, t: t == BLOB_TREE)
    root = bytes.fromhex(snap.root)
    if which == "root":
        return refs[root]
    segs = r.read_tree(root, refs, r.frame_cache())
    return refs[segs[0]]


DAMAGE = ["manifest-garbage-kept", "manifest-truncated-removed", "tree-root-newest", "tree-segment-kept"]


@pytest.mark.parametrize("damage", DAMAGE)
def test_prune_refuses_on_a_damaged_repository_and_deletes_nothing(built, repo, kbp, damage):
    newest = built.ids[-1]
    if damage == "manifest-garbage-kept":
        (repo / "snapshots" / f"{built.ids[15]}.json").write_bytes(b"\x00garbage{")
    elif damage == "manifest-truncated-removed":
        p = repo / "snapshots" / f"{built.ids[2]}.json"
        p.write_bytes(p.read_bytes()[:100])
    elif damage.startswith("tree-"):
        ref = _tree_frame(repo, newest if damage == "tree-root-newest" else built.ids[12],
                          "root" if damage == "tree-root-newest" else "segment")
        pack = repo / "data" / ref.frame.pack[:2] / ref.frame.pack
        _flip(pack, ref.frame.offset + ref.frame.length // 2)
    before = tree_state(repo)
    proc = kbp.run("prune", "--repo", repo, *POLICY_ARGS)
    assert_one_line_error(proc, "damaged")
    assert tree_diff(before, tree_state(repo)) == [], f"prune refused but changed the repository\n{describe(proc)}"
    # the Python API refuses the same way
    from kasirbackup.core.errors import RepoDamaged
    from kasirbackup.core.retention.prune import prune
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.retention.policy import Policy

    with pytest.raises(RepoDamaged):
        prune(Repository.open(repo), Policy(keep_last=3, keep_daily=4, keep_weekly=3, keep_monthly=2), tz=JAKARTA)
    assert tree_diff(before, tree_state(repo)) == []


@pytest.mark.parametrize("damage", ["flipped", "deleted"])
def test_a_damaged_index_is_rebuilt_from_the_packs_and_prune_keeps_every_kept_backup(built, repo, kbp, tmp_path,
                                                                                     damage):
    """An index file is only a list of what the packs hold, and each pack describes itself:
    prune rebuilds the index from the packs (restic's repair index) instead of refusing for
    ever, and every snapshot it keeps still restores to the very same bytes."""
    idx = sorted((repo / "index").iterdir())[0]
    if damage == "flipped":
        _flip(idx, len(idx.read_bytes()) // 2)
    else:
        idx.unlink()
    out = prune_json(kbp, repo, *POLICY_ARGS)
    check_decisions(out, built)
    assert manifest_ids(repo) == built.kept_ids
    assert pack_consistency(repo) == (set(), set())
    vj = json.loads(assert_ok(kbp.run("verify", "--repo", repo, "--all", "--json")).stdout)
    assert vj["ok"] and {s["id"] for s in vj["snapshots"]} == built.kept_ids
    for snap_id in sorted(built.kept_ids):
        assert cli_restore_sha(kbp, repo, snap_id, tmp_path / f"after-{snap_id[:8]}.db") == built.sha[snap_id]


def test_prune_refuses_while_a_pack_the_kept_snapshots_need_is_missing(built, repo, kbp):
    """A pack file that is not there (a cloud-sync or network folder still catching up, a USB
    disk with a damaged folder) holds pages the kept snapshots use. Prune must stop — not
    drop the pack from the index, which would make the pack garbage, to be deleted by the
    next prune, when it reappears."""
    from kasirbackup.core.repo.repository import Repository

    r = Repository.open(repo)
    newest = r.find(built.ids[-1])
    wanted = set(r.page_ids(newest))
    refs = r.scan_index(lambda b, t: b in wanted)
    # the pack of a snapshot the policy removes (#10) that the newest still reads pages from
    tenth = r.find(built.ids[9])
    from kasirbackup.core.repo.packs import BLOB_TREE
    tenth_pack = r.scan_index(lambda b, t: t == BLOB_TREE)[bytes.fromhex(tenth.root)].frame.pack
    assert any(ref.frame.pack == tenth_pack for ref in refs.values())
    path = repo / "data" / tenth_pack[:2] / tenth_pack
    held = repo.parent / "held-back.pack"
    shutil.move(path, held)
    before = tree_state(repo)
    proc = kbp.run("prune", "--repo", repo, *POLICY_ARGS)
    assert_one_line_error(proc, "missing")
    assert tree_diff(before, tree_state(repo)) == [], f"prune changed the repository\n{describe(proc)}"
    shutil.move(held, path)                       # the pack arrives after all
    assert_ok(kbp.run("verify", "--repo", repo, "--all"))
    assert prune_json(kbp, repo, *POLICY_ARGS)["removed"] == 12
    assert_ok(kbp.run("verify", "--repo", repo, "--all"))


# -- the lock -----------------------------------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys
    from kasirbackup.core.repo.repository import Repository
    lock = Repository.open(sys.argv[1]).lock("backup")
    print("READY", flush=True)
    sys.stdin.read()
    lock.release()
""")


def test_prune_while_another_process_holds_the_lock(built, repo, kbp):
    from kasirbackup.core.errors import RepoLocked
    from kasirbackup.core.retention.prune import prune
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.retention.policy import Policy

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(repo)], env=kbp.env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "READY"
        before = tree_state(repo)
        line = assert_one_line_error(kbp.run("prune", "--repo", repo, *POLICY_ARGS), "in use")
        assert str(holder.pid) in line and "backup" in line, line
        line = assert_one_line_error(kbp.run("prune", "--repo", repo, *POLICY_ARGS, "--dry-run"), "in use")
        with pytest.raises(RepoLocked):
            prune(Repository.open(repo), Policy(keep_last=1), tz=JAKARTA)
        assert tree_diff(before, tree_state(repo)) == []
    finally:
        if holder.poll() is None:
            holder.stdin.close()
            try:
                holder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                holder.send_signal(signal.SIGKILL)
                holder.wait()
    assert holder.returncode == 0
    assert not (repo / "locks" / "exclusive").exists()
    out = prune_json(kbp, repo, *POLICY_ARGS)     # free again: works
    assert out["removed"] == 12
