"""Page 1 of the restore wizard: choose the backup (the newest at the top)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from ...core.repo.manifest import Snapshot
from ..i18n import error_text, fmt_datetime, fmt_number, fmt_size
from ..jobs import Job
from ..models import SNAPSHOT_ROLE, SnapshotModel, snapshot_view
from .engine import load_snapshots
from .timeline import Timeline
from .widgets import ERROR_STYLE, _label, _Page, ask_again


# -- 1. choose the backup -------------------------------------------------------------------------

class SnapshotPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotPage")
        lay = QVBoxLayout(self)
        self.status = _label(self, "snapshotStatus")
        lay.addWidget(self.status)
        self.timeline = Timeline(self)
        self.timeline.chosen.connect(self._on_timeline)
        lay.addWidget(self.timeline)
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
        self.setSubTitle(self.tr("Pick the moment to go back to, or a backup from the list. The newest is at "
                                 "the top."))
        self.timeline.retranslate()
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
        self.timeline.set_snapshots(snapshots, self.wiz().db_path)
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

    def _on_timeline(self, snap: Snapshot | None) -> None:
        """The timeline points at a moment: select the backup it means in the list."""
        if snap is None:
            return
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(SNAPSHOT_ROLE).id == snap.id:
                self.view.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                  | QItemSelectionModel.SelectionFlag.Rows)
                self.view.setCurrentIndex(idx)
                self.view.scrollTo(idx)
                return

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
            if s.drilled or s.tables:
                self.detail.setText(self.tr("Backup {id} of {when}: {size}, {tables} tables.").format(
                    id=s.short_id, when=fmt_datetime(s.created_at, seconds=True), size=fmt_size(s.image_bytes),
                    tables=fmt_number(len(s.tables))))
            else:
                self.detail.setText(self.tr("Backup {id} of {when}: {size}. It is checked whole by a test restore "
                                            "before it is restored.").format(
                    id=s.short_id, when=fmt_datetime(s.created_at, seconds=True), size=fmt_size(s.image_bytes)))
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
