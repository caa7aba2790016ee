"""Pack files and index files: how blobs are laid out on disk (see docs/FORMAT.md).

A *blob* is one database page or one tree (a list of blob ids), named by the SHA-256 of
its bytes. Blobs are grouped into *frames* (consecutive new blobs, up to ~128 KiB, one
zstd frame each, so compression sees more than one page) and frames into *packs*
(~16 MiB files). Each pack ends with a table of its frames and blobs, so a pack describes
itself; *index* files repeat those tables for many packs so that a reader does not have
to open every pack to find a blob.
"""

from __future__ import annotations

import hashlib
import struct
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, NamedTuple

import zstandard

from .crypto import Codec, SealBroken

PLAIN = Codec()
AAD_FRAME, AAD_TRAILER, AAD_INDEX = b"KBF1", b"KBT1", b"KBI1"

PACK_MAGIC = b"KBPACK01"
PACK_END = b"KBPEND01"
INDEX_MAGIC = b"KBINDX01"

BLOB_PAGE = 1
BLOB_TREE = 2
BLOB_CHUNK = 3     # a piece of an attachment file's content (core/attachments)
BLOB_FILES = 4     # a piece of an attachment folder's file list (JSON)

_FRAME = struct.Struct("<QIII")    # offset in pack, stored length, raw length, blob count
_BLOB = struct.Struct("<32sBII")   # id, type, offset in the raw frame, length
_COUNT = struct.Struct("<I")

ZSTD_LEVEL = 3
#: for data that is compressed already (JPEG, PNG, PDF, ZIP…): zstd then stores it nearly as is,
#: at about four times the speed of ZSTD_LEVEL
FAST_LEVEL = 1
MAX_TABLE_BYTES = 512 * 1024 * 1024   # no frame table or index body is anywhere near this
#: an index body or frame table is mostly 32-byte random ids, which do not compress (about
#: 1.25:1 in practice): one that claims to grow 16 times or more is a bomb, not a table
TABLE_RATIO = 16
TABLE_FLOOR = 1024 * 1024


def table_limit(compressed: int) -> int:
    """The most an index body or frame table of ``compressed`` bytes can decompress to."""
    return min(MAX_TABLE_BYTES, max(TABLE_FLOOR, TABLE_RATIO * compressed))


def safe_decompress(data: bytes, expected: int | None = None, limit: int = MAX_TABLE_BYTES) -> bytes:
    """Decompress one zstd frame from a file someone else may have damaged: the size the
    frame declares is checked before anything is allocated, so a flipped byte in a header
    cannot make us ask for gigabytes."""
    try:
        declared = zstandard.frame_content_size(data)
    except zstandard.ZstdError as exc:
        raise FormatError(f"not a zstd frame ({exc})") from exc
    if declared < 0 or (expected is not None and declared != expected) or declared > limit:
        raise FormatError("the compressed data declares a wrong size")
    try:
        out = zstandard.ZstdDecompressor().decompress(data, max_output_size=declared or 1)
    except zstandard.ZstdError as exc:
        raise FormatError(f"corrupt compressed data ({exc})") from exc
    if len(out) != declared:
        raise FormatError("the compressed data has a wrong length")
    return out


# (named tuples, not dataclasses: a restore of 1 GiB makes a quarter of a million of them,
# and a tuple is made, hashed and compared in C)
class FrameRef(NamedTuple):
    pack: str          # pack name (hex SHA-256 of the pack file)
    offset: int        # where the stored frame starts in the pack
    length: int        # stored (compressed) length
    raw_length: int    # length after decompression
    tag: bytes = b""   # id of the frame's first blob: binds an encrypted frame to its place


class BlobRef(NamedTuple):
    frame: FrameRef
    offset: int        # offset inside the decompressed frame
    length: int
    type: int


@dataclass(slots=True)
class FrameEntry:
    offset: int
    length: int
    raw_length: int
    blobs: list[tuple[bytes, int, int, int]]   # (id, type, offset, length)


# -- frame tables ------------------------------------------------------------------------

def encode_frame_table(frames: Iterable[FrameEntry]) -> bytes:
    frames = list(frames)
    out = [_COUNT.pack(len(frames))]
    for f in frames:
        out.append(_FRAME.pack(f.offset, f.length, f.raw_length, len(f.blobs)))
        out.extend(_BLOB.pack(bid, btype, off, ln) for bid, btype, off, ln in f.blobs)
    return b"".join(out)


class FormatError(ValueError):
    """A pack or index file does not follow the format (damaged or not ours)."""


def decode_frame_table(buf: bytes, pos: int = 0) -> tuple[list[FrameEntry], int]:
    try:
        (n,) = _COUNT.unpack_from(buf, pos)
        pos += _COUNT.size
        if n * _FRAME.size > len(buf) - pos:
            raise FormatError("frame table count is out of range")
        frames = []
        for _ in range(n):
            off, ln, raw, nb = _FRAME.unpack_from(buf, pos)
            pos += _FRAME.size
            end = pos + nb * _BLOB.size
            if end > len(buf):
                raise FormatError("frame table is truncated")
            blobs = [b for b in _BLOB.iter_unpack(buf[pos:end])]
            pos = end
            frames.append(FrameEntry(off, ln, raw, blobs))
        return frames, pos
    except struct.error as exc:
        raise FormatError(f"frame table is truncated ({exc})") from exc


