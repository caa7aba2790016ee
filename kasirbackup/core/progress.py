"""Progress reporting and cancellation, shared by every long operation of the engine."""

from __future__ import annotations

import threading
from typing import Callable

from .errors import Cancelled

#: progress(phase, done, total): phase is a short English key such as "copy", "verify"
Progress = Callable[[str, int, int], None]


def no_progress(phase: str, done: int, total: int) -> None:
    return None


class CancelToken:
    """Set from any thread; long operations call ``check()`` between steps and stop
    cleanly (raising ``Cancelled``) without leaving anything half-written."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
