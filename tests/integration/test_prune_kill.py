"""SIGKILL a prune at random moments: the repository stays valid and the next prune finishes
the job.

The repository of prunekit.py (twenty snapshots; the test policy removes twelve and leaves
packs partly used, so the prune forgets manifests, marks, repacks, writes a new index,
removes the old index files and the packs) is built once and copied for every trial.

Three kinds of trial, with seeded random choices:

* ``whole command``: the real ``python -m kasirbackup prune``, killed after a delay spread
  over its measured duration (start-up included);
* ``during its work``: the same ``kasirbackup.cli.main`` in a process that has already
  imported it and waits for a "go" on standard input, killed after a delay spread over
  the measured time from "go" to exit — start-up would otherwise swamp the prune's own
  work of a few tens of milliseconds;
* ``at a storage operation``: the same, but the process SIGKILLs itself just before or
  just after its N-th change to the repository (save / remove / exclusive create), N
  spread over the changes one prune makes (recorded in a first run), plus the moments
  between the phases. The windows in which manifests, index files and packs are being
  removed last well under a millisecond; only this kind reaches them reliably.

After every kill:

* ``verify --all`` exits 0 (the stale lock of the killed process is taken over);
* every snapshot the policy keeps is still listed, nothing else appears, and every
  listed snapshot restores to the same sha256 as before the prune;
* a following ``prune`` completes; afterwards exactly the kept snapshots remain and
  restore identically, no pack is missing from the indexes, no index names a missing
  pack, and no lock or temporary file is left.
"""

from __future__ import annotations

import json
import random
import signal
import statistics
import subprocess
import sys
import textwrap
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from prunekit import POLICY_ARGS, BuiltRepo, api_restore_sha, build_repo, kb_for, manifest_ids, pack_consistency
from tests.support.checks import describe

pytestmark = pytest.mark.slow

SEED = 20250611
TRIALS_CLI = 6
TRIALS_WORK = 14
TRIALS_OPS = 16

LAUNCHER = textwrap.dedent("""
    import os, signal, sys
    from kasirbackup.core.storage.local import LocalStorage
    from kasirbackup.cli import main

    kill_at, when = int(sys.argv[1]), sys.argv[2]    # kill_at 0: never; when "count": report the changes
    seq = []

    def hook(name):
        orig = getattr(LocalStorage, name)
        def op(self, kind, *a, **k):
            seq.append(f"{name}:{kind}")
            if len(seq) == kill_at and when == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = orig(self, kind, *a, **k)
            if len(seq) == kill_at and when == "after":
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        setattr(LocalStorage, name, op)

    if kill_at or when == "count":
        for name in ("save", "remove", "create_exclusive"):
            hook(name)
    sys.stderr.write("READY\\n")
    sys.stderr.flush()
    sys.stdin.readline()
    code = main(sys.argv[3:])
    if when == "count":
        sys.stderr.write("OPS " + ",".join(seq) + "\\n")
    sys.exit(code)
""")


def prune_argv(repo: Path) -> list[str]:
    return ["prune", "--repo", str(repo), *POLICY_ARGS, "--json"]


class Launched:
    """``kasirbackup.cli.main`` in a process of its own, imported and waiting for "go"."""

    def __init__(self, kb, repo: Path, kill_at: int = 0, when: str = "none") -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(kill_at), when, *prune_argv(repo)],
                                     env=kb.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        if line.strip() != "READY":
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"launcher did not start: {line!r}")

    def go(self) -> float:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return time.monotonic()


