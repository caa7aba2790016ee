"""Restoring a snapshot into the live database — the moment nothing may get worse.

``prepare_restore`` does everything that changes nothing: rebuilds and checks the
snapshot image, takes a consistent copy of the database as it is now (short locks), checks
that the snapshot belongs to this database, checks that the requested tables and mode can
be done safely, and computes the preview. ``execute_restore`` then:

1. takes SQLite's EXCLUSIVE lock on the database through a connection in
   ``locking_mode=EXCLUSIVE`` — it stays held until the end, so from here no other
   program can commit anything that the restore would silently overwrite;
2. copies the locked database (online backup API) and stores that copy as a
   ``before-restore`` snapshot, verified by its own restore drill — if that fails, nothing
   is restored;
3. restores: the whole image with the online backup API into the live database (one
   transaction: a kill at any moment leaves the old or the new database, never a mix), or
   the chosen tables' rows, or a merge, each in one transaction with foreign keys checked;
4. checks the result (``quick_check``, row counts); if the check fails, the safety copy is
   put back the same way and the error says so.

Restoring the ``before-restore`` snapshot is the undo of a restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..attachments.inplace import FolderChanges, plan_sets, restore_sets_in_place
from ..snapshot.backup import BackupRequest, backup
from ..snapshot.capture import capture_to_file
from .diff import DiffResult, diff_images, facts_of, open_pair
from ..faults import reached
from ..errors import (Cancelled, DatabaseCorrupt, DiskFull, KasirBackupError, NotADatabase, TargetIsDirectory,
                     VerificationFailed)
from .identity import IdentityCheck, OtherDatabase, compare
from ..repo.manifest import RESTORE_SAFETY_LABEL, Kind, Snapshot
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import Repository
from .mode_preview import ModePreview, preview_merge, preview_replace
from .rows import TableOutcome, restore_rows
from ..schema import Table, tables
from ..scratch import clean_scratch, scratch_folder
from ..holders import Holders, ensure_closed
from ..sqlitefile import check_source, connect_claimed, one_line, row_counts
from ..snapshot.verify import drill_rebuilt, rebuild_image


class DatabaseInUse(KasirBackupError):
    code = "database-in-use"
    template = "The database {path} is in use by another program."
    hint = ("Close the POS application (and any other program using {name}) and try again, "
            "or wait for it with --wait SECONDS.")


class TargetReadOnly(KasirBackupError):
    code = "target-read-only"
    template = "The database {path} cannot be changed (it or its folder is read-only)."
    hint = "Check the file's permissions, or restore the backup as a new file instead."


class UnknownTables(KasirBackupError):
    code = "unknown-tables"
    template = "The backup has no table named {names}."
    hint = "Tables in this backup: {available}."


class UnsafeRestore(KasirBackupError):
    code = "unsafe-restore"
    template = "This cannot be done safely: {detail}."
    hint = "Nothing was changed. Restore the whole database, or restore the backup as a new file and copy the rows you need."


class SafetySnapshotFailed(KasirBackupError):
    code = "safety-snapshot-failed"
    template = "Could not take the safety backup of {path} before restoring: {detail}."
    hint = "Nothing was restored and the database is unchanged. Fix the problem with the backup location and try again."


class RestoreCheckFailed(KasirBackupError):
    code = "restore-check-failed"
    template = "The restored database did not pass its check ({detail}); the database was put back as it was."
    hint = "Nothing was lost. Try an older backup, and keep the safety backup {safety}."


@dataclass
class RestorePlan:
    snapshot: Snapshot
    target: Path
    mode: str                         # "replace" or "merge"
    tables: list[str] | None          # None: the whole database
    preview: DiffResult
    identity: IdentityCheck
    image: Path
    workdir: Path
    notes: list[str] = field(default_factory=list)
    mode_preview: ModePreview | None = None     # what this mode will do, with the first rows
    #: the attachment folders restored in place with the database, and what that does
    #: (core/attachments/inplace.py); [] when the backup has none or only tables are restored
    files: list[FolderChanges] = field(default_factory=list)

    @property
    def file_sets(self) -> list:
        folders = {f.folder for f in self.files}
        return [a for a in self.snapshot.attachments if a.captured and a.folder in folders]

    @property
    def whole(self) -> bool:
        return self.mode == "replace" and not self.tables

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "RestorePlan":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(slots=True)
class LiveRestoreResult:
    snapshot: Snapshot
    target: Path
    mode: str
    tables: list[TableOutcome]
    safety: Snapshot
    duration_s: float
    notes: list[str]
    files: list = field(default_factory=list)     # (FolderChanges, FilesReport) per attachment folder

    def to_json(self) -> dict:
        return {"snapshot": self.snapshot.id, "path": str(self.target), "mode": self.mode,
                "whole_database": not self.tables, "tables": [asdict(t) for t in self.tables],
                "safety_snapshot": self.safety.id, "duration_s": round(self.duration_s, 3),
                "notes": self.notes,
                "attachments": [{**c.to_json(), "written": r.files, "links": r.links, "not_restored": r.problems}
                                for c, r in self.files]}


# -- preparing (changes nothing) -------------------------------------------------------------

def check_live_target(target: str | os.PathLike) -> Path:
    p = Path(target).expanduser()
    if p.is_dir():
        raise TargetIsDirectory(path=str(p))
    path, _ = check_source(p)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise TargetReadOnly(path=str(path))
    return path


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _hot_journal(path: Path) -> bool:
    """A rollback journal that still holds an unfinished transaction. (A journal kept by
    journal_mode=PERSIST has its header zeroed and is not hot; TRUNCATE leaves it empty.)"""
    try:
        with open(str(path) + "-journal", "rb") as fh:
            return fh.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def preview(repo: Repository, snap: Snapshot, db: str | os.PathLike, workdir: Path,
            progress: Progress = no_progress, cancel: CancelToken | None = None
            ) -> tuple[DiffResult, IdentityCheck, Path, Path]:
    """Rebuild the snapshot and copy the live database into ``workdir``, compare them.
    Returns (diff, identity, snapshot image, current image)."""
    path, _ = check_source(db)
    if snap.verification.ok is False:
        raise VerificationFailed(snapshot=snap.short_id, detail=snap.verification.detail)
    image = workdir / "snapshot.db"
    report = rebuild_image(repo, snap, image, progress, cancel, stop_at_first=True)
    if not report.ok:
        raise VerificationFailed(snapshot=snap.short_id, detail="; ".join(report.problems))
    if not snap.drilled:
        drill_rebuilt(snap, image, report.sha256)
    current = workdir / "current.db"
    capture_to_file(path, current, progress, cancel)
    conn = sqlite3.connect(current.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        with open(current, "rb") as fh:
            facts = facts_of(conn, str(path), fh.read(100))
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(path=str(path), reason=str(exc)) from exc
    finally:
        conn.close()
    identity = compare(snap, facts)
    diff = diff_images(current, image, snap, str(path))
    return diff, identity, image, current


def prepare_restore(repo: Repository, snap: Snapshot, target: str | os.PathLike, mode: str = "replace",
                    table_names: list[str] | None = None, force_other_database: bool = False,
                    progress: Progress = no_progress, cancel: CancelToken | None = None,
                    sample_rows: int = 5, attachments: bool = True) -> RestorePlan:
    """Everything a live restore needs, and its preview; changes nothing. With
    ``attachments`` the backup's attachment folders are restored in place too (not with
    ``table_names``)."""
    path = check_live_target(target)
    notes = []
    if _hot_journal(path):
        notes.append("an unfinished change left by a program that stopped abruptly was rolled back "
                     "first (SQLite's hot journal), as SQLite always does")
    clean_scratch()
    workdir = scratch_folder("restore")
    try:
        diff, identity, image, current = preview(repo, snap, path, workdir, progress, cancel)
        if not identity.same and not force_other_database:
            raise OtherDatabase(snapshot=snap.short_id, path=str(path), differences="; ".join(identity.differences))
        notes += identity.notes
        if table_names is not None or mode == "merge":
            conn = open_pair(current, image)
            try:
                _check_tables(conn, mode, table_names)
            finally:
                conn.close()
        mode_preview = preview_mode(current, image, diff, mode, table_names, workdir, sample_rows)
        if table_names:
            diff.tables = [t for t in diff.tables if t.name in set(table_names)]
        current.unlink()
        files = plan_sets(repo, snap.attachments, mode == "merge", [path, snap.source_path]) \
            if attachments and not table_names else []
        return RestorePlan(snap, path, mode, table_names, diff, identity, image, workdir, notes, mode_preview, files)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def preview_mode(current: Path, image: Path, diff: DiffResult, mode: str, table_names: list[str] | None,
                 scratch: Path, sample_rows: int) -> ModePreview:
    """What the chosen mode will do (a merge is run on a scratch copy to know exactly)."""
    if mode == "merge":
        return preview_merge(current, image, diff, scratch, sample_rows)
    return preview_replace(current, image, diff, table_names, sample_rows, "tables" if table_names else "replace")


def preview_for_mode(repo: Repository, snap: Snapshot, db: str | os.PathLike, mode: str,
                     table_names: list[str] | None, sample_rows: int, progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> tuple[DiffResult, IdentityCheck, ModePreview]:
    """The preview of ``diff`` and of the wizard, in its own scratch folder (changes nothing)."""
    clean_scratch()
    workdir = scratch_folder("diff")
    try:
        diff, identity, image, current = preview(repo, snap, db, workdir, progress, cancel)
        return diff, identity, preview_mode(current, image, diff, mode, table_names, workdir, sample_rows)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _check_tables(conn: sqlite3.Connection, mode: str, names: list[str] | None) -> None:
    cur, old = tables(conn, "main"), tables(conn, "snap")
    if names is not None:
        unknown = [n for n in names if n not in old]
        if unknown:
            raise UnknownTables(names=", ".join(unknown),
                                available=", ".join(n for n, t in sorted(old.items()) if not t.shadow))
    problems = []
    for n in (names if names is not None else sorted(old)):
        o, c = old[n], cur.get(n)
        if o.shadow:
            if names is not None:
                problems.append(f"{n} is part of a search index; restore the whole database instead")
            continue
        if o.virtual:
            if names is not None:
                problems.append(f"{n} is a search index (virtual table); restore the whole database instead")
            continue
        if c is None:
            continue          # dropped since the backup: it is created again
        problems += _column_problems(n, o, c, mode)
    if problems:
        raise UnsafeRestore(detail="; ".join(problems))


def _column_problems(name: str, old: Table, cur: Table, mode: str) -> list[str]:
    out = []
    old_cols, cur_cols = set(old.stored_columns), set(cur.stored_columns)
    gone = sorted(old_cols - cur_cols)
    if gone:
        out.append(f"{name}: the backup has column(s) {', '.join(gone)} that the database no longer has; "
                   "their values would be lost")
    for c in cur.columns:
        if c.name not in old_cols and not c.generated and c.notnull and c.default is None and not c.pk:
            out.append(f"{name}: column {c.name} was added since the backup, is required and has no default")
    if mode == "merge" and not cur.key:
        out.append(f"{name}: has no primary key, so rows cannot be matched for a merge")
    if mode == "merge" and cur.key != old.key:
        out.append(f"{name}: its primary key changed since the backup")
    return out


# -- executing -----------------------------------------------------------------------------

def lock_exclusive(path: Path, wait_s: float) -> sqlite3.Connection:
    """Take SQLite's exclusive lock and keep it (``locking_mode=EXCLUSIVE``).

    Waiting must not happen inside SQLite's busy handler: in exclusive locking mode a
    waiting connection keeps the SHARED lock of its first attempt, so the POS (which holds
    RESERVED and needs everyone's SHARED gone to commit) could never finish its sale. So
    each attempt is short, and between attempts the connection is closed, which lets go
    of everything."""
    deadline = time.monotonic() + max(wait_s, 0.0)
    while True:
        # (claimed: until it is closed, nothing of ours opens and closes a descriptor of the
        # file, which would drop this lock on POSIX; sqlitefile.connect_claimed)
        conn = connect_claimed(path, timeout=0.05, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")      # in EXCLUSIVE locking mode the lock stays held
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            msg = str(exc).lower()
            if "locked" in msg or "busy" in msg:
                if time.monotonic() >= deadline:
                    raise DatabaseInUse(path=str(path), name=path.name) from exc
                time.sleep(0.05)
                continue
            if "readonly" in msg or "read-only" in msg:
                raise TargetReadOnly(path=str(path)) from exc
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise NotADatabase(path=str(path)) from exc


def open_anyway_note(found: Holders) -> str:
    if found.unknown:
        return f"went ahead without knowing whether another program had the database open ({found.unknown})"
    return (f"went ahead although {found.describe()} had the database open: it keeps its own ids and may "
            "hand out again ids of sales it already gave; restart it")


def release_lock(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("PRAGMA locking_mode = NORMAL")
        conn.execute("SELECT 1 FROM sqlite_schema LIMIT 1").fetchall()
    except sqlite3.Error:
        pass
    conn.close()


class RestoreFailed(KasirBackupError):
    code = "restore-failed"
    template = "The restore into {path} could not be completed: {reason}."
    hint = "Nothing was changed (the change was rolled back). The safety backup {safety} holds the database as it was."


def _sqlite_to_user(exc: sqlite3.Error, path: Path, safety: Snapshot) -> KasirBackupError:
    msg = str(exc).lower()
    if "full" in msg:
        return DiskFull(path=str(path))
    if "readonly" in msg or "read-only" in msg:
        return TargetReadOnly(path=str(path))
    if "malformed" in msg or "corrupt" in msg:
        return DatabaseCorrupt(path=str(path), reason=str(exc))
    return RestoreFailed(path=str(path), reason=str(exc), safety=safety.short_id)


def _copy_image_into(image: Path, live: sqlite3.Connection, progress: Progress, phase: str) -> None:
    src = sqlite3.connect(image.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        live_ps = live.execute("PRAGMA page_size").fetchone()[0]
        img_ps = src.execute("PRAGMA page_size").fetchone()[0]
        if live_ps != img_ps and live.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            # the backup API cannot change the page size of a WAL database: leave WAL for the
            # copy (the image's own header decides the journal mode afterwards)
            live.execute("PRAGMA journal_mode = DELETE")
        def step(status: int, remaining: int, total: int) -> None:
            if remaining:
                reached("restore.copying")
            progress(phase, total - remaining, total)

        src.backup(live, pages=4096, progress=step)
    finally:
        src.close()


def take_safety_snapshot(repo: Repository, live: sqlite3.Connection, target: Path, image: Path, label: str,
                         progress: Progress, cancel: CancelToken, folders: list[str] | None = None) -> Snapshot:
    """Store the database behind ``live`` — which we hold locked — as a verified
    ``before-restore`` snapshot (copied through the locked connection itself: the live
    file is never opened, see backup()). ``image`` is kept for a put-back; raises
    SafetySnapshotFailed when the copy cannot be stored and verified."""
    try:
        dst = sqlite3.connect(image, isolation_level=None)
        try:
            live.backup(dst, pages=-1)
        finally:
            dst.close()
        snap = backup(repo, BackupRequest(str(target), kind=Kind.BEFORE_RESTORE, label=label,
                                          attachments=list(folders or [])),
                      progress, cancel, image_file=image).snapshot
    except Cancelled:
        raise
    except KasirBackupError as exc:
        raise SafetySnapshotFailed(path=str(target), detail=exc.message().rstrip(".")) from exc
    except (sqlite3.Error, OSError) as exc:
        raise SafetySnapshotFailed(path=str(target), detail=str(exc)) from exc
    if not snap.verified:
        raise SafetySnapshotFailed(path=str(target), detail=snap.verification.detail)
    return snap


def execute_restore(repo: Repository, plan: RestorePlan, wait_s: float = 0.0, progress: Progress = no_progress,
                    cancel: CancelToken | None = None, even_if_open: bool = False) -> LiveRestoreResult:
    """Restore into the live database: refused while another program has it open (an idle
    POS holds no lock, yet would go on with its own ids), waiting up to ``wait_s``;
    ``even_if_open`` goes ahead and says so in the notes."""
    cancel = cancel or CancelToken()
    t0 = time.monotonic()
    open_by = ensure_closed(plan.target, wait_s, even_if_open)
    extra = [] if open_by.clear else [open_anyway_note(open_by)]
    live = lock_exclusive(plan.target, max(0.0, wait_s - (time.monotonic() - t0)))
    try:
        # 1. the safety snapshot, taken while we hold the lock
        safety_image = plan.workdir / "before-restore.db"
        safety = take_safety_snapshot(repo, live, plan.target, safety_image,
                                      RESTORE_SAFETY_LABEL.format(id=plan.snapshot.short_id), progress, cancel,
                                      [f.folder for f in plan.files])
        reached("restore.safety")
        cancel.check()       # the last moment a cancel leaves everything as it was

        # 2. the restore itself, one transaction
        try:
            if plan.whole:
                _copy_image_into(plan.image, live, progress, "restore")
                outcomes: list[TableOutcome] = []
            else:
                outcomes = restore_rows(live, plan.image, plan.mode, plan.tables)
        except sqlite3.Error as exc:
            raise _sqlite_to_user(exc, plan.target, safety) from exc
        reached("restore.copied")

        # 3. the check; on failure put the safety copy back
        problem = _check_after(live, plan)
        if problem:
            try:
                _copy_image_into(safety_image, live, progress, "undo")
            except sqlite3.Error as exc:
                raise DatabaseCorrupt(path=str(plan.target),
                                      reason=f"{problem}; putting it back failed too ({exc}); restore "
                                             f"backup {safety.short_id}") from exc
            raise RestoreCheckFailed(detail=problem, safety=safety.short_id)
        # 4. the attachment folders, in place (their files as they were are in the safety backup)
        files = restore_sets_in_place(repo, plan.file_sets, plan.mode == "merge",
                                      [plan.target, plan.snapshot.source_path], progress) if plan.files else []
        extra += [f"{len(r.problems)} attachment files in {c.folder} could not be restored (the safety backup "
                  f"{safety.short_id} holds the folder as it was): " + "; ".join(r.problems[:3])
                  for c, r in files if r.problems]
        return LiveRestoreResult(plan.snapshot, plan.target, plan.mode, outcomes, safety,
                                 time.monotonic() - t0, plan.notes + extra, files)
    finally:
        release_lock(live)


def _check_after(live: sqlite3.Connection, plan: RestorePlan) -> str:
    problems = [r[0] for r in live.execute("PRAGMA quick_check(10)")]
    if problems != ["ok"]:
        return one_line("SQLite reports: " + "; ".join(problems))     # its report spans lines
    if plan.whole:
        counts = row_counts(live)
        wrong = [_count_line(t, plan.snapshot.tables.get(t), counts.get(t))
                 for t in sorted(set(counts) | set(plan.snapshot.tables))
                 if counts.get(t) != plan.snapshot.tables.get(t)]
        if wrong:
            return "row counts differ from the backup (" + "; ".join(wrong[:5]) + ")"
    return ""


def _count_line(table: str, expected: int | None, found: int | None) -> str:
    if found is None:
        return f"{table}: {expected} expected, the table is missing"
    if expected is None:
        return f"{table}: not in the backup, {found} found"
    return f"{table}: {expected} expected, {found} found"
