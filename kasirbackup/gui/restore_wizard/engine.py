"""The work the restore wizard runs in jobs (no widgets): list the backups, compute the
preview, check that no program holds the database, prepare and execute the live restore,
write a copy, undo; and the translated texts built from their results and errors. A restore,
a copy and an undo are recorded in the history (``job_sink``: the context that started the
job), also when the wizard was closed before they ended."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ...app import oplog
from ...app.history import OpKind
from ...core.errors import Cancelled, DatabaseBusy, KasirBackupError
from ...core.progress import CancelToken, Progress
from ...core.repo.manifest import Snapshot
from ...core.restore.diff import DiffResult
from ...core.restore.identity import IdentityCheck
from ..context import AppContext, job_sink
from ..i18n import error_text, fmt_number

PROBE_WAIT_S = 2.0      # the "is the POS still using it?" check on the close-the-POS page
EXECUTE_WAIT_S = 5.0    # execute_restore waits this long for a lock taken after the check

REPLACE, COPY, TABLES, MERGE = "replace", "copy", "tables", "merge"


translate = QCoreApplication.translate     # translate("RestoreWizard", "literal"): lupdate reads it


# -- the work done in jobs (no widgets) -----------------------------------------------------------

@dataclass(slots=True)
class Preview:
    snapshot: Snapshot
    diff: DiffResult
    identity: IdentityCheck
    rows: object = None              # ModePreview of a whole replace, with the first rows of each change
    files: list = field(default_factory=list)   # FolderChanges per attachment folder (restored in place)

PREVIEW_ROWS = 20                    # rows listed per table and kind of change


def load_snapshots(location: str) -> list[Snapshot]:
    return AppContext.open_repo(location).snapshots()


def compute_preview(location: str, snap_id: str, db_path: str, progress: Progress, cancel: CancelToken) -> Preview:
    from ...core.restore.live import preview_for_mode

    repo = AppContext.open_repo(location)
    snap = repo.find(snap_id)
    diff, identity, rows = preview_for_mode(repo, snap, db_path, REPLACE, None, PREVIEW_ROWS, progress, cancel)
    from ...core.attachments.inplace import plan_sets

    return Preview(snap, diff, identity, rows, plan_sets(repo, snap.attachments, False, [db_path, snap.source_path]))


def files_lines(files: list) -> list[str]:
    """What restoring the attachment folders in place does, one sentence per folder."""
    return [translate("RestoreWizard", "Photos and files in {folder}: {back} to bring back, {changed} to change, "
                                       "{gone} to remove (those are kept in the safety backup)").format(
        folder=f.folder, back=fmt_number(len(f.come_back)), changed=fmt_number(len(f.change)),
        gone=fmt_number(len(f.go))) if not f.nothing else
        translate("RestoreWizard", "Photos and files in {folder}: the same as in the backup").format(folder=f.folder)
        for f in files]


@dataclass(slots=True)
class CopyResult:
    """A restore to a new file, and where the attachment folders went (beside it)."""
    path: Path
    bytes: int
    sha256: str
    files_folder: Path | None = None
    files: int = 0
    problems: list = field(default_factory=list)


def compute_merge_preview(location: str, snap_id: str, db_path: str, progress: Progress, cancel: CancelToken):
    """What a merge will do: the merge itself on a scratch copy (a ModePreview)."""
    from ...core.restore.live import preview_for_mode

    repo = AppContext.open_repo(location)
    return preview_for_mode(repo, repo.find(snap_id), db_path, MERGE, None, PREVIEW_ROWS, progress, cancel)[2]


def mode_lines(mp) -> list[str]:
    """The engine's ModePreview in the user's language: one sentence per table."""
    words = {
        "removed": translate("RestoreWizard", "{n} rows added since the backup will be removed"),
        "back": translate("RestoreWizard", "{n} rows deleted since will come back"),
        "set_back": translate("RestoreWizard", "{n} rows changed since will be set back"),
        "kept": translate("RestoreWizard", "{n} rows changed since stay as they are now"),
        "conflicts": translate("RestoreWizard", "{n} rows are not brought back: their number was given again to "
                                                "a newer row"),
        "held_back": translate("RestoreWizard", "{n} rows are held back: they belong to a row that is another one "
                                                "now"),
    }
    out = []
    for t in mp.tables:
        parts = [words[c].format(n=fmt_number(n)) for c, n in t.counts.items() if n]
        if parts:
            out.append("{}: {}".format(t.name, "; ".join(parts)))
    return out or [translate("RestoreWizard", "Nothing would change: the database has the same rows as the backup.")]


def detail_line(d: dict) -> str:
    """One conflict or held-back row of a merge, in the user's language."""
    kind = d.get("kind")
    if kind == "conflict":
        return translate("RestoreWizard", "{table} {key} is {now} now and was {then} in the backup: its number was "
                                          "given again; kept as it is now").format(**d)
    if kind == "conflict_parent":
        return translate("RestoreWizard", "{table} {key} belongs to {parent} {now} now and belonged to {then} in the "
                                          "backup: its number was given again; kept as it is now").format(**d)
    if kind == "taken":
        return translate("RestoreWizard", "{count} rows of {table} in the backup have a code that a newer row has "
                                          "now; not brought back").format(**d)
    return translate("RestoreWizard", "{table} {key} is held back: the row it belonged to is another one now").format(
        **d)


