"""Page 2 of the setup wizard: where the backups are kept (suggested places, USB first; the
folder check; encryption with a passphrase)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget, QWizard, QWizardPage)

from ...app import discover
from ..i18n import error_text, fmt_size
from .common import ERROR_STYLE, MIN_PASSPHRASE, OK_STYLE, WARN_STYLE, _alive, _debouncer, _wrapping, log


class FolderPage(QWizardPage):
    def __init__(self, wiz: QWizard) -> None:     # the SetupWizard (not imported: it imports the pages)
        super().__init__(wiz)
        self.wiz = wiz
        self.setObjectName("folderPage")
        self.plan: discover.FolderPlan | None = None
        self.error: BaseException | str | None = None
        self._checked = ""
        self._gen = 0
        self._places_for = None
        self._suggested: list[discover.BackupPlace] | None = None

        lay = QVBoxLayout(self)
        self.intro = _wrapping(name="folderIntro")
        lay.addWidget(self.intro)
        self.places = QListWidget()
        self.places.setObjectName("placesList")
        self.places.setMinimumHeight(80)
        self.places.setAlternatingRowColors(True)
        self.places.setSpacing(2)
        self.places.setWordWrap(True)
        self.places.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.places.itemClicked.connect(self._picked)
        lay.addWidget(self.places, 1)
        row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("folderEdit")
        self.folder_edit.editingFinished.connect(lambda: self.set_folder(self.folder_edit.text()))
        self._typed = _debouncer(self, lambda: self.set_folder(self.folder_edit.text()))
        self.folder_edit.textEdited.connect(self._typed.start)
        self.folder_edit.textEdited.connect(self.completeChanged)
        self.browse = QPushButton()
        self.browse.setObjectName("browseFolderButton")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.browse)
        lay.addLayout(row)
        self.target = _wrapping(name="targetLabel")
        self.same_disk = _wrapping(name="sameDiskLabel", style=WARN_STYLE)
        self.err = _wrapping(name="folderErrorLabel", style=ERROR_STYLE)
        for w in (self.target, self.same_disk, self.err):
            lay.addWidget(w)
        self.same_disk.hide()
        self.err.hide()

        self.encrypt = QCheckBox()
        self.encrypt.setObjectName("encryptCheck")
        self.encrypt.toggled.connect(self._encrypt_toggled)
        lay.addWidget(self.encrypt)
        self.enc_box = QWidget()
        form = QFormLayout(self.enc_box)
        form.setContentsMargins(24, 0, 0, 0)
        self.pass1 = QLineEdit()
        self.pass1.setObjectName("passphraseEdit")
        self.pass2 = QLineEdit()
        self.pass2.setObjectName("repeatEdit")
        for e in (self.pass1, self.pass2):
            e.setEchoMode(QLineEdit.EchoMode.Password)
            e.textChanged.connect(self._passphrase_changed)
        self.pass1_label, self.pass2_label = QLabel(), QLabel()
        form.addRow(self.pass1_label, self.pass1)
        form.addRow(self.pass2_label, self.pass2)
        self.pass_state = _wrapping(name="passphraseState")
        form.addRow(self.pass_state)
        self.enc_note = _wrapping(name="encryptNote")
        form.addRow(self.enc_note)
        lay.addWidget(self.enc_box)
        self.enc_box.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Where should the backups be kept?"))
        self.setSubTitle(self.tr("Best on a USB disk or another drive: a backup on the database's own disk is "
                                 "lost together with it."))
        self.intro.setText(self.tr("Suggested places:"))
        self.folder_edit.setPlaceholderText(self.tr("A folder, for example E:\\KasirBackup"))
        self.browse.setText(self.tr("Browse…"))
        self.encrypt.setText(self.tr("Encrypt the backups with a passphrase"))
        self.pass1_label.setText(self.tr("Passphrase:"))
        self.pass2_label.setText(self.tr("Repeat:"))
        self.enc_note.setText(self.tr("Write the passphrase down and keep it somewhere safe. Without it nobody "
                                      "can restore these backups — not even you. KasirBackup keeps it in this "
                                      "computer's credential store, never in a plain file."))
        self._show_places()
        self._show_check()
        self._passphrase_changed()

    def initializePage(self) -> None:
        db = self.wiz.db_path()
        if self._places_for != db:
            self._places_for = db
            self._load_places(db)
        elif self._checked:
            self._recheck()

    # -- suggestions ------------------------------------------------------------------------
    def _load_places(self, db: str) -> None:
        self.places.clear()
        self._suggested: list[discover.BackupPlace] | None = None

        def work(progress, cancel):
            return discover.suggest_backup_places(db)

        def done(places: list[discover.BackupPlace]) -> None:
            self._suggested = places
            self._show_places()
            if not self.folder_edit.text().strip() and places:
                self.places.setCurrentRow(0)
                self.set_folder(str(places[0].path))
            elif self._checked:
                self._recheck()

        self.wiz.ctx.start(work, "backup places", on_finished=_alive(self, done),
                           on_failed=_alive(self, lambda exc: log.warning("no place suggestions: %s", exc)))

    def _show_places(self) -> None:
        places = self._suggested or []
        current = self.places.currentRow()
        self.places.clear()
        for pl in places:
            item = QListWidgetItem(self._place_text(pl))
            item.setData(Qt.ItemDataRole.UserRole, str(pl.path))
            self.places.addItem(item)
        if 0 <= current < self.places.count():
            self.places.setCurrentRow(current)

    def _place_text(self, pl: discover.BackupPlace) -> str:
        what = {
            discover.PlaceKind.REMOVABLE: self.tr("USB disk {label}"),
            discover.PlaceKind.OTHER_DRIVE: self.tr("Drive {label}"),
            discover.PlaceKind.NETWORK: self.tr("Network drive {label}"),
            discover.PlaceKind.DOCUMENTS: self.tr("Your {label} folder"),
            discover.PlaceKind.DATA_DIR: self.tr("KasirBackup's own folder"),
        }[pl.kind].format(label=pl.label)
        if pl.free_bytes is not None:
            what += " · " + self.tr("{size} free").format(size=fmt_size(pl.free_bytes))
        if pl.same_disk is False:
            why = self.tr("Another disk: the backups survive if the computer's disk fails.")
        elif pl.same_disk:
            why = self.tr("Same disk as the database: protects against mistakes, not against a disk failure.")
        else:
            why = ""
        return "\n".join(x for x in (what, str(pl.path), why) if x)

    def _picked(self, item: QListWidgetItem) -> None:
        self.set_folder(item.data(Qt.ItemDataRole.UserRole))

    def _browse(self) -> None:
        path = self.wiz._ask_folder()
        if path:
            self.places.clearSelection()
            self.set_folder(path)

    # -- checking the folder ----------------------------------------------------------------
    def set_folder(self, folder: str) -> None:
        folder = folder.strip().strip('"')
        self._typed.stop()
        if self.folder_edit.text() != folder:
            self.folder_edit.setText(folder)
        if folder == self._checked and self.plan is not None:
            return
        self._checked = folder
        self._recheck()

    def _recheck(self) -> None:
        self._gen += 1
        gen = self._gen
        folder = self._checked
        self.plan, self.error = None, None
        self.completeChanged.emit()
        if folder and not Path(folder).expanduser().is_absolute():
            self.error = self.tr("“{path}” is not a complete folder path. Use Browse… to pick the folder, or "
                                 "type its full path (for example E:\\KasirBackup).").format(path=folder)
            self._show_check()
            return
        self.target.setText(self.tr("Checking the folder…"))
        name, db = self.wiz.profile_name(), self.wiz.db_path()

        def work(progress, cancel):
            return discover.plan_backup_folder(folder, name, db)

        def done(plan: discover.FolderPlan) -> None:
            if gen == self._gen:
                self.plan = plan
                self._show_check()
                self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            if gen == self._gen:
                self.error = exc
                self._show_check()
                self.completeChanged.emit()

        self.wiz.ctx.start(work, "check folder", on_finished=_alive(self, done), on_failed=_alive(self, failed))

    def _show_check(self) -> None:
        plan = self.plan
        self.err.setVisible(self.error is not None)
        if self.error is not None:
            self.err.setText(self.error if isinstance(self.error, str) else error_text(self.error))
            self.target.clear()
            self.same_disk.hide()
            return
        if plan is None:
            if not self._checked:
                self.target.setText(self.tr("Pick a folder for the backups."))
            self.same_disk.hide()
            return
        if plan.existing:
            text = self.tr("This folder already holds KasirBackup backups; the new ones are added to them: {path}"
                           ).format(path=str(plan.target))
            if plan.encrypted:
                text += " " + self.tr("They are encrypted: you will be asked for their passphrase.")
        else:
            text = self.tr("The backups will be kept in {path}").format(path=str(plan.target))
        if plan.free_bytes is not None:
            text += " " + self.tr("({size} free)").format(size=fmt_size(plan.free_bytes))
        self.target.setText(text)
        self.same_disk.setVisible(bool(plan.same_disk))
        self.same_disk.setText(self.tr("This folder is on the same disk as the database. It protects against "
                                       "mistakes (deleted sales, a damaged file) but not against a disk failure "
                                       "or a stolen computer. A USB disk or another drive is safer; you can add "
                                       "an off-site copy later in Settings."))
        self.encrypt.setEnabled(not plan.existing)
        if plan.existing:
            self.encrypt.setChecked(False)

    # -- encryption -------------------------------------------------------------------------
    def _encrypt_toggled(self, on: bool) -> None:
        self.enc_box.setVisible(on)
        self._passphrase_changed()

    def _passphrase_ok(self) -> bool:
        p1 = self.pass1.text()
        return len(p1) >= MIN_PASSPHRASE and p1 == self.pass2.text()

    def _passphrase_changed(self) -> None:
        p1, p2 = self.pass1.text(), self.pass2.text()
        if not p1:
            text, style = self.tr("At least {n} characters. A few unrelated words are easy to remember and hard "
                                  "to guess.").format(n=MIN_PASSPHRASE), ""
        elif len(p1) < MIN_PASSPHRASE:
            text, style = self.tr("Too short: at least {n} characters.").format(n=MIN_PASSPHRASE), ERROR_STYLE
        elif p1 != p2:
            text, style = self.tr("Type the same passphrase again in the second field."), WARN_STYLE
        else:
            text, style = self.tr("The passphrases match."), OK_STYLE
        self.pass_state.setText(text)
        self.pass_state.setStyleSheet(style)
        self.completeChanged.emit()

    def passphrase(self) -> str | None:
        return self.pass1.text() if self.encrypt.isChecked() and self.encrypt.isEnabled() else None

    def isComplete(self) -> bool:
        if self.plan is None or self.folder_edit.text().strip().strip('"') != self._checked:
            return False
        return not (self.encrypt.isChecked() and self.encrypt.isEnabled()) or self._passphrase_ok()

    def validatePage(self) -> bool:
        return self.isComplete()
