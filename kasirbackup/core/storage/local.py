"""A repository in a folder (local disk, USB disk, network share, cloud-sync folder).

Owns: atomic writes to a folder (temporary file, fsync, rename, fsync the folder) and the
folder layout. Never knows what the objects mean; ``tmp/`` is scratch, never read back.

A backup folder is untrusted ground (a disk someone else prepared, a sync client): no
folder inside it is ever followed when it is a link (symlink, junction or other reparse
point) — writing, listing, cleaning or deleting through one raises ``RepoFolderIsLink``
naming it, so nothing outside the repository can be touched through a planted link. The
folder the user chose (the root) may itself be a link: that choice is theirs.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Iterator

from ..errors import KasirBackupError, os_error_to_user
from ..scratch import is_link
from .base import KINDS, Storage, fsync_dir


#: names of the files we create in ``tmp/``: ``save`` temporaries and scratch images
_TEMP_NAME = re.compile(r"^(\.[0-9a-f]{16}\.tmp|[a-z]+-\d+-[A-Za-z0-9_]+\.db(-journal|-wal|-shm)?)$")


class RepoFolderIsLink(KasirBackupError):
    code = "repo-folder-is-link"
    template = ("{path} in the backup folder is a link to another place; nothing was written, moved or "
                "deleted through it.")
    hint = "Remove the link itself (not what it points to), then try again; the backups are unchanged."


class LocalStorage(Storage):
    """A repository in a folder: local disk, USB disk, network share, cloud-sync folder.

    Layout: ``config`` objects at the top level, ``data`` objects in 256 sub-folders by
    the first two characters of their name (so no folder grows past a few thousand
    entries), everything else in a folder named after its kind. Temporary files live in
    ``tmp/`` and are never read; anything left there by a crash is garbage.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.location = str(self.root)

    # -- paths --------------------------------------------------------------------------
    def _path(self, kind: str, name: str) -> Path:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        # names come from repository files someone else may have written: refuse
        # anything that could leave the folder.
        if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
            raise ValueError(f"invalid object name {name!r}")
        if kind == "config":
            return self.root / name
        if kind == "data":
            return self.root / "data" / name[:2] / name
        return self.root / kind / name

    def _mkdirs(self, path: Path) -> None:
        """Create ``path`` and the folders above it inside the repository, owner-only; any
        of them that exists must be a real folder, not a link."""
        if not os.path.lexists(self.root):
            self.root.mkdir(mode=0o700)
        rel = path.relative_to(self.root).parts
        p = self.root
        for part in rel:
            p = p / part
            try:
                p.mkdir(mode=0o700)
                continue
            except FileExistsError:
                pass
            self._no_link(p)

    def _no_link(self, path: Path) -> None:
        """Raise ``RepoFolderIsLink`` if ``path`` (inside the repository) is a link."""
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if is_link(st):
            raise RepoFolderIsLink(path=str(path))

    def _folders_safe(self, path: Path) -> None:
        """Every folder between the root and ``path`` (inclusive) is a real folder or missing."""
        p = self.root
        for part in path.relative_to(self.root).parts:
            p = p / part
            self._no_link(p)

    def _tmp_path(self) -> Path:
        return self.root / "tmp" / f".{secrets.token_hex(8)}.tmp"

    # -- the interface ------------------------------------------------------------------
    def save(self, kind: str, name: str, data: bytes) -> None:
        dest = self._path(kind, name)
        tmp = self._tmp_path()
        try:
            self._mkdirs(tmp.parent)     # refuses a link on the way (RepoFolderIsLink)
            self._mkdirs(dest.parent)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            try:
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, dest)
            fsync_dir(dest.parent)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise os_error_to_user(exc, self.location) from exc

    def load(self, kind: str, name: str, offset: int = 0, length: int | None = None) -> bytes:
        path = self._path(kind, name)
        try:
            fh = open(path, "rb")
        except FileNotFoundError:
            self._folders_safe(path.parent)      # missing because a folder is a planted link?
            raise
        with fh:
            if offset:
                fh.seek(offset)
            return fh.read() if length is None else fh.read(length)

    def list(self, kind: str) -> Iterator[str]:
        """Names of the regular files of ``kind``; links are never listed (so never
        removed as garbage), and a linked folder raises ``RepoFolderIsLink``."""
        if kind == "config":
            yield from self._files(self.root)
            return
        base = self.root / kind
        self._no_link(base)
        if not base.is_dir():
            return
        if kind == "data":
            for sub in os.scandir(base):
                if len(sub.name) != 2:
                    continue
                if sub.is_symlink() or is_link(sub.stat(follow_symlinks=False)):
                    raise RepoFolderIsLink(path=sub.path)
                if sub.is_dir(follow_symlinks=False):
                    yield from self._files(Path(sub.path))
            return
        yield from self._files(base)

    @staticmethod
    def _files(folder: Path) -> Iterator[str]:
        if not folder.is_dir():
            return
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False):
                yield entry.name

    def remove(self, kind: str, name: str) -> None:
        path = self._path(kind, name)
        self._folders_safe(path.parent)
        try:
            path.unlink()
        except FileNotFoundError:
            pass

    def size(self, kind: str, name: str) -> int:
        path = self._path(kind, name)
        try:
            return path.stat().st_size
        except FileNotFoundError:
            self._folders_safe(path.parent)
            raise

    def create_exclusive(self, kind: str, name: str, data: bytes) -> bool:
        # Written to a temporary file first and then hard-linked into place, so that a
        # reader never sees a half-written lock; link() fails if the name exists.
        dest = self._path(kind, name)
        tmp = self._tmp_path()
        try:
            self._mkdirs(tmp.parent)     # refuses a link on the way (RepoFolderIsLink)
            self._mkdirs(dest.parent)
            with open(tmp, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, dest)
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                # file systems without hard links (FAT32 USB disks, some shares)
                try:
                    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            fsync_dir(dest.parent)
            return True
        except OSError as exc:
            raise os_error_to_user(exc, self.location) from exc
        finally:
            try:
                tmp.unlink()
            except OSError:
                pass

    # -- folder-only helpers ------------------------------------------------------------
    def folder(self, name: str) -> Path:
        """The repository's own sub-folder ``name`` (``tmp``, ``latest``, ``exports``),
        created owner-only if missing; ``RepoFolderIsLink`` if it is a link."""
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            raise ValueError(f"invalid folder name {name!r}")
        path = self.root / name
        try:
            self._mkdirs(path)
        except OSError as exc:
            raise os_error_to_user(exc, self.location) from exc
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            raise os_error_to_user(NotADirectoryError(errno.ENOTDIR, "not a folder", str(path)), self.location)
        return path

    def refuse_link(self, name: str) -> None:
        """``RepoFolderIsLink`` if the repository's sub-folder ``name`` is a link (missing is fine)."""
        self._no_link(self.root / name)

    def temp_dir(self) -> Path:
        """A folder on the repository's file system for large temporary files."""
        return self.folder("tmp")

    def clean_temp(self) -> None:
        """Remove temporary files left by killed runs (call only while holding the lock):
        only regular files named as we name them; a linked ``tmp`` raises
        ``RepoFolderIsLink`` and nothing is removed."""
        base = self.root / "tmp"
        self._no_link(base)
        if not base.is_dir():
            return
        for entry in os.scandir(base):
            if entry.is_file(follow_symlinks=False) and _TEMP_NAME.match(entry.name):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
