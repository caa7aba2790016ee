"""The passphrase dialogs the encryption tab opens. ``ChangePassphraseDialog`` asks for the
current passphrase (optional when this computer knows it) and the new one twice;
``NewPassphraseDialog`` asks for the passphrase of backups about to be encrypted, twice, and
whether to remember it in this computer's credential store. Both show how strong the new
passphrase looks while it is typed and check it before they accept. They change nothing
themselves; the encryption tab runs the work in a job."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from ...app.credentials import PassphrasesDiffer, PassphraseTooShort
from ...app.encryption import MIN_PASSPHRASE, Strength, passphrase_strength
from ..i18n import error_text

translate = QCoreApplication.translate     # translate("ChangePassphraseDialog", "literal"): lupdate reads it

ERROR_STYLE = "color: #b3261e;"
WARN_STYLE = "color: #8a5300;"
OK_STYLE = "color: #1e7b34;"


class PassphraseFields:
    """The new passphrase typed twice, with a line that says how strong it looks and whether
    the two match. Its texts are in the context "ChangePassphraseDialog"."""

    def __init__(self, parent: QWidget, form: QFormLayout) -> None:
        self.new = QLineEdit(parent)
        self.new.setObjectName("newPassphrase")
        self.repeat = QLineEdit(parent)
        self.repeat.setObjectName("repeatPassphrase")
        self.new_label, self.repeat_label = QLabel(parent), QLabel(parent)
        for label, edit in ((self.new_label, self.new), (self.repeat_label, self.repeat)):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            label.setBuddy(edit)
            form.addRow(label, edit)
            edit.textChanged.connect(self.update)
        self.hint = QLabel(parent)
        self.hint.setObjectName("passphraseHint")
        self.hint.setWordWrap(True)
        form.addRow("", self.hint)

    def retranslate(self) -> None:
        self.new_label.setText(translate("ChangePassphraseDialog", "&New passphrase:"))
        self.repeat_label.setText(translate("ChangePassphraseDialog", "&Type it again:"))
        self.update()

    def update(self, *_: object) -> None:
        p1, p2 = self.new.text(), self.repeat.text()
        strength = passphrase_strength(p1)
        if strength is Strength.EMPTY:
            text, style = translate("ChangePassphraseDialog", "At least {n} characters. A few unrelated words are "
                                    "easy to remember and hard to guess.").format(n=MIN_PASSPHRASE), ""
        elif strength is Strength.TOO_SHORT:
            text, style = translate("ChangePassphraseDialog", "Too short: at least {n} characters.").format(
                n=MIN_PASSPHRASE), ERROR_STYLE
        else:
            text, style = {
                Strength.WEAK: (translate("ChangePassphraseDialog", "Weak: easy to guess. Add a few more words."),
                                WARN_STYLE),
                Strength.FAIR: (translate("ChangePassphraseDialog", "Fair. A longer passphrase is stronger."), ""),
                Strength.STRONG: (translate("ChangePassphraseDialog", "Strong."), OK_STYLE),
            }[strength]
            if p2 and p1 != p2:
                text += " " + translate("ChangePassphraseDialog", "The two passphrases are not the same yet.")
                style = WARN_STYLE
            elif p1 == p2:
                text += " " + translate("ChangePassphraseDialog", "The passphrases match.")
        self.hint.setText(text)
        self.hint.setStyleSheet(style)

    def problem(self) -> str:
        """Why the new passphrase cannot be used ("" when it can)."""
        if len(self.new.text()) < MIN_PASSPHRASE:
            return error_text(PassphraseTooShort(length=len(self.new.text())))
        if self.new.text() != self.repeat.text():
            return error_text(PassphrasesDiffer())
        return ""


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("passphraseError")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


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
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current_label = QLabel(self)
        self.current_label.setBuddy(self.current)
        form.addRow(self.current_label, self.current)
        self.fields = PassphraseFields(self, form)
        self.new, self.repeat = self.fields.new, self.fields.repeat
        lay.addLayout(form)
        self.error = _error_label(self)
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
        self.fields.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def accept(self) -> None:
        if not self.current.text() and not self.known:
            self.error.setText(self.tr("Type the current passphrase."))
            return
        problem = self.fields.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()


class NewPassphraseDialog(QDialog):
    """The passphrase for backups about to be encrypted (``location``), and whether this
    computer's credential store keeps it (``can_store``: there is one)."""

    def __init__(self, location: str, can_store: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newPassphraseDialog")
        self.location = location
        self.can_store = can_store
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.fields = PassphraseFields(self, form)
        self.new, self.repeat = self.fields.new, self.fields.repeat
        lay.addLayout(form)
        self.remember = QCheckBox(self)
        self.remember.setObjectName("rememberPassphrase")
        self.remember.setChecked(can_store)
        self.remember.setEnabled(can_store)
        lay.addWidget(self.remember)
        self.store_note = QLabel(self)
        self.store_note.setWordWrap(True)
        self.store_note.setVisible(not can_store)
        lay.addWidget(self.store_note)
        self.error = _error_label(self)
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.retranslate()
        self.resize(500, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Turn on encryption"))
        self.intro.setText(self.tr("The backups in {location} will be encrypted with this passphrase. Without it "
                                   "nobody can open them — not even you. Write it down and keep it somewhere "
                                   "safe, away from this computer.").format(location=self.location))
        self.fields.retranslate()
        self.remember.setText(self.tr("&Remember it on this computer, so scheduled backups run without asking"))
        self.store_note.setText(self.tr("This computer has no secure credential store, so the passphrase cannot "
                                        "be saved on it. KasirBackup asks for it after each start and keeps it in "
                                        "memory only."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Turn on encryption"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def passphrase(self) -> str:
        return self.new.text()

    def remember_it(self) -> bool:
        return self.can_store and self.remember.isChecked()

    def accept(self) -> None:
        problem = self.fields.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()
