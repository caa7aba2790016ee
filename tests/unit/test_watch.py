"""The cheap look of continuous protection (core/snapshot/watch.py), against real files and
a real second process that commits."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from kasirbackup.core.snapshot import raw_read
from kasirbackup.core.snapshot.watch import MISSING, look


def _commit_in_other_process(db, sql="INSERT INTO t(v) VALUES ('sale')") -> None:
    code = ("import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=5); "
            f"c.execute({sql!r}); c.commit(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, timeout=60)


def _make(db, journal="delete"):
    c = sqlite3.connect(db)
    c.execute(f"PRAGMA journal_mode={journal}")
    c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
    c.commit()
    c.close()


def test_rollback_commit_changes_the_mark_and_a_read_does_not(tmp_path):
    db = tmp_path / "kasir.db"
    _make(db)
    a = look(db)
    assert a.exists and len(a.counter) == 4
    assert look(db) == a                                 # nothing happened: same mark
    c = sqlite3.connect(db)
    c.execute("SELECT * FROM t").fetchall()              # a reader changes nothing
    c.close()
    assert look(db) == a
    _commit_in_other_process(db)
    b = look(db)
    assert b != a and b.counter != a.counter             # the change counter moved
    assert int.from_bytes(b.counter, "big") == int.from_bytes(a.counter, "big") + 1


def test_wal_commit_changes_the_mark_without_touching_the_main_file(tmp_path):
    db = tmp_path / "kasir.db"
    _make(db, "wal")
    # the POS: an idle connection pool in another process keeps the -wal from being
    # checkpointed away when the committing connection closes
    code = ("import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM t').fetchall();"
            "print('READY', flush=True); sys.stdin.read()")
    pool = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert pool.stdout.readline().strip() == "READY"
        a = look(db)
        _commit_in_other_process(db)
        b = look(db)
        assert b != a
        assert b.wal is not None and b.wal[0] > 0 and (a.wal is None or b.wal[0] > a.wal[0])
        assert b.counter == a.counter                    # the main file did not change: the -wal tells
        assert look(db) == b
        _commit_in_other_process(db)
        assert look(db) != b
    finally:
        pool.stdin.close()
        pool.wait(timeout=60)


def test_no_look_while_a_connection_of_ours_is_open(tmp_path):
    """Closing a descriptor would drop that connection's locks (POSIX): not now."""
    from kasirbackup.core.sqlitefile import connect_readonly

    db = tmp_path / "kasir.db"
    _make(db)
    conn = connect_readonly(db)
    try:
        assert look(db) is None
    finally:
        conn.close()
    assert look(db) is not None


def test_replaced_and_deleted_files(tmp_path):
    db = tmp_path / "kasir.db"
    _make(db)
    a = look(db)
    other = tmp_path / "other.db"
    _make(other)
    os.replace(other, db)                       # a restored copy put in place: another file
    b = look(db)
    assert b.exists and b.identity != a.identity and b != a
    db.unlink()
    assert look(db) == MISSING and not MISSING.exists


def test_no_look_while_our_restore_holds_the_exclusive_lock(tmp_path):
    from kasirbackup.core.restore.live import lock_exclusive, release_lock

    db = tmp_path / "kasir.db"
    _make(db)
    conn = lock_exclusive(db, 1.0)
    try:
        assert look(db) is None
    finally:
        release_lock(conn)
    assert look(db) is not None


@pytest.mark.skipif(os.name == "nt", reason="POSIX lock semantics")
def test_a_look_during_a_capture_keeps_the_captures_lock(tmp_path):
    """POSIX drops every lock of a process on a file when any descriptor of it is closed: a
    look taken while a capture holds SQLite's SHARED lock must not open and close its own."""
    db = tmp_path / "kasir.db"
    _make(db)
    from kasirbackup.core.sqlitefile import connect_readonly

    fd, must_close = raw_read.open_raw(db)          # what a capture does first
    conn = connect_readonly(db)
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT * FROM sqlite_schema").fetchall()     # SHARED lock held
        look(db)
        code = ("import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=0); "
                "c.execute('INSERT INTO t(v) VALUES (1)'); c.commit()")
        proc = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
        assert proc.returncode != 0 and "locked" in proc.stderr, "the look dropped the capture's SHARED lock"
    finally:
        conn.execute("COMMIT")
        conn.close()
        if must_close:
            os.close(fd)
        else:
            raw_read.done_raw(fd)
