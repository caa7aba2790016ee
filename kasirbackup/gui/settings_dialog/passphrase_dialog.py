"""The passphrase change dialog the encryption tab opens: asks for the current passphrase
(optional when this computer knows it) and the new one twice, and checks them before it
accepts. It changes nothing itself; the encryption tab runs the change in a job."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...app.credentials import PassphrasesDiffer, PassphraseTooShort
from ..i18n import error_text

MIN_PASSPHRASE = 8


class ChangePassphraseDialog(QDialog):
    def __init__(self, location: str, known: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.location = location
        self.known = known
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.current = QLineEdit(self)
        self.current.setObjectName("currentPassphrase")
        self.new = QLineEdit(self)
        self.new.setObjectName("newPassphrase")
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeatPassphrase")
        for e in (self.current, self.new, self.repeat):
            e.setEchoMode(QLineEdit.EchoMode.Password)
        self.current_label, self.new_label, self.repeat_label = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.current_label, self.current)
        form.addRow(self.new_label, self.new)
        form.addRow(self.repeat_label, self.repeat)
        for label, edit in ((self.current_label, self.current), (self.new_label, self.new),
                            (self.repeat_label, self.repeat)):
            label.setBuddy(edit)
        lay.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.retranslate()
        self.resize(480, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Change passphrase"))
        self.intro.setText(self.tr("The new passphrase opens all backups in {location}, old and new. The old "
                                   "one stops working. Afterwards save a new recovery sheet.").format(
            location=self.location))
        self.current_label.setText(self.tr("&Current passphrase:"))
        self.current.setPlaceholderText(self.tr("Known to this computer; you may leave it empty") if self.known
                                        else "")
        self.new_label.setText(self.tr("&New passphrase:"))
        self.repeat_label.setText(self.tr("&Type it again:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def accept(self) -> None:
        if not self.current.text() and not self.known:
            self.error.setText(self.tr("Type the current passphrase."))
            return
        if len(self.new.text()) < MIN_PASSPHRASE:
            self.error.setText(error_text(PassphraseTooShort(length=len(self.new.text()))))
            return
        if self.new.text() != self.repeat.text():
            self.error.setText(error_text(PassphrasesDiffer()))
            return
        super().accept()
