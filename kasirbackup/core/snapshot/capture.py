"""Taking a consistent copy of a live SQLite database without making its writer wait.

Two methods, chosen by the journal mode written in the database header:

*Rollback journal* (the POS case). A reader holding SQLite's SHARED lock stops every
writer from committing, and the POS gives up after its 5 s busy timeout. So the file is
read in 4 MiB batches, each under its own short SHARED lock taken through SQLite (while
we hold it, no process can be writing the file, and a hot journal has been rolled back),
and every page is hashed as it arrives. Then one *final sweep* under a single SHARED lock
re-reads the file and compares it, 64 KiB at a time, against an xxh3 fingerprint taken
during the batches; only blocks that differ are re-hashed page by page. If the file
change counter never moved since the batches read it, the final sweep is skipped
entirely. The final sweep has a time budget: when the file is too slow to read within it
(not in the OS cache), the lock is released, a catch-up pass in short batches runs and
the sweep is tried again. The result is the database exactly as it was at the moment of
the final lock — later than the start of the backup, so every sale acknowledged before
the backup started is in it.

*WAL*. Readers never block writers in WAL mode, and the newest pages live in the -wal
file, so SQLite's online backup API copies the database in one step (one read
transaction, which does not stop the writer) into a temporary file, which is then read
like any quiet file.

The source is opened read-only: we never write to it, never checkpoint it and never
create, move or delete its -journal, -wal or -shm files.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import xxhash

from ..errors import (DatabaseBusy, DatabaseCorrupt, DatabaseTooBusy, KasirBackupError, NotADatabase,
                      SourceUnreadable)
from ..progress import CancelToken, Progress
from ..sqlitefile import Header, check_source, connect_claimed, connect_readonly, parse_header, remove_db_files
from ..scratch import scratch_file
from .seed import Seed
from .raw_read import Truncated, done_raw, open_raw, pread, read_pages

BATCH_BYTES = 4 * 1024 * 1024
BLOCK_BYTES = 64 * 1024
MAX_HELD_CHANGES = 256 * 1024 * 1024


class NeedsRecoveryReadOnly(KasirBackupError):
    code = "needs-recovery-read-only"
    template = ("The database {path} was left half-written by the program that uses it, and it cannot be "
                "repaired here because its folder or disk is read-only.")
    hint = ("Open the database once with that program on a writable disk (it repairs itself), or copy the "
            "whole folder, with its -journal file, to a writable disk and back up that copy.")


class PageStore(Protocol):
    def put(self, blob_id: bytes, data: bytes, index: int) -> None:
        """Receive page number ``index`` (0-based). A page may be sent again with newer
        content when it changed during the copy; the last one sent wins."""


@dataclass(slots=True)
class CaptureOptions:
    busy_timeout_s: float = 30.0      # how long to wait for the writer to let us read
    lock_budget_s: float = 2.0        # longest single SHARED lock we allow ourselves
    max_final_attempts: int = 6
    tmpdir: str | None = None         # for the WAL method's temporary copy
    page_id: Callable[[bytes], bytes] = field(default=lambda page: hashlib.sha256(page).digest())
    #: what the last capture of this database saw (snapshot/seed.py): blocks whose bytes
    #: fingerprint the same keep their page ids, and only the rest are hashed
    seed: Seed | None = None


@dataclass(slots=True)
class CaptureResult:
    header: Header
    page_ids: list[bytes]
    method: str                       # "pages" or "backup-api"
    passes: int = 1
    final_sweeps: int = 0
    max_lock_s: float = 0.0
    total_lock_s: float = 0.0
    changed_in_final: int = 0
    copy_s: float = 0.0               # WAL method: time of the online-backup step
    blocks: list[bytes] = field(default_factory=list)   # the 64 KiB block fingerprints (for the next seed)
    page1: bytes = b""
    seeded: bool = False              # started from the last capture's state

    def seed(self, snapshot: str) -> Seed:
        return Seed(self.header.page_size, self.page1, self.page_ids, self.blocks, snapshot)

    @property
    def page_size(self) -> int:
        return self.header.page_size

    @property
    def image_bytes(self) -> int:
        return len(self.page_ids) * self.header.page_size

    def stats(self) -> dict:
        return {"method": self.method, "passes": self.passes, "final_sweeps": self.final_sweeps,
                "max_lock_ms": round(self.max_lock_s * 1000, 1),
                "total_lock_ms": round(self.total_lock_s * 1000, 1),
                "pages_changed_during_copy": self.changed_in_final,
                "backup_api_s": round(self.copy_s, 3), "seeded": self.seeded}


class _OverBudget(Exception):
    pass


class _PageSizeChanged(Exception):
    pass


# -- the rollback-journal method ------------------------------------------------------------------

class _Reader:
    """Holds SQLite's SHARED lock on demand and reads the file under it."""

    def __init__(self, path: Path, opts: CaptureOptions, private: bool = False) -> None:
        self.path = path
        self.opts = opts
        if private:   # a temporary file of our own: no other connection can hold locks on it
            self.fd, self._close_fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0)), True
        else:
            self.fd, self._close_fd = open_raw(path)
        self.conn = connect_readonly(path, timeout=opts.busy_timeout_s)
        self.max_lock_s = 0.0
        self.total_lock_s = 0.0
        self._since = 0.0
        self._reopened = False

    def close(self) -> None:
        self.conn.close()
        if self._close_fd:
            os.close(self.fd)
        else:
            done_raw(self.fd)

    def acquire(self) -> None:
        try:
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT 1 FROM sqlite_schema LIMIT 1").fetchall()
        except sqlite3.OperationalError as exc:
            self._rollback()
            msg = str(exc).lower()
            if "locked" in msg or "busy" in msg:
                raise DatabaseBusy(path=str(self.path), seconds=int(self.opts.busy_timeout_s)) from exc
            if ("readonly" in msg or "read-only" in msg) and self._reopened:
                # even a normal connection cannot roll the hot journal back: the medium
                # or folder is read-only. Once, not again and again.
                raise NeedsRecoveryReadOnly(path=str(self.path)) from exc
            if "readonly" in msg or "read-only" in msg:
                # a hot journal needs rolling back, which a read-only connection cannot
                # do: reopen normally (once) so that SQLite recovers the file as the POS would.
                self.conn.close()
                self.conn = connect_claimed(self.path, timeout=self.opts.busy_timeout_s,
                                            isolation_level=None, check_same_thread=False)
                self._reopened = True
                return self.acquire()
            raise SourceUnreadable(path=str(self.path), reason=str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            self._rollback()
            if "not a database" in str(exc) or "encrypted" in str(exc):
                raise NotADatabase(path=str(self.path)) from exc
            raise DatabaseCorrupt(path=str(self.path), reason=str(exc)) from exc
        self._since = time.monotonic()

    def held_for(self) -> float:
        return time.monotonic() - self._since

    def release(self) -> None:
        held = self.held_for()
        self._rollback()
        self.max_lock_s = max(self.max_lock_s, held)
        self.total_lock_s += held

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def header(self) -> tuple[Header, int]:
        hdr = parse_header(pread(self.fd, 100, 0))
        if hdr is None:
            raise NotADatabase(path=str(self.path))
        return hdr, os.fstat(self.fd).st_size


class _PageCopier:
    """The state of one copy: page ids so far and a fingerprint per 64 KiB block."""

    def __init__(self, reader: _Reader, store: PageStore, progress: Progress, cancel: CancelToken) -> None:
        self.r = reader
        self.store = store
        self.progress = progress
        self.cancel = cancel
        self.page_size = 0
        self.ids: list[bytes] = []
        self.blocks: list[bytes] = []
        self.page1 = b""
        self.changed_in_final = 0
        self.page_id = reader.opts.page_id

    def start_from(self, seed: Seed) -> None:
        """Take the last capture's state: its page ids stand until a block's bytes differ."""
        self._reset(seed.page_size)
        self.ids, self.blocks, self.page1 = list(seed.ids), list(seed.blocks), seed.page1

    def _reset(self, page_size: int) -> None:
        self.page_size = page_size
        self.ids, self.blocks = [], []
        self.block_pages = max(1, BLOCK_BYTES // page_size)
        self.batch_pages = max(self.block_pages, BATCH_BYTES // page_size // self.block_pages * self.block_pages)

    def _compare(self, first: int, data: bytes, held: dict[int, bytes] | None,
                 staged: dict[int, bytes] | None = None) -> int:
        """Compare freshly read pages with what we have and store what changed. With
        ``held``/``staged`` (the final sweep) nothing is applied yet: changed pages and new
        block fingerprints are collected and applied only if the whole sweep completes,
        so an aborted sweep leaves the state exactly as it was."""
        ps, bp = self.page_size, self.block_pages
        mv = memoryview(data)
        changed = 0
        for boff in range(0, len(data), bp * ps):
            bidx = (first * ps + boff) // (bp * ps)
            block = mv[boff:boff + bp * ps]
            fp = xxhash.xxh3_128_digest(block)
            if bidx < len(self.blocks) and self.blocks[bidx] == fp:
                continue
            for poff in range(0, len(block), ps):
                idx = (first * ps + boff + poff) // ps
                page = block[poff:poff + ps]
                pid = self.page_id(page)
                if idx < len(self.ids) and self.ids[idx] == pid:
                    continue
                changed += 1
                if held is None:
                    self._set(idx, pid, bytes(page))
                else:
                    held[idx] = bytes(page)
                    if len(held) * ps > MAX_HELD_CHANGES:
                        raise _OverBudget()
            if staged is not None:
                staged[bidx] = fp
            else:
                self._set_block(bidx, fp)
        return changed

    def _set_block(self, bidx: int, fp: bytes) -> None:
        if bidx < len(self.blocks):
            self.blocks[bidx] = fp
        else:
            self.blocks.extend([b""] * (bidx - len(self.blocks)))
            self.blocks.append(fp)

    def _set(self, idx: int, pid: bytes, page: bytes) -> None:
        self.store.put(pid, page, idx)
        if idx < len(self.ids):
            self.ids[idx] = pid
        else:
            self.ids.extend([b""] * (idx - len(self.ids)))
            self.ids.append(pid)
        if idx == 0:
            self.page1 = page

    def _truncate(self, npages: int) -> None:
        del self.ids[npages:]
        nblocks = -(-npages // self.block_pages)
        del self.blocks[nblocks:]
        if npages % self.block_pages and self.blocks:
            self.blocks[-1] = b""   # a partial block: never trust its fingerprint

    def batched_pass(self, phase: str) -> set[int]:
        """One pass over the file, each batch under its own short lock. Returns the
        change counters seen (one value means the file did not change during the pass)."""
        counters: set[int] = set()
        pos = 0
        while True:
            self.cancel.check()
            self.r.acquire()
            try:
                hdr, size = self.r.header()
                if self.page_size and hdr.page_size != self.page_size:
                    raise _PageSizeChanged()
                if not self.page_size:
                    self._reset(hdr.page_size)
                npages = hdr.page_count(size)
                n = max(0, min(self.batch_pages, npages - pos))
                data = read_pages(self.r.fd, pos, n, self.page_size) if n else b""
            finally:
                self.r.release()
            counters.add(hdr.change_counter)
            self._compare(pos, data, None)
            pos += n
            self.progress(phase, min(pos, npages), npages)
            if pos >= npages:
                self._truncate(npages)
                return counters

    def final_sweep(self, last_counters: set[int]) -> bool:
        """Under one lock: make the copy exactly the current file. False if over budget
        (then nothing of this sweep is applied)."""
        held: dict[int, bytes] = {}
        staged: dict[int, bytes] = {}
        self.r.acquire()
        try:
            hdr, size = self.r.header()
            if hdr.page_size != self.page_size:
                raise _PageSizeChanged()
            npages = hdr.page_count(size)
            if len(last_counters) == 1 and hdr.change_counter in last_counters and npages == len(self.ids):
                return True      # nothing was committed since the pass read the file
            pos = 0
            while pos < npages:
                n = min(self.batch_pages, npages - pos)
                self._compare(pos, read_pages(self.r.fd, pos, n, self.page_size), held, staged)
                pos += n
                if self.r.held_for() > self.r.opts.lock_budget_s:
                    raise _OverBudget()
        except _OverBudget:
            return False
        finally:
            self.r.release()
        for idx in sorted(held):
            page = held[idx]
            self._set(idx, self.page_id(page), page)
        for bidx, fp in staged.items():
            self._set_block(bidx, fp)
        self._truncate(npages)
        self.changed_in_final += len(held)
        return True


def _capture_pages(path: Path, store: PageStore, progress: Progress, cancel: CancelToken,
                   opts: CaptureOptions, private: bool = False) -> CaptureResult:
    reader = _Reader(path, opts, private)
    try:
        seed = opts.seed
        for _restart in range(3):
            copier = _PageCopier(reader, store, progress, cancel)
            seeded = seed is not None
            try:
                if seeded:
                    # straight to the sweep under one lock: every block fingerprinted, only
                    # changed blocks hashed (over budget: a batched pass from the seed's state)
                    copier.start_from(seed)
                    counters, passes, sweeps = set(), 0, 0
                else:
                    counters = copier.batched_pass("copy")
                    passes, sweeps = 1, 0
                while True:
                    sweeps += 1
                    if copier.final_sweep(counters):
                        break
                    if sweeps >= opts.max_final_attempts:
                        raise DatabaseTooBusy(path=str(path))
                    counters = copier.batched_pass("catch-up")
                    passes += 1
            except _PageSizeChanged:
                seed = None    # the database was rebuilt (VACUUM) under us, or is not the seed's: start over
                continue
            except Truncated:
                raise DatabaseCorrupt(path=str(path), reason="the file is shorter than its header says") from None
            header = parse_header(copier.page1)
            if header is None:
                raise NotADatabase(path=str(path))
            return CaptureResult(header=header, page_ids=copier.ids, method="pages", passes=passes,
                                 final_sweeps=sweeps, max_lock_s=reader.max_lock_s,
                                 total_lock_s=reader.total_lock_s,
                                 changed_in_final=copier.changed_in_final, blocks=copier.blocks,
                                 page1=copier.page1, seeded=seeded)
        raise DatabaseTooBusy(path=str(path))
    finally:
        reader.close()


# -- the WAL method -------------------------------------------------------------------------------

def capture_connection(conn: sqlite3.Connection, store: PageStore, progress: Progress,
                       cancel: CancelToken, opts: CaptureOptions) -> CaptureResult:
    """Copy the database behind an open connection with SQLite's online backup API in one
    step, then read the copy. Used for WAL databases (a WAL reader does not block the
    writer) and for a database we hold locked ourselves (the safety snapshot of a restore)."""
    # a full copy of the shop's data: in our own scratch space (or the repository's tmp/),
    # named after this process, so that a killed run's copy is cleaned by the next run
    tmp = scratch_file("wal", folder=Path(opts.tmpdir) if opts.tmpdir else None)
    try:
        dst = sqlite3.connect(tmp, isolation_level=None)
        try:
            t0 = time.monotonic()
            progress("copy", 0, 1)
            conn.backup(dst, pages=-1)
            copy_s = time.monotonic() - t0
        finally:
            dst.close()
        cancel.check()
        # the temporary copy is ours alone: read it like any quiet file
        result = _capture_pages(tmp, store, progress, cancel, opts, private=True)
        result.method = "backup-api"
        result.max_lock_s = result.total_lock_s = 0.0
        result.copy_s = copy_s
        return result
    finally:
        remove_db_files(tmp)


def _capture_wal(path: Path, store: PageStore, progress: Progress, cancel: CancelToken,
                 opts: CaptureOptions) -> CaptureResult:
    src = connect_readonly(path, timeout=opts.busy_timeout_s)
    try:
        return capture_connection(src, store, progress, cancel, opts)
    except sqlite3.OperationalError as exc:
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            raise DatabaseBusy(path=str(path), seconds=int(opts.busy_timeout_s)) from exc
        raise SourceUnreadable(path=str(path), reason=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(path=str(path), reason=str(exc)) from exc
    finally:
        src.close()


def capture_own_file(path: str | os.PathLike, store: PageStore, progress: Progress | None = None,
                     cancel: CancelToken | None = None, opts: CaptureOptions | None = None) -> CaptureResult:
    """Read a database file that is ours alone (a temporary copy): no other process can
    hold locks on it, so its descriptor is closed afterwards."""
    path, _ = check_source(path)
    return _capture_pages(path, store, progress or (lambda *a: None), cancel or CancelToken(),
                          opts or CaptureOptions(), private=True)


class ImageFileSink:
    """A PageStore that writes the pages into a plain database file (a static image of a
    live database, e.g. to compare it with a snapshot without holding its lock)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)

    def put(self, blob_id: bytes, data: bytes, index: int) -> None:
        offset = index * len(data)
        if hasattr(os, "pwrite"):
            view = memoryview(data)
            while view:
                n = os.pwrite(self.fd, view, offset)
                view, offset = view[n:], offset + n
        else:
            os.lseek(self.fd, offset, os.SEEK_SET)
            os.write(self.fd, data)

    def finish(self, result: "CaptureResult") -> None:
        os.ftruncate(self.fd, result.image_bytes)
        os.close(self.fd)


def capture_to_file(path: str | os.PathLike, out: str | os.PathLike, progress: Progress | None = None,
                    cancel: CancelToken | None = None, opts: CaptureOptions | None = None) -> CaptureResult:
    """A consistent static copy of a live database in ``out`` (short locks, as a backup)."""
    sink = ImageFileSink(out)
    try:
        result = capture(path, sink, progress, cancel, opts)
    except BaseException:
        os.close(sink.fd)
        raise
    sink.finish(result)
    return result


def capture(path: str | os.PathLike, store: PageStore, progress: Progress | None = None,
            cancel: CancelToken | None = None, opts: CaptureOptions | None = None) -> CaptureResult:
    """Copy the database at ``path`` page by page into ``store`` and return the page ids."""
    opts = opts or CaptureOptions()
    progress = progress or (lambda *a: None)
    cancel = cancel or CancelToken()
    src, header = check_source(path)
    method = _capture_wal if header.is_wal else _capture_pages
    result = method(src, store, progress, cancel, opts)
    if result.header.is_wal != header.is_wal:
        # the journal mode changed while we copied: copy again with the right method
        method = _capture_wal if result.header.is_wal else _capture_pages
        result = method(src, store, progress, cancel, opts)
    return result
