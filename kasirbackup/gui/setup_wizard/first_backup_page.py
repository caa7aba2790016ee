"""Page 4 of the setup wizard: the first backup (the backup folder is made, then the backup
runs); it says "You are protected" only once the backup came back verified."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWizard, QWizardPage

from ...app.history import Result
from ...app.scheduling import next_fire
from ...core.sqlitefile import check_source
from ..context import AppContext
from ..dialogs import handle_repo_error
from ..i18n import error_text, fmt_datetime, phase_text
from .common import ERROR_STYLE, WARN_STYLE, _alive, _wrapping


@dataclass(slots=True)
class _Prepared:
    repo_id: str
    stored: bool | None      # passphrase in the credential store: True, False (none exists), None (plain)
    # (what the setup created on the way is noted in the wizard's SetupTrail, for a cancel)


class FirstBackupPage(QWizardPage):
    def __init__(self, wiz: QWizard) -> None:     # the SetupWizard (not imported: it imports the pages)
        super().__init__(wiz)
        self.wiz = wiz
        self.setObjectName("firstBackupPage")
        self.finished = False
        self.result = None
        self._failure: str = ""
        self._stored: bool | None = None
        self._busy = False
        self.prepare_job = None      # the job that makes the backup folder (a cancel waits for it)
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
        trail = self.wiz.trail

        def work(progress, cancel):
            from ...app.credentials import NoSecureStore, keyring_set, remember_for_session
            from ...app.setup_trail import missing_folders
            from ...core.repo.repository import CONFIG_NAME, Repository

            check_source(db)                       # the database's own errors, translated
            if (Path(location) / CONFIG_NAME).is_file():
                repo = AppContext.open_repo(location)     # existing (maybe encrypted) backups
                return _Prepared(repo.config.id, None)
            # noted for a cancel: the folders made here and the repository's id (read on the GUI
            # thread only after this job has ended)
            trail.created_folders = list(dict.fromkeys(missing_folders(Path(location)) + trail.created_folders))
            if passphrase:
                repo = Repository.init(location, encrypt_with=passphrase)
                trail.repo_id = repo.config.id
                remember_for_session(repo.config.id, passphrase)
                try:
                    keyring_set(repo.config.id, passphrase)
                    trail.stored_passphrase = True
                    return _Prepared(repo.config.id, True)
                except NoSecureStore:
                    return _Prepared(repo.config.id, False)
            repo = Repository.init(location)
            trail.repo_id = repo.config.id
            return _Prepared(repo.config.id, None)

        def prepared(res: _Prepared) -> None:
            if trail.cancelled:                  # the setup was cancelled meanwhile: no backup now
                return
            if res.stored is not None:
                self._stored = res.stored
                self.wiz.passphrase = None       # in the store / this session's memory now
            if self.wiz.ctx.backup_now(p) is None:
                self.phase.setText(self.tr("A backup of this database is running already; waiting for it…"))

        def failed(exc: BaseException) -> None:
            self._busy = False
            if trail.cancelled:
                return
            if handle_repo_error(self, exc) if _needs_passphrase(exc) else False:
                self.start()
                return
            self._end(error_text(exc))

        self.prepare_job = self.wiz.ctx.start(work, "prepare backup folder", on_finished=_alive(self, prepared),
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
        # Finish is the way out; after a failure Cancel too (it removes the database from KasirBackup)
        self.wiz.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, not failure)
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
            if self.wiz.schedule_page.start_login.isChecked():
                text = self.tr("The backup was checked by a test restore. The next one runs by itself on {when}. "
                               "KasirBackup waits in the tray next to the clock and starts again when you log in.")
            else:
                text = self.tr("The backup was checked by a test restore. The next one runs on {when}, but only "
                               "while KasirBackup is running: it does not start by itself after the computer "
                               "restarts.")
            self.detail.setText(text.format(when=fmt_datetime(when)))
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

    def verified_backup(self) -> bool:
        """The first backup came back verified."""
        return self.finished and not self._failure and self.result is not None and self.result.ok

    def disconnect_bus(self) -> None:
        bus = self.wiz.ctx.bus
        for sig, slot in ((bus.backup_progress, self._progress), (bus.backup_finished, self._finished),
                          (bus.backup_failed, self._failed), (bus.backup_cancelled, self._cancelled)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass


def _needs_passphrase(exc: BaseException) -> bool:
    from ...core.repo.crypto import PassphraseNeeded, WrongPassphrase

    return isinstance(exc, (PassphraseNeeded, WrongPassphrase)) and bool(exc.params.get("repo_id"))
