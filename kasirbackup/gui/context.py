"""The application context every window shares: settings, run history, the job runner and
one application-level signal bus (as in Vorta): a backup started from the tray, the main
window or the scheduler is seen by every window the same way."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from PySide6.QtCore import QCoreApplication, QObject, Signal

from ..app.history import History, Trigger
from ..app.runner import RunResult, run_profile
from ..app.settings import Profile, Settings, SettingsStore
from ..app.status import ProfileStatus, profile_status
from ..app.scheduling import local_tz
from ..core.progress import CancelToken, Progress
from ..core.repo.repository import Repository
from .jobs import Job, JobRunner

log = logging.getLogger("kasirbackup.gui")


def translate_error(text: str) -> str:
    """Engine error templates in the interface language (thread-safe: used on workers)."""
    return QCoreApplication.translate("errors", text)


def outcome_text(res: RunResult) -> str:
    """Why a run failed, in the interface language: the first failed repository's error."""
    from .i18n import error_text

    bad = next((o for o in res.outcomes if not o.ok), None)
    if bad is None:
        return res.message
    return error_text(bad.error) if bad.error is not None else bad.message


class Bus(QObject):
    backup_started = Signal(str)                  # profile name
    backup_progress = Signal(str, str, int, int)  # profile, phase, done, total
    backup_finished = Signal(str, object)         # profile, RunResult
    backup_failed = Signal(str, object)           # profile, exception (not a user-level result)
    backup_cancelled = Signal(str)
    settings_changed = Signal()
    history_changed = Signal()
    repository_changed = Signal(str)              # a repository location whose snapshots changed
    database_changed = Signal(str)                # a database file a restore, undo or import changed
    language_changed = Signal(str)
    show_window = Signal()                        # a second launch asked for the window
    open_file = Signal(str)                       # ... and passed a database file


class AppContext(QObject):
    def __init__(self, store: SettingsStore | None = None, history: History | None = None,
                 jobs: JobRunner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store or SettingsStore()
        self.history = history or History()
        self.jobs = jobs or JobRunner(parent=self)
        self.bus = Bus(self)
        self.tz = local_tz()
        self.schedule_service = None      # set by the application when the scheduler runs
        self._settings: Settings | None = None
        self._running: dict[str, Job] = {}
        self._run_guard = threading.Lock()

    # -- settings -----------------------------------------------------------------------------
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.store.load()
        return self._settings

    def save_settings(self, settings: Settings) -> None:
        self.store.save(settings)
        self._settings = settings
        if self.schedule_service is not None:
            try:
                self.schedule_service.resync()
            except Exception:
                log.exception("could not re-plan the schedule")
        self.bus.settings_changed.emit()

    def reload_settings(self) -> Settings:
        self._settings = None
        return self.settings()

    def profiles(self) -> list[Profile]:
        return list(self.settings().profiles)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.settings().profiles if p.name == name), None)

    # -- status ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(timezone.utc).astimezone(self.tz)

    def status(self, profile: Profile) -> ProfileStatus:
        return profile_status(profile, self.history, self.now(), self.tz, running=self.is_running(profile.name))

    # -- backups --------------------------------------------------------------------------------
    def is_running(self, name: str) -> bool:
        job = self._running.get(name)
        return job is not None and not job.done

    def backup_now(self, profile: Profile, trigger: Trigger = Trigger.MANUAL) -> Job | None:
        """Start a run of ``profile`` on a worker; None when one is already going on."""
        with self._run_guard:
            if self.is_running(profile.name):
                return None
            name = profile.name

            def work(progress: Progress, cancel: CancelToken) -> RunResult:
                return run_profile(profile, trigger, self.history, progress, cancel, translate=translate_error)

            job = Job(work, f"backup {name}")
            job.progress.connect(lambda ph, d, t: self.bus.backup_progress.emit(name, ph, d, t))
            job.finished.connect(lambda res: self._emit_result(name, res))
            job.failed.connect(lambda exc: self._failed(name, exc))
            job.cancelled.connect(lambda: self._cancelled(name))
            self._running[name] = job
            self.jobs.submit(job)
        self.bus.backup_started.emit(name)
        return job

    def run_blocking(self, profile: Profile, trigger: Trigger) -> RunResult | None:
        """For the scheduler's worker thread: run on that thread, tell the GUI through the bus.
        Signals emitted here are queued to the GUI thread."""
        with self._run_guard:
            if self.is_running(profile.name):
                return None
            marker = _Marker()
            self._running[profile.name] = marker
        self.bus.backup_started.emit(profile.name)
        try:
            res = run_profile(profile, trigger, self.history,
                              lambda ph, d, t: self.bus.backup_progress.emit(profile.name, ph, d, t),
                              marker.cancel_token, translate=translate_error)
        except BaseException as exc:
            marker.done = True
            from ..core.errors import Cancelled
            if isinstance(exc, Cancelled):
                self.bus.backup_cancelled.emit(profile.name)
            else:
                log.exception("scheduled run of %s failed", profile.name)
                self.bus.backup_failed.emit(profile.name, exc)
            self.bus.history_changed.emit()
            return None
        marker.done = True
        self._emit_result(profile.name, res)
        return res

    def cancel_backup(self, name: str) -> None:
        job = self._running.get(name)
        if job is not None:
            job.cancel()

    def _emit_result(self, name: str, res: RunResult) -> None:
        for o in res.outcomes:
            if o.snapshot_id:
                self.bus.repository_changed.emit(o.repo)
        self.bus.backup_finished.emit(name, res)
        self.bus.history_changed.emit()

    def _failed(self, name: str, exc: BaseException) -> None:
        self.bus.backup_failed.emit(name, exc)
        self.bus.history_changed.emit()

    def _cancelled(self, name: str) -> None:
        self.bus.backup_cancelled.emit(name)
        self.bus.history_changed.emit()

    # -- repositories ---------------------------------------------------------------------------
    @staticmethod
    def open_repo(location: str, create: bool = False) -> Repository:
        """On a worker. Encrypted repositories open with the passphrase from the environment,
        this session's memory or the credential store; otherwise ``PassphraseNeeded`` (with
        the repository id) reaches the GUI, which asks and retries."""
        from ..app.credentials import passphrase_source

        return Repository.open(location, create=create, passphrase=passphrase_source(interactive=False))

    def start(self, fn, name: str = "job", **callbacks) -> Job:
        return self.jobs.start(fn, name, **callbacks)

    def shutdown(self, wait_ms: int = 10000) -> None:
        self.jobs.cancel_all()
        for job in self._running.values():
            job.cancel()
        self.jobs.wait(wait_ms)


class _Marker:
    """Stands for a run going on on the scheduler's own worker thread (cancellable)."""

    def __init__(self) -> None:
        self.cancel_token = CancelToken()
        self.done = False

    def cancel(self) -> None:
        self.cancel_token.cancel()
