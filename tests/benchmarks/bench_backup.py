#!/usr/bin/env python3
"""Backup / restore benchmark of KasirBackup against baselines measured in the same run.

    .venv/bin/python tests/benchmarks/bench_backup.py --size-mb 1000 [--work DIR]

Builds a POS database of the given size (rollback journal, ``journal_mode=delete``) with
``tests/support/dbgen.py`` and measures:

1. baseline A: ``sqlite3 SRC ".backup DST"``;
2. a full backup into a fresh repository (Python API): whole ``backup()``, its restore
   drill (``verification.duration_s`` of the manifest) and capture+store = whole − drill;
3. a day of sales (``simulate_day_of_sales``) and a second backup: pages that really
   changed (page-by-page comparison with a ``cp`` taken before the day), their raw and
   zstd-compressed size, the repository's ``added_bytes``, and what restic adds for the
   same day;
4. restore of the latest snapshot to a new file against baseline B (``cp``) and
   ``cp`` + ``sync FILE``;
5. peak RSS of ``kasirbackup backup`` / ``verify`` / ``restore``, each in its own process;
6. a writer process (tests/support/writer_proc.py, one sale every 50 ms, busy timeout
   5 s) during a full and an incremental backup: failures, stalls, and whether every sale
   acknowledged before the backup started is in the restored snapshot.

Method. The page cache cannot be dropped here, so every measured run is preceded by a
full read of its input (warm cache for every run) and ``os.sync()``. Each timed thing runs
``--repeat`` times, interleaved with its baseline (A, ours, A, ours, ...) so that drift of
the machine hits both; the medians are compared. On a shared machine the benchmark runs
at ``--nice -10`` (inherited by everything it starts, baselines included), waits before
each run (up to ``--quiet-wait`` s) until other processes use < 15 % of the CPUs, and
records how many cores other processes used during each run ("Others" column; > 0.25
means the run was disturbed). Prints a table and exits 1 if a target is missed.

``bench_wal.py`` runs steps 1, 2 and 6 on a WAL database, for information.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import filecmp
import json
import os
import platform
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import zstandard  # noqa: E402

import kasirbackup  # noqa: E402
import kasirbackup.core.snapshot.backup as _kb_backup  # noqa: E402
from kasirbackup.core.snapshot.backup import BackupRequest, backup  # noqa: E402
from kasirbackup.core.repo.repository import Repository  # noqa: E402
from kasirbackup.core.restore.to_file import restore_to_new_file  # noqa: E402
from tests.support.dbgen import make_pos_db, simulate_day_of_sales  # noqa: E402

WRITER = ROOT / "tests" / "support" / "writer_proc.py"
CLI = Path(sys.executable).parent / "kasirbackup"
MB = 1_000_000
RSS_LIMIT = 200 * MB
FRAME_BYTES = 128 * 1024
DISTURBED = 0.25          # cores used by other processes during a run above which it is flagged

QUIET = {"max_wait": 60.0, "threshold": 0.15}


# -- results ----------------------------------------------------------------------------------

@dataclass
class Row:
    section: str
    name: str
    value: str
    ratio: str = ""
    target: str = ""
    status: str = "info"          # "met", "MISSED", "info", "blocked"
    others: float | None = None   # max cores used by other processes during its runs
    raw: dict = field(default_factory=dict)


class Report:
    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[Row] = []
        self.facts: dict = {}

    def add(self, section: str, name: str, value: str, ratio: str = "", target: str = "",
            ok: bool | None = None, status: str | None = None, others: float | None = None,
            raw: dict | None = None) -> None:
        if status is None:
            status = "info" if ok is None else ("met" if ok else "MISSED")
        self.rows.append(Row(section, name, value, ratio, target, status, others, raw or {}))
        print(f"  [{status:>7}] {section}: {name}: {value}"
              + (f"  ratio {ratio}" if ratio else "") + (f"  (target {target})" if target else "")
              + (f"  [others {others:.2f} cores]" if others is not None else ""), flush=True)

    @property
    def missed(self) -> list[Row]:
        return [r for r in self.rows if r.status == "MISSED"]

    @property
    def disturbed(self) -> list[Row]:
        return [r for r in self.rows if r.others is not None and r.others > DISTURBED]

    def table(self) -> str:
        heads = ("Measurement", "Value", "Ratio", "Target", "Status", "Others")
        rows = [(r.name, r.value, r.ratio, r.target, r.status,
                 "" if r.others is None else f"{r.others:.2f}" + ("!" if r.others > DISTURBED else ""),
                 r.section) for r in self.rows]
        w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
        lines = [" | ".join(h.ljust(w[i]) for i, h in enumerate(heads)), "-+-".join("-" * x for x in w)]
        section = None
        for r in rows:
            if r[6] != section:
                section = r[6]
                lines.append(f"[{section}]")
            lines.append(" | ".join(r[i].ljust(w[i]) for i in range(6)).rstrip())
        return "\n".join(lines)

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps({"title": self.title, "facts": self.facts,
                                    "rows": [asdict(r) for r in self.rows]}, indent=1, default=str))


# -- helpers ------------------------------------------------------------------------------------

def fmt_s(s: float) -> str:
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def fmt_b(n: float) -> str:
    if n >= 10 * MB:
        return f"{n / MB:,.1f} MB"
    if n >= 10_000:
        return f"{n / 1000:,.1f} kB"
    return f"{n:,.0f} B"


def cpu_s(c: float) -> str:
    return f" (CPU {c:.2f} s)"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def warm(*paths: Path) -> None:
    """Read every file under ``paths`` once so the measured run sees a warm page cache."""
    buf = bytearray(8 * 1024 * 1024)
    for p in paths:
        files = [p] if p.is_file() else [Path(d) / f for d, _, fs in os.walk(p) for f in fs]
        for f in files:
            try:
                with open(f, "rb", buffering=0) as fh:
                    while fh.readinto(buf):
                        pass
            except OSError:
                pass


def settle(*warm_paths: Path) -> None:
    warm(*warm_paths)
    os.sync()


def rm(*paths: Path) -> None:
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(str(p) + suffix)
                except OSError:
                    pass


def cap_str(cap: dict) -> str:
    return (f"{cap.get('method')}: {cap.get('passes')} pass(es), {cap.get('final_sweeps')} final sweep(s), "
            f"max lock {cap.get('max_lock_ms')} ms, total lock {cap.get('total_lock_ms')} ms, "
            f"{cap.get('pages_changed_during_copy')} pages changed during copy")


def du_bytes(path: Path) -> int:
    out = subprocess.run(["du", "-sb", str(path)], check=True, capture_output=True, text=True).stdout
    return int(out.split()[0])


# -- measuring with other processes around ------------------------------------------------------

_HZ = os.sysconf("SC_CLK_TCK")


def _cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as fh:
        vals = [int(x) for x in fh.readline().split()[1:9]]
    idle = vals[3] + vals[4]
    total = sum(vals)
    return total - idle, total


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / _HZ
    except (OSError, IndexError, ValueError):
        return 0.0


def wait_quiet() -> float:
    """Wait until other processes use < threshold of the CPUs for 3 s in a row (at most
    QUIET['max_wait'] s). Returns the seconds waited."""
    t0 = time.monotonic()
    calm = 0
    while time.monotonic() - t0 < QUIET["max_wait"]:
        b0, a0 = _cpu_busy()
        time.sleep(1.0)
        b1, a1 = _cpu_busy()
        calm = calm + 1 if a1 > a0 and (b1 - b0) / (a1 - a0) < QUIET["threshold"] else 0
        if calm >= 3:
            break
    return time.monotonic() - t0


class LoadMeter:
    """Average number of cores used by *other* processes between start() and stop()."""

    def __init__(self, exclude_pids: tuple[int, ...] = ()) -> None:
        self.exclude = exclude_pids

    def start(self) -> None:
        self.b0, _ = _cpu_busy()
        self.own0 = _own_cpu() + sum(_proc_cpu(p) for p in self.exclude)
        self.t0 = time.perf_counter()

    def stop(self) -> tuple[float, float]:
        """(wall seconds, others' average cores)."""
        wall = time.perf_counter() - self.t0
        b1, _ = _cpu_busy()
        own = _own_cpu() + sum(_proc_cpu(p) for p in self.exclude) - self.own0
        return wall, max(0.0, ((b1 - self.b0) / _HZ - own) / wall) if wall > 0 else 0.0


@dataclass
class Sample:
    seconds: float
    others: float
    result: object = None
    cpu: float = 0.0              # CPU seconds of this process and its children during the run


def measure(prep: Callable[[], object], run: Callable[[], object]) -> Sample:
    prep()
    wait_quiet()
    m = LoadMeter()
    c0 = _own_cpu()
    m.start()
    result = run()
    wall, others = m.stop()
    return Sample(wall, others, result, _own_cpu() - c0)


def interleaved(n: int, steps: dict[str, tuple[Callable[[int], object], Callable[[int], object]]]
                ) -> dict[str, list[Sample]]:
    """Run every step once per round, ``n`` rounds: A, B, A, B, ..."""
    out: dict[str, list[Sample]] = {k: [] for k in steps}
    for i in range(n):
        for name, (prep, run) in steps.items():
            out[name].append(measure(lambda: prep(i), lambda: run(i)))
    return out


def med(samples: list[Sample], key: Callable[[Sample], float] = lambda s: s.seconds) -> float:
    return statistics.median(key(s) for s in samples)


def worst(samples: list[Sample]) -> float:
    return max(s.others for s in samples)


def runs(samples: list[Sample], key: Callable[[Sample], float] = lambda s: s.seconds) -> dict:
    return {"runs": [round(key(s), 4) for s in samples], "others": [round(s.others, 3) for s in samples]}


# -- machine --------------------------------------------------------------------------------------

def machine_facts() -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    sqlite_cli = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[:1]
    return {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpu": f"{cpu}, {os.cpu_count()} cores", "ram_gb": round(mem / 2**30, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "sqlite_module": sqlite3.sqlite_version, "sqlite_cli": sqlite_cli[0] if sqlite_cli else "?",
            "zstandard": zstandard.__version__, "kasirbackup": kasirbackup.__version__}


def fs_of(path: Path) -> str:
    try:
        out = subprocess.run(["findmnt", "-no", "FSTYPE,SOURCE", "-T", str(path)],
                             capture_output=True, text=True).stdout
        return " ".join(out.split()) or "?"
    except OSError:
        return "?"


# -- measured things ------------------------------------------------------------------------------

def sqlite_cli_backup(src: Path, dst: Path) -> None:
    subprocess.run(["sqlite3", str(src), f'.backup "{dst}"'], check=True)


_DRILL_CPU: list[float] = []
_engine_drill = _kb_backup.drill


def _drill_with_cpu(*a, **k):
    """The engine's drill, also recording the CPU time it used (instrumentation only)."""
    c0 = _own_cpu()
    try:
        return _engine_drill(*a, **k)
    finally:
        _DRILL_CPU.append(_own_cpu() - c0)


_kb_backup.drill = _drill_with_cpu


def api_backup(src: Path, repo_dir: Path) -> dict:
    repo = Repository.open(repo_dir, create=True)
    _DRILL_CPU.clear()
    c0 = _own_cpu()
    t0 = time.perf_counter()
    res = backup(repo, BackupRequest(db_path=str(src)))
    total = time.perf_counter() - t0
    cpu = _own_cpu() - c0
    drill = res.snapshot.verification.duration_s
    dcpu = sum(_DRILL_CPU)
    return {"total": total, "drill": drill, "store": total - drill, "snap": res.snapshot,
            "cpu_total": cpu, "cpu_drill": dcpu, "cpu_store": cpu - dcpu}


def page_size_of(path: Path) -> int:
    with open(path, "rb") as fh:
        head = fh.read(100)
    ps = int.from_bytes(head[16:18], "big")
    return 65536 if ps == 1 else ps


def changed_pages(pre: Path, post: Path, ps: int) -> list[bytes]:
    """The pages of ``post`` that differ from ``pre`` (or that ``pre`` does not have)."""
    out: list[bytes] = []
    chunk = ps * 1024
    with open(pre, "rb") as a, open(post, "rb") as b:
        while True:
            x, y = a.read(chunk), b.read(chunk)
            if not y:
                break
            if x == y:
                continue
            for off in range(0, len(y), ps):
                if x[off:off + ps] != y[off:off + ps]:
                    out.append(y[off:off + ps])
    return out


def zstd_lower_bound(pages: list[bytes]) -> int:
    """Changed pages compressed with zstd level 3 in 128 KiB groups of consecutive pages."""
    cctx = zstandard.ZstdCompressor(level=3)
    total, group, glen = 0, [], 0
    for p in pages:
        group.append(p)
        glen += len(p)
        if glen >= FRAME_BYTES:
            total += len(cctx.compress(b"".join(group)))
            group, glen = [], 0
    if group:
        total += len(cctx.compress(b"".join(group)))
    return total


def run_with_rusage(cmd: list[str], log: Path) -> tuple[int, float, int]:
    """Run ``cmd``; return (exit status, wall seconds, peak RSS in bytes) of that process.

    Measured with GNU time, which forks the command from its own small process: the
    ru_maxrss that wait4()/RUSAGE_CHILDREN report for a child spawned directly from this
    (large) Python process includes this process's RSS at exec time on Linux."""
    timing = log.with_suffix(".time")
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(timing), *cmd],
                           stdout=out, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t0
    kib = int(timing.read_text().split()[-1])           # %M: peak RSS in KiB
    return p.returncode, wall, kib * 1024


