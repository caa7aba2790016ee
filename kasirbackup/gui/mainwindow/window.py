"""The main window: database picker and summary, status banner, backup list with details,
and the actions Backup now / Restore… / Verify / Export… / Import… / Open backup folder."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from ...app.history import Result
from ...app.runner import RunResult
from ...app.safety import same_file
from ...app.settings import Profile, ProfileUnusable
from ...core.repo.manifest import Snapshot
from ..context import AppContext, outcome_text
from ..dbsummary import DbSummary
from ..dialogs import handle_repo_error, show_error, show_info
from ..i18n import error_text, fmt_datetime, phase_text
from ..icons import app_icon
from ..models import SNAPSHOT_ROLE
from .actions import DialogActions
from .details import TECHNICAL_LINK, details_html
from .layout import WindowLayout
from .loading import DataLoading, RepoListing
from .quitting import Quitting

log = logging.getLogger("kasirbackup.gui")

ACTIVATION_REFRESH_S = 2.0      # the summary is read again when the window comes back, at most this often

PHASES = ("copy", "verify", "compress", "upload", "prune")


class MainWindow(WindowLayout, DataLoading, DialogActions, Quitting, QMainWindow):
    """Stays alive while the app runs; closing it hides it to the tray when there is one."""

    profile_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.keep_in_tray = False        # set by the app when a system tray exists
        self.quitting = False
        self._init_quitting()            # closing to the tray, Quit's question (quitting.py)
        self._listing: RepoListing | None = None
        self._summary: DbSummary | None = None
        self._list_job = None
        self._summary_job = None
        self._task_job = None            # verify / other long task shown in the progress area
        self._activated_at = time.monotonic()
        self._technical = False          # the details pane shows the technical facts
        self._build()
        self.details.anchorClicked.connect(self._details_link)
        self._connect_bus()
        self.retranslate()
        self.reload_profiles()
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)
        self._tick.timeout.connect(self.refresh_status)
        self._tick.start()
        self.resize(1100, 720)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("KasirBackup"))
        texts = {
            self.act_backup: (self.tr("Backup now"), self.tr("Back up the chosen database now and check the backup")),
            self.act_restore: (self.tr("Restore…"), self.tr("Bring back the database from the selected backup")),
            self.act_verify: (self.tr("Verify"), self.tr("Check the selected backup by a test restore")),
            self.act_export: (self.tr("Export…"), self.tr("Save the data as CSV, JSON, Excel or SQL")),
            self.act_import: (self.tr("Import…"), self.tr("Bring data from an exported file into the database")),
            self.act_folder: (self.tr("Open backup folder"), self.tr("Show the backup folder in the file manager")),
            self.act_schedule: (self.tr("Schedule…"), self.tr("When backups run automatically")),
            self.act_settings: (self.tr("Settings…"), self.tr("Backup places, retention, encryption, language")),
            self.act_history: (self.tr("History"), self.tr("Every backup, restore, import, export and check with its "
                                                          "result, and the log file")),
            self.act_add: (self.tr("Add database…"), self.tr("Protect another database")),
            self.act_quit: (self.tr("Quit"), self.tr("Stop KasirBackup (scheduled backups stop too)")),
        }
        for a, (text, tip) in texts.items():
            a.setText(text)
            a.setToolTip(tip)
            a.setStatusTip(tip)
        self.db_box.setTitle(self.tr("Database"))
        self.add_button.setText(self.tr("Add database…"))
        self.add_button.setToolTip(self.tr("Protect another database"))
        self.tables.setHeaderLabels([self.tr("Table"), self.tr("Rows")])
        self.list_title.setText(self.tr("Backups"))
        self.filter.setPlaceholderText(self.tr("Filter backups…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.model.retranslate()
        self._show_summary()
        self._selection_changed()
        self.refresh_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            # back from another window (a restore from the command line, the POS itself):
            # the summary shows the database as it is now
            now = time.monotonic()
            if now - self._activated_at > ACTIVATION_REFRESH_S and self.current_profile() is not None:
                self._activated_at = now
                self.refresh_summary()
        super().changeEvent(event)

    def _database_changed(self, db_path: str) -> None:
        """A restore, undo or import changed a database: if it is the one shown, show it anew."""
        p = self.current_profile()
        if p is not None and same_file(p.db_path, db_path):
            self.refresh_summary()
            self.refresh_backups()
            self.refresh_status()

    def _connect_bus(self) -> None:
        bus = self.ctx.bus
        bus.backup_started.connect(self._backup_started)
        bus.backup_progress.connect(self._backup_progress)
        bus.backup_finished.connect(self._backup_finished)
        bus.backup_failed.connect(self._backup_failed)
        bus.backup_cancelled.connect(self._backup_cancelled)
        bus.settings_changed.connect(self.reload_profiles)
        bus.history_changed.connect(self.refresh_status)
        bus.startup_changed.connect(self.refresh_status)
        bus.repository_changed.connect(self._repository_changed)
        bus.database_changed.connect(self._database_changed)

    # -- profiles -----------------------------------------------------------------------------
    def current_profile(self) -> Profile | None:
        name = self.profile_combo.currentData()
        return self.ctx.profile(name) if name else None

    def reload_profiles(self) -> None:
        current = self.profile_combo.currentData()
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for p in self.ctx.profiles():
            # the file's name only when it says more than the database's own name
            stem = Path(p.db_path).stem
            self.profile_combo.addItem(p.name if stem.lower() == p.name.lower() else f"{p.name} — {Path(p.db_path).name}",
                                       p.name)
            self.profile_combo.setItemData(self.profile_combo.count() - 1, p.db_path, Qt.ItemDataRole.ToolTipRole)
        idx = self.profile_combo.findData(current) if current else -1
        self.profile_combo.setCurrentIndex(idx if idx >= 0 else (0 if self.profile_combo.count() else -1))
        self.profile_combo.blockSignals(False)
        self._show_unusable()
        self._profile_selected()

    def _show_unusable(self) -> None:
        unusable = self.ctx.settings().unusable
        def reason(u) -> str:
            return error_text(u.error).rstrip(". ") if u.error is not None else u.reason

        self.unusable_note.setText("\n".join(error_text(ProfileUnusable(name=u.name, reason=reason(u)))
                                             for u in unusable))
        self.unusable_note.setVisible(bool(unusable))

    def select_profile(self, name: str) -> None:
        idx = self.profile_combo.findData(name)
        if idx >= 0:
            self.profile_combo.setCurrentIndex(idx)

    def _profile_selected(self, *_: object) -> None:
        p = self.current_profile()
        has = p is not None
        for a in (self.act_backup, self.act_restore, self.act_verify, self.act_export, self.act_import,
                  self.act_folder, self.act_schedule):
            a.setEnabled(has)
        self._listing = None
        self._summary = None
        self.model.set_snapshots([])
        self.chart.set_snapshots([])
        self._show_summary()
        self.refresh_status()
        if p is not None:
            self.refresh_backups()
            self.refresh_summary()
            self.profile_changed.emit(p.name)
        self._update_running_state()

    # -- status ---------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        """The banner shows the whole app's worst problem (any database, any backup place)."""
        p = self.current_profile()
        self.banner.show_app(self.ctx.app_status(), p.name if p is not None else None, self.ctx.now(),
                             self._listing.space_used if self._listing else None)

    # -- selection and details ------------------------------------------------------------------
    def selected_snapshot(self) -> Snapshot | None:
        idx = self.view.selectionModel().currentIndex() if self.view.selectionModel() else QModelIndex()
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if rows:
            idx = rows[0]
        return idx.data(SNAPSHOT_ROLE) if idx.isValid() else None

    def _selection_changed(self, *_: object) -> None:
        s = self.selected_snapshot()
        self.act_verify.setEnabled(s is not None and not self.is_busy())
        if s is None:
            if self._listing is not None and not self._listing.snapshots:
                self.details.setPlainText(self.tr("There are no backups yet. Press “Backup now” to make the first one."))
            elif self._listing is None:
                self.details.setPlainText("")
            return
        self.details.setHtml(self.details_html(s))

    def details_html(self, s: Snapshot) -> str:
        return details_html(s, self.model.snapshots(), self._technical)

    def _details_link(self, url) -> None:
        if url.toString() == TECHNICAL_LINK:
            self._technical = not self._technical
            self._selection_changed()

    # -- backup ---------------------------------------------------------------------------------
    def is_busy(self) -> bool:
        p = self.current_profile()
        return (p is not None and self.ctx.is_running(p.name)) or (self._task_job is not None and not self._task_job.done)

    def backup_now(self) -> None:
        p = self.current_profile()
        if p is None:
            return
        if self.ctx.backup_now(p) is None:
            self.statusBar().showMessage(self.tr("A backup of this database is already running."), 5000)

    def cancel_running(self) -> None:
        p = self.current_profile()
        if p is not None and self.ctx.is_running(p.name):
            self.ctx.cancel_backup(p.name)
        if self._task_job is not None and not self._task_job.done:
            self._task_job.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Cancelling…"))

    def _backup_started(self, name: str) -> None:
        p = self.current_profile()
        if p is not None and p.name == name:
            self._show_progress(self.tr("Backing up…"))
        self.refresh_status()

    def _backup_progress(self, name: str, phase: str, done: int, total: int) -> None:
        p = self.current_profile()
        if p is not None and p.name == name:
            self._set_progress(phase, done, total)

    def _backup_finished(self, name: str, res: RunResult) -> None:
        self._hide_progress_if_idle()
        p = self.current_profile()
        if p is not None and p.name == name:
            self.refresh_summary()
            if res.result == Result.SUCCESS:
                self.statusBar().showMessage(self.tr("Backup finished and verified."), 8000)
            elif res.result == Result.PARTIAL:
                self.statusBar().showMessage(self.tr("Backup verified; the off-site copy is still pending."), 8000)
            else:
                show_error(self, self.tr("The backup failed: {reason}").format(reason=outcome_text(res)),
                           self.tr("Backup failed"))
        self.refresh_status()

    def _backup_failed(self, name: str, exc: BaseException) -> None:
        self._hide_progress_if_idle()
        p = self.current_profile()
        if p is not None and p.name == name:
            show_error(self, exc, self.tr("Backup failed"))
        self.refresh_status()

    def _backup_cancelled(self, name: str) -> None:
        self._hide_progress_if_idle()
        self.statusBar().showMessage(self.tr("Backup cancelled. Nothing was changed."), 8000)
        self.refresh_status()

    def _show_progress(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.progress_row.setVisible(True)
        self._update_running_state()

    def _set_progress(self, phase: str, done: int, total: int) -> None:
        self.progress_label.setText(phase_text(phase))
        if total > 0:
            scale = max(1, total // 1_000_000)   # QProgressBar takes int32
            self.progress.setRange(0, total // scale)
            self.progress.setValue(min(done, total) // scale)
        else:
            self.progress.setRange(0, 0)

    def _hide_progress_if_idle(self) -> None:
        QTimer.singleShot(0, self._update_running_state)

    def _update_running_state(self) -> None:
        busy = self.is_busy()
        p = self.current_profile()
        if not busy:
            self.progress_row.setVisible(False)
        elif p is not None and self.ctx.is_running(p.name) and self.progress_row.isHidden():
            self._show_progress(self.tr("Backing up…"))
        has = p is not None
        self.act_backup.setEnabled(has and not busy)
        self.act_verify.setEnabled(has and not busy and self.selected_snapshot() is not None)

    # -- verify ---------------------------------------------------------------------------------
    def verify_selected(self) -> None:
        p, s = self.current_profile(), self.selected_snapshot()
        if p is None or s is None or self.is_busy():
            return
        location, snap_id = p.repos[0], s.id

        def work(progress, cancel):
            from ...app import oplog
            from ...app.history import OpKind
            from ...app.runner import repo_queue
            from ...app.verifying import verify_snapshots

            with repo_queue(location):
                repo = AppContext.open_repo(location)
                snap = repo.find(snap_id)
                with oplog.recording(OpKind.CHECK, self.ctx.record, repo=location) as op:   # in the history
                    report = verify_snapshots(repo, [snap], progress, cancel)
                    oplog.checked(op, location, report)
                return report

        def finished(report) -> None:
            self._task_job = None
            self._update_running_state()
            snap = report.snapshots[0] if report.snapshots else None
            extra = ""
            if report.notes:
                extra += "\n\n" + self.tr("The backup folder's index was damaged or incomplete; it was rebuilt "
                                             "from the backup files themselves.")
            if report.problems:
                extra += "\n\n" + self.tr("Other files in the backup folder are damaged ({count}): verify the "
                                             "other backups too, and check the backup disk.").format(
                    count=len(report.problems))
            if snap is not None and snap.verified:
                show_info(self, self.tr("The backup of {when} is good: it was restored in a test and checked "
                                        "({detail}).").format(when=fmt_datetime(snap.created_at),
                                                              detail=snap.verification.detail) + extra,
                          self.tr("Backup verified"))
            else:
                show_error(self, self.tr("The backup of {when} is damaged: {detail}. Use an older backup to "
                                         "restore, and check the backup disk.").format(
                    when=fmt_datetime(s.created_at), detail=snap.verification.detail if snap else "–"),
                    self.tr("Backup damaged"))
            self.refresh_backups()

        def failed(exc) -> None:
            self._task_job = None
            self._update_running_state()
            if handle_repo_error(self, exc):
                self.verify_selected()

        def cancelled() -> None:
            self._task_job = None
            self._update_running_state()

        self._task_job = self.ctx.start(work, "verify", on_finished=finished, on_failed=failed,
                                        on_progress=self._set_progress, on_cancelled=cancelled)
        self._show_progress(self.tr("Verifying…"))

    # -- closing (closing to the tray and Quit: quitting.py) -------------------------------------
    def bring_forward(self) -> None:
        self.show()
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()
