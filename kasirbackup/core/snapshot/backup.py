"""One backup: capture → store → restore drill → manifest → plain copy."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ... import __version__
from .capture import CaptureOptions, capture, capture_own_file
from ..errors import DatabaseCorrupt, KasirBackupError
from ..faults import reached
from ..repo.manifest import DRILL, READBACK, DatabaseInfo, Kind, Snapshot, Verification
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import BlobSink, Repository, build_trees
from ..repo.orphans import adopt_orphans
from ..scratch import clean_scratch
from ..sqlitefile import check_source, connect_readonly, schema_fingerprint
from .readback import readback_check
from .seed import Seed, load_seed, save_seed
from .verify import drill
from ..attachments.capture import FolderCapture, FolderStats, capture_folder, kept_out, missing_folder, repo_folder
from ..attachments.listing import listing_blobs, read_listing
from ..attachments.model import FileEntry
from ..attachments.rebuild import attachment_refs
from ..attachments.walk import REPO_MARK, FolderGone, inside


log = logging.getLogger("kasirbackup.backup")


@dataclass(slots=True)
class BackupRequest:
    db_path: str
    kind: Kind = Kind.MANUAL
    label: str = ""
    created_at: datetime | None = None   # default: now; set to date older backup files
    full_integrity: bool = False
    #: DRILL (rebuild the whole snapshot) or READBACK (continuous protection: read back what
    #: this backup added and prove the rest was checked before; snapshot/readback.py). A
    #: readback that cannot prove a snapshot complete falls back to the drill.
    check: str = DRILL
    #: where this database's last capture into this repository is remembered (snapshot/seed.py);
    #: None: start from nothing and remember nothing
    seed_file: Path | None = None
    #: attachment folders stored with the database in the same snapshot (core/attachments)
    attachments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class BackupResult:
    snapshot: Snapshot
    duration_s: float
    new_blobs: int
    plain_copy: Path | None
    #: files of the attachment folders that were read (the others were unchanged)
    attachment_stats: FolderStats | None = None

    @property
    def ok(self) -> bool:
        return self.snapshot.verified


def _source_fingerprint(path: Path) -> str | None:
    try:
        conn = connect_readonly(path, timeout=5)
        try:
            return schema_fingerprint(conn)
        finally:
            conn.close()
    except Exception:   # only a hint for deduplication; the capture reports real problems
        return None


def _previous(repo: Repository, source: Path, readable: Path) -> Snapshot | None:
    """The snapshot whose pages this backup most likely shares: the newest good one of
    the same file, else the newest good one of a database with the same schema."""
    snaps = [s for s in repo.snapshots() if s.verification.ok is not False]
    for s in snaps:
        if s.source_path == str(source):
            return s
    fp = _source_fingerprint(readable)
    for s in snaps:
        if fp and s.database.schema_fingerprint == fp:
            return s
    return None


def _blobs_of(repo: Repository, prev: Snapshot, seed: Seed | None) -> tuple[set[bytes], bool]:
    """Every blob ``prev`` references, and whether they came from the seed of its own capture
    (when the seed's trees rebuild ``prev``'s root exactly) rather than from its trees."""
    if seed is not None and seed.snapshot == prev.id and seed.ids:
        seg = repo.config.segment_pages
        segments = [repo.codec.blob_id(b"".join(seed.ids[i:i + seg])) for i in range(0, len(seed.ids), seg)]
        root = repo.codec.blob_id(b"".join(segments))
        if root.hex() == prev.root:
            return {root, *segments, *seed.ids}, True
    return repo.blob_ids_of(prev), False


@dataclass(slots=True)
class _Before:
    prev: Snapshot | None
    seed: Seed | None
    known: set[bytes]                # blobs the repository has: not stored again
    checked_before: set[bytes]       # of those, the ones a checked snapshot holds (readback)
    packs: set[str]                  # the packs holding ``known`` (for the next seed)
    indexed: dict[str, list[str]]    # index file → its packs (for the next seed)
    #: attachment folder → its entries in the previous snapshot (files not read again)
    attached: dict[str, dict[str, FileEntry]] = field(default_factory=dict)
    #: of the previous snapshot's attachment blobs, those its check proved (not read again)
    att_checked: set[bytes] = field(default_factory=set)
    #: of the previous snapshot's attachment lists, those whose every blob is present
    att_roots: set[str] = field(default_factory=set)


def _before_capture(repo: Repository, req: BackupRequest, source: Path, image_file: Path | None) -> _Before:
    """The previous snapshot, the seed, the blobs the repository has (and of those, the ones
    already checked), with any packs of an interrupted backup taken back in."""
    prev = _previous(repo, source, image_file or source)
    seed = load_seed(req.seed_file) if req.seed_file is not None and image_file is None else None
    known: set[bytes] = set()
    packs: set[str] = set()
    if prev is not None:
        try:
            wanted, from_seed = _blobs_of(repo, prev, seed)
            if from_seed and seed.packs and set(seed.packs) <= repo.present_packs():
                # every pack that held them is still there (a pack never changes): no index
                # file needs reading to know they are stored
                known, packs = wanted, set(seed.packs)
            else:
                # only blobs whose pack is really there: an index rolled back in time can name
                # packs a prune removed, and a page skipped because of it would be lost
                known, packs = repo.available_in(wanted)
        except Exception:   # a damaged previous snapshot only costs deduplication
            known, packs = set(), set()
    attached: dict[str, dict[str, FileEntry]] = {}
    att_checked: set[bytes] = set()
    att_roots: set[str] = set()
    if req.attachments and prev is not None and prev.attachments:
        try:
            att_known, attached, whole = _previous_attachments(repo, prev)
            known |= att_known
            if prev.verified:
                att_checked = att_known     # its check rebuilt (or proved) every file of it
                att_roots = whole
        except Exception:   # only a saving: every file is read again
            log.warning("could not read the previous backup's attachment lists", exc_info=True)
    # what a readback may count as checked: the previous snapshot's blobs, if it was checked
    checked_before = set(known) if req.check == READBACK and prev is not None and prev.verified else set()
    # packs uploaded by a backup that was killed before its index: take them back in,
    # so an interrupted upload resumes instead of starting over
    indexed = dict(seed.indexed) if seed is not None else {}
    try:
        adopted, blobs = adopt_orphans(repo, indexed)
        known |= blobs
        packs |= set(adopted)
    except KasirBackupError:
        raise
    except Exception:       # only a saving; prune deals with anything unreadable
        log.warning("could not adopt packs left by an interrupted backup", exc_info=True)
    return _Before(prev, seed, known, checked_before, packs, indexed, attached, att_checked, att_roots)


def _previous_attachments(repo: Repository, prev: Snapshot
                          ) -> tuple[set[bytes], dict[str, dict[str, FileEntry]], set[str]]:
    """The blobs of the previous snapshot's attachment folders that are present, and each
    folder's entries whose chunks are all present (a file whose data is gone is read again)."""
    refs = attachment_refs(repo)
    cache = repo.frame_cache()
    wanted: set[bytes] = set()
    lists: dict[str, list[FileEntry]] = {}
    whole: set[str] = set()          # roots whose every list piece and chunk is present
    for aset in prev.attachments:
        if aset.captured:
            entries = read_listing(repo, aset, refs, cache)
            lists[aset.folder] = entries
            blobs = listing_blobs(repo, aset, entries, refs, cache)
            wanted |= blobs
            if all(b in refs for b in blobs):
                whole.add(aset.root)
    present = {bid for bid in wanted if bid in refs}      # (refs holds only blobs in present packs)
    attached = {folder: {e.path: e for e in entries} for folder, entries in lists.items()}
    return present, attached, whole


