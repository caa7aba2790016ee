"""Recording what is done besides backups — restores, undos, imports, exports, checks and
prunes — in the run history, the same way from the command line and the desktop app.

``recording(kind, sink, origin)`` wraps the work: the caller fills the ``Operation`` from the
engine's result (``restored_live``, ``exported`` … below), and when the work ends the record
is written — a success, or a failure with its message. A cancel changed nothing and is not
recorded. A record never makes the work fail: a history that cannot be written is a line in
the log. ``sink`` is where it goes: ``history_writer()`` (the per-user history, opened for the
one write: the command line) or the desktop app's own (``AppContext.record``); None records
nothing.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from datetime import datetime
from typing import Callable, Iterator

from ..core.errors import Cancelled, KasirBackupError
from .history import History, Operation, OpKind, Origin, Result
from .settings import Settings, SettingsStore

log = logging.getLogger("kasirbackup.history")

Sink = Callable[[Operation], None]


def _now() -> datetime:
    return datetime.now().astimezone()


def profile_for(settings: Settings | None, database: str = "", repo: str = "") -> str:
    """The name of the profile that backs up ``database`` (else whose backups are in ``repo``)."""
    if settings is None:
        return ""
    from .safety import same_file

    for p in settings.profiles:
        if database and same_file(p.db_path, database):
            return p.name
    if repo:
        norm = os.path.normcase(os.path.normpath(repo)) if "://" not in repo else repo
        for p in settings.profiles:
            for r in p.repos:
                if (os.path.normcase(os.path.normpath(r)) if "://" not in r else r) == norm:
                    return p.name
    return ""


def history_writer(history: History | None = None, settings: Settings | None = None) -> Sink:
    """A sink that writes into ``history`` (default: the per-user history, opened for the one
    write), naming the profile from ``settings`` (default: the saved settings) when unset."""
    def write(op: Operation) -> None:
        if not op.profile:
            try:
                op.profile = profile_for(settings if settings is not None else SettingsStore().load(),
                                         op.database, op.repo)
            except KasirBackupError:
                pass
        h = history or History()
        try:
            h.record(op)
        finally:
            if history is None:
                h.close()
    return write


def _write(sink: Sink, op: Operation) -> None:
    try:
        sink(op)
    except Exception:
        log.warning("could not record the %s in the history", op.kind.value, exc_info=True)


@contextmanager
def recording(kind: OpKind, sink: Sink | None, origin: Origin = Origin.APP, **known) -> Iterator[Operation]:
    """Record the operation done inside the block (see the module's doc)."""
    op = Operation(kind, _now(), origin=origin, **known)
    try:
        yield op
    except (Cancelled, KeyboardInterrupt):
        raise
    except BaseException as exc:
        if sink is not None:
            op.ended_at, op.result = _now(), Result.FAILED
            op.message = exc.message() if isinstance(exc, KasirBackupError) else f"{type(exc).__name__}: {exc}"
            _write(sink, op)
        raise
    if sink is not None:
        op.ended_at = _now()
        _write(sink, op)


# -- filling a record from the engine's results ----------------------------------------------------

def _snapshot(op: Operation, snap) -> None:
    op.snapshot_id, op.snapshot_time = snap.id, snap.created_at
    if not op.database:
        op.database = snap.source_path


def restored_to_file(op: Operation, repo_location: str, result) -> None:
    """``core.restore.to_file.RestoreResult``."""
    _snapshot(op, result.snapshot)
    op.repo, op.target, op.bytes = repo_location, str(result.path), result.bytes


def restored_live(op: Operation, repo_location: str, result) -> None:
    """``core.restore.live.LiveRestoreResult`` of a restore (whole, some tables, or a merge)."""
    _snapshot(op, result.snapshot)
    op.database, op.repo, op.safety_id = str(result.target), repo_location, result.safety.id
    op.mode = "merge" if result.mode == "merge" else ("tables" if result.tables else "replace")
    op.tables = len(result.tables)
    if result.mode == "merge":
        op.rows = sum(t.inserted for t in result.tables)


def undone(op: Operation, repo_location: str, safety, result) -> None:
    """The safety snapshot ``safety`` put back by ``result`` (a LiveRestoreResult)."""
    _snapshot(op, safety)
    op.database, op.repo, op.safety_id = str(result.target), repo_location, result.safety.id
    op.mode = "import" if (safety.label or "").startswith("before import") else "restore"


def imported(op: Operation, report, repo_location: str = "") -> None:
    """``core.imports.importer.ImportReport`` of an import that was done (not a dry run)."""
    op.database, op.source, op.mode = str(report.target), str(report.file), report.mode
    op.tables = sum(1 for t in report.tables if t.inserted or t.updated or t.removed)
    op.inserted, op.updated, op.removed = report.total("inserted"), report.total("updated"), report.total("removed")
    if report.safety is not None:
        op.safety_id, op.repo = report.safety.id, repo_location


def exported(op: Operation, result, snap=None, repo_location: str = "") -> None:
    """``core.exports.exporter.ExportResult``; ``snap``: the backup it was made from, if any."""
    op.target, op.mode, op.tables, op.rows, op.bytes = (str(result.path), result.format, len(result.tables),
                                                        result.rows, result.bytes)
    if snap is not None:
        _snapshot(op, snap)
        op.repo = repo_location
    else:
        op.database = op.database or result.source


def checked(op: Operation, repo_location: str, report) -> None:
    """``app.verifying.VerifyReport``: the backups restored as a test."""
    op.repo, op.mode = repo_location, "drill"
    op.checked, op.damaged = len(report.snapshots), len(report.bad)
    if len(report.snapshots) == 1:
        _snapshot(op, report.snapshots[0])
    if not report.ok:
        op.result = Result.FAILED
        bad = [f"backup {s.short_id} damaged: {s.verification.detail}" for s in report.bad]
        op.message = "; ".join([*bad, *report.problems][:3])


def checked_data(op: Operation, repo_location: str, report) -> None:
    """``core.repo.check.DataCheckReport``: stored data read back."""
    op.repo, op.mode = repo_location, "data"
    op.checked, op.read, op.damaged = report.snapshots, report.packs_read, len(report.problems)
    if not report.ok:
        op.result = Result.FAILED
        op.message = "; ".join(report.problems[:3])


def pruned(op: Operation, repo_location: str, result) -> None:
    """``core.retention.prune.PruneResult`` of a prune that was done (not a dry run)."""
    op.repo, op.removed, op.checked = repo_location, len(result.removed), len(result.decisions)
    op.bytes = max(0, result.gc.bytes_before - result.gc.bytes_after)


# -- in words (English: the command line and the log; the window has its own, translated) ----------

def _when(t: datetime | None) -> str:
    return t.astimezone().strftime("%Y-%m-%d %H:%M") if t else "?"


def describe(op: Operation) -> str:
    """One plain sentence: what the operation did (or that it failed, and why)."""
    from pathlib import Path

    db = Path(op.database).name if op.database else "the database"
    backup = f"backup {op.snapshot_id[:8]} of {_when(op.snapshot_time)}"
    if op.result == Result.FAILED and op.kind != OpKind.CHECK:
        return f"{op.kind.value} failed: {op.message}"
    if op.kind == OpKind.RESTORE:
        if op.mode == "merge":
            text = f"merged {backup} into {db}: {op.rows} rows brought back"
        elif op.mode == "tables":
            text = f"restored {op.tables} tables of {backup} into {db}"
        else:
            text = f"restored {backup} into {db}"
        return text + (f" (safety backup {op.safety_id[:8]})" if op.safety_id else "")
    if op.kind == OpKind.RESTORE_FILE:
        return f"restored {backup} to the new file {op.target}"
    if op.kind == OpKind.UNDO:
        return f"undid the {op.mode or 'restore'} of {db}: it is back as it was at {_when(op.snapshot_time)}"
    if op.kind == OpKind.IMPORT:
        return (f"imported {Path(op.source).name} into {db} ({op.mode}): {op.inserted} new, {op.updated} changed, "
                f"{op.removed} removed rows")
    if op.kind == OpKind.EXPORT:
        what = backup if op.snapshot_id else db
        return f"exported {op.tables} tables ({op.rows} rows) of {what} to {op.target} ({op.mode})"
    if op.kind == OpKind.CHECK:
        if op.mode == "data":
            verdict = "all intact" if op.result == Result.SUCCESS else f"{op.damaged} problems found: {op.message}"
            return f"read back {op.read} stored files of {op.checked} backups in {op.repo}: {verdict}"
        if op.checked == 1 and op.snapshot_id:
            verdict = "it restores" if op.result == Result.SUCCESS else f"DAMAGED: {op.message}"
            return f"checked {backup}: {verdict}"
        verdict = ("all restore" if op.result == Result.SUCCESS
                   else f"{op.damaged} damaged" + (f": {op.message}" if op.message else ""))
        return f"checked {op.checked} backups in {op.repo}: {verdict}"
    if op.kind == OpKind.PRUNE:
        return f"removed {op.removed} of {op.checked} backups in {op.repo} ({op.bytes} bytes freed)"
    return op.kind.value
