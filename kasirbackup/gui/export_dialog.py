"""Export…: the live database or a backup as Excel, CSV, JSON or SQL, with a table choice, a
destination, progress and Cancel, and a result that says where the file is. Below, the
profile's scheduled exports (``Profile.exports``, made by ``app.auto_export``).

The database as it is now is always the default source, whatever backup is selected in the
main window: that backup (which may be a "before restore" safety backup, missing every sale
made after it) is only preselected in the list, for a user who chooses "A backup" on purpose;
a note then says from when the data is."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QRadioButton, QVBoxLayout, QWidget)

from ..app.settings import Profile
from ..core.repo.manifest import Snapshot
from .auto_export_box import AutoExportBox
from .context import AppContext
from .data_jobs import BackupChoices, live_tables, load_backups, run_export
from .dialogs import handle_repo_error, show_error
from .i18n import error_text, fmt_datetime, fmt_number, fmt_size
from .models import kind_text

log = logging.getLogger("kasirbackup.gui")

#: the choices of the format box: (key, engine format, file suffix; "" for a folder)
FORMAT_CHOICES = (("xlsx", "xlsx", ".xlsx"), ("csv", "csv", ""), ("csvzip", "csv", ".zip"),
                  ("json", "json", ".json"), ("sql", "sql", ".sql"))


class ExportDialog(QDialog):
    def __init__(self, ctx: AppContext, profile: Profile, snapshot_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile = profile
        self.location = profile.repos[0] if profile.repos else None
        self.wanted_snapshot = snapshot_id
        self.snapshots: list[Snapshot] = []
        self.job = None
        self.result = None
        self._tables_job = None
        self._tables_for: str | None = None
        self._closed = False
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export data"))
        self._build()
        self._load_backups()
        self._load_tables()
        self.resize(620, 640)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Save the data of {name} in files other programs open: Excel for the accountant, "
                               "CSV or JSON for another system, SQL for the sqlite3 program.").format(
            name=Path(self.profile.db_path).name))
        intro.setWordWrap(True)
        lay.addWidget(intro)

        src = QGroupBox(self.tr("What to export"), self)
        sl = QVBoxLayout(src)
        self.live_radio = QRadioButton(self.tr("The database as it is now"), src)
        self.live_radio.setObjectName("exportLive")
        self.backup_radio = QRadioButton(self.tr("A backup:"), src)
        self.backup_radio.setObjectName("exportBackup")
        self.backup_radio.setEnabled(False)
        self.source_group = QButtonGroup(self)
        self.source_group.addButton(self.live_radio)
        self.source_group.addButton(self.backup_radio)
        self.live_radio.setChecked(True)
        self.snapshot_combo = QComboBox(src)
        self.snapshot_combo.setObjectName("exportSnapshot")
        self.snapshot_combo.setEnabled(False)
        self.snapshot_combo.addItem(self.tr("Loading the backups…"))
        sl.addWidget(self.live_radio)
        row = QHBoxLayout()
        row.addWidget(self.backup_radio)
        row.addWidget(self.snapshot_combo, 1)
        sl.addLayout(row)
        self.source_note = QLabel(src)
        self.source_note.setObjectName("exportSourceNote")
        self.source_note.setWordWrap(True)
        self.source_note.setVisible(False)
        sl.addWidget(self.source_note)
        lay.addWidget(src)

        form = QFormLayout()
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("exportFormat")
        names = {"xlsx": self.tr("Excel workbook (.xlsx): one sheet per table"),
                 "csv": self.tr("CSV files: one per table, in a new folder"),
                 "csvzip": self.tr("CSV files in one ZIP file (.zip)"),
                 "json": self.tr("JSON (.json): all tables with their description"),
                 "sql": self.tr("SQL (.sql): loads into a new database with sqlite3")}
        for key, _, _ in FORMAT_CHOICES:
            self.format_combo.addItem(names[key], key)
        form.addRow(self.tr("Format:"), self.format_combo)
        dest = QHBoxLayout()
        self.dest_edit = QLineEdit(self)
        self.dest_edit.setObjectName("exportDestination")
        self.browse_button = QPushButton(self.tr("Choose…"), self)
        self.browse_button.setObjectName("exportBrowse")
        dest.addWidget(self.dest_edit, 1)
        dest.addWidget(self.browse_button)
        form.addRow(self.tr("Save as:"), dest)
        lay.addLayout(form)

        tabs = QGroupBox(self.tr("Tables"), self)
        tl = QVBoxLayout(tabs)
        self.table_list = QListWidget(tabs)
        self.table_list.setObjectName("exportTables")
        tl.addWidget(self.table_list, 1)
        trow = QHBoxLayout()
        self.all_button = QPushButton(self.tr("Select all"), tabs)
        self.none_button = QPushButton(self.tr("Select none"), tabs)
        trow.addWidget(self.all_button)
        trow.addWidget(self.none_button)
        trow.addStretch(1)
        tl.addLayout(trow)
        lay.addWidget(tabs, 1)

        self.auto_box = AutoExportBox(self.ctx, self.profile, self)
        self.auto_checks = self.auto_box.checks
        lay.addWidget(self.auto_box)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("exportStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setVisible(False)
        lay.addWidget(self.status_label)
        lay.addWidget(self.progress)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open folder"), self)
        self.open_button.setObjectName("exportOpenFolder")
        self.open_button.setVisible(False)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setObjectName("exportStart")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.setVisible(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("exportClose")
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)

        self.source_group.buttonToggled.connect(self._source_changed)
        self.snapshot_combo.currentIndexChanged.connect(self._snapshot_changed)
        self.snapshot_combo.activated.connect(lambda _i: self.backup_radio.setChecked(True))   # picked by the user
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.browse_button.clicked.connect(self.browse)
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.open_folder)
        self.dest_edit.setText(self.suggested_path())

    # -- sources and tables ---------------------------------------------------------------------
    def _load_backups(self) -> None:
        if not self.location:
            self.snapshot_combo.setItemText(0, self.tr("No backups yet"))
            return
        location = self.location
        self.ctx.start(lambda progress, cancel: load_backups(location), "export: list backups",
                       on_finished=self._backups_loaded, on_failed=self._backups_failed)

    def _backups_loaded(self, choices: BackupChoices) -> None:
        if self._closed:
            return
        self.snapshots = choices.snapshots
        self.snapshot_combo.blockSignals(True)
        self.snapshot_combo.clear()
        for s in choices.snapshots:
            self.snapshot_combo.addItem(self.tr("{when} · {kind} · {id}").format(
                when=fmt_datetime(s.created_at), kind=kind_text(s.kind), id=s.short_id), s.id)
        if not choices.snapshots:
            self.snapshot_combo.addItem(self.tr("No backups yet"))
        self.snapshot_combo.blockSignals(False)
        have = bool(choices.snapshots)
        self.backup_radio.setEnabled(have)
        self.snapshot_combo.setEnabled(have)
        if choices.encrypted:
            self.auto_box.set_unavailable(self.tr("Scheduled exports are not made for encrypted backups: the exported "
                                           "files would not be encrypted."))
        wanted = next((i for i, s in enumerate(self.snapshots) if self.wanted_snapshot
                       and s.id.startswith(self.wanted_snapshot)), None)
        if wanted is not None:
            # offered first in the list, not chosen: the current database stays the source
            self.snapshot_combo.setCurrentIndex(wanted)
        self._show_source_note()

    def _backups_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        from ..core.repo.crypto import PassphraseNeeded, WrongPassphrase

        if isinstance(exc, (PassphraseNeeded, WrongPassphrase)):
            if handle_repo_error(self, exc):
                self._load_backups()
                return
        self.snapshot_combo.setItemText(0, self.tr("No backups yet"))
        self.snapshot_combo.setToolTip(error_text(exc))

    def selected_snapshot_id(self) -> str | None:
        if not self.backup_radio.isChecked():
            return None
        return self.snapshot_combo.currentData()

    def _source_changed(self, _button: object, checked: bool) -> None:
        if checked:
            self._load_tables()
            self.dest_edit.setText(self.suggested_path())
            self._show_source_note()

    def _snapshot_changed(self, *_: object) -> None:
        if self.backup_radio.isChecked():
            self._load_tables()
            self.dest_edit.setText(self.suggested_path())
            self._show_source_note()

    def _show_source_note(self) -> None:
        """With a backup as the source: from when its data is, and that later sales are not in it."""
        snap_id = self.selected_snapshot_id()
        snap = next((s for s in self.snapshots if s.id == snap_id), None)
        if snap is None:
            self.source_note.setVisible(False)
            return
        self.source_note.setText(self.tr("The export will hold the data as it was in this backup ({kind}, {when}): "
                                         "sales and changes made after it are not in it. To export everything up "
                                         "to now, choose “The database as it is now”.").format(
            kind=kind_text(snap.kind), when=fmt_datetime(snap.created_at)))
        self.source_note.setVisible(True)

    def _load_tables(self) -> None:
        snap_id = self.selected_snapshot_id()
        self.table_list.clear()
        self._tables_for = snap_id
        if snap_id is not None:
            snap = next(s for s in self.snapshots if s.id == snap_id)
            self._show_tables({n: c for n, c in sorted(snap.tables.items()) if not n.startswith("sqlite_")})
            return
        db = self.profile.db_path
        self.export_button.setEnabled(False)
        self.status_label.setText(self.tr("Reading the list of tables…"))
        self._tables_job = self.ctx.start(lambda progress, cancel: live_tables(db), "export: tables",
                                          on_finished=self._live_tables_loaded, on_failed=self._tables_failed)

    def _live_tables_loaded(self, tables: dict[str, int | None]) -> None:
        if self._closed or self._tables_for is not None:
            return
        self._show_tables(tables)

    def _tables_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.status_label.setText(error_text(exc))

    def _show_tables(self, tables: dict[str, int | None]) -> None:
        self.table_list.clear()
        self.status_label.setText("")
        for name, rows in tables.items():
            text = name if rows is None else self.tr("{table} ({rows} rows)").format(table=name, rows=fmt_number(rows))
            item = QListWidgetItem(text, self.table_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.export_button.setEnabled(self.job is None)

    def _check_all(self, on: bool) -> None:
        for i in range(self.table_list.count()):
            self.table_list.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_tables(self) -> list[str] | None:
        """None when every table is checked (the whole database, as the engine decides)."""
        items = [self.table_list.item(i) for i in range(self.table_list.count())]
        chosen = [it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked]
        return None if len(chosen) == len(items) else chosen

    # -- format and destination -----------------------------------------------------------------
    def format_key(self) -> str:
        return self.format_combo.currentData()

    def _choice(self) -> tuple[str, str, str]:
        return next(c for c in FORMAT_CHOICES if c[0] == self.format_key())

    def suggested_path(self) -> str:
        if self.dest_edit.text().strip():
            folder = Path(self.dest_edit.text().strip()).parent
        else:
            docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            folder = Path(docs) if docs and Path(docs).is_dir() else Path.home()
        snap_id = self.selected_snapshot_id()
        snap = next((s for s in self.snapshots if s.id == snap_id), None)
        when = snap.created_at if snap is not None else datetime.now().astimezone()
        stem = "{}-{}".format(Path(self.profile.db_path).stem, when.strftime("%Y%m%d-%H%M"))
        return str(folder / (stem + self._choice()[2]))

    def _format_changed(self, *_: object) -> None:
        text = self.dest_edit.text().strip()
        if not text:
            self.dest_edit.setText(self.suggested_path())
            return
        p = Path(text)
        stem = p.name
        for _, _, suffix in FORMAT_CHOICES:
            if suffix and stem.lower().endswith(suffix):
                stem = stem[:-len(suffix)]
        self.dest_edit.setText(str(p.with_name(stem + self._choice()[2])))

    def ask_destination(self, suggested: str) -> str | None:
        """The file dialog (a method, so that tests can replace it)."""
        if self._choice()[2] == "":
            folder = QFileDialog.getExistingDirectory(self, self.tr("Choose where to create the CSV folder"),
                                                      str(Path(suggested).parent))
            return str(Path(folder) / Path(suggested).name) if folder else None
        filters = {"xlsx": self.tr("Excel workbook (*.xlsx)"), "csvzip": self.tr("ZIP file (*.zip)"),
                   "json": self.tr("JSON file (*.json)"), "sql": self.tr("SQL file (*.sql)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the export as"), suggested,
                                              filters[self.format_key()])
        return path or None

    def browse(self) -> None:
        path = self.ask_destination(self.dest_edit.text().strip() or self.suggested_path())
        if path:
            suffix = self._choice()[2]
            if suffix and not path.lower().endswith(suffix):
                path += suffix
            self.dest_edit.setText(path)

    # -- exporting ------------------------------------------------------------------------------
    def start_export(self) -> None:
        if self.job is not None:
            return
        out = self.dest_edit.text().strip()
        if not out:
            show_error(self, self.tr("Choose where to save the export."), self.tr("Export"))
            return
        tables = self.chosen_tables()
        if tables == []:
            show_error(self, self.tr("Tick at least one table to export."), self.tr("Export"))
            return
        _, fmt, _ = self._choice()
        snap_id = self.selected_snapshot_id()
        location, db = self.location, self.profile.db_path
        labels = self.summary_labels()
        self.result = None
        self.job = self.ctx.start(
            lambda progress, cancel: run_export(location, snap_id, db, fmt, out, tables, labels, progress, cancel),
            "export", on_finished=self._finished, on_failed=self._failed, on_progress=self._progress,
            on_cancelled=self._cancelled)
        self._set_running(True)
        self.status_label.setText(self.tr("Exporting…"))

    def summary_labels(self) -> dict[str, str]:
        """The summary sheet of an Excel export, in the language of the app."""
        return {"title": self.tr("KasirBackup export"), "exported_at": self.tr("Exported at"),
                "database": self.tr("Database"), "backup": self.tr("Backup"),
                "live": self.tr("the database itself (a consistent copy taken at export time)"),
                "backup_time": self.tr("Backup time"), "table": self.tr("Table"), "sheets": self.tr("Sheet"),
                "rows": self.tr("Rows"), "total": self.tr("Total"), "not_exported": self.tr("Not exported"),
                "meta_note": self.tr("KasirBackup keeps here what it needs to import this workbook back exactly. "
                                     "Leave this sheet as it is.")}

    def _set_running(self, running: bool) -> None:
        for w in (self.export_button, self.browse_button, self.dest_edit, self.format_combo, self.live_radio,
                  self.backup_radio, self.snapshot_combo, self.table_list, self.all_button, self.none_button):
            w.setEnabled(not running)
        if not running:
            self.backup_radio.setEnabled(bool(self.snapshots))
            self.snapshot_combo.setEnabled(bool(self.snapshots))
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setVisible(not running)
        self.progress.setVisible(running)
        if running:
            self.open_button.setVisible(False)
            self.progress.setRange(0, 0)

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

    def cancel_export(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.tr("Cancelling…"))

    def _finished(self, result) -> None:
        if self._closed:
            return
        self.job = None
        self.result = result
        self._set_running(False)
        where = self.tr("Saved in the folder {path}") if result.path.is_dir() else self.tr("Saved as {path}")
        text = self.tr("Exported {tables} tables, {rows} rows ({size}).").format(
            tables=fmt_number(len(result.tables)), rows=fmt_number(result.rows), size=fmt_size(result.bytes))
        lines = [text, where.format(path=str(result.path))]
        for name in result.skipped:
            lines.append(self.tr("Not exported: {table} (a search index; the SQL export includes it)").format(
                table=name))
        self.status_label.setText("\n".join(lines))
        self.open_button.setVisible(True)

    def _failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.job = None
        self._set_running(False)
        self.status_label.setText("")
        if not handle_repo_error(self, exc):
            return
        self.start_export()          # the passphrase was given: try again

    def _cancelled(self) -> None:
        if self._closed:
            return
        self.job = None
        self._set_running(False)
        self.status_label.setText(self.tr("Export cancelled; no file was left behind."))

    def result_folder(self) -> Path | None:
        if self.result is None:
            return None
        return self.result.path if self.result.path.is_dir() else self.result.path.parent

    def open_folder(self) -> None:
        folder = self.result_folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- closing ----------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self._closed = True
        super().reject()
