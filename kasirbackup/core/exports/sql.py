"""SQL export: the schema and INSERT statements, like ``sqlite3 .dump``, which the
``sqlite3`` shell (or any SQLite) loads into an identical database.

Written here rather than with ``Connection.iterdump`` because that gets several cases
wrong: generated columns (it inserts into them, which fails), rowids of tables without an
INTEGER PRIMARY KEY (renumbered), text containing NUL (cut short) or CR LF (the shell
drops the CR), full-text indexes (written through ``writable_schema``), AUTOINCREMENT
counters, ``user_version`` and ``application_id`` (lost).

Order: ordinary tables with their rows; AUTOINCREMENT counters; virtual tables, each
followed by the exact contents of its shadow tables (so a full-text index is identical
without being rebuilt); ``sqlite_stat1``; then indexes, triggers (after the rows, so they
do not fire) and views; the header values last. All in one transaction.
"""

from __future__ import annotations

import math
import re
import sqlite3
from typing import BinaryIO

from .meta import ROWID_NAMES, table_flags
from ..progress import CancelToken, Progress
from ..sqlitefile import quote

BATCH = 2000


_PARSER = sqlite3.connect(":memory:")
_SIMPLE_REAL = re.compile(r"-?([0-9]+)\.([0-9]*?)0*(?:e([+-][0-9]+))?")


