"""Property tests of the store: whatever goes in comes back out, byte for byte.

* packs.py alone: any list of blobs written through ``PackWriter`` (tiny frames and packs,
  so there are many of both) is read back identically through an index file
  (``encode_index``/``decode_index``) and ``FrameCache``; a damaged byte anywhere in a
  pack is either caught (``FormatError`` or a SHA-256 mismatch with the blob id) or does
  not change what is read — never wrong data handed over as good.
* The repository: any sequence of databases (random tables and rows, page sizes from 512
  to 65536, page-size changes and VACUUM, WAL-mode sources with un-checkpointed frames)
  backed up into one repository restores identically — every snapshot, also after the
  later ones were added: the same bytes as the source file for quiet rollback-journal
  sources, the same logical content (iterdump) for WAL sources.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.packs import (BLOB_PAGE, BLOB_TREE, BlobRef, FormatError, FrameCache, FrameRef,
                                    PackWriter, decode_index, encode_index, pack_trailer)
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.to_file import restore_to_new_file

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- packs.py -------------------------------------------------------------------------------

blob_data = st.one_of(
    st.binary(min_size=0, max_size=600),
    st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=8), st.integers(1, 700)),  # compressible
    st.binary(min_size=1500, max_size=5000),
)


def write_blobs(blobs: list[tuple[int, bytes]], frame_bytes: int, pack_bytes: int):
    packs: dict[str, bytes] = {}

    def save(name: str, data: bytes) -> None:
        # the same blobs in the same frames make the same pack: same name, same bytes
        assert packs.get(name, data) == data
        packs[name] = data

    w = PackWriter(save, frame_bytes=frame_bytes, pack_bytes=pack_bytes, threads=2)
    for btype, data in blobs:
        w.add(hashlib.sha256(data).digest(), btype, data)
    written = w.finish()
    return packs, written


def index_refs(index: bytes) -> dict[bytes, list[BlobRef]]:
    refs: dict[bytes, list[BlobRef]] = {}
    for pack, frames in decode_index(index):
        for fr in frames:
            ref = FrameRef(pack, fr.offset, fr.length, fr.raw_length)
            for bid, btype, off, ln in fr.blobs:
                refs.setdefault(bid, []).append(BlobRef(ref, off, ln, btype))
    return refs


def cache_over(packs: dict[str, bytes], capacity: int = 4) -> FrameCache:
    def load(fr: FrameRef) -> bytes:
        return packs[fr.pack][fr.offset:fr.offset + fr.length]
    return FrameCache(load, capacity=capacity)


@settings(max_examples=50, **SETTINGS)
@given(blobs=st.lists(st.tuples(st.sampled_from([BLOB_PAGE, BLOB_TREE]), blob_data), min_size=0, max_size=40),
       frame_bytes=st.integers(1, 3000), pack_bytes=st.integers(1, 12000), capacity=st.integers(1, 5))
def test_packwriter_round_trip_through_index_and_frame_cache(blobs, frame_bytes, pack_bytes, capacity):
    packs, written = write_blobs(blobs, frame_bytes, pack_bytes)
    # every pack is named by its contents and describes itself
    assert set(packs) == {name for name, _ in written}
    for name, frames in written:
        assert hashlib.sha256(packs[name]).hexdigest() == name
        assert pack_trailer(packs[name]) == frames
    if blobs:
        assert len(written) >= 1
    else:
        assert written == []
    # the index lists exactly what was written, in order
    index = encode_index(written)
    decoded = list(decode_index(index))
    assert decoded == written
    listed = [(bid, btype) for _, frames in decoded for fr in frames for bid, btype, _, _ in fr.blobs]
    assert listed == [(hashlib.sha256(d).digest(), t) for t, d in blobs]
    # every blob reads back identically, whichever order and however small the cache
    refs = index_refs(index)
    cache = cache_over(packs, capacity)
    order = list(range(len(blobs)))
    for i in order + order[::-1]:
        btype, data = blobs[i]
        bid = hashlib.sha256(data).digest()
        for ref in refs[bid]:
            assert ref.type in (BLOB_PAGE, BLOB_TREE)
            assert cache.blob(ref) == data


@settings(max_examples=50, **SETTINGS)
@given(blobs=st.lists(blob_data, min_size=1, max_size=25), frame_bytes=st.integers(1, 3000),
       pack_bytes=st.integers(1, 12000), which=st.integers(0, 10**6), where=st.integers(0, 10**9),
       xor=st.integers(1, 255))
def test_a_damaged_byte_in_a_pack_is_never_returned_as_data(blobs, frame_bytes, pack_bytes, which, where, xor):
    packs, written = write_blobs([(BLOB_PAGE, b) for b in blobs], frame_bytes, pack_bytes)
    refs = index_refs(encode_index(written))
    names = sorted(packs)
    victim = names[which % len(names)]
    pos = where % len(packs[victim])
    damaged = bytearray(packs[victim])
    damaged[pos] ^= xor
    packs = {**packs, victim: bytes(damaged)}

    # the pack's name is the SHA-256 of its bytes: any damage is detectable by a full check
    assert hashlib.sha256(packs[victim]).hexdigest() != victim

    caught = 0
    for data in blobs:
        bid = hashlib.sha256(data).digest()
        for ref in refs[bid]:
            cache = cache_over(packs)          # fresh: no frame decoded before the damage
            try:
                got = cache.blob(ref)
            except FormatError:
                caught += 1
                continue
            if got != data:
                # the only acceptable wrong bytes are ones the repository rejects
                assert hashlib.sha256(got).digest() != bid
                caught += 1
    # damage inside a stored frame's compressed blocks must be caught when that frame is
    # read; bytes of the frame header or the trailer may leave the data intact
    hit = [(name, fr) for name, frames in written if name == victim for fr in frames
           if fr.offset <= pos < fr.offset + fr.length]
    if not hit:
        # magic or trailer: reading the trailer catches it, or the frame table is unchanged
        try:
            trailer = pack_trailer(packs[victim])
        except FormatError:
            pass
        else:
            assert trailer == dict(written)[victim] or caught


def test_damaged_frame_is_caught_not_returned():
    """A fixed example of the property above: the middle of a compressed frame."""
    data = [bytes([i]) * 3000 + hashlib.sha256(bytes([i])).digest() * 20 for i in range(6)]
    packs, written = write_blobs([(BLOB_PAGE, d) for d in data], 4000, 1 << 20)
    (name, frames), = written
    fr = frames[0]
    damaged = bytearray(packs[name])
    damaged[fr.offset + fr.length // 2] ^= 0x5A
    cache = cache_over({name: bytes(damaged)})
    ref = index_refs(encode_index(written))[hashlib.sha256(data[0]).digest()][0]
    with pytest.raises(FormatError):
        cache.blob(ref)


# -- the repository -------------------------------------------------------------------------

PAGE_SIZES = [512, 1024, 4096, 8192, 65536]

values = st.one_of(
    st.none(),
    st.integers(-(2 ** 63), 2 ** 63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=60),
    st.binary(max_size=60),
    st.builds(lambda n, c: c * n, st.integers(100, 6000), st.sampled_from(["a", "\u00e9", "z9"])),  # overflow pages
    st.builds(lambda n: bytes(n), st.integers(100, 9000)),
)

table_spec = st.tuples(st.integers(1, 4), st.lists(st.lists(values, min_size=4, max_size=4), max_size=40),
                       st.booleans())

fresh = st.tuples(st.just("fresh"), st.sampled_from(PAGE_SIZES), st.lists(table_spec, min_size=1, max_size=3),
                  st.sampled_from(["delete", "wal"]))

step = st.one_of(
    fresh,
    st.tuples(st.just("insert"), st.lists(st.lists(values, min_size=4, max_size=4), min_size=1, max_size=40)),
    st.tuples(st.just("delete"), st.integers(0, 100)),
    st.tuples(st.just("update"), st.integers(0, 100), values),
    st.tuples(st.just("vacuum")),
    st.tuples(st.just("page_size"), st.sampled_from(PAGE_SIZES)),
    st.tuples(st.just("journal"), st.sampled_from(["delete", "wal"])),
)


class Source:
    """The database being backed up, with a connection kept open in WAL mode (so that
    the backup has to read committed frames still in the -wal file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.n = 0
        self.path: Path | None = None
        self.conn: sqlite3.Connection | None = None
        self.tables: list[str] = []

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def fresh(self, page_size: int, tables, mode: str) -> None:
        self.close()
        self.n += 1
        self.path = self.folder / f"src{self.n}.db"
        c = self.conn = sqlite3.connect(self.path, isolation_level=None)
        c.execute(f"PRAGMA page_size = {page_size}")
        self.tables = []
        for i, (ncols, rows, without_rowid) in enumerate(tables):
            name = f"t{i} x"        # a name that needs quoting
            cols = ", ".join(f"c{j}" for j in range(ncols))
            if without_rowid:
                c.execute(f'CREATE TABLE "{name}" (k INTEGER PRIMARY KEY, {cols}) WITHOUT ROWID')
            else:
                c.execute(f'CREATE TABLE "{name}" (k INTEGER PRIMARY KEY, {cols})')
                c.execute(f'CREATE INDEX "ix{i}" ON "{name}" (c0)')
            self.tables.append((name, ncols))
        self.set_mode(mode)
        self.insert([r for _, rows, _ in tables for r in rows])

    def set_mode(self, mode: str) -> None:
        got = self.conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0]
        assert got == mode
        if mode == "wal":
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")

    def insert(self, rows) -> None:
        c = self.conn
        c.execute("BEGIN")
        for i, row in enumerate(rows):
            name, ncols = self.tables[i % len(self.tables)]
            k = c.execute(f'SELECT coalesce(max(k), 0) + 1 FROM "{name}"').fetchone()[0]
            c.execute(f'INSERT INTO "{name}" VALUES ({", ".join("?" * (ncols + 1))})', [k, *row[:ncols]])
        c.execute("COMMIT")

    def apply(self, op) -> None:
        c = self.conn
        kind = op[0]
        if kind == "insert":
            self.insert(op[1])
        elif kind == "delete":
            for name, _ in self.tables:
                c.execute(f'DELETE FROM "{name}" WHERE k % 101 <= ?', (op[1],))
        elif kind == "update":
            for name, _ in self.tables:
                c.execute(f'UPDATE "{name}" SET c0 = ? WHERE k % 101 <= ?', (op[2], op[1]))
        elif kind == "vacuum":
            c.execute("VACUUM")
        elif kind == "page_size":
            if self.wal:
                return        # the page size of a WAL database cannot change
            c.execute(f"PRAGMA page_size = {op[1]}")
            c.execute("VACUUM")
        elif kind == "journal":
            self.set_mode(op[1])

    @property
    def wal(self) -> bool:
        return self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def expected(self) -> tuple[str, object]:
        if self.wal:
            return "dump", list(self.conn.iterdump())
        return "bytes", self.path.read_bytes()


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@settings(max_examples=40, **SETTINGS)
@given(first=fresh, steps=st.lists(step, max_size=5),
       frame_bytes=st.sampled_from([512, 4096, 128 * 1024]), pack_bytes=st.sampled_from([1 << 16, 1 << 24]))
