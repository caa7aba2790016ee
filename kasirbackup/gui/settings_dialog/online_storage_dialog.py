"""The "Add online storage" dialog the backup places tab opens: the provider's address, the
bucket, an optional folder and region, the access key and the secret key; "Test connection"
(list, write, read back, delete a small object) with a one-line plain answer; "Add" keeps the
address and keys in this computer's credential store (``app.online_storage``) — never in the
settings file — and the dialog's ``location`` (``s3://BUCKET/FOLDER``) is the place to add.

The network and the credential store are used in jobs only; the widgets show their results.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from ...app.credentials import NoSecureStore
from ...app.online_storage import (ConnectionCheck, Problem, add_place, check_connection, location_of,
                                   region_for, valid_address, valid_bucket, valid_folder, valid_region)
from ...core.storage.access import S3Access
from ..context import AppContext
from ..i18n import error_text

ERROR_STYLE = "color: #b3261e;"
WARN_STYLE = "color: #8a5300;"
OK_STYLE = "color: #1e7b34;"

#: provider name → (an address it gives, its region for that address). Names are brands (not translated).
PROVIDERS: list[tuple[str, str, str]] = [
    ("Amazon S3", "https://s3.ap-southeast-3.amazonaws.com", "ap-southeast-3"),
    ("Cloudflare R2", "https://ACCOUNT_ID.r2.cloudflarestorage.com", "auto"),
    ("Backblaze B2", "https://s3.us-west-004.backblazeb2.com", "us-west-004"),
    ("Wasabi", "https://s3.ap-southeast-1.wasabisys.com", "ap-southeast-1"),
]
OTHER = ""          # the last item: any other S3-compatible provider (MinIO, a local provider …)


class OnlineStorageDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onlineStorageDialog")
        self.ctx = ctx
        self.location = ""                      # set when the place is added
        self.check: ConnectionCheck | None = None   # the last connection test's result
        self._job = None                        # the test or the saving going on
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.provider = QComboBox(self)
        self.provider.setObjectName("providerCombo")
        for name, address, region in PROVIDERS:
            self.provider.addItem(name, (address, region))
        self.provider.addItem("", (OTHER, ""))
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self.address = QLineEdit(self)
        self.address.setObjectName("addressEdit")
        self.address_hint = QLabel(self)
        self.address_hint.setObjectName("addressHint")
        self.address_hint.setWordWrap(True)
        self.bucket = QLineEdit(self)
        self.bucket.setObjectName("bucketEdit")
        self.folder = QLineEdit(self)
        self.folder.setObjectName("folderEdit")
        self.region = QLineEdit(self)
        self.region.setObjectName("regionEdit")
        self.access_key = QLineEdit(self)
        self.access_key.setObjectName("accessKeyEdit")
        self.secret_key = QLineEdit(self)
        self.secret_key.setObjectName("secretKeyEdit")
        self.secret_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.labels: dict[str, QLabel] = {}
        for key, edit in (("provider", self.provider), ("address", self.address), ("hint", self.address_hint),
                          ("bucket", self.bucket), ("folder", self.folder), ("region", self.region),
                          ("access", self.access_key), ("secret", self.secret_key)):
            label = self.labels[key] = QLabel(self)
            if key != "hint":
                label.setBuddy(edit)
            form.addRow(label, edit)
        for edit in (self.address, self.bucket, self.folder, self.region, self.access_key, self.secret_key):
            edit.textEdited.connect(self._edited)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.test_button = QPushButton(self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel(self)
        self.result.setObjectName("connectionResult")
        self.result.setWordWrap(True)
        row.addWidget(self.test_button)
        row.addWidget(self.result, 1)
        lay.addLayout(row)
        self.keys_note = QLabel(self)
        self.keys_note.setWordWrap(True)
        lay.addWidget(self.keys_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.retranslate()
        self._provider_changed()
        self.resize(560, self.sizeHint().height())

    # -- texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add online storage"))
        self.intro.setText(self.tr("Backups are also copied to a storage bucket you rent from an online provider, "
                                   "so they survive a fire or a stolen computer. Your provider's console shows the "
                                   "address, the bucket and the keys."))
        self.provider.setItemText(self.provider.count() - 1, self.tr("Another S3-compatible provider"))
        for key, text in (("provider", self.tr("&Provider:")), ("address", self.tr("&Address:")),
                          ("bucket", self.tr("&Bucket:")), ("folder", self.tr("&Folder (optional):")),
                          ("region", self.tr("&Region (optional):")), ("access", self.tr("Access &key:")),
                          ("secret", self.tr("&Secret key:"))):
            self.labels[key].setText(text)
        self.folder.setPlaceholderText(self.tr("for example kasir"))
        self.test_button.setText(self.tr("&Test connection"))
        self.keys_note.setText(self.tr("The address and the keys are kept in this computer's credential store, "
                                       "never in KasirBackup's settings file."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self._provider_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _provider_changed(self, *_: object) -> None:
        address, region = self.provider.currentData() or (OTHER, "")
        if address:
            self.address.setPlaceholderText(address)
            self.region.setPlaceholderText(region)
            self.address_hint.setText(self.tr("The address looks like {example}. Copy it from your provider's "
                                              "console.").format(example=address))
        else:
            self.address.setPlaceholderText("https://")
            self.region.setPlaceholderText("")
            self.address_hint.setText(self.tr("The address of the provider's S3-compatible endpoint, starting with "
                                              "https://. Copy it from your provider's console."))

    # -- reading the fields ---------------------------------------------------------------------------
    def _edited(self, *_: object) -> None:
        if self._job is None or self._job.done:
            self._say("", "")

    def _say(self, text: str, style: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(style)

    def fields(self) -> tuple[str, S3Access] | None:
        """The place and how to reach it; None (and the reason shown) when a field is not right."""
        address, bucket = self.address.text().strip(), self.bucket.text().strip()
        folder, region = self.folder.text().strip().strip("/"), self.region.text().strip()
        if not region and valid_address(address):
            region = region_for(address)        # the region the provider's address names, if any
        problems = (
            (not valid_address(address) or "ACCOUNT_ID" in address, self.address,
             self.tr("Type the address your provider gives, starting with https://.")),
            (not valid_bucket(bucket), self.bucket,
             self.tr("Type the bucket's name (letters, digits, dots and hyphens).")),
            (not valid_folder(folder), self.folder,
             self.tr("A folder name cannot have empty parts, “.” or “..”.")),
            (not valid_region(region), self.region,
             self.tr("The region is a short name such as ap-southeast-3, or empty.")),
            (not self.access_key.text().strip(), self.access_key, self.tr("Type the access key.")),
            (not self.secret_key.text().strip(), self.secret_key, self.tr("Type the secret key.")),
        )
        for bad, edit, text in problems:
            if bad:
                self._say(text, ERROR_STYLE)
                edit.setFocus()
                return None
        acc = S3Access(endpoint=address, access_key=self.access_key.text().strip(),
                       secret_key=self.secret_key.text().strip(), region=region)
        return location_of(bucket, folder), acc

    # -- jobs ------------------------------------------------------------------------------------------
    def _busy(self) -> bool:
        return self._job is not None and not self._job.done

    def _run(self, fn, name: str, finished, failed) -> None:
        def alive(cb):
            return lambda arg: cb(arg) if shiboken6.isValid(self) else None

        def end(cb):
            def run(arg):
                self._job = None
                self._enable(True)
                cb(arg)
            return alive(run)
        self._enable(False)
        self._job = self.ctx.start(fn, name, on_finished=end(finished), on_failed=end(failed))

    def _enable(self, on: bool) -> None:
        self.test_button.setEnabled(on)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(on)

    def test_connection(self) -> None:
        got = self.fields()
        if got is None or self._busy():
            return
        location, acc = got
        self._say(self.tr("Testing the connection…"), "")
        self._run(lambda progress, cancel: check_connection(location, acc), "connection test",
                  lambda res: self._show_check(res, acc), lambda exc: self._say(error_text(exc), ERROR_STYLE))

    def _show_check(self, res: ConnectionCheck, acc: S3Access) -> None:
        self.check = res
        if res.ok:
            text = self.tr("Connected: the bucket can be written and read.")
            style = OK_STYLE
            if res.holds_backups:
                text += " " + self.tr("It holds KasirBackup backups already; new ones are added to them.")
            elif res.holds_other_files:
                text += " " + self.tr("But the folder holds other files: type a new folder name.")
                style = WARN_STYLE
            self._say(text, style)
            return
        self._say(self.problem_text(res, acc), ERROR_STYLE)

    def problem_text(self, res: ConnectionCheck, acc: S3Access) -> str:
        parts = urlsplit(acc.endpoint)
        host = parts.hostname or acc.endpoint
        bucket = self.bucket.text().strip()
        texts = {
            Problem.WRONG_SECRET: self.tr("Could not connect: the secret key is wrong. Check the keys from your "
                                          "provider."),
            Problem.UNKNOWN_KEY: self.tr("Could not connect: the provider does not know this access key. Check the "
                                         "keys from your provider."),
            Problem.NO_BUCKET: self.tr("Could not connect: there is no bucket named {bucket} at this provider. "
                                       "Check the name, or create the bucket in your provider's console "
                                       "first.").format(bucket=bucket),
            Problem.DENIED: self.tr("Could not connect: these keys may not write, read and delete in this bucket. "
                                    "Give them read and write access in your provider's console."),
            Problem.NO_SUCH_HOST: self.tr("Could not connect: the address {host} cannot be found. Check the address "
                                          "and the internet connection.").format(host=host),
            Problem.REFUSED: self.tr("Could not connect: nothing answers at {host}. Check the "
                                     "address.").format(host=host),
            Problem.NO_NETWORK: self.tr("Could not connect: no answer from {host}. Check the internet connection "
                                        "and try again.").format(host=host),
            Problem.TLS: self.tr("Could not connect: no secure connection could be made to {host}. Check the "
                                 "address (https:// or http://) and the computer's date and time.").format(host=host),
            Problem.NOT_READ_BACK: self.tr("Connected, but what was read back is not what was written. Try again; "
                                           "if it stays so, ask your provider."),
            Problem.INVALID: self.tr("Could not connect: the bucket or folder name is not valid."),
        }
        return texts.get(res.problem) or self.tr("Could not connect: the provider answered with an error "
                                                 "({code}). Try again later.").format(code=res.detail)

    def add(self) -> None:
        got = self.fields()
        if got is None or self._busy():
            return
        location, acc = got
        self._say(self.tr("Saving the keys…"), "")

        def saved(loc: str) -> None:
            self.location = loc
            self.accept()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NoSecureStore):
                self._say(self.tr("This computer has no secure credential store, so the keys cannot be saved on "
                                  "it. Nothing was added."), ERROR_STYLE)
            else:
                self._say(error_text(exc), ERROR_STYLE)
        self._run(lambda progress, cancel: add_place(location, acc), "add online storage", saved, failed)
