"""Small shared dialogs: an error message with what to do next, the passphrase prompt, and the
friendly dialog for an unexpected error (never a traceback on screen; the details go to the
log and can be copied for a helper)."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit,
                               QMessageBox, QVBoxLayout, QWidget)

from ..app.logs import log_path
from .i18n import error_text

log = logging.getLogger("kasirbackup.gui")


def show_error(parent: QWidget | None, exc: BaseException | str, title: str | None = None) -> QMessageBox:
    """A non-blocking, window-modal message (tests and the event loop never wait on it)."""
    text = exc if isinstance(exc, str) else error_text(exc)
    title = title or QCoreApplication.translate("dialogs", "KasirBackup")
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    where = log_path()
    if where and not isinstance(exc, str):
        box.setInformativeText(QCoreApplication.translate(
            "dialogs", "Technical details are in the log file: {path}").format(path=str(where)))
    box.open()
    return box


def show_info(parent: QWidget | None, text: str, title: str | None = None) -> QMessageBox:
    title = title or QCoreApplication.translate("dialogs", "KasirBackup")
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class PassphraseDialog(QDialog):
    def __init__(self, location: str, wrong: bool = False, can_store: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(self.tr("Passphrase needed"))
        lay = QVBoxLayout(self)
        msg = self.tr("The backups in {location} are encrypted. Type the passphrase to open them.").format(
            location=location)
        if wrong:
            msg = self.tr("That passphrase does not open {location}. It is case-sensitive; try again.").format(
                location=location)
        label = QLabel(msg)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setObjectName("passphraseEdit")
        lay.addWidget(self.edit)
        self.remember = QCheckBox(self.tr("Remember it in this computer's credential store"))
        self.remember.setChecked(can_store)
        self.remember.setEnabled(can_store)
        lay.addWidget(self.remember)
        if not can_store:
            note = QLabel(self.tr("This computer has no secure credential store, so KasirBackup keeps the "
                                  "passphrase in memory only until you quit, and never writes it to disk."))
            note.setWordWrap(True)
            lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def passphrase(self) -> str:
        return self.edit.text()


def secure_store_available() -> bool:
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring

        return not isinstance(keyring.get_keyring(), FailKeyring)
    except Exception:
        return False


def ask_passphrase(parent: QWidget | None, location: str, repo_id: str, wrong: bool = False) -> bool:
    """Ask for a repository's passphrase; keep it for the session (and in the credential
    store when the user agrees and one exists). False when the user cancelled."""
    from ..app.credentials import NoSecureStore, keyring_set, remember_for_session

    can_store = secure_store_available()
    dlg = PassphraseDialog(location, wrong, can_store, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.passphrase():
        return False
    remember_for_session(repo_id, dlg.passphrase())
    if can_store and dlg.remember.isChecked():
        try:
            keyring_set(repo_id, dlg.passphrase())
        except NoSecureStore:
            pass
    return True


def handle_repo_error(parent: QWidget | None, exc: BaseException) -> bool:
    """For a job that opened a repository: True when the user supplied a passphrase and the
    job should run again; False when it was another error (then shown) or cancelled."""
    from ..app.credentials import forget_for_session
    from ..core.repo.crypto import PassphraseNeeded, WrongPassphrase

    if isinstance(exc, PassphraseNeeded) and exc.params.get("repo_id"):
        return ask_passphrase(parent, str(exc.params.get("path")), str(exc.params["repo_id"]))
    if isinstance(exc, WrongPassphrase) and exc.params.get("repo_id"):
        forget_for_session(str(exc.params["repo_id"]))
        return ask_passphrase(parent, str(exc.params.get("path")), str(exc.params["repo_id"]), wrong=True)
    show_error(parent, exc)
    return False


# -- unexpected errors -------------------------------------------------------------------------

class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Something went wrong"))
        self.details = details
        lay = QVBoxLayout(self)
        where = log_path()
        text = self.tr("KasirBackup met an unexpected problem. Your database and your backups were not "
                       "changed by it. If it happens again, send the details to whoever helps you "
                       "with the computer.")
        label = QLabel(text)
        label.setWordWrap(True)
        lay.addWidget(label)
        if where:
            lay.addWidget(QLabel(self.tr("Log file: {path}").format(path=str(where))))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy = buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)


def install_excepthook() -> None:
    """An uncaught exception in a slot shows the friendly dialog instead of killing the app."""
    def hook(etype, value, tb):
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        details = "".join(traceback.format_exception(etype, value, tb))
        log.error("uncaught exception:\n%s", details)
        app = QApplication.instance()
        if app is not None and app.thread() is app.thread().currentThread():
            dlg = CrashDialog(details, app.activeWindow())
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.open()
    sys.excepthook = hook
