"""Capturing an attachment folder into the repository.

Each file is read once, in windows of 16 MiB, cut into content-defined chunks (FastCDC:
at least 256 KiB, about 1 MiB, at most 4 MiB; a file smaller than that is one chunk), and
each chunk stored unless the repository has it. An edited large file therefore adds only
the chunks around the edit, and a photo that did not change adds nothing. A file that
changed while it was read (size or modification time differ before and after) is read
again, up to three times. A file whose size, modification time, change time and inode
are those of the previous snapshot's entry, and whose chunks the repository holds, is
taken from that entry without being read (as restic and rsync do).

Data that is compressed already (JPEG, PNG, GIF, WEBP, PDF, ZIP and Office files, gzip,
zstd, MP4/HEIC…) goes into frames of their own at a fast zstd level, which then stores
it nearly as is.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pyfastcdc import FastCDC

from ..errors import AttachFolderMissing
from ..faults import reached
from ..progress import CancelToken, Progress, no_progress
from ..repo.packs import BLOB_CHUNK, FAST_LEVEL, ZSTD_LEVEL
from ..repo.repository import BlobSink
from .listing import store_listing
from .model import DIR, FILE, LINK, AttachmentSet, FileEntry, Problem
from .walk import Found, excluded_inside, open_file, walk

CHUNK_MIN, CHUNK_AVG, CHUNK_MAX = 256 * 1024, 1024 * 1024, 4 * 1024 * 1024
WINDOW = 16 * 1024 * 1024
READ_TRIES = 3

_COMPRESSED = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04",
               b"\x1f\x8b", b"\x28\xb5\x2f\xfd", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"BZh",
               b"\xfd7zXZ\x00", b"OggS", b"ID3", b"fLaC", b"\x00\x00\x00\x0cjP  ")


def compressed_already(head: bytes) -> bool:
    """Whether a file starting with ``head`` holds compressed data (by its magic bytes)."""
    if head.startswith(_COMPRESSED):
        return True
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"AVI "):
        return True
    return head[4:8] == b"ftyp"          # MP4, MOV, HEIC, AVIF


@dataclass(slots=True)
class FolderStats:
    files: int = 0
    read: int = 0               # files read (the others were unchanged since the last snapshot)
    bytes_read: int = 0
    new_chunks: int = 0


@dataclass(slots=True)
class FolderCapture:
    set: AttachmentSet          # for the manifest
    entries: list[FileEntry]
    blob_ids: set[bytes]        # every blob the folder's listing references (for the readback)


@dataclass(slots=True)
class _Reading:
    chunks: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    stable: bool = False
    st: os.stat_result | None = None


class _Chunker:
    def __init__(self, sink: BlobSink, stats: FolderStats) -> None:
        self.sink = sink
        self.stats = stats
        self.cdc = FastCDC(avg_size=CHUNK_AVG, min_size=CHUNK_MIN, max_size=CHUNK_MAX)
        self.plain_ids = sink.codec.blob_id(b"") == hashlib.sha256(b"").digest()

    def read(self, fd: int) -> _Reading:
        """Read one open file whole: its chunks (stored), SHA-256 and size, and whether it
        stayed the same while it was read."""
        st0 = os.fstat(fd)
        out = _Reading(st=st0)
        whole = hashlib.sha256()
        first = b""             # the first window, hashed whole only if the file turns out longer
        carry = b""
        level = None
        one_chunk_id = b""
        n_cuts = windows = 0
        while True:
            data = _read_window(fd)
            out.size += len(data)
            if data:
                windows += 1
                if windows == 1:
                    first = data
                else:
                    if windows == 2:
                        whole.update(first)
                        first = b""
                    whole.update(data)
            buf = carry + data if carry else data
            if level is None:
                level = FAST_LEVEL if compressed_already(buf[:16]) else ZSTD_LEVEL
            if not buf:
                break
            cuts = list(self.cdc.cut_buf(buf))
            keep = cuts if not data else cuts[:-1]    # the last cut may continue in the next window
            mv = memoryview(buf)
            for c in keep:
                piece = mv[c.offset:c.offset + c.length]
                bid = self.sink.codec.blob_id(piece)
                if self.sink.put_blob(bid, BLOB_CHUNK, bytes(piece), level):
                    self.stats.new_chunks += 1
                out.chunks.append(bid.hex())
                one_chunk_id = bid
                n_cuts += 1
            if not data:
                break
            carry = bytes(mv[cuts[-1].offset:]) if cuts else b""
        self.stats.bytes_read += out.size
        if n_cuts == 1 and self.plain_ids:
            out.sha256 = one_chunk_id.hex()         # one chunk, named by the SHA-256 of its bytes
        else:
            if windows == 1:
                whole.update(first)
            out.sha256 = whole.hexdigest()
        st1 = os.fstat(fd)
        out.st = st1
        out.stable = (st0.st_size, st0.st_mtime_ns) == (st1.st_size, st1.st_mtime_ns) and out.size == st1.st_size
        return out


def _read_window(fd: int) -> bytes:
    parts = []
    n = 0
    while n < WINDOW:
        chunk = os.read(fd, WINDOW - n)
        if not chunk:
            break
        parts.append(chunk)
        n += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _unchanged(prev: FileEntry | None, st: os.stat_result, known: set[bytes]) -> bool:
    return (prev is not None and prev.type == FILE and prev.size == st.st_size and prev.mtime_ns == st.st_mtime_ns
            and prev.ctime_ns == st.st_ctime_ns and prev.ino == st.st_ino and prev.ino != 0
            and all(bytes.fromhex(c) in known for c in prev.chunks))


def capture_folder(folder: str | os.PathLike, sink: BlobSink, previous: dict[str, FileEntry] | None = None,
                   progress: Progress = no_progress, cancel: CancelToken | None = None,
                   stats: FolderStats | None = None, exclude: tuple[str, ...] = ()) -> FolderCapture:
    """Store one attachment folder. Raises ``walk.FolderGone`` when the folder itself is
    missing or not a folder. Paths in ``exclude`` (the database and its journal, the backup
    folder) are left out when they lie inside it: the database is in the snapshot as pages,
    copied consistently; a raw copy of it here could be torn."""
    cancel = cancel or CancelToken()
    previous = previous or {}
    stats = stats if stats is not None else FolderStats()
    path = Path(os.path.abspath(os.path.expanduser(os.fspath(folder))))
    problems: list[Problem] = []
    entries: list[FileEntry] = []
    chunker = _Chunker(sink, stats)
    for found in walk(path, problems, excluded_inside(path, exclude)):
        cancel.check()
        mode = stat.S_IMODE(found.st.st_mode)
        if found.type == DIR:
            entries.append(FileEntry(found.rel, DIR, mtime_ns=found.st.st_mtime_ns, mode=mode))
        elif found.type == LINK:
            entries.append(FileEntry(found.rel, LINK, mtime_ns=found.st.st_mtime_ns, mode=mode, target=found.target))
        else:
            entry = _capture_file(found, previous.get(found.rel), chunker, sink.known, problems)
            if entry is not None:
                entries.append(entry)
                stats.files += 1
                reached("attachments.file")
                progress("attachments", stats.files, 0)
    entries.sort(key=lambda e: e.path)
    return _finish(str(path), entries, problems, sink)


def attach_folders(folders: list[str]) -> list[str]:
    """The absolute paths of attachment folders given by a user; AttachFolderMissing for one
    that is not a folder (now: a folder that goes missing later is recorded as missing)."""
    out = []
    for f in folders:
        path = os.path.abspath(os.path.expanduser(f))
        if not os.path.isdir(path):
            raise AttachFolderMissing(path=path)
        out.append(path)
    return list(dict.fromkeys(out))


def kept_out(repo, db_paths) -> tuple[str, ...]:
    """What is never an attachment file, to back up or to restore over: the databases (with
    their ``-journal``, ``-wal`` and ``-shm``) and the repository's folder. The databases are in
    snapshots as pages, copied consistently; a raw copy could be torn, and a restore in place
    must never remove or overwrite them."""
    out: list[str] = []
    for db in dict.fromkeys(os.path.abspath(os.path.expanduser(os.fspath(d))) for d in db_paths if d):
        out += [db, *(db + s for s in ("-journal", "-wal", "-shm"))]
    root = repo_folder(repo)
    return tuple(out) + ((root,) if root else ())


def repo_folder(repo) -> str | None:
    """The repository's folder, when it is a folder (online storage has none)."""
    root = getattr(repo.storage, "root", None)
    return str(root) if root is not None else None


