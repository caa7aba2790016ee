"""Run history: every backup run with start, end, trigger, result, bytes added and message,
and every other operation on a database or its backups (restores, undos, imports, exports,
checks, prunes) with what it did.

Kept in a small SQLite database in the per-user data folder (a local disk, never the
backup location). Backup runs are in the table ``runs`` — what the scheduler and the status
banner trust to decide whether a run was missed — and the other operations in their own
table ``operations``, so that nothing but a backup can ever count as one (``runs``,
``attempts``, ``last_success`` … read ``runs`` only). ``entries`` lists both, newest first.
A file written before ``operations`` existed gets the table when it is opened; a row of a
kind this version does not know (written by a newer one) is left out, never an error.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
from dataclasses import dataclass, fields
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
    CONTINUOUS = "continuous"     # continuous protection: a snapshot a minute after a change


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


@dataclass(frozen=True, slots=True)
class PlaceOutcome:
    """How one backup place (repository) of a run fared."""
    repo: str
    ok: bool
    code: str = ""          # KasirBackupError.code of the failure ("" for other failures)
    message: str = ""


@dataclass(frozen=True, slots=True)
class PlaceState:
    """A backup place as the newest runs that tried it left it."""
    repo: str
    ok: bool
    tried_at: datetime                  # the newest run that tried it
    failing_since: datetime | None      # the first failure after its last success
    code: str = ""
    message: str = ""


class OpKind(str, Enum):
    """What an operation other than a backup did."""
    RESTORE = "restore"             # a backup restored into the database (whole, some tables, merged)
    RESTORE_FILE = "restore-file"   # a backup written to a new file
    UNDO = "undo"                   # the safety backup taken before a restore or import put back
    IMPORT = "import"
    EXPORT = "export"
    CHECK = "check"                 # backups restored as a test (verify), or stored data read back
    PRUNE = "prune"                 # old backups removed by the retention policy


class Origin(str, Enum):
    APP = "app"                     # the desktop application
    CLI = "cli"                     # the command line


@dataclass(slots=True)
class Operation:
    """One operation other than a backup run. Which fields mean something depends on the kind;
    the others keep their defaults."""
    kind: OpKind
    started_at: datetime
    ended_at: datetime | None = None
    result: Result = Result.SUCCESS         # SUCCESS or FAILED (a check that found damage: FAILED)
    origin: Origin = Origin.APP
    profile: str = ""                       # the profile of the database or backup folder, "" if none
    database: str = ""                      # the database restored into, imported into, exported or checked
    repo: str = ""                          # the backup folder
    snapshot_id: str = ""                   # the backup restored, exported or checked (a check of one)
    snapshot_time: datetime | None = None   # ... when it was taken (undo: the moment the database is back to)
    target: str = ""                        # the file written: a restored copy, an export
    source: str = ""                        # the file read: an import
    mode: str = ""                          # restore: replace|tables|merge; import: merge|replace;
                                            # export: the format; check: drill|data; undo: restore|import
    tables: int = 0                         # tables restored (by table), exported, imported
    rows: int = 0                           # rows exported; rows brought back by a merge
    inserted: int = 0                       # import: new rows
    updated: int = 0                        # import: changed rows
    removed: int = 0                        # import: rows removed; prune: backups removed
    checked: int = 0                        # check: backups checked; prune: backups looked at
    damaged: int = 0                        # check: backups (or stored files) found damaged
    read: int = 0                           # data check: stored files read back
    bytes: int = 0                          # restored copy, export: its size; prune: bytes freed
    safety_id: str = ""                     # the safety backup taken before the change
    message: str = ""                       # why it failed (English, from the engine)
    id: int = 0

    @property
    def duration_s(self) -> float | None:
        return (self.ended_at - self.started_at).total_seconds() if self.ended_at else None

    def to_json(self) -> dict:
        out = {"id": self.id, "kind": self.kind.value, "profile": self.profile, "origin": self.origin.value,
               "started_at": self.started_at.isoformat(timespec="seconds"),
               "ended_at": self.ended_at.isoformat(timespec="seconds") if self.ended_at else None,
               "duration_s": self.duration_s, "result": self.result.value}
        out.update(_details(self))
        return out


#: the fields of an Operation kept in its ``details`` JSON (the rest are columns)
_COLUMNS = {"id", "kind", "started_at", "ended_at", "result", "origin", "profile", "message"}
_DETAILS = [f for f in fields(Operation) if f.name not in _COLUMNS]


def _details(op: Operation) -> dict:
    out = {}
    for f in _DETAILS:
        value = getattr(op, f.name)
        if isinstance(value, datetime):
            value = value.isoformat(timespec="seconds")
        if value not in ("", 0, None):
            out[f.name] = value
    return out


def _from_details(text: str) -> dict:
    """The typed fields from a ``details`` JSON; anything unreadable keeps its default."""
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    out = {}
    for f in _DETAILS:
        value = raw.get(f.name)
        if f.name == "snapshot_time":
            try:
                out[f.name] = datetime.fromisoformat(value) if isinstance(value, str) and value else None
            except ValueError:
                pass
        elif f.type == "int" and isinstance(value, int) and not isinstance(value, bool):
            out[f.name] = value
        elif f.type == "str" and isinstance(value, str):
            out[f.name] = value
    return out


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
CREATE TABLE IF NOT EXISTS run_places (   -- how each backup place of a run fared
    run_id INTEGER NOT NULL,
    repo TEXT NOT NULL,
    ok INTEGER NOT NULL,
    code TEXT NOT NULL DEFAULT '',         -- the user error's code, e.g. repo-write-protected
    message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, repo)
);
CREATE TABLE IF NOT EXISTS operations (   -- everything but backups: restores, imports, exports, checks …
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                    -- OpKind
    profile TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,              -- ISO 8601 UTC
    ended_at TEXT,
    result TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',       -- app | cli
    details TEXT NOT NULL DEFAULT '{}',    -- the other fields of Operation, as JSON
    message TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS operations_profile_started ON operations(profile, started_at);
"""

