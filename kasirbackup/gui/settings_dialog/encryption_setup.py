"""Turning encryption on from the encryption tab, without a command line: a place with no
backups yet is made an encrypted one (the engine call of ``kasirbackup init --encrypt``); a
folder that already holds unencrypted backups is replaced in the list by a new, encrypted backup
folder the user chooses (the old backups stay where they are, as they are). Both ask for the
passphrase twice (``NewPassphraseDialog``), keep it in the credential store when the user
agrees, and show the recovery sheet (``RecoverySheetDialog``).

``EncryptionSetup`` is a part of ``EncryptionTab`` (a mixin of ``SettingsDialog``); its texts
keep the translation context "SettingsDialog"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...app.encryption import EncryptedPlace, create_encrypted
from ...app.online_storage import is_online
from ..dialogs import show_error
from .passphrase_dialog import NewPassphraseDialog
from .recovery_sheet_dialog import RecoverySheetDialog, sheet_texts

translate = QCoreApplication.translate     # translate("SettingsDialog", "literal"): lupdate reads it


class EncryptionSetup:
    """Needs from the dialog: ``_enc``, ``_busy``, ``_repos``, ``enc_place``, ``enc_work``,
    ``_start``, ``_show_repos`` and ``_first_changed`` (places tab), ``reload_encryption`` and
    ``_show_encryption`` (encryption tab)."""

    def _build_encryption_setup(self, page: QWidget, lay: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.turn_on_button = QPushButton(page)
        self.turn_on_button.setObjectName("turnOnEncryptionButton")
        self.turn_on_button.clicked.connect(self.turn_on_encryption)
        self.new_folder_button = QPushButton(page)
        self.new_folder_button.setObjectName("newEncryptedFolderButton")
        self.new_folder_button.clicked.connect(self.new_encrypted_folder)
        row.addWidget(self.turn_on_button)
        row.addWidget(self.new_folder_button)
        row.addStretch(1)
        lay.addLayout(row)

    def _retranslate_encryption_setup(self) -> None:
        self.turn_on_button.setText(translate("SettingsDialog", "&Turn on encryption…"))
        self.new_folder_button.setText(translate("SettingsDialog", "Start &encrypted backups in a new folder…"))

    def _show_encryption_setup(self, usable: bool, busy: bool) -> None:
        st = self._enc
        empty = usable and not st.exists
        plain = usable and st.exists and not st.encrypted
        self.turn_on_button.setVisible(bool(empty))
        self.turn_on_button.setEnabled(bool(empty) and not busy)
        local_plain = bool(plain) and not is_online(st.location)
        self.new_folder_button.setVisible(local_plain)
        self.new_folder_button.setEnabled(local_plain and not busy)

    def _ask_new_passphrase(self, location: str, then) -> None:
        st = self._enc
        dlg = NewPassphraseDialog(location, bool(st and st.store_available), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: then(dlg.passphrase(), dlg.remember_it()))
        self.new_passphrase_dialog = dlg
        dlg.open()

    def turn_on_encryption(self) -> None:
        """The place has no backups yet: make it an encrypted one now."""
        st = self._enc
        if st is None or st.exists or st.location != self.enc_location():
            return
        location = st.location
        self._ask_new_passphrase(location, lambda secret, remember: self._create_encrypted(
            location, secret, remember, None))

    def _ask_encrypted_folder(self, near: str) -> str:
        start = Path(near).expanduser().parent if near else Path.home()
        return QFileDialog.getExistingDirectory(self, translate("SettingsDialog", "Choose an empty folder for the "
                                                                              "encrypted backups"), str(start))

    def new_encrypted_folder(self) -> None:
        """The place holds unencrypted backups: encrypted ones go to a new folder from now on."""
        st = self._enc
        if st is None or not st.exists or st.encrypted or is_online(st.location):
            return
        old = st.location
        folder = self._ask_encrypted_folder(old)
        if not folder:
            return
        folder = str(Path(folder).expanduser().absolute())
        if folder in self._repos:
            show_error(self, translate("SettingsDialog", "{location} is in the list already.").format(location=folder))
            return
        self._ask_new_passphrase(folder, lambda secret, remember: self._create_encrypted(
            folder, secret, remember, old))

    def _create_encrypted(self, location: str, secret: str, remember: bool, replaces: str | None) -> None:
        self.enc_work.setText(translate("SettingsDialog", "Turning encryption on…"))
        no_store = not (self._enc is not None and self._enc.store_available)

        def finished(res: EncryptedPlace) -> None:
            self._busy = None
            self.enc_work.setText("")
            note = ""
            if replaces is not None and replaces in self._repos:
                index = self._repos.index(replaces)
                self._repos[index] = res.location
                self._show_repos()
                if index == 0:
                    self._first_changed()
                note = translate("SettingsDialog", "From the next backup on, the backups go to {new}, encrypted "
                                 "(press OK to keep this). The backups made so far stay in {old}, not encrypted: "
                                 "delete them when you no longer need them.").format(new=res.location, old=replaces)
            if res.remembered is False or no_store:
                note = " ".join(filter(None, (note, translate(
                    "SettingsDialog", "This computer has no secure credential store, so the passphrase is not "
                    "saved on it: KasirBackup asks for it after each start."))))
            found = self.enc_place.findData(res.location)
            if found >= 0 and found != self.enc_place.currentIndex():
                self.enc_place.setCurrentIndex(found)          # reloads the state
            else:
                self.reload_encryption()
            self._show_sheet(res, note)

        def failed(exc: BaseException) -> None:
            self._busy = None
            self.enc_work.setText("")
            self._show_encryption()
            show_error(self, exc)
        texts = sheet_texts()
        self._busy = self._start(lambda progress, cancel: create_encrypted(location, secret, remember, texts),
                                 "turn on encryption", on_finished=finished, on_failed=failed)
        self._show_encryption()

    def _show_sheet(self, res: EncryptedPlace, note: str) -> None:
        dlg = RecoverySheetDialog(res.sheet, res.repo_id, self.ctx.start, note, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sheet_dialog = dlg
        dlg.open()
