"""Helpers of the reliability tests (concurrent writer, kills, capture consistency):
the real command line in a subprocess, writer processes, repository inspection."""

from __future__ import annotations

import json
import os
import sqlite3
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support import mutation_map

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "support"


@dataclass
class KB:
    """Runs ``python -m kasirbackup`` with a private log folder and TMPDIR."""

    env: dict
    tmpdir: Path

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kasirbackup", *map(str, args)]

    def run(self, *args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
        argv, env = mutation_map.command(self.env, *map(str, args))
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
        mutation_map.collect(env)
        if check and proc.returncode != 0:
            raise AssertionError(f"kasirbackup {' '.join(map(str, args))} exited {proc.returncode}\n"
                                 f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
        return proc

    def json(self, *args: str, timeout: float = 300):
        proc = self.run(*args, "--json", timeout=timeout, check=True)
        return json.loads(proc.stdout)

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(self.argv(*args), env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=str(ROOT))

    def killed_at(self, point: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run the command and let it SIGKILL itself at the engine's fault point ``point``
        (``NAME`` or ``NAME:N``, see kasirbackup/core/faults.py); asserts that it got there."""
        argv, env = mutation_map.command(dict(self.env, KASIRBACKUP_TEST_KILL_AT=point), *map(str, args))
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
        mutation_map.collect(env)
        assert proc.returncode == -signal.SIGKILL, \
            f"kasirbackup {args[0]} did not reach {point}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc


def make_kb(workdir: Path) -> KB:
    logs = workdir / "_logs"
    tmp = workdir / "_tmp"
    logs.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    env = dict(os.environ)
    env["KASIRBACKUP_LOG_DIR"] = str(logs)
    # settings and the run history (every restore, export, check … is recorded) stay in the test
    env["KASIRBACKUP_CONFIG_DIR"] = str(workdir / "_config")
    env["KASIRBACKUP_DATA_DIR"] = str(workdir / "_data")
    env["TMPDIR"] = str(tmp)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return KB(env=env, tmpdir=tmp)


def integrity(path: Path) -> list[str]:
    """PRAGMA integrity_check of a static file, opened read-only and immutable."""
    conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def repo_files(repo: Path) -> dict[str, set[str]]:
    """Names of the objects of each kind in a local repository."""
    out: dict[str, set[str]] = {}
    for kind in ("data", "index", "snapshots", "locks", "tmp"):
        base = repo / kind
        if kind == "data":
            out[kind] = {p.name for p in base.glob("*/*") if p.is_file()} if base.is_dir() else set()
        else:
            out[kind] = {p.name for p in base.iterdir()} if base.is_dir() else set()
    return out


def indexed_packs(repo: Path) -> set[str]:
    """Every pack named by an index file of the repository."""
    from kasirbackup.core.repo.packs import decode_index

    names: set[str] = set()
    base = repo / "index"
    if base.is_dir():
        for f in base.iterdir():
            names.update(name for name, _ in decode_index(f.read_bytes()))
    return names


class WriterProcess:
    """A writer in its own process (``writer_proc.py`` or ``invariant_writer.py``; both take
    DB --interval-ms --busy-timeout-ms --stop-file --ack-log --stats and print READY)."""

    def __init__(self, script: Path, db: Path, workdir: Path, interval_ms: float,
                 busy_timeout_ms: int = 5000, extra: tuple[str, ...] = ()) -> None:
        self.stop_file = workdir / "writer.stop"
        self.ack_log = workdir / "writer.ack"
        self.stats_file = workdir / "writer.stats.json"
        self.stderr_file = workdir / "writer.stderr"
        for f in (self.stop_file, self.ack_log, self.stats_file):
            if f.exists():
                f.unlink()
        self._stderr = open(self.stderr_file, "w")
        self.proc = subprocess.Popen(
            [sys.executable, str(script), str(db), "--interval-ms", str(interval_ms),
             "--busy-timeout-ms", str(busy_timeout_ms), "--stop-file", str(self.stop_file),
             "--ack-log", str(self.ack_log), "--stats", str(self.stats_file), *extra],
            stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        line = self.proc.stdout.readline()   # blocks until the first commit (or exit)
        if line.strip() != "READY":
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"writer did not start: {line!r} {self.stderr_file.read_text()}")

    def acked(self) -> list[int]:
        """Ids acknowledged so far (complete lines only: the log is appended line by line)."""
        try:
            text = self.ack_log.read_text(encoding="ascii")
        except FileNotFoundError:
            return []
        lines = text.split("\n")
        return [int(x) for x in lines[:-1] if x]      # the last element is "" or a partial line

    def last_acked(self) -> int:
        ids = self.acked()
        return ids[-1] if ids else 0

    def stop(self, timeout: float = 60) -> dict:
        self.stop_file.write_text("stop")
        try:
            self.proc.wait(timeout=timeout)
        finally:
            self.kill()
        if self.proc.returncode != 0:
            raise AssertionError(f"writer exited {self.proc.returncode}: {self.stderr_file.read_text()}")
        return json.loads(self.stats_file.read_text())

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()
