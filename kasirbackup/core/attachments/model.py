"""What a snapshot records about an attachment folder: one entry per file, folder and link,
and per folder a summary with the files that could not be read."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..repo.manifest import AttachmentSet, Problem   # (what the manifest says; re-exported)

__all__ = ["AttachmentSet", "BadListing", "DIR", "FILE", "FileEntry", "LINK", "Problem", "safe_relative"]

FILE, DIR, LINK = "file", "dir", "link"


class BadListing(ValueError):
    """A file list that does not follow the format (damaged, or written by someone else)."""


@dataclass(slots=True)
class FileEntry:
    path: str                 # relative, '/'-separated, no '.' or '..' parts
    type: str                 # FILE, DIR or LINK
    size: int = 0
    mtime_ns: int = 0
    mode: int = 0o644         # permission bits only
    sha256: str = ""          # of the whole content (files)
    chunks: list[str] = field(default_factory=list)   # hex blob ids, in order (files)
    target: str = ""          # what a link points to, as the link says it
    #: local facts that tell an unchanged file without reading it (not needed to restore)
    ctime_ns: int = 0
    ino: int = 0

    def to_json(self) -> dict:
        d: dict = {"path": self.path, "type": self.type, "mtime_ns": self.mtime_ns, "mode": self.mode}
        if self.type == FILE:
            d.update(size=self.size, sha256=self.sha256, ctime_ns=self.ctime_ns, ino=self.ino)
            if self.chunks != [self.sha256]:        # (one chunk named by the file's SHA-256: implied)
                d["chunks"] = self.chunks
        elif self.type == LINK:
            d["target"] = self.target
        return d

    @classmethod
    def from_json(cls, d: dict) -> "FileEntry":
        try:
            e = cls(path=str(d["path"]), type=str(d["type"]), size=int(d.get("size", 0)),
                    mtime_ns=int(d.get("mtime_ns", 0)), mode=int(d.get("mode", 0o644)) & 0o7777,
                    sha256=str(d.get("sha256", "")),
                    chunks=[str(c) for c in d["chunks"]] if "chunks" in d else
                    ([str(d.get("sha256", ""))] if int(d.get("size", 0)) else []),
                    target=str(d.get("target", "")), ctime_ns=int(d.get("ctime_ns", 0)), ino=int(d.get("ino", 0)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadListing(f"a file entry is malformed ({type(exc).__name__}: {exc})") from None
        if e.type not in (FILE, DIR, LINK) or not safe_relative(e.path) or e.size < 0:
            raise BadListing(f"a file entry is not allowed: {e.path[:80]!r}")
        if e.type == FILE and (not _hex(e.sha256, 64) or not all(_hex(c, 64) for c in e.chunks)):
            raise BadListing(f"the file entry {e.path[:80]!r} has a malformed checksum")
        return e


def safe_relative(path: str) -> bool:
    """A relative '/'-separated path that stays inside the folder it is restored into."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path or ":" in path.split("/")[0]:
        return False
    parts = path.split("/")
    return all(p not in ("", ".", "..") for p in parts) and posixpath.normpath(path) == path


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _hex(text: str, n: int) -> bool:
    return len(text) == n == 64 and _HEX64.fullmatch(text) is not None
