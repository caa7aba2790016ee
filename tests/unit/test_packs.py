"""Pack and index files (kasirbackup.core.repo.packs): what is written reads back exactly,
and damaged or foreign bytes are rejected with FormatError — never another exception."""

from __future__ import annotations

import hashlib
import os
import struct

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasirbackup.core.repo import packs
from kasirbackup.core.repo.packs import (BLOB_PAGE, BLOB_TREE, BlobRef, FormatError, FrameCache, FrameEntry,
                                    FrameRef, PackWriter, decode_frame_table, decode_index,
                                    encode_frame_table, encode_index, pack_trailer)

u32 = st.integers(0, 2**32 - 1)
blob_st = st.tuples(st.binary(min_size=32, max_size=32), st.sampled_from([BLOB_PAGE, BLOB_TREE]), u32, u32)
frame_st = st.builds(FrameEntry, st.integers(0, 2**64 - 1), u32, u32, st.lists(blob_st, max_size=6))
frames_st = st.lists(frame_st, max_size=6)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _as_tuples(frames):
    return [(f.offset, f.length, f.raw_length, [tuple(b) for b in f.blobs]) for f in frames]


# -- frame tables ---------------------------------------------------------------------------------

@FAST
@given(frames_st, st.binary(max_size=8))
def test_frame_table_round_trip(frames, tail):
    data = encode_frame_table(frames)
    decoded, end = decode_frame_table(data + tail)
    assert _as_tuples(decoded) == _as_tuples(frames)
    assert end == len(data)             # the reader knows where the table ends


@FAST
@given(frames_st.filter(lambda fs: fs), st.data())
def test_truncated_frame_table_is_rejected(frames, data):
    blob = encode_frame_table(frames)
    cut = data.draw(st.integers(0, len(blob) - 1))
    with pytest.raises(FormatError):
        decode_frame_table(blob[:cut])


@FAST
@given(st.binary(max_size=400))
def test_garbage_frame_table_never_crashes(garbage):
    try:
        frames, end = decode_frame_table(garbage)
    except FormatError:
        return
    assert end <= len(garbage)
    assert encode_frame_table(frames) == garbage[:end]


def test_frame_table_claiming_billions_of_frames_is_rejected_quickly():
    with pytest.raises(FormatError):
        decode_frame_table(struct.pack("<I", 2**32 - 1) + bytes(64))
    with pytest.raises(FormatError):   # one frame that claims 2**32-1 blobs
        decode_frame_table(struct.pack("<I", 1) + struct.pack("<QIII", 0, 10, 10, 2**32 - 1) + bytes(60))


# -- whole packs ------------------------------------------------------------------------------------

def _write_packs(blobs: list[tuple[bytes, int, bytes]], pack_bytes: int = 1 << 16, frame_bytes: int = 8192):
    saved: dict[str, bytes] = {}
    w = PackWriter(lambda name, data: saved.__setitem__(name, data), frame_bytes=frame_bytes,
                   pack_bytes=pack_bytes)
    for bid, btype, data in blobs:
        w.add(bid, btype, data)
    written = w.finish()
    return saved, written


