"""The time of day of a schedule: shown in the window's own time format (21.00 in
Indonesian, 9:00 PM in English: the same as the sentence beside it), and typed the way
people type it — Home goes to the hour and selects it, End to the minutes, so the digits
typed next replace them (Qt's own Home only moves the cursor, and typing then does nothing)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget

from .i18n import time_format


class TimeEdit(QTimeEdit):
    def __init__(self, time: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.apply_locale()
        if time is not None:
            self.setTime(time)

    def apply_locale(self) -> None:
        """Follow the current locale's short time format (after a language change too)."""
        self.setLocale(QLocale())
        self.setDisplayFormat(time_format(QLocale()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.LocaleChange):
            t = self.time()
            self.apply_locale()
            self.setTime(t)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.setSelectedSection(QDateTimeEdit.Section.HourSection if key == Qt.Key.Key_Home
                                    else QDateTimeEdit.Section.MinuteSection)
            event.accept()
            return
        super().keyPressEvent(event)
