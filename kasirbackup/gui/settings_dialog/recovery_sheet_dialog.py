"""The recovery sheet of an encrypted backup place, shown right after encryption is turned on:
the text itself, and buttons to save it as a file, copy it or print it. The sheet holds the
backups' wrapped keys, never the passphrase (``core.repo.crypto.recovery_sheet``).

``print_sheet`` is also what the encryption tab's Print button uses. The file is written in a
job (``start``: ``AppContext.start`` or the settings dialog's job starter)."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ..i18n import error_text

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:      # pragma: no cover - printing is optional
    QPrintDialog = QPrinter = None

CAN_PRINT = QPrintDialog is not None


def fixed_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def print_sheet(parent: QWidget, sheet: str) -> None:
    """Open the print dialog for the sheet (non-blocking); prints when the user accepts."""
    if not CAN_PRINT:
        return
    printer = QPrinter()
    dlg = QPrintDialog(printer, parent)
    doc = QTextDocument(dlg)
    doc.setDefaultFont(fixed_font())
    doc.setPlainText(sheet)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.accepted.connect(lambda: doc.print_(printer))
    parent._printer = printer          # kept alive as long as the dialog may use it
    dlg.open()


def write_sheet(path: str, sheet: str) -> str:
    Path(path).write_text(sheet, encoding="utf-8")
    return path



def sheet_texts() -> dict[str, str]:
    """The words of a recovery sheet in the window's language (core/repo/crypto.SHEET_TEXTS);
    the command line on it and the key block stay as they are."""
    translate = QCoreApplication.translate
    return {
        "title": translate("RecoverySheet", "KasirBackup — recovery sheet"),
        "id": translate("RecoverySheet", "Backup folder id: {id}"),
        "location": translate("RecoverySheet", "Where the backup folder was when this was printed: {location}"),
        "created": translate("RecoverySheet", "Created: {created}"),
        "need": translate("RecoverySheet", "To restore you need: (1) the backup folder, (2) your passphrase, (3) this "
                                           "sheet if the file kasirbackup.json in the backup folder is lost or "
                                           "damaged."),
        "no_passphrase": translate("RecoverySheet", "The passphrase is NOT on this sheet. Without it nobody can open "
                                                    "the backups."),
        "put_back": translate("RecoverySheet", "If kasirbackup.json is ever lost, KasirBackup puts it back from this "
                                               "sheet with this command:"),
    }

class RecoverySheetDialog(QDialog):
    def __init__(self, sheet: str, repo_id: str, start, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoverySheetDialog")
        self.sheet = sheet
        self.repo_id = repo_id
        self._start = start
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.note = QLabel(note, self)
        self.note.setObjectName("recoverySheetNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        lay.addWidget(self.note)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("recoverySheetText")
        self.text.setReadOnly(True)
        self.text.setFont(fixed_font())
        self.text.setPlainText(sheet)
        lay.addWidget(self.text, 1)
        self.status = QLabel(self)
        self.status.setObjectName("recoverySheetStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveSheetFileButton")
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("copySheetButton")
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("printSheetDialogButton")
        self.print_button.setVisible(CAN_PRINT)
        for b in (self.save_button, self.copy_button, self.print_button):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.copy_button.clicked.connect(self.copy)
        self.print_button.clicked.connect(lambda: print_sheet(self, self.sheet))
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.retranslate()
        self.resize(640, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Recovery sheet"))
        self.intro.setText(self.tr("Keep this recovery sheet on paper or on a USB stick, away from this computer. "
                                   "Together with the passphrase it opens the backups on another computer, even "
                                   "if the key file in the backup folder is lost. The passphrase is not on it."))
        self.save_button.setText(self.tr("&Save as file…"))
        self.copy_button.setText(self.tr("&Copy"))
        self.print_button.setText(self.tr("&Print…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _ask_path(self) -> str:
        name = f"kasirbackup-recovery-sheet-{self.repo_id[:8] or 'repo'}.txt"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the recovery sheet"), str(Path.home() / name),
                                              self.tr("Text files (*.txt)"))
        return path

    def save(self) -> None:
        path = self._ask_path()
        if not path:
            return
        sheet = self.sheet

        def done(p: str) -> None:
            self.status.setText(self.tr("Saved as {path}. Print it and keep it away from this computer.").format(
                path=p))

        def failed(exc: BaseException) -> None:
            self.status.setText(error_text(exc))
        def alive(cb):
            return lambda arg: cb(arg) if shiboken6.isValid(self) else None
        self._start(lambda progress, cancel: write_sheet(path, sheet), "recovery sheet",
                    on_finished=alive(done), on_failed=alive(failed))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.sheet)
        self.status.setText(self.tr("Copied. Paste it into a document and keep that away from this computer."))
