"""Restoring attachment folders in place, with the live restore of their database.

*Planning* compares a folder as it is now with a snapshot's list and says which files (and
links) come back, change or go; nothing is written. *Applying* makes the folder what the
snapshot lists: files that go are removed, files that come back or change are written under
a temporary name, checked against their SHA-256, then renamed over the old name; links are
recreated as links. The live restore stores the folders in its before-restore safety
snapshot first, so Undo brings back every file this removed or overwrote.

A merge (``merge=True``) only brings back files that are missing now and keeps every file
added or changed since, like the rows of a merged table.

Nothing is ever written or removed through a link inside the folder: on POSIX every folder
is opened relative to its parent with ``O_NOFOLLOW`` and every change is made through that
descriptor (``dir_fd``); elsewhere each step checks with ``lstat`` that no part of the path
is a link. The folder the user has (its own path) may itself be reached through a link.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..faults import reached
from ..progress import CancelToken, Progress, no_progress
from ..repo.manifest import AttachmentSet
from ..repo.packs import BlobRef, FormatError, FrameCache
from ..repo.repository import Repository
from .listing import read_listing
from .model import DIR, FILE, LINK, BadListing, FileEntry, Problem
from .rebuild import FilesReport, attachment_refs, file_content
from .capture import kept_out
from .walk import DIR_FD, Found, FolderGone, excluded_inside, open_file, walk

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(slots=True)
class FolderChanges:
    """What restoring one attachment folder in place does (the preview)."""
    folder: str
    come_back: list[str] = field(default_factory=list)    # missing now, in the backup
    change: list[str] = field(default_factory=list)       # different now
    go: list[str] = field(default_factory=list)           # not in the backup (removed)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)     # could not be compared (unreadable now)
    merge: bool = False                                   # only bring back; keep what was added or changed
    #: paths never touched (the databases and their journals, the repository: capture.kept_out)
    keep: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        return not (self.come_back or self.change or self.go)

    def to_json(self) -> dict:
        return {"folder": self.folder, "come_back": len(self.come_back), "change": len(self.change),
                "go": len(self.go), "unchanged": self.unchanged, "first": {
                    "come_back": self.come_back[:5], "change": self.change[:5], "go": self.go[:5]},
                "problems": self.problems}

    def line(self) -> str:
        return (f"attachments in {self.folder}: files to bring back {len(self.come_back)}, to change "
                f"{len(self.change)}, to remove {len(self.go)}, unchanged {self.unchanged}")


def _current(folder: Path, keep: tuple[str, ...]) -> tuple[dict[str, Found], list[Problem]]:
    """The folder as it is now, without what is kept out (never removed or overwritten)."""
    problems: list[Problem] = []
    try:
        return {f.rel: f for f in walk(folder, problems, excluded_inside(folder, keep))}, problems
    except FolderGone:
        return {}, []


def _same_file(found: Found, e: FileEntry) -> bool:
    if found.st.st_size != e.size:
        return False
    if found.st.st_mtime_ns == e.mtime_ns:
        return True             # as a backup decides (restic, rsync): same size and time
    h = hashlib.sha256()
    fd = open_file(found)
    try:
        while chunk := os.read(fd, 1024 * 1024):
            h.update(chunk)
    finally:
        os.close(fd)
    return h.hexdigest() == e.sha256


def plan_folder(entries: list[FileEntry], folder: str, merge: bool = False,
                keep: tuple[str, ...] = ()) -> FolderChanges:
    """Compare ``folder`` now with ``entries`` (a snapshot's list of it). What ``keep`` names
    (and every sub-folder that is a backup folder) is neither compared nor ever changed."""
    out = FolderChanges(folder, merge=merge, keep=keep)
    have, problems = _current(Path(folder), keep)
    out.problems = [f"{p.path}: {p.reason}" for p in problems]
    want = {e.path: e for e in entries}
    for rel, e in want.items():
        cur = have.get(rel)
        if e.type == DIR:
            if cur is not None and cur.type != DIR and not merge:
                out.go.append(rel)          # a file or link where the backup had a folder
            continue
        if cur is None:
            out.come_back.append(rel)
        elif e.type == LINK:
            same = cur.type == LINK and cur.target == e.target
            out.unchanged += same
            if not same:
                out.change.append(rel)
        else:
            try:
                same = cur.type == FILE and _same_file(cur, e)
            except OSError as exc:
                out.problems.append(f"{rel}: cannot be read now ({exc.strerror or exc})")
                continue
            out.unchanged += same
            if not same:
                out.change.append(rel)
    if not merge:
        for rel, cur in have.items():
            if cur.type != DIR and rel not in want:
                out.go.append(rel)
    if merge:
        out.unchanged += len(out.change)
        out.change = []
    out.go.sort(reverse=True)           # deepest first
    return out


class _Folder:
    """Changes inside one folder, never through a link in it (see the module's text)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.fd = os.open(root, os.O_RDONLY | _DIRECTORY) if DIR_FD else None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)

    def parent(self, rel: str, create: bool = False) -> tuple[int | None, str, Path]:
        """(descriptor of the parent folder or None, last name, full path). Folders on the
        way are created when ``create``; a link or file on the way raises OSError."""
        parts = rel.split("/")
        full = self.root.joinpath(*parts)
        if not DIR_FD:
            cur = self.root
            for p in parts[:-1]:
                cur = cur / p
                try:
                    st = os.lstat(cur)
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(cur)
                    continue
                if stat.S_ISLNK(st.st_mode) or getattr(st, "st_file_attributes", 0) & 0x400 or \
                        not stat.S_ISDIR(st.st_mode):
                    raise OSError(errno.ELOOP, "a part of the path is a link or a file; nothing written through it")
            return None, parts[-1], full
        fd = os.dup(self.fd)
        try:
            for p in parts[:-1]:
                try:
                    nxt = os.open(p, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(p, 0o755, dir_fd=fd)
                    nxt = os.open(p, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise OSError(errno.ELOOP, "a part of the path is a link or a file; nothing written "
                                                   "through it") from None
                    raise
                os.close(fd)
                fd = nxt
            return fd, parts[-1], full
        except BaseException:
            os.close(fd)
            raise

    def _done(self, fd: int | None) -> None:
        if fd is not None:
            os.close(fd)

    def remove(self, rel: str) -> None:
        fd, name, full = self.parent(rel)
        try:
            st = os.lstat(name, dir_fd=fd) if fd is not None else os.lstat(full)
            if stat.S_ISDIR(st.st_mode):
                os.rmdir(name, dir_fd=fd) if fd is not None else os.rmdir(full)
            else:
                os.unlink(name, dir_fd=fd) if fd is not None else os.unlink(full)
        finally:
            self._done(fd)

    def make_dir(self, rel: str, mode: int) -> None:
        fd, name, full = self.parent(rel, create=True)
        try:
            try:
                os.mkdir(name, mode or 0o755, dir_fd=fd) if fd is not None else os.mkdir(full, mode or 0o755)
            except FileExistsError:
                st = os.lstat(name, dir_fd=fd) if fd is not None else os.lstat(full)
                if not stat.S_ISDIR(st.st_mode):
                    raise OSError(errno.EEXIST, "a file or link is where the backup has a folder") from None
        finally:
            self._done(fd)

    def link(self, rel: str, target: str) -> None:
        fd, name, full = self.parent(rel, create=True)
        try:
            try:
                os.unlink(name, dir_fd=fd) if fd is not None else os.unlink(full)
            except FileNotFoundError:
                pass
            os.symlink(target, name, dir_fd=fd) if fd is not None else os.symlink(target, full)
        finally:
            self._done(fd)

    def write(self, rel: str, e: FileEntry, chunks, plain: bool) -> None:
        fd, name, full = self.parent(rel, create=True)
        tmp = f".{name}.kbrestore"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW
            try:
                os.unlink(tmp, dir_fd=fd) if fd is not None else os.unlink(full.with_name(tmp))
            except FileNotFoundError:
                pass                       # (a temporary name left by a killed restore)
            out = os.open(tmp, flags, 0o600, dir_fd=fd) if fd is not None else os.open(full.with_name(tmp), flags,
                                                                                        0o600)
            ok = False
            try:
                h, size = hashlib.sha256(), 0
                single = plain and len(e.chunks) == 1
                for data in chunks:
                    if not single:
                        h.update(data)
                    size += len(data)
                    view = memoryview(data)
                    while view:
                        view = view[os.write(out, view):]
                if size != e.size or (e.chunks[0] if single else h.hexdigest()) != e.sha256:
                    raise FormatError("its content differs from what was backed up; the file now there was kept")
                os.fchmod(out, e.mode & 0o7777 or 0o644) if hasattr(os, "fchmod") else None
                os.fsync(out)
                os.close(out)
                out = -1
                if fd is not None:
                    os.utime(tmp, ns=(e.mtime_ns, e.mtime_ns), dir_fd=fd, follow_symlinks=False)
                    os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
                else:
                    os.utime(full.with_name(tmp), ns=(e.mtime_ns, e.mtime_ns))
                    os.replace(full.with_name(tmp), full)
                ok = True
            finally:
                if out >= 0:
                    os.close(out)
                if not ok:
                    try:
                        os.unlink(tmp, dir_fd=fd) if fd is not None else os.unlink(full.with_name(tmp))
                    except OSError:
                        pass
        finally:
            self._done(fd)


def apply_folder(repo: Repository, aset: AttachmentSet, entries: list[FileEntry], changes: FolderChanges,
                 refs: dict[bytes, BlobRef], cache: FrameCache, progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> FilesReport:
    """Make the folder what ``entries`` list, as ``changes`` (planned just before, under the
    database's lock) says. Problems are listed, not fatal: the safety snapshot holds the
    folder as it was."""
    cancel = cancel or CancelToken()
    report = FilesReport()
    plain = repo.codec.blob_id(b"") == hashlib.sha256(b"").digest()
    place = _Folder(Path(aset.folder))
    want = {e.path: e for e in entries}
    try:
        for rel in changes.go:                      # deepest first
            _try(report, rel, lambda r=rel: place.remove(r))
        gone_dirs = [] if changes.merge else sorted(
            {rel for rel in _dirs_now(Path(aset.folder), changes.keep) if rel not in want or want[rel].type != DIR},
            reverse=True)
        for rel in gone_dirs:                       # folders the backup did not have, now empty
            _try(report, None, lambda r=rel: place.remove(r))
        for e in entries:
            if e.type == DIR:
                _try(report, e.path, lambda e=e: place.make_dir(e.path, e.mode & 0o7777))
        todo = changes.come_back + changes.change
        for n, rel in enumerate(todo):
            cancel.check()
            e = want[rel]
            if e.type == LINK:
                if _try(report, rel, lambda e=e: place.link(e.path, e.target)):
                    report.links += 1
            elif _try(report, rel, lambda e=e: place.write(e.path, e, file_content(repo, e, refs, cache), plain)):
                reached("attachments.restored")
                report.files += 1
                report.bytes += e.size
            progress("attachments", n + 1, len(todo))
    finally:
        place.close()
    return report


def _try(report: FilesReport, rel: str | None, step) -> bool:
    try:
        step()
        return True
    except (OSError, FormatError) as exc:
        if rel is not None:
            report.add(f"{rel}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}")
        return False


def _dirs_now(folder: Path, keep: tuple[str, ...]) -> list[str]:
    have, _ = _current(folder, keep)
    return [rel for rel, f in have.items() if f.type == DIR]


def plan_sets(repo: Repository, sets: list[AttachmentSet], merge: bool, db_paths=()) -> list[FolderChanges]:
    """The preview of restoring every captured attachment folder of a snapshot in place;
    ``db_paths``: the database restored into (and the one backed up), never touched."""
    refs = attachment_refs(repo)
    cache = repo.frame_cache()
    keep = kept_out(repo, db_paths)
    return [plan_folder(read_listing(repo, a, refs, cache), a.folder, merge, keep) for a in sets if a.captured]


def restore_sets_in_place(repo: Repository, sets: list[AttachmentSet], merge: bool, db_paths=(),
                          progress: Progress = no_progress, cancel: CancelToken | None = None
                          ) -> list[tuple[FolderChanges, FilesReport]]:
    """Plan again (the folder may have changed since the preview) and apply every captured
    attachment folder of a snapshot in place; ``db_paths`` as for ``plan_sets``."""
    refs = attachment_refs(repo)
    cache = repo.frame_cache()
    keep = kept_out(repo, db_paths)
    out = []
    for aset in sets:
        if not aset.captured:
            continue
        try:
            entries = read_listing(repo, aset, refs, cache)
            changes = plan_folder(entries, aset.folder, merge, keep)
        except (FormatError, BadListing, OSError) as exc:
            # the database is restored already: say what could not be done, never undo it silently
            failed = FilesReport()
            failed.add(f"the folder was left as it is: {exc.strerror if isinstance(exc, OSError) else exc}")
            out.append((FolderChanges(aset.folder, merge=merge), failed))
            continue
        out.append((changes, apply_folder(repo, aset, entries, changes, refs, cache, progress, cancel)))
    return out