def backup(repo: Repository, req: BackupRequest, progress: Progress = no_progress,
           cancel: CancelToken | None = None, capture_opts: CaptureOptions | None = None,
           image_file: Path | None = None) -> BackupResult:
    """Back up ``req.db_path``. With ``image_file``, the pages are read from that file
    instead — a copy of ``req.db_path`` we made ourselves while holding its lock (the
    safety snapshot of a restore) — and the snapshot is recorded as of ``req.db_path``."""
    cancel = cancel or CancelToken()
    t0 = time.monotonic()
    created = (req.created_at or datetime.now()).astimezone()
    if image_file is not None:
        # The live database is locked by our own restore connection. On POSIX, opening and
        # closing *any* descriptor of it here would silently drop that lock (SQLite's
        # "How To Corrupt", 2.2): the live path must not be opened at all.
        check_source(image_file)
        source = Path(os.path.abspath(os.path.expanduser(req.db_path)))
    else:
        source, _ = check_source(req.db_path)
    lock = repo.lock("backup")
    try:
        reached("backup.locked")
        repo.clean_temp()
        clean_scratch()
        if repo.config.plain_copy and not repo.codec.encrypted and repo.temp_dir() is not None:
            repo.storage.refuse_link("latest")    # a planted link stops the backup before anything is written
        with repo.storage.remembering():        # (online storage: list packs and index files once)
            try:
                before = _before_capture(repo, req, source, image_file)
            finally:
                repo.forget_decoded()               # (decoded once for both uses above; memory)
        prev, seed, known, checked_before = before.prev, before.seed, before.known, before.checked_before
        writer = repo.pack_writer()
        sink = BlobSink(writer, known, repo.codec)
        opts = capture_opts or CaptureOptions()
        opts.page_id = repo.codec.blob_id
        if seed is not None and prev is not None and seed.snapshot == prev.id and prev.verified and \
                seed.usable(known, seed.page_size):
            opts.seed = seed
        if opts.tmpdir is None and repo.temp_dir() is not None and not repo.codec.encrypted:
            # (an encrypted repository never receives a plaintext copy, not even a temporary one)
            opts.tmpdir = str(repo.temp_dir())
        try:
            if image_file is not None:
                cap = capture_own_file(image_file, sink, progress, cancel, opts)
            else:
                cap = capture(source, sink, progress, cancel, opts)
            cancel.check()
            folders, att_stats = _capture_attachments(req, before, repo, sink, progress, cancel)
            root = build_trees(cap.page_ids, repo.config.segment_pages, sink)
            packs = writer.finish()
            reached("backup.packed")
        except BaseException:
            writer.abort()
            repo.remove_packs(name for name, _ in writer.written)
            raise
        added = writer.bytes_written
        new_blobs = writer.blobs_written
        pack_names = [name for name, _ in packs]
        # the restore drill comes next and needs memory of its own: let go of the capture's
        # page list, the deduplication set and the frame tables first (peak RSS)
        page_count = len(cap.page_ids)
        page_ids = cap.page_ids if checked_before else []
        # what the next capture starts from (snapshot/seed.py); the snapshot id follows below
        seed_state = cap.seed("") if req.seed_file is not None and image_file is None and cap.blocks else None
        cap.page_ids = []
        del sink, known
        writer.written = []
        index_name = None
        try:
            if packs:
                index_name, size = repo.save_index(packs)
                added += size
                reached("backup.indexed")
            readback = None
            if checked_before:
                att_ids = set().union(*(f.blob_ids for f in folders)) if folders else set()
                rb = readback_check(repo, packs, index_name, page_ids, root, checked_before, att_ids)
                readback = rb.verification
                if readback is None:
                    log.info("readback could not prove the snapshot complete (%s): running the drill", rb.reason)
            del packs, page_ids, checked_before
            snap, result = _verify_and_record(repo, req, source, created, cap, page_count, root, added,
                                              progress, cancel, readback, [f.set for f in folders],
                                              (before.att_checked, before.att_roots))
            if seed_state is not None:
                seed_state.snapshot = snap.id
                seed_state.packs = sorted(before.packs | set(pack_names))
                seed_state.indexed = before.indexed
                if index_name:
                    seed_state.indexed[index_name] = sorted(set(pack_names))
        except BaseException:
            # nothing references what this run wrote: take it away again now instead of
            # leaving it for the next prune (it may be what filled the disk)
            if index_name:
                repo.storage.remove("index", index_name)
            repo.remove_packs(pack_names)
            raise
        plain = None
        if result.image is not None:
            plain = _publish_plain_copy(repo, snap, result.image)
        if req.seed_file is not None and image_file is None and snap.verified and seed_state is not None:
            try:
                save_seed(req.seed_file, seed_state)
            except (OSError, KasirBackupError):     # only a saving of time next run
                log.warning("could not remember the capture in %s", req.seed_file, exc_info=True)
        return BackupResult(snap, time.monotonic() - t0, new_blobs, plain, att_stats)
    finally:
        lock.release()


