"""The "Language" and "Notifications" tabs: settings of the whole app (not of a database), so
they work even before any database is set up.

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