def missing_folder(folder: str | os.PathLike, reason: str, sink: BlobSink) -> FolderCapture:
    """What a snapshot records for an attachment folder that is not there: no files, and the
    problem (a restore then leaves that folder alone)."""
    path = os.path.abspath(os.path.expanduser(os.fspath(folder)))
    return _finish(path, [], [Problem("", reason)], sink)


def _finish(path: str, entries: list[FileEntry], problems: list[Problem], sink: BlobSink) -> FolderCapture:
    root, pieces = store_listing(entries, sink)
    files = [e for e in entries if e.type == FILE]
    ids = {bytes.fromhex(root), *pieces, *(bytes.fromhex(c) for e in files for c in e.chunks)}
    aset = AttachmentSet(folder=path, root=root, files=len(files), bytes=sum(e.size for e in files),
                         problems=problems)
    return FolderCapture(aset, entries, ids)


def _capture_file(found: Found, prev: FileEntry | None, chunker: _Chunker, known: set[bytes],
                  problems: list[Problem]) -> FileEntry | None:
    st = found.st
    if _unchanged(prev, st, known):
        return FileEntry(found.rel, FILE, size=prev.size, mtime_ns=prev.mtime_ns, mode=stat.S_IMODE(st.st_mode),
                         sha256=prev.sha256, chunks=list(prev.chunks), ctime_ns=prev.ctime_ns, ino=prev.ino)
    reading = None
    for _ in range(READ_TRIES):
        try:
            fd = open_file(found)
        except FileNotFoundError:
            problems.append(Problem(found.rel, "deleted while the backup ran; not in this backup"))
            return None
        except OSError as exc:
            reason = "became a link while it was read; not followed" if exc.errno == errno.ELOOP or \
                getattr(exc, "winerror", None) == 1920 else f"cannot be read: {exc.strerror or exc}"
            problems.append(Problem(found.rel, reason))
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                problems.append(Problem(found.rel, "is no longer a regular file; left out"))
                return None
            reading = chunker.read(fd)
        except OSError as exc:
            problems.append(Problem(found.rel, f"cannot be read: {exc.strerror or exc}"))
            return None
        finally:
            os.close(fd)
        chunker.stats.read += 1
        if reading.stable:
            break
    if not reading.stable:
        problems.append(Problem(found.rel, f"kept changing while it was read ({READ_TRIES} times); "
                                           "the last reading is in this backup"))
    rst = reading.st
    return FileEntry(found.rel, FILE, size=reading.size, mtime_ns=rst.st_mtime_ns, mode=stat.S_IMODE(rst.st_mode),
                     sha256=reading.sha256, chunks=reading.chunks,
                     ctime_ns=rst.st_ctime_ns if reading.stable else 0, ino=rst.st_ino if reading.stable else 0)
