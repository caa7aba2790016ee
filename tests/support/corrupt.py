"""Damage a SQLite file the way a disk or a bug does, for tests of the checks that must
notice: two leaf pages of a table swapped. Every page is still a well-formed page, the
row count is unchanged and nothing is unreadable, yet ``PRAGMA quick_check`` reports the
rowids out of order — a damage only SQLite's own check can see."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

INTERIOR_TABLE = 0x05
LEAF_TABLE = 0x0D


def _page(data: bytes | bytearray, number: int, page_size: int) -> tuple[int, int]:
    """(offset of the page, offset of its b-tree header) — page 1 starts after the file header."""
    start = (number - 1) * page_size
    return start, start + (100 if number == 1 else 0)


def table_leaves(path: str | Path, table: str) -> list[int]:
    """The leaf pages of ``table``'s b-tree, left to right (children of its root; the
    table must be big enough for its root to be an interior page)."""
    conn = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?",
                               (table,)).fetchone()
    finally:
        conn.close()
    data = Path(path).read_bytes()
    start, hdr = _page(data, root, page_size)
    if data[hdr] != INTERIOR_TABLE:
        raise ValueError(f"{table}: the root page {root} is not an interior page; make the table bigger")
    (cells,) = struct.unpack_from(">H", data, hdr + 3)
    (rightmost,) = struct.unpack_from(">I", data, hdr + 8)
    children = []
    for i in range(cells):
        (ptr,) = struct.unpack_from(">H", data, hdr + 12 + 2 * i)
        (child,) = struct.unpack_from(">I", data, start + ptr)
        children.append(child)
    children.append(rightmost)
    return [c for c in children if data[_page(data, c, page_size)[1]] == LEAF_TABLE]


def swap_table_leaves(path: str | Path, table: str) -> tuple[int, int]:
    """Swap the contents of the first two leaf pages of ``table`` in the file at ``path``
    (no connection may be open). Returns the two page numbers."""
    conn = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    leaves = table_leaves(path, table)
    if len(leaves) < 2:
        raise ValueError(f"{table} has fewer than two leaf pages")
    a, b = leaves[0], leaves[1]
    data = bytearray(Path(path).read_bytes())
    pa, pb = (a - 1) * page_size, (b - 1) * page_size
    data[pa:pa + page_size], data[pb:pb + page_size] = data[pb:pb + page_size], data[pa:pa + page_size]
    Path(path).write_bytes(bytes(data))
    return a, b


def quick_check(path: str | Path) -> list[str]:
    conn = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check")]
    finally:
        conn.close()


def swap_equal_frames(pack: Path, codec) -> tuple:
    """Swap two stored frames of the same length (and raw length) and different content
    inside the pack file ``pack``: each stays a valid frame, in the wrong place. Returns
    the two FrameEntry of the swapped frames."""
    from kasirbackup.core.repo.packs import pack_trailer

    data = pack.read_bytes()
    by_len: dict[tuple[int, int], list] = {}
    for f in pack_trailer(data, codec):
        by_len.setdefault((f.length, f.raw_length), []).append(f)
    a, b = next(v for v in by_len.values() if len(v) >= 2)[:2]
    fa, fb = data[a.offset:a.offset + a.length], data[b.offset:b.offset + b.length]
    assert fa != fb
    swapped = bytearray(data)
    swapped[a.offset:a.offset + a.length] = fb
    swapped[b.offset:b.offset + b.length] = fa
    pack.write_bytes(bytes(swapped))
    return a, b
