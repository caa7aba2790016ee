"""Run history: every run with start, end, trigger, result, bytes added and message.

Kept in a small SQLite database in the per-user data folder (a local disk, never the
backup location). It is also what the scheduler trusts to decide whether a run was missed.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

from ..core.processes import pid_alive
from .paths import data_dir


class Trigger(str, Enum):
    MANUAL = "manual"
    SCHEDULED = "scheduled"
    CATCH_UP = "catch-up"
    RETRY = "retry"


class Result(str, Enum):
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
    PARTIAL = "partial"           # the local backup is good; an off-site copy is still pending
    INTERRUPTED = "interrupted"   # the process ended while the run was going on
    CANCELLED = "cancelled"       # stopped by the user; nothing was changed


@dataclass(slots=True)
class Run:
    id: int
    profile: str
    trigger: Trigger
    started_at: datetime
    ended_at: datetime | None
    result: Result
    bytes_added: int
    snapshot_id: str
    message: str

    @property
    def duration_s(self) -> float | None:
        return (self.ended_at - self.started_at).total_seconds() if self.ended_at else None

    def to_json(self) -> dict:
        return {"id": self.id, "profile": self.profile, "trigger": self.trigger.value,
                "started_at": self.started_at.isoformat(timespec="seconds"),
                "ended_at": self.ended_at.isoformat(timespec="seconds") if self.ended_at else None,
                "duration_s": self.duration_s, "result": self.result.value,
                "bytes_added": self.bytes_added, "snapshot": self.snapshot_id, "message": self.message}


SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,
    trigger TEXT NOT NULL,
    started_at TEXT NOT NULL,         -- ISO 8601 UTC
    ended_at TEXT,
    result TEXT NOT NULL,
    bytes_added INTEGER NOT NULL DEFAULT 0,
    snapshot_id TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_profile_started ON runs(profile, started_at);
"""


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


class History:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "history.db"
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))   # private from the start
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.executescript(SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def _exec(self, sql: str, args=()) -> sqlite3.Cursor:
        with self._lock:
            return self._conn.execute(sql, args)

    def start(self, profile: str, trigger: Trigger, at: datetime) -> int:
        return self._exec("INSERT INTO runs(profile, trigger, started_at, result, host, pid) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (profile, trigger.value, _iso(at), Result.RUNNING.value, socket.gethostname(),
                           os.getpid())).lastrowid

    def finish(self, run_id: int, result: Result, at: datetime, message: str = "", bytes_added: int = 0,
               snapshot_id: str = "") -> None:
        self._exec("UPDATE runs SET ended_at = ?, result = ?, message = ?, bytes_added = ?, snapshot_id = ? "
                   "WHERE id = ?", (_iso(at), result.value, message, bytes_added, snapshot_id, run_id))

    def skipped(self, profile: str, trigger: Trigger, at: datetime, reason: str) -> int:
        rid = self.start(profile, trigger, at)
        self.finish(rid, Result.SKIPPED, at, reason)
        return rid

    def mark_interrupted(self, at: datetime) -> int:
        """Runs left 'running' by a process of this computer that no longer exists (crash,
        power cut, kill). A run still going on in another process is left alone."""
        rows = self._exec("SELECT id, host, pid FROM runs WHERE result = ?", (Result.RUNNING.value,)).fetchall()
        me = socket.gethostname()
        dead = [rid for rid, host, pid in rows if host == me and pid != os.getpid() and not pid_alive(pid)]
        for rid in dead:
            self._exec("UPDATE runs SET result = ?, ended_at = ?, message = ? WHERE id = ?",
                       (Result.INTERRUPTED.value, _iso(at), "the program ended during the run", rid))
        return len(dead)

    def _runs(self, where: str, args=(), limit: int | None = None) -> list[Run]:
        sql = f"SELECT * FROM runs WHERE {where} ORDER BY started_at DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        sql = sql.replace("SELECT *", "SELECT id, profile, trigger, started_at, ended_at, result, bytes_added, "
                                      "snapshot_id, message")
        return [Run(r[0], r[1], Trigger(r[2]), _dt(r[3]), _dt(r[4]), Result(r[5]), r[6], r[7], r[8])
                for r in self._exec(sql, args).fetchall()]

    def runs(self, profile: str | None = None, limit: int = 100) -> list[Run]:
        return self._runs("profile = ?", (profile,), limit) if profile else self._runs("1", (), limit)

    def last_success(self, profile: str) -> Run | None:
        r = self._runs("profile = ? AND result = ?", (profile, Result.SUCCESS.value), 1)
        return r[0] if r else None

    def attempts(self, profile: str, limit: int = 10) -> list[Run]:
        """Newest first, without skips."""
        return self._runs("profile = ? AND result != ?", (profile, Result.SKIPPED.value), limit)

    def last_attempt(self, profile: str) -> Run | None:
        """The newest run that really tried (not a skip)."""
        r = self._runs("profile = ? AND result != ?", (profile, Result.SKIPPED.value), 1)
        return r[0] if r else None

    def failures_since(self, profile: str, since: datetime | None) -> list[Run]:
        if since is None:
            return self._runs("profile = ? AND result IN (?, ?)", (profile, Result.FAILED.value,
                                                                   Result.INTERRUPTED.value))
        return self._runs("profile = ? AND result IN (?, ?) AND started_at > ?",
                          (profile, Result.FAILED.value, Result.INTERRUPTED.value, _iso(since)))
