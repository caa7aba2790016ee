"""Page 1 of the setup wizard: which database to back up (typed, browsed, found by a search,
or the sample shop database)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QGroupBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem,
                               QProgressBar, QPushButton, QVBoxLayout, QWidget, QWizard, QWizardPage)

from ...app import discover
from ...app.attachments import FolderSuggestion, suggest_folders
from ...app.sample import create_sample_db, create_sample_photos, sample_db_path
from ...core.sqlitefile import check_source
from ..dbsummary import DbSummary, summarize_db
from ..i18n import error_text, fmt_number, fmt_size
from .common import ERROR_STYLE, OK_STYLE, WARN_STYLE, _alive, _debouncer, _wrapping


class DatabasePage(QWizardPage):
    def __init__(self, wiz: QWizard) -> None:     # the SetupWizard (not imported: it imports the pages)
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
        # folders of pictures found beside the database, backed up with it (ticked)
        self.attach_box = QWidget()
        self.attach_box.setObjectName("attachBox")
        al = QVBoxLayout(self.attach_box)
        al.setContentsMargins(0, 0, 0, 0)
        self.attach_intro = _wrapping(name="attachIntro")
        al.addWidget(self.attach_intro)
        self.attach_checks: list[QCheckBox] = []
        self._suggested: list = []
        self.attach_box.hide()
        lay.addWidget(self.attach_box)

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
        self._retranslate_suggestions()

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
        self._show_suggestions([])
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
                self._suggest(path, gen)

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

    # -- folders of pictures beside it --------------------------------------------------------
    def _suggest(self, path: str, gen: int) -> None:
        def done(found: list[FolderSuggestion]) -> None:
            if gen == self._gen:
                self._show_suggestions(found)

        self.wiz.ctx.start(lambda progress, cancel: suggest_folders(path), "suggest attachments",
                           on_finished=_alive(self, done), on_failed=lambda exc: None)

    def _show_suggestions(self, found: list[FolderSuggestion]) -> None:
        for cb in self.attach_checks:
            cb.deleteLater()
        self.attach_checks = []
        self._suggested = list(found)
        for s in found:
            cb = QCheckBox(self.attach_box)
            cb.setObjectName("attachCheck")
            cb.setChecked(True)
            self.attach_box.layout().addWidget(cb)
            self.attach_checks.append(cb)
        self.attach_box.setVisible(bool(found))
        self._retranslate_suggestions()

    def _retranslate_suggestions(self) -> None:
        self.attach_intro.setText(self.tr("Pictures and documents found beside the database. Back them up with it, "
                                          "so that a restore brings them back too:"))
        base = Path(self._checked_text).parent if self._checked_text else None
        for cb, s in zip(self.attach_checks, self._suggested):
            try:
                shown = str(Path(s.path).relative_to(base.parent if base and base.parent != base else base))
            except (ValueError, TypeError):
                shown = s.path
            cb.setText(self.tr("{folder} ({files} files, {size})").format(
                folder=shown, files=fmt_number(s.files), size=fmt_size(s.bytes)))
            cb.setToolTip(s.path)

    def attachments(self) -> list[str]:
        """The suggested folders the owner left ticked."""
        return [s.path for cb, s in zip(self.attach_checks, self._suggested) if cb.isChecked()]

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
                check_source(target)     # made earlier (a previous setup): keep it, it may be backed up
            except Exception:
                create_sample_db(target)
            create_sample_photos(target)     # its product pictures (missing ones only)
            return str(target)

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
        from ...app.paths import config_dir, data_dir
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
