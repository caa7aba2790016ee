"""The guided setup: pick the database → pick the backup folder (and encryption) → choose the
nightly time → the first backup, which must come back verified before the page says the shop
is protected. Used on first start and for "Add database…".

All file-system work (checking the database, searching for databases and disks, probing the
folder, creating the repository) runs in jobs; the pages only show results. File dialogs are
asked through ``SetupWizard._ask_database_file`` / ``_ask_folder`` (tests replace them)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QRadioButton, QTimeEdit, QVBoxLayout, QWidget, QWizard, QWizardPage)

from ..app import discover
from ..app.history import Result
from ..app.sample import create_sample_db, sample_db_path
from ..app.scheduling import next_fire
from ..app.settings import Profile, Schedule
from ..core.sqlitefile import check_source
from .context import AppContext
from .dialogs import handle_repo_error
from .i18n import error_text, fmt_datetime, fmt_in, fmt_number, fmt_size
from .dbsummary import DbSummary, summarize_db
from .i18n import phase_text

log = logging.getLogger("kasirbackup.gui")

DB_FILTER_PATTERNS = "*.db *.sqlite *.sqlite3 *.db3"
GENERIC_STEMS = {"database", "db", "data", "app", "main", "store", "sqlite"}
MIN_PASSPHRASE = 8
ERROR_STYLE = "color: #b3261e;"
WARN_STYLE = "color: #8a5300;"
OK_STYLE = "color: #1e7b34;"


def _alive(obj, fn):
    """A callback that does nothing once ``obj``'s widget is gone (the wizard closed while a
    job was still running)."""
    def call(*args):
        if shiboken6.isValid(obj):
            fn(*args)
    return call


def _debouncer(parent: QWidget, fn) -> QTimer:
    """Check a typed path once the typing pauses (textEdited: only the user's own typing)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(500)
    timer.timeout.connect(fn)
    return timer


def _wrapping(text: str = "", name: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMinimumWidth(200)     # else a long (translated) text widens the whole wizard
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    if style:
        label.setStyleSheet(style)
    return label


def profile_name_for(db_path: str, taken: set[str]) -> str:
    """A unique profile name from the database's file name ("kasir", "kasir 2", …); a generic
    name like database.db takes its folder's name too ("instance database")."""
    p = Path(db_path)
    base = p.stem.strip() or "database"
    if base.lower() in GENERIC_STEMS and p.parent.name:
        base = f"{p.parent.name} {base}"
    base = "".join(c for c in base if ord(c) >= 32)[:90] or "database"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} {n}"
    return name


@dataclass(slots=True)
class _Prepared:
    repo_id: str
    stored: bool | None      # passphrase in the credential store: True, False (none exists), None (plain)


# -- page 1: the database ------------------------------------------------------------------------

class DatabasePage(QWizardPage):
    def __init__(self, wiz: "SetupWizard") -> None:
        super().__init__(wiz)
        self.wiz = wiz
        self.setObjectName("databasePage")
        self.summary: DbSummary | None = None
        self.error: BaseException | None = None
        self._checked_text = ""
        self._gen = 0
        self._search_job = None
        self._sample_job = None
        self._searched = False
        self._found: discover.Discovery | None = None

        lay = QVBoxLayout(self)
        self.intro = _wrapping(name="dbIntro")
        lay.addWidget(self.intro)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("dbPathEdit")
        self.path_edit.editingFinished.connect(lambda: self.set_path(self.path_edit.text()))
        self._typed = _debouncer(self, lambda: self.set_path(self.path_edit.text()))
        self.path_edit.textEdited.connect(self._typed.start)
        self.path_edit.textEdited.connect(self.completeChanged)
        self.browse = QPushButton()
        self.browse.setObjectName("browseDbButton")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        lay.addLayout(row)
        self.info = _wrapping(name="dbInfoLabel")
        self.err = _wrapping(name="dbErrorLabel", style=ERROR_STYLE)
        self.err.hide()
        lay.addWidget(self.info)
        lay.addWidget(self.err)

        self.found_box = QGroupBox()
        self.found_box.setObjectName("detectedBox")
        fl = QVBoxLayout(self.found_box)
        self.detected = QListWidget()
        self.detected.setObjectName("detectedList")
        self.detected.setMinimumHeight(90)
        self.detected.setAlternatingRowColors(True)
        self.detected.setSpacing(2)
        self.detected.setWordWrap(True)
        self.detected.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detected.itemClicked.connect(self._picked)
        self.detected.itemActivated.connect(self._picked)
        fl.addWidget(self.detected, 1)
        srow = QHBoxLayout()
        self.search_status = _wrapping(name="searchStatus")
        self.search_busy = QProgressBar()
        self.search_busy.setObjectName("searchBusy")
        self.search_busy.setRange(0, 0)
        self.search_busy.setMaximumWidth(90)
        self.search_busy.setTextVisible(False)
        self.search_button = QPushButton()
        self.search_button.setObjectName("searchButton")
        self.search_button.clicked.connect(self._search_clicked)
        srow.addWidget(self.search_status, 1)
        srow.addWidget(self.search_busy)
        srow.addWidget(self.search_button)
        fl.addLayout(srow)
        lay.addWidget(self.found_box, 1)

        samp = QHBoxLayout()
        self.sample = QPushButton()
        self.sample.setObjectName("sampleButton")
        self.sample.clicked.connect(self.use_sample)
        self.sample_note = _wrapping(name="sampleNote")
        samp.addWidget(self.sample, 0, Qt.AlignmentFlag.AlignTop)
        samp.addWidget(self.sample_note, 1)
        lay.addLayout(samp)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Which database should be backed up?"))
        self.setSubTitle(self.tr("Pick the database file of your cash register or bookkeeping program."))
        self.intro.setText(self.tr("It is usually a file named like kasir.db, pos.db or database.sqlite in "
                                   "the program's folder. Backups are taken while the program keeps running."))
        self.path_edit.setPlaceholderText(self.tr("The database file, for example D:\\Toko\\kasir.db"))
        self.browse.setText(self.tr("Browse…"))
        self.found_box.setTitle(self.tr("Databases found on this computer"))
        self.sample.setText(self.tr("Try with a sample shop database"))
        self.sample_note.setText(self.tr("Not ready to use the real one? A demo minimart database is made in "
                                         "KasirBackup's own folder, so you can see backups and restores work "
                                         "without touching your shop's data."))
        self._show_search_state()
        self._show_check()

    def initializePage(self) -> None:
        if not self._searched:
            self._searched = True
            self.start_search()

    # -- choosing ---------------------------------------------------------------------------
    def _browse(self) -> None:
        path = self.wiz._ask_database_file()
        if path:
            self.set_path(path)

    def _picked(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.set_path(path)

    def set_path(self, path: str) -> None:
        """Check ``path`` (in a job) and show its summary or the reason it cannot be used."""
        path = path.strip().strip('"')
        if path == self._checked_text and self.summary is not None:
            return
        self._typed.stop()
        self._gen += 1
        gen = self._gen
        if self.path_edit.text() != path:
            self.path_edit.setText(path)
        self._checked_text = path
        self.summary, self.error = None, None
        self.completeChanged.emit()
        if not path:
            self._show_check()
            return
        self.info.setText(self.tr("Checking the file…"))
        self.info.setStyleSheet("")
        self.err.hide()

        def work(progress, cancel):
            return summarize_db(path)

        def done(summary: DbSummary) -> None:
            if gen == self._gen:
                self.summary = summary
                self._show_check()
                self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            if gen == self._gen:
                self.error = exc
                self._show_check()
                self.completeChanged.emit()

        self.wiz.ctx.start(work, "check database", on_finished=_alive(self, done), on_failed=_alive(self, failed))

    def _show_check(self) -> None:
        if self.error is not None:
            self.info.clear()
            self.err.setText(error_text(self.error))
            self.err.show()
            return
        self.err.hide()
        s = self.summary
        if s is None:
            if not self._checked_text:
                self.info.setText(self.tr("No database chosen yet."))
            return
        tables = [(n, c) for n, c in s.tables.items() if not n.startswith("sqlite_")]
        shown = ", ".join(self.tr("{table} ({rows} rows)").format(table=n, rows=fmt_number(c)) if c is not None
                          else n for n, c in tables[:8])
        if len(tables) > 8:
            shown += ", " + self.tr("and {n} more").format(n=len(tables) - 8)
        text = self.tr("{name}: {size}, {n} tables: {tables}.").format(
            name=Path(s.path).name, size=fmt_size(s.size), n=len(tables), tables=shown or "–")
        other = self.wiz.profile_for_db(s.path)
        if other:
            text += " " + self.tr("Note: this database is already backed up as “{name}”.").format(name=other)
        self.info.setText(text)
        self.info.setStyleSheet(OK_STYLE if not other else WARN_STYLE)

    def isComplete(self) -> bool:
        return self.summary is not None and self.path_edit.text().strip().strip('"') == self._checked_text

    def validatePage(self) -> bool:
        return self.isComplete()

    # -- the sample -------------------------------------------------------------------------
    def use_sample(self) -> None:
        if self._sample_job is not None:
            return
        self.sample.setEnabled(False)
        self.info.setText(self.tr("Making the sample database…"))
        self.err.hide()

        def work(progress, cancel):
            target = sample_db_path()
            try:
                check_source(target)
                return str(target)       # made earlier (a previous setup): keep it, it may be backed up
            except Exception:
                return str(create_sample_db(target))

        def done(path: str) -> None:
            self._sample_job = None
            self.sample.setEnabled(True)
            self.set_path(path)

        def failed(exc: BaseException) -> None:
            self._sample_job = None
            self.sample.setEnabled(True)
            self.error = exc
            self._show_check()

        self._sample_job = self.wiz.ctx.start(work, "sample database", on_finished=_alive(self, done),
                                              on_failed=_alive(self, failed))

    # -- searching --------------------------------------------------------------------------
    def _search_clicked(self) -> None:
        if self._search_job is not None:
            self._search_job.cancel()
        else:
            self.start_search()

    def start_search(self) -> None:
        self.detected.clear()
        self._found = None
        from ..app.paths import config_dir, data_dir
        exclude = [str(sample_db_path()), str(data_dir()), str(config_dir())]

        def work(progress, cancel):
            return discover.find_databases(cancel=cancel, progress=progress, exclude=exclude)

        def done(found: discover.Discovery) -> None:
            self._search_job = None
            self._found = found
            for c in found.candidates:
                self._add_candidate(c)
            self._show_search_state()

        def ended() -> None:
            self._search_job = None
            self._show_search_state()

        self._search_job = self.wiz.ctx.start(work, "find databases", on_finished=_alive(self, done),
                                              on_failed=_alive(self, lambda exc: ended()),
                                              on_cancelled=_alive(self, ended))
        self._show_search_state()

    def _add_candidate(self, c: discover.Candidate) -> None:
        first = "{} · {}".format(c.path.name, fmt_size(c.size))
        other = self.wiz.profile_for_db(str(c.path))
        if other:
            first += " · " + self.tr("already backed up as “{name}”").format(name=other)
        item = QListWidgetItem("{}\n{}".format(first, str(c.path.parent)))
        item.setData(Qt.ItemDataRole.UserRole, str(c.path))
        item.setToolTip(str(c.path))
        self.detected.addItem(item)

    def _show_search_state(self) -> None:
        running = self._search_job is not None
        self.search_busy.setVisible(running)
        self.search_button.setText(self.tr("Stop searching") if running else self.tr("Search again"))
        if running:
            self.search_status.setText(self.tr("Looking for databases in the usual folders…"))
        elif self._found is None:
            self.search_status.setText(self.tr("The search was stopped. Use Browse… to pick the file."))
        elif not self._found.candidates:
            self.search_status.setText(self.tr("No database was found in the usual folders. Use Browse… to "
                                               "pick the file."))
        else:
            n = len(self._found.candidates)
            self.search_status.setText(self.tr("Found {n}. Click the one your program uses.").format(n=n))
        if self._found is not None and not self._found.complete:
            self.search_status.setText(self.search_status.text() + " " + self.tr(
                "(The search stopped after the usual folders took too long; if yours is not listed, use "
                "Browse….)"))

    def stop(self) -> None:
        if self._search_job is not None:
            self._search_job.cancel()


# -- page 2: the backup folder -------------------------------------------------------------------

class FolderPage(QWizardPage):
    def __init__(self, wiz: "SetupWizard") -> None:
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


# -- page 3: the time ----------------------------------------------------------------------------

class SchedulePage(QWizardPage):
    def __init__(self, wiz: "SetupWizard") -> None:
        super().__init__(wiz)
        self.wiz = wiz
        self.setObjectName("schedulePage")
        self.setCommitPage(True)
        lay = QVBoxLayout(self)
        self.intro = _wrapping(name="scheduleIntro")
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.time = QTimeEdit(QTime(21, 0))
        self.time.setObjectName("timeEdit")
        self.time.setDisplayFormat("HH:mm")
        self.time.timeChanged.connect(self._update_next)
        self.time.setMinimumWidth(90)
        trow = QHBoxLayout()
        trow.addWidget(self.time)
        trow.addStretch(1)
        self.time_label = QLabel()
        form.addRow(self.time_label, trow)
        often = QVBoxLayout()
        self.daily = QRadioButton()
        self.daily.setObjectName("dailyRadio")
        self.daily.setChecked(True)
        wrow = QHBoxLayout()
        self.weekly = QRadioButton()
        self.weekly.setObjectName("weeklyRadio")
        self.weekday = QComboBox()
        self.weekday.setObjectName("weekdayCombo")
        self.weekday.addItems([""] * 7)
        self.weekday.setCurrentIndex(5)      # Saturday: the end of the shop's week
        self.weekday.setEnabled(False)
        wrow.addWidget(self.weekly)
        wrow.addWidget(self.weekday)
        wrow.addStretch(1)
        group = QButtonGroup(self)
        group.addButton(self.daily)
        group.addButton(self.weekly)
        self.weekly.toggled.connect(self.weekday.setEnabled)
        self.weekly.toggled.connect(self._update_next)
        self.weekday.currentIndexChanged.connect(self._update_next)
        often.addWidget(self.daily)
        often.addLayout(wrow)
        self.often_label = QLabel()
        form.addRow(self.often_label, often)
        lay.addLayout(form)
        self.next = _wrapping(name="nextLabel")
        self.next.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.next)
        self.note = _wrapping(name="scheduleNote")
        lay.addWidget(self.note)
        lay.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        from PySide6.QtCore import QLocale

        self.setTitle(self.tr("When should the backup run?"))
        self.setSubTitle(self.tr("Choose a time after the shop closes, when the computer is usually still on."))
        self.intro.setText(self.tr("KasirBackup makes the backup by itself at this time, even while the cash "
                                   "register program is open."))
        self.time_label.setText(self.tr("Time:"))
        self.often_label.setText(self.tr("How often:"))
        self.daily.setText(self.tr("Every day"))
        self.weekly.setText(self.tr("Once a week, on"))
        loc = QLocale()
        for i in range(7):
            self.weekday.setItemText(i, loc.dayName(i + 1))
        self.note.setText(self.tr("If the computer is off at that time, the backup runs a minute after "
                                  "KasirBackup starts again. The first backup is made now."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Make the first backup"))
        self._update_next()

    def schedule(self) -> Schedule:
        t = self.time.time()
        hhmm = "{:02d}:{:02d}".format(t.hour(), t.minute())
        if self.weekly.isChecked():
            return Schedule("weekly", hhmm, [self.weekday.currentIndex()])
        return Schedule("daily", hhmm)

    def _update_next(self, *args) -> None:
        ctx = self.wiz.ctx
        now = ctx.now()
        when = next_fire(self.schedule(), now, ctx.tz)
        self.next.setText(self.tr("Next backup: {when} ({distance})").format(
            when=fmt_datetime(when), distance=fmt_in(when, now)) if when else "")

    def initializePage(self) -> None:
        self._update_next()


# -- page 4: the first backup --------------------------------------------------------------------

class FirstBackupPage(QWizardPage):
    def __init__(self, wiz: "SetupWizard") -> None:
        super().__init__(wiz)
        self.wiz = wiz
        self.setObjectName("firstBackupPage")
        self.finished = False
        self.result = None
        self._failure: str = ""
        self._stored: bool | None = None
        self._busy = False
        lay = QVBoxLayout(self)
        self.summary = _wrapping(name="summaryLabel")
        lay.addWidget(self.summary)
        self.phase = _wrapping(name="phaseLabel")
        lay.addWidget(self.phase)
        self.bar = QProgressBar()
        self.bar.setObjectName("progressBar")
        lay.addWidget(self.bar)
        self.protected = QLabel()
        self.protected.setObjectName("protectedLabel")
        self.protected.setStyleSheet("color: #1e7b34; font-size: 16pt; font-weight: bold;")
        self.protected.hide()
        lay.addWidget(self.protected)
        self.detail = _wrapping(name="resultLabel")
        lay.addWidget(self.detail)
        self.key_note = _wrapping(name="keyNote", style=WARN_STYLE)
        self.key_note.hide()
        lay.addWidget(self.key_note)
        self.err = _wrapping(name="errorLabel", style=ERROR_STYLE)
        self.err.hide()
        lay.addWidget(self.err)
        row = QHBoxLayout()
        self.retry = QPushButton()
        self.retry.setObjectName("retryButton")
        self.retry.hide()
        self.retry.clicked.connect(self.start)
        row.addWidget(self.retry)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        bus = wiz.ctx.bus
        bus.backup_progress.connect(self._progress)
        bus.backup_finished.connect(self._finished)
        bus.backup_failed.connect(self._failed)
        bus.backup_cancelled.connect(self._cancelled)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("The first backup"))
        self.setSubTitle(self.tr("KasirBackup copies the database, then restores the copy as a test to be sure "
                                 "it can be used."))
        self.protected.setText(self.tr("You are protected"))
        self.retry.setText(self.tr("Try again"))
        self._show()

    def initializePage(self) -> None:
        if self.wiz.profile is None and not self.wiz.create_profile():
            self.finished = True
            self._failure = self.wiz.create_error
            self._show()
            return
        self.start()

    def start(self) -> None:
        if self._busy:
            return
        p = self.wiz.profile
        if p is None:
            self.initializePage()
            return
        self._busy, self.finished, self.result, self._failure = True, False, None, ""
        self.wiz.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.bar.setRange(0, 0)
        self.phase.setText(self.tr("Preparing the backup folder…"))
        self._show()
        self.completeChanged.emit()
        passphrase = self.wiz.passphrase
        location, db = p.repos[0], p.db_path

        def work(progress, cancel):
            from ..app.credentials import NoSecureStore, keyring_set, remember_for_session
            from ..core.repo.repository import CONFIG_NAME, Repository

            check_source(db)                       # the database's own errors, translated
            if (Path(location) / CONFIG_NAME).is_file():
                repo = AppContext.open_repo(location)     # existing (maybe encrypted) backups
                return _Prepared(repo.config.id, None)
            if passphrase:
                repo = Repository.init(location, encrypt_with=passphrase)
                remember_for_session(repo.config.id, passphrase)
                try:
                    keyring_set(repo.config.id, passphrase)
                    return _Prepared(repo.config.id, True)
                except NoSecureStore:
                    return _Prepared(repo.config.id, False)
            repo = Repository.init(location)
            return _Prepared(repo.config.id, None)

        def prepared(res: _Prepared) -> None:
            if res.stored is not None:
                self._stored = res.stored
                self.wiz.passphrase = None       # in the store / this session's memory now
            if self.wiz.ctx.backup_now(p) is None:
                self.phase.setText(self.tr("A backup of this database is running already; waiting for it…"))

        def failed(exc: BaseException) -> None:
            self._busy = False
            if handle_repo_error(self, exc) if _needs_passphrase(exc) else False:
                self.start()
                return
            self._end(error_text(exc))

        self.wiz.ctx.start(work, "prepare backup folder", on_finished=_alive(self, prepared),
                           on_failed=_alive(self, failed))

    def _mine(self, name: str) -> bool:
        return self._busy and self.wiz.profile is not None and name == self.wiz.profile.name

    def _progress(self, name: str, phase: str, done: int, total: int) -> None:
        if not self._mine(name):
            return
        self.phase.setText(phase_text(phase))
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
        else:
            self.bar.setRange(0, 0)

    def _finished(self, name: str, res) -> None:
        if not self._mine(name):
            return
        self.result = res
        if res.result == Result.SUCCESS:
            self._end("")
        else:
            self._end(self.tr("The first backup did not succeed: {detail}").format(detail=res.message))

    def _failed(self, name: str, exc: BaseException) -> None:
        if self._mine(name):
            self._end(error_text(exc))

    def _cancelled(self, name: str) -> None:
        if self._mine(name):
            self._end(self.tr("The backup was stopped; nothing was changed."))

    def _end(self, failure: str) -> None:
        self._busy = False
        self.finished = True
        self._failure = failure
        self.wiz.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)   # Finish is the way out
        self.bar.setRange(0, 1)
        self.bar.setValue(1 if not failure else 0)
        self._show()
        self.completeChanged.emit()

    def _show(self) -> None:
        p = self.wiz.profile
        if p is not None:
            self.summary.setText(self.tr("Database: {db}\nBackups: {repo}\nSchedule: {when}").format(
                db=p.db_path, repo=p.repos[0], when=self.wiz.schedule_text(p.schedule)))
        ok = self.finished and not self._failure
        self.protected.setVisible(ok)
        self.bar.setVisible(not self.finished or not ok)
        self.phase.setVisible(not self.finished)
        self.err.setVisible(bool(self._failure))
        self.err.setText(self._failure)
        self.retry.setVisible(self.finished and bool(self._failure) and p is not None)
        if ok:
            ctx = self.wiz.ctx
            when = next_fire(p.schedule, ctx.now(), ctx.tz)
            self.detail.setText(self.tr("The backup was checked by a test restore. The next one runs by itself "
                                        "on {when}. Keep KasirBackup running (it waits in the tray next to the "
                                        "clock).").format(when=fmt_datetime(when)))
        elif self.finished and self._failure:
            self.detail.setText(self.tr("The database is set up and will be backed up on schedule; try again "
                                        "now, or finish and look at the main window."))
        else:
            self.detail.clear()
        self.key_note.setVisible(self._stored is False)
        self.key_note.setText(self.tr("This computer has no secure credential store, so the passphrase is kept in "
                                      "memory only. After a restart KasirBackup will ask for it again before the "
                                      "next backup."))

    def isComplete(self) -> bool:
        return self.finished

    def disconnect_bus(self) -> None:
        bus = self.wiz.ctx.bus
        for sig, slot in ((bus.backup_progress, self._progress), (bus.backup_finished, self._finished),
                          (bus.backup_failed, self._failed), (bus.backup_cancelled, self._cancelled)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass


def _needs_passphrase(exc: BaseException) -> bool:
    from ..core.repo.crypto import PassphraseNeeded, WrongPassphrase

    return isinstance(exc, (PassphraseNeeded, WrongPassphrase)) and bool(exc.params.get("repo_id"))


# -- the wizard ----------------------------------------------------------------------------------

class SetupWizard(QWizard):
    profile_created = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, db_path: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("setupWizard")
        self.profile: Profile | None = None
        self.passphrase: str | None = None
        self.create_error = ""
        self._emitted = False
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.db_page = DatabasePage(self)
        self.folder_page = FolderPage(self)
        self.schedule_page = SchedulePage(self)
        self.backup_page = FirstBackupPage(self)
        for page in (self.db_page, self.folder_page, self.schedule_page, self.backup_page):
            self.addPage(page)
        self.retranslate()
        self.resize(760, 600)
        if db_path:
            self.db_page.set_path(str(db_path))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up KasirBackup"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            for page in (self.db_page, self.folder_page, self.schedule_page, self.backup_page):
                page.retranslate()
        super().changeEvent(event)

    # -- file dialogs (tests replace these two) ---------------------------------------------
    def _ask_database_file(self) -> str | None:
        start = str(Path(self.db_page.path_edit.text()).parent) if self.db_page.path_edit.text() else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Pick the database file"), start,
            self.tr("Databases ({patterns});;All files (*)").format(patterns=DB_FILTER_PATTERNS))
        return path or None

    def _ask_folder(self) -> str | None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Pick the folder for the backups"),
                                                self.folder_page.folder_edit.text() or str(Path.home()))
        return path or None

    # -- shared state -----------------------------------------------------------------------
    def db_path(self) -> str:
        s = self.db_page.summary
        return s.path if s is not None else ""

    def profile_for_db(self, path: str) -> str | None:
        """The name of an existing profile that backs up ``path``, if any."""
        try:
            target = os.path.normcase(str(Path(path).resolve()))
        except OSError:
            return None
        for p in self.ctx.profiles():
            try:
                if os.path.normcase(str(Path(p.db_path).resolve())) == target:
                    return p.name
            except OSError:
                continue
        return None

    def profile_name(self) -> str:
        if self.profile is not None:
            return self.profile.name
        return profile_name_for(self.db_path() or "database", {p.name for p in self.ctx.profiles()})

    def schedule_text(self, s: Schedule) -> str:
        if s.kind == "weekly":
            from PySide6.QtCore import QLocale
            return self.tr("every {day} at {time}").format(day=QLocale().dayName(s.weekdays[0] + 1), time=s.time)
        return self.tr("every day at {time}").format(time=s.time)

    def create_profile(self) -> bool:
        """Save the new profile (on the GUI thread: a small settings file)."""
        plan = self.folder_page.plan
        if plan is None or not self.db_path():
            self.create_error = self.tr("Go back and pick the database and the folder again.")
            return False
        self.passphrase = self.folder_page.passphrase()
        settings = self.ctx.settings()
        taken = {p.name for p in settings.profiles}
        name = self.profile_name()
        if name in taken:
            name = profile_name_for(self.db_path(), taken)
        profile = Profile(name, self.db_path(), [str(plan.target)], schedule=self.schedule_page.schedule())
        try:
            profile.validate()
            settings.profiles.append(profile)
            self.ctx.save_settings(settings)
        except Exception as exc:
            if profile in settings.profiles:
                settings.profiles.remove(profile)
            log.exception("could not save the new profile")
            self.create_error = error_text(exc)
            return False
        self.profile = profile
        for e in (self.folder_page.pass1, self.folder_page.pass2):
            e.clear()
        log.info("profile %s created: %s -> %s", name, profile.db_path, plan.target)
        return True

    # -- closing ----------------------------------------------------------------------------
    def done(self, result: int) -> None:
        self.db_page.stop()
        accepted = int(getattr(result, "value", result)) == QDialog.DialogCode.Accepted.value
        if self.profile is not None and self.backup_page._busy and not accepted:
            self.ctx.cancel_backup(self.profile.name)
        self.backup_page.disconnect_bus()
        self.passphrase = None
        super().done(result)
        if self.profile is not None and not self._emitted:
            self._emitted = True
            self.profile_created.emit(self.profile.name)