class Writer:
    """tests/support/writer_proc.py in its own process."""

    def __init__(self, db: Path, work: Path, tag: str, max_seconds: float | None = None,
                 interval_ms: int = 50) -> None:
        self.stop_file = work / f"writer-{tag}.stop"
        self.ack = work / f"writer-{tag}.ack"
        self.stats_path = work / f"writer-{tag}.stats.json"
        self.err = work / f"writer-{tag}.err"
        rm(self.stop_file, self.ack, self.stats_path)
        cmd = [sys.executable, str(WRITER), str(db), "--interval-ms", str(interval_ms), "--busy-timeout-ms", "5000",
               "--stop-file", str(self.stop_file), "--ack-log", str(self.ack), "--stats", str(self.stats_path)]
        if max_seconds is not None:
            cmd += ["--max-seconds", str(max_seconds)]
        self._errfh = open(self.err, "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._errfh)

    def wait_ready(self, timeout: float = 60.0) -> None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline().decode().strip() if ready else ""
        if line != "READY":
            self.kill()
            raise RuntimeError(f"writer did not start (got {line!r}); see {self.err}")

    def ack_offset(self) -> int:
        return self.ack.stat().st_size if self.ack.exists() else 0

    def acked_ids(self, upto: int | None = None) -> list[int]:
        data = self.ack.read_bytes()
        if upto is not None:
            data = data[:upto]
        return [int(x) for x in data.decode().split("\n") if x.strip()]

    def stop(self, timeout: float = 60.0) -> dict:
        self.stop_file.touch()
        return self.wait(timeout)

    def wait(self, timeout: float = 60.0) -> dict:
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._errfh.close()
        return json.loads(self.stats_path.read_text())

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def missing_ids(db: Path, ids: list[int]) -> int:
    if not ids:
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        have = {r[0] for r in conn.execute("SELECT id FROM transaksi WHERE id >= ?", (min(ids),))}
    finally:
        conn.close()
    return sum(1 for i in ids if i not in have)


def writer_during_backup(rep: Report, section: str, src: Path, work: Path, targets: bool,
                         stall_target_ms: float = 1000.0) -> None:
    """Step 6: a writer during a full and an incremental backup."""
    wait_quiet()
    alone = Writer(src, work, "alone", max_seconds=3)
    alone.wait_ready()
    st0 = alone.wait()
    rep.add(section, "writer alone (3 s): commits / max / p99 stall",
            f"{st0['commits']} / {st0['max_stall_ms']:.0f} ms / {st0['p99_stall_ms']:.0f} ms", raw=st0)

    repo_dir = work / "repo-writer"
    rm(repo_dir)
    settle(src)
    wait_quiet()
    w = Writer(src, work, "bk")
    try:
        w.wait_ready()
        time.sleep(1.0)                           # some sales acknowledged before the backup
        meter = LoadMeter(exclude_pids=(w.proc.pid,))
        meter.start()
        off_full = w.ack_offset()
        full = api_backup(src, repo_dir)
        off_incr = w.ack_offset()
        incr = api_backup(src, repo_dir)
        off_end = w.ack_offset()
        _, others = meter.stop()
        time.sleep(0.5)
    finally:
        try:
            stats = w.stop()
        except Exception:
            w.kill()
            raise
    for name, r in (("full", full), ("incremental", incr)):
        cap = r["snap"].capture
        rep.add(section, f"{name} backup with writer: whole / capture+store",
                f"{fmt_s(r['total'])} / {fmt_s(r['store'])}", others=others,
                raw={"total": r["total"], "store": r["store"], "capture": cap})
        rep.add(section, f"{name} backup with writer: capture", cap_str(cap), raw=cap)
        if not r["snap"].verified:
            rep.add(section, f"{name} backup with writer verified", r["snap"].verification.detail, ok=False)
    rep.add(section, "writer: attempts / commits", f"{stats['attempts']} / {stats['commits']}")
    rep.add(section, "writer failures", str(stats["failures"])
            + (f" ({'; '.join(stats['failure_messages'][:3])})" if stats["failures"] else ""),
            target="0" if targets else "", ok=(stats["failures"] == 0) if targets else None, raw=stats)
    rep.add(section, "writer stall p50 / p99", f"{stats['p50_stall_ms']:.0f} ms / {stats['p99_stall_ms']:.0f} ms")
    rep.add(section, "writer max stall", f"{stats['max_stall_ms']:.0f} ms",
            target=f"< {stall_target_ms:.0f} ms" if targets else "",
            ok=(stats["max_stall_ms"] < stall_target_ms) if targets else None, others=others)

    # every sale acknowledged before each backup started must be in its snapshot
    repo = Repository.open(repo_dir)
    for name, r, off in (("full", full, off_full), ("incremental", incr, off_incr)):
        out = work / f"restored-writer-{name}.db"
        rm(out)
        restore_to_new_file(repo, r["snap"], out)
        before = w.acked_ids(off)
        miss = missing_ids(out, before)
        rep.add(section, f"acknowledged sales missing ({name}; {len(before)} acked before it started)",
                str(miss), target="0", ok=miss == 0)
        during = w.acked_ids(off_incr if name == "full" else off_end)[len(before):]
        rep.add(section, f"sales acked while the {name} backup ran (capture+drill) that are in it",
                f"{len(during) - missing_ids(out, during)} of {len(during)}")
        rm(out)
    rm(repo_dir)


# -- the rollback-journal run ------------------------------------------------------------------------

def common_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--size-mb", type=float, required=True, help="database size in MB (10^6 bytes)")
    ap.add_argument("--work", type=Path, help="folder for the scratch files (default: a new folder in /tmp)")
    ap.add_argument("--keep", action="store_true", help="do not delete the scratch files")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timed step; medians are compared")
    ap.add_argument("--quiet-wait", type=float, default=60.0,
                    help="before each run, wait up to this many seconds for other processes to go quiet")
    ap.add_argument("--nice", type=int, default=-10,
                    help="run the benchmark (and everything it starts) at this niceness, so that other "
                         "processes on a shared machine disturb it less (negative values need root; 0: off)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json-out", type=Path, help="also write the results as JSON here")


def as_installed() -> None:
    """Time the command line as an installed app starts: with its modules compiled (pip and
    PyInstaller compile them; a checkout run with PYTHONDONTWRITEBYTECODE=1 would compile every
    module at every start, about 0.1 s)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[2] / "kasirbackup")],
                   check=False, capture_output=True)


def start(args, prefix: str, title: str) -> tuple[Report, Path]:
    as_installed()
    QUIET["max_wait"] = args.quiet_wait
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))     # so that the scratch folder is removed
    boost = "none"
    if args.nice:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, args.nice)      # inherited by sqlite3, cp, the CLI, the writer
            boost = f"nice {args.nice}"
        except OSError as exc:
            boost = f"nice {args.nice} refused ({exc.strerror})"
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=args.work))
    rep = Report(title)
    rep.facts.update(machine_facts())
    rep.facts.update({"work_fs": fs_of(work), "size_mb": args.size_mb, "repeat": args.repeat,
                      "priority": boost})
    print(rep.title)
    print(json.dumps(rep.facts))
    print(f"work folder: {work}")
    print("Page cache: cannot be dropped here; every measured run is preceded by a full read of its\n"
          f"input (warm cache for all runs) and os.sync(). Times are medians of {args.repeat} interleaved "
          "run(s).", flush=True)
    return rep, work


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap)
    ap.add_argument("--sales", type=int, default=2000, help="sales in the simulated day (default 2000)")
    args = ap.parse_args(argv)
    rep, work = start(args, "kasirbench-",
                      f"KasirBackup benchmark, {args.size_mb:g} MB POS database, journal_mode=delete")
    rep.facts["sales"] = args.sales
    try:
        run_delete(rep, work, args)
    finally:
        if args.keep:
            print(f"scratch files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return finish(rep, args.json_out)


def finish(rep: Report, json_out: Path | None) -> int:
    f = rep.facts
    print()
    print(rep.title)
    print(f"{f.get('date')} | {f.get('cpu')} | {f.get('ram_gb')} GB RAM | {f.get('work_fs')} | "
          f"Python {f.get('python')} | SQLite {f.get('sqlite_module')} | zstandard {f.get('zstandard')} | "
          f"priority: {f.get('priority')}")
    print("warm page cache for every run (input read in full first, then sync); times are medians of "
          f"{f.get('repeat')} interleaved runs; 'Others' = cores used by other processes during the runs")
    print(rep.table())
    if json_out:
        rep.dump(json_out)
    if rep.disturbed:
        print(f"\nWARNING: {len(rep.disturbed)} measurement(s) ran while other processes used more than "
              f"{DISTURBED} cores on average (marked '!'): their times are inflated and the ratios less "
              "reliable; the CPU seconds in the Value column are less affected.")
    if rep.missed:
        print("\nTARGETS MISSED:")
        for r in rep.missed:
            print(f"  - {r.section}: {r.name}: {r.value} {r.ratio} (target {r.target})")
        return 1
    print("\nall targets met")
    return 0


def make_db(rep: Report, src: Path, args, journal_mode: str) -> int:
    t0 = time.perf_counter()
    info = make_pos_db(str(src), int(args.size_mb * MB), seed=args.seed, journal_mode=journal_mode)
    rep.facts["db"] = info
    rep.add("setup", f"POS database ({journal_mode})",
            f"{fmt_b(info['file_size'])}, {info['transaksi']:,} sales, {info['transaksi_detail']:,} lines, "
            f"page size {info['page_size']}, built in {time.perf_counter() - t0:.0f} s")
    return info["file_size"]


def full_backup_vs_a(rep: Report, work: Path, src: Path, n: int, targets: bool) -> tuple[float, dict]:
    """Steps 1 and 2, interleaved. Returns (baseline A, the last full backup); its
    repository is left in work/'repo'."""
    dst = work / "sqlite-backup.db"

    def prep_a(i):
        rm(dst)
        settle(src)

    def prep_full(i):
        rm(work / "repo")
        settle(src)

    s = interleaved(n, {"A": (prep_a, lambda i: sqlite_cli_backup(src, dst)),
                        "full": (prep_full, lambda i: api_backup(src, work / "repo"))})
    rm(dst)
    base_a = med(s["A"])
    full = s["full"]
    store = med(full, lambda x: x.result["store"])
    total = med(full, lambda x: x.result["total"])
    drill = med(full, lambda x: x.result["drill"])
    last = full[-1].result
    snap = last["snap"]
    rep.add("1 baseline", 'A: sqlite3 SRC ".backup DST"', fmt_s(base_a) + cpu_s(med(s["A"], lambda x: x.cpu)),
            others=worst(s["A"]), raw=runs(s["A"]))
    rep.add("2 full backup", "capture+store (whole − drill)",
            fmt_s(store) + cpu_s(med(full, lambda x: x.result["cpu_store"])), ratio(store, base_a) + " of A",
            "≤ 1.50x A" if targets else "", ok=(store <= 1.5 * base_a) if targets else None,
            others=worst(full), raw=runs(full, lambda x: x.result["store"]))
    rep.add("2 full backup", "whole backup incl. restore drill",
            fmt_s(total) + cpu_s(med(full, lambda x: x.result["cpu_total"])), ratio(total, base_a) + " of A",
            raw=runs(full, lambda x: x.result["total"]))
    rep.add("2 full backup", "restore drill (verification.duration_s)",
            fmt_s(drill) + cpu_s(med(full, lambda x: x.result["cpu_drill"])), ratio(drill, base_a) + " of A",
            raw=runs(full, lambda x: x.result["drill"]))
    rep.add("2 full backup", "repository size / added_bytes",
            f"{fmt_b(du_bytes(work / 'repo'))} / {fmt_b(snap.added_bytes)} "
            f"({snap.added_bytes / snap.image_bytes:.1%} of the database)")
    rep.add("2 full backup", "verified", f"{snap.verified} ({snap.verification.detail})",
            ok=None if snap.verified else False)
    rep.add("2 full backup", "capture", cap_str(snap.capture), raw=snap.capture)
    return base_a, last


def run_delete(rep: Report, work: Path, args) -> None:
    src = work / "pos.db"
    n = args.repeat
    make_db(rep, src, args, "delete")

    # 1 + 2: baseline A and the full backup -------------------------------------------------------
    base_a, _ = full_backup_vs_a(rep, work, src, n, targets=True)
    base_repo = work / "repo-base"
    os.replace(work / "repo", base_repo)

    # 3. a day of sales -------------------------------------------------------------------------------
    pre = work / "pos-before-day.db"
    shutil.copyfile(src, pre)
    day = simulate_day_of_sales(str(src), args.sales, seed=1)
    rep.add("3 day of sales", "day simulated", f"{day['sales']} sales, {day['transaksi_detail']} lines, "
            f"{day['commits']} commits in {day['elapsed_s']:.1f} s")
    repo2 = work / "repo2"

    def prep_second(i):
        rm(repo2)
        shutil.copytree(base_repo, repo2)
        settle(src, repo2)

    s2 = interleaved(n, {"second": (prep_second, lambda i: api_backup(src, repo2))})["second"]
    second = s2[-1].result
    snap2 = second["snap"]
    store2 = med(s2, lambda x: x.result["store"])
    total2 = med(s2, lambda x: x.result["total"])
    ps = page_size_of(src)
    pages = changed_pages(pre, src, ps)
    raw_bytes = len(pages) * ps
    zlow = zstd_lower_bound(pages)
    added = snap2.added_bytes
    rep.add("3 day of sales", "pages changed (page-by-page comparison)",
            f"{len(pages):,} of {src.stat().st_size // ps:,} = {fmt_b(raw_bytes)} raw")
    rep.add("3 day of sales", "changed pages, zstd -3 in 128 KiB groups (lower bound)", fmt_b(zlow))
    rep.add("3 day of sales", "added_bytes of the second snapshot", f"{fmt_b(added)} ({added:,} B)",
            ratio(added, raw_bytes) + " of raw", "≤ raw changed", ok=added <= raw_bytes,
            raw={"added": added, "raw": raw_bytes, "zstd_lower_bound": zlow, "changed_pages": len(pages),
                 "new_blobs_all_runs": [x.result["snap"].added_bytes for x in s2]})
    rep.add("3 day of sales", "added_bytes vs zstd lower bound", ratio(added, zlow))
    restic_row(rep, work, pre, src, added)
    rm(pre)
    rep.add("3 day of sales", "second backup: capture+store",
            fmt_s(store2) + cpu_s(med(s2, lambda x: x.result["cpu_store"])),
            ratio(store2, base_a) + " of A", "≤ 0.50x A", ok=store2 <= 0.5 * base_a,
            others=worst(s2), raw=runs(s2, lambda x: x.result["store"]))
    rep.add("3 day of sales", "second backup: whole incl. drill",
            fmt_s(total2) + cpu_s(med(s2, lambda x: x.result["cpu_total"])), ratio(total2, base_a) + " of A",
            raw=runs(s2, lambda x: x.result["total"]))
    rep.add("3 day of sales", "second backup: capture", cap_str(snap2.capture), raw=snap2.capture)
    rm(base_repo)

    # 4. restore --------------------------------------------------------------------------------------
    repo = Repository.open(repo2)
    latest = repo.find("latest")
    out = work / "restored.db"
    cp_dst = work / "cp.db"

    def prep_restore(i):
        rm(out)
        settle(repo2)

    def prep_cp(i):
        rm(cp_dst)
        settle(src)

    def cp_sync(i):
        subprocess.run(["cp", str(src), str(cp_dst)], check=True)
        subprocess.run(["sync", str(cp_dst)], check=True)

    s4 = interleaved(n, {
        "B": (prep_cp, lambda i: subprocess.run(["cp", str(src), str(cp_dst)], check=True)),
        "B2": (prep_cp, cp_sync),
        "restore": (prep_restore, lambda i: restore_to_new_file(repo, latest, out)),
    })
    same = filecmp.cmp(src, out, shallow=False)
    rm(out, cp_dst)
    t_cp, t_cps, t_rest = med(s4["B"]), med(s4["B2"]), med(s4["restore"])
    rep.add("4 restore", "B: cp SRC DST (no fsync)", fmt_s(t_cp) + cpu_s(med(s4["B"], lambda x: x.cpu)), others=worst(s4["B"]), raw=runs(s4["B"]))
    rep.add("4 restore", "B2: cp SRC DST + sync DST", fmt_s(t_cps) + cpu_s(med(s4["B2"], lambda x: x.cpu)), others=worst(s4["B2"]), raw=runs(s4["B2"]))
    rep.add("4 restore", "restore_to_new_file (fsyncs)",
            fmt_s(t_rest) + cpu_s(med(s4["restore"], lambda x: x.cpu)), ratio(t_rest, t_cp) + " of B",
            "≤ 1.50x B", ok=t_rest <= 1.5 * t_cp, others=worst(s4["restore"]), raw=runs(s4["restore"]))
    rep.add("4 restore", "restore vs cp + sync", fmt_s(t_rest), ratio(t_rest, t_cps) + " of B2")
    rep.add("4 restore", "restored file identical to the source", str(same), ok=None if same else False)
    rm(repo2)

    # 5. peak RSS ------------------------------------------------------------------------------------
    rss_repo = work / "repo-rss"
    rss_out = work / "restored-rss.db"
    rm(rss_repo, rss_out)
    for name, cmd, warm_path in (
            ("backup", [str(CLI), "backup", "--db", str(src), "--repo", str(rss_repo), "--json"], src),
            ("verify", [str(CLI), "verify", "--repo", str(rss_repo), "--snapshot", "latest"], rss_repo),
            ("restore", [str(CLI), "restore", "--repo", str(rss_repo), "--snapshot", "latest",
                         "--to", str(rss_out), "--yes"], rss_repo)):
        settle(warm_path)
        rc, wall, rss = run_with_rusage(cmd, work / f"rss-{name}.log")
        if rc != 0:
            rep.add("5 peak RSS", f"kasirbackup {name}", f"exit status {rc}: "
                    + (work / f"rss-{name}.log").read_text(errors="replace")[-300:], ok=False)
            continue
        rep.add("5 peak RSS", f"kasirbackup {name}", f"{rss / MB:.0f} MB (wall {fmt_s(wall)})",
                target="≤ 200 MB", ok=rss <= RSS_LIMIT, raw={"rss": rss, "wall": wall})
    rm(rss_repo, rss_out)

    # 6. writer during backup --------------------------------------------------------------------------
    writer_during_backup(rep, "6 writer", src, work, targets=True)


def restic_row(rep: Report, work: Path, pre: Path, post: Path, added: int) -> None:
    """What restic adds to its repository for the same day of sales."""
    section = "3 day of sales"
    name = "restic: repository growth for the same day"
    restic = shutil.which("restic")
    if not restic:
        rep.add(section, name, "blocked: restic is not installed (apt-get install -y restic)",
                target="ours ≥ 5x smaller", status="blocked")
        return
    rrepo, cache, stage = work / "restic-repo", work / "restic-cache", work / "restic-src"
    rm(rrepo, cache, stage)
    stage.mkdir()
    env = dict(os.environ, RESTIC_PASSWORD="kasirbench", RESTIC_REPOSITORY=str(rrepo),
               RESTIC_CACHE_DIR=str(cache))

    def r(*a):
        return subprocess.run([restic, *a], env=env, check=True, capture_output=True, text=True)

    try:
        version = r("version").stdout.strip()
        r("init")
        cfg = json.loads(r("cat", "config").stdout)
        staged = stage / post.name          # the same path both times, as a scheduled restic run
        shutil.copyfile(pre, staged)
        r("backup", "--quiet", str(staged))
        before = du_bytes(rrepo)
        shutil.copyfile(post, staged)
        settle(staged)
        t0 = time.perf_counter()
        r("backup", "--quiet", "--force", str(staged))
        t_restic = time.perf_counter() - t0
        growth = du_bytes(rrepo) - before
    except subprocess.CalledProcessError as exc:
        rep.add(section, name, f"blocked: restic failed: {exc.stderr.strip()[-200:]}", status="blocked")
        return
    finally:
        rm(stage)
    rep.add(section, name, f"{fmt_b(growth)} ({growth:,} B; {version.split(' compiled')[0]}, "
            f"repository v{cfg.get('version')}, second backup {fmt_s(t_restic)})",
            f"{growth / added:.1f}x ours" if added else "n/a", "ours ≥ 5x smaller",
            ok=added * 5 <= growth, raw={"growth": growth, "added": added, "restic": version,
                                        "repo_version": cfg.get("version"), "time": t_restic})
    rm(rrepo, cache)


if __name__ == "__main__":
    sys.exit(main())
