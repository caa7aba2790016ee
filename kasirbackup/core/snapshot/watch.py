"""Has the database changed? The cheap look continuous protection takes every few seconds.

No lock is taken and SQLite is not opened: the file's identity (device, inode), size and
modification time are read with ``stat``, and the 4-byte *file change counter* at offset
24 of the header, which every committing writer of a rollback-journal database
increments, with one read of the first 100 bytes. A WAL database commits into its
``-wal`` file without touching the main file, so the ``-wal`` file's size, modification
time and 32-byte header (its salts change at every restart of the log) are part of the
mark too. Two equal marks: nothing was committed in between, and no snapshot is needed.

On POSIX, closing any descriptor of a file drops every lock this process holds on it. So
no look is taken while a connection of ours to the database is open (a capture's SHARED
lock, a restore's EXCLUSIVE lock, a WAL connection's SHARED lock: ``sqlitefile.in_use``);
the look says "not now" and the next one, two seconds later, looks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..sqlitefile import in_use
from .raw_read import pread


@dataclass(frozen=True, slots=True)
class Mark:
    """What one look saw. ``exists`` False: no database file there (deleted, or a folder
    that is not mounted)."""
    exists: bool
    identity: tuple[int, int] = (0, 0)         # (device, inode): a replaced file is another file
    size: int = 0
    mtime_ns: int = 0
    counter: bytes = b""                       # header bytes 24..28, the file change counter
    wal: tuple[int, int, bytes] | None = None  # (-wal size, mtime, first 32 bytes), when there is one


MISSING = Mark(False)


def look(path: str | os.PathLike) -> Mark | None:
    """The database's mark now; never raises for a missing or unreadable file (that is a
    mark too: the backup it triggers says what is wrong). None: not now — a connection of
    ours to the database is open (a capture, a restore's exclusive lock, a summary), and
    closing a descriptor of the file would drop its locks."""
    p = Path(path)
    if in_use(p):
        return None
    try:
        st = os.stat(p)
    except OSError:
        return MISSING
    counter = b""
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            counter = pread(fd, 4, 24)
        finally:
            os.close(fd)        # no connection of ours is open on it (in_use): no lock to drop
    except OSError:
        counter = b"?"                          # unreadable now: looks like a change, the backup says why
    return Mark(True, (st.st_dev, st.st_ino), st.st_size, st.st_mtime_ns, counter, _wal_mark(p))


def _wal_mark(p: Path) -> tuple[int, int, bytes] | None:
    wal = p.with_name(p.name + "-wal")
    try:
        st = os.stat(wal)
    except OSError:
        return None
    if st.st_size == 0:
        # an empty -wal holds nothing: the same as none (a reader, ours included, may create
        # one; a checkpoint that emptied it wrote the main file, whose mark changed)
        return None
    try:
        # the -wal file is ours to read only: SQLite never locks it, closing it drops nothing
        with open(wal, "rb") as fh:
            head = fh.read(32)
    except OSError:
        head = b"?"
    return (st.st_size, st.st_mtime_ns, head)