def _capture_attachments(req: BackupRequest, before: _Before, repo: Repository, sink: BlobSink, progress: Progress,
                         cancel: CancelToken) -> tuple[list[FolderCapture], FolderStats | None]:
    """Store each attachment folder of the request; a missing folder is recorded as such."""
    if not req.attachments:
        return [], None
    stats = FolderStats()
    folders: list[FolderCapture] = []
    exclude = kept_out(repo, [req.db_path])
    root = repo_folder(repo)
    for folder in req.attachments:
        path = os.path.abspath(os.path.expanduser(folder))
        if root is not None and inside(path, root):
            folders.append(missing_folder(path, "it is the backup folder, or inside it; left out", sink))
            continue
        if os.path.isfile(os.path.join(path, REPO_MARK)):
            folders.append(missing_folder(path, "a KasirBackup backup folder; left out", sink))
            continue
        try:
            folders.append(capture_folder(path, sink, before.attached.get(path), progress, cancel, stats, exclude))
        except FolderGone as exc:
            folders.append(missing_folder(path, f"the folder is missing or cannot be opened ({exc.strerror})", sink))
    return folders, stats


def _verify_and_record(repo: Repository, req: BackupRequest, source: Path, created: datetime, cap,
                       page_count: int, root: str, added: int, progress: Progress, cancel: CancelToken,
                       readback: Verification | None = None, attachments: list | None = None,
                       proven: tuple = (frozenset(), frozenset())):
    """Run the restore drill on the stored snapshot (unless ``readback`` checked it already)
    and write its manifest."""
    hdr = cap.header
    snap = Snapshot(
        id=secrets.token_hex(16), created_at=created, kind=req.kind, label=req.label,
        tool_version=__version__, hostname=socket.gethostname(),
        source_path=str(source), source_name=source.name,
        database=DatabaseInfo(page_size=hdr.page_size, page_count=page_count,
                              user_version=hdr.user_version, application_id=hdr.application_id,
                              text_encoding=hdr.text_encoding,
                              journal_mode="wal" if hdr.is_wal else "rollback",
                              schema_fingerprint=""),
        image_bytes=page_count * hdr.page_size, image_sha256="", root=root,
        segment_pages=repo.config.segment_pages, tables={}, added_bytes=added,
        capture=cap.stats(), attachments=list(attachments or []))
    if readback is not None:
        # checked by reading back what it added (snapshot/readback.py); no image, no row counts:
        # the drill gives those before any restore and on the newest snapshot daily
        snap.verification = readback
        _record(repo, snap, added)
        return snap, _NoImage
    # the plain copy lives in REPO/latest, so only a folder repository can have one
    keep_in = repo.temp_dir() if repo.config.plain_copy and not repo.codec.encrypted else None
    result = drill(repo, snap, progress, cancel, full=req.full_integrity, keep_in=keep_in, proven=proven[0],
                   proven_roots=proven[1])
    if result.source_damaged:
        # not a backup problem: the live database itself is damaged. Say so plainly.
        raise DatabaseCorrupt(path=str(source), reason=result.facts.integrity)
    snap.image_sha256 = result.sha256
    snap.verification = result.verification
    if result.facts is not None:
        snap.tables = result.facts.tables
        snap.database.schema_fingerprint = result.facts.schema_fingerprint
        snap.database.first_rows = result.facts.first_rows
    _record(repo, snap, added)
    return snap, result


