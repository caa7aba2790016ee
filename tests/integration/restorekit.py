"""Helpers of the live-restore tests (test_restore_*.py, test_diff.py).

* running the real command line with standard input that is *not* a terminal;
* content digests of a database, table by table (rowids included), so that "equals the
  snapshot" and "nothing changed" can be asserted precisely;
* the state of a database's files on disk (main file, -journal, -wal, -shm);
* small child processes that hold a database the way a POS application would.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.support import mutation_map
from tests.support.checks import assert_ok, describe, parse_json_stdout

SUFFIXES = ("", "-journal", "-wal", "-shm")


# -- the command line -----------------------------------------------------------------------------

def run(kb, *args, timeout: float = 180, **kw) -> subprocess.CompletedProcess:
    """``kasirbackup ARGS`` with standard input from /dev/null (never a terminal)."""
    argv, env = mutation_map.command(kb.env, *map(str, args))
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kw)
    mutation_map.collect(env)
    return proc


def backup(kb, db, repo, *extra, cli: bool = False) -> dict:
    """A backup as set-up for a test (in-process unless ``cli``); returns list --json's item."""
    if cli or extra:
        return parse_json_stdout(assert_ok(run(kb, "backup", "--db", db, "--repo", repo, "--json", *extra)))
    from kasirbackup.core.snapshot.backup import BackupRequest, backup as core_backup
    from kasirbackup.core.repo.repository import Repository

    snap = core_backup(Repository.open(repo, create=True), BackupRequest(str(db))).snapshot
    assert snap.verified, snap.verification
    return snap.summary_json()


def snapshots(kb, repo, cli: bool = False) -> list[dict]:
    """``list --json`` (through the command line with ``cli``, else in-process)."""
    if cli:
        return parse_json_stdout(assert_ok(run(kb, "list", "--repo", repo, "--json")))
    from kasirbackup.core.repo.repository import Repository

    return [s.summary_json() for s in Repository.open(repo).snapshots()]


def restore_new(kb, repo, snap_id: str, dest: Path) -> Path:
    """The snapshot restored to a new file (in-process: the reference to compare with)."""
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.restore.to_file import restore_to_new_file

    assert not dest.exists()
    r = Repository.open(repo)
    restore_to_new_file(r, r.find(snap_id), dest)
    return dest


def restore_live(kb, repo, snap_id: str, db, *extra, yes: bool = True, timeout: float = 180
                 ) -> subprocess.CompletedProcess:
    args = ["restore", "--repo", repo, "--snapshot", snap_id, "--to", db, *extra]
    if yes:
        args.append("--yes")
    return run(kb, *args, timeout=timeout)


def restore_live_json(kb, repo, snap_id: str, db, *extra) -> dict:
    proc = assert_ok(restore_live(kb, repo, snap_id, db, "--json", *extra))
    return parse_json_stdout(proc)


def diff_json(kb, repo, snap_id: str, db) -> dict:
    return parse_json_stdout(assert_ok(run(kb, "diff", "--repo", repo, "--snapshot", snap_id, "--db", db,
                                           "--json")))


# -- database contents ----------------------------------------------------------------------------

def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(path, how: str = "ro") -> sqlite3.Connection:
    """``ro``: read-only, never writes or checkpoints (fails on a hot journal);
    ``immutable``: the main file alone, as bytes on disk (ignores -wal/-journal);
    ``rw``: a normal connection, as the POS opens it (rolls back a hot journal)."""
    p = Path(path).absolute()
    if how == "rw":
        return sqlite3.connect(str(p), isolation_level=None, timeout=10)
    suffix = "?mode=ro" if how == "ro" else "?mode=ro&immutable=1"
    return sqlite3.connect(p.as_uri() + suffix, uri=True, isolation_level=None, timeout=10)


def _table_digest(conn: sqlite3.Connection, name: str, sql: str) -> str:
    norm = " ".join(sql.upper().split())
    without_rowid = norm.endswith("WITHOUT ROWID") or ") WITHOUT ROWID" in norm
    if without_rowid:
        rows = sorted(repr(r) for r in conn.execute(f"SELECT * FROM {q(name)}"))
        data = "\n".join(rows)
    else:
        h = hashlib.sha256()
        for r in conn.execute(f"SELECT rowid, * FROM {q(name)} ORDER BY rowid"):
            h.update(repr(r).encode("utf-8", "surrogatepass"))
            h.update(b"\n")
        return h.hexdigest()
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def contents(path, how: str = "ro", conn: sqlite3.Connection | None = None) -> dict[str, str]:
    """Digest of every stored table (rowids included; virtual tables are covered by their
    shadow tables), plus the schema and the header pragmas. Keys: table names,
    ``<schema>``, ``<pragmas>``."""
    own = conn is None
    conn = conn or connect(path, how)
    try:
        out: dict[str, str] = {}
        schema = conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
                              "ORDER BY type, name").fetchall()
        out["<schema>"] = hashlib.sha256(repr(schema).encode("utf-8", "surrogatepass")).hexdigest()
        out["<pragmas>"] = repr([conn.execute(f"PRAGMA {p}").fetchone()[0]
                                 for p in ("user_version", "application_id")])
        for typ, name, _tbl, sql in schema:
            if typ != "table" or sql.upper().lstrip().startswith("CREATE VIRTUAL TABLE"):
                continue
            out[name] = _table_digest(conn, name, sql)
        return out
    finally:
        if own:
            conn.close()


def table_contents(path, tables, how: str = "ro") -> dict[str, str]:
    allc = contents(path, how)
    return {t: allc.get(t) for t in tables}


