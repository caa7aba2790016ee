"""Reading off the GUI thread what the main window shows: the chosen database's summary
(``summarize_db``) and the backup list of its first backup place (``list_repo``), each through
``ctx.start``; the results come back as slots on the GUI thread."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtWidgets import QTreeWidgetItem

from ...core.repo.manifest import Snapshot
from ...core.storage.local import LocalStorage
from ..context import AppContext
from ..dbsummary import DbSummary, summarize_db
from ..dialogs import handle_repo_error
from ..i18n import error_text, fmt_datetime, fmt_number, fmt_size


@dataclass(slots=True)
class RepoListing:
    location: str
    snapshots: list[Snapshot]
    space_used: int | None
    problems: list[str]


def list_repo(location: str) -> RepoListing:
    from ...core.errors import RepoNotFound

    try:
        repo = AppContext.open_repo(location)
    except RepoNotFound:
        # the first backup creates it (an unplugged USB disk is reported when a backup runs)
        return RepoListing(location, [], None, [])
    snaps = repo.snapshots()
    used = None
    if isinstance(repo.storage, LocalStorage):
        used = 0
        for dirpath, _, files in os.walk(repo.storage.root):
            for f in files:
                try:
                    used += os.lstat(os.path.join(dirpath, f)).st_size
                except OSError:
                    pass
    return RepoListing(location, snaps, used, list(repo.problems))


class DataLoading:
    """MainWindow's data loading (a mixin: the methods stay on the window object)."""

    # -- data loading ---------------------------------------------------------------------------
    def refresh_summary(self) -> None:
        p = self.current_profile()
        if p is None:
            return
        path = p.db_path
        self._summary_job = self.ctx.start(lambda prog, cancel: summarize_db(path), "summary",
                                           on_finished=self._summary_loaded, on_failed=self._summary_failed)

    def _summary_loaded(self, summary: DbSummary) -> None:
        p = self.current_profile()
        if p is None or summary.path != str(Path(p.db_path)) and Path(summary.path) != Path(p.db_path).resolve():
            return
        self._summary = summary
        self._show_summary()

    def _summary_failed(self, exc: BaseException) -> None:
        self._summary = None
        self.db_info.setText(error_text(exc))
        self.tables.clear()

    def _show_summary(self) -> None:
        p = self.current_profile()
        self.tables.clear()
        if p is None:
            self.db_info.setText(QCoreApplication.translate(
                "MainWindow", "No database yet. Press “Add database…” to choose the database of "
                              "your POS or bookkeeping program."))
            return
        if self._summary is None:
            self.db_info.setText(QCoreApplication.translate("MainWindow", "{path}\nReading the database…").format(
                path=p.db_path))
            return
        s = self._summary
        from datetime import datetime
        self.db_info.setText(QCoreApplication.translate("MainWindow", "{path}\nSize: {size} · changed {when}").format(
            path=s.path, size=fmt_size(s.size), when=fmt_datetime(datetime.fromtimestamp(s.modified).astimezone())))
        for name, rows in sorted(s.tables.items()):
            item = QTreeWidgetItem([name, fmt_number(rows) if rows is not None else "?"])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tables.addTopLevelItem(item)

    def refresh_backups(self) -> None:
        p = self.current_profile()
        if p is None or not p.repos:
            return
        location = p.repos[0]

        def failed(exc: BaseException) -> None:
            if handle_repo_error(self, exc):
                self.refresh_backups()
            else:
                self.details.setPlainText(error_text(exc))
        self._list_job = self.ctx.start(lambda prog, cancel: list_repo(location), "list",
                                        on_finished=self._backups_loaded, on_failed=failed)

    def _backups_loaded(self, listing: RepoListing) -> None:
        p = self.current_profile()
        if p is None or not p.repos or listing.location != p.repos[0]:
            return
        self._listing = listing
        self.model.set_snapshots(listing.snapshots)
        self.chart.set_snapshots(listing.snapshots)
        if listing.snapshots:
            first = self.proxy.index(0, 0)
            self.view.selectionModel().select(first, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                              | QItemSelectionModel.SelectionFlag.Rows)
            self.view.setCurrentIndex(first)
        self._selection_changed()
        self.refresh_status()

    def _repository_changed(self, location: str) -> None:
        p = self.current_profile()
        if p is not None and p.repos and p.repos[0] == location:
            self.refresh_backups()
