"""The "Encryption" tab: whether the backups in a place are encrypted, turning encryption on
(``encryption_setup``), changing the passphrase, saving, copying or printing the recovery sheet,
and keeping the passphrase in this computer's credential store (or forgetting it there). All
repository work runs in jobs.

``EncryptionTab`` is a part of ``SettingsDialog`` (a mixin). Its texts keep the translation
context "SettingsDialog"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...app.credentials import keyring_delete
from ...app.online_storage import is_online
from ...core.repo.crypto import PassphraseNeeded, WrongPassphrase
from ..dialogs import handle_repo_error, show_error, show_info
from ..i18n import error_text
from .encryption_setup import EncryptionSetup
from .jobs import (EncryptionState, change_passphrase, make_recovery_sheet, read_encryption_state,
                   remember_passphrase, save_recovery_sheet)
from .recovery_sheet_dialog import sheet_texts
from .passphrase_dialog import ChangePassphraseDialog
from .recovery_sheet_dialog import CAN_PRINT, print_sheet

translate = QCoreApplication.translate     # translate("SettingsDialog", "literal"): lupdate reads it


class EncryptionTab(EncryptionSetup):
    """Needs from the dialog: ``tabs``, the state ``_enc``, ``_enc_error`` and ``_busy`` (the
    encryption job going on), ``_update_plain_note`` (places tab) and ``_start`` (a job)."""

    def _build_encryption(self) -> None:
        page = self.encryption_page = QWidget(self)
        page.setObjectName("encryptionPage")
        lay = QVBoxLayout(page)
        row = QHBoxLayout()
        self.enc_place_label = QLabel(page)
        self.enc_place = QComboBox(page)
        self.enc_place.setObjectName("encryptionPlace")
        self.enc_place_label.setBuddy(self.enc_place)
        self.enc_place.currentIndexChanged.connect(lambda _: self.reload_encryption())
        row.addWidget(self.enc_place_label)
        row.addWidget(self.enc_place, 1)
        lay.addLayout(row)
        self.enc_status = QLabel(page)
        self.enc_status.setObjectName("encryptionStatus")
        self.enc_status.setWordWrap(True)
        self.enc_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.enc_status)
        self._build_encryption_setup(page, lay)
        self.pass_box = QGroupBox(page)
        pl = QHBoxLayout(self.pass_box)
        self.change_button = QPushButton(self.pass_box)
        self.change_button.setObjectName("changePassphraseButton")
        self.change_button.clicked.connect(self.change_passphrase)
        self.sheet_button = QPushButton(self.pass_box)
        self.sheet_button.setObjectName("saveSheetButton")
        self.sheet_button.clicked.connect(self.save_sheet)
        self.print_button = QPushButton(self.pass_box)
        self.print_button.setObjectName("printSheetButton")
        self.print_button.clicked.connect(self.print_sheet)
        self.print_button.setVisible(CAN_PRINT)
        self.copy_sheet_button = QPushButton(self.pass_box)
        self.copy_sheet_button.setObjectName("copySheetButton")
        self.copy_sheet_button.clicked.connect(self.copy_sheet)
        pl.addWidget(self.change_button)
        pl.addWidget(self.sheet_button)
        pl.addWidget(self.copy_sheet_button)
        pl.addWidget(self.print_button)
        pl.addStretch(1)
        lay.addWidget(self.pass_box)
        self.store_box = QGroupBox(page)
        sl = QVBoxLayout(self.store_box)
        self.store_status = QLabel(self.store_box)
        self.store_status.setObjectName("credentialStatus")
        self.store_status.setWordWrap(True)
        sl.addWidget(self.store_status)
        br = QHBoxLayout()
        self.remember_button = QPushButton(self.store_box)
        self.remember_button.setObjectName("rememberButton")
        self.remember_button.clicked.connect(self.remember)
        self.forget_button = QPushButton(self.store_box)
        self.forget_button.setObjectName("forgetButton")
        self.forget_button.clicked.connect(self.forget)
        br.addWidget(self.remember_button)
        br.addWidget(self.forget_button)
        br.addStretch(1)
        sl.addLayout(br)
        lay.addWidget(self.store_box)
        self.enc_work = QLabel(page)
        self.enc_work.setObjectName("encryptionWork")
        self.enc_work.setWordWrap(True)
        lay.addWidget(self.enc_work)
        lay.addStretch(1)
        self.tabs.addTab(page, "")

    def _retranslate_encryption(self) -> None:
        self.enc_place_label.setText(translate("SettingsDialog", "&Place:"))
        self.pass_box.setTitle(translate("SettingsDialog", "Passphrase"))
        self.change_button.setText(translate("SettingsDialog", "&Change passphrase…"))
        self.sheet_button.setText(translate("SettingsDialog", "&Save recovery sheet…"))
        self.sheet_button.setToolTip(translate("SettingsDialog", "What to keep on paper to open the backups on "
                                                                 "another computer if the backup folder's key file "
                                                                 "is lost"))
        self.print_button.setText(translate("SettingsDialog", "&Print recovery sheet…"))
        self.copy_sheet_button.setText(translate("SettingsDialog", "C&opy recovery sheet"))
        self._retranslate_encryption_setup()
        self.store_box.setTitle(translate("SettingsDialog", "This computer's credential store"))
        self.remember_button.setText(translate("SettingsDialog", "Re&member passphrase"))
        self.forget_button.setText(translate("SettingsDialog", "&Forget passphrase"))
        self._show_encryption()

    def enc_location(self) -> str | None:
        return self.enc_place.currentData()

    def reload_encryption(self) -> None:
        location = self.enc_location()
        if not location:
            return
        self._enc_error = ""
        self.enc_status.setText(translate("SettingsDialog", "Reading {location}…").format(location=location))

        def finished(state: EncryptionState) -> None:
            if state.location == self.enc_location():
                self._enc = state
                self._show_encryption()
                self._update_plain_note()

        def failed(exc: BaseException) -> None:
            if location == self.enc_location():
                self._enc, self._enc_error = None, error_text(exc)
                self._show_encryption()
        self._start(lambda progress, cancel: read_encryption_state(location), "encryption state",
                    on_finished=finished, on_failed=failed)

    def _show_encryption(self) -> None:
        st = self._enc
        busy = self._busy is not None and not self._busy.done
        usable = st is not None and st.location == self.enc_location()
        encrypted = usable and st.encrypted
        if self._enc_error:
            self.enc_status.setText(self._enc_error)
        elif not usable:
            pass                                  # still reading
        elif not st.exists:
            self.enc_status.setText(translate(
                "SettingsDialog", "There are no backups in this place yet. Turn encryption on now and "
                "every backup made here is encrypted with your passphrase; otherwise they are not "
                "encrypted."))
        elif st.encrypted:
            self.enc_status.setText(translate(
                "SettingsDialog", "The backups in this place are encrypted with your passphrase. "
                "Without the passphrase nobody can open them — not even you, so keep it safe."))
        elif is_online(st.location):
            self.enc_status.setText(translate(
                "SettingsDialog", "The backups in this place are not encrypted: anyone who gets them can "
                "read them. Backups already made stay as they are. To encrypt the next ones, add a "
                "new online storage folder under Backup places, turn encryption on for it here, "
                "then remove this one."))
        else:
            self.enc_status.setText(translate(
                "SettingsDialog", "The backups in this place are not encrypted: anyone who gets the "
                "folder can read them. Backups already made stay as they are; the next ones can go "
                "encrypted into a new folder."))
        self._show_encryption_setup(usable, busy)
        for w in (self.change_button, self.sheet_button, self.print_button, self.copy_sheet_button):
            w.setEnabled(bool(encrypted) and not busy)
        self.pass_box.setVisible(bool(encrypted))
        self.store_box.setVisible(bool(encrypted))
        if encrypted:
            if not st.store_available:
                self.store_status.setText(translate(
                    "SettingsDialog", "This computer has no secure credential store, so the passphrase "
                    "cannot be saved on it. KasirBackup asks for it after each start "
                    "and keeps it in memory only; scheduled backups wait until then."))
            elif st.stored:
                self.store_status.setText(translate(
                    "SettingsDialog", "The passphrase is saved in this computer's credential store, so "
                    "scheduled backups run without asking."))
            else:
                self.store_status.setText(translate(
                    "SettingsDialog", "The passphrase is not saved on this computer. KasirBackup asks "
                    "for it after each start; scheduled backups wait until then."))
        self.remember_button.setEnabled(bool(encrypted) and st.store_available and not st.stored and not busy)
        self.forget_button.setEnabled(bool(encrypted) and st.store_available and st.stored and not busy)

    def _enc_job(self, fn, name: str, working: str, done) -> None:
        """Run one encryption task; a passphrase asked for makes it run again."""
        location = self.enc_location()
        self.enc_work.setText(working)

        def finished(result) -> None:
            self._busy = None
            self.enc_work.setText("")
            done(result)
            self.reload_encryption()

        def failed(exc: BaseException) -> None:
            self._busy = None
            self.enc_work.setText("")
            self._show_encryption()
            if isinstance(exc, (PassphraseNeeded, WrongPassphrase)):
                if handle_repo_error(self, exc):
                    self._enc_job(fn, name, working, done)
            else:
                show_error(self, exc)
        self._busy = self._start(lambda progress, cancel: fn(location), name, on_finished=finished,
                                 on_failed=failed)
        self._show_encryption()

    def change_passphrase(self) -> None:
        st = self._enc
        if st is None or not st.encrypted:
            return
        dlg = ChangePassphraseDialog(st.location, st.stored, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._do_change(dlg.current.text(), dlg.new.text()))
        self.change_dialog = dlg
        dlg.open()

    def _do_change(self, old: str, new: str) -> None:
        location = self.enc_location()
        self.enc_work.setText(translate("SettingsDialog", "Changing the passphrase…"))

        def finished(_repo_id) -> None:
            self._busy = None
            self.enc_work.setText("")
            self.reload_encryption()
            show_info(self, translate("SettingsDialog", "The passphrase is changed. Save and print a new recovery "
                                                        "sheet for it. The old sheet still opens these backups "
                                                        "together with the old passphrase: destroy it if someone "
                                                        "else may know the old passphrase."),
                      translate("SettingsDialog", "Passphrase changed"))

        def failed(exc: BaseException) -> None:
            self._busy = None
            self.enc_work.setText("")
            self._show_encryption()
            if isinstance(exc, WrongPassphrase) and old:
                show_error(self, translate("SettingsDialog",
                                           "The current passphrase is not right. Nothing was changed."))
            elif isinstance(exc, (PassphraseNeeded, WrongPassphrase)):
                if handle_repo_error(self, exc):
                    self._do_change(old, new)
            else:
                show_error(self, exc)
        self._busy = self._start(lambda progress, cancel: change_passphrase(location, old or None, new),
                                 "passphrase change", on_finished=finished, on_failed=failed)
        self._show_encryption()

    def _ask_sheet_path(self) -> str:
        st = self._enc
        name = f"kasirbackup-recovery-sheet-{st.repo_id[:8] if st else 'repo'}.txt"
        path, _ = QFileDialog.getSaveFileName(self, translate("SettingsDialog", "Save the recovery sheet"),
                                              str(Path.home() / name),
                                              translate("SettingsDialog", "Text files (*.txt)"))
        return path

    def save_sheet(self) -> None:
        path = self._ask_sheet_path()
        if not path:
            return
        texts = sheet_texts()
        self._enc_job(lambda location: save_recovery_sheet(location, path, texts), "recovery sheet",
                      translate("SettingsDialog", "Writing the recovery sheet…"),
                      lambda p: show_info(self, translate("SettingsDialog", "The recovery sheet is saved as {path}. "
                                                                            "Print it and keep it away from this "
                                                                            "computer, with the passphrase kept "
                                                                            "somewhere else.").format(path=p),
                                          translate("SettingsDialog", "Recovery sheet")))

    def print_sheet(self) -> None:
        if not CAN_PRINT:
            return
        texts = sheet_texts()
        self._enc_job(lambda location: make_recovery_sheet(location, texts), "recovery sheet",
                      translate("SettingsDialog", "Preparing the recovery sheet…"),
                      lambda sheet: print_sheet(self, sheet))

    def copy_sheet(self) -> None:
        def copied(sheet: str) -> None:
            QGuiApplication.clipboard().setText(sheet)
            self.enc_work.setText(translate("SettingsDialog", "The recovery sheet is copied. Paste it into a "
                                                              "document and keep that away from this computer."))
        texts = sheet_texts()
        self._enc_job(lambda location: make_recovery_sheet(location, texts), "recovery sheet",
                      translate("SettingsDialog", "Preparing the recovery sheet…"), copied)

    def remember(self) -> None:
        self._enc_job(remember_passphrase, "remember passphrase", translate("SettingsDialog", "Saving the passphrase…"),
                      lambda _: None)

    def forget(self) -> None:
        st = self._enc
        if st is None or not st.repo_id:
            return
        repo_id = st.repo_id
        self._enc_job(lambda location: keyring_delete(repo_id), "forget passphrase",
                      translate("SettingsDialog", "Removing the passphrase…"), lambda _: None)
