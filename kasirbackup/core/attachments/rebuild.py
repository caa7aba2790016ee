"""Getting attachment files back: checking every file of a snapshot (the drill) and
writing them into a new folder.

Every chunk is checked against its id as it is read and every file against the SHA-256
and size in its entry, so a file that does not come back exactly as it was backed up is
never left in the target folder under its name.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..faults import reached
from ..scratch import current_umask
from ..progress import CancelToken, Progress, no_progress
from ..repo.packs import BLOB_CHUNK, BLOB_FILES, BLOB_TREE, BlobRef, FormatError, FrameCache
from ..repo.repository import Repository
from .listing import checked_blob, read_listing
from .model import DIR, FILE, LINK, AttachmentSet, BadListing, FileEntry

MAX_REPORTED = 20
CHECK_THREADS = 2
SYNC_AT_END = hasattr(os, "sync")      # POSIX: one sync at the end; elsewhere each file is flushed
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def attachment_refs(repo: Repository, present: set[str] | None = None) -> dict[bytes, BlobRef]:
    """Where every tree, file-list piece and chunk is (one pass over the index)."""
    return repo.scan_index(lambda b, t: t in (BLOB_TREE, BLOB_FILES, BLOB_CHUNK), present=present)


def file_content(repo: Repository, entry: FileEntry, refs: dict[bytes, BlobRef], cache: FrameCache):
    """The chunks of one file, each checked against its id; FormatError on the first that
    is missing or damaged."""
    for c in entry.chunks:
        yield checked_blob(repo, refs, cache, bytes.fromhex(c), BLOB_CHUNK, "its part")


@dataclass(slots=True)
class FilesReport:
    files: int = 0
    bytes: int = 0
    links: int = 0
    folders: int = 0
    rebuilt: int = 0          # (the check) files read back; the others were proven by an earlier check
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, text: str) -> None:
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(text)
        elif len(self.problems) == MAX_REPORTED:
            self.problems.append("… and more")


def check_attachments(repo: Repository, sets: list[AttachmentSet], progress: Progress = no_progress,
                      cancel: CancelToken | None = None, refs: dict[bytes, BlobRef] | None = None,
                      proven: set[bytes] | frozenset = frozenset(),
                      proven_roots: set[str] | frozenset = frozenset()) -> FilesReport:
    """The drill's part for attachments: every file rebuilt in memory, chunk by chunk, and
    its SHA-256 and size compared with its entry. A file whose chunks are all in ``proven``
    (the blobs of the previous snapshot, whose own check rebuilt them) and in packs that are
    present is counted without being read again; so is a whole folder whose list is one of
    ``proven_roots`` (the previous snapshot's, every blob of it present)."""
    cancel = cancel or CancelToken()
    report = FilesReport()
    if not sets:
        return report
    refs = attachment_refs(repo) if refs is None else refs
    cache = repo.frame_cache()
    plain = repo.codec.blob_id(b"") == hashlib.sha256(b"").digest()
    todo: list[tuple[str, FileEntry]] = []
    for aset in sets:
        if aset.root in proven_roots:
            # the very list of the previous checked snapshot, every piece and chunk present
            report.files += aset.files
            report.bytes += aset.bytes
            continue
        try:
            entries = read_listing(repo, aset, refs, cache)
        except (FormatError, BadListing) as exc:
            report.add(f"the file list of {aset.name} cannot be read: {exc}")
            continue
        for e in entries:
            if e.type != FILE:
                continue
            if proven and all((bid := bytes.fromhex(c)) in proven and bid in refs for c in e.chunks):
                report.files += 1
                report.bytes += e.size
            else:
                todo.append((aset.name, e))
    # two threads, each with its own frame cache: hashing and decompressing let go of the GIL
    total = len(todo)
    halves = [todo[i::CHECK_THREADS] for i in range(CHECK_THREADS)]
    with ThreadPoolExecutor(max_workers=CHECK_THREADS, thread_name_prefix="check-files") as pool:
        futures = [pool.submit(_check_files, repo, part, refs, plain, cancel) for part in halves if part]
        for fut in futures:
            for name, path, size, problem in fut.result():
                if problem:
                    report.add(f"{name}/{path}: {problem}")
                else:
                    report.files += 1
                    report.rebuilt += 1
                    report.bytes += size
            progress("attachments", report.rebuilt, total)
    return report


def _check_files(repo: Repository, items: list[tuple[str, FileEntry]], refs: dict[bytes, BlobRef], plain: bool,
                 cancel: CancelToken) -> list[tuple[str, str, int, str]]:
    """Rebuild ``items`` in memory; (name, path, size, problem or '') for each."""
    cache = repo.frame_cache()
    out = []
    for name, e in items:
        cancel.check()
        h, size = hashlib.sha256(), 0
        single = plain and len(e.chunks) == 1
        try:
            for data in file_content(repo, e, refs, cache):
                if not single:         # (one chunk: its id, just checked, is the file's SHA-256)
                    h.update(data)
                size += len(data)
        except FormatError as exc:
            out.append((name, e.path, size, str(exc)))
            continue
        digest = e.chunks[0] if single else h.hexdigest()
        bad = size != e.size or digest != e.sha256
        out.append((name, e.path, size, "its content differs from what was backed up" if bad else ""))
    return out


def selected(entries: list[FileEntry], only: str | None) -> list[FileEntry]:
    """The entries at or under ``only`` (a relative path inside the folder), or all."""
    if not only:
        return entries
    only = only.strip("/")
    return [e for e in entries if e.path == only or e.path.startswith(only + "/")]


def restore_files(repo: Repository, aset: AttachmentSet, target: str | os.PathLike, only: str | None = None,
                  progress: Progress = no_progress, cancel: CancelToken | None = None,
                  refs: dict[bytes, BlobRef] | None = None) -> FilesReport:
    """Write the files of one attachment folder (or only the file or folder ``only``) into
    ``target``, a folder that must not exist yet. Folders are created as needed; each file
    is written under a temporary name, checked, then given its name, time and permissions;
    links are recreated as links (never followed). Problems are listed, not fatal."""
    cancel = cancel or CancelToken()
    refs = attachment_refs(repo) if refs is None else refs
    cache = repo.frame_cache()
    plain = repo.codec.blob_id(b"") == hashlib.sha256(b"").digest()
    entries = selected(read_listing(repo, aset, refs, cache), only)
    report = FilesReport()
    root = Path(target)
    os.makedirs(root.parent, exist_ok=True)
    os.mkdir(root, 0o700)          # FileExistsError: the caller names a new folder
    dirs: list[tuple[Path, FileEntry]] = []
    written: list[tuple[Path, Path, FileEntry]] = []
    for e in entries:
        cancel.check()
        dest = root.joinpath(*e.path.split("/"))
        try:
            _make_parents(root, dest)
            if e.type == DIR:
                if not dest.is_dir() or dest.is_symlink():
                    os.mkdir(dest, 0o700)
                dirs.append((dest, e))
                report.folders += 1
            elif e.type == LINK:
                os.symlink(e.target, dest)
                report.links += 1
            else:
                tmp = _write_file(repo, e, dest, refs, cache, plain)
                if SYNC_AT_END:
                    written.append((tmp, dest, e))
                else:
                    _name(tmp, dest)
                    _count(report, e, aset, progress)
        except (OSError, FormatError) as exc:
            what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            report.add(f"{e.path}: {what}")
    if SYNC_AT_END:
        # every file's content reaches the disk (one sync, not one per file) before any of
        # them gets its name: a power cut leaves checked files or temporary names, never a
        # file under its name with bytes that were never written
        os.sync()
        for tmp, dest, e in written:
            try:
                _name(tmp, dest)
                _count(report, e, aset, progress)
            except OSError as exc:
                report.add(f"{e.path}: {exc.strerror or exc}")
        os.sync()
    try:
        os.chmod(root, 0o777 & ~current_umask())      # created private while being written
    except OSError:
        pass
    for dest, e in reversed(dirs):           # (writing into a folder changes its time)
        try:
            os.chmod(dest, e.mode & 0o7777 or 0o755)
            os.utime(dest, ns=(e.mtime_ns, e.mtime_ns))
        except OSError:
            pass
    return report


def _make_parents(root: Path, dest: Path) -> None:
    """Create the folders between ``root`` and ``dest``; a link on the way is refused."""
    cur = root
    for part in dest.relative_to(root).parts[:-1]:
        cur = cur / part
        if cur.is_symlink():
            raise OSError(f"{cur.relative_to(root).as_posix()} is a link in the backup; nothing is written through it")
        if not cur.exists():
            os.mkdir(cur, 0o700)


def _count(report: FilesReport, e: FileEntry, aset: AttachmentSet, progress: Progress) -> None:
    reached("attachments.restored")
    report.files += 1
    report.bytes += e.size
    progress("attachments", report.files, aset.files)


def _name(tmp: Path, dest: Path) -> None:
    """Give a written and checked file its name (never replacing anything)."""
    try:
        if os.path.lexists(dest):
            raise FileExistsError(17, "already exists in the target folder", str(dest))
        os.replace(tmp, dest)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_file(repo: Repository, e: FileEntry, dest: Path, refs: dict[bytes, BlobRef], cache: FrameCache,
                plain: bool) -> Path:
    """Write one file under a temporary name beside ``dest`` and check it; that name."""
    tmp = dest.with_name(f".{dest.name}.kbrestore")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW, 0o600)
    ok = False
    try:
        h, size = hashlib.sha256(), 0
        single = plain and len(e.chunks) == 1      # (its id, checked as it is read, is the file's SHA-256)
        with os.fdopen(fd, "wb", closefd=True) as out:
            for data in file_content(repo, e, refs, cache):
                if not single:
                    h.update(data)
                size += len(data)
                out.write(data)
            out.flush()
            if not SYNC_AT_END:
                os.fsync(out.fileno())
        if size != e.size or (e.chunks[0] if single else h.hexdigest()) != e.sha256:
            raise FormatError("its content differs from what was backed up; it was not restored")
        os.chmod(tmp, e.mode & 0o7777 or 0o644)
        os.utime(tmp, ns=(e.mtime_ns, e.mtime_ns))
        ok = True
        return tmp
    finally:
        if not ok:
            try:
                os.unlink(tmp)
            except OSError:
                pass