def test_any_sequence_of_databases_restores_identically(first, steps, frame_bytes, pack_bytes):
    with tempfile.TemporaryDirectory(prefix="kb-prop-") as d:
        folder = Path(d)
        repo = Repository.init(folder / "repo")
        repo.config.frame_bytes, repo.config.pack_bytes = frame_bytes, pack_bytes
        repo.save_config()
        src = Source(folder)
        taken: list[tuple[object, tuple[str, object]]] = []
        try:
            src.fresh(*first[1:])
            for op in [None, *steps]:
                if op is not None:
                    if op[0] == "fresh":
                        src.fresh(*op[1:])
                    else:
                        src.apply(op)
                snap = backup(Repository.open(folder / "repo"), BackupRequest(str(src.path))).snapshot
                assert snap.verification.ok, snap.verification.detail
                taken.append((snap, src.expected()))
                event(f"source: {'wal' if src.wal else 'rollback'}, page size {snap.database.page_size}")
            event(f"{len(taken)} snapshots, {len({s.database.page_size for s, _ in taken})} page sizes")
            # every snapshot, including the early ones, restores as it was taken
            repo = Repository.open(folder / "repo")
            assert {s.id for s in repo.snapshots()} == {s.id for s, _ in taken}
            for i, (snap, (how, want)) in enumerate(taken):
                out = folder / f"restored-{i}.db"
                res = restore_to_new_file(repo, snap, out)
                assert res.sha256 == snap.image_sha256
                if how == "bytes":
                    assert out.read_bytes() == want, f"snapshot {i} differs from its source"
                else:
                    assert dump(out) == want, f"snapshot {i} (WAL source) differs from its source"
        finally:
            src.close()