def pack_trailer(pack: bytes, codec: Codec = PLAIN) -> list[FrameEntry]:
    """Read the frame table at the end of a pack file (or of its tail)."""
    if len(pack) < _COUNT.size + len(PACK_END) or not pack.endswith(PACK_END):
        raise FormatError("not a KasirBackup pack file (wrong magic)")
    (tlen,) = _COUNT.unpack_from(pack, len(pack) - len(PACK_END) - _COUNT.size)
    start = len(pack) - len(PACK_END) - _COUNT.size - tlen
    if start < 0:
        raise FormatError("pack trailer length is out of range")
    try:
        table = codec.open(pack[start:start + tlen], AAD_TRAILER)
    except SealBroken as exc:
        raise FormatError(f"pack trailer: {exc}") from None
    frames, _ = decode_frame_table(safe_decompress(table, limit=table_limit(len(table))))
    return frames


def encode_index(packs: Iterable[tuple[str, list[FrameEntry]]], codec: Codec = PLAIN) -> bytes:
    packs = list(packs)
    body = [_COUNT.pack(len(packs))]
    for name, frames in packs:
        body.append(bytes.fromhex(name))
        body.append(encode_frame_table(frames))
    z = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).compress(b"".join(body))
    return INDEX_MAGIC + codec.seal(z, AAD_INDEX)


def decode_index(data: bytes, codec: Codec = PLAIN) -> Iterator[tuple[str, list[FrameEntry]]]:
    if not data.startswith(INDEX_MAGIC):
        raise FormatError("not a KasirBackup index file (wrong magic)")
    try:
        z = codec.open(data[len(INDEX_MAGIC):], AAD_INDEX)
    except SealBroken as exc:
        raise FormatError(f"index: {exc}") from None
    body = safe_decompress(z, limit=table_limit(len(z)))
    try:
        (n,) = _COUNT.unpack_from(body, 0)
    except struct.error as exc:
        raise FormatError("index is truncated") from exc
    pos = _COUNT.size
    for _ in range(n):
        if pos + 32 > len(body):
            raise FormatError("index is truncated")
        name = body[pos:pos + 32].hex()
        frames, pos = decode_frame_table(body, pos + 32)
        yield name, frames


# -- writing -------------------------------------------------------------------------------

class PackWriter:
    """Collects new blobs into frames and packs and saves each pack as it fills.

    Frames are compressed on a small thread pool (zstd releases the GIL) while the caller
    keeps reading and hashing pages. ``save_pack(name, bytes)`` is called for every full
    pack; ``finish()`` saves the last one and returns the frame tables of all packs written,
    ready to go into an index file.
    """

    def __init__(self, save_pack: Callable[[str, bytes], None], frame_bytes: int = 128 * 1024,
                 pack_bytes: int = 16 * 1024 * 1024, threads: int = 2, codec: Codec = PLAIN) -> None:
        self._save_pack = save_pack
        self._codec = codec
        self.frame_bytes = frame_bytes
        self.pack_bytes = pack_bytes
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="zstd")
        self._max_pending = threads * 4
        # full packs being named (SHA-256 of the file) and saved, in order, on their own
        # thread, while the caller goes on reading and hashing (one saving, one waiting: memory)
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-save")
        self._saving: list[tuple[Future, list[FrameEntry]]] = []
        # current, still uncompressed frame
        self._raw: list[bytes] = []
        self._raw_len = 0
        self._blobs: list[tuple[bytes, int, int, int]] = []
        self._level = ZSTD_LEVEL
        # frames being compressed, in order
        self._pending: list[tuple[Future, int, list]] = []
        # current pack
        self._pack_parts: list[bytes] = [PACK_MAGIC]
        self._pack_len = len(PACK_MAGIC)
        self._pack_frames: list[FrameEntry] = []
        self.written: list[tuple[str, list[FrameEntry]]] = []
        self.bytes_written = 0
        self.blobs_written = 0
        self.raw_bytes_written = 0

    def add(self, blob_id: bytes, blob_type: int, data: bytes, level: int = ZSTD_LEVEL) -> None:
        if level != self._level:
            self._close_frame()        # one compression level per frame
            self._level = level
        self._blobs.append((blob_id, blob_type, self._raw_len, len(data)))
        self._raw.append(data if type(data) is bytes else bytes(data))
        self._raw_len += len(data)
        self.blobs_written += 1
        self.raw_bytes_written += len(data)
        if self._raw_len >= self.frame_bytes:
            self._close_frame()

    def _close_frame(self) -> None:
        if not self._blobs:
            return
        raw = b"".join(self._raw)
        fut = self._pool.submit(_compress, raw, self._codec, AAD_FRAME + self._blobs[0][0], self._level)
        self._pending.append((fut, len(raw), self._blobs))
        self._raw, self._raw_len, self._blobs = [], 0, []
        while len(self._pending) > self._max_pending:
            self._collect_one()

    def _collect_one(self) -> None:
        fut, raw_len, blobs = self._pending.pop(0)
        stored = fut.result()
        self._pack_frames.append(FrameEntry(self._pack_len, len(stored), raw_len, blobs))
        self._pack_parts.append(stored)
        self._pack_len += len(stored)
        if self._pack_len >= self.pack_bytes:
            self._close_pack()

    def _close_pack(self) -> None:
        if not self._pack_frames:
            return
        table = self._codec.seal(zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).compress(
            encode_frame_table(self._pack_frames)), AAD_TRAILER)
        self._pack_parts += [table, _COUNT.pack(len(table)), PACK_END]
        data = b"".join(self._pack_parts)
        self._saving.append((self._saver.submit(self._name_and_save, data), self._pack_frames))
        self._pack_parts, self._pack_len, self._pack_frames = [PACK_MAGIC], len(PACK_MAGIC), []
        while len(self._saving) > 1:
            self._collect_saved()

    def _name_and_save(self, data: bytes) -> tuple[str, int]:
        name = hashlib.sha256(data).hexdigest()
        self._save_pack(name, data)
        return name, len(data)

    def _collect_saved(self) -> None:
        fut, frames = self._saving.pop(0)
        name, size = fut.result()          # a failed save (disk full) is raised here
        self.bytes_written += size
        self.written.append((name, frames))

    def finish(self) -> list[tuple[str, list[FrameEntry]]]:
        self._close_frame()
        while self._pending:
            self._collect_one()
        self._close_pack()
        while self._saving:
            self._collect_saved()
        self._pool.shutdown()
        self._saver.shutdown()
        return self.written

    def abort(self) -> None:
        """Stop; every pack saved so far is in ``written`` (for the caller to remove)."""
        for fut, _, _ in self._pending:
            fut.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)
        while self._saving:
            try:
                self._collect_saved()
            except Exception:     # (the failure being handled, or a save that failed too)
                pass
        self._saver.shutdown(wait=True)


