"""Which other programs have a database open — not only those holding a SQLite lock.

A POS keeps its database open through an idle connection pool: no transaction, no lock,
so SQLite's locks cannot see it; yet a restore under it makes the POS hand out ids it has
already given to other sales. Two ways of looking, used together:

1. **Open handles** (psutil, per process): every other process with the database or its
   ``-journal``/``-wal``/``-shm`` open is named (executable and pid; on Windows also its
   window title). Processes of other users cannot be inspected without privileges.
2. **An exclusive probe of the file**, which sees every user's handles: on Windows an
   open without any sharing fails while another handle exists; on Linux a write lease
   (``F_SETLEASE``) is granted only when no other descriptor of the file is open. The probe
   is let go at once.

When the probe finds a handle that step 1 could not name, the holder is "a program of
another user"; when neither can answer (no probe on this system and processes that could
not be inspected), the answer is "cannot tell" — the caller asks, it never proceeds silently.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import time
from dataclasses import dataclass, field

from .errors import KasirBackupError

log = logging.getLogger("kasirbackup.holders")

SUFFIXES = ("", "-journal", "-wal", "-shm")


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    name: str                 # executable name, e.g. "python.exe"
    title: str = ""           # its main window's title where cheap (Windows)

    def describe(self) -> str:
        """ "Kasir (python.exe, 4312)" or "python.exe (4312)"."""
        return f"{self.title} ({self.name}, {self.pid})" if self.title else f"{self.name} ({self.pid})"


@dataclass(slots=True)
class Holders:
    """What was found: named programs, an unnamed one (another user's), or no answer."""

    programs: list[Holder] = field(default_factory=list)
    unnamed: bool = False     # the probe saw a handle no inspected process explains
    unknown: str = ""         # why we cannot tell ("" when we can)

    @property
    def clear(self) -> bool:
        return not self.programs and not self.unnamed and not self.unknown

    def describe(self) -> str:
        names = [h.describe() for h in self.programs]
        if self.unnamed:
            names.append("a program of another user")
        return ", ".join(names)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _listed(path: str) -> str:
    """An open file as the OS lists it: already the real path (Linux reads it from /proc,
    Windows from the handle), so no file-system lookup per open file of every process."""
    return os.path.normcase(path)


def find_holders(db: str | os.PathLike) -> Holders:
    """The other programs that have ``db`` (or its journal, WAL or shared memory) open.
    Our own process is never counted: call it while we hold none of the files open."""
    import psutil

    target = _norm(os.fspath(db))
    wanted = {target + s for s in SUFFIXES}
    me = os.getpid()
    found: dict[int, Holder] = {}
    denied = 0
    for proc in psutil.process_iter(["pid", "name"]):
        pid = proc.info["pid"]
        if pid == me or pid == 0:
            continue
        try:
            files = proc.open_files()
        except psutil.AccessDenied:
            denied += 1
            continue
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
        except OSError as exc:          # a process that went away or a /proc race
            log.debug("open files of %s: %s", pid, exc)
            continue
        if any(_listed(f.path) in wanted for f in files):
            found[pid] = Holder(pid, proc.info["name"] or f"pid {pid}")
    result = Holders(sorted(found.values(), key=lambda h: h.pid))
    if result.programs:
        result.programs = _with_titles(result.programs)
        return result
    # the probe counts our own handles too: it can only speak when we hold none
    probe = None if _mine(wanted) else _probe(target)
    if probe is True:
        result.unnamed = True
    elif probe is None and denied:
        result.unknown = f"{denied} programs of other users could not be looked at"
    return result


def _mine(wanted: set[str]) -> bool:
    import psutil

    try:
        return any(_listed(f.path) in wanted for f in psutil.Process().open_files())
    except (psutil.Error, OSError):
        return True


# -- the exclusive probe ---------------------------------------------------------------------------

def _probe(path: str) -> bool | None:
    """True: some handle of the file is open elsewhere; False: none; None: cannot tell."""
    if sys.platform == "win32":
        return _probe_windows(path)
    if sys.platform.startswith("linux"):
        return _probe_lease(path)
    return None


def _probe_lease(path: str) -> bool | None:
    """Linux grants a write lease only when no other descriptor of the file is open, by
    any process of any user (readers included); it is released at once."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        try:
            fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EBUSY):
                return True
            return None                  # EACCES (not the file's owner), EINVAL (no leases there)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


def _probe_windows(path: str) -> bool | None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    create = kernel32.CreateFileW
    create.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID, wintypes.DWORD,
                       wintypes.DWORD, wintypes.HANDLE]
    create.restype = wintypes.HANDLE
    generic_read, open_existing, sharing_violation = 0x80000000, 3, 32
    handle = create(path, generic_read, 0, None, open_existing, 0, None)
    if handle == wintypes.HANDLE(-1).value:
        return True if ctypes.get_last_error() == sharing_violation else None
    kernel32.CloseHandle(handle)
    return False


# -- window titles (Windows) -------------------------------------------------------------------------

def _with_titles(programs: list[Holder]) -> list[Holder]:
    if sys.platform != "win32":
        return programs
    try:
        titles = _window_titles({h.pid for h in programs})
    except Exception as exc:             # titles are a nicety: never a reason to fail
        log.debug("window titles: %s", exc)
        return programs
    return [Holder(h.pid, h.name, titles.get(h.pid, "")) for h in programs]


def _window_titles(pids: set[int]) -> dict[int, str]:
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32", use_last_error=True)
    titles: dict[int, str] = {}

    @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)
    def each(hwnd, _lparam):
        if not user32.IsWindowVisible(hwnd):
            return True
        pid = wintypes.DWORD()
        user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        if pid.value in pids and pid.value not in titles:
            n = user32.GetWindowTextLengthW(hwnd)
            if n:
                buf = ctypes.create_unicode_buffer(n + 1)
                user32.GetWindowTextW(hwnd, buf, n + 1)
                titles[pid.value] = buf.value[:80]
        return True

    user32.EnumWindows(each, 0)
    return titles



# -- waiting for them ----------------------------------------------------------------------------------

class DatabaseOpenElsewhere(KasirBackupError):
    code = "database-open-elsewhere"
    template = "{programs} has the database {path} open."
    hint = ("Close it and try again, or wait for it with --wait SECONDS. Going ahead anyway (--even-if-open) "
            "lets that program keep its own ids and hand out again ids of sales it already gave.")


class DatabaseOpenUnknown(KasirBackupError):
    code = "database-open-unknown"
    template = "Cannot tell whether another program has the database {path} open ({why})."
    hint = "Close the POS application and any other program that uses it, then go ahead with --even-if-open."


POLL_S = 0.5


def ensure_closed(db: str | os.PathLike, wait_s: float = 0.0, even_if_open: bool = False) -> Holders:
    """Return when no other program has ``db`` open (waiting up to ``wait_s`` seconds for
    them to close it), or at once with what was found when ``even_if_open``; otherwise
    raise DatabaseOpenElsewhere / DatabaseOpenUnknown."""
    deadline = time.monotonic() + max(wait_s, 0.0)
    while True:
        found = find_holders(db)
        if found.clear or even_if_open:
            return found
        if found.unknown:                # waiting would not tell us more
            raise DatabaseOpenUnknown(path=str(db), why=found.unknown)
        if time.monotonic() >= deadline:
            log.info("%s is open in %s", db, found.describe())
            raise DatabaseOpenElsewhere(path=str(db), programs=found.describe())
        time.sleep(POLL_S)
