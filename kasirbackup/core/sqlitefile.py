"""Facts about SQLite files: the 100-byte header, checks on a source file, and inspection
of a database image (tables, row counts, schema fingerprint, integrity)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import struct
from dataclasses import dataclass
from pathlib import Path

from .errors import (DatabaseCorrupt, NotADatabase, SourceEmpty, SourceIsDirectory,
                     SourceMissing, SourceUnreadable)

MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
PENDING_BYTE = 0x40000000   # SQLite never stores data in the page that holds this byte
_ENCODINGS = {1: "UTF-8", 2: "UTF-16le", 3: "UTF-16be"}


@dataclass(frozen=True, slots=True)
class Header:
    page_size: int
    write_version: int        # 1 legacy (rollback journal), 2 WAL
    read_version: int
    change_counter: int
    size_in_pages: int        # valid only when version_valid_for == change_counter
    version_valid_for: int
    user_version: int
    application_id: int
    text_encoding: str

    @property
    def is_wal(self) -> bool:
        return self.write_version == 2 or self.read_version == 2

    def page_count(self, file_size: int) -> int:
        """The database size in pages, as SQLite itself decides it."""
        if self.size_in_pages and self.version_valid_for == self.change_counter:
            return self.size_in_pages
        return file_size // self.page_size


def parse_header(data: bytes) -> Header | None:
    """Parse the database header; None if ``data`` does not start like an SQLite file."""
    if len(data) < HEADER_SIZE or not data.startswith(MAGIC):
        return None
    (ps,) = struct.unpack_from(">H", data, 16)
    page_size = 65536 if ps == 1 else ps
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return None
    wv, rv = data[18], data[19]
    counter, size_pages = struct.unpack_from(">II", data, 24)
    (valid_for,) = struct.unpack_from(">I", data, 92)
    (enc,) = struct.unpack_from(">I", data, 56)
    (user_version,) = struct.unpack_from(">i", data, 60)
    (app_id,) = struct.unpack_from(">i", data, 68)
    return Header(page_size, wv, rv, counter, size_pages, valid_for, user_version, app_id,
                  _ENCODINGS.get(enc, "UTF-8"))


def lock_page_number(page_size: int) -> int:
    """1-based number of the page that holds the lock bytes (only in files > 1 GiB)."""
    return PENDING_BYTE // page_size + 1


def check_source(path: str | os.PathLike) -> tuple[Path, Header]:
    """Make sure ``path`` is a readable SQLite database; raise a user error otherwise."""
    p = Path(path).expanduser()
    try:
        p = p.resolve(strict=True)
    except FileNotFoundError:
        raise SourceMissing(path=str(path)) from None
    except OSError as exc:
        raise SourceUnreadable(path=str(path), reason=exc.strerror or str(exc)) from exc
    if p.is_dir():
        raise SourceIsDirectory(path=str(p))
    try:
        with open(p, "rb") as fh:
            head = fh.read(HEADER_SIZE)
    except PermissionError:
        raise SourceUnreadable(path=str(p), reason="permission denied") from None
    except OSError as exc:
        raise SourceUnreadable(path=str(p), reason=exc.strerror or str(exc)) from exc
    if not head:
        raise SourceEmpty(path=str(p))
    header = parse_header(head)
    if header is None:
        raise NotADatabase(path=str(p))
    return p, header


def connect_readonly(path: str | os.PathLike, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection that can never write: no checkpoint, never deletes -wal/-shm. While it
    is open the file is ``in_use`` by this process (see ``claim``)."""
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    return connect_claimed(path, uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)


# -- our own connections to a shop's database ---------------------------------------------------
#
# POSIX drops every lock a process holds on a file when *any* descriptor of that file is
# closed by that process (SQLite's "How To Corrupt", 2.2). While one of our connections to
# a database is open — a capture's SHARED lock, a restore's EXCLUSIVE lock, a WAL
# connection's persistent SHARED lock — nothing else of ours may open and close a
# descriptor of the file: continuous protection's look (snapshot/watch.py) asks ``in_use``
# first and looks again later.

_claims: dict[str, int] = {}
_claims_lock = threading.RLock()      # (re-entered by a connection collected while it is held)


def claim(path: str | os.PathLike) -> None:
    key = os.path.realpath(path)
    with _claims_lock:
        _claims[key] = _claims.get(key, 0) + 1


def unclaim(path: str | os.PathLike) -> None:
    key = os.path.realpath(path)
    with _claims_lock:
        n = _claims.get(key, 0) - 1
        if n > 0:
            _claims[key] = n
        else:
            _claims.pop(key, None)


def in_use(path: str | os.PathLike) -> bool:
    """Does this process have a connection (or a lock) on ``path`` open now?"""
    with _claims_lock:
        return bool(_claims) and os.path.realpath(path) in _claims


class _Claimed(sqlite3.Connection):
    """A connection that holds a claim on its file until it is closed (or collected)."""

    _claim: str | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._let_go()

    def _let_go(self) -> None:
        path, self._claim = self._claim, None
        if path is not None:
            unclaim(path)

    def __del__(self) -> None:
        self._let_go()


