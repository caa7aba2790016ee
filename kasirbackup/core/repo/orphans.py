"""Adopting packs that no index names: resuming an interrupted upload.

A backup writes its packs one by one and names them in an index file only at the end
(docs/FORMAT.md, "Crash safety"). When it is killed or loses the connection half-way, the
packs already stored are complete and valid — every ``save`` is atomic — but nothing
names them, so the next backup would upload the same data again, and the next prune
would delete them as garbage. Over a slow uplink that can mean never finishing.

``adopt_orphan_packs`` reads the trailer of each such pack (a pack describes itself: its
frame table sits at its end), checks it, and writes one index file naming the packs, so
their blobs are part of the repository again. Only the tail of a pack is read (two or
three small ranged reads), never the whole pack.

What is checked: the pack's magic at both ends, the trailer (a zstd frame with a content
checksum, or authenticated by AES-GCM in an encrypted repository), and that the frames
it lists tile the pack exactly from the header to the trailer, with every blob inside its
frame. What is not: the frames' bytes, which would mean downloading the pack. They were
stored by an atomic, checksummed write; and any snapshot that uses them goes through the
restore drill, which checks every page against its SHA-256 — a damaged frame would show
as a failed verification, never as a silently bad backup.

The caller holds the repository lock (backup does): a concurrent backup's packs would
look orphaned too (adopting them would be harmless — duplicates are — but a concurrent
prune could remove them).
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
from dataclasses import dataclass, field

from .packs import BLOB_CHUNK, BLOB_FILES, BLOB_PAGE, BLOB_TREE, PACK_END, PACK_MAGIC, FormatError, FrameEntry, decode_index, pack_trailer
from .repository import Repository

log = logging.getLogger("kasirbackup.orphans")

TAIL_GUESS = 64 * 1024          # one ranged read covers the trailer of a typical pack
MAX_TRAILER = 64 * 1024 * 1024  # far above the trailer of a 1 GiB pack
_LEN = struct.Struct("<I")
_PACK_NAME = re.compile(r"[0-9a-f]{64}")


def _codec_args(repo: Repository) -> tuple:
    codec = getattr(repo, "codec", None)      # encrypted repositories read through their codec
    return (codec,) if codec is not None else ()


def indexed_pack_names(repo: Repository, damaged: list[str] | None = None,
                       known: dict[str, list[str]] | None = None) -> set[str]:
    """Packs named by a readable index file (one whose contents match its name); the names
    of unreadable index files go to ``damaged`` when given. ``known``: the packs of index
    files read before (an index file never changes: its name is its hash), used and
    brought up to date (files no longer listed are dropped)."""
    names: set[str] = set()
    decoded = getattr(repo, "index_file", None)      # a Repository decodes each index file once
    listed = list(repo.storage.list("index"))
    if known is not None:
        for gone in set(known) - set(listed):
            del known[gone]
    for index in listed:
        if known is not None and index in known:
            names.update(known[index])
            continue
        try:
            if decoded is not None:
                entries, problem = decoded(index)
                if problem is not None:
                    raise FormatError(problem)
                packs = sorted({pack for pack, _ in entries})
                names.update(packs)
                if known is not None:
                    known[index] = packs
                continue
            data = repo.storage.load("index", index)
            if hashlib.sha256(data).hexdigest() != index:
                raise FormatError("its contents do not match its name")
            names.update(pack for pack, _ in list(decode_index(data, *_codec_args(repo))))
        except (FormatError, OSError) as exc:
            # its packs will look orphaned and be adopted again: a duplicate is harmless
            log.warning("index file %s is unreadable (%s)", index[:12], exc)
            if damaged is not None:
                damaged.append(index)
    return names


def read_pack_trailer(repo: Repository, name: str) -> list[FrameEntry]:
    """The frame table of pack ``name``, from ranged reads of its head and tail only.
    Raises FormatError when the pack is not a whole, well-formed pack."""
    storage = repo.storage
    size = storage.size("data", name)
    end_len = _LEN.size + len(PACK_END)
    if size < len(PACK_MAGIC) + end_len:
        raise FormatError(f"{size} bytes is too short for a pack")
    start = max(0, size - TAIL_GUESS)
    tail = storage.load("data", name, start, size - start)
    if len(tail) != size - start or not tail.endswith(PACK_END):
        raise FormatError("the pack does not end with its end marker (incomplete or not a pack)")
    (tlen,) = _LEN.unpack_from(tail, len(tail) - end_len)
    trailer_at = size - end_len - tlen
    if tlen == 0 or tlen > MAX_TRAILER or trailer_at < len(PACK_MAGIC):
        raise FormatError("the pack's trailer length is out of range")
    if trailer_at < start:
        start = trailer_at
        tail = storage.load("data", name, start, size - start)
        if len(tail) != size - start:
            raise FormatError("the pack changed while it was read")
    head = tail[:len(PACK_MAGIC)] if start == 0 else storage.load("data", name, 0, len(PACK_MAGIC))
    if head != PACK_MAGIC:
        raise FormatError("the pack does not start with its magic")
    frames = pack_trailer(PACK_MAGIC + tail[trailer_at - start:], *_codec_args(repo))
    _check_tiling(frames, trailer_at)
    return frames


def _check_tiling(frames: list[FrameEntry], trailer_at: int) -> None:
    """The frames must cover the pack from its header to its trailer, in order, without
    gaps or overlaps (that is how PackWriter lays them out), and hold their blobs."""
    if not frames:
        raise FormatError("the pack's trailer lists no frames")
    pos = len(PACK_MAGIC)
    for fr in frames:
        if fr.offset != pos or fr.length <= 0 or fr.raw_length <= 0 or not fr.blobs:
            raise FormatError(f"the trailer's frame at offset {fr.offset} does not fit the pack")
        for bid, btype, off, ln in fr.blobs:
            if len(bid) != 32 or btype not in (BLOB_PAGE, BLOB_TREE, BLOB_CHUNK, BLOB_FILES) or off < 0 or ln < 0 \
                    or off + ln > fr.raw_length:
                raise FormatError(f"a blob of the frame at offset {fr.offset} lies outside its frame")
        pos += fr.length
    if pos != trailer_at:
        raise FormatError("the trailer's frames do not end where the trailer starts")


@dataclass(slots=True)
class IndexRepair:
    packs_indexed: int = 0                                   # packs no readable index named
    damaged_removed: list[str] = field(default_factory=list)  # unreadable index files removed

    @property
    def changed(self) -> bool:
        return bool(self.packs_indexed or self.damaged_removed)

    def describe(self) -> str:
        parts = []
        if self.damaged_removed:
            parts.append(f"{len(self.damaged_removed)} damaged index file(s) replaced")
        if self.packs_indexed:
            parts.append(f"{self.packs_indexed} pack file(s) indexed again")
        return "index damaged or incomplete: rebuilt from the backup files (" + ", ".join(parts) + ")"


def repair_index(repo: Repository) -> IndexRepair:
    """Rebuild what the index lacks from the packs themselves (restic's ``repair index``):
    every valid pack no readable index file names is indexed again, then the unreadable
    index files are removed — their packs are named by the new index by then. The caller
    holds the repository lock (``verify`` and ``repair`` do)."""
    damaged: list[str] = []
    indexed = indexed_pack_names(repo, damaged)
    out = IndexRepair()
    adopted, _, new_index = _adopt(repo, indexed)
    out.packs_indexed = len(adopted)
    for name in damaged:
        out.damaged_removed.append(name)
        if name != new_index:         # the same packs indexed again can give the same file: then it is repaired
            repo.storage.remove("index", name)
    if out.changed:
        log.warning("%s", out.describe())
    return out


def adopt_orphan_packs(repo: Repository) -> set[bytes]:
    """Name every valid pack that no index names in one new index file, and return the
    ids of the blobs they hold (a backup adds them to the blobs it need not store again).
    Packs whose trailer does not check out are left alone (the next prune removes them).
    The caller holds the repository lock."""
    return adopt_orphans(repo)[1]


def adopt_orphans(repo: Repository, known: dict[str, list[str]] | None = None) -> tuple[list[str], set[bytes]]:
    """``adopt_orphan_packs``, also returning the packs adopted; ``known`` as in
    ``indexed_pack_names`` (what a backup remembered of the index files)."""
    adopted, blob_ids, _ = _adopt(repo, indexed_pack_names(repo, known=known))
    return adopted, blob_ids


def _adopt(repo: Repository, indexed: set[str]) -> tuple[list[str], set[bytes], str | None]:
    adopted: list[tuple[str, list[FrameEntry]]] = []
    blob_ids: set[bytes] = set()
    for name in sorted(repo.storage.list("data")):
        if name in indexed or not _PACK_NAME.fullmatch(name):
            continue
        try:
            frames = read_pack_trailer(repo, name)
        except FileNotFoundError:
            continue                 # removed meanwhile
        except (FormatError, OSError) as exc:
            log.warning("pack %s is not adopted: %s", name[:12], exc)
            continue
        adopted.append((name, frames))
        blob_ids.update(bid for fr in frames for bid, _, _, _ in fr.blobs)
    index = None
    if adopted:
        index, size = repo.save_index(adopted)
        log.info("adopted %d pack(s) no index named into index %s (%d blobs, %d bytes)",
                 len(adopted), index[:12], len(blob_ids), size)
    return [name for name, _ in adopted], blob_ids, index