def rows(path, sql: str, params=(), how: str = "ro") -> list[tuple]:
    conn = connect(path, how)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def scalar(path, sql: str, params=(), how: str = "ro"):
    return rows(path, sql, params, how)[0][0]


def counts(path, how: str = "ro") -> dict[str, int]:
    conn = connect(path, how)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        out = {}
        for n in names:
            try:
                out[n] = conn.execute(f"SELECT count(*) FROM {q(n)}").fetchone()[0]
            except sqlite3.Error:
                out[n] = None
        return out
    finally:
        conn.close()


def integrity(path, how: str = "ro") -> list[str]:
    conn = connect(path, how)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def fk_problems(path, how: str = "ro") -> list[tuple]:
    conn = connect(path, how)
    try:
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def header_page_size(path) -> int:
    with open(path, "rb") as fh:
        hdr = fh.read(100)
    ps = int.from_bytes(hdr[16:18], "big")
    return 65536 if ps == 1 else ps


def header_is_wal(path) -> bool:
    with open(path, "rb") as fh:
        hdr = fh.read(100)
    return hdr[18] == 2 and hdr[19] == 2


def diff_contents(a: dict, b: dict) -> list[str]:
    """Names whose digests differ (for readable assertion messages)."""
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


# -- files on disk --------------------------------------------------------------------------------

def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_state(db) -> dict[str, str | None]:
    """SHA-256 of the database file and of each companion file (None: absent)."""
    out = {}
    for s in SUFFIXES:
        p = Path(str(db) + s)
        out[s or "db"] = sha256_file(p) if p.exists() else None
    return out


def companion_sizes(db) -> dict[str, int | None]:
    out = {}
    for s in SUFFIXES[1:]:
        p = Path(str(db) + s)
        out[s] = p.stat().st_size if p.exists() else None
    return out


# -- processes that hold the database -------------------------------------------------------------

def python_child(code: str, *args: str) -> subprocess.Popen:
    """A Python child running ``code`` (dedented), stdout piped, stderr piped."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_line(proc: subprocess.Popen, expected: str, timeout: float = 30) -> None:
    """Read one line of the child's output; it must be ``expected``."""
    line = proc.stdout.readline()
    if line.strip() != expected:
        proc.kill()
        out, err = proc.communicate(timeout=timeout)
        raise AssertionError(f"child said {line!r}, expected {expected!r}; stderr: {err}")


HOLD_WRITE_TX = """
    import sqlite3, sys, time
    db, hold, kode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    busy_s = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0      # a POS: SQLite's usual 5 s
    con = sqlite3.connect(db, isolation_level=None, timeout=busy_s)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE produk SET nama = nama || ' (diubah)' WHERE id = 1")
    con.execute("INSERT INTO pelanggan (nama, kota, poin, terdaftar) VALUES (?, 'Bogor', 0, '2025-02-09')",
                (kode,))
    print("HELD", flush=True)
    time.sleep(hold)
    t = time.monotonic()
    try:
        con.execute("COMMIT")
    except sqlite3.Error as exc:
        print(f"COMMIT FAILED after {time.monotonic() - t:.1f} s: {exc}", flush=True)
        sys.exit(3)
    print(f"COMMITTED after {time.monotonic() - t:.1f} s", flush=True)
    con.close()
"""

HOLD_OPEN = """
    import sqlite3, sys, time
    db, hold = sys.argv[1], float(sys.argv[2])
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    con.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    print("OPEN", flush=True)
    time.sleep(hold)
    con.close()
    print("CLOSED", flush=True)
"""

# Writes committed changes into a WAL database and leaves without closing (like a POS
# that crashed or was killed): the -wal file keeps frames no checkpoint has copied yet.
WAL_LEAVE_UNCHECKPOINTED = """
    import os, sqlite3, sys
    db = sys.argv[1]
    con = sqlite3.connect(db, isolation_level=None)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("BEGIN IMMEDIATE")
    con.execute("DELETE FROM transaksi_detail WHERE transaksi_id IN (SELECT id FROM transaksi WHERE id % 7 = 0)")
    con.execute("DELETE FROM transaksi WHERE id % 7 = 0")
    con.execute("UPDATE produk SET harga_jual = harga_jual + 500 WHERE id <= 10")
    con.execute("COMMIT")
    for i in range(25):
        con.execute("INSERT INTO pelanggan (nama, kota, poin, terdaftar) VALUES (?, 'Depok', 1, '2025-02-10')",
                    (f"pelanggan wal {i}",))
    print("DONE", flush=True)
    os._exit(0)          # no close: no checkpoint, -wal and -shm stay
"""

# Begins a transaction in rollback-journal mode, changes far more pages than its tiny
# cache holds (so SQLite writes into the database file before COMMIT), then waits to be
# SIGKILLed: what is left is a hot journal.
HOT_JOURNAL_WRITER = """
    import sqlite3, sys, time
    db = sys.argv[1]
    con = sqlite3.connect(db, isolation_level=None)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.execute("PRAGMA cache_size = 8")
    con.execute("BEGIN IMMEDIATE")
    con.execute("DELETE FROM transaksi_detail WHERE id % 3 = 0")
    con.execute("UPDATE transaksi SET kasir = 'HILANG' WHERE id % 2 = 0")
    con.executemany("INSERT INTO pelanggan (nama, kota, poin, terdaftar) VALUES (?, 'Bekasi', 0, '2025-02-10')",
                    [(f"belum selesai {i}",) for i in range(3000)])
    print("WRITTEN", flush=True)
    time.sleep(60)
"""


def wait_for(predicate, timeout: float, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def jdump(obj) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False)[:4000]


__all__ = [n for n in dir() if not n.startswith("_")] + ["describe"]