def connect_claimed(path: str | os.PathLike, target: str | None = None, **kwargs) -> sqlite3.Connection:
    """``sqlite3.connect`` to a shop's database (``target``: the URI to open, default ``path``)
    with the file claimed until the connection is closed."""
    claim(path)
    try:
        conn = sqlite3.connect(str(path) if target is None else target, factory=_Claimed, **kwargs)
    except BaseException:
        unclaim(path)
        raise
    conn._claim = str(path)
    return conn


def one_line(text: str, limit: int = 400) -> str:
    """Messages go on one line (SQLite's reports span many) and stay readable."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- inspection of an image -----------------------------------------------------------------

@dataclass(slots=True)
class ImageFacts:
    tables: dict[str, int | None]
    schema_fingerprint: str
    first_rows: dict[str, str]
    integrity: str            # "ok" or the first problems reported


def schema_fingerprint(conn: sqlite3.Connection) -> str:
    rows = conn.execute(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    h = hashlib.sha256()
    for typ, name, tbl, sql in rows:
        norm = " ".join(sql.split())
        h.update(f"{typ}\x1f{name}\x1f{tbl}\x1f{norm}\x1e".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def table_names(conn: sqlite3.Connection) -> list[str]:
    """Every table that holds rows: ordinary, WITHOUT ROWID, virtual and shadow tables,
    and SQLite's own sqlite_sequence / sqlite_stat tables."""
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]


def remove_db_files(path: str | os.PathLike) -> None:
    """Remove a scratch database of ours and its -journal/-wal/-shm, whatever is there."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(os.fspath(path) + suffix)
        except OSError:
            pass


_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config", "_segments", "_segdir", "_stat",
                    "_node", "_rowid", "_parent")


def internal_tables(conn: sqlite3.Connection) -> set[str]:
    """Tables that hold no data of the shop's own: SQLite's (sqlite_sequence, sqlite_stat1),
    virtual tables and the shadow tables behind them (an FTS5 index's ``x_data``, ``x_idx``,
    ``x_config`` … hold rows even in an empty database)."""
    out = {n for n in table_names(conn) if n.startswith("sqlite_")}
    try:
        for _schema, name, kind, *_ in conn.execute("PRAGMA main.table_list"):
            if kind in ("shadow", "virtual"):
                out.add(name)
        return out
    except sqlite3.Error:        # SQLite before 3.37: tell shadow tables by their names
        pass
    virtual = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                          "AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    out.update(virtual)
    for name in table_names(conn):
        if any(name == v + suffix for v in virtual for suffix in _SHADOW_SUFFIXES):
            out.add(name)
    return out


def holds_rows(conn: sqlite3.Connection) -> bool:
    """Whether any of the shop's own tables holds a row (internal tables do not count)."""
    skip = internal_tables(conn)
    for name in table_names(conn):
        if name in skip:
            continue
        try:
            if conn.execute(f"SELECT 1 FROM {quote(name)} LIMIT 1").fetchone() is not None:
                return True
        except sqlite3.Error:
            return True          # cannot tell: count it as holding rows
    return False


def row_counts(conn: sqlite3.Connection) -> dict[str, int | None]:
    counts: dict[str, int | None] = {}
    for name in table_names(conn):
        try:
            counts[name] = conn.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
        except sqlite3.Error:
            counts[name] = None   # e.g. a virtual table whose module this SQLite lacks
    return counts


def first_row_digests(conn: sqlite3.Connection, limit: int = 16) -> dict[str, str]:
    """A digest of the oldest row of each rowid table: rows written on the first day of a
    shop rarely change, so they tell two shops' databases apart even with one schema.
    Only the first four ordinary columns count, so that a column added by an upgrade of
    the application (ALTER TABLE ADD COLUMN appends) does not change the digest."""
    out: dict[str, str] = {}
    skip = internal_tables(conn)             # an FTS index's shadow tables are no shop's data
    for name in table_names(conn):
        if name in skip or len(out) >= limit:
            continue
        try:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_xinfo({quote(name)})") if r[6] == 0][:4]
            if not cols:
                continue
            row = conn.execute(f"SELECT {', '.join(map(quote, cols))} FROM {quote(name)} "
                               f"ORDER BY rowid LIMIT 1").fetchone()
        except sqlite3.Error:
            continue      # WITHOUT ROWID or virtual table: no stable "first" row
        if row is not None:
            out[name] = hashlib.sha256(repr(row).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return out


def inspect_image(path: str | os.PathLike, full_integrity: bool = False) -> ImageFacts:
    """Check and describe a static database image (a rebuilt snapshot, never a live file)."""
    uri = Path(path).absolute().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise DatabaseCorrupt(path=str(path), reason=str(exc)) from exc
    try:
        check = "integrity_check" if full_integrity else "quick_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {check}(20)")]
        integrity = "ok" if problems == ["ok"] else one_line("; ".join(problems))
        return ImageFacts(row_counts(conn), schema_fingerprint(conn), first_row_digests(conn), integrity)
    except sqlite3.DatabaseError as exc:
        return ImageFacts({}, "", {}, one_line(str(exc)))
    finally:
        conn.close()
