"""The history dialog: every backup run (scheduled, manual, catch-up, retry, skipped) and every
other operation (restore, undo, import, export, check, removal of old backups) with its result,
filtered by database, kind and result, the details of the selected entry, and the log file."""

from __future__ import annotations


from PySide6.QtCore import QEvent, QItemSelectionModel, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget)

from ..app.history import Entry, Operation, OpKind, Result
from ..app.logs import log_path
from .context import AppContext
from .dialogs import show_info
from .engine_text import error_message_text, run_message_text
from .history_texts import BACKUP, entry_kind, kind_text, operation_text, origin_text
from .i18n import fmt_datetime, fmt_seconds, fmt_size
from .richtext import details_table
from .models import HistoryModel, result_text, trigger_text

RUN_LIMIT = 500

# the result filter: a name and the results it shows (None: all)
RESULT_FILTERS: tuple[tuple[str, tuple[Result, ...] | None], ...] = (
    ("all", None),
    ("success", (Result.SUCCESS,)),
    ("failed", (Result.FAILED, Result.INTERRUPTED)),
    ("partial", (Result.PARTIAL,)),
    ("skipped", (Result.SKIPPED,)),
    ("running", (Result.RUNNING,)),
)

# the kind filter: a name and the kinds of entry it shows (None: all)
KIND_FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("all", None),
    (BACKUP, (BACKUP,)),
    ("restore", (OpKind.RESTORE.value, OpKind.RESTORE_FILE.value, OpKind.UNDO.value)),
    (OpKind.IMPORT.value, (OpKind.IMPORT.value,)),
    (OpKind.EXPORT.value, (OpKind.EXPORT.value,)),
    (OpKind.CHECK.value, (OpKind.CHECK.value,)),
    (OpKind.PRUNE.value, (OpKind.PRUNE.value,)),
)


