"""``SettingsDialog``: the tabs put together (each tab is a mixin in its own module), loading
the settings into them, the window title and tab names, and saving with OK or Apply."""

from __future__ import annotations

import copy
import logging

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from ...app.places import check_writable
from ...app.settings import Profile
from ...core.repo.manifest import Snapshot
from ...core.retention.policy import Decision
from ..context import AppContext
from ..dialogs import show_error
from ..i18n import error_text
from .attachments_tab import AttachmentsTab
from .encryption_tab import EncryptionTab
from .general_tab import GeneralTabs
from .jobs import EncryptionState
from .places_tab import PlacesTab
from .retention_tab import RULES, RetentionTab

log = logging.getLogger("kasirbackup.gui")


class SettingsDialog(PlacesTab, AttachmentsTab, RetentionTab, EncryptionTab, GeneralTabs, QDialog):
    def __init__(self, ctx: AppContext, profile: Profile | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile = profile
        self.setObjectName("settingsDialog")
        self._repos: list[str] = list(profile.repos) if profile else []
        self._snapshots: list[Snapshot] | None = None      # of self._repos[0], once loaded
        self._snap_error = ""
        self._decisions: list[Decision] = []
        self._enc: EncryptionState | None = None
        self._enc_error = ""
        self._locked: BaseException | None = None          # the preview waits for a passphrase
        self._busy = None                                  # the encryption job going on
        self._build()
        self._load()
        self.retranslate()
        if profile is not None:
            self.reload_snapshots()
            self.reload_encryption()
        self.resize(760, 560)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        lay.addWidget(self.tabs, 1)
        self._build_places()
        self._build_attachments()
        self._build_retention()
        self._build_encryption()
        self._build_language()
        self._build_notifications()
        self._build_startup()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Apply, self)
        self.buttons.setObjectName("settingsButtons")
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        lay.addWidget(self.buttons)
        if self.profile is None:
            for page in (self.places_page, self.attachments_page, self.retention_page, self.encryption_page):
                self.tabs.setTabEnabled(self.tabs.indexOf(page), False)
            self.tabs.setCurrentWidget(self.language_page)

    def _load(self) -> None:
        settings = self.ctx.settings()
        p = self.profile
        if p is not None:
            for rule in RULES:
                self.keep[rule].setValue(getattr(p.retention, f"keep_{rule}"))
            self.prune_after.setChecked(p.prune_after_backup)
            self.plain_copy.setChecked(p.plain_copy)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.notify_success.setChecked(settings.notify_success)
        self._login_was = self.ctx.login.is_on()           # the real state of this computer
        self.start_login.setChecked(self._login_was)
        self._show_repos()
        self._load_attachments()

    # -- texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        name = self.profile.name if self.profile else ""
        self.setWindowTitle(self.tr("Settings — {name}").format(name=name) if name else self.tr("Settings"))
        for page, text in ((self.places_page, self.tr("Backup places")), (self.attachments_page, self.tr("Attachments")),
                           (self.retention_page, self.tr("Retention")),
                           (self.encryption_page, self.tr("Encryption")), (self.language_page, self.tr("Language")),
                           (self.notifications_page, self.tr("Notifications")),
                           (self.startup_page, self.tr("Start-up"))):
            self.tabs.setTabText(self.tabs.indexOf(page), text)
            self.tabs.setTabToolTip(self.tabs.indexOf(page), "" if self.tabs.isTabEnabled(self.tabs.indexOf(page))
                                    else self.tr("Add a database first"))
        self._retranslate_places()
        self._retranslate_attachments()
        self._retranslate_retention()
        self._retranslate_encryption()
        self._retranslate_language()
        self._retranslate_notifications()
        self._retranslate_startup()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- jobs -----------------------------------------------------------------------------------------
    def _start(self, fn, name: str, on_finished, on_failed):
        """A job whose results are dropped once this dialog is gone (closed and deleted)."""
        def alive(cb):
            return lambda arg: cb(arg) if shiboken6.isValid(self) else None
        return self.ctx.start(fn, name, on_finished=alive(on_finished), on_failed=alive(on_failed))

    # -- a new place must be writable -------------------------------------------------------------
    def _add_place(self, location: str) -> bool:
        added = super()._add_place(location)
        if added and not location.lower().startswith("s3://"):
            self._check_new_place(location)
        return added

    def _check_new_place(self, location: str) -> None:
        """A folder that cannot be written (read-only disk or share, no permission, disk not
        connected) is taken off the list again, and the tab says why."""
        def refused(exc: BaseException) -> None:
            if location in self._repos and len(self._repos) > 1:
                first = self._repos.index(location) == 0
                self._repos.remove(location)
                self._show_repos()
                if first:
                    self._first_changed()
            self._set_place_error(self.tr("{reason} The place was not added.").format(reason=error_text(exc)))

        self._start(lambda progress, cancel: check_writable(location), "check place",
                    on_finished=lambda _: None, on_failed=refused)

    # -- saving ---------------------------------------------------------------------------------------
    def apply(self) -> bool:
        login = self.start_login.isChecked()
        if login != self._login_was:
            try:
                self.ctx.set_start_with_login(login)      # saves the settings: read them after it
            except OSError as exc:
                log.warning("could not change start with login", exc_info=True)
                show_error(self, (self.tr("Could not turn on start with login: {reason}") if login else
                                  self.tr("Could not turn off start with login: {reason}")).format(
                    reason=exc.strerror or str(exc)))
                return False
            self._login_was = login
        settings = copy.deepcopy(self.ctx.settings())
        prof = None
        if self.profile is not None:
            prof = next((p for p in settings.profiles if p.id == self.profile.id), None) or \
                next((p for p in settings.profiles if p.name == self.profile.name), None)
            if prof is None:
                show_error(self, self.tr("The database {name} is no longer set up in KasirBackup; nothing was "
                                         "saved.").format(name=self.profile.name))
                return False
            prof.repos = list(self._repos)
            prof.retention = self.retention()
            prof.prune_after_backup = self.prune_after.isChecked()
            prof.plain_copy = self.plain_copy.isChecked()
            prof.attachments = list(self._attachments)
            try:
                prof.validate()
            except Exception as exc:
                show_error(self, exc)
                return False
        old_language = settings.language
        settings.language = self.language.currentData() or ""
        settings.notify_success = self.notify_success.isChecked()
        try:
            self.ctx.save_settings(settings)
        except OSError as exc:
            show_error(self, exc)
            return False
        if prof is not None:
            self.profile = prof
        if settings.language != old_language:
            self.ctx.bus.language_changed.emit(settings.language)
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()
