"""The restore wizard: choose a backup → see what would change → choose how (replace, a copy
in a new file, selected tables, merge) → close the POS application → safety backup and
restore with progress and Cancel → the result, with the exact location and Undo.

All engine work runs in jobs (``ctx.start``); the pages only show what the jobs report. The
live restore is the engine's own two steps: ``prepare_restore`` (changes nothing; done on the
"close the POS" page, after a short check that no program holds the database) and
``execute_restore`` (exclusive lock, safety backup, one transaction, check). Undo is the same
path with the ``before-restore`` snapshot the restore took."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFileDialog, QFrame, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
                               QProgressBar,
                               QPushButton, QRadioButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget, QWizard, QWizardPage)

from ..app.settings import Profile
from ..core.restore.diff import DiffResult
from ..core.errors import Cancelled, DatabaseBusy, KasirBackupError
from ..core.restore.identity import IdentityCheck
from ..core.repo.manifest import Snapshot
from ..core.progress import CancelToken, Progress
from .context import AppContext
from .dialogs import handle_repo_error
from .i18n import error_text, fmt_datetime, fmt_number, fmt_size, to_qdatetime
from .jobs import Job
from .models import SNAPSHOT_ROLE, SnapshotModel, snapshot_view

PROBE_WAIT_S = 2.0      # the "is the POS still using it?" check on the close-the-POS page
EXECUTE_WAIT_S = 5.0    # execute_restore waits this long for a lock taken after the check

REPLACE, COPY, TABLES, MERGE = "replace", "copy", "tables", "merge"
PAGE_SNAPSHOT, PAGE_PREVIEW, PAGE_HOW, PAGE_CLOSE, PAGE_PROGRESS, PAGE_RESULT = range(6)


translate = QCoreApplication.translate     # translate("RestoreWizard", "literal"): lupdate reads it


# -- the work done in jobs (no widgets) -----------------------------------------------------------

@dataclass(slots=True)
class Preview:
    snapshot: Snapshot
    diff: DiffResult
    identity: IdentityCheck


def load_snapshots(location: str) -> list[Snapshot]:
    return AppContext.open_repo(location).snapshots()


def compute_preview(location: str, snap_id: str, db_path: str, progress: Progress, cancel: CancelToken) -> Preview:
    from ..core.restore.live import preview
    from ..core.scratch import clean_scratch, scratch_folder

    repo = AppContext.open_repo(location)
    snap = repo.find(snap_id)
    clean_scratch()
    workdir = scratch_folder("diff")
    try:
        diff, identity, _, _ = preview(repo, snap, db_path, workdir, progress, cancel)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Preview(snap, diff, identity)


def check_free(db_path: str, wait_s: float = PROBE_WAIT_S) -> None:
    """Raises DatabaseInUse when another program holds a lock on the database (the engine's
    own exclusive-lock attempt, let go at once: nothing is changed)."""
    from ..core.restore.live import lock_exclusive, release_lock

    release_lock(lock_exclusive(Path(db_path), wait_s))


def prepare_live(location: str, snap_id: str, db_path: str, mode: str, tables: list[str] | None, force: bool,
                 progress: Progress, cancel: CancelToken):
    from ..core.restore.live import prepare_restore

    check_free(db_path)
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
    from ..app.runner import repo_queue

    lock = repo_queue(location)
    if not lock.acquire(blocking=False):
        progress("wait", 0, 0)
        while not lock.acquire(timeout=0.1):
            cancel.check()
    try:
        yield
    finally:
        lock.release()


def execute_live(location: str, plan, progress: Progress, cancel: CancelToken):
    from ..core.restore.live import SafetySnapshotFailed, execute_restore

    with repo_turn(location, progress, cancel):
        cancel.check()
        repo = AppContext.open_repo(location)
        try:
            return execute_restore(repo, plan, EXECUTE_WAIT_S, progress, cancel)
        except SafetySnapshotFailed as exc:
            # a cancel during the safety backup: nothing was restored, the database is unchanged
            if cancel.cancelled and isinstance(exc.__cause__, Cancelled):
                raise Cancelled() from exc
            raise


def restore_copy(location: str, snap_id: str, target: str, progress: Progress, cancel: CancelToken):
    from ..core.restore.to_file import restore_to_new_file

    repo = AppContext.open_repo(location)
    return restore_to_new_file(repo, repo.find(snap_id), target, progress, cancel)


def undo_restore(location: str, safety_id: str, db_path: str, progress: Progress, cancel: CancelToken):
    """Restore the ``before-restore`` snapshot into the database: the same engine path."""
    from ..core.restore.live import prepare_restore

    check_free(db_path)
    repo = AppContext.open_repo(location)
    # the safety copy is this database as it was a moment ago: no identity question to ask
    with prepare_restore(repo, repo.find(safety_id), db_path, REPLACE, None, True, progress, cancel) as plan:
        return execute_live(location, plan, progress, cancel)


def ask_again(parent: QWidget, exc: BaseException) -> bool:
    """An encrypted repository without its passphrase: ask, and True when the job should run
    again. Any other error is shown by the page itself (in its own words, on the page)."""
    from ..core.repo.crypto import PassphraseNeeded, WrongPassphrase

    return isinstance(exc, (PassphraseNeeded, WrongPassphrase)) and handle_repo_error(parent, exc)


def in_use(exc: BaseException) -> bool:
    from ..core.restore.live import DatabaseInUse

    return isinstance(exc, (DatabaseInUse, DatabaseBusy))


def in_use_text(exc: BaseException, db_path: str, undo: bool = False) -> str:
    """The engine's sentence, translated, with what to do here (its own hint speaks of a
    command-line option)."""
    from ..core.restore.live import DatabaseInUse

    p = exc.params if isinstance(exc, KasirBackupError) else {}
    name = Path(db_path).name
    if isinstance(exc, DatabaseInUse):
        first = translate("RestoreWizard", "The database {path} is in use by another program.").format(
            path=p.get("path", db_path))
    elif isinstance(exc, DatabaseBusy):
        first = translate("RestoreWizard", "The database {path} stayed locked by another program for {seconds} "
                                           "seconds.").format(path=p.get("path", db_path),
                                                              seconds=p.get("seconds", "?"))
    else:
        first = error_text(exc)
    if undo:
        return translate("RestoreWizard", "{problem} Close the POS application (and any other program that uses "
                                          "{name}), then press “Undo this restore” again.").format(problem=first,
                                                                                                  name=name)
    return translate("RestoreWizard", "{problem} Close the POS application (and any other program that uses "
                                      "{name}), then press Retry.").format(problem=first, name=name)


def phase_label(phase: str) -> str:
    if phase == "wait":
        return translate("RestoreWizard", "Waiting for another backup of this database to finish…")
    from .i18n import phase_text

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


class _Text(QLabel):
    """A label that takes no room while it has nothing to say."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


