"""Importing a JSON, XLSX or CSV export back into a database.

``prepare_import`` changes nothing: it reads and checks the whole file into a staging
database in scratch space (every bad-input error is raised here), checks that the file
belongs to this database, and that its tables and columns fit. Then either

* ``dry_run_import`` applies the staged rows to a consistent *copy* of the database (taken
  with short locks, as a backup does) and reports per table what would be inserted,
  updated, unchanged, removed and rejected, with the reasons; or
* ``execute_import`` takes SQLite's exclusive lock on the database, stores a
  ``before-restore`` safety snapshot labelled "before import of FILE" when a repository is
  given, applies the rows in one transaction and commits only when no row was rejected
  and no foreign key was broken — otherwise the database is unchanged.

``--mode merge`` upserts by primary key (rows not in the file stay); ``--mode replace``
makes each table in the file hold exactly the file's rows (tables not in the file stay).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from ..snapshot.capture import capture_to_file
from ..errors import KasirBackupError
from ..exports.meta import ExportMeta
from ..restore.identity import DatabaseFacts, IdentityCheck, compare
from .apply import STAGE_SCHEMA, TableReport, apply_staged
from .csv import open_csv
from .files import ImportFile, ImportFileMissing, ImportLimits, detect_format
from .json import open_json
from .stage import StagedTable, create_staging, stage_file
from .xlsx import open_xlsx
from ..repo.manifest import IMPORT_SAFETY_LABEL, Snapshot
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import Repository
from ..holders import ensure_closed
from ..restore.live import (SafetySnapshotFailed, check_live_target, lock_exclusive, open_anyway_note,
                           release_lock, take_safety_snapshot)
from ..schema import tables
from ..scratch import clean_scratch, scratch_folder
from ..sqlitefile import (check_source, connect_readonly, first_row_digests, holds_rows, one_line,
                          remove_db_files, schema_fingerprint, table_names)

MODES = ("merge", "replace")


class OtherDatabaseImport(KasirBackupError):
    code = "import-other-database"
    template = "The file {file} was exported from a different database than {path}: {differences}."
    hint = ("Check that you picked the right file and the right database. To import it anyway, "
            "confirm explicitly (--force-other-database).")


class ImportRejected(KasirBackupError):
    code = "import-rejected"
    template = "The import was not done: {count} rows of the file cannot go into the database ({detail})."
    hint = "Nothing was changed. Run the import with --dry-run to see every problem, fix the file and try again."


class DatabaseChangedMeanwhile(KasirBackupError):
    code = "import-database-changed"
    template = "The structure of {path} changed while the file was being read."
    hint = "Nothing was changed; run the import again."


class ImportSafetyFailed(KasirBackupError):
    code = "import-safety-snapshot-failed"
    template = "Could not take the safety backup of {path} before importing: {detail}."
    hint = "Nothing was imported and the database is unchanged. Fix the problem with the backup location and try again."


class UnknownImportMode(KasirBackupError):
    code = "import-mode"
    template = "Unknown import mode {mode}."
    hint = "Use merge or replace."


@dataclass
class ImportPlan:
    target: Path
    file: Path
    format: str
    mode: str
    meta: ExportMeta | None
    staged: list[StagedTable]
    staging: Path
    workdir: Path
    fingerprint: str
    identity: IdentityCheck
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(st.rows for st in self.staged)

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "ImportPlan":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class ImportReport:
    file: Path
    target: Path
    mode: str
    dry_run: bool
    tables: list[TableReport]
    duration_s: float = 0.0
    safety: Snapshot | None = None
    notes: list[str] = field(default_factory=list)
    lock_s: float = 0.0               # how long the database was held exclusively (other programs wait)

    def total(self, what: str) -> int:
        return sum(getattr(t, what) for t in self.tables)

    @property
    def rejected(self) -> int:
        return self.total("rejected")

    def to_json(self) -> dict:
        return {"file": str(self.file), "path": str(self.target), "mode": self.mode, "dry_run": self.dry_run,
                "tables": [t.to_json() for t in self.tables],
                "totals": {k: self.total(k) for k in ("inserted", "updated", "unchanged", "removed", "rejected")},
                "safety_snapshot": self.safety.id if self.safety else None,
                "duration_s": round(self.duration_s, 3), "lock_s": round(self.lock_s, 3), "notes": self.notes}


def open_file(path: str | os.PathLike, limits: ImportLimits | None = None) -> ImportFile:
    p = Path(path).expanduser()
    if not p.exists():
        raise ImportFileMissing(path=str(p))
    limits = limits or ImportLimits()
    kind = detect_format(p)
    if kind == "json":
        return open_json(p, limits)
    if kind == "xlsx":
        return open_xlsx(p, limits)
    return open_csv(p, kind, limits)


def database_facts(conn: sqlite3.Connection, path: str) -> DatabaseFacts:
    """What identifies a database, read with a few short queries (no full table reads)."""
    return DatabaseFacts(path, conn.execute("PRAGMA application_id").fetchone()[0], schema_fingerprint(conn),
                         first_row_digests(conn), {n: None for n in table_names(conn)}, not holds_rows(conn))


def check_identity(meta: ExportMeta | None, facts: DatabaseFacts) -> IdentityCheck:
    if meta is None:
        return IdentityCheck(True, [], ["the file carries no description of its database, so it cannot be "
                                        "checked to come from this one"])
    exported = SimpleNamespace(
        database=SimpleNamespace(application_id=meta.application_id, first_rows=meta.first_rows,
                                 schema_fingerprint=meta.schema_fingerprint),
        tables=meta.all_tables)
    return compare(exported, facts)     # the same judgement as for a backup (restore/identity.py)


def prepare_import(db: str | os.PathLike, file: str | os.PathLike, mode: str = "merge",
                   force_other_database: bool = False, limits: ImportLimits | None = None,
                   dry_run: bool = False, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> ImportPlan:
    cancel = cancel or CancelToken()
    if mode not in MODES:
        raise UnknownImportMode(mode=mode)
    target = check_source(db)[0] if dry_run else check_live_target(db)
    f = open_file(file, limits)
    clean_scratch()
    workdir = scratch_folder("import")
    try:
        conn = connect_readonly(target)
        try:
            facts = database_facts(conn, str(target))
            identity = check_identity(f.meta, facts)
            if not identity.same and not force_other_database:
                raise OtherDatabaseImport(file=str(f.path), path=str(target),
                                          differences="; ".join(identity.differences))
            staging_path = workdir / "staging.db"
            staging = create_staging(staging_path)
            try:
                staged = stage_file(f, tables(conn), conn, str(target), staging, mode, progress, cancel)
            finally:
                staging.close()
        finally:
            conn.close()
        notes = list(identity.notes) + list(f.notes)
        if not identity.same:
            notes.append("imported although it comes from another database (confirmed): "
                         + "; ".join(identity.differences))
        return ImportPlan(target, f.path, f.format, mode, f.meta, staged, staging_path, workdir,
                          facts.schema_fingerprint, identity, notes)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    finally:
        f.close()


def _run(conn: sqlite3.Connection, plan: ImportPlan, keep: bool, progress: Progress,
         cancel: CancelToken, sample: int = 0) -> list[TableReport]:
    """Apply the plan in one transaction; commit only if ``keep`` and nothing was rejected."""
    conn.execute(f"ATTACH DATABASE ? AS {STAGE_SCHEMA}", (str(plan.staging),))
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            reports = apply_staged(conn, plan.staged, plan.mode, plan.meta.sequences if plan.meta else {},
                                   progress, cancel, sample)
            rejected = sum(r.rejected for r in reports)
            if keep and rejected:
                first = next(r for r in reports if r.rejected)
                detail = f"{first.name}: {first.reasons[0]}" if first.reasons else first.name
                raise ImportRejected(count=rejected, detail=one_line(detail, 300))
            cancel.check()
            conn.execute("COMMIT" if keep else "ROLLBACK")
            return reports
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute(f"DETACH DATABASE {STAGE_SCHEMA}")


def dry_run_import(plan: ImportPlan, progress: Progress = no_progress,
                   cancel: CancelToken | None = None, sample: int = 5) -> ImportReport:
    """What the import would do, found by doing it on a copy of the database; with the
    first ``sample`` rows it would add, change and remove in each table."""
    cancel = cancel or CancelToken()
    t0 = time.monotonic()
    copy = plan.workdir / "current.db"
    capture_to_file(plan.target, copy, progress, cancel)
    conn = sqlite3.connect(copy, isolation_level=None, check_same_thread=False)
    try:
        reports = _run(conn, plan, keep=False, progress=progress, cancel=cancel, sample=sample)
    finally:
        conn.close()
        remove_db_files(copy)
    return ImportReport(plan.file, plan.target, plan.mode, True, reports, time.monotonic() - t0,
                        notes=list(plan.notes))


def execute_import(plan: ImportPlan, repo: Repository | None = None, wait_s: float = 0.0,
                   progress: Progress = no_progress, cancel: CancelToken | None = None,
                   even_if_open: bool = False) -> ImportReport:
    """Import for real: refused while another program has the database open (see
    execute_restore), then exclusive lock, safety snapshot (with ``repo``), one transaction."""
    cancel = cancel or CancelToken()
    t0 = time.monotonic()
    open_by = ensure_closed(plan.target, wait_s, even_if_open)
    if not open_by.clear:
        plan.notes.append(open_anyway_note(open_by))
    live = lock_exclusive(plan.target, max(0.0, wait_s - (time.monotonic() - t0)))
    locked = time.monotonic()
    try:
        if schema_fingerprint(live) != plan.fingerprint:
            raise DatabaseChangedMeanwhile(path=str(plan.target))
        safety = None
        if repo is not None:
            safety = _safety_snapshot(repo, plan, live, progress, cancel)
        cancel.check()
        reports = _run(live, plan, keep=True, progress=progress, cancel=cancel)
    finally:
        release_lock(live)
        lock_s = time.monotonic() - locked
    notes = list(plan.notes)
    if repo is None:
        notes.append("no safety backup was taken (no repository given)")
    return ImportReport(plan.file, plan.target, plan.mode, False, reports, time.monotonic() - t0, safety, notes,
                        lock_s)


def _safety_snapshot(repo: Repository, plan: ImportPlan, live: sqlite3.Connection, progress: Progress,
                     cancel: CancelToken) -> Snapshot:
    image = plan.workdir / "before-import.db"
    try:
        return take_safety_snapshot(repo, live, plan.target, image, IMPORT_SAFETY_LABEL.format(file=plan.file.name),
                                    progress, cancel)
    except SafetySnapshotFailed as exc:
        raise ImportSafetyFailed(**exc.params) from exc
    finally:
        try:
            image.unlink()
        except OSError:
            pass
