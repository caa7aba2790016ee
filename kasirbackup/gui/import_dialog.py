"""Import…: bring the rows of an export (JSON, Excel or CSV) back into the database.

The order is always: choose the file and the mode → a preview (the import done on a copy of
the database: per table how many rows are new, changed, unchanged, removed and rejected,
with the reasons) → a confirmation → the import on a worker, after a safety backup into the
profile's first backup location. A file exported from a different database is shown as such
and needs an explicit tick before anything else. Any error leaves the database unchanged."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QDialog, QFileDialog, QFrame,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QProgressBar,
                               QPushButton, QRadioButton, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout,
                               QWidget)

from ..app.settings import Profile
from ..core.imports.importer import ImportPlan, ImportReport, OtherDatabaseImport
from .context import AppContext
from .data_jobs import run_import, run_preview
from .dialogs import handle_repo_error, show_error
from .i18n import fmt_number

log = logging.getLogger("kasirbackup.gui")

COLUMNS = ("inserted", "updated", "unchanged", "removed", "rejected")


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile = profile
        self.location = profile.repos[0] if profile.repos else None
        self.plan: ImportPlan | None = None
        self.preview: ImportReport | None = None
        self.report: ImportReport | None = None
        self.job = None
        self.confirm_box: QMessageBox | None = None
        self._closed = False
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import data"))
        self._build()
        self._update_buttons()
        self.resize(680, 600)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Bring rows from an exported file (JSON, Excel or CSV) back into {name}. First you "
                               "see what would change; nothing is changed until you confirm.").format(
            name=Path(self.profile.db_path).name))
        intro.setWordWrap(True)
        lay.addWidget(intro)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("File:")))
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("importFile")
        self.browse_button = QPushButton(self.tr("Choose…"), self)
        self.browse_button.setObjectName("importBrowse")
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        lay.addLayout(row)

        self.merge_radio = QRadioButton(self.tr("Merge: add the new rows and update the changed ones (by their key); "
                                                "rows that are not in the file stay"), self)
        self.merge_radio.setObjectName("importMerge")
        self.replace_radio = QRadioButton(self.tr("Replace: each table in the file gets exactly the file's rows; "
                                                  "its rows that are not in the file are removed"), self)
        self.replace_radio.setObjectName("importReplace")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.merge_radio)
        self.mode_group.addButton(self.replace_radio)
        self.merge_radio.setChecked(True)
        lay.addWidget(self.merge_radio)
        lay.addWidget(self.replace_radio)

        self.other_frame = QFrame(self)
        self.other_frame.setObjectName("otherDatabaseFrame")
        self.other_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.other_frame.setStyleSheet("#otherDatabaseFrame { background: #fdecea; border: 1px solid #d93025; }")
        ol = QVBoxLayout(self.other_frame)
        self.other_label = QLabel(self.other_frame)
        self.other_label.setWordWrap(True)
        self.other_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.other_confirm = QCheckBox(self.tr("I checked it: import this file into {name} anyway").format(
            name=Path(self.profile.db_path).name), self.other_frame)
        self.other_confirm.setObjectName("confirmOtherDatabase")
        ol.addWidget(self.other_label)
        ol.addWidget(self.other_confirm)
        self.other_frame.setVisible(False)
        lay.addWidget(self.other_frame)

        self.table = QTableWidget(0, 1 + len(COLUMNS), self)
        self.table.setObjectName("importPreview")
        self.table.setHorizontalHeaderLabels([self.tr("Table"), self.tr("New"), self.tr("Changed"),
                                              self.tr("Unchanged"), self.tr("Removed"), self.tr("Rejected")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 1 + len(COLUMNS)):
            self.table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 2)
        self.details = QTextBrowser(self)
        self.details.setObjectName("importDetails")
        self.details.setVisible(False)
        lay.addWidget(self.details, 1)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("importStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.status_label)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setVisible(False)
        lay.addWidget(self.progress)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.setObjectName("importPreviewButton")
        self.preview_button.setDefault(True)
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.setObjectName("importStart")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.setVisible(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("importClose")
        for b in (self.preview_button, self.import_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        lay.addLayout(buttons)

        self.browse_button.clicked.connect(self.browse)
        self.file_edit.textChanged.connect(self._input_changed)
        self.mode_group.buttonToggled.connect(self._input_changed)
        self.other_confirm.toggled.connect(self._update_buttons)
        self.preview_button.clicked.connect(self.start_preview)
        self.import_button.clicked.connect(self.ask_confirmation)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.close_button.clicked.connect(self.reject)

    # -- input ----------------------------------------------------------------------------------
    def mode(self) -> str:
        return "replace" if self.replace_radio.isChecked() else "merge"

    def ask_file(self) -> str | None:
        """The file dialog (a method, so that tests can replace it)."""
        start = self.file_edit.text().strip() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the file to import"), start, self.file_filter())
        return path or None

    def file_filter(self) -> str:
        """The files the dialog offers: only what the import reads, the files KasirBackup exports
        (no "All files": a .txt or .sql picked there is refused by the engine, with what to do)."""
        return self.tr("Files exported by KasirBackup (*.csv *.json *.xlsx *.zip)")

    def browse(self) -> None:
        path = self.ask_file()
        if path:
            self.file_edit.setText(path)

    def _input_changed(self, *_: object) -> None:
        """Another file or mode: the preview no longer holds."""
        self._drop_plan()
        self.report = None
        self.table.setRowCount(0)
        self.details.setVisible(False)
        self.other_frame.setVisible(False)
        self.other_confirm.setChecked(False)
        self.status_label.setText("")
        self._update_buttons()

    def _drop_plan(self) -> None:
        if self.plan is not None:
            self.plan.close()
        self.plan = None
        self.preview = None

    def _update_buttons(self, *_: object) -> None:
        running = self.job is not None
        other_blocked = not self.other_frame.isHidden() and not self.other_confirm.isChecked()
        self.preview_button.setEnabled(not running and bool(self.file_edit.text().strip()) and not other_blocked)
        ready = (self.preview is not None and self.plan is not None and self.preview.rejected == 0
                 and self._changes(self.preview) > 0)
        self.import_button.setEnabled(not running and ready)
        for w in (self.file_edit, self.browse_button, self.merge_radio, self.replace_radio, self.other_confirm):
            w.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setVisible(not running)
        self.progress.setVisible(running)

    @staticmethod
    def _changes(report: ImportReport) -> int:
        return report.total("inserted") + report.total("updated") + report.total("removed")

    # -- preview ----------------------------------------------------------------------------------
    def start_preview(self) -> None:
        file = self.file_edit.text().strip()
        if self.job is not None or not file:
            return
        self._drop_plan()
        self.report = None
        force = not self.other_frame.isHidden() and self.other_confirm.isChecked()
        db, mode = self.profile.db_path, self.mode()
        self.table.setRowCount(0)
        self.details.setVisible(False)
        self._start(lambda progress, cancel: run_preview(db, file, mode, force, progress, cancel), "import preview",
                    self._preview_done, self._preview_failed, self.tr("Reading the file and trying the import on "
                                                                      "a copy of the database…"))

    def _start(self, fn, name: str, finished, failed, text: str) -> None:
        self.job = self.ctx.start(fn, name, on_finished=finished, on_failed=failed, on_progress=self._progress,
                                  on_cancelled=self._cancelled)
        self.progress.setRange(0, 0)
        self.status_label.setText(text)
        self._update_buttons()

    def _preview_done(self, result: tuple[ImportPlan, ImportReport]) -> None:
        plan, report = result
        if self._closed:
            plan.close()
            return
        self.job = None
        self.plan, self.preview = plan, report
        self._show_report(report)
        if report.rejected:
            self.status_label.setText(self.tr("{count} rows of the file cannot go into the database; the reasons "
                                              "are listed above. Fix the file and preview again. Nothing was "
                                              "changed.").format(count=fmt_number(report.rejected)))
        elif self._changes(report) == 0:
            self.status_label.setText(self.tr("The database already holds every row of the file: importing would "
                                              "change nothing."))
        else:
            self.status_label.setText(self.tr("Preview: {rows} rows would change. Nothing was changed yet; press "
                                              "“Import…” to do it.").format(rows=fmt_number(self._changes(report))))
        self._update_buttons()

    def _preview_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.job = None
        if isinstance(exc, OtherDatabaseImport):
            # the engine's sentence without its command-line hint (--force-other-database)
            what = QCoreApplication.translate("errors", OtherDatabaseImport.template).format(**exc.params)
            self.other_label.setText(self.tr("{what} Check that you picked the right file and that it belongs "
                                             "in this database.").format(what=what))
            self.other_confirm.setChecked(False)
            self.other_frame.setVisible(True)
            self.status_label.setText(self.tr("Nothing was changed. Tick the box only if you are sure, then "
                                              "preview again."))
        else:
            self.status_label.setText(self.tr("Nothing was changed."))
            show_error(self, exc, self.tr("Import"))
        self._update_buttons()

    def _show_report(self, report: ImportReport) -> None:
        from html import escape

        replace = report.mode == "replace"
        self.table.setColumnHidden(4, not replace)
        self.table.setRowCount(len(report.tables))
        for r, t in enumerate(report.tables):
            self.table.setItem(r, 0, QTableWidgetItem(t.name))
            for c, key in enumerate(COLUMNS, start=1):
                item = QTableWidgetItem(fmt_number(getattr(t, key)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key == "rejected" and t.rejected:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)
        lines = []
        for t in report.tables:
            for reason in t.reasons:
                lines.append(self.tr("Rejected in {table}: {reason}").format(table=t.name, reason=reason))
            if t.rejected > len(t.reasons):
                lines.append(self.tr("Rejected in {table}: … and {count} more").format(
                    table=t.name, count=fmt_number(t.rejected - len(t.reasons))))
            for note in t.notes:
                lines.append(self.tr("Note on {table}: {note}").format(table=t.name, note=note))
        for note in dict.fromkeys(report.notes):
            lines.append(self.tr("Note: {note}").format(note=note))
        if report.dry_run:          # which rows, not only how many
            words = {"new": self.tr("{table}: rows the file adds"), "changed": self.tr("{table}: rows the file changes"),
                     "removed": self.tr("{table}: rows that will be removed")}
            for t in report.tables:
                for kind, rows in t.samples.items():
                    if rows:
                        lines.append(words[kind].format(table=t.name))
                        lines += [f"\u2003– {row}" for row in rows]
        self.details.setHtml("<br>".join(escape(line) for line in lines))
        self.details.setVisible(bool(lines))

    # -- import -----------------------------------------------------------------------------------
    def ask_confirmation(self) -> None:
        if self.plan is None or self.preview is None:
            return
        name = Path(self.profile.db_path).name
        text = self.tr("Import the file into {name} ({mode})? {rows} rows will change.").format(
            name=name, rows=fmt_number(self._changes(self.preview)),
            mode=self.tr("replace") if self.plan.mode == "replace" else self.tr("merge"))
        info = (self.tr("A safety backup of the database as it is now is taken first, so the import can be undone.")
                if self.location else self.tr("No safety backup can be taken: this database has no backup place."))
        if not self.plan.identity.same:
            info = self.tr("The file comes from a different database (you confirmed it).") + " " + info
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Import"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("importConfirm")
        box.setInformativeText(info)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Import"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result, b=box: self._confirmed(b))
        self.confirm_box = box
        box.open()

    def _confirmed(self, box: QMessageBox) -> None:
        self.confirm_box = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes) and not self._closed:
            self.start_import()

    def start_import(self) -> None:
        if self.job is not None or self.plan is None:
            return
        plan, location = self.plan, self.location
        self.plan = None                 # the import job owns it now (and removes its files)
        self._start(lambda progress, cancel: run_import(plan, location, progress, cancel), "import",
                    self._import_done, self._import_failed, self.tr("Importing…"))

    def _import_done(self, report: ImportReport) -> None:
        if self._closed:
            return
        self.job = None
        self.preview = None
        self.report = report
        self._show_report(report)
        text = [self.tr("Imported: {new} new rows, {changed} changed, {removed} removed.").format(
            new=fmt_number(report.total("inserted")), changed=fmt_number(report.total("updated")),
            removed=fmt_number(report.total("removed")))]
        if report.safety is not None:
            text.append(self.tr("The database as it was before is kept as the backup {id}: restore it to undo this "
                                "import.").format(id=report.safety.short_id))
            self.ctx.bus.repository_changed.emit(self.location)
        self.status_label.setText(" ".join(text))
        self.ctx.bus.database_changed.emit(self.profile.db_path)
        self._update_buttons()
        self.import_button.setEnabled(False)

    def _import_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.job = None
        self.preview = None        # the database may have changed meanwhile: preview again
        self.table.setRowCount(0)
        self.details.setVisible(False)
        self.status_label.setText(self.tr("Nothing was changed."))
        self._update_buttons()
        from .restore_wizard.engine import in_use, in_use_problem

        if in_use(exc):          # the POS has the database open: say which, and what to do, here
            self.status_label.setText(self.tr("{problem} Close the POS application (and any other program that "
                                              "uses {name}), then preview and import again. Nothing was changed.")
                                      .format(problem=in_use_problem(exc, self.profile.db_path),
                                              name=Path(self.profile.db_path).name))
            return
        if handle_repo_error(self, exc):
            self.status_label.setText(self.tr("Nothing was changed. Preview again, then import."))

    # -- progress and cancel ----------------------------------------------------------------------
    def _progress(self, phase: str, done: int, total: int) -> None:
        if self._closed or self.job is None:
            return
        from .i18n import phase_text

        self.status_label.setText(self.tr("Waiting for the backup that is running to finish…") if phase == "wait"
                                  else phase_text(phase))
        if total > 0:
            scale = max(1, total // 1_000_000)
            self.progress.setRange(0, total // scale)
            self.progress.setValue(min(done, total) // scale)

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.tr("Cancelling…"))

    def _cancelled(self) -> None:
        if self._closed:
            return
        self.job = None
        self._drop_plan()
        self.status_label.setText(self.tr("Cancelled; nothing was changed."))
        self._update_buttons()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self._closed = True
        self._drop_plan()
        super().reject()