def _real_literal(v: float) -> str:
    """A REAL that any SQLite reads back exactly. SQLite's own text-to-number conversion
    is not correctly rounded for every value (about 3 in 1000 random doubles come back one
    unit off, whatever the number of digits), so only short decimals that are exact by
    construction (at most 15 significant digits and a power of ten SQLite can use exactly)
    are written as such; any other value is written as its binary form, an integer times a
    power of two, computed with multiplications that are exact."""
    text = repr(v)
    m = _SIMPLE_REAL.fullmatch(text)
    if m is not None:
        digits = (m.group(1) + m.group(2)).lstrip("0")
        exp10 = int(m.group(3) or 0) - len(m.group(2))
        if len(digits) <= 15 and -22 <= exp10 <= 22 and _PARSER.execute("SELECT " + text).fetchone()[0] == v:
            return text
    mant, exp = math.frexp(v)
    n, e = int(mant * (1 << 53)), exp - 53
    while n and n % 2 == 0:
        n, e = n // 2, e + 1
    expr = f"CAST({n} AS REAL)"
    op, step = ("*", 1 << 60) if e > 0 else ("/", 1 << 60)
    e = abs(e)
    expr += f"{op}{step}" * (e // 60)
    if e % 60:
        expr += f"{op}{1 << (e % 60)}"
    return f"({expr})"


def sql_literal(v: object) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isinf(v):
            return "1e999" if v > 0 else "-1e999"
        if math.isnan(v):          # SQLite never stores NaN (it becomes NULL)
            return "NULL"
        return _real_literal(v)
    if isinstance(v, bytes):
        return "X'" + v.hex().upper() + "'"
    if "\x00" in v or "\r" in v:
        # a line-based loader (the sqlite3 shell) would cut the text at NUL or drop the CR
        return "CAST(X'" + v.encode("utf-8").hex().upper() + "' AS TEXT)"
    return "'" + v.replace("'", "''") + "'"


def _insert_columns(conn: sqlite3.Connection, name: str, without_rowid: bool) -> list[str]:
    """Columns to insert: stored columns, plus the rowid when no column is its alias."""
    info = conn.execute(f"PRAGMA main.table_xinfo({quote(name)})").fetchall()
    stored = [r[1] for r in info if r[6] == 0]
    if without_rowid:
        return stored
    pk = [r for r in info if r[5]]
    if len(pk) == 1 and (pk[0][2] or "").upper() == "INTEGER":
        return stored                # the INTEGER PRIMARY KEY column is the rowid
    lower = {c.lower() for c in stored}
    rid = next((n for n in ROWID_NAMES if n not in lower), None)
    return ([rid] if rid else []) + stored


def _rows(conn: sqlite3.Connection, name: str, cols: list[str], put, tick, cancel: CancelToken) -> None:
    target = f"INSERT INTO {quote(name)}({','.join(quote(c) for c in cols)}) VALUES("
    cur = conn.execute(f"SELECT {', '.join(quote(c) for c in cols)} FROM main.{quote(name)}")
    while True:
        rows = cur.fetchmany(BATCH)
        if not rows:
            return
        put("".join(target + ",".join(map(sql_literal, r)) + ");\n" for r in rows))
        tick(len(rows))
        cancel.check()


def write_sql(conn: sqlite3.Connection, fh: BinaryIO, header: str, only: list[str] | None,
              total_rows: int, progress: Progress, cancel: CancelToken) -> list[str]:
    """Write the dump; returns the names of the tables whose rows were written."""
    def put(text: str) -> None:
        fh.write(text.encode("utf-8"))

    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        progress("export", min(done[0], total_rows), total_rows)

    flags = table_flags(conn)
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_schema "
                           "WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
    virtual = [n for t, n, _, _ in objects if t == "table" and flags.get(n, ("",))[0] == "virtual"]
    wanted = None if only is None else set(only)

    def shadow_owner(name: str) -> str | None:
        owners = [v for v in virtual if name.startswith(v + "_")]
        return max(owners, key=len) if owners else None

    def included(table: str) -> bool:
        return wanted is None or table in wanted

    put("".join(f"-- {line}\n" for line in header.splitlines()))
    put("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")
    written = []
    for typ, name, _, sql in objects:
        if typ != "table" or name.startswith("sqlite_") or not included(name):
            continue
        kind, without_rowid, _ = flags.get(name, ("table", False, False))
        if kind != "table":
            continue
        put(sql + ";\n")
        _rows(conn, name, _insert_columns(conn, name, without_rowid), put, tick, cancel)
        written.append(name)
    if any(n == "sqlite_sequence" for _, n, _, _ in objects):
        seqs = [(n, s) for n, s in conn.execute("SELECT name, seq FROM main.sqlite_sequence")
                if wanted is None or n in wanted]
        if seqs and written:
            put("DELETE FROM sqlite_sequence;\n")
            for n, s in seqs:
                put(f"INSERT INTO sqlite_sequence(name,seq) VALUES({sql_literal(n)},{sql_literal(s)});\n")
    for typ, name, _, sql in objects:
        if typ != "table" or name not in virtual or not included(name):
            continue
        put(sql + ";\n")
        for s_typ, shadow, _, _ in objects:
            if s_typ == "table" and flags.get(shadow, ("",))[0] == "shadow" and shadow_owner(shadow) == name:
                put(f"DELETE FROM {quote(shadow)};\n")
                _rows(conn, shadow, _insert_columns(conn, shadow, flags[shadow][1]), put, tick, cancel)
        written.append(name)
    if wanted is None and any(n == "sqlite_stat1" for _, n, _, _ in objects):
        put("ANALYZE sqlite_master;\nDELETE FROM sqlite_stat1;\n")
        for row in conn.execute("SELECT tbl, idx, stat FROM main.sqlite_stat1"):
            put(f"INSERT INTO sqlite_stat1(tbl,idx,stat) VALUES({','.join(map(sql_literal, row))});\n")
    for kind_wanted in ("index", "view", "trigger"):      # views before the triggers on them
        for typ, name, tbl, sql in objects:
            if typ != kind_wanted or name.startswith("sqlite_"):
                continue
            on = flags.get(tbl, ("view",))[0]
            if on == "shadow":
                continue                                    # made by CREATE VIRTUAL TABLE
            if typ == "view" or on == "view":
                if wanted is None:
                    put(sql + ";\n")
            elif included(tbl):
                put(sql + ";\n")
    if wanted is None:
        put(f"PRAGMA user_version={conn.execute('PRAGMA user_version').fetchone()[0]};\n")
        put(f"PRAGMA application_id={conn.execute('PRAGMA application_id').fetchone()[0]};\n")
    put("COMMIT;\n")
    progress("export", total_rows, total_rows)
    return written
