"""The engine work of the Export… and Import… dialogs, run on workers (``AppContext.start``).
Work that reads or writes a repository holds its queue (``app.runner.repo_queue``), as a
backup does; while a backup holds it, the job reports the phase "wait" and stays cancellable.
An export and an import are recorded in the history (``job_sink``: the context that started
the job), whether or not their dialog is still open when they end."""

from __future__ import annotations

from dataclasses import dataclass

from ..app import oplog
from ..app.history import OpKind
from ..core.imports.importer import ImportPlan, ImportReport
from ..core.repo.manifest import Snapshot
from .context import AppContext, job_sink


def _take_queue(location: str, progress, cancel):
    from ..app.runner import repo_queue

    queue = repo_queue(location)
    if not queue.acquire(blocking=False):       # a backup of this repository is running
        progress("wait", 0, 0)
        while not queue.acquire(timeout=0.2):
            cancel.check()
    return queue


@dataclass(slots=True)
class BackupChoices:
    snapshots: list[Snapshot]
    local: bool          # a folder (scheduled exports can be kept there)
    encrypted: bool


def load_backups(location: str) -> BackupChoices:
    """On a worker: the verified snapshots of the profile's first repository."""
    from ..core.storage.local import LocalStorage

    repo = AppContext.open_repo(location)
    snaps = [s for s in repo.snapshots() if s.verification.ok is not False]
    return BackupChoices(snaps, isinstance(repo.storage, LocalStorage), bool(repo.config.encryption))


def live_tables(db_path: str) -> dict[str, int | None]:
    """On a worker: the exportable tables of the live database (schema only: no long lock)."""
    from ..core.exports.meta import exportable
    from ..core.sqlitefile import check_source, connect_readonly

    path, _ = check_source(db_path)
    conn = connect_readonly(path, timeout=2.0)
    try:
        tabs, _ = exportable(conn)
    finally:
        conn.close()
    return {name: None for name in sorted(tabs)}


def run_export(location: str | None, snapshot_id: str | None, db_path: str, fmt: str, out: str,
               tables: list[str] | None, labels: dict[str, str], progress, cancel):
    """On a worker: one export; a backup is read while holding its repository's queue."""
    from ..core.exports.exporter import ExportRequest, export

    if snapshot_id is None:
        with oplog.recording(OpKind.EXPORT, job_sink(), database=db_path, target=out, mode=fmt) as op:
            result = export(ExportRequest(format=fmt, out=out, db=db_path, tables=tables, xlsx_labels=labels),
                            progress, cancel)
            oplog.exported(op, result)
        return result
    queue = _take_queue(location, progress, cancel)
    try:
        repo = AppContext.open_repo(location)       # a passphrase asked for is not a failed export
        snap = repo.find(snapshot_id)
        with oplog.recording(OpKind.EXPORT, job_sink(), database=db_path, repo=location, target=out,
                             mode=fmt) as op:
            result = export(ExportRequest(format=fmt, out=out, repo=repo, snapshot=snap, tables=tables,
                                          xlsx_labels=labels), progress, cancel)
            oplog.exported(op, result, snap, location)
        return result
    finally:
        queue.release()


def run_preview(db: str, file: str, mode: str, force: bool, progress, cancel) -> tuple[ImportPlan, ImportReport]:
    """On a worker: read and check the file, then the import on a copy of the database."""
    from ..core.imports.importer import dry_run_import, prepare_import

    plan = prepare_import(db, file, mode, force, progress=progress, cancel=cancel)
    try:
        return plan, dry_run_import(plan, progress, cancel)
    except BaseException:
        plan.close()
        raise


def run_import(plan: ImportPlan, location: str | None, progress, cancel) -> ImportReport:
    """On a worker: the import, after a safety backup into ``location`` (holding its queue).
    The plan is used once: its staging files are removed at the end, whatever happened."""
    from ..core.imports.importer import execute_import

    try:
        if location is None:
            with oplog.recording(OpKind.IMPORT, job_sink(), database=str(plan.target), source=str(plan.file),
                                 mode=plan.mode) as op:
                report = execute_import(plan, None, wait_s=5.0, progress=progress, cancel=cancel)
                oplog.imported(op, report)
            return report
        queue = _take_queue(location, progress, cancel)
        try:
            repo = AppContext.open_repo(location, create=True)   # a passphrase asked for is not a failure
            with oplog.recording(OpKind.IMPORT, job_sink(), database=str(plan.target), source=str(plan.file),
                                 mode=plan.mode) as op:
                report = execute_import(plan, repo, wait_s=5.0, progress=progress, cancel=cancel)
                oplog.imported(op, report, location)
            return report
        finally:
            queue.release()
    finally:
        plan.close()
