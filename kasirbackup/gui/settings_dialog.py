"""The settings dialog, in tabs: backup places (the local folder and off-site copies, the plain
copy), retention with a live preview of what would be kept, encryption (passphrase change,
recovery sheet, the credential store), language and notifications.

Engine work (reading a repository, listing its backups, changing a passphrase, the credential
store) runs in jobs; the widgets only show results."""

from __future__ import annotations

import copy
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSpinBox, QTabWidget, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..app.credentials import (PassphrasesDiffer, PassphraseTooShort, keyring_delete, keyring_get, keyring_set,
                               passphrase_source, remember_for_session)
from ..app.runner import repo_queue
from ..app.settings import Profile, Retention
from ..core.repo.crypto import PassphraseNeeded, WrongPassphrase, recovery_sheet
from ..core.errors import RepoNotFound
from ..core.repo.manifest import Snapshot
from ..core.repo.repository import CONFIG_NAME, RepoConfig, Repository, open_storage
from ..core.retention.policy import Decision, decide
from .context import AppContext
from .dialogs import handle_repo_error, secure_store_available, show_error, show_info
from .i18n import error_text, fmt_datetime
from .models import kind_text

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:      # pragma: no cover - printing is optional
    QPrintDialog = QPrinter = None

log = logging.getLogger("kasirbackup.gui")

S3_ADDRESS = re.compile(r"s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/[^\s]*)?", re.IGNORECASE)
RULES = ("last", "daily", "weekly", "monthly", "yearly")
MIN_PASSPHRASE = 8

# -- work done in jobs ---------------------------------------------------------------------------

@dataclass(slots=True)
class EncryptionState:
    location: str
    exists: bool                  # a repository is there (else it is made at the first backup)
    encrypted: bool
    repo_id: str
    stored: bool                  # the passphrase is in the credential store
    store_available: bool         # this computer has a secure credential store


def read_encryption_state(location: str) -> EncryptionState:
    """Read only the repository's configuration: no passphrase is needed to tell."""
    available = secure_store_available()
    try:
        raw = open_storage(location).load("config", CONFIG_NAME)
    except FileNotFoundError:
        return EncryptionState(location, False, False, "", False, available)
    cfg = RepoConfig.loads(raw, location)
    encrypted = bool(cfg.encryption)
    stored = encrypted and keyring_get(cfg.id) is not None
    return EncryptionState(location, True, encrypted, cfg.id, stored, available)


def list_snapshots(location: str) -> list[Snapshot]:
    try:
        repo = AppContext.open_repo(location)
        return repo.snapshots()
    except RepoNotFound:
        return []


def _open_with(location: str, given: str | None = None) -> tuple[Repository, str]:
    """Open an encrypted repository; return it with the passphrase that opened it."""
    used: dict[str, str] = {}
    source = passphrase_source(interactive=False)

    def pw(cfg: RepoConfig, loc: str) -> str:
        used["p"] = given if given else source(cfg, loc)
        return used["p"]
    repo = Repository.open(location, passphrase=pw)
    return repo, used.get("p", "")


def change_passphrase(location: str, old: str | None, new: str) -> str:
    """Re-wrap the repository's keys under ``new`` (only its configuration file changes); the
    credential store and this session follow. Returns the repository id."""
    with repo_queue(location):
        repo, current = _open_with(location, old)
        if not repo.config.encryption:
            raise ValueError("the repository is not encrypted")
        repo.change_passphrase(current, new)
        if keyring_get(repo.config.id):
            keyring_set(repo.config.id, new)
        remember_for_session(repo.config.id, new)
        return repo.config.id


def make_recovery_sheet(location: str) -> str:
    repo = AppContext.open_repo(location)   # proves the passphrase before anything is written
    return recovery_sheet(json.loads(repo.config.dumps()), repo.location)


def save_recovery_sheet(location: str, path: str) -> str:
    Path(path).write_text(make_recovery_sheet(location), encoding="utf-8")
    return path


def remember_passphrase(location: str) -> None:
    repo, secret = _open_with(location)
    keyring_set(repo.config.id, secret)


# -- the passphrase change dialog -------------------------------------------------------------------

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


# -- the settings dialog -----------------------------------------------------------------------------

