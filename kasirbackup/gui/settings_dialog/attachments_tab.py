"""The "Attachments" tab: the folders of files that belong to the database (product photos,
scanned receipts), backed up with it in the same backups and restored with it. Lists them,
adds one (chosen, or found beside the database), removes one.

``AttachmentsTab`` is a part of ``SettingsDialog`` (a mixin). Its texts keep the translation
context "SettingsDialog"."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from ...app.attachments import suggest_folders
from ..i18n import fmt_number, fmt_size

translate = QCoreApplication.translate     # translate("SettingsDialog", "literal"): lupdate reads it


class AttachmentsTab:
    """Needs from the dialog: ``tabs``, ``profile`` and ``_start`` (a job)."""

    def _build_attachments(self) -> None:
        page = self.attachments_page = QWidget(self)
        page.setObjectName("attachmentsPage")
        lay = QVBoxLayout(page)
        self.attach_intro = QLabel(page)
        self.attach_intro.setWordWrap(True)
        lay.addWidget(self.attach_intro)
        row = QHBoxLayout()
        self.attach_list = QListWidget(page)
        self.attach_list.setObjectName("attachList")
        self.attach_list.currentRowChanged.connect(self._update_attach_buttons)
        row.addWidget(self.attach_list, 1)
        col = QVBoxLayout()
        self.attach_add = QPushButton(page)
        self.attach_add.setObjectName("addAttachButton")
        self.attach_add.clicked.connect(self.add_attachment_folder)
        self.attach_find = QPushButton(page)
        self.attach_find.setObjectName("findAttachButton")
        self.attach_find.clicked.connect(self.find_attachment_folders)
        self.attach_remove = QPushButton(page)
        self.attach_remove.setObjectName("removeAttachButton")
        self.attach_remove.clicked.connect(self.remove_attachment_folder)
        for b in (self.attach_add, self.attach_find, self.attach_remove):
            col.addWidget(b)
        col.addStretch(1)
        row.addLayout(col)
        lay.addLayout(row, 1)
        self.attach_note = QLabel(page)
        self.attach_note.setObjectName("attachNote")
        self.attach_note.setWordWrap(True)
        lay.addWidget(self.attach_note)
        self._attach_found = ""            # the last "found" message, kept across languages
        self.tabs.addTab(page, "")

    def _load_attachments(self) -> None:
        self._attachments = list(self.profile.attachments) if self.profile else []
        self._show_attachments()

    def _show_attachments(self) -> None:
        self.attach_list.clear()
        self.attach_list.addItems(self._attachments)
        self._update_attach_buttons()

    def _update_attach_buttons(self, *args) -> None:
        self.attach_remove.setEnabled(self.attach_list.currentRow() >= 0)

    def add_attachment_folder(self, folder: str | None = None) -> None:
        if not folder:
            start = os.path.dirname(self.profile.db_path) if self.profile else ""
            folder = QFileDialog.getExistingDirectory(self, translate("SettingsDialog", "Folder of the database's files"),
                                                      start)
        if folder and os.path.abspath(folder) not in self._attachments:
            self._attachments.append(os.path.abspath(folder))
            self._show_attachments()

    def remove_attachment_folder(self) -> None:
        row = self.attach_list.currentRow()
        if 0 <= row < len(self._attachments):
            del self._attachments[row]
            self._show_attachments()

    def find_attachment_folders(self) -> None:
        if self.profile is None:
            return
        db = self.profile.db_path
        self.attach_find.setEnabled(False)

        def done(found) -> None:
            self.attach_find.setEnabled(True)
            new = [s for s in found if s.path not in self._attachments]
            for s in new:
                self._attachments.append(s.path)
            self._show_attachments()
            self._attach_found = ("new", [(s.path, s.files, s.bytes) for s in new]) if new else ("none", [])
            self._retranslate_attachments()

        def failed(exc: BaseException) -> None:
            self.attach_find.setEnabled(True)

        self._start(lambda progress, cancel: suggest_folders(db), "suggest attachments", done, failed)

    def _retranslate_attachments(self) -> None:
        self.attach_intro.setText(translate(
            "SettingsDialog", "Folders of files that belong to this database — product photos, scanned receipts, "
                              "member ID scans. They are kept in the same backups as the database, and a restore "
                              "brings them back with it."))
        self.attach_add.setText(translate("SettingsDialog", "Add a folder…"))
        self.attach_find.setText(translate("SettingsDialog", "Find beside the database"))
        self.attach_remove.setText(translate("SettingsDialog", "Remove"))
        kind, found = self._attach_found or ("", [])
        if kind == "new":
            self.attach_note.setText(translate("SettingsDialog", "Added: {folders}. Press OK to keep them.").format(
                folders="; ".join(translate("SettingsDialog", "{folder} ({files} files, {size})").format(
                    folder=p, files=fmt_number(n), size=fmt_size(b)) for p, n, b in found)))
        elif kind == "none":
            self.attach_note.setText(translate("SettingsDialog", "No other folder of pictures or documents was found "
                                                                 "beside the database."))
        else:
            self.attach_note.setText(translate("SettingsDialog", "Removing a folder here only stops backing it up; "
                                                                 "its files stay in the backups already made."))
