"""Table models: the backup list (snapshots of a repository) and the history (backup runs and
the other operations)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel, Qt)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ..app.history import Entry, Operation, Result, Run
from ..core.repo.manifest import IMPORT_SAFETY_LABEL, READBACK, RESTORE_SAFETY_LABEL, Kind, Snapshot
from . import history_texts
from .i18n import fmt_datetime, fmt_size


def kind_text(kind: Kind | str) -> str:
    k = Kind(kind) if not isinstance(kind, Kind) else kind
    translate = QCoreApplication.translate
    return {
        Kind.MANUAL: translate("kind", "Manual"),
        Kind.SCHEDULED: translate("kind", "Scheduled"),
        Kind.CATCH_UP: translate("kind", "Catch-up"),
        Kind.BEFORE_RESTORE: translate("kind", "Before restore"),
        Kind.IMPORTED: translate("kind", "Imported"),
        Kind.CONTINUOUS: translate("kind", "Continuous"),
    }.get(k, k.value)


_BEFORE_RESTORE = re.compile("^" + re.escape(RESTORE_SAFETY_LABEL).replace(re.escape("{id}"), "([0-9a-f]{8})") + "$")
_BEFORE_IMPORT = re.compile("^" + re.escape(IMPORT_SAFETY_LABEL).replace(re.escape("{file}"), "(.+)") + "$")


def label_text(s: Snapshot, snapshots: Iterable[Snapshot] = ()) -> str:
    """A snapshot's label as the owner reads it: the engine's own labels of safety backups
    ("before restoring 545fa845") say which backup was restored and when, in the window's
    language; a label someone typed is shown as typed."""
    translate = QCoreApplication.translate
    m = _BEFORE_RESTORE.match(s.label)
    if m:
        restored = next((o for o in snapshots if o.id.startswith(m.group(1))), None)
        if restored is not None:
            return translate("label", "Before restoring the backup of {when}").format(
                when=fmt_datetime(restored.created_at))
        return translate("label", "Before restoring a backup that has since been removed")
    m = _BEFORE_IMPORT.match(s.label)
    if m:
        return translate("label", "Before importing {file}").format(file=m.group(1))
    return s.label


def result_text(result: Result) -> str:
    translate = QCoreApplication.translate
    return {
        Result.RUNNING: translate("result", "Running"),
        Result.SUCCESS: translate("result", "Succeeded"),
        Result.FAILED: translate("result", "Failed"),
        Result.SKIPPED: translate("result", "Skipped"),
        Result.PARTIAL: translate("result", "Off-site copy pending"),
        Result.INTERRUPTED: translate("result", "Interrupted"),
        Result.CANCELLED: translate("result", "Cancelled"),
    }[result]


SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SNAPSHOT_ROLE = Qt.ItemDataRole.UserRole + 2


class SnapshotModel(QAbstractTableModel):
    """Snapshots, one per row. Columns: time, kind, size, added, verified, label."""

    TIME, KIND, SIZE, ADDED, VERIFIED, LABEL = range(6)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Snapshot] = []
        self._same_minute: set[str] = set()

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Kind"), self.tr("Size"), self.tr("Added"), self.tr("Verified"),
                self.tr("Label")]

    def set_snapshots(self, snapshots: list[Snapshot]) -> None:
        self.beginResetModel()
        self._rows = sorted(snapshots, key=lambda s: s.created_utc, reverse=True)
        per_minute = Counter(s.created_utc.replace(second=0, microsecond=0) for s in self._rows)
        self._same_minute = {s.id for s in self._rows if per_minute[s.created_utc.replace(second=0, microsecond=0)] > 1}
        self.endResetModel()

    def snapshots(self) -> list[Snapshot]:
        return list(self._rows)

    def snapshot(self, row: int) -> Snapshot | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == SNAPSHOT_ROLE:
            return s
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.TIME:
                return fmt_datetime(s.created_at, seconds=s.id in self._same_minute)
            if col == self.KIND:
                return kind_text(s.kind)
            if col == self.SIZE:
                return fmt_size(s.image_bytes)
            if col == self.ADDED:
                return fmt_size(s.added_bytes)
            if col == self.VERIFIED:
                return "✓" if s.verified else ("✗" if s.verification.ok is False else "?")
            if col == self.LABEL:
                return label_text(s, self._rows)
        if role == SORT_ROLE:
            return [s.created_utc.timestamp(), s.kind.value, s.image_bytes, s.added_bytes,
                    int(bool(s.verified)), s.label][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.VERIFIED:
                if s.verified and s.verification.method == READBACK:
                    return self.tr("Checked: what it added was read back; a test restore checks it whole before a restore")
                if s.verified:
                    return self.tr("Verified by a restore drill")
                return self.tr("Not verified: {detail}").format(detail=s.verification.detail or "–")
            return self.tr("Backup {id}").format(id=s.short_id)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.VERIFIED:
            return QBrush(QColor("#1b7f3b") if s.verified else QColor("#b3261e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.SIZE, self.ADDED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.VERIFIED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 5))


class SnapshotFilter(QSortFilterProxyModel):
    """Sorting on real values (not display text) and a text filter over kind, label, id
    and time."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        text = self.filterRegularExpression().pattern().strip().lower()
        if not text:
            return True
        model: SnapshotModel = self.sourceModel()
        s = model.snapshot(source_row)
        hay = " ".join([fmt_datetime(s.created_at), kind_text(s.kind), s.label, s.id, s.kind.value]).lower()
        return all(word in hay for word in text.split())


