"""The "Language", "Notifications" and "Start-up" tabs: settings of the whole app (not of a
database), so they work even before any database is set up. The start-up tab shows whether
KasirBackup really starts with login on this computer (not only what the settings file says).

``GeneralTabs`` is a part of ``SettingsDialog`` (a mixin). Its texts keep the translation
context "SettingsDialog"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

translate = QCoreApplication.translate     # translate("SettingsDialog", "literal"): lupdate reads it


class GeneralTabs:
    """Needs from the dialog: ``tabs``."""

    def _build_language(self) -> None:
        page = self.language_page = QWidget(self)
        page.setObjectName("languagePage")
        lay = QVBoxLayout(page)
        form = QFormLayout()
        self.language_label = QLabel(page)
        self.language = QComboBox(page)
        self.language.setObjectName("languageCombo")
        for code in ("", "id", "en"):
            self.language.addItem("", code)
        self.language_label.setBuddy(self.language)
        form.addRow(self.language_label, self.language)
        lay.addLayout(form)
        self.language_note = QLabel(page)
        self.language_note.setWordWrap(True)
        lay.addWidget(self.language_note)
        lay.addStretch(1)
        self.tabs.addTab(page, "")

    def _build_notifications(self) -> None:
        page = self.notifications_page = QWidget(self)
        page.setObjectName("notificationsPage")
        lay = QVBoxLayout(page)
        self.notify_success = QCheckBox(page)
        self.notify_success.setObjectName("notifySuccess")
        lay.addWidget(self.notify_success)
        self.notify_note = QLabel(page)
        self.notify_note.setWordWrap(True)
        lay.addWidget(self.notify_note)
        lay.addStretch(1)
        self.tabs.addTab(page, "")

    def _build_startup(self) -> None:
        page = self.startup_page = QWidget(self)
        page.setObjectName("startupPage")
        lay = QVBoxLayout(page)
        self.start_login = QCheckBox(page)
        self.start_login.setObjectName("startWithLogin")
        lay.addWidget(self.start_login)
        self.start_login_note = QLabel(page)
        self.start_login_note.setObjectName("startWithLoginNote")
        self.start_login_note.setWordWrap(True)
        lay.addWidget(self.start_login_note)
        lay.addStretch(1)
        self.tabs.addTab(page, "")

    def _retranslate_language(self) -> None:
        self.language_label.setText(translate("SettingsDialog", "&Language:"))
        self.language.setItemText(0, translate("SettingsDialog", "Same as the computer"))
        self.language.setItemText(1, "Bahasa Indonesia")
        self.language.setItemText(2, "English")
        self.language_note.setText(translate("SettingsDialog", "The new language is used at once, in every window."))

    def _retranslate_notifications(self) -> None:
        self.notify_success.setText(translate("SettingsDialog", "Tell me when a backup succeeds"))
        self.notify_note.setText(translate("SettingsDialog",
                                           "You are always told when a backup fails or could not run."))

    def _retranslate_startup(self) -> None:
        self.start_login.setText(translate("SettingsDialog", "Start KasirBackup when I log in to this computer"))
        self.start_login_note.setText(translate(
            "SettingsDialog", "KasirBackup then waits in the tray next to the clock, so scheduled backups also run "
                              "after the computer restarts. Without it they stop until you start KasirBackup "
                              "yourself."))