class RunFilter(QSortFilterProxyModel):
    """Rows of one database and/or some kinds and/or some results."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.profile: str | None = None
        self.results: tuple[Result, ...] | None = None
        self.kinds: tuple[str, ...] | None = None

    def set_filter(self, profile: str | None, results: tuple[Result, ...] | None,
                   kinds: tuple[str, ...] | None = None) -> None:
        if hasattr(self, "beginFilterChange"):        # Qt 6.10+
            self.beginFilterChange()
            self.profile, self.results, self.kinds = profile, results, kinds
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.profile, self.results, self.kinds = profile, results, kinds
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        run = self.sourceModel().run(source_row)
        if run is None:
            return False
        if self.profile is not None and run.profile != self.profile:
            return False
        if self.kinds is not None and entry_kind(run) not in self.kinds:
            return False
        return self.results is None or run.result in self.results


class HistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("historyDialog")
        self._runs: list[Entry] = []
        self._build()
        self.retranslate()
        self.refresh()
        ctx.bus.history_changed.connect(self.refresh)
        self.resize(920, 600)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.db_label = QLabel(self)
        self.db_filter = QComboBox(self)
        self.db_filter.setObjectName("historyDatabaseFilter")
        self.db_label.setBuddy(self.db_filter)
        self.kind_label = QLabel(self)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("historyKindFilter")
        self.kind_label.setBuddy(self.kind_filter)
        for name, _ in KIND_FILTERS:
            self.kind_filter.addItem("", name)
        self.result_label = QLabel(self)
        self.result_filter = QComboBox(self)
        self.result_filter.setObjectName("historyResultFilter")
        self.result_label.setBuddy(self.result_filter)
        for name, _ in RESULT_FILTERS:
            self.result_filter.addItem("", name)
        self.count = QLabel(self)
        self.count.setObjectName("historyCount")
        row.addWidget(self.db_label)
        row.addWidget(self.db_filter, 1)
        row.addSpacing(12)
        row.addWidget(self.kind_label)
        row.addWidget(self.kind_filter, 1)
        row.addSpacing(12)
        row.addWidget(self.result_label)
        row.addWidget(self.result_filter, 1)
        row.addStretch(1)
        row.addWidget(self.count)
        lay.addLayout(row)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        self.model = HistoryModel(self)
        self.proxy = RunFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(split)
        self.view.setObjectName("historyTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        self.details = QTextBrowser(split)
        self.details.setObjectName("historyDetails")
        self.details.setOpenLinks(False)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 220])
        lay.addWidget(split, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.log_button = QPushButton(self)
        self.log_button.setObjectName("openLogButton")
        self.log_button.clicked.connect(self.open_log)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refreshHistoryButton")
        self.refresh_button.clicked.connect(self.refresh)
        for b in (self.log_button, self.refresh_button):
            b.setAutoDefault(False)
        self.buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self.db_filter.currentIndexChanged.connect(self._apply_filter)
        self.result_filter.currentIndexChanged.connect(self._apply_filter)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        self.setTabOrder(self.db_filter, self.kind_filter)
        self.setTabOrder(self.kind_filter, self.result_filter)
        self.setTabOrder(self.result_filter, self.view)
        self.setTabOrder(self.view, self.details)
        self.setTabOrder(self.details, self.log_button)
        self.setTabOrder(self.log_button, self.refresh_button)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("History"))
        self.db_label.setText(self.tr("&Database:"))
        self.kind_label.setText(self.tr("&What:"))
        kinds = {"all": self.tr("Everything"), "restore": self.tr("Restores and undos"),
                 OpKind.PRUNE.value: self.tr("Removal of old backups")}
        for i in range(self.kind_filter.count()):
            name = self.kind_filter.itemData(i)
            self.kind_filter.setItemText(i, kinds.get(name) or kind_text(name))
        self.result_label.setText(self.tr("&Result:"))
        texts = {"all": self.tr("All results"), "success": result_text(Result.SUCCESS),
                 "failed": self.tr("Failed or interrupted"), "partial": result_text(Result.PARTIAL),
                 "skipped": result_text(Result.SKIPPED), "running": result_text(Result.RUNNING)}
        for i in range(self.result_filter.count()):
            self.result_filter.setItemText(i, texts[self.result_filter.itemData(i)])
        if self.db_filter.count():
            self.db_filter.setItemText(0, self.tr("All databases"))
        self.log_button.setText(self.tr("Open &log file"))
        self.log_button.setToolTip(self.tr("The technical details of every run, for whoever helps you"))
        self.refresh_button.setText(self.tr("Re&fresh"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1))
        self._update_count()
        self._show_details()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the history again (a small local SQLite query), keeping the filter and selection."""
        selected = self.selected_run()
        self._runs = self.ctx.history.entries(limit=RUN_LIMIT)
        names = sorted({r.profile for r in self._runs if r.profile} | {p.name for p in self.ctx.profiles()},
                       key=str.lower)
        current = self.db_filter.currentData()
        self.db_filter.blockSignals(True)
        self.db_filter.clear()
        self.db_filter.addItem(self.tr("All databases"), None)
        for name in names:
            self.db_filter.addItem(name, name)
        idx = self.db_filter.findData(current) if current is not None else 0
        self.db_filter.setCurrentIndex(max(0, idx))
        self.db_filter.blockSignals(False)
        self.model.set_runs(self._runs)
        self._apply_filter()
        if selected is not None:
            self.select_run(selected.id, entry_kind(selected))

    def _apply_filter(self, *_: object) -> None:
        results = dict(RESULT_FILTERS).get(self.result_filter.currentData())
        kinds = dict(KIND_FILTERS).get(self.kind_filter.currentData())
        self.proxy.set_filter(self.db_filter.currentData(), results, kinds)
        self._update_count()
        if not self.view.selectionModel().hasSelection() and self.proxy.rowCount():
            self._select_proxy_row(0)
        self._show_details()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), len(self._runs)
        self.count.setText(self.tr("{shown} of {total} entries").format(shown=shown, total=total)
                           if shown != total else self.tr("{total} entries").format(total=total))

    def visible_runs(self) -> list[Entry]:
        return [self.model.run(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def selected_run(self) -> Entry | None:
        sm = self.view.selectionModel()
        rows = sm.selectedRows() if sm else []
        if not rows:
            return None
        return self.model.run(self.proxy.mapToSource(rows[0]).row())

    def select_run(self, run_id: int, kind: str = BACKUP) -> bool:
        """Select the backup run (or, with ``kind``, the operation) with this id."""
        for r in range(self.proxy.rowCount()):
            run = self.model.run(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            if run is not None and run.id == run_id and entry_kind(run) == kind:
                self._select_proxy_row(r)
                return True
        return False

    def _select_proxy_row(self, row: int) -> None:
        idx = self.proxy.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(idx)

    # -- details --------------------------------------------------------------------------------
    def _show_details(self) -> None:
        run = self.selected_run()
        if run is None:
            self.details.setPlainText(self.tr("Nothing recorded yet.") if not self._runs
                                      else self.tr("Select an entry to see its details."))
            return
        self.details.setHtml(self.details_html(run))

    def details_html(self, run: Entry) -> str:
        if isinstance(run, Operation):
            return details_table(self.operation_rows(run))
        duration = run.duration_s
        rows = [
            (self.tr("Database"), run.profile),
            (self.tr("Started"), fmt_datetime(run.started_at)),
            (self.tr("Ended"), fmt_datetime(run.ended_at) if run.ended_at else "–"),
            (self.tr("Duration"), fmt_seconds(duration) if duration is not None else "–"),
            (self.tr("Started by"), trigger_text(run.trigger.value)),
            (self.tr("Result"), result_text(run.result)),
            (self.tr("Added to the backup folder"), fmt_size(run.bytes_added) if run.bytes_added else "–"),
            (self.tr("Backup"), run.snapshot_id or "–"),
            (self.tr("Message"), run_message_text(run.message) or "–"),
        ]
        return details_table(rows)

    def operation_rows(self, op: Operation) -> list[tuple[str, str]]:
        duration = op.duration_s
        rows = [
            (self.tr("What"), kind_text(op.kind.value)),
            (self.tr("What happened"), operation_text(op)),
            (self.tr("Database"), op.database or op.profile or "–"),
            (self.tr("Started"), fmt_datetime(op.started_at)),
            (self.tr("Duration"), fmt_seconds(duration) if duration is not None else "–"),
            (self.tr("Started by"), origin_text(op)),
            (self.tr("Result"), result_text(op.result)),
        ]
        if op.snapshot_id:
            rows.append((self.tr("Backup"), "{} ({})".format(op.snapshot_id, fmt_datetime(op.snapshot_time))))
        if op.repo:
            rows.append((self.tr("Backup folder"), op.repo))
        if op.source:
            rows.append((self.tr("File read"), op.source))
        if op.target:
            rows.append((self.tr("File written"), op.target))
        if op.safety_id:
            rows.append((self.tr("Safety backup"), op.safety_id))
        if op.message:
            rows.append((self.tr("Message"), error_message_text(op.message)))
        return rows

    # -- the log file ---------------------------------------------------------------------------
    def open_log(self) -> None:
        path = log_path()
        if path is None or not path.exists():
            show_info(self, self.tr("There is no log file yet. KasirBackup writes one when the app runs; "
                                    "it holds the technical details of every problem."), self.tr("Log file"))
            return
        if not self._open_url(QUrl.fromLocalFile(str(path))):
            show_info(self, self.tr("The log file could not be opened here. It is at: {path}").format(
                path=str(path)), self.tr("Log file"))

    def _open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def done(self, result: int) -> None:
        try:
            self.ctx.bus.history_changed.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