def category_title(cat: str, n: int) -> str:
    return {
        "removed": translate("RestoreWizard", "removed ({n})"),
        "back": translate("RestoreWizard", "come back ({n})"),
        "set_back": translate("RestoreWizard", "set back ({n})"),
        "kept": translate("RestoreWizard", "kept as now ({n})"),
        "conflicts": translate("RestoreWizard", "number given again ({n})"),
        "held_back": translate("RestoreWizard", "held back ({n})"),
    }[cat].format(n=fmt_number(n))


def check_free(db_path: str, wait_s: float = PROBE_WAIT_S, even_if_open: bool = False) -> None:
    """Raises DatabaseOpenElsewhere (naming the program) when another program has the
    database open — an idle POS holds no lock — or DatabaseOpenUnknown when that cannot be
    seen; then DatabaseInUse when one holds a lock (the engine's own exclusive-lock attempt,
    let go at once: nothing is changed). ``even_if_open``: the owner chose to go ahead."""
    from ...core.holders import ensure_closed
    from ...core.restore.live import lock_exclusive, release_lock

    ensure_closed(db_path, 0.0, even_if_open)
    release_lock(lock_exclusive(Path(db_path), wait_s))


def prepare_live(location: str, snap_id: str, db_path: str, mode: str, tables: list[str] | None, force: bool,
                 progress: Progress, cancel: CancelToken, even_if_open: bool = False):
    from ...core.restore.live import prepare_restore

    check_free(db_path, even_if_open=even_if_open)
    repo = AppContext.open_repo(location)
    plan = prepare_restore(repo, repo.find(snap_id), db_path, MERGE if mode == MERGE else REPLACE,
                           tables if mode == TABLES else None, force, progress, cancel)
    if cancel.cancelled:           # the wizard was closed meanwhile: leave no scratch files behind
        plan.close()
        raise Cancelled()
    return plan


@contextmanager
def repo_turn(location: str, progress: Progress, cancel: CancelToken):
    """Wait (cancellably) until no other job of this program works on the repository."""
    from ...app.runner import repo_queue

    lock = repo_queue(location)
    if not lock.acquire(blocking=False):
        progress("wait", 0, 0)
        while not lock.acquire(timeout=0.1):
            cancel.check()
    try:
        yield
    finally:
        lock.release()


def execute_live(location: str, plan, progress: Progress, cancel: CancelToken, even_if_open: bool = False):
    with oplog.recording(OpKind.RESTORE, job_sink(), database=str(plan.target), repo=location) as op:
        result = _execute(location, plan, progress, cancel, even_if_open)
        oplog.restored_live(op, location, result)
    return result


def _execute(location: str, plan, progress: Progress, cancel: CancelToken, even_if_open: bool = False):
    from ...core.restore.live import SafetySnapshotFailed, execute_restore

    with repo_turn(location, progress, cancel):
        cancel.check()
        repo = AppContext.open_repo(location)
        try:
            return execute_restore(repo, plan, EXECUTE_WAIT_S, progress, cancel, even_if_open)
        except SafetySnapshotFailed as exc:
            # a cancel during the safety backup: nothing was restored, the database is unchanged
            if cancel.cancelled and isinstance(exc.__cause__, Cancelled):
                raise Cancelled() from exc
            raise


def restore_copy(location: str, snap_id: str, target: str, progress: Progress, cancel: CancelToken,
                 files_folder: str | None = None):
    """The database to a new file and, when the backup has attachment folders, their files
    into ``files_folder`` (a new folder beside it)."""
    from ...core.attachments.restore import restore_attachments
    from ...core.restore.to_file import restore_to_new_file

    repo = AppContext.open_repo(location)
    snap = repo.find(snap_id)
    with_files = files_folder is not None and any(a.captured for a in snap.attachments)
    if with_files:
        from ...core.errors import AttachmentsTargetExists
        if Path(files_folder).exists():
            raise AttachmentsTargetExists(path=files_folder)
    with oplog.recording(OpKind.RESTORE_FILE, job_sink(), repo=location, target=str(target)) as op:
        result = restore_to_new_file(repo, snap, target, progress, cancel)
        oplog.restored_to_file(op, location, result)
    out = CopyResult(result.path, result.bytes, result.sha256)
    if with_files:
        done = restore_attachments(repo, snap, files_folder, None, progress, cancel)
        out.files_folder = Path(files_folder)
        out.files = sum(d.report.files for d in done)
        out.problems = [p for d in done for p in d.report.problems]
    return out


def files_folder_for(target: str) -> str:
    """Where a copy's attachment folders go: a new folder beside the new database file."""
    t = Path(target)
    return str(t.parent / translate("RestoreWizard", "{name} files").format(name=t.stem))


