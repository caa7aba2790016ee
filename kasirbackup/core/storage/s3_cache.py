"""Fewer requests to online storage: what a backup reads again every time, kept locally.

Every backup reads the repository's manifests and index files; to a folder that costs a
few file reads, to online storage one request each — a continuous snapshot a minute would
spend most of its time waiting for them. So:

* *Index files and manifests* fully read are kept in a local folder (the application's
  cache folder, set with ``set_cache_root``; none: nothing is kept), each under its key and
  the ETag the listing just returned for it. A copy is used only when the newest listing of
  its kind names the object with that same ETag — a manifest rewritten by ``verify`` or an
  index replaced by a prune has another ETag and is fetched again — and an index file's
  content must also hash to its name. Copies of objects the listing no longer names are
  removed. Packs are never kept (big; read once per restore).
* *One client per place and settings per process*: creating a boto3 client costs about
  0.2 s, so the daemon and the window reuse it (boto3 clients may be shared by threads).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Callable

from ..errors import KasirBackupError
from ..scratch import write_private

CACHED_KINDS = ("index", "snapshots")
MAX_CACHED = 4 * 1024 * 1024       # larger objects are not kept

_root: Callable[[], Path | None] = lambda: None
_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def set_cache_root(folder: Callable[[], Path | None]) -> None:
    """Where copies are kept (per user), asked each time a place is opened; None: keep nothing."""
    global _root
    _root = folder


def shared_client(key: tuple, make) -> object:
    """The client for ``key`` (access and settings), made once per process."""
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = make()
        return client


class ObjectCache:
    """The local copies of one place's small objects, checked against its listings."""

    def __init__(self, location: str) -> None:
        root = _root()
        self.folder = (root / hashlib.sha256(location.encode()).hexdigest()[:24]) if root is not None else None
        self._etags: dict[tuple[str, str], str] = {}        # from the newest listing of each kind

    def listed(self, kind: str, etags: dict[str, str]) -> None:
        """A complete listing of ``kind`` returned these names and ETags."""
        if kind not in CACHED_KINDS:
            return
        for k in [k for k in self._etags if k[0] == kind]:
            del self._etags[k]
        for name, etag in etags.items():
            self._etags[(kind, name)] = etag
        self._sweep(kind, etags)

    def _path(self, kind: str, name: str, etag: str) -> Path | None:
        if self.folder is None:
            return None
        tag = hashlib.sha256(etag.encode()).hexdigest()[:16]
        return self.folder / kind / f"{name}.{tag}"

    def get(self, kind: str, name: str) -> bytes | None:
        etag = self._etags.get((kind, name))
        path = self._path(kind, name, etag) if etag else None
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if kind == "index" and hashlib.sha256(data).hexdigest() != name:
            return None                  # damaged copy: fetch again
        return data

    def put(self, kind: str, name: str, data: bytes, etag: str | None) -> None:
        etag = etag or self._etags.get((kind, name))
        if kind not in CACHED_KINDS or not etag or len(data) > MAX_CACHED:
            return
        self._etags[(kind, name)] = etag
        path = self._path(kind, name, etag)
        if path is None:
            return
        try:
            write_private(path, data)
        except (OSError, KasirBackupError):
            pass                         # only a saving

    def forget(self, kind: str, name: str) -> None:
        self._etags.pop((kind, name), None)

    def _sweep(self, kind: str, etags: dict[str, str]) -> None:
        if self.folder is None:
            return
        keep = {self._path(kind, n, e).name for n, e in etags.items()}
        try:
            entries = list(os.scandir(self.folder / kind))
        except OSError:
            return
        for entry in entries:
            if entry.name not in keep:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
