"""SQLite's lock-byte page (the page holding byte offset 1 GiB, present in databases over
1 GiB) is never read: on Windows its byte-range locks are mandatory and a read there fails
while the POS holds PENDING. The image gets that page as SQLite's own backup leaves it: zeros.
Tested on a real database file over 1 GiB (sparse)."""

from __future__ import annotations

import os
import sqlite3
import struct

import pytest

from kasirbackup.core.snapshot import raw_read
from kasirbackup.core.snapshot.capture import capture
from kasirbackup.core.sqlitefile import lock_page_number

GIB = 1 << 30
PAGE = 65536


class Recorder:
    def __init__(self) -> None:
        self.pages: dict[int, bytes] = {}

    def put(self, blob_id: bytes, data: bytes, index: int) -> None:
        self.pages[index] = data if any(data) else b""        # keep memory small: zeros as b""


def watch_reads(monkeypatch) -> list[tuple[int, int]]:
    """Every (offset, length) the capture reads from now on."""
    reads: list[tuple[int, int]] = []
    real = raw_read.pread

    def watched(fd, n, offset):
        reads.append((offset, n))
        return real(fd, n, offset)
    monkeypatch.setattr(raw_read, "pread", watched)
    return reads


@pytest.fixture
def big_db(tmp_path):
    db = tmp_path / "big.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA page_size={PAGE}")
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
    conn.execute("INSERT INTO t(v) VALUES ('before the lock page')")
    conn.commit()
    conn.close()
    pages = GIB // PAGE + 8                       # 1 GiB and a bit: the lock-byte page is inside
    with open(db, "r+b") as fh:
        head = bytearray(fh.read(100))
        struct.pack_into(">I", head, 28, pages)               # in-header database size
        struct.pack_into(">I", head, 92, struct.unpack_from(">I", head, 24)[0])   # valid for this counter
        fh.seek(0)
        fh.write(head)
        fh.truncate(pages * PAGE)                 # sparse: no disk space used
        fh.seek((pages - 1) * PAGE)
        fh.write(b"\x7f" * 16)                    # something after the lock page
    return db, pages


def test_the_lock_byte_page_is_never_read_and_comes_back_as_zeros(big_db, monkeypatch):
    db, pages = big_db
    lock_idx = lock_page_number(PAGE) - 1
    assert lock_idx * PAGE == GIB
    reads = watch_reads(monkeypatch)
    store = Recorder()
    cap = capture(db, store)
    assert len(cap.page_ids) == pages
    assert sum(n for _, n in reads) >= (pages - 1) * PAGE       # the rest was read
    touching = [(o, n) for o, n in reads if o < GIB + PAGE and o + n > GIB]
    assert touching == [], f"read the lock-byte page: {touching[:3]}"
    assert store.pages[lock_idx] == b""           # zeros, as SQLite's backup leaves it
    assert store.pages[pages - 1].endswith(bytes(PAGE - 16)) and store.pages[pages - 1][:16] == b"\x7f" * 16
    assert cap.page_ids[lock_idx] == cap.page_ids[lock_idx - 1]    # (both all zeros: the same id)


@pytest.mark.skipif(os.name == "nt", reason="the sparse file is made with POSIX truncate")
def test_a_seeded_sweep_skips_it_too(big_db, monkeypatch):
    db, pages = big_db
    first = capture(db, Recorder())
    reads = watch_reads(monkeypatch)
    from kasirbackup.core.snapshot.capture import CaptureOptions
    again = capture(db, Recorder(), opts=CaptureOptions(seed=first.seed("x")))
    assert again.seeded and again.page_ids == first.page_ids
    assert not [(o, n) for o, n in reads if o < GIB + PAGE and o + n > GIB]
