"""Rebuilding a snapshot's database image from the repository, and checking it.

The *restore drill* that runs after every backup and on ``verify`` is a real restore into
a temporary file: every page is read back from its pack, decompressed and checked against
its SHA-256 id (the ids were computed from the live bytes at capture time), the whole
image is hashed, SQLite checks the file (``quick_check`` or ``integrity_check``) and the
row count of every table is compared with the manifest.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import KasirBackupError, VerificationFailed
from ..faults import reached
from ..repo.manifest import Snapshot, Verification
from ..repo.packs import BLOB_TREE, BlobRef, FormatError
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import Repository
from ..scratch import scratch_dir, scratch_file
from ..attachments.rebuild import check_attachments
from ..sqlitefile import ImageFacts, inspect_image, one_line, remove_db_files

WRITE_CHUNK = 1024 * 1024
RUN_PAGES = 256          # at most this many pages in one slice (a frame holds ~32 of 4 KiB)


class ScratchSpace(KasirBackupError):
    code = "scratch-space"
    template = "Could not write the scratch copy used to check the backup in {path}: {reason}."
    hint = ("Free some space there (the check needs room for one copy of the database) and try again; "
            "the existing backups are unchanged.")
MAX_REPORTED = 20


@dataclass(slots=True)
class RebuildReport:
    sha256: str = ""
    pages: int = 0
    bad_pages: int = 0
    problems: list[str] = field(default_factory=list)
    #: (pack, kind) → [count, first page, what, position in problems]: one line per cause
    _causes: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.bad_pages

    def add(self, text: str) -> None:
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(text)

    def page_problem(self, pack: str, kind: str, page_no: int, what: str) -> None:
        """Page ``page_no`` (1-based) of ``pack`` is bad: counted with the others of the same
        pack and kind, so that 23 damaged pages make one line, not 20 repeated ones."""
        c = self._causes.get((pack, kind))
        if c is None:
            if len(self.problems) >= MAX_REPORTED:
                return
            c = self._causes[(pack, kind)] = [0, page_no, what, len(self.problems)]
            self.problems.append("")
        c[0] += 1
        count, first, what, at = c
        self.problems[at] = (f"{count} page{'s' if count > 1 else ''} in pack {pack[:12]} {what}"
                             + (f" (first: page {first})" if count > 1 else f" (page {first})"))


def rebuild_image(repo: Repository, snap: Snapshot, out: Path, progress: Progress = no_progress,
                  cancel: CancelToken | None = None, stop_at_first: bool = True,
                  check_pages: bool = True) -> RebuildReport:
    """Write the snapshot's image to ``out`` (created or truncated) and report what is
    damaged. With ``stop_at_first`` the first problem ends the rebuild (restore); without,
    damaged pages are written as zeros and counted (verify). ``check_pages=False`` skips
    re-hashing each page (a restore of a snapshot whose image SHA-256 is known: the whole-
    image hash and zstd's frame checksums are the check, and verify names bad pages)."""
    cancel = cancel or CancelToken()
    cancel.check()
    report = RebuildReport()
    ps = snap.database.page_size
    cache = repo.frame_cache()
    try:
        trees = repo.scan_index(lambda b, t: t == BLOB_TREE)
        ids = repo.page_ids(snap, trees, cache)
    except FormatError as exc:
        report.add(f"the list of pages is unreadable: {exc}")
        return report
    wanted = set(ids)
    refs = repo.scan_index(lambda b, t: b in wanted)
    missing = len(wanted - refs.keys())
    if missing:
        first = next(i for i, pid in enumerate(ids) if pid not in refs)
        report.add(f"{missing} page(s) are missing from the repository: no index names them in a pack that is "
                   f"there (first: page {first + 1})")
        if stop_at_first:
            return report
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    sink = _HashingWriter(fd)
    try:
        # decompress the frames ahead, in the order the pages need them, on other cores
        cache.read_ahead(list(dict.fromkeys(refs[pid].frame for pid in ids if pid in refs)))
        buf: list[bytes] = []
        buffered = 0
        total = len(ids)
        n = 0
        while n < total:
            pid = ids[n]
            ref = refs.get(pid)
            page = None
            run = 1
            if ref is not None:
                if not check_pages:
                    # pages stored one after another in the same frame come out as one slice
                    end, stop = ref.offset + ref.length, min(total, n + RUN_PAGES)
                    while n + run < stop:
                        nxt = refs.get(ids[n + run])
                        if nxt is None or nxt.frame != ref.frame or nxt.offset != end or nxt.length != ref.length:
                            break
                        end += nxt.length
                        run += 1
                    if run > 1:
                        ref = BlobRef(ref.frame, ref.offset, end - ref.offset, ref.type)
                try:
                    page = cache.blob(ref)
                    if check_pages and repo.codec.blob_id(page) != pid:
                        report.page_problem(ref.frame.pack, "checksum", n + 1, "do not match their checksums")
                        page = None
                except FormatError as exc:
                    for k in range(run):
                        report.page_problem(ref.frame.pack, "read", n + k + 1, f"cannot be read ({exc})")
                    page = None
            if page is None:
                report.bad_pages += run
                if stop_at_first:
                    return report
                page = bytes(ps * run)
            n += run
            buf.append(page)
            buffered += len(page)
            if buffered >= WRITE_CHUNK:
                sink.put(b"".join(buf))
                buf, buffered = [], 0
                cancel.check()
                progress("verify", n, total)
        if buf:
            sink.put(b"".join(buf))
        sha = sink.finish()
        os.fsync(fd)
        progress("verify", total, total)
    finally:
        sink.stop()
        os.close(fd)
        cache.close()
    report.pages = len(ids)
    report.sha256 = sha
    if report.sha256 != snap.image_sha256 and snap.image_sha256:
        report.add(f"the rebuilt database has SHA-256 {report.sha256[:16]}…, the manifest says "
                   f"{snap.image_sha256[:16]}…")
    return report


class _HashingWriter:
    """Hashes and writes the image's chunks on a thread of its own (SHA-256 and write() let
    go of the GIL), while the caller assembles the next ones."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._whole = hashlib.sha256()
        self._q: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="image-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            chunk = self._q.get()
            if chunk is None:
                return
            if self._error is None:
                try:
                    self._whole.update(chunk)
                    _write_all(self._fd, chunk)
                    reached("rebuild.chunk")        # (tests: killed with N MiB of the image written)
                except BaseException as exc:       # reported by put/finish on the caller's thread
                    self._error = exc

    def put(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._q.put(chunk)

    def finish(self) -> str:
        """Every chunk written; the SHA-256 of all of them."""
        self.stop()
        if self._error is not None:
            raise self._error
        return self._whole.hexdigest()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._q.put(None)
            self._thread.join()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


@dataclass(slots=True)
class DrillResult:
    verification: Verification
    facts: ImageFacts | None
    sha256: str
    image: Path | None = None       # kept only when asked for (plain copy)

    @property
    def source_damaged(self) -> bool:
        """Every page came back exactly as captured, yet SQLite finds the image damaged:
        the database was already damaged when it was copied."""
        return bool(self.sha256) and self.facts is not None and self.facts.integrity != "ok"


def drill(repo: Repository, snap: Snapshot, progress: Progress = no_progress,
          cancel: CancelToken | None = None, full: bool = False, keep_in: Path | None = None,
          proven: set[bytes] | frozenset = frozenset(), proven_roots: set[str] | frozenset = frozenset()
          ) -> DrillResult:
    """Restore ``snap`` into a temporary file and check it. Returns the verification to
    record; never raises for damage (the damage is the result), only for cancellation
    and for failures to write the temporary file. Attachment files whose chunks are all in
    ``proven`` (the previous snapshot's, checked before) are not read again, nor the list of
    a folder whose root is in ``proven_roots`` (the same list, all of it present); ``verify``
    passes nothing and rebuilds every file."""
    t0 = time.monotonic()
    tmpdir = keep_in or scratch_dir()
    try:
        image = scratch_file("drill", folder=tmpdir)
    except OSError as exc:
        raise ScratchSpace(path=str(tmpdir), reason=exc.strerror or str(exc)) from exc
    keep = False
    try:
        try:
            report = rebuild_image(repo, snap, image, progress, cancel, stop_at_first=False)
        except OSError as exc:
            raise ScratchSpace(path=str(tmpdir), reason=exc.strerror or str(exc)) from exc
        facts = None
        problems = list(report.problems)
        if report.bad_pages:
            problems.insert(0, f"{report.bad_pages} of {snap.image_bytes // snap.database.page_size} "
                               f"pages are damaged or missing")
        if not problems:
            facts = inspect_image(image, full_integrity=full)
            if facts.integrity != "ok":
                # every page came back as captured: the damage was in the database itself
                problems.append("the database was already damaged when it was copied: " + facts.integrity)
            elif snap.tables:
                diffs = [f"{t}: {snap.tables.get(t, 'no table')} in the manifest, "
                         f"{facts.tables.get(t, 'no table')} in the image"
                         for t in sorted(set(snap.tables) | set(facts.tables))
                         if snap.tables.get(t) != facts.tables.get(t)]
                if diffs:
                    problems.append("row counts differ (" + "; ".join(diffs[:5]) + ")")
        files = None
        if snap.attachments:
            files = check_attachments(repo, snap.attachments, progress, cancel, proven=proven,
                                      proven_roots=proven_roots)
            problems += [f"attachment {p}" for p in files.problems]
        ok = not problems
        sha_word = "matches" if snap.image_sha256 else "recorded"
        problems = [one_line(p) for p in problems]
        detail = ("; ".join(problems) if problems else
                  _checked_detail(report.pages, sha_word, "integrity_check" if full else "quick_check",
                                  len(facts.tables), files))
        ver = Verification(ok=ok, at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                           detail=detail, integrity="integrity_check" if full else "quick_check",
                           duration_s=round(time.monotonic() - t0, 3))
        keep = ok and keep_in is not None
        # the hash of an image with damaged pages (written as zeros) is not the snapshot's
        sha = report.sha256 if not report.bad_pages and report.pages else ""
        return DrillResult(ver, facts, sha, image if keep else None)
    finally:
        if not keep:
            remove_db_files(image)


def drill_rebuilt(snap: Snapshot, image: Path, sha256: str, t0: float | None = None) -> None:
    """Finish the drill of a snapshot that was not drilled yet (a continuous snapshot) on an
    image just rebuilt with every page checked: SQLite's check, then what the drill records
    (image SHA-256, row counts, schema, first rows) is filled in, in memory, for what follows
    (the identity check, the preview). A damaged image refuses the restore."""
    t0 = time.monotonic() if t0 is None else t0
    facts = inspect_image(image)
    if facts.integrity != "ok":
        raise VerificationFailed(snapshot=snap.short_id, detail=one_line(facts.integrity))
    snap.image_sha256 = sha256
    snap.tables = facts.tables
    snap.database.schema_fingerprint = facts.schema_fingerprint
    snap.database.first_rows = facts.first_rows
    snap.verification = Verification(
        ok=True, at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        detail=_checked_detail(snap.image_bytes // snap.database.page_size, "recorded", "quick_check",
                               len(facts.tables)),
        integrity="quick_check", duration_s=round(time.monotonic() - t0, 3))


def _checked_detail(pages: int, sha_word: str, integrity: str, tables: int, files=None) -> str:
    """What a successful drill checked, in the words ``checked_facts`` reads back."""
    text = f"{pages} pages match their checksums, SHA-256 {sha_word}, {integrity} ok, {tables} table counts checked"
    if files is None:
        return text
    return text + f", {files.files} attachment files match ({files.rebuilt} rebuilt, the others in the last checked backup)"


_CHECKED = re.compile(r"^(\d+) pages match their checksums, SHA-256 (matches|recorded), "
                      r"(quick_check|integrity_check) ok, (\d+) table counts checked"
                      r"(?:, (\d+) attachment files match \((\d+) rebuilt, the others in the last checked backup\))?$")


@dataclass(frozen=True, slots=True)
class CheckedFacts:
    """What a successful drill checked, read back from its one-line detail (the words the
    drill above writes), so that a window can say it in its own language."""
    pages: int
    sha256_compared: bool        # False: the hash was recorded by this drill, not compared
    integrity: str               # "quick_check" or "integrity_check"
    tables: int
    files: int | None = None     # attachment files that match (None: the snapshot has none)
    rebuilt: int | None = None   # of those, the ones rebuilt by this check (the others: by an earlier one)


def checked_facts(detail: str) -> CheckedFacts | None:
    m = _CHECKED.match(detail or "")
    if m is None:
        return None
    return CheckedFacts(int(m.group(1)), m.group(2) == "matches", m.group(3), int(m.group(4)),
                        int(m.group(5)) if m.group(5) is not None else None,
                        int(m.group(6)) if m.group(6) is not None else None)
