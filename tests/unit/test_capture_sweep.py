"""The final sweep of the rollback-journal capture, driven step by step."""

import hashlib
import sqlite3

from kasirbackup.core.snapshot.capture import CaptureOptions, _PageCopier, _Reader
from kasirbackup.core.progress import CancelToken


class PagesInMemory:
    def __init__(self):
        self.pages = {}

    def put(self, blob_id, data, index):
        assert hashlib.sha256(data).digest() == blob_id
        self.pages[blob_id] = data


def make_db(path, rows=3000):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sale(id INTEGER PRIMARY KEY, note TEXT)")
    conn.executemany("INSERT INTO sale(note) VALUES (?)", [(f"penjualan {i:06d}" * 8,) for i in range(rows)])
    conn.commit()
    conn.close()


def image(copier, store):
    return b"".join(store.pages[i] for i in copier.ids)


def test_aborted_final_sweep_does_not_hide_changes_from_the_next_sweep(tmp_path):
    db = tmp_path / "kasir.db"
    make_db(db)
    opts = CaptureOptions()
    reader = _Reader(db, opts)
    store = PagesInMemory()
    try:
        copier = _PageCopier(reader, store, lambda *a: None, CancelToken())
        counters = copier.batched_pass("copy")
        # a sale is changed after the pass read the file: the first pages differ now
        conn = sqlite3.connect(db)
        conn.execute("UPDATE sale SET note = 'changed' WHERE id = 1")
        conn.commit()
        conn.close()
        opts.lock_budget_s = -1.0             # the sweep gives up after its first batch
        assert copier.final_sweep(counters) is False
        opts.lock_budget_s = 10.0
        counters = copier.batched_pass("catch-up")
        assert copier.final_sweep(counters) is True
    finally:
        reader.close()
    assert image(copier, store) == db.read_bytes()


def test_quiet_database_needs_no_second_read(tmp_path):
    db = tmp_path / "kasir.db"
    make_db(db, rows=500)
    reader = _Reader(db, CaptureOptions())
    store = PagesInMemory()
    try:
        copier = _PageCopier(reader, store, lambda *a: None, CancelToken())
        counters = copier.batched_pass("copy")
        assert len(counters) == 1
        assert copier.final_sweep(counters) is True
    finally:
        reader.close()
    assert copier.changed_in_final == 0
    assert image(copier, store) == db.read_bytes()


def test_changes_between_pass_and_sweep_are_in_the_copy(tmp_path):
    db = tmp_path / "kasir.db"
    make_db(db)
    reader = _Reader(db, CaptureOptions())
    store = PagesInMemory()
    try:
        copier = _PageCopier(reader, store, lambda *a: None, CancelToken())
        counters = copier.batched_pass("copy")
        conn = sqlite3.connect(db)
        conn.executemany("INSERT INTO sale(note) VALUES (?)", [("baru",)] * 2000)   # the file grows
        conn.execute("DELETE FROM sale WHERE id < 50")
        conn.commit()
        conn.close()
        assert copier.final_sweep(counters) is True
    finally:
        reader.close()
    assert copier.changed_in_final > 0
    assert image(copier, store) == db.read_bytes()
