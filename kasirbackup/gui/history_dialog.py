"""The history dialog: every run (scheduled, manual, catch-up, retry, skipped) with its
result, filtered by database and result, the details of the selected run, and the log file."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QItemSelectionModel, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget)

from ..app.history import Result, Run
from ..app.logs import log_path
from .context import AppContext
from .dialogs import show_info
from .i18n import fmt_datetime, fmt_size
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


class RunFilter(QSortFilterProxyModel):
    """Rows of one database and/or some results."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.profile: str | None = None
        self.results: tuple[Result, ...] | None = None

    def set_filter(self, profile: str | None, results: tuple[Result, ...] | None) -> None:
        if hasattr(self, "beginFilterChange"):        # Qt 6.10+
            self.beginFilterChange()
            self.profile, self.results = profile, results
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.profile, self.results = profile, results
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        run = self.sourceModel().run(source_row)
        if run is None:
            return False
        if self.profile is not None and run.profile != self.profile:
            return False
        return self.results is None or run.result in self.results


class HistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("historyDialog")
        self._runs: list[Run] = []
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
        self.setTabOrder(self.db_filter, self.result_filter)
        self.setTabOrder(self.result_filter, self.view)
        self.setTabOrder(self.view, self.details)
        self.setTabOrder(self.details, self.log_button)
        self.setTabOrder(self.log_button, self.refresh_button)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("History"))
        self.db_label.setText(self.tr("&Database:"))
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
        """Read the runs again (a small local SQLite query), keeping the filter and selection."""
        selected = self.selected_run()
        self._runs = self.ctx.history.runs(limit=RUN_LIMIT)
        names = sorted({r.profile for r in self._runs} | {p.name for p in self.ctx.profiles()}, key=str.lower)
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
            self.select_run(selected.id)

    def _apply_filter(self, *_: object) -> None:
        results = dict(RESULT_FILTERS).get(self.result_filter.currentData())
        self.proxy.set_filter(self.db_filter.currentData(), results)
        self._update_count()
        if not self.view.selectionModel().hasSelection() and self.proxy.rowCount():
            self._select_proxy_row(0)
        self._show_details()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), len(self._runs)
        self.count.setText(self.tr("{shown} of {total} runs").format(shown=shown, total=total)
                           if shown != total else self.tr("{total} runs").format(total=total))

    def visible_runs(self) -> list[Run]:
        return [self.model.run(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def selected_run(self) -> Run | None:
        sm = self.view.selectionModel()
        rows = sm.selectedRows() if sm else []
        if not rows:
            return None
        return self.model.run(self.proxy.mapToSource(rows[0]).row())

    def select_run(self, run_id: int) -> bool:
        for r in range(self.proxy.rowCount()):
            run = self.model.run(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            if run is not None and run.id == run_id:
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
            self.details.setPlainText(self.tr("No runs recorded yet.") if not self._runs
                                      else self.tr("Select a run to see its details."))
            return
        self.details.setHtml(self.details_html(run))

    def details_html(self, run: Run) -> str:
        duration = run.duration_s
        rows = [
            (self.tr("Database"), run.profile),
            (self.tr("Started"), fmt_datetime(run.started_at)),
            (self.tr("Ended"), fmt_datetime(run.ended_at) if run.ended_at else "–"),
            (self.tr("Duration"), self.tr("{seconds} s").format(seconds=f"{duration:.1f}")
             if duration is not None else "–"),
            (self.tr("Started by"), trigger_text(run.trigger.value)),
            (self.tr("Result"), result_text(run.result)),
            (self.tr("Added to the backup folder"), fmt_size(run.bytes_added) if run.bytes_added else "–"),
            (self.tr("Backup"), run.snapshot_id or "–"),
            (self.tr("Message"), run.message or "–"),
        ]
        html = ["<table cellspacing='2'>"]
        for k, v in rows:
            html.append(f"<tr><td valign='top'><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(str(v))}</td></tr>")
        html.append("</table>")
        return "".join(html)

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
