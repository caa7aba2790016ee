"""File lists in the repository: each attachment folder's entries, sorted by path, cut into
JSON pieces (type BLOB_FILES) of about 4 entries (at most ~1 MiB), listed by a tree of
trees (docs/FORMAT.md). Both cuts depend on content only (a piece ends after a path whose
hash says so, a tree node after a child id that says so), so a folder whose files did not
change gives the same pieces and trees — nothing new is stored — and one changed file
stores one piece and the few tree nodes above it, not the whole list again."""

from __future__ import annotations

import json
import zlib
from typing import Iterable

from ..repo.packs import BLOB_FILES, BLOB_TREE, BlobRef, FormatError, FrameCache
from ..repo.repository import BlobSink, Repository
from .model import FILE, AttachmentSet, BadListing, FileEntry

PIECE_BYTES = 1024 * 1024
PIECE_ENTRIES = 4          # entries per piece on average
NODE_FANOUT = 8            # children per tree node on average
MAX_DEPTH = 24             # a reader's limit (a million files need about 6 levels)
HASH_LEN = 32


def store_listing(entries: list[FileEntry], sink: BlobSink) -> tuple[str, list[bytes]]:
    """Store ``entries`` (sorted by path) as pieces and a tree of trees above them; the root
    tree's hex id, and the ids of every piece and tree node."""
    pieces: list[bytes] = []
    part: list[str] = []
    size = 0
    for e in entries:
        text = json.dumps(e.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if part and size + len(text) > PIECE_BYTES:
            pieces.append(_piece(part, sink))
            part, size = [], 0
        part.append(text)
        size += len(text) + 1
        if zlib.crc32(e.path.encode("utf-8")) % PIECE_ENTRIES == 0:
            # a piece ends after a path chosen by its own hash: a file added, changed or
            # removed rewrites only the piece around it, not every piece after it
            pieces.append(_piece(part, sink))
            part, size = [], 0
    if part or not pieces:
        pieces.append(_piece(part, sink))
    level, stored = pieces, list(pieces)
    while True:
        nodes: list[bytes] = []
        group: list[bytes] = []
        for bid in level:
            group.append(bid)
            if int.from_bytes(bid[:4], "little") % NODE_FANOUT == 0:
                nodes.append(sink.put_tree(group))
                group = []
        if group:
            nodes.append(sink.put_tree(group))
        stored += nodes
        if len(nodes) == 1:
            return nodes[0].hex(), stored
        level = nodes


def _piece(texts: list[str], sink: BlobSink) -> bytes:
    data = ("[" + ",".join(texts) + "]").encode("utf-8")
    bid = sink.codec.blob_id(data)
    sink.put_blob(bid, BLOB_FILES, data)
    return bid


def checked_blob(repo: Repository, refs: dict[bytes, BlobRef], cache: FrameCache, bid: bytes, btype: int,
                 what: str) -> bytes:
    """The blob ``bid`` of type ``btype``, checked against its id; FormatError naming ``what``
    when it is not in a present pack or does not match."""
    ref = refs.get(bid)
    if ref is None or ref.type != btype:
        raise FormatError(f"{what} {bid.hex()[:12]} is not in the backup, or its data file is missing")
    data = cache.blob(ref)
    if repo.codec.blob_id(data) != bid:
        raise FormatError(f"{what} {bid.hex()[:12]} in data file {ref.frame.pack[:12]} is damaged")
    return data


def listing_ids(repo: Repository, aset: AttachmentSet, refs: dict[bytes, BlobRef],
                cache: FrameCache) -> tuple[list[bytes], list[bytes]]:
    """The tree nodes (root first) and the pieces (in order) of one folder's list. A child of
    a tree node is a piece or another tree node; which, the index says (its blob type)."""
    nodes: list[bytes] = []
    pieces: list[bytes] = []

    def visit(tid: bytes, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise FormatError("the file list's tree is too deep")
        nodes.append(tid)
        for child in repo.read_tree(tid, refs, cache):
            ref = refs.get(child)
            if ref is not None and ref.type == BLOB_FILES:
                pieces.append(child)
            elif ref is not None and ref.type == BLOB_TREE:
                visit(child, depth + 1)
            else:
                raise FormatError(f"file list {child.hex()[:12]} is not in the index, or its pack is missing")

    visit(bytes.fromhex(aset.root), 0)
    return nodes, pieces


def read_listing(repo: Repository, aset: AttachmentSet, refs: dict[bytes, BlobRef],
                 cache: FrameCache) -> list[FileEntry]:
    """The entries of one attachment folder of a snapshot. FormatError if a piece is missing
    or damaged, BadListing if its content does not follow the format."""
    entries: list[FileEntry] = []
    for pid in listing_ids(repo, aset, refs, cache)[1]:
        data = checked_blob(repo, refs, cache, pid, BLOB_FILES, "file list")
        try:
            items = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            raise BadListing(f"file list {pid.hex()[:12]} is not JSON") from None
        if not isinstance(items, list):
            raise BadListing(f"file list {pid.hex()[:12]} is not a list")
        entries.extend(FileEntry.from_json(d) if isinstance(d, dict) else _bad() for d in items)
    seen: set[str] = set()
    for e in entries:
        if e.path in seen:
            raise BadListing(f"the file list names {e.path[:80]!r} twice")
        seen.add(e.path)
    return entries


def _bad() -> FileEntry:
    raise BadListing("a file entry is not an object")


def blobs_of_listing(repo: Repository, aset: AttachmentSet, refs: dict[bytes, BlobRef],
                     cache: FrameCache) -> set[bytes]:
    """Every blob one attachment folder of a snapshot references: its tree, pieces and chunks."""
    return listing_blobs(repo, aset, read_listing(repo, aset, refs, cache), refs, cache)


def listing_blobs(repo: Repository, aset: AttachmentSet, entries: list[FileEntry], refs: dict[bytes, BlobRef],
                  cache: FrameCache) -> set[bytes]:
    """``blobs_of_listing`` for entries already read."""
    nodes, pieces = listing_ids(repo, aset, refs, cache)
    out = {*nodes, *pieces}
    for e in entries:
        if e.type == FILE:
            out.update(bytes.fromhex(c) for c in e.chunks)
    return out


def attachment_blobs(repo: Repository, sets: Iterable[AttachmentSet], refs: dict[bytes, BlobRef],
                     cache: FrameCache) -> set[bytes]:
    out: set[bytes] = set()
    for aset in sets:
        try:
            out |= blobs_of_listing(repo, aset, refs, cache)
        except BadListing as exc:
            raise FormatError(str(exc)) from None
    return out