#: what ``entries`` lists: a backup run or another operation
Entry = Run | Operation


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

    def attempts(self, profile: str, limit: int = 10, continuous: bool = True) -> list[Run]:
        """Newest first, without skips (and without continuous snapshots unless ``continuous``)."""
        if continuous:
            return self._runs("profile = ? AND result != ?", (profile, Result.SKIPPED.value), limit)
        return self._runs("profile = ? AND result != ? AND trigger != ?",
                          (profile, Result.SKIPPED.value, Trigger.CONTINUOUS.value), limit)

    def last_attempt(self, profile: str, continuous: bool = False) -> Run | None:
        """The newest run that really tried (not a skip); of the scheduled runs only (the
        nightly slot, catch-up, retry, manual), unless ``continuous`` counts too."""
        if continuous:
            r = self._runs("profile = ? AND result != ?", (profile, Result.SKIPPED.value), 1)
        else:
            r = self._runs("profile = ? AND result != ? AND trigger != ?",
                           (profile, Result.SKIPPED.value, Trigger.CONTINUOUS.value), 1)
        return r[0] if r else None

    def record_places(self, run_id: int, outcomes: list[PlaceOutcome]) -> None:
        for o in outcomes:
            self._exec("INSERT OR REPLACE INTO run_places(run_id, repo, ok, code, message) VALUES (?, ?, ?, ?, ?)",
                       (run_id, o.repo, int(o.ok), o.code, o.message))

    def place_state(self, profile: str, repo: str, limit: int = 500) -> PlaceState | None:
        """The place as the profile's newest runs left it; None when no run recorded it."""
        rows = self._exec("SELECT p.ok, p.code, p.message, r.started_at FROM run_places p JOIN runs r "
                          "ON r.id = p.run_id WHERE r.profile = ? AND p.repo = ? "
                          "ORDER BY r.started_at DESC, r.id DESC LIMIT ?", (profile, repo, int(limit))).fetchall()
        if not rows:
            return None
        ok, code, message, newest = rows[0]
        since = None
        if not ok:
            for row_ok, _, _, at in rows:
                if row_ok:
                    break
                since = at
        return PlaceState(repo, bool(ok), _dt(newest), _dt(since), code, message)

    def failures_since(self, profile: str, since: datetime | None) -> list[Run]:
        if since is None:
            return self._runs("profile = ? AND result IN (?, ?)", (profile, Result.FAILED.value,
                                                                   Result.INTERRUPTED.value))
        return self._runs("profile = ? AND result IN (?, ?) AND started_at > ?",
                          (profile, Result.FAILED.value, Result.INTERRUPTED.value, _iso(since)))

    def forget_runs(self, profile: str, since: datetime) -> int:
        """Remove the runs of ``profile`` started at or after ``since`` (a first-start setup that
        was cancelled leaves no run behind for a later profile of the same name)."""
        return self._exec("DELETE FROM runs WHERE profile = ? AND started_at >= ?", (profile, _iso(since))).rowcount

    # -- operations other than backups ----------------------------------------------------------
    def record(self, op: Operation) -> int:
        """Store a finished operation; returns (and sets) its id."""
        op.id = self._exec(
            "INSERT INTO operations(kind, profile, started_at, ended_at, result, origin, details, message, host, pid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (op.kind.value, op.profile, _iso(op.started_at), _iso(op.ended_at) if op.ended_at else None,
             op.result.value, op.origin.value, json.dumps(_details(op), ensure_ascii=False), op.message,
             socket.gethostname(), os.getpid())).lastrowid
        return op.id

    def operations(self, profile: str | None = None, limit: int = 100) -> list[Operation]:
        """Newest first; rows of a kind or result this version does not know are left out."""
        where, args = ("profile = ?", (profile,)) if profile else ("1", ())
        rows = self._exec("SELECT id, kind, profile, started_at, ended_at, result, origin, details, message "
                          f"FROM operations WHERE {where} ORDER BY started_at DESC, id DESC LIMIT {int(limit)}",
                          args).fetchall()
        out = []
        for rid, kind, prof, started, ended, result, origin, details, message in rows:
            try:
                out.append(Operation(OpKind(kind), _dt(started), _dt(ended), Result(result),
                                     Origin(origin) if origin in Origin._value2member_map_ else Origin.APP,
                                     prof, message=message, id=rid, **_from_details(details)))
            except ValueError:
                continue
        return out

    def entries(self, profile: str | None = None, limit: int = 500) -> list[Entry]:
        """Backup runs and other operations together, newest first."""
        both: list[Entry] = [*self.runs(profile, limit), *self.operations(profile, limit)]
        both.sort(key=lambda e: e.started_at.astimezone(timezone.utc), reverse=True)
        return both[:limit]