@dataclass
class Prepared:
    built: BuiltRepo
    kb: object
    work: Path
    original_index: set[str]
    cli_s: float
    work_s: float
    ops: list[str]            # the changes one prune makes, in order ("remove:snapshots", ...)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Prepared:
    work = tmp_path_factory.mktemp("prune-kill")
    kb = kb_for(work)
    (work / "build").mkdir()
    built = build_repo(work / "build", kb)
    for snap_id in built.ids:
        built.sha[snap_id] = api_restore_sha(built.repo, snap_id, work / "restored.db")
    original_index = {p.name for p in (built.repo / "index").iterdir()}

    # measure the whole command and the work after imports, count the repository changes,
    # and check that the policy makes the prune repack
    cli_times, work_times, ops = [], [], set()
    for i in range(3):
        repo = built.copy(work / f"measure-cli-{i}")
        t0 = time.monotonic()
        proc = kb.run(*prune_argv(repo))
        cli_times.append(time.monotonic() - t0)
        assert proc.returncode == 0, describe(proc)
        out = json.loads(proc.stdout)
        assert out["removed"] == 12 and out["packs_written"] >= 1, "the policy must make the prune repack"
        repo = built.copy(work / f"measure-work-{i}")
        launched = Launched(kb, repo, 0, "count")
        t0 = launched.go()
        _, err = launched.proc.communicate()
        work_times.append(time.monotonic() - t0)
        assert launched.proc.returncode == 0, err
        ops.add(err.split("OPS ")[1].split()[0])
    assert len(ops) == 1, f"the prune should make the same changes every time: {ops}"
    return Prepared(built, kb, work, original_index, statistics.median(cli_times),
                    statistics.median(work_times), ops.pop().split(","))


def _kill(proc: subprocess.Popen) -> bool:
    """SIGKILL our own child; True if it was still running."""
    running = proc.poll() is None
    if running:
        proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return running


def classify(repo: Path, p: Prepared) -> str:
    """Where in the prune the kill landed, read from what it left."""
    forgotten_left = manifest_ids(repo) & p.built.removed_ids
    index_now = {f.name for f in (repo / "index").iterdir()}
    unindexed, _ = pack_consistency(repo)
    if forgotten_left == p.built.removed_ids and index_now == p.original_index and not unindexed:
        return "not started"
    if forgotten_left:
        return "forgetting snapshots"
    if index_now == p.original_index:
        return "repacking (new packs written)" if unindexed else "marking/repacking"
    if index_now & p.original_index:
        return "removing old index files"
    if unindexed:
        return "removing packs"
    return "finished (lock not yet released)"


def check_after_kill(p: Prepared, repo: Path, where: str) -> None:
    kb, built, scratch = p.kb, p.built, p.work / "restored.db"
    ver = kb.run("verify", "--repo", repo, "--all", "--json")
    assert ver.returncode == 0, f"verify after a kill ({where}) failed\n{describe(ver)}"
    vj = json.loads(ver.stdout)
    assert vj["ok"] and not vj["problems"], vj
    listed = {s["id"] for s in vj["snapshots"]}
    assert built.kept_ids <= listed, f"a snapshot the policy keeps disappeared ({where})"
    assert listed <= set(built.ids), f"an unknown snapshot appeared ({where})"
    for snap_id in listed:
        assert api_restore_sha(repo, snap_id, scratch) == built.sha[snap_id], \
            f"snapshot {snap_id[:8]} restores differently after a kill ({where})"


def check_next_prune(p: Prepared, repo: Path, where: str) -> None:
    kb, built, scratch = p.kb, p.built, p.work / "restored.db"
    proc = kb.run(*prune_argv(repo))
    assert proc.returncode == 0, f"the prune after a kill ({where}) failed\n{describe(proc)}"
    assert manifest_ids(repo) == built.kept_ids
    unindexed, missing = pack_consistency(repo)
    assert not unindexed, f"packs no index names after the next prune ({where}): {sorted(unindexed)}"
    assert not missing, f"an index names packs that are gone, after the next prune ({where}): {sorted(missing)}"
    assert not (repo / "locks" / "exclusive").exists()
    assert not any((repo / "tmp").iterdir()) if (repo / "tmp").is_dir() else True
    for snap_id in built.kept_ids:
        assert api_restore_sha(repo, snap_id, scratch) == built.sha[snap_id], \
            f"snapshot {snap_id[:8]} restores differently after kill + prune ({where})"


def run_trial(p: Prepared, name: str, start, landed: Counter) -> None:
    """``start(repo)`` launches the prune and returns (process, description) once it is
    time to kill it."""
    repo = p.built.copy(p.work / name)
    proc, what = start(repo)
    was_running = _kill(proc)
    where = classify(repo, p) if was_running else "finished before the kill"
    landed[where] += 1
    where = f"{name}, {what}: {where}"
    check_after_kill(p, repo, where)
    check_next_prune(p, repo, where)


