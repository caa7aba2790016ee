"""The main window's actions that open a dialog or wizard (Restore…, Export…, Import…,
Schedule…, Settings…, History, Add database…), Open backup folder, a database file
passed on the command line, and the banner's "Start KasirBackup when I log in"."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices

from ..dialogs import show_error, show_info

log = logging.getLogger("kasirbackup.gui")


class DialogActions:
    """MainWindow's dialog-opening actions (a mixin: the methods stay on the window object)."""

    # -- other actions (dialogs) ----------------------------------------------------------------
    def restore(self) -> None:
        p = self.current_profile()
        if p is None:
            return
        from ..restore_wizard import RestoreWizard

        s = self.selected_snapshot()
        wiz = RestoreWizard(self.ctx, p, s.id if s else None, self)
        wiz.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wiz.open()
        self._dialog = wiz

    def export(self) -> None:
        p = self.current_profile()
        if p is None:
            return
        from ..export_dialog import ExportDialog

        s = self.selected_snapshot()
        dlg = ExportDialog(self.ctx, p, s.id if s else None, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self._dialog = dlg

    def import_(self) -> None:
        p = self.current_profile()
        if p is None:
            return
        from ..import_dialog import ImportDialog

        dlg = ImportDialog(self.ctx, p, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self._dialog = dlg

    def schedule(self) -> None:
        p = self.current_profile()
        if p is None:
            return
        from ..schedule_dialog import ScheduleDialog

        dlg = ScheduleDialog(self.ctx, p, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self._dialog = dlg

    def settings_dialog(self) -> None:
        from ..settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.ctx, self.current_profile(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self._dialog = dlg

    def history_dialog(self) -> None:
        from ..history_dialog import HistoryDialog

        dlg = HistoryDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self._dialog = dlg

    def add_database(self, path: str | None = None) -> None:
        from ..setup_wizard import SetupWizard

        wiz = SetupWizard(self.ctx, self, db_path=path or None)
        wiz.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wiz.profile_created.connect(self.select_profile)
        wiz.open()
        self._dialog = wiz

    def open_backup_folder(self) -> None:
        p = self.current_profile()
        if p is None or not p.repos:
            return
        location = p.repos[0]
        if location.startswith("s3://"):
            show_info(self, QCoreApplication.translate(
                "MainWindow", "These backups are in object storage ({location}); there is no folder to "
                              "open on this computer.").format(location=location))
            return
        if not Path(location).is_dir():
            show_error(self, QCoreApplication.translate(
                "MainWindow", "The backup folder {location} is not there. If it is on a USB disk, plug the "
                              "disk in and try again.").format(location=location))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(location))

    def open_database_file(self, path: str) -> None:
        """A database file passed on the command line or by a second launch."""
        target = Path(path).expanduser()
        for p in self.ctx.profiles():
            try:
                if Path(p.db_path).resolve() == target.resolve():
                    self.select_profile(p.name)
                    return
            except OSError:
                continue
        self.add_database(str(target))

    # -- the banner's fix ---------------------------------------------------------------------
    def turn_on_start_with_login(self) -> None:
        """The banner's fix for "nothing starts KasirBackup after a restart"."""
        try:
            self.ctx.set_start_with_login(True)
        except OSError as exc:
            log.warning("could not turn on start with login", exc_info=True)
            show_error(self, QCoreApplication.translate("MainWindow", "Could not turn on start with login: {reason}")
                       .format(reason=exc.strerror or str(exc)))
            return
        self.statusBar().showMessage(QCoreApplication.translate("MainWindow", "KasirBackup now starts when you log in."),
                                     8000)
        self.refresh_status()