def _pages(n: int, size: int = 4096, seed: int = 0) -> list[tuple[bytes, int, bytes]]:
    out = []
    for i in range(n):
        # half compressible, half random, like real pages
        data = (f"page {i} seed {seed} ".encode() * size)[: size // 2] + os.urandom(size - size // 2)
        out.append((hashlib.sha256(data).digest(), BLOB_PAGE, data))
    return out


def _reader(saved: dict[str, bytes]) -> FrameCache:
    def load(fr: FrameRef) -> bytes:
        return saved[fr.pack][fr.offset:fr.offset + fr.length]
    return FrameCache(load)


def _refs(written) -> dict[bytes, BlobRef]:
    refs = {}
    for name, frames in written:
        for fr in frames:
            ref = FrameRef(name, fr.offset, fr.length, fr.raw_length)
            for bid, btype, off, ln in fr.blobs:
                refs[bid] = BlobRef(ref, off, ln, btype)
    return refs


def test_pack_round_trip_every_blob_reads_back():
    blobs = _pages(60)
    tree = b"".join(b[0] for b in blobs[:10])
    blobs.append((hashlib.sha256(tree).digest(), BLOB_TREE, tree))
    blobs.append((hashlib.sha256(b"").digest(), BLOB_PAGE, b""))    # an empty blob too
    saved, written = _write_packs(blobs)
    assert len(saved) >= 2                                          # the small pack size forced a split
    for name, data in saved.items():
        assert hashlib.sha256(data).hexdigest() == name             # packs are named by their content
        assert data.startswith(packs.PACK_MAGIC) and data.endswith(packs.PACK_END)
        assert _as_tuples(pack_trailer(data)) == _as_tuples(dict(written)[name])   # packs describe themselves
    cache = _reader(saved)
    refs = _refs(written)
    for bid, btype, data in blobs:
        assert refs[bid].type == btype
        assert cache.blob(refs[bid]) == data


def test_index_round_trip():
    saved, written = _write_packs(_pages(40))
    data = encode_index(written)
    decoded = list(decode_index(data))
    assert [(n, _as_tuples(f)) for n, f in decoded] == [(n, _as_tuples(f)) for n, f in written]
    assert list(decode_index(encode_index([]))) == []


@pytest.mark.parametrize("cut", [0, 5, 8, 20, -40, -13, -12, -9, -8, -1])
def test_truncated_pack_is_rejected(cut):
    saved, _ = _write_packs(_pages(5), pack_bytes=1 << 20)
    (data,) = saved.values()
    with pytest.raises(FormatError):
        pack_trailer(data[:cut])


def test_truncated_index_is_rejected():
    saved, written = _write_packs(_pages(40))
    data = encode_index(written)
    for cut in range(0, len(data), max(1, len(data) // 40)):
        with pytest.raises(FormatError):
            list(decode_index(data[:cut]))


@FAST
@given(st.binary(max_size=300))
def test_garbage_pack_is_rejected(garbage):
    for candidate in (garbage, packs.PACK_MAGIC + garbage + packs.PACK_END,
                      packs.PACK_MAGIC + garbage + struct.pack("<I", len(garbage)) + packs.PACK_END):
        with pytest.raises(FormatError):          # refused with FormatError, never accepted
            pack_trailer(candidate)


@FAST
@given(st.binary(max_size=300))
def test_garbage_index_is_rejected(garbage):
    for candidate in (garbage, packs.INDEX_MAGIC + garbage):
        with pytest.raises(FormatError):          # no magic, or a body that is not zstd
            list(decode_index(candidate))
    # a well-compressed body of garbage may happen to be a valid (often empty) index: then
    # every entry must be well-formed, never a half-read one
    try:
        body = zstandard.ZstdCompressor(write_checksum=True).compress(garbage)
        entries = list(decode_index(packs.INDEX_MAGIC + body))
    except FormatError:
        return
    for name, frames in entries:
        assert len(name) == 64 and all(c in "0123456789abcdef" for c in name)
        assert all(f.length >= 0 and f.offset >= 0 for f in frames)


def _zstd_frame_claiming(size: int) -> bytes:
    """A zstd frame whose header claims ``size`` bytes of content (a crafted or
    bit-flipped header); the data that follows is tiny."""
    real = zstandard.ZstdCompressor(write_content_size=True).compress(b"a" * 100)
    # real[4] is the frame header descriptor; rewrite it: 8-byte content size, single segment
    return real[:4] + bytes([0b11100000]) + struct.pack("<Q", size) + real[6:]


def test_pack_trailer_claiming_a_huge_size_is_rejected_not_allocated():
    fake = _zstd_frame_claiming(1 << 40)
    pack = packs.PACK_MAGIC + fake + struct.pack("<I", len(fake)) + packs.PACK_END
    with pytest.raises(FormatError):
        pack_trailer(pack)


def test_index_claiming_a_huge_size_is_rejected_not_allocated():
    with pytest.raises(FormatError):
        list(decode_index(packs.INDEX_MAGIC + _zstd_frame_claiming(1 << 40)))


# -- reading frames back -------------------------------------------------------------------------------

def test_flipped_bytes_in_a_frame_are_detected():
    blobs = _pages(20)
    saved, written = _write_packs(blobs, pack_bytes=1 << 20)
    (name,) = saved
    data = bytearray(saved[name])
    data[len(packs.PACK_MAGIC) + 30] ^= 0xFF
    saved[name] = bytes(data)
    cache = _reader(saved)
    refs = _refs(written)
    with pytest.raises(FormatError):
        for bid, _, page in blobs:
            # either the frame no longer decompresses, or (very unlikely) it does and
            # the page no longer matches its id: both must be noticed
            if hashlib.sha256(cache.blob(refs[bid])).digest() != bid:
                raise FormatError("page does not match its id")


def test_short_read_of_a_frame_is_reported_as_truncated_pack():
    saved, written = _write_packs(_pages(10), pack_bytes=1 << 20)
    (name,) = saved
    short = {name: saved[name][: len(saved[name]) // 3]}
    cache = _reader(short)
    refs = list(_refs(written).values())
    with pytest.raises(FormatError, match="truncated|corrupt"):
        for ref in refs:
            cache.blob(ref)


def test_frame_longer_than_recorded_is_rejected():
    saved, written = _write_packs(_pages(4), pack_bytes=1 << 20)
    (name,) = saved
    ref = next(iter(_refs(written).values()))
    # the index lies about the raw length: the reader must not trust it
    lying = BlobRef(FrameRef(name, ref.frame.offset, ref.frame.length, ref.frame.raw_length - 100),
                    ref.offset, ref.length, ref.type)
    with pytest.raises(FormatError):
        _reader(saved).blob(lying)
