"""Engine work off the GUI thread.

A job is a plain function ``fn(progress, cancel) -> result`` run on a ``QThreadPool``
worker. It talks back only through signals (delivered on the GUI thread by Qt's queued
connections): ``progress(phase, done, total)`` throttled to ~20 per second, then exactly one
of ``finished(result)``, ``failed(exception)`` or ``cancelled()``. Widgets are never touched
from the worker. Work on one repository is serialised by the engine's per-repository queue
(``app.runner.repo_queue``) and the repository lock, so two jobs never collide.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.errors import Cancelled, KasirBackupError
from ..core.progress import CancelToken, Progress

log = logging.getLogger("kasirbackup.gui")

JobFn = Callable[[Progress, CancelToken], Any]


class Job(QObject):
    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()              # after any of the three above

    def __init__(self, fn: JobFn, name: str = "job", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fn = fn
        self.name = name
        self.cancel_token = CancelToken()
        self.running = False
        self.done = False
        self._last_emit = 0.0

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def _progress(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if (total > 0 and done >= total) or now - self._last_emit >= 0.05:   # never flood the event loop
            self._last_emit = now
            self.progress.emit(phase, int(done), int(total))

    def run(self) -> None:
        """Runs on a worker thread. ``done`` is set before the result is announced, so a slot
        that reacts to ``finished`` already sees the job as over (and may start another)."""
        self.running = True
        outcome, value = "finished", None
        try:
            value = self.fn(self._progress, self.cancel_token)
        except Cancelled:
            log.info("%s cancelled", self.name)
            outcome = "cancelled"
        except KasirBackupError as exc:   # a user-level error: one line in the log, no traceback
            log.warning("%s failed: %s", self.name, exc)
            outcome, value = "failed", exc
        except BaseException as exc:   # a bug: the log gets the traceback, the user a sentence
            log.exception("%s failed unexpectedly", self.name)
            outcome, value = "failed", exc
        self.running = False
        self.done = True
        if outcome == "finished":
            self.finished.emit(value)
        elif outcome == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.ended.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job.run()


class JobRunner(QObject):
    """Starts jobs and keeps them referenced until they end."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._jobs: set[Job] = set()

    def start(self, fn: JobFn, name: str = "job", on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_progress: Callable[[str, int, int], None] | None = None,
              on_cancelled: Callable[[], None] | None = None) -> Job:
        job = Job(fn, name)
        if on_finished:
            job.finished.connect(on_finished)
        if on_failed:
            job.failed.connect(on_failed)
        if on_progress:
            job.progress.connect(on_progress)
        if on_cancelled:
            job.cancelled.connect(on_cancelled)
        return self.submit(job)

    def submit(self, job: Job) -> Job:
        """Run a job built by the caller (with its signals already connected)."""
        self._jobs.add(job)
        job.ended.connect(lambda: self._jobs.discard(job))
        self.pool.start(_Runnable(job))
        return job

    def cancel_all(self) -> None:
        for j in list(self._jobs):
            j.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
