"""Reading a database file's bytes directly, beside SQLite.

Owns: one read-only descriptor per file while captures of it run (on POSIX, closing *any*
descriptor of a file drops every lock the process holds on it, SQLite's included, so
concurrent captures share one and the last one closes it),
``pread`` loops, and reading whole pages without ever touching the lock-byte page (Windows
refuses reads of locked bytes). Never writes, never takes or releases a lock itself: the
caller holds SQLite's SHARED lock while it reads.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ..sqlitefile import lock_page_number


_fd_cache: dict[tuple[int, int], int] = {}
_fd_users: dict[tuple[int, int], int] = {}       # captures reading through the cached descriptor
_fd_lock = threading.Lock()


def open_raw(path: Path) -> tuple[int, bool]:
    """A read-only descriptor of the database file, and whether the caller must close it.

    On POSIX, closing *any* descriptor of a file drops every lock this process holds on it
    — including SQLite's own (see SQLite's "How To Corrupt"). So captures of one file
    running at the same time share one descriptor; ``done_raw`` closes it after the last."""
    if os.name == "nt":
        return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0)), True
    try:
        seen = os.stat(path)
        with _fd_lock:
            cached = _fd_cache.get((seen.st_dev, seen.st_ino))
            if cached is not None:
                # another capture of this file reads through it now and may hold SQLite's lock
                # on it: a second descriptor opened and closed here would drop that lock
                _fd_users[(seen.st_dev, seen.st_ino)] += 1
                return cached, False
    except OSError:
        pass
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    st = os.fstat(fd)
    key = (st.st_dev, st.st_ino)
    with _fd_lock:
        _fd_users[key] = _fd_users.get(key, 0) + 1
        cached = _fd_cache.get(key)
        if cached is not None:
            # another capture registered between the stat above and this open (a narrow race):
            # use its descriptor
            os.close(fd)
            return cached, False
        _fd_cache[key] = fd
        return fd, False


def done_raw(fd: int) -> None:
    """The caller of ``open_raw`` no longer reads through ``fd`` (it has closed its SQLite
    connection first). The last one closes the descriptor: a process of ours must not keep
    the shop's database open between backups — the tray app would look like a program
    holding it to every restore and import, and would hide other programs from the probe."""
    if os.name == "nt":
        return
    with _fd_lock:
        for key, cached in _fd_cache.items():
            if cached == fd:
                _fd_users[key] = max(0, _fd_users.get(key, 0) - 1)
                if _fd_users[key] == 0:
                    os.close(_fd_cache.pop(key))
                return


def pread(fd: int, n: int, offset: int) -> bytes:
    """``n`` bytes at ``offset``, fewer only at the end of the file."""
    if hasattr(os, "pread"):
        out = []
        while n > 0:
            chunk = os.pread(fd, n, offset)
            if not chunk:
                break
            out.append(chunk)
            n -= len(chunk)
            offset += len(chunk)
        return b"".join(out)
    os.lseek(fd, offset, os.SEEK_SET)
    out = []
    while n > 0:
        chunk = os.read(fd, n)
        if not chunk:
            break
        out.append(chunk)
        n -= len(chunk)
    return b"".join(out)


def read_pages(fd: int, first: int, count: int, page_size: int) -> bytes:
    """Read ``count`` pages starting at 0-based page ``first``. The lock-byte page is
    never read (Windows refuses reads of locked bytes) and is returned as zeros."""
    lock_idx = lock_page_number(page_size) - 1
    if first <= lock_idx < first + count:
        before = pread(fd, (lock_idx - first) * page_size, first * page_size)
        after_n = first + count - lock_idx - 1
        after = pread(fd, after_n * page_size, (lock_idx + 1) * page_size)
        data = before + bytes(page_size) + after
    else:
        data = pread(fd, count * page_size, first * page_size)
    if len(data) != count * page_size:
        raise Truncated()
    return data


class Truncated(Exception):
    """The file ended before the pages asked for (it shrank while we read it)."""
