"""Storage backends: where repository files live.

The engine sees a repository as a handful of *kinds* of named objects (``config``,
``data``, ``index``, ``snapshots``, ``locks``), and a backend only has to save, load,
list and remove them — the same tiny interface restic uses, so an object store can be
added without touching the engine.

Every ``save`` is atomic: a reader either sees the whole object or none of it. For a
folder this is write-to-temporary, fsync, rename, fsync the folder.

Owns the interface every backend implements; never knows what the objects mean.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterator


KINDS = ("config", "data", "index", "snapshots", "locks")


class Storage(ABC):
    """The four verbs (plus two conveniences) every backend implements."""

    #: a human description of the location, used in messages
    location: str

    @abstractmethod
    def save(self, kind: str, name: str, data: bytes) -> None:
        """Store ``data`` as ``kind/name`` atomically (replacing an existing object)."""

    @abstractmethod
    def load(self, kind: str, name: str, offset: int = 0, length: int | None = None) -> bytes:
        """Return the object, or ``length`` bytes of it starting at ``offset``.

        Raises ``FileNotFoundError`` when the object does not exist."""

    @abstractmethod
    def list(self, kind: str) -> Iterator[str]:
        """Names of all objects of ``kind`` (unordered)."""

    @abstractmethod
    def remove(self, kind: str, name: str) -> None:
        """Remove an object; removing a missing object is not an error."""

    @abstractmethod
    def size(self, kind: str, name: str) -> int:
        """Size in bytes of an object (``FileNotFoundError`` if missing)."""

    @abstractmethod
    def create_exclusive(self, kind: str, name: str, data: bytes) -> bool:
        """Create an object only if it does not exist yet. Returns False if it did."""

    @contextmanager
    def remembering(self):
        """Within this, listings of packs and index files may be answered from the last one
        (until this process writes or removes one of that kind): a backup lists them three
        times before it writes anything. A folder lists quickly and ignores this."""
        yield

    def exists(self, kind: str, name: str) -> bool:
        try:
            self.size(kind, name)
            return True
        except FileNotFoundError:
            return False


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