def test_kill_the_whole_command_at_random_times(prepared):
    p = prepared
    rng = random.Random(SEED)
    delays = [(i + rng.random()) / TRIALS_CLI * p.cli_s * 1.1 for i in range(TRIALS_CLI)]
    landed: Counter = Counter()
    for n, delay in enumerate(delays):
        def start(repo, delay=delay):
            proc = p.kb.popen(*prune_argv(repo))
            time.sleep(delay)
            return proc, f"+{delay * 1000:.0f} ms of {p.cli_s * 1000:.0f}"
        run_trial(p, f"cli-{n:02d}", start, landed)
    print(f"\nwhole command ({p.cli_s * 1000:.0f} ms), {len(delays)} kills landed: {dict(landed)}")


def test_kill_the_prune_during_its_work_at_random_times(prepared):
    p = prepared
    rng = random.Random(SEED + 1)
    delays = [(i + rng.random()) / TRIALS_WORK * p.work_s * 1.1 for i in range(TRIALS_WORK)]
    rng.shuffle(delays)
    landed: Counter = Counter()
    for n, delay in enumerate(delays):
        def start(repo, delay=delay):
            launched = Launched(p.kb, repo)
            t0 = launched.go()
            time.sleep(max(0.0, delay - (time.monotonic() - t0)))
            return launched.proc, f"+{delay * 1000:.1f} ms of {p.work_s * 1000:.0f}"
        run_trial(p, f"work-{n:02d}", start, landed)
    def inside() -> int:
        return sum(v for k, v in landed.items() if k not in ("not started", "finished before the kill"))

    # A busy machine (CI shares two cores) can delay the prune's start past most kills:
    # then keep drawing delays over a wider window, up to a bound.
    extra = 0
    while inside() < 2 and extra < TRIALS_WORK * 2:
        delay = rng.random() * p.work_s * 3
        def start(repo, delay=delay):
            launched = Launched(p.kb, repo)
            t0 = launched.go()
            time.sleep(max(0.0, delay - (time.monotonic() - t0)))
            return launched.proc, f"+{delay * 1000:.1f} ms of {p.work_s * 1000:.0f} (extra)"
        run_trial(p, f"work-extra-{extra:02d}", start, landed)
        extra += 1
    # how many landed inside depends on the machine; every trial was checked all the same, and
    # test_kill_the_prune_at_random_storage_operations places kills in every phase by a hook
    print(f"\nwork after imports ({p.work_s * 1000:.0f} ms), {len(delays) + extra} kills landed: {dict(landed)}")


def test_kill_the_prune_at_random_storage_operations(prepared):
    p = prepared
    rng = random.Random(SEED + 2)
    total = len(p.ops)
    points = {(1 + min(total - 1, int((i + rng.random()) / TRIALS_OPS * total)), rng.choice(["before", "after"]))
              for i in range(TRIALS_OPS)}
    # and always the moments between the phases: right after the first manifest removal,
    # the repacked pack, the new index, the first old index removal and the first pack removal
    for op in ("remove:snapshots", "save:data", "save:index", "remove:index", "remove:data"):
        assert op in p.ops, (op, p.ops)
        points.add((p.ops.index(op) + 1, "after"))
    points = sorted(points)
    landed: Counter = Counter()
    for n, (kill_at, when) in enumerate(points):
        name, what = f"op-{n:02d}", f"{when} change {kill_at} of {total} ({p.ops[kill_at - 1]})"
        repo = p.built.copy(p.work / name)
        launched = Launched(p.kb, repo, kill_at, when)
        launched.go()
        try:
            _, err = launched.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            launched.proc.kill()
            launched.proc.communicate()
            raise AssertionError(f"{name}: the prune did not reach change {kill_at}")
        assert launched.proc.returncode == -signal.SIGKILL, f"{what}: exited {launched.proc.returncode}: {err}"
        where = classify(repo, p)
        landed[where] += 1
        where = f"{name}, {what}: {where}"
        check_after_kill(p, repo, where)
        check_next_prune(p, repo, where)
    print(f"\n{total} repository changes per prune, {len(points)} kills landed: {dict(landed)}")
    phases = {"forgetting snapshots", "repacking (new packs written)", "removing old index files", "removing packs"}
    assert len(phases & set(landed)) >= 3, f"the kills should reach most phases of the prune: {dict(landed)}"