class SettingsDialog(QDialog):
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
        self._build_retention()
        self._build_encryption()
        self._build_language()
        self._build_notifications()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Apply, self)
        self.buttons.setObjectName("settingsButtons")
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        lay.addWidget(self.buttons)
        if self.profile is None:
            for page in (self.places_page, self.retention_page, self.encryption_page):
                self.tabs.setTabEnabled(self.tabs.indexOf(page), False)
            self.tabs.setCurrentWidget(self.language_page)

    def _build_places(self) -> None:
        page = self.places_page = QWidget(self)
        page.setObjectName("placesPage")
        lay = QVBoxLayout(page)
        self.places_intro = QLabel(page)
        self.places_intro.setWordWrap(True)
        lay.addWidget(self.places_intro)
        row = QHBoxLayout()
        self.repo_list = QListWidget(page)
        self.repo_list.setObjectName("repoList")
        self.repo_list.currentRowChanged.connect(self._update_places_buttons)
        row.addWidget(self.repo_list, 1)
        col = QVBoxLayout()
        self.add_folder_button = QPushButton(page)
        self.add_folder_button.setObjectName("addFolderButton")
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button = QPushButton(page)
        self.remove_button.setObjectName("removePlaceButton")
        self.remove_button.clicked.connect(self.remove_place)
        col.addWidget(self.add_folder_button)
        col.addWidget(self.remove_button)
        col.addStretch(1)
        row.addLayout(col)
        lay.addLayout(row, 1)
        s3row = QHBoxLayout()
        self.s3_label = QLabel(page)
        self.s3_edit = QLineEdit(page)
        self.s3_edit.setObjectName("s3Edit")
        self.s3_edit.setPlaceholderText("s3://bucket/folder")
        self.s3_label.setBuddy(self.s3_edit)
        self.add_s3_button = QPushButton(page)
        self.add_s3_button.setObjectName("addS3Button")
        self.add_s3_button.clicked.connect(self.add_s3)
        self.s3_edit.returnPressed.connect(self.add_s3)
        s3row.addWidget(self.s3_label)
        s3row.addWidget(self.s3_edit, 1)
        s3row.addWidget(self.add_s3_button)
        lay.addLayout(s3row)
        self.s3_note = QLabel(page)
        self.s3_note.setWordWrap(True)
        lay.addWidget(self.s3_note)
        self.place_error = QLabel(page)
        self.place_error.setObjectName("placeError")
        self.place_error.setWordWrap(True)
        self.place_error.setStyleSheet("color: #b3261e")
        self.place_error.setVisible(False)
        lay.addWidget(self.place_error)
        self.plain_box = QGroupBox(page)
        pl = QVBoxLayout(self.plain_box)
        self.plain_copy = QCheckBox(self.plain_box)
        self.plain_copy.setObjectName("plainCopy")
        self.plain_copy.toggled.connect(self._update_plain_note)
        self.plain_note = QLabel(self.plain_box)
        self.plain_note.setObjectName("plainCopyNote")
        self.plain_note.setWordWrap(True)
        pl.addWidget(self.plain_copy)
        pl.addWidget(self.plain_note)
        lay.addWidget(self.plain_box)
        self.tabs.addTab(page, "")
        page.setTabOrder(self.repo_list, self.add_folder_button)
        page.setTabOrder(self.add_folder_button, self.remove_button)
        page.setTabOrder(self.remove_button, self.s3_edit)
        page.setTabOrder(self.s3_edit, self.add_s3_button)
        page.setTabOrder(self.add_s3_button, self.plain_copy)

    def _build_retention(self) -> None:
        page = self.retention_page = QWidget(self)
        page.setObjectName("retentionPage")
        lay = QVBoxLayout(page)
        self.retention_intro = QLabel(page)
        self.retention_intro.setWordWrap(True)
        lay.addWidget(self.retention_intro)
        top = QHBoxLayout()
        form = QFormLayout()
        self.keep: dict[str, QSpinBox] = {}
        self.keep_labels: dict[str, QLabel] = {}
        for rule in RULES:
            spin = QSpinBox(page)
            spin.setObjectName(f"keep{rule.capitalize()}")
            spin.setRange(0, 9999)
            spin.valueChanged.connect(self._render_preview)
            label = QLabel(page)
            label.setBuddy(spin)
            form.addRow(label, spin)
            self.keep[rule], self.keep_labels[rule] = spin, label
        top.addLayout(form)
        side = QVBoxLayout()
        self.prune_after = QCheckBox(page)
        self.prune_after.setObjectName("pruneAfterBackup")
        self.prune_after.toggled.connect(self._render_preview)
        self.safety_note = QLabel(page)
        self.safety_note.setWordWrap(True)
        side.addWidget(self.prune_after)
        side.addWidget(self.safety_note)
        side.addStretch(1)
        top.addSpacing(16)
        top.addLayout(side, 1)
        lay.addLayout(top)
        self.retention_summary = QLabel(page)
        self.retention_summary.setObjectName("retentionSummary")
        self.retention_summary.setWordWrap(True)
        f = self.retention_summary.font()
        f.setBold(True)
        self.retention_summary.setFont(f)
        srow = QHBoxLayout()
        srow.addWidget(self.retention_summary, 1)
        self.unlock_button = QPushButton(page)
        self.unlock_button.setObjectName("retentionUnlockButton")
        self.unlock_button.clicked.connect(self._unlock_preview)
        self.unlock_button.setVisible(False)
        srow.addWidget(self.unlock_button)
        lay.addLayout(srow)
        self.preview = QTreeWidget(page)
        self.preview.setObjectName("retentionPreview")
        self.preview.setColumnCount(4)
        self.preview.setRootIsDecorated(False)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setAlternatingRowColors(True)
        self.preview.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.header().setStretchLastSection(True)
        lay.addWidget(self.preview, 1)
        self.tabs.addTab(page, "")

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
        self.print_button.setVisible(QPrintDialog is not None)
        pl.addWidget(self.change_button)
        pl.addWidget(self.sheet_button)
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
        self._show_repos()

    # -- texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        name = self.profile.name if self.profile else ""
        self.setWindowTitle(self.tr("Settings — {name}").format(name=name) if name else self.tr("Settings"))
        for page, text in ((self.places_page, self.tr("Backup places")), (self.retention_page, self.tr("Retention")),
                           (self.encryption_page, self.tr("Encryption")), (self.language_page, self.tr("Language")),
                           (self.notifications_page, self.tr("Notifications"))):
            self.tabs.setTabText(self.tabs.indexOf(page), text)
            self.tabs.setTabToolTip(self.tabs.indexOf(page), "" if self.tabs.isTabEnabled(self.tabs.indexOf(page))
                                    else self.tr("Add a database first"))
        # places
        self.places_intro.setText(self.tr("Every backup goes to each place below. The first one is the main "
                                          "backup folder; the others receive an off-site copy (a USB disk, a "
                                          "network share, a cloud-sync folder or S3-compatible storage), so a "
                                          "stolen or broken computer does not take the backups with it."))
        self.add_folder_button.setText(self.tr("Add &folder…"))
        self.remove_button.setText(self.tr("&Remove"))
        self.s3_label.setText(self.tr("&Object storage:"))
        self.add_s3_button.setText(self.tr("&Add"))
        self.s3_note.setText(self.tr("The endpoint and keys come from the usual AWS settings (AWS_ENDPOINT_URL, "
                                     "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or the AWS files)."))
        self.plain_box.setTitle(self.tr("Plain copy"))
        self.plain_copy.setText(self.tr("Also keep the latest backup as an ordinary .db file in the backup folder"))
        self._show_repos()
        # retention
        self.retention_intro.setText(self.tr("Old backups are removed after each backup by these rules; a backup "
                                             "that any rule wants is kept."))
        for rule, text in (("last", self.tr("&Newest backups to keep:")), ("daily", self.tr("&Daily backups to keep:")),
                           ("weekly", self.tr("&Weekly backups to keep:")),
                           ("monthly", self.tr("&Monthly backups to keep:")),
                           ("yearly", self.tr("&Yearly backups to keep:"))):
            self.keep_labels[rule].setText(text)
        self.prune_after.setText(self.tr("Remove old backups after each backup"))
        self.safety_note.setText(self.tr("Always kept: the newest backup that passed its check, and the safety "
                                         "backups made before a restore for at least 30 days."))
        self.unlock_button.setText(self.tr("&Unlock…"))
        self.preview.setHeaderLabels([self.tr("Time"), self.tr("Kind"), self.tr("Decision"), self.tr("Why")])
        self._render_preview()
        # encryption
        self.enc_place_label.setText(self.tr("&Place:"))
        self.pass_box.setTitle(self.tr("Passphrase"))
        self.change_button.setText(self.tr("&Change passphrase…"))
        self.sheet_button.setText(self.tr("&Save recovery sheet…"))
        self.sheet_button.setToolTip(self.tr("What to keep on paper to open the backups on another computer if "
                                             "the backup folder's key file is lost"))
        self.print_button.setText(self.tr("&Print recovery sheet…"))
        self.store_box.setTitle(self.tr("This computer's credential store"))
        self.remember_button.setText(self.tr("Re&member passphrase"))
        self.forget_button.setText(self.tr("&Forget passphrase"))
        self._show_encryption()
        # language
        self.language_label.setText(self.tr("&Language:"))
        self.language.setItemText(0, self.tr("Same as the computer"))
        self.language.setItemText(1, "Bahasa Indonesia")
        self.language.setItemText(2, "English")
        self.language_note.setText(self.tr("The new language is used at once, in every window."))
        # notifications
        self.notify_success.setText(self.tr("Tell me when a backup succeeds"))
        self.notify_note.setText(self.tr("You are always told when a backup fails or could not run."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- backup places ----------------------------------------------------------------------------
    def repos(self) -> list[str]:
        return list(self._repos)

    def _show_repos(self) -> None:
        row = self.repo_list.currentRow()
        self.repo_list.clear()
        for i, loc in enumerate(self._repos):
            role = self.tr("Main backup folder") if i == 0 else self.tr("Off-site copy")
            item = QListWidgetItem(self.tr("{role}: {location}").format(role=role, location=loc))
            item.setData(Qt.ItemDataRole.UserRole, loc)
            item.setToolTip(loc)
            self.repo_list.addItem(item)
        if self._repos:
            self.repo_list.setCurrentRow(min(max(row, 0), len(self._repos) - 1))
        current = self.enc_place.currentData()
        self.enc_place.blockSignals(True)
        self.enc_place.clear()
        for loc in self._repos:
            self.enc_place.addItem(loc, loc)
        self.enc_place.setCurrentIndex(max(0, self.enc_place.findData(current)))
        self.enc_place.blockSignals(False)
        self._update_places_buttons()
        self._update_plain_note()

    def _update_places_buttons(self, *_: object) -> None:
        self.remove_button.setEnabled(len(self._repos) > 1 and self.repo_list.currentRow() >= 0)

    def _set_place_error(self, text: str) -> None:
        self.place_error.setText(text)
        self.place_error.setVisible(bool(text))

    def _add_place(self, location: str) -> bool:
        self._set_place_error("")
        if location in self._repos:
            self._set_place_error(self.tr("{location} is in the list already.").format(location=location))
            return False
        first_before = self._repos[0] if self._repos else None
        self._repos.append(location)
        self._show_repos()
        self.repo_list.setCurrentRow(len(self._repos) - 1)
        if first_before is None:
            self._first_changed()
        return True

    def _ask_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, self.tr("Choose a folder for backups"), str(Path.home()))

    def add_folder(self) -> None:
        folder = self._ask_folder()
        if not folder:
            return
        self._add_place(str(Path(folder).expanduser().absolute()))

    def add_s3(self) -> None:
        text = self.s3_edit.text().strip()
        if not text:
            return
        if not S3_ADDRESS.fullmatch(text):
            self._set_place_error(self.tr("{text} is not an object storage address. Write it like "
                                          "s3://bucket/folder.").format(text=text))
            return
        if self._add_place(text.rstrip("/")):
            self.s3_edit.clear()

    def remove_place(self) -> None:
        row = self.repo_list.currentRow()
        if row < 0 or len(self._repos) <= 1:
            return
        del self._repos[row]
        self._show_repos()
        if row == 0:
            self._first_changed()

    def _first_changed(self) -> None:
        """The main backup folder changed: the retention preview is about another place."""
        self._snapshots = None
        self.reload_snapshots()

    def _update_plain_note(self, *_: object) -> None:
        first = self._repos[0] if self._repos else ""
        if first.lower().startswith("s3://"):
            text = self.tr("The main place is object storage, so no plain copy is made there; it is made only "
                           "in a folder.")
        elif self._enc is not None and self._enc.location == first and self._enc.encrypted:
            text = self.tr("These backups are encrypted, so no plain copy is made: anyone could read it.")
        else:
            text = self.tr("Any SQLite tool opens it (for whoever wants “just the file”). It is replaced by each "
                           "new backup.")
        self.plain_note.setText(text)

    # -- retention ----------------------------------------------------------------------------------
    def retention(self) -> Retention:
        base = self.profile.retention if self.profile else Retention()
        r = copy.copy(base)
        for rule in RULES:
            setattr(r, f"keep_{rule}", self.keep[rule].value())
        return r

    def reload_snapshots(self) -> None:
        if not self._repos:
            return
        location = self._repos[0]
        self._snap_error = ""
        self._locked = None
        self.unlock_button.setVisible(False)
        self.retention_summary.setText(self.tr("Reading the backups in {location}…").format(location=location))

        def finished(snaps: list[Snapshot]) -> None:
            if self._repos and self._repos[0] == location:
                self._snapshots = snaps
                self._render_preview()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, (PassphraseNeeded, WrongPassphrase)) and exc.params.get("repo_id"):
                # ask only when the user wants to see them, not as soon as the dialog opens
                self._locked = exc
                self.unlock_button.setVisible(True)
                self._snap_error = self.tr("The backups in {location} are encrypted. Unlock them with the "
                                           "passphrase to see what would be kept.").format(location=location)
            else:
                self._snap_error = error_text(exc)
            self._render_preview()
        self._start(lambda progress, cancel: list_snapshots(location), "retention preview",
                       on_finished=finished, on_failed=failed)

    def _unlock_preview(self) -> None:
        if self._locked is not None and handle_repo_error(self, self._locked):
            self.reload_snapshots()

    def decisions(self) -> list[Decision]:
        if not self._snapshots:
            return []
        return decide(self._snapshots, self.retention().policy(), self.ctx.now(), self.ctx.tz)

    def _reason_text(self, reason: str) -> str:
        return {
            "last": self.tr("one of the {n} newest").format(n=self.keep["last"].value()),
            "hourly": self.tr("newest of its hour"),
            "daily": self.tr("newest of its day"),
            "weekly": self.tr("newest of its week"),
            "monthly": self.tr("newest of its month"),
            "yearly": self.tr("newest of its year"),
            "within": self.tr("within the kept period"),
            "newest verified": self.tr("the newest checked backup (always kept)"),
            "before-restore, under 30 days": self.tr("safety backup from a restore, under 30 days old"),
            "no policy": self.tr("no rule is set, so every backup is kept"),
        }.get(reason, reason)

    def _render_preview(self, *_: object) -> None:
        self.preview.clear()
        if self.profile is None:
            return
        if self._snap_error:
            self.retention_summary.setText(self._snap_error)
            return
        if self._snapshots is None:
            return
        if not self._snapshots:
            self.retention_summary.setText(self.tr("There are no backups yet, so nothing would be removed."))
            return
        self._decisions = self.decisions()
        kept = sum(1 for d in self._decisions if d.keep)
        removed = len(self._decisions) - kept
        if self.prune_after.isChecked():
            text = self.tr("Of {total} backups, {kept} are kept and {removed} would be removed at the next "
                           "backup.")
        else:
            text = self.tr("Of {total} backups, {kept} are wanted by these rules. Nothing is removed while "
                           "“Remove old backups after each backup” is off.")
        self.retention_summary.setText(text.format(total=len(self._decisions), kept=kept, removed=removed))
        red, green = Qt.GlobalColor.darkRed, Qt.GlobalColor.darkGreen
        for d in self._decisions:
            s = d.snapshot
            why = ", ".join(self._reason_text(r) for r in d.reasons) if d.keep else \
                self.tr("not needed by any rule")
            item = QTreeWidgetItem([fmt_datetime(s.created_at), kind_text(s.kind),
                                    self.tr("Keep") if d.keep else self.tr("Remove"), why])
            item.setData(0, Qt.ItemDataRole.UserRole, s.id)
            item.setData(2, Qt.ItemDataRole.UserRole, d.keep)
            item.setForeground(2, green if d.keep else red)
            item.setToolTip(0, self.tr("Backup {id}").format(id=s.short_id))
            item.setToolTip(3, why)
            self.preview.addTopLevelItem(item)

    # -- encryption ---------------------------------------------------------------------------------
    def enc_location(self) -> str | None:
        return self.enc_place.currentData()

    def reload_encryption(self) -> None:
        location = self.enc_location()
        if not location:
            return
        self._enc_error = ""
        self.enc_status.setText(self.tr("Reading {location}…").format(location=location))

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
            self.enc_status.setText(self.tr("There are no backups in this place yet. It is created, not encrypted, "
                                            "at the first backup. For encrypted backups, set up the place with "
                                            "“kasirbackup init --encrypt” before the first backup."))
        elif st.encrypted:
            self.enc_status.setText(self.tr("The backups in this place are encrypted (AES-256-GCM, with a key made "
                                            "from your passphrase). Without the passphrase nobody can open them — "
                                            "not even you, so keep it safe."))
        else:
            self.enc_status.setText(self.tr("The backups in this place are not encrypted. Anyone who gets the "
                                            "folder can read them. To encrypt, set up a new place with "
                                            "“kasirbackup init --encrypt” and add it here."))
        for w in (self.change_button, self.sheet_button, self.print_button):
            w.setEnabled(bool(encrypted) and not busy)
        self.pass_box.setVisible(bool(encrypted))
        self.store_box.setVisible(bool(encrypted))
        if encrypted:
            if not st.store_available:
                self.store_status.setText(self.tr("This computer has no secure credential store, so the passphrase "
                                                  "cannot be saved on it. KasirBackup asks for it after each start "
                                                  "and keeps it in memory only; scheduled backups wait until then."))
            elif st.stored:
                self.store_status.setText(self.tr("The passphrase is saved in this computer's credential store, so "
                                                  "scheduled backups run without asking."))
            else:
                self.store_status.setText(self.tr("The passphrase is not saved on this computer. KasirBackup asks "
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
        self.enc_work.setText(self.tr("Changing the passphrase…"))

        def finished(_repo_id) -> None:
            self._busy = None
            self.enc_work.setText("")
            self.reload_encryption()
            show_info(self, self.tr("The passphrase is changed. Save and print a new recovery sheet: the old one "
                                    "does not match any more."), self.tr("Passphrase changed"))

        def failed(exc: BaseException) -> None:
            self._busy = None
            self.enc_work.setText("")
            self._show_encryption()
            if isinstance(exc, WrongPassphrase) and old:
                show_error(self, self.tr("The current passphrase is not right. Nothing was changed."))
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
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the recovery sheet"), str(Path.home() / name),
                                              self.tr("Text files (*.txt)"))
        return path

    def save_sheet(self) -> None:
        path = self._ask_sheet_path()
        if not path:
            return
        self._enc_job(lambda location: save_recovery_sheet(location, path), "recovery sheet",
                      self.tr("Writing the recovery sheet…"),
                      lambda p: show_info(self, self.tr("The recovery sheet is saved as {path}. Print it and keep "
                                                        "it away from this computer, with the passphrase kept "
                                                        "somewhere else.").format(path=p),
                                          self.tr("Recovery sheet")))

    def print_sheet(self) -> None:
        if QPrintDialog is None:
            return
        self._enc_job(make_recovery_sheet, "recovery sheet", self.tr("Preparing the recovery sheet…"),
                      self._print_text)

    def _print_text(self, sheet: str) -> None:
        printer = QPrinter()
        dlg = QPrintDialog(printer, self)
        doc = QTextDocument(dlg)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        doc.setDefaultFont(font)
        doc.setPlainText(sheet)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: doc.print_(printer))
        self._printer = printer
        dlg.open()

    def remember(self) -> None:
        self._enc_job(remember_passphrase, "remember passphrase", self.tr("Saving the passphrase…"), lambda _: None)

    def forget(self) -> None:
        st = self._enc
        if st is None or not st.repo_id:
            return
        repo_id = st.repo_id
        self._enc_job(lambda location: keyring_delete(repo_id), "forget passphrase",
                      self.tr("Removing the passphrase…"), lambda _: None)

    def _start(self, fn, name: str, on_finished, on_failed):
        """A job whose results are dropped once this dialog is gone (closed and deleted)."""
        def alive(cb):
            return lambda arg: cb(arg) if shiboken6.isValid(self) else None
        return self.ctx.start(fn, name, on_finished=alive(on_finished), on_failed=alive(on_failed))

    # -- saving ---------------------------------------------------------------------------------------
    def apply(self) -> bool:
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