def snapshot_view(parent, name: str) -> tuple[SnapshotModel, SnapshotFilter, QTableView]:
    """A backup list: model, sorting/filtering proxy and a single-row-selection table, newest
    first (the main window and the restore wizard)."""
    model = SnapshotModel(parent)
    proxy = SnapshotFilter(parent)
    proxy.setSourceModel(model)
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(SnapshotModel.TIME, Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    return model, proxy, view


class HistoryModel(QAbstractTableModel):
    """Backup runs and the other operations (restores, imports, exports, checks …), newest
    first. Columns: started, what, database, started by, result, added, message."""

    STARTED, WHAT, PROFILE, TRIGGER, RESULT, ADDED, MESSAGE = range(7)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Entry] = []

    def set_runs(self, runs: list[Entry]) -> None:
        self.beginResetModel()
        self._rows = list(runs)
        self.endResetModel()

    def run(self, row: int) -> Entry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 7

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [self.tr("Started"), self.tr("What"), self.tr("Database"), self.tr("Started by"),
                    self.tr("Result"), self.tr("Added"), self.tr("Message")][section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.STARTED:
                return fmt_datetime(r.started_at)
            if col == self.WHAT:
                return history_texts.kind_text(history_texts.entry_kind(r))
            if col == self.PROFILE:
                return r.profile or (Path(r.database).name if isinstance(r, Operation) else "")
            if col == self.TRIGGER:
                return trigger_text(r.trigger.value) if isinstance(r, Run) else history_texts.origin_text(r)
            if col == self.RESULT:
                return result_text(r.result)
            if col == self.ADDED:
                return fmt_size(r.bytes_added) if isinstance(r, Run) and r.bytes_added else ""
            if col == self.MESSAGE:
                return history_texts.entry_text(r)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.RESULT:
            color = {Result.SUCCESS: "#1b7f3b", Result.FAILED: "#b3261e", Result.INTERRUPTED: "#b3261e",
                     Result.PARTIAL: "#a05a00"}.get(r.result)
            return QBrush(QColor(color)) if color else None
        return None


def trigger_text(trigger: str) -> str:
    translate = QCoreApplication.translate
    return {"manual": translate("trigger", "You"), "scheduled": translate("trigger", "Schedule"),
            "catch-up": translate("trigger", "Catch-up"), "retry": translate("trigger", "Retry"),
            "continuous": translate("trigger", "Continuous")}.get(trigger, trigger)
