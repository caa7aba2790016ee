"""Walking an attachment folder without ever following a link out of it.

On POSIX every folder is opened relative to its parent's descriptor with ``O_NOFOLLOW``
(``dir_fd``), so a folder swapped for a link while we walk is refused, not followed; files
are opened the same way (``capture.py``). Elsewhere (Windows) each name is checked with
``lstat`` first and links, junctions and other reparse points are never entered.
Links are recorded as links (their target as written); devices, pipes and sockets are
listed as problems. A sub-folder that is a KasirBackup repository (it holds ``kasirbackup.json``)
is left out, and so are the paths a caller excludes (the database, its journal, the repository).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .model import DIR, FILE, LINK, Problem

DIR_FD = os.open in os.supports_dir_fd and os.scandir in os.supports_fd and hasattr(os, "O_NOFOLLOW")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)       # a pipe swapped in for a file never blocks us
_BINARY = getattr(os, "O_BINARY", 0)
_REPARSE = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


@dataclass(slots=True)
class Found:
    rel: str                 # '/'-separated, relative to the folder
    type: str                # FILE, DIR or LINK
    st: os.stat_result       # lstat of the name
    dir_fd: int | None       # the parent's descriptor (POSIX), open while the walk runs
    name: str
    path: str                # the full path (for messages, and for opening without dir_fd)
    target: str = ""


class FolderGone(OSError):
    """The attachment folder itself is missing, not a folder, or a link we do not follow."""


def _is_link(st: os.stat_result) -> bool:
    return stat.S_ISLNK(st.st_mode) or bool(getattr(st, "st_file_attributes", 0) & _REPARSE)


def open_dir(path: str, dir_fd: int | None = None) -> int:
    return os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=dir_fd)


def open_file(found: Found) -> int:
    flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY
    if DIR_FD and found.dir_fd is not None:
        return os.open(found.name, flags, dir_fd=found.dir_fd)
    if _is_link(os.lstat(found.path)):
        raise OSError(errno.ELOOP, "became a link", found.path)
    return os.open(found.path, flags)


def walk(folder: Path, problems: list[Problem], exclude: frozenset[str] = frozenset()) -> Iterator[Found]:
    """Everything under ``folder`` (the folder the user chose may itself be reached through a
    link), parents before children, in a stable order. Descriptors handed out in ``Found``
    stay open until the generator moves past that folder. Relative paths in ``exclude``
    (and what is under them) are left out."""
    try:
        st = os.stat(folder)
    except OSError as exc:
        raise FolderGone(exc.errno, exc.strerror, str(folder)) from None
    if not stat.S_ISDIR(st.st_mode):
        raise FolderGone(errno.ENOTDIR, "not a folder", str(folder))
    top = _FdDir(os.open(folder, os.O_RDONLY | _DIRECTORY), str(folder)) if DIR_FD else _PathDir(str(folder))
    try:
        yield from _walk_in(top, "", problems, exclude)
    finally:
        top.close()


MAX_DEPTH = 128
REPO_MARK = "kasirbackup.json"       # a sub-folder holding it is a backup folder: never an attachment


def _text(name: str) -> bool:
    """A name a file list can hold: valid Unicode (on POSIX, bytes that are not UTF-8 come as
    lone surrogates and could not be written to JSON)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _printable(path: str) -> str:
    """``path`` with undecodable bytes shown as U+FFFD, for a problem in the manifest."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _spellings(path: str | os.PathLike) -> set[str]:
    """``path`` as written (made absolute) and with its links resolved, case-folded where the
    file system ignores case."""
    return {os.path.normcase(os.path.abspath(path)), os.path.normcase(os.path.realpath(path))}


def inside(path: str, root: str) -> bool:
    """``path`` is ``root`` or under it, however either is spelled (links resolved or not)."""
    return any(p == r or p.startswith(r.rstrip(os.sep) + os.sep)
               for p in _spellings(path) for r in _spellings(root))


def excluded_inside(folder: Path, paths: tuple[str, ...]) -> frozenset[str]:
    """The relative paths ('/'-separated; lower case on Windows) under ``folder`` of those of
    ``paths`` that lie inside it, whichever way either is spelled (links resolved or not)."""
    bases = _spellings(folder)
    return frozenset(os.path.relpath(variant, base).replace(os.sep, "/")
                     for p in paths for variant in _spellings(p) for base in bases
                     if variant.startswith(base.rstrip(os.sep) + os.sep))


def _classify(st: os.stat_result) -> str | None:
    if _is_link(st):
        return LINK
    if stat.S_ISDIR(st.st_mode):
        return DIR
    if stat.S_ISREG(st.st_mode):
        return FILE
    return None


class _FdDir:
    """A folder opened by descriptor (POSIX): every name is looked at relative to it."""

    def __init__(self, fd: int, path: str) -> None:
        self.fd, self.path = fd, path

    def names(self) -> list[str]:
        return sorted(e.name for e in os.scandir(self.fd))

    def lstat(self, name: str) -> os.stat_result:
        return os.lstat(name, dir_fd=self.fd)

    def readlink(self, name: str) -> str:
        return os.readlink(name, dir_fd=self.fd)

    def parent_fd(self) -> int | None:
        return self.fd

    def enter(self, name: str) -> tuple["_FdDir", os.stat_result]:
        sub = open_dir(name, self.fd)          # O_NOFOLLOW: a folder swapped for a link is refused
        return _FdDir(sub, os.path.join(self.path, name)), os.fstat(sub)

    def close(self) -> None:
        os.close(self.fd)


class _PathDir:
    """A folder by path (Windows): links, junctions and reparse points are never entered."""

    def __init__(self, path: str) -> None:
        self.path = path

    def names(self) -> list[str]:
        return sorted(e.name for e in os.scandir(self.path))

    def lstat(self, name: str) -> os.stat_result:
        return os.lstat(os.path.join(self.path, name))

    def readlink(self, name: str) -> str:
        try:
            return os.readlink(os.path.join(self.path, name))
        except OSError:
            return ""          # a junction or other reparse point: recorded, never entered

    def parent_fd(self) -> int | None:
        return None

    def enter(self, name: str) -> tuple["_PathDir", os.stat_result]:
        full = os.path.join(self.path, name)
        st = os.lstat(full)
        if _classify(st) != DIR:
            raise OSError(errno.ELOOP, "became a link", full)
        return _PathDir(full), st

    def close(self) -> None:
        pass


def _walk_in(d, prefix: str, problems: list[Problem], exclude: frozenset[str],
             names: list[str] | OSError | None = None) -> Iterator[Found]:
    """``names``: the folder's names when the caller listed them already (or why it could not)."""
    try:
        if isinstance(names, OSError):
            raise names
        names = d.names() if names is None else names
    except OSError as exc:
        problems.append(Problem(prefix.rstrip("/"), f"cannot be listed: {exc.strerror or exc}"))
        return
    if prefix.count("/") >= MAX_DEPTH:
        problems.append(Problem(_printable(prefix.rstrip("/")), f"folders nested deeper than {MAX_DEPTH} levels; "
                                                                "what is inside is left out"))
        return
    for name in names:
        rel, full = f"{prefix}{name}", os.path.join(d.path, name)
        if exclude and os.path.normcase(rel).replace("\\", "/") in exclude:
            continue
        if not _text(name):
            problems.append(Problem(_printable(rel), "its name is not valid text (UTF-8); left out (rename it to "
                                                     "back it up)"))
            continue
        try:
            st = d.lstat(name)
        except FileNotFoundError:
            continue          # deleted since it was listed: not part of this backup
        except OSError as exc:
            problems.append(Problem(rel, f"cannot be read: {exc.strerror or exc}"))
            continue
        kind = _classify(st)
        if kind is None:
            problems.append(Problem(rel, "not a regular file, folder or link; left out"))
        elif kind == LINK:
            try:
                target = d.readlink(name)
            except OSError as exc:
                problems.append(Problem(rel, f"cannot be read: {exc.strerror or exc}"))
                continue
            if _text(target):
                yield Found(rel, LINK, st, d.parent_fd(), name, full, target)
            else:
                problems.append(Problem(rel, "a link whose target is not valid text (UTF-8); left out"))
        elif kind == FILE:
            yield Found(rel, FILE, st, d.parent_fd(), name, full)
        else:
            try:
                sub, sub_st = d.enter(name)
            except FileNotFoundError:
                continue
            except OSError as exc:
                reason = "became a link while it was read; not followed" if exc.errno == errno.ELOOP \
                    else f"cannot be opened: {exc.strerror or exc}"
                problems.append(Problem(rel, reason))
                continue
            try:
                try:
                    names_in = sub.names()
                except OSError as exc:
                    names_in = exc
                if isinstance(names_in, list) and REPO_MARK in names_in:
                    problems.append(Problem(_printable(rel), "a KasirBackup backup folder; left out"))
                    continue
                yield Found(rel, DIR, sub_st, d.parent_fd(), name, full)
                yield from _walk_in(sub, rel + "/", problems, exclude, names_in)
            finally:
                sub.close()