def _compress(raw: bytes, codec: Codec, aad: bytes, level: int = ZSTD_LEVEL) -> bytes:
    return codec.seal(zstandard.ZstdCompressor(level=level, write_checksum=True).compress(raw), aad)


# -- reading -------------------------------------------------------------------------------

class FrameCache:
    """Decompressed frames, least recently used first out (restores read in order)."""

    def __init__(self, load: Callable[[FrameRef], bytes], capacity: int = 64, codec: Codec = PLAIN,
                 limit: int = MAX_TABLE_BYTES) -> None:
        self._load = load
        self._codec = codec
        self._limit = limit         # the most one frame can hold: an index claiming more is not believed
        self._cap = capacity
        self._frames: OrderedDict[FrameRef, bytes] = OrderedDict()

    def _decode(self, frame: FrameRef) -> bytes:
        """Load, open and decompress one frame (no state touched: may run on a worker)."""
        stored = self._load(frame)
        if len(stored) != frame.length:
            raise FormatError(f"pack {frame.pack[:12]} is truncated at offset {frame.offset}")
        try:
            return safe_decompress(self._codec.open(stored, AAD_FRAME + frame.tag),
                                   expected=frame.raw_length, limit=self._limit)
        except SealBroken as exc:
            raise FormatError(f"pack {frame.pack[:12]} frame at offset {frame.offset}: {exc}") from None
        except FormatError as exc:
            raise FormatError(f"pack {frame.pack[:12]} frame at offset {frame.offset}: {exc}") from exc

    def read_ahead(self, frames: list[FrameRef], depth: int = 8, workers: int = 2) -> None:
        """The frames about to be read, in order: loaded and decompressed ``depth`` ahead on
        ``workers`` threads (zstd, hashing and file reads let go of the GIL), so that a
        restore decompresses on every core while it writes. ``close`` stops them."""
        from concurrent.futures import ThreadPoolExecutor

        self._ahead, self._ahead_pos, self._depth = frames, 0, depth
        self._futures: dict[FrameRef, object] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="frames")

    def _top_up(self) -> None:
        while len(self._futures) < self._depth and self._ahead_pos < len(self._ahead):
            frame = self._ahead[self._ahead_pos]
            self._ahead_pos += 1
            if frame not in self._frames and frame not in self._futures:
                self._futures[frame] = self._pool.submit(self._decode, frame)

    def close(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            for fut in self._futures.values():
                fut.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            self._pool, self._futures = None, {}

    def blob(self, ref: BlobRef) -> bytes:
        raw = self._frames.get(ref.frame)
        if raw is None:
            fut = self._futures.pop(ref.frame, None) if getattr(self, "_pool", None) is not None else None
            raw = fut.result() if fut is not None else self._decode(ref.frame)
            self._frames[ref.frame] = raw
            if len(self._frames) > self._cap:
                self._frames.popitem(last=False)
            if getattr(self, "_pool", None) is not None:
                self._top_up()
        else:
            self._frames.move_to_end(ref.frame)
        return raw[ref.offset:ref.offset + ref.length]
