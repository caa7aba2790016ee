"""One writer per repository: an exclusive lock object with its owner and age.

The lock is ``locks/exclusive`` holding JSON: host, process id, process start time,
command and start time. A lock is *stale* — left behind by a crash or a kill — when it
was taken on this host by a process that no longer exists (or a different process now
has its id), or when it is older than ``STALE_AFTER`` (a lock from another computer
whose process we cannot see). A stale lock is removed and taken over; a live one gives a
clear message.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from datetime import datetime, timezone

from ..errors import RepoLocked
from ..processes import pid_alive, process_start_marker
from ..storage.base import Storage

LOCK_NAME = "exclusive"
STALE_AFTER = 12 * 3600   # seconds


class RepoLock:
    def __init__(self, storage: Storage, command: str) -> None:
        self.storage = storage
        self.command = command
        self.nonce = secrets.token_hex(8)
        self.held = False

    def _payload(self) -> bytes:
        pid = os.getpid()
        return json.dumps({
            "host": socket.gethostname(), "pid": pid, "pid_start": process_start_marker(pid),
            "command": self.command, "nonce": self.nonce, "time": time.time(),
        }).encode()

    def _read(self) -> dict | None:
        try:
            info = json.loads(self.storage.load("locks", LOCK_NAME).decode("utf-8"))
            return info if isinstance(info, dict) else {}
        except FileNotFoundError:
            return None
        except (ValueError, UnicodeDecodeError, RecursionError):
            return {}   # unreadable: treated by age only

    @staticmethod
    def is_stale(info: dict, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        started = info.get("time")
        if not isinstance(started, (int, float)) or now - started > STALE_AFTER:
            return True
        if info.get("host") == socket.gethostname():
            pid = info.get("pid")
            if not isinstance(pid, int) or not pid_alive(pid):
                return True
            marker = info.get("pid_start")
            if marker is not None and process_start_marker(pid) not in (None, marker):
                return True
        return False

    def acquire(self, wait_s: float = 0.0) -> None:
        deadline = time.monotonic() + wait_s
        while True:
            if self.storage.create_exclusive("locks", LOCK_NAME, self._payload()):
                info = self._read()
                if info and info.get("nonce") == self.nonce:
                    self.held = True
                    return
            info = self._read()
            if info is None:
                continue          # released between our attempt and our look: try again
            if self.is_stale(info):
                if self._read() == info:
                    self.storage.remove("locks", LOCK_NAME)
                continue
            if time.monotonic() >= deadline:
                since = info.get("time")
                since_txt = (datetime.fromtimestamp(since, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
                             if isinstance(since, (int, float)) else "?")
                owner = f"'{info.get('command', '?')}' (process {info.get('pid', '?')} on {info.get('host', '?')})"
                raise RepoLocked(owner=owner, since=since_txt, stale_after=STALE_AFTER // 60)
            time.sleep(0.5)

    def release(self) -> None:
        if self.held:
            info = self._read()
            if info and info.get("nonce") == self.nonce:
                self.storage.remove("locks", LOCK_NAME)
            self.held = False

    def __enter__(self) -> "RepoLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