class _NoImage:
    image = None


def _record(repo: Repository, snap: Snapshot, added: int) -> None:
    # the manifest's own size counts as added too (two renders: the number changes its length)
    snap.added_bytes = added + len(snap.dumps())
    snap.added_bytes = added + len(snap.dumps())
    repo.save_snapshot(snap)
    reached("backup.recorded")


def _publish_plain_copy(repo: Repository, snap: Snapshot, image: Path) -> Path:
    """Keep the newest verified image as an ordinary .db file in ``REPO/latest/``."""
    folder = repo.storage.folder("latest")      # RepoFolderIsLink if someone planted a link there
    stem = Path(snap.source_name).stem or "database"
    dest = folder / f"{stem}.db"
    marker = folder / f"{stem}.source"
    try:
        owner = "" if marker.is_symlink() else marker.read_text(encoding="utf-8").strip()
    except OSError:
        owner = ""
    if owner and owner != snap.source_path:
        # another database with the same file name already lives here
        dest = folder / f"{stem}-{hashlib.sha256(snap.source_path.encode()).hexdigest()[:8]}.db"
        marker = dest.with_suffix(".source")
    if os.name != "nt":
        os.chmod(image, 0o600)
    os.replace(image, dest)          # replaces a link at that name, never what it points to
    tmp_marker = folder / f".{marker.name}.{os.getpid()}.tmp"
    fd = os.open(tmp_marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(snap.source_path + "\n")
    os.replace(tmp_marker, marker)
    return dest

