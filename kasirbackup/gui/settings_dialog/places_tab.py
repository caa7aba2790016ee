"""The "Backup places" tab: the main backup folder and the places that receive an off-site
copy (folders, or online storage: an S3-compatible bucket set up in ``OnlineStorageDialog``,
whose address and keys go to the credential store, never into the settings), and the plain
copy option.

``PlacesTab`` is a part of ``SettingsDialog`` (a mixin): it builds its widgets on the dialog
and works on the dialog's list of places (``self._repos``). Its texts keep the translation
context "SettingsDialog"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from ...app.online_storage import is_online, split_location
from .online_storage_dialog import OnlineStorageDialog

translate = QCoreApplication.translate     # translate("SettingsDialog", "literal"): lupdate reads it


class PlacesTab:
    """Needs from the dialog: ``tabs``, ``_repos``, ``_enc`` and ``enc_place`` (the encryption
    tab follows the list) and ``reload_snapshots`` (the retention preview is of the first place)."""

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
        self.add_online_button = QPushButton(page)
        self.add_online_button.setObjectName("addOnlineStorageButton")
        self.add_online_button.clicked.connect(self.add_online_storage)
        self.remove_button = QPushButton(page)
        self.remove_button.setObjectName("removePlaceButton")
        self.remove_button.clicked.connect(self.remove_place)
        col.addWidget(self.add_folder_button)
        col.addWidget(self.add_online_button)
        col.addWidget(self.remove_button)
        col.addStretch(1)
        row.addLayout(col)
        lay.addLayout(row, 1)
        self.place_note = QLabel(page)
        self.place_note.setObjectName("placeNote")
        self.place_note.setWordWrap(True)
        self.place_note.setVisible(False)
        lay.addWidget(self.place_note)
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
        page.setTabOrder(self.add_folder_button, self.add_online_button)
        page.setTabOrder(self.add_online_button, self.remove_button)
        page.setTabOrder(self.remove_button, self.plain_copy)

    def _retranslate_places(self) -> None:
        self.places_intro.setText(translate(
            "SettingsDialog", "Every backup goes to each place below. The first one is the main "
            "backup folder; the others receive an off-site copy (a USB disk, a "
            "network share, a cloud-sync folder or online storage), so a "
            "stolen or broken computer does not take the backups with it."))
        self.add_folder_button.setText(translate("SettingsDialog", "Add &folder…"))
        self.add_online_button.setText(translate("SettingsDialog", "Add &online storage…"))
        self.remove_button.setText(translate("SettingsDialog", "&Remove"))
        self.plain_box.setTitle(translate("SettingsDialog", "Plain copy"))
        self.plain_copy.setText(translate(
            "SettingsDialog", "Also keep the latest backup as an ordinary .db file in the backup folder"))
        self._show_repos()

    def repos(self) -> list[str]:
        return list(self._repos)

    def _show_repos(self) -> None:
        row = self.repo_list.currentRow()
        self.repo_list.clear()
        for i, loc in enumerate(self._repos):
            role = translate("SettingsDialog", "Main backup folder") if i == 0 else \
                translate("SettingsDialog", "Off-site copy")
            item = QListWidgetItem(translate("SettingsDialog", "{role}: {location}").format(
                role=role, location=self._place_name(loc)))
            item.setData(Qt.ItemDataRole.UserRole, loc)
            item.setToolTip(loc)
            self.repo_list.addItem(item)
        if self._repos:
            self.repo_list.setCurrentRow(min(max(row, 0), len(self._repos) - 1))
        current = self.enc_place.currentData()
        self.enc_place.blockSignals(True)
        self.enc_place.clear()
        for loc in self._repos:
            self.enc_place.addItem(self._place_name(loc), loc)
        self.enc_place.setCurrentIndex(max(0, self.enc_place.findData(current)))
        self.enc_place.blockSignals(False)
        self._update_places_buttons()
        self._update_plain_note()

    @staticmethod
    def _place_name(location: str) -> str:
        if not is_online(location):
            return location
        bucket, folder = split_location(location)
        return translate("SettingsDialog", "online storage “{name}”").format(
            name=f"{bucket}/{folder}" if folder else bucket)

    def _update_places_buttons(self, *_: object) -> None:
        self.remove_button.setEnabled(len(self._repos) > 1 and self.repo_list.currentRow() >= 0)

    def _set_place_error(self, text: str) -> None:
        self.place_error.setText(text)
        self.place_error.setVisible(bool(text))
        if text:
            self._set_place_note("")

    def _set_place_note(self, text: str) -> None:
        self.place_note.setText(text)
        self.place_note.setVisible(bool(text))

    def _add_place(self, location: str) -> bool:
        self._set_place_error("")
        self._set_place_note("")
        if location in self._repos:
            self._set_place_error(translate("SettingsDialog", "{location} is in the list already.").format(
                location=location))
            return False
        first_before = self._repos[0] if self._repos else None
        self._repos.append(location)
        self._show_repos()
        self.repo_list.setCurrentRow(len(self._repos) - 1)
        if first_before is None:
            self._first_changed()
        return True

    def _ask_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, translate("SettingsDialog", "Choose a folder for backups"),
                                                str(Path.home()))

    def add_folder(self) -> None:
        folder = self._ask_folder()
        if not folder:
            return
        self._add_place(str(Path(folder).expanduser().absolute()))

    def add_online_storage(self) -> None:
        dlg = OnlineStorageDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._online_added(dlg.location))
        self.online_dialog = dlg
        dlg.open()

    def _online_added(self, location: str) -> None:
        if location in self._repos:
            self._set_place_error("")
            self._set_place_note(translate("SettingsDialog", "The address and keys of {name} are updated.").format(
                name=self._place_name(location)))
        elif self._add_place(location):
            self._set_place_note(translate("SettingsDialog", "{name} is added. Press OK to keep it.").format(
                name=self._place_name(location)))

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
        if is_online(first):
            text = translate("SettingsDialog", "The main place is online storage, so no plain copy is made there; "
                                               "it is made only in a folder.")
        elif self._enc is not None and self._enc.location == first and self._enc.encrypted:
            text = translate("SettingsDialog", "These backups are encrypted, so no plain copy is made: anyone could "
                                               "read it.")
        else:
            text = translate("SettingsDialog", "Any SQLite tool opens it (for whoever wants “just the file”). It is "
                                               "replaced by each new backup.")
        self.plain_note.setText(text)
