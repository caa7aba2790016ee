"""The application context every window shares: settings, run history, the job runner and
one application-level signal bus (as in Vorta): a backup started from the tray, the main
window or the scheduler is seen by every window the same way."""

from __future__ import annotations

import dataclasses
import logging
import threading
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ..app import ossched
from ..app.autostart import LoginStart
from ..app.history import History, Operation, Trigger
from ..app.oplog import Sink, profile_for
from ..app.runner import RunResult, run_profile
from ..app.settings import Profile, Settings, SettingsStore
from ..app.status import AppStatus, ProfileStatus, RestartCover, app_status, profile_status
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
    startup_changed = Signal()                    # what starts KasirBackup after a restart is known anew
    show_window = Signal()                        # a second launch asked for the window
    open_file = Signal(str)                       # ... and passed a database file


class AppContext(QObject):
    def __init__(self, store: SettingsStore | None = None, history: History | None = None,
                 jobs: JobRunner | None = None, parent: QObject | None = None,
                 login: LoginStart | None = None) -> None:
        super().__init__(parent)
        self.store = store or SettingsStore()
        self.history = history or History()
        self.jobs = jobs or JobRunner(parent=self)
        self.login = login or LoginStart()     # start with login on this computer
        self.bus = Bus(self)
        self.tz = local_tz()
        self.schedule_service = None      # set by the application when the scheduler runs
        self.restart_cover: RestartCover | None = None     # None: not known (yet)
        self._has_os_task: Callable[[Profile], bool] | None = None
        self._restart_checks = 0          # the newest check wins
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
        self.check_restart()

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
        return profile_status(profile, self.history, self.now(), self.tz, running=self._shown_running(profile.name),
                              confirmed=self.protected_up_to(profile.name))

    def app_status(self) -> AppStatus:
        """The one status of the whole app: every database and backup place, and the restart."""
        profiles = self.profiles()
        return app_status(profiles, self.history, self.now(), self.tz,
                          running={p.name for p in profiles if self._shown_running(p.name)}, restart=self.restart_cover,
                          confirmed=self.protected_up_to)

    def protected_up_to(self, name: str) -> datetime | None:
        """What continuous protection's watch confirmed: every change up to then is in a good
        snapshot (app/continuous.py); None without a running schedule service."""
        service = self.schedule_service
        return service.continuous.protected_up_to(name) if service is not None else None

    # -- after a restart ------------------------------------------------------------------------
    def watch_restart(self, has_os_task: Callable[[Profile], bool] | None = None) -> None:
        """Find out (on a worker) whether anything starts the schedules after a restart — start
        with login or a system task per database — now and after every settings change."""
        self._has_os_task = has_os_task or (lambda p: ossched.os_task_installed(p, self.login.home))
        self.check_restart()

    def check_restart(self) -> None:
        if self._has_os_task is None:
            return
        profiles, login, has_task = self.profiles(), self.login, self._has_os_task
        self._restart_checks += 1
        check = self._restart_checks

        def found(cover: RestartCover) -> None:
            if check == self._restart_checks:
                self.restart_cover = cover
                self.bus.startup_changed.emit()

        self.jobs.start(lambda progress, cancel: ossched.restart_cover(profiles, login, has_task), "restart check",
                        on_finished=found, on_failed=lambda exc: log.warning("restart check failed: %s", exc))

    def set_start_with_login(self, enabled: bool) -> str:
        """Turn start with login on or off for real and remember it. Raises OSError."""
        where = self.login.set(enabled)
        log.info("start with login %s: %s", "on" if enabled else "off", where)
        if self.restart_cover is not None:
            self.restart_cover = dataclasses.replace(self.restart_cover, login_start=self.login.is_on())
        settings = self.settings()
        if settings.start_with_login != enabled:
            settings.start_with_login = enabled
            self.save_settings(settings)           # checks again what starts the schedules
        else:
            self.check_restart()                   # the system tasks were not asked about when it was on
        self.bus.startup_changed.emit()
        return where

    # -- backups --------------------------------------------------------------------------------
    def is_running(self, name: str) -> bool:
        job = self._running.get(name)
        return job is not None and not job.done

    def _shown_running(self, name: str) -> bool:
        job = self._running.get(name)
        return job is not None and not job.done and not getattr(job, "quiet", False)

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

    def run_blocking(self, profile: Profile, trigger: Trigger, places: list[str] | None = None) -> RunResult | None:
        """For the scheduler's worker thread: run on that thread, tell the GUI through the bus.
        Signals emitted here are queued to the GUI thread."""
        with self._run_guard:
            if self.is_running(profile.name):
                return None
            marker = _Marker()
            self._running[profile.name] = marker
        # continuous protection snapshots a minute after each change all day: quietly (no
        # "backing up" and no progress each minute; the result still refreshes the windows)
        quiet = trigger == Trigger.CONTINUOUS
        marker.quiet = quiet
        if not quiet:
            self.bus.backup_started.emit(profile.name)
        try:
            res = run_profile(profile, trigger, self.history,
                              (lambda *_: None) if quiet else
                              (lambda ph, d, t: self.bus.backup_progress.emit(profile.name, ph, d, t)),
                              marker.cancel_token, translate=translate_error, places=places)
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
        """Run ``fn(progress, cancel)`` on a worker; while it runs, ``job_sink()`` there records
        into this context's history (the dialogs' engine work needs no context of its own)."""
        def work(progress: Progress, cancel: CancelToken):
            token = _JOB_CONTEXT.set(self)
            try:
                return fn(progress, cancel)
            finally:
                _JOB_CONTEXT.reset(token)
        return self.jobs.start(work, name, **callbacks)

    # -- the history of operations other than backups (app/oplog.py) ----------------------------
    def record(self, op: Operation) -> None:
        """Any thread: store a restore, undo, import, export, check … in the history (its
        database's profile found when unset) and tell the windows."""
        if not op.profile:
            op.profile = profile_for(self.settings(), op.database, op.repo)
        self.history.record(op)
        self.bus.history_changed.emit()       # from a worker: queued to the GUI thread

    def shutdown(self, wait_ms: int = 10000) -> None:
        self.jobs.cancel_all()
        for job in self._running.values():
            job.cancel()
        self.jobs.wait(wait_ms)


#: the context whose job runs on this thread (set by AppContext.start for the job's duration)
_JOB_CONTEXT: ContextVar[AppContext | None] = ContextVar("kasirbackup_job_context", default=None)


def job_sink() -> Sink | None:
    """In a job started by ``AppContext.start``: where its operations are recorded (the
    context's history); None elsewhere (then nothing is recorded)."""
    ctx = _JOB_CONTEXT.get()
    return ctx.record if ctx is not None else None


class _Marker:
    """Stands for a run going on on the scheduler's own worker thread (cancellable)."""

    def __init__(self) -> None:
        self.cancel_token = CancelToken()
        self.done = False
        self.quiet = False          # a continuous snapshot: not shown as "backing up"

    def cancel(self) -> None:
        self.cancel_token.cancel()
