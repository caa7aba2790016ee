"""``SetupWizard``: the four pages, the state they share, the file dialogs (tests replace
``_ask_database_file`` / ``_ask_folder``) and saving the new profile."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget, QWizard

from ...app.settings import Profile, Schedule
from ...app.setup_trail import SetupTrail
from ..context import AppContext
from ..dialogs import show_error
from ..i18n import error_text
from .common import DB_FILTER_PATTERNS, log, profile_name_for
from .database_page import DatabasePage
from .first_backup_page import FirstBackupPage
from .folder_page import FolderPage
from .schedule_page import SchedulePage
from .undo import SetupUndo, ask_keep


class SetupWizard(QWizard):
    profile_created = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, db_path: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("setupWizard")
        self.profile: Profile | None = None
        self.passphrase: str | None = None
        self.create_error = ""
        self._emitted = False
        # what the setup makes, so that a cancel takes it all back (setup_wizard/undo.py)
        self.trail = SetupTrail(ctx.now(), ctx.settings().start_with_login)
        self.undo: SetupUndo | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.db_page = DatabasePage(self)
        self.folder_page = FolderPage(self)
        self.schedule_page = SchedulePage(self)
        self.backup_page = FirstBackupPage(self)
        for page in (self.db_page, self.folder_page, self.schedule_page, self.backup_page):
            self.addPage(page)
        self.retranslate()
        self.resize(760, 600)
        if db_path:
            self.db_page.set_path(str(db_path))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up KasirBackup"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            for page in (self.db_page, self.folder_page, self.schedule_page, self.backup_page):
                page.retranslate()
        super().changeEvent(event)

    # -- file dialogs (tests replace these two) ---------------------------------------------
    def _ask_database_file(self) -> str | None:
        start = str(Path(self.db_page.path_edit.text()).parent) if self.db_page.path_edit.text() else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Pick the database file"), start,
            self.tr("Databases ({patterns});;All files (*)").format(patterns=DB_FILTER_PATTERNS))
        return path or None

    def _ask_folder(self) -> str | None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Pick the folder for the backups"),
                                                self.folder_page.folder_edit.text() or str(Path.home()))
        return path or None

    # -- shared state -----------------------------------------------------------------------
    def db_path(self) -> str:
        s = self.db_page.summary
        return s.path if s is not None else ""

    def profile_for_db(self, path: str) -> str | None:
        """The name of an existing profile that backs up ``path``, if any."""
        try:
            target = os.path.normcase(str(Path(path).resolve()))
        except OSError:
            return None
        for p in self.ctx.profiles():
            try:
                if os.path.normcase(str(Path(p.db_path).resolve())) == target:
                    return p.name
            except OSError:
                continue
        return None

    def profile_name(self) -> str:
        if self.profile is not None:
            return self.profile.name
        return profile_name_for(self.db_path() or "database", {p.name for p in self.ctx.profiles()})

    def schedule_text(self, s: Schedule) -> str:
        from PySide6.QtCore import QLocale, QTime

        from ..i18n import time_format
        hour, minute = (int(x) for x in s.time.split(":")[:2])
        time = QLocale().toString(QTime(hour, minute), time_format())     # "21.00", "9:00 PM": as elsewhere
        if s.kind == "weekly":
            return self.tr("every {day} at {time}").format(day=QLocale().dayName(s.weekdays[0] + 1), time=time)
        return self.tr("every day at {time}").format(time=time)

    def create_profile(self) -> bool:
        """Save the new profile (on the GUI thread: a small settings file)."""
        plan = self.folder_page.plan
        if plan is None or not self.db_path():
            self.create_error = self.tr("Go back and pick the database and the folder again.")
            return False
        self.passphrase = self.folder_page.passphrase()
        settings = self.ctx.settings()
        taken = {p.name for p in settings.profiles}
        name = self.profile_name()
        if name in taken:
            name = profile_name_for(self.db_path(), taken)
        profile = Profile(name, self.db_path(), [str(plan.target)], schedule=self.schedule_page.schedule(),
                          attachments=self.db_page.attachments())
        if profile.schedule.continuous:
            profile.retention.thin_continuous()     # every snapshot of 2 h, hourly for 2 days
        try:
            profile.validate()
            settings.profiles.append(profile)
            self.ctx.save_settings(settings)
        except Exception as exc:
            if profile in settings.profiles:
                settings.profiles.remove(profile)
            log.exception("could not save the new profile")
            self.create_error = error_text(exc)
            return False
        self.profile = self.trail.profile = profile
        for e in (self.folder_page.pass1, self.folder_page.pass2):
            e.clear()
        log.info("profile %s created: %s -> %s", name, profile.db_path, plan.target)
        return True

    # -- closing ----------------------------------------------------------------------------
    def accept(self) -> None:
        """Finish: start with login as the schedule page says (once the database is set up)."""
        if self.profile is not None:
            self.apply_start_with_login()
        super().accept()

    def apply_start_with_login(self) -> None:
        wanted = self.schedule_page.start_login.isChecked()
        try:
            if wanted != self.ctx.login.is_on():
                self.ctx.set_start_with_login(wanted)
        except OSError as exc:
            log.warning("could not change start with login", exc_info=True)
            text = self.tr("Could not turn on start with login: {reason}") if wanted else \
                self.tr("Could not turn off start with login: {reason}")
            show_error(self.parentWidget(), text.format(reason=exc.strerror or str(exc)))

    # -- cancelling leaves nothing behind (setup_wizard/undo.py) ---------------------------------
    def reject(self) -> None:
        """Cancel, Esc or the close button. After a verified first backup the user is asked
        whether to keep it; otherwise everything the setup made is taken back."""
        if self.profile is not None and self.backup_page.verified_backup():
            ask_keep(self, keep=self.accept, remove=self.discard)
            return
        super().reject()

    def discard(self) -> None:
        """Close and take back everything the setup made."""
        super().reject()

    def done(self, result: int) -> None:
        self.db_page.stop()
        accepted = int(getattr(result, "value", result)) == QDialog.DialogCode.Accepted.value
        if self.profile is not None and self.backup_page._busy and not accepted:
            self.ctx.cancel_backup(self.profile.name)
        self.backup_page.disconnect_bus()
        self.passphrase = None
        if not accepted and self.undo is None:
            self.undo = SetupUndo(self.ctx, self.trail, [self.backup_page.prepare_job])
        super().done(result)
        if self.profile is not None and accepted and not self._emitted:
            self._emitted = True
            self.profile_created.emit(self.profile.name)