def undo_restore(location: str, safety_id: str, db_path: str, progress: Progress, cancel: CancelToken,
                 even_if_open: bool = False):
    """Restore the ``before-restore`` snapshot into the database: the same engine path."""
    from ...core.restore.live import prepare_restore

    check_free(db_path, even_if_open=even_if_open)
    repo = AppContext.open_repo(location)
    # the safety copy is this database as it was a moment ago: no identity question to ask
    safety = repo.find(safety_id)
    with prepare_restore(repo, safety, db_path, REPLACE, None, True, progress, cancel) as plan:
        with oplog.recording(OpKind.UNDO, job_sink(), database=db_path, repo=location) as op:
            result = _execute(location, plan, progress, cancel, even_if_open)
            oplog.undone(op, location, safety, result)
        return result


def in_use(exc: BaseException) -> bool:
    from ...core.holders import DatabaseOpenElsewhere, DatabaseOpenUnknown
    from ...core.restore.live import DatabaseInUse

    return isinstance(exc, (DatabaseInUse, DatabaseBusy, DatabaseOpenElsewhere, DatabaseOpenUnknown))


def open_elsewhere(exc: BaseException) -> bool:
    """Another program has the database open without a lock (or we cannot tell): the owner
    may choose to go ahead anyway; a held lock leaves no such choice."""
    from ...core.holders import DatabaseOpenElsewhere, DatabaseOpenUnknown

    return isinstance(exc, (DatabaseOpenElsewhere, DatabaseOpenUnknown))


def in_use_text(exc: BaseException, db_path: str, undo: bool = False) -> str:
    """The engine's sentence, translated, with what to do here (its own hint speaks of a
    command-line option)."""
    first = in_use_problem(exc, db_path)
    name = Path(db_path).name
    if undo:
        return translate("RestoreWizard", "{problem} Close the POS application (and any other program that uses "
                                          "{name}), then press “Undo this restore” again.").format(problem=first,
                                                                                                  name=name)
    return translate("RestoreWizard", "{problem} Close the POS application (and any other program that uses "
                                      "{name}), then press Retry.").format(problem=first, name=name)


def in_use_problem(exc: BaseException, db_path: str) -> str:
    """What keeps the database from being changed, in one translated sentence."""
    from ...core.holders import DatabaseOpenElsewhere, DatabaseOpenUnknown
    from ...core.restore.live import DatabaseInUse

    p = exc.params if isinstance(exc, KasirBackupError) else {}
    path = p.get("path", db_path)
    if isinstance(exc, DatabaseOpenElsewhere):
        programs = p.get("programs", "?").replace("a program of another user",
                                                  translate("RestoreWizard", "a program of another user"))
        return translate("RestoreWizard", "{programs} has the database {path} open.").format(programs=programs,
                                                                                             path=path)
    if isinstance(exc, DatabaseOpenUnknown):
        return translate("RestoreWizard", "KasirBackup cannot tell whether another program has the database {path} "
                                          "open (it may not look at the programs of other users).").format(path=path)
    if isinstance(exc, DatabaseInUse):
        return translate("RestoreWizard", "The database {path} is in use by another program.").format(path=path)
    if isinstance(exc, DatabaseBusy):
        return translate("RestoreWizard", "The database {path} stayed locked by another program for {seconds} "
                                          "seconds.").format(path=path, seconds=p.get("seconds", "?"))
    return error_text(exc)


def phase_label(phase: str) -> str:
    if phase == "wait":
        return translate("RestoreWizard", "Waiting for another backup of this database to finish…")
    from ..i18n import phase_text

    return phase_text(phase)


def summary_lines(diff: DiffResult, when: str) -> list[str]:
    """What a full restore does, one translated sentence per table that differs (the engine's
    DiffResult.summary_lines, in the user's language)."""
    out = []
    for t in diff.tables:
        if t.in_current is None:
            out.append(translate("RestoreWizard", "{table}: not in the database now; the restore brings it back "
                                                  "with {n} rows").format(table=t.name, n=fmt_number(t.in_snapshot)))
            continue
        if t.in_snapshot is None:
            out.append(translate("RestoreWizard", "{table}: created after the backup; a full restore removes it "
                                                  "and its {n} rows").format(table=t.name,
                                                                             n=fmt_number(t.in_current)))
            continue
        parts = []
        if t.only_current:
            parts.append(translate("RestoreWizard", "{n} rows newer than the backup ({when}) will be "
                                                    "removed").format(n=fmt_number(t.only_current), when=when))
        if t.only_snapshot:
            parts.append(translate("RestoreWizard", "{n} rows deleted since will come back").format(
                n=fmt_number(t.only_snapshot)))
        if t.changed:
            parts.append(translate("RestoreWizard", "{n} rows changed since will be set back").format(
                n=fmt_number(t.changed)))
        if not parts and t.in_snapshot != t.in_current:
            parts.append(translate("RestoreWizard", "{a} rows in the backup, {b} now").format(
                a=fmt_number(t.in_snapshot), b=fmt_number(t.in_current)))
        if parts:
            out.append("{}: {}".format(t.name, "; ".join(parts)))
    return out or [translate("RestoreWizard", "The database has the same rows as the backup.")]