def _label(parent: QWidget, name: str, wrap: bool = True, selectable: bool = False) -> QLabel:
    lab = _Text(parent)
    lab.setVisible(False)
    lab.setObjectName(name)
    lab.setWordWrap(wrap)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def _bold(lab: QLabel) -> QLabel:
    f = QFont(lab.font())
    f.setBold(True)
    lab.setFont(f)
    return lab


ERROR_STYLE = "color: #b3261e;"
WARNING_FRAME = ("QFrame#identityWarning { background: #fdecea; border: 1px solid #b3261e; border-radius: 4px; }"
                 " QFrame#identityWarning QLabel { color: #5f1410; }")


class _Busy(QWidget):
    """A phase label and a progress bar (indeterminate until the job reports totals)."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = _label(self, name + "Label")
        self.bar = QProgressBar(self)
        self.bar.setObjectName(name + "Bar")
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        self.setVisible(False)

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.setVisible(True)

    def step(self, phase: str, done: int, total: int) -> None:
        self.label.setText(phase_label(phase))
        if total > 0:
            scale = max(1, total // 1_000_000)     # QProgressBar takes int32
            self.bar.setRange(0, total // scale)
            self.bar.setValue(min(done, total) // scale)
        else:
            self.bar.setRange(0, 0)


class _Page(QWizardPage):
    def wiz(self) -> "RestoreWizard":
        return self.wizard()   # type: ignore[return-value]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:   # pragma: no cover - overridden
        pass


# -- 1. choose the backup -------------------------------------------------------------------------

class SnapshotPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotPage")
        lay = QVBoxLayout(self)
        self.status = _label(self, "snapshotStatus")
        lay.addWidget(self.status)
        self.model, self.proxy, self.view = snapshot_view(self, "snapshotList")
        self.view.setColumnHidden(SnapshotModel.ADDED, True)
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(SnapshotModel.LABEL, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        lay.addWidget(self.view, 1)
        self.detail = _label(self, "snapshotDetail", selectable=True)
        lay.addWidget(self.detail)
        self.loaded = False
        self.job: Job | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Choose a backup"))
        self.setSubTitle(self.tr("Pick the backup to bring back. The newest is at the top."))
        self.model.retranslate()
        self._show_status()
        self._selection_changed()

    def initializePage(self) -> None:
        if not self.loaded and (self.job is None or self.job.done):
            self.load()

    def load(self) -> None:
        self.status.setText(self.tr("Reading the backups…"))
        self.status.setStyleSheet("")
        location = self.wiz().location
        self.job = self.wiz().run(lambda progress, cancel: load_snapshots(location), "restore-list",
                                  self._loaded, self._failed)

    def _loaded(self, snapshots: list[Snapshot]) -> None:
        self.loaded = True
        self.model.set_snapshots(snapshots)
        self.proxy.sort(SnapshotModel.TIME, Qt.SortOrder.DescendingOrder)
        self._show_status()
        wanted = self.wiz().preselect
        row = 0
        for r in range(self.proxy.rowCount()):
            s = self.proxy.index(r, 0).data(SNAPSHOT_ROLE)
            if wanted and s.id == wanted:
                row = r
                break
        if self.proxy.rowCount():
            idx = self.proxy.index(row, 0)
            self.view.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                              | QItemSelectionModel.SelectionFlag.Rows)
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        if ask_again(self, exc):
            self.load()
            return
        self.status.setText(error_text(exc))
        self.status.setStyleSheet(ERROR_STYLE)

    def _show_status(self) -> None:
        if not self.loaded:
            return
        if self.model.rowCount() == 0:
            self.status.setText(self.tr("There are no backups of this database yet, so there is nothing to "
                                        "restore. Make one with “Backup now” first."))
        else:
            self.status.setText(self.tr("Backups in {location}:").format(location=self.wiz().location))
        self.status.setStyleSheet("")

    def selected(self) -> Snapshot | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(SNAPSHOT_ROLE) if rows else None

    def _selection_changed(self, *_: object) -> None:
        s = self.selected()
        if s is None:
            self.detail.setText("")
        elif s.verification.ok is False:
            self.detail.setText(self.tr("This backup failed its check ({detail}) and cannot be restored. "
                                        "Choose another one.").format(detail=s.verification.detail or "–"))
            self.detail.setStyleSheet(ERROR_STYLE)
        else:
            self.detail.setStyleSheet("")
            self.detail.setText(self.tr("Backup {id} of {when}: {size}, {tables} tables.").format(
                id=s.short_id, when=fmt_datetime(s.created_at), size=fmt_size(s.image_bytes),
                tables=fmt_number(len(s.tables))))
        self.completeChanged.emit()

    def _double_clicked(self, *_: object) -> None:
        if self.isComplete():
            self.wiz().next()

    def isComplete(self) -> bool:
        s = self.selected()
        return s is not None and s.verification.ok is not False

    def validatePage(self) -> bool:
        self.wiz().snapshot = self.selected()
        return self.wiz().snapshot is not None


# -- 2. what would change -------------------------------------------------------------------------

class PreviewPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPage")
        lay = QVBoxLayout(self)
        self.warning = QFrame(self)
        self.warning.setObjectName("identityWarning")
        self.warning.setStyleSheet(WARNING_FRAME)
        wl = QVBoxLayout(self.warning)
        self.warning_title = _bold(_label(self.warning, "identityTitle"))
        self.warning_text = _label(self.warning, "identityText", selectable=True)
        self.force = QCheckBox(self.warning)
        self.force.setObjectName("forceOtherDatabase")
        self.force.toggled.connect(self._force_toggled)
        wl.addWidget(self.warning_title)
        wl.addWidget(self.warning_text)
        wl.addWidget(self.force)
        self.warning.setVisible(False)
        lay.addWidget(self.warning)
        self.busy = _Busy(self, "preview")
        lay.addWidget(self.busy)
        self.error = _label(self, "previewError", selectable=True)
        self.error.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.error)
        self.table = QTreeWidget(self)
        self.table.setObjectName("previewTable")
        self.table.setColumnCount(3)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.header().setStretchLastSection(False)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            self.table.header().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 3)
        self.summary_title = _bold(_label(self, "previewSummaryTitle"))
        lay.addWidget(self.summary_title)
        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("previewSummary")
        self.summary.setReadOnly(True)
        self.summary.setFrameShape(QFrame.Shape.NoFrame)
        self.summary.viewport().setAutoFillBackground(False)
        lay.addWidget(self.summary, 1)
        self.notes = _label(self, "previewNotes", selectable=True)
        self.notes.setStyleSheet("color: palette(mid);")
        lay.addWidget(self.notes)
        self.result: Preview | None = None
        self.job: Job | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("What would change"))
        self.table.setHeaderLabels([self.tr("Table"), self.tr("Rows in the backup"), self.tr("Rows now")])
        self.summary_title.setText(self.tr("If the whole database is restored:"))
        self.warning_title.setText(self.tr("This backup looks like it is from another database"))
        self.force.setText(self.tr("I am sure: restore this backup into this database anyway"))
        self._show()

    def initializePage(self) -> None:
        snap = self.wiz().snapshot
        if self.result is not None and self.result.snapshot.id == snap.id:
            self._show()
            return
        self.result = None
        self.force.setChecked(False)
        self.start()

    def start(self) -> None:
        w = self.wiz()
        loc, snap_id, db = w.location, w.snapshot.id, w.db_path
        self.error.setText("")
        self._show()
        self.busy.start(self.tr("Comparing the backup with the database…"))
        self.job = w.run(lambda progress, cancel: compute_preview(loc, snap_id, db, progress, cancel),
                         "restore-preview", self._done, self._failed, self.busy.step, self._cancelled)

    def cleanupPage(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
        super().cleanupPage()

    def _done(self, result: Preview) -> None:
        self.busy.setVisible(False)
        if self.wiz().snapshot is None or result.snapshot.id != self.wiz().snapshot.id:
            return
        self.result = result
        self.wiz().preview = result
        self._show()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy.setVisible(False)
        if ask_again(self, exc):
            self.start()
            return
        self.error.setText(error_text(exc))

    def _cancelled(self) -> None:
        self.busy.setVisible(False)

    def _force_toggled(self, _: bool) -> None:
        self.wiz().force = self.force.isChecked()

    def _show(self) -> None:
        w = self.wiz()
        snap = w.snapshot if w is not None else None
        if snap is not None:
            self.setSubTitle(self.tr("The backup of {when} compared with {path} as it is now.").format(
                when=fmt_datetime(snap.created_at), path=w.db_path))
        r = self.result
        self.table.clear()
        self.table.setVisible(r is not None)
        self.summary_title.setVisible(r is not None)
        self.summary.setVisible(r is not None)
        self.warning.setVisible(r is not None and not r.identity.same)
        if r is None:
            self.notes.setText("")
            return
        for t in r.diff.tables:
            item = QTreeWidgetItem([t.name, "–" if t.in_snapshot is None else fmt_number(t.in_snapshot),
                                    "–" if t.in_current is None else fmt_number(t.in_current)])
            for c in (1, 2):
                item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if t.differs:
                f = item.font(0)
                f.setBold(True)
                for c in range(3):
                    item.setFont(c, f)
            self.table.addTopLevelItem(item)
        when = fmt_datetime(r.snapshot.created_at)
        self.summary.setPlainText("\n".join("• " + line for line in summary_lines(r.diff, when)))
        if not r.identity.same:
            self.warning_text.setText(self.tr(
                "Restoring it would put another database's contents in place of yours. Check that you "
                "picked the right backup and the right database. What differs:") + "\n"
                + "\n".join("• " + d for d in r.identity.differences))
        self.notes.setText("\n".join(self.tr("Note: {text}").format(text=n) for n in r.identity.notes))

    def isComplete(self) -> bool:
        return self.result is not None


# -- 3. how to restore ----------------------------------------------------------------------------

class HowPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("howPage")
        self.live_ok = True
        lay = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.explain: dict[str, QLabel] = {}

        def option(mode: str, name: str) -> QVBoxLayout:
            rb = QRadioButton(self)
            rb.setObjectName(name)
            self.group.addButton(rb)
            rb.toggled.connect(self._changed)
            self.radios[mode] = rb
            lay.addWidget(_bold_radio(rb))
            sub = QVBoxLayout()
            sub.setContentsMargins(24, 0, 0, 6)
            ex = _label(self, name + "Text")
            self.explain[mode] = ex
            sub.addWidget(ex)
            lay.addLayout(sub)
            return sub

        option(REPLACE, "modeReplace")
        sub = option(COPY, "modeCopy")
        row = QHBoxLayout()
        self.copy_path = QLineEdit(self)
        self.copy_path.setObjectName("copyPath")
        self.copy_path.textChanged.connect(self._changed)
        self.browse = QPushButton(self)
        self.browse.setObjectName("browseButton")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.copy_path, 1)
        row.addWidget(self.browse)
        sub.addLayout(row)
        sub = option(TABLES, "modeTables")
        self.table_list = QTreeWidget(self)
        self.table_list.setObjectName("tableList")
        self.table_list.setColumnCount(3)
        self.table_list.setRootIsDecorated(False)
        self.table_list.header().setStretchLastSection(False)
        self.table_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            self.table_list.header().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table_list.itemChanged.connect(self._changed)
        self.table_list.setMaximumHeight(150)
        sub.addWidget(self.table_list)
        option(MERGE, "modeMerge")
        self.problem = _label(self, "howProblem", selectable=True)
        self.problem.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.problem)
        lay.addStretch(1)
        self.radios[REPLACE].setChecked(True)
        self._dialog: QFileDialog | None = None
        self._tables_for: str | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("How to restore"))
        self.setSubTitle(self.tr("Choose what to do with the backup. Except for the copy, a safety backup of the "
                                 "database is taken first, so the restore can be undone."))
        self.radios[REPLACE].setText(self.tr("Replace the current database"))
        self.radios[COPY].setText(self.tr("Restore as a copy in a new file"))
        self.radios[TABLES].setText(self.tr("Restore only the selected tables"))
        self.radios[MERGE].setText(self.tr("Bring back deleted rows (merge)"))
        self.explain[COPY].setText(self.tr("The database is not touched. The backup is written to a new file, "
                                           "for example to look something up."))
        self.explain[TABLES].setText(self.tr("The chosen tables are put back as they were in the backup; the other "
                                             "tables stay as they are now."))
        self.explain[MERGE].setText(self.tr("Rows deleted since the backup come back. Rows added or changed since "
                                            "are kept as they are now."))
        self.browse.setText(self.tr("Browse…"))
        self.table_list.setHeaderLabels([self.tr("Table"), self.tr("Rows in the backup"), self.tr("Rows now")])
        self.copy_path.setPlaceholderText(self.tr("Where to save the copy (a new file)"))
        self._explain_replace()
        self._changed()

    def _explain_replace(self) -> None:
        w = self.wiz()
        p = w.preview if w is not None else None
        if p is None:
            self.explain[REPLACE].setText("")
            return
        text = self.tr("The whole database becomes exactly as it was on {when}.").format(
            when=fmt_datetime(p.snapshot.created_at))
        if p.diff.rows_lost:
            text += " " + self.tr("{n} rows added since then are removed.").format(n=fmt_number(p.diff.rows_lost))
        changed = sum(t.changed or 0 for t in p.diff.tables)
        if changed:
            text += " " + self.tr("{n} rows changed since then are set back.").format(n=fmt_number(changed))
        self.explain[REPLACE].setText(text)

    def initializePage(self) -> None:
        w = self.wiz()
        p = w.preview
        self._explain_replace()
        if self._tables_for != p.snapshot.id:
            self._tables_for = p.snapshot.id
            self.table_list.blockSignals(True)
            self.table_list.clear()
            for t in p.diff.tables:
                if t.in_snapshot is None:
                    continue
                item = QTreeWidgetItem([t.name, fmt_number(t.in_snapshot),
                                        "–" if t.in_current is None else fmt_number(t.in_current)])
                item.setData(0, Qt.ItemDataRole.UserRole, t.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                for c in (1, 2):
                    item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table_list.addTopLevelItem(item)
            self.table_list.blockSignals(False)
        if not self.copy_path.text():
            db = Path(w.db_path)
            stamp = to_qdatetime(p.snapshot.created_at).toString("yyyyMMdd-HHmm")
            self.copy_path.setText(str(db.with_name(f"{db.stem}-{stamp}{db.suffix or '.db'}")))
        self.live_ok = p.identity.same or w.force
        for m in (REPLACE, TABLES, MERGE):
            self.radios[m].setEnabled(self.live_ok)
        if not self.live_ok:
            self.radios[COPY].setChecked(True)
        self._changed()

    def mode(self) -> str:
        return next((m for m, rb in self.radios.items() if rb.isChecked()), REPLACE)

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.table_list.topLevelItem(i) for i in range(self.table_list.topLevelItemCount())]

    def table_names(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self._items()]

    def check_table(self, name: str, checked: bool = True) -> None:
        for it in self._items():
            if it.data(0, Qt.ItemDataRole.UserRole) == name:
                it.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_tables(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self._items()
                if it.checkState(0) == Qt.CheckState.Checked]

    def _changed(self, *_: object) -> None:
        m = self.mode()
        self.copy_path.setEnabled(m == COPY)
        self.browse.setEnabled(m == COPY)
        self.table_list.setEnabled(m == TABLES)
        self.setCommitPage(m == COPY)      # after a copy there is nothing to go back to
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Save the copy"))
        self.problem.setText("" if self.live_ok else self.tr(
            "This backup looks like it is from another database, so it can only be restored as a copy (or go "
            "back and confirm that you are sure)."))
        self.completeChanged.emit()

    def _browse(self) -> None:
        folder = str(Path(self.copy_path.text() or self.wiz().db_path).parent)
        dlg = QFileDialog(self, self.tr("Save the copy as"), folder,
                          self.tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"))
        dlg.setObjectName("copyFileDialog")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.copy_path.text():
            dlg.selectFile(self.copy_path.text())
        dlg.fileSelected.connect(self.copy_path.setText)
        self._dialog = dlg
        dlg.open()

    def isComplete(self) -> bool:
        m = self.mode()
        if m == COPY:
            return bool(self.copy_path.text().strip())
        if m == TABLES:
            return bool(self.checked_tables())
        return True

    def validatePage(self) -> bool:
        w = self.wiz()
        w.mode = self.mode()
        w.tables = self.checked_tables() if w.mode == TABLES else None
        if w.mode == COPY:
            from ..core.restore.to_file import check_new_target

            try:
                w.copy_target = str(check_new_target(self.copy_path.text().strip()))
            except KasirBackupError as exc:
                self.problem.setText(error_text(exc))
                return False
        return True

    def nextId(self) -> int:
        return PAGE_PROGRESS if self.mode() == COPY else PAGE_CLOSE


def _bold_radio(rb: QRadioButton) -> QRadioButton:
    f = QFont(rb.font())
    f.setBold(True)
    rb.setFont(f)
    return rb


# -- 4. close the POS application -----------------------------------------------------------------

class ClosePage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closePage")
        self.setCommitPage(True)
        lay = QVBoxLayout(self)
        self.text = _label(self, "closeText")
        lay.addWidget(self.text)
        self.what = _label(self, "closeWhat", selectable=True)
        self.what.setFrameShape(QFrame.Shape.StyledPanel)
        self.what.setMargin(8)
        lay.addWidget(self.what)
        self.busy = _Busy(self, "close")
        lay.addWidget(self.busy)
        self.message = _label(self, "inUseMessage", selectable=True)
        self.message.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.retry = QPushButton(self)
        self.retry.setObjectName("retryButton")
        self.retry.clicked.connect(self.attempt)
        self.retry.setVisible(False)
        row.addWidget(self.retry)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.plan = None
        self.job: Job | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Close the POS application"))
        self.setSubTitle(self.tr("The database must not be in use while it is restored."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Restore now"))
        self.retry.setText(self.tr("Retry"))
        w = self.wiz()
        name = Path(w.db_path).name if w is not None else ""
        self.text.setText(self.tr(
            "Close the POS application, and any other program that uses {name}, on this computer (and on other "
            "computers that share the database). Then press “Restore now”.\n\n"
            "KasirBackup first checks that no program is using the database, then takes a safety backup of it as "
            "it is now, so this restore can be undone. Nothing is changed until then.").format(name=name))
        self._describe()

    def _describe(self) -> None:
        w = self.wiz()
        if w is None or w.snapshot is None:
            return
        what = {REPLACE: self.tr("the whole database is replaced"),
                MERGE: self.tr("rows deleted since the backup are brought back"),
                TABLES: self.tr("only these tables are replaced: {tables}").format(
                    tables=", ".join(w.tables or []))}.get(w.mode, "")
        self.what.setText(self.tr("Backup: {when}\nDatabase: {path}\nWhat happens: {what}").format(
            when=fmt_datetime(w.snapshot.created_at), path=w.db_path, what=what))

    def initializePage(self) -> None:
        self._drop_plan()
        self.message.setText("")
        self.retry.setVisible(False)
        self._describe()

    def cleanupPage(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
        self._drop_plan()
        super().cleanupPage()

    def _drop_plan(self) -> None:
        if self.plan is not None:
            self.plan.close()
            self.plan = None
        self.wiz().plan = None

    def busy_now(self) -> bool:
        return self.job is not None and not self.job.done

    def attempt(self) -> None:
        if self.busy_now():
            return
        w = self.wiz()
        loc, snap_id, db, mode, tables, force = w.location, w.snapshot.id, w.db_path, w.mode, w.tables, w.force
        self.message.setText("")
        self.retry.setVisible(False)
        self.busy.start(self.tr("Checking that no program is using the database…"))
        self.job = w.run(lambda progress, cancel: prepare_live(loc, snap_id, db, mode, tables, force, progress,
                                                               cancel),
                         "restore-prepare", self._ready, self._failed, self.busy.step, self._cancelled)
        self.completeChanged.emit()

    def _ready(self, plan) -> None:
        self.busy.setVisible(False)
        self.job = None
        if self.wiz().closed:         # closed while preparing: never start a restore now
            plan.close()
            return
        self.plan = plan
        self.wiz().plan = plan
        self.completeChanged.emit()
        if self.wiz().currentPage() is self:
            self.wiz().next()

    def _failed(self, exc: BaseException) -> None:
        self.busy.setVisible(False)
        self.job = None
        if in_use(exc):
            self.message.setText(in_use_text(exc, self.wiz().db_path))
            self.retry.setVisible(True)
        elif ask_again(self, exc):
            self.attempt()
            return
        else:
            self.message.setText(error_text(exc))
            self.retry.setVisible(True)
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.busy.setVisible(False)
        self.job = None
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.busy_now()

    def validatePage(self) -> bool:
        if self.plan is not None:
            return True
        self.attempt()
        return False


# -- 5. safety backup and restore -----------------------------------------------------------------

class ProgressPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPage")
        lay = QVBoxLayout(self)
        self.steps = []
        for i in range(3):
            lab = QLabel(self)
            lab.setObjectName(f"restoreStep{i}")
            self.steps.append(lab)
            lay.addWidget(lab)
        lay.addSpacing(12)
        self.busy = _Busy(self, "restore")
        lay.addWidget(self.busy)
        self.message = _label(self, "restoreMessage", selectable=True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.retry = QPushButton(self)
        self.retry.setObjectName("retryRestoreButton")
        self.retry.clicked.connect(self.start)
        self.retry.setVisible(False)
        row.addWidget(self.retry)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.job: Job | None = None
        self.state = ""            # "", "running", "cancelled", "failed"
        self.step = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Restoring"))
        self.retry.setText(self.tr("Retry"))
        w = self.wiz()
        copy = w is not None and w.mode == COPY
        if copy:
            self.setSubTitle(self.tr("The backup is written to a new file. Cancel stops it; then no file is made."))
        else:
            self.setSubTitle(self.tr("First a safety backup of the database is taken, then the backup is restored. "
                                     "Cancel during the safety backup leaves the database unchanged."))
        texts = [self.tr("Safety backup of the database as it is now"), self.tr("Restoring the backup"),
                 self.tr("Checking the restored database")]
        for i, (lab, text) in enumerate(zip(self.steps, texts)):
            lab.setVisible(not copy)
            done = i < self.step or (self.wiz() is not None and self.wiz().result is not None)
            mark = "✓" if done else "▶" if i == self.step and self.state == "running" else "○"
            lab.setText("{}  {}".format(mark, text))
            f = QFont(lab.font())
            f.setBold(mark == "▶")
            lab.setFont(f)
            lab.setEnabled(done or mark == "▶")

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.busy.step(phase, done, total)
        step = 1 if phase == "restore" else 2 if phase == "undo" else 0
        if step != self.step:
            self.step = step
            self.retranslate()

    def initializePage(self) -> None:
        self.retranslate()
        self.start()

    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def start(self) -> None:
        w = self.wiz()
        if self.running() or w.closed:
            return
        self.message.setText("")
        self.message.setStyleSheet("")
        self.retry.setVisible(False)
        self.state = "running"
        self.step = 0
        self.retranslate()
        loc = w.location
        if w.mode == COPY:
            snap_id, target = w.snapshot.id, w.copy_target
            fn = lambda progress, cancel: restore_copy(loc, snap_id, target, progress, cancel)  # noqa: E731
            self.busy.start(self.tr("Writing the copy…"))
        else:
            plan = w.plan
            fn = lambda progress, cancel: execute_live(loc, plan, progress, cancel)  # noqa: E731
            self.busy.start(self.tr("Taking the safety backup…"))
        self.job = w.run(fn, "restore", self._done, self._failed, self._progress, self._cancelled)
        w.set_cancel_enabled(True)
        self.completeChanged.emit()

    def cancel(self) -> None:
        if self.running():
            self.job.cancel()
            self.busy.label.setText(self.tr("Cancelling…"))
            self.wiz().set_cancel_enabled(False)

    def _done(self, result) -> None:
        w = self.wiz()
        self.job = None
        self.state = ""
        self.busy.setVisible(False)
        w.result = result
        w.set_cancel_enabled(True)
        w.announce()
        self.completeChanged.emit()
        if w.currentPage() is self:
            w.next()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.state = "failed"
        self.retranslate()
        self.busy.setVisible(False)
        self.message.setStyleSheet(ERROR_STYLE)
        w = self.wiz()
        w.set_cancel_enabled(True)
        if in_use(exc):
            self.message.setText(in_use_text(exc, w.db_path))
            self.retry.setVisible(w.mode != COPY)
        elif ask_again(self, exc):
            self.start()
            return
        else:
            self.message.setText(error_text(exc))
        w.announce()          # a failed restore may still have stored its safety backup
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.job = None
        self.state = "cancelled"
        self.retranslate()
        self.busy.setVisible(False)
        self.wiz().set_cancel_enabled(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Cancelled. Nothing was changed.") if self.wiz().mode == COPY else
                             self.tr("Cancelled. The database was not changed."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wiz() is not None and self.wiz().result is not None


# -- 6. the result, and undo ----------------------------------------------------------------------

class ResultPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPage")
        lay = QVBoxLayout(self)
        self.headline = _bold(_label(self, "resultHeadline"))
        lay.addWidget(self.headline)
        self.location = _label(self, "resultLocation", selectable=True)
        self.location.setFrameShape(QFrame.Shape.StyledPanel)
        self.location.setMargin(8)
        lay.addWidget(self.location)
        self.details = _label(self, "resultDetails", selectable=True)
        lay.addWidget(self.details)
        self.safety = _label(self, "safetySnapshot", selectable=True)
        lay.addWidget(self.safety)
        row = QHBoxLayout()
        self.undo = QPushButton(self)
        self.undo.setObjectName("undoButton")
        self.undo.clicked.connect(self.start_undo)
        row.addWidget(self.undo)
        self.folder = QPushButton(self)
        self.folder.setObjectName("openFolderButton")
        self.folder.clicked.connect(self._open_folder)
        row.addWidget(self.folder)
        row.addStretch(1)
        lay.addLayout(row)
        self.busy = _Busy(self, "undo")
        lay.addWidget(self.busy)
        self.undo_message = _label(self, "undoMessage", selectable=True)
        lay.addWidget(self.undo_message)
        lay.addStretch(1)
        self.job: Job | None = None
        self.undone = None         # the LiveRestoreResult of the undo
        self.undo_error = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Restore undone") if self.undone is not None else self.tr("Restore finished"))
        self.undo.setText(self.tr("Undo this restore"))
        self.folder.setText(self.tr("Show in folder"))
        self._show()

    def initializePage(self) -> None:
        self._show()

    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def _show(self) -> None:
        w = self.wiz()
        r = w.result if w is not None else None
        if r is None:
            return
        self.setTitle(self.tr("Restore undone") if self.undone is not None else self.tr("Restore finished"))
        when = fmt_datetime(w.snapshot.created_at)
        if w.mode == COPY:
            self.setSubTitle(self.tr("The database itself was not touched."))
            self.headline.setText(self.tr("The backup of {when} was saved as a new file:").format(when=when))
            self.location.setText(str(r.path))
            self.details.setText(self.tr("Size: {size}. SHA-256: {sha}").format(size=fmt_size(r.bytes), sha=r.sha256))
            self.safety.setText("")
            self.undo.setVisible(False)
            self.folder.setVisible(True)
            return
        self.folder.setVisible(False)
        self.setSubTitle(self.tr("The database is back as it was before the restore.") if self.undone is not None
                         else self.tr("Open the POS application again and check that the data is as you expect."))
        self.headline.setText(self.tr("The backup of {when} was restored into:").format(when=when))
        self.location.setText(str(r.target))
        lines = []
        for t in r.tables:
            if w.mode == MERGE:
                line = self.tr("{table}: {n} rows brought back, {kept} changed since kept, {same} unchanged").format(
                    table=t.name, n=fmt_number(t.inserted), kept=fmt_number(t.kept_newer),
                    same=fmt_number(t.identical))
                if t.conflicts:
                    line += self.tr(", {n} skipped ({why})").format(n=fmt_number(t.conflicts), why=t.note)
            else:
                line = self.tr("{table}: {removed} rows removed, {n} rows restored").format(
                    table=t.name, removed=fmt_number(t.removed), n=fmt_number(t.inserted))
            lines.append("• " + line)
        self.details.setText("\n".join(lines))
        self.safety.setText(self.tr("A safety backup of the database as it was just before the restore was kept: "
                                    "backup {id} (“Before restore”) in {location}. “Undo this restore” puts it "
                                    "back.").format(id=r.safety.short_id, location=w.location))
        self.undo.setVisible(True)
        self.undo.setEnabled(self.undone is None and not self.running())
        if self.undone is not None:
            self.undo_message.setStyleSheet("color: #1b7f3b; font-weight: bold;")
            self.undo_message.setText(self.tr("The restore was undone: {path} is back as it was before the restore. "
                                              "(The restored state was kept as backup {id}.)").format(
                path=str(r.target), id=self.undone.safety.short_id))
        elif self.undo_error:
            self.undo_message.setStyleSheet(ERROR_STYLE)
            self.undo_message.setText(self.undo_error)
        elif not self.running():
            self.undo_message.setText("")

    def _open_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        r = self.wiz().result
        if r is not None and getattr(r, "path", None) is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(r.path).parent)))

    def start_undo(self) -> None:
        w = self.wiz()
        if self.running() or self.undone is not None or w.result is None or w.mode == COPY or w.closed:
            return
        loc, safety_id, db = w.location, w.result.safety.id, str(w.result.target)
        self.undo_error = ""
        self.undo.setEnabled(False)
        self.undo_message.setText("")
        self.busy.start(self.tr("Putting the database back as it was…"))
        self.job = w.run(lambda progress, cancel: undo_restore(loc, safety_id, db, progress, cancel), "restore-undo",
                         self._undone, self._failed, self.busy.step, self._cancelled)
        w.set_cancel_enabled(True)
        self.completeChanged.emit()

    def _undone(self, result) -> None:
        self.job = None
        self.busy.setVisible(False)
        self.undone = result
        self.wiz().announce()
        self._show()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.busy.setVisible(False)
        if ask_again(self, exc):
            self.start_undo()
            return
        self.undo_error = in_use_text(exc, self.wiz().db_path, undo=True) if in_use(exc) else error_text(exc)
        self.wiz().announce()
        self._show()
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.job = None
        self.busy.setVisible(False)
        self.undo_error = self.tr("Undo cancelled. The database was not changed.")
        self._show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.running()


# -- the wizard -----------------------------------------------------------------------------------

class RestoreWizard(QWizard):
    def __init__(self, ctx: AppContext, profile: Profile, snapshot_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreWizard")
        self.ctx = ctx
        self.profile = profile
        self.location = profile.repos[0] if profile.repos else ""
        self.db_path = profile.db_path
        self.preselect = snapshot_id
        # what the pages decided and what the jobs found
        self.snapshot: Snapshot | None = None
        self.preview: Preview | None = None
        self.force = False
        self.mode = REPLACE
        self.tables: list[str] | None = None
        self.copy_target = ""
        self.plan = None
        self.result = None
        self._jobs: set[Job] = set()
        self.closed = False

        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.pages = [SnapshotPage(self), PreviewPage(self), HowPage(self), ClosePage(self), ProgressPage(self),
                      ResultPage(self)]
        for i, page in enumerate(self.pages):
            self.setPage(i, page)
        self.setStartId(PAGE_SNAPSHOT)
        self.setMinimumSize(780, 600)
        self.resize(820, 640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Restore {database}").format(database=Path(self.db_path).name))
        for p in self.pages:
            p.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Restore {database}").format(database=Path(self.db_path).name))
        super().changeEvent(event)

    # -- jobs ---------------------------------------------------------------------------------
    def run(self, fn, name: str, on_finished, on_failed, on_progress=None, on_cancelled=None) -> Job:
        job = self.ctx.start(fn, name, on_finished=on_finished, on_failed=on_failed, on_progress=on_progress,
                             on_cancelled=on_cancelled)
        self._jobs.add(job)
        job.ended.connect(self._job_ended)
        return job

    def _job_ended(self) -> None:
        self._jobs = {j for j in self._jobs if not j.done}

    def busy(self) -> bool:
        return any(not j.done for j in self._jobs)

    def changing(self) -> bool:
        """A job that may change the database is running (the restore or its undo)."""
        return self.page(PAGE_PROGRESS).running() or self.page(PAGE_RESULT).running()

    def set_cancel_enabled(self, enabled: bool) -> None:
        self.button(QWizard.WizardButton.CancelButton).setEnabled(enabled)

    def announce(self) -> None:
        """The repository has a new before-restore snapshot; the database changed."""
        self.ctx.bus.repository_changed.emit(self.location)
        self.ctx.bus.history_changed.emit()

    # -- closing ------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.changing():
            # never close while the database may be changing: cancel, and show what happened
            progress = self.page(PAGE_PROGRESS)
            if progress.running():
                progress.cancel()
            else:
                self.page(PAGE_RESULT).job.cancel()
                self.set_cancel_enabled(False)
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.changing():
            return
        self.closed = True
        for j in list(self._jobs):
            j.cancel()            # reading jobs: they change nothing
        if self.plan is not None:
            self.plan.close()
            self.plan = None
        close = self.page(PAGE_CLOSE)
        if close.plan is not None:
            close.plan.close()
            close.plan = None
        super().done(result)
