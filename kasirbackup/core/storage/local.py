"""A repository in a folder (local disk, USB disk, network share, cloud-sync folder).

Owns: atomic writes to a folder (temporary file, fsync, rename, fsync the folder) and the
folder layout. Never knows what the objects mean; ``tmp/`` is scratch, never read back.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path
from typing import Iterator

from ..errors import os_error_to_user
from .base import KINDS, Storage, fsync_dir


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
        """Create ``path`` and the folders above it inside the repository, owner-only."""
        missing = []
        p = path
        while not p.exists() and p != self.root.parent and p != p.parent:
            missing.append(p)
            p = p.parent
        for d in reversed(missing):
            try:
                d.mkdir(mode=0o700)
            except FileExistsError:
                pass

    def _tmp_path(self) -> Path:
        return self.root / "tmp" / f".{secrets.token_hex(8)}.tmp"

    # -- the interface ------------------------------------------------------------------
    def save(self, kind: str, name: str, data: bytes) -> None:
        dest = self._path(kind, name)
        tmp = self._tmp_path()
        try:
            self._mkdirs(tmp.parent)
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
        with open(path, "rb") as fh:
            if offset:
                fh.seek(offset)
            return fh.read() if length is None else fh.read(length)

    def list(self, kind: str) -> Iterator[str]:
        if kind == "config":
            base = self.root
            yield from (p.name for p in base.iterdir() if p.is_file()) if base.is_dir() else ()
            return
        base = self.root / kind
        if not base.is_dir():
            return
        if kind == "data":
            for sub in base.iterdir():
                if sub.is_dir() and len(sub.name) == 2:
                    yield from (p.name for p in sub.iterdir() if p.is_file())
            return
        yield from (p.name for p in base.iterdir() if p.is_file())

    def remove(self, kind: str, name: str) -> None:
        try:
            self._path(kind, name).unlink()
        except FileNotFoundError:
            pass

    def size(self, kind: str, name: str) -> int:
        return self._path(kind, name).stat().st_size

    def create_exclusive(self, kind: str, name: str, data: bytes) -> bool:
        # Written to a temporary file first and then hard-linked into place, so that a
        # reader never sees a half-written lock; link() fails if the name exists.
        dest = self._path(kind, name)
        tmp = self._tmp_path()
        try:
            self._mkdirs(tmp.parent)
            self._mkdirs(dest.parent)
            with open(tmp, "wb") as fh:
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
    def temp_dir(self) -> Path:
        """A folder on the repository's file system for large temporary files."""
        path = self.root / "tmp"
        self._mkdirs(path)
        return path

    def clean_temp(self) -> None:
        """Remove temporary files left by killed runs (call only while holding the lock)."""
        base = self.root / "tmp"
        if base.is_dir():
            for p in base.iterdir():
                try:
                    p.unlink()
                except OSError:
                    pass
