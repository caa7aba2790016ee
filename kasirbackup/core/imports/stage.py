"""Staging: the rows of an import file copied into a scratch SQLite database first.

Each table of the file becomes a staging table whose columns have the *same affinity* as
the target's columns (so a value is converted exactly as the target would convert it),
named ``c0, c1, …`` after the file's columns, plus the row's position in the file (for
messages) and a duplicate mark. Parsing and checking the file happens here, before the
database is touched or locked; applying the rows is then a few set-based SQL statements
(``import_apply``), for the dry run on a copy and for the real import alike.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import KasirBackupError
from ..exports.meta import ROWID_NAMES, staging_type, table_flags
from .files import FileShape, ImportFile, TableFeed
from ..progress import CancelToken, Progress
from ..schema import Table
from ..sqlitefile import quote

BATCH = 5000                 # rows inserted at once into the staging table
BATCH_BYTES = 8 << 20        # … or fewer, when their texts and blobs add up to this


class ImportTableUnknown(KasirBackupError):
    code = "import-unknown-table"
    template = "The file holds table {table}, which the database {path} does not have."
    hint = "Nothing was changed. Check that you chose the right database (or update the application first)."


class ImportColumnsDiffer(KasirBackupError):
    code = "import-columns-differ"
    template = "Table {table} of the file does not fit the database: {detail}."
    hint = "Nothing was changed. The file was probably made by another version of the application."


class ImportNeedsKey(KasirBackupError):
    code = "import-needs-key"
    template = "Rows of table {table} cannot be matched for a merge: {detail}."
    hint = "Nothing was changed. Import with --mode replace to replace the table's contents instead."


class DuplicateKeys(KasirBackupError):
    code = "import-duplicate-keys"
    template = "The file has {count} rows of table {table} whose key appears more than once (first: {example})."
    hint = "Nothing was changed. Each row may appear only once in the file; remove the duplicates and try again."


@dataclass
class StagedTable:
    name: str                         # the target table
    stage: str                        # the staging table in the scratch database
    columns: list[str]                # target columns, in staging order (c0, c1, …)
    rowid_index: int | None           # which of them carries the rowid (named rowid in SQL)
    key: list[int]                    # staging column indexes matching a row (empty: no key)
    collations: list[str]             # of the key columns, as the target compares them
    affinities: list[str]
    where: Callable[[int], str]
    rowid_sql: str = "rowid"          # a name of the rowid that no column of the target shadows
    rows: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)

    def target_expr(self, i: int) -> str:
        return self.rowid_sql if i == self.rowid_index else quote(self.columns[i])


def key_collations(conn: sqlite3.Connection, table: Table) -> dict[str, str]:
    """Collating sequence of each primary-key column, from the key's index."""
    out: dict[str, str] = {}
    for _, idx, _, origin, _ in conn.execute(f"PRAGMA main.index_list({quote(table.name)})"):
        if origin == "pk":
            for r in conn.execute(f"PRAGMA main.index_xinfo({quote(idx)})"):
                if r[5] and r[2]:
                    out[r[2]] = r[4] or "BINARY"
    return out


def plan_table(conn: sqlite3.Connection, feed: TableFeed, target: Table, n: int, path: str,
               strict: bool, mode: str, rowid_hint: str | None) -> StagedTable:
    stored = {c.name: c for c in target.columns if not c.generated}
    generated = {c.name for c in target.columns if c.generated}
    cols, rowid_index = [], None
    unknown, gen = [], []
    for i, name in enumerate(feed.columns):
        if name in stored:
            cols.append(name)
        elif name in generated:
            gen.append(name)
        elif (name == rowid_hint or (rowid_hint is None and name.lower() in ROWID_NAMES)) \
                and rowid_index is None and not target.without_rowid and name.lower() not in \
                {c.name.lower() for c in target.columns}:
            rowid_index = i
            cols.append(name)
        else:
            unknown.append(name)
    if unknown:
        raise ImportColumnsDiffer(table=feed.name, detail=f"the database has no column(s) {', '.join(unknown)}")
    if gen:
        raise ImportColumnsDiffer(table=feed.name, detail=f"column(s) {', '.join(gen)} are computed by the "
                                                          "database and cannot be imported")
    notes = []
    missing = [c for c in stored.values() if c.name not in cols]
    required = [c.name for c in missing if c.notnull and c.default is None
                and not (c.pk and target.rowid_alias == c.name)]
    if required:
        raise ImportColumnsDiffer(table=feed.name,
                                  detail=f"the file lacks the required column(s) {', '.join(required)}")
    if missing:
        notes.append(f"column(s) {', '.join(c.name for c in missing)} are not in the file: new rows get the "
                     "default value, existing rows keep theirs")
    declared = target.key if target.key != ["rowid"] else []
    colls = key_collations(conn, target)
    if declared and all(k in cols for k in declared):
        key = [cols.index(k) for k in declared]
        collations = [colls.get(k, "BINARY") for k in declared]
    elif rowid_index is not None and not declared:
        key, collations = [rowid_index], ["BINARY"]
    else:
        key, collations = [], []
        if mode == "merge":
            detail = (f"the file lacks the key column(s) {', '.join(k for k in declared if k not in cols)}"
                      if declared else "the table has no primary key and the file has no rowid column")
            raise ImportNeedsKey(table=feed.name, detail=detail)
    affinities = []
    by_name = {c.name: c for c in target.columns}
    for i, c in enumerate(cols):
        affinities.append("INTEGER" if i == rowid_index else staging_type(by_name[c].type, strict) or "BLOB")
    taken = {c.name.lower() for c in target.columns}
    rowid_sql = next((r for r in ROWID_NAMES if r not in taken), "rowid")
    return StagedTable(target.name, f"t{n}", cols, rowid_index, key, collations, affinities, feed.where,
                       rowid_sql, notes=notes)


def create_staging(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -16384")        # 16 MB: the rows are read back in order
    return conn


def stage_table(st: StagedTable, feed: TableFeed, conn: sqlite3.Connection, path: str,
                tick: Callable[[int], None], cancel: CancelToken) -> None:
    decl = ", ".join(f"c{i} {'' if a == 'BLOB' else a}".rstrip() for i, a in enumerate(st.affinities))
    # the position is the rowid: rows come back in file order without a sort (SQLite's sorter
    # held every large row in memory, 400 MB for 20 values of 12 MB)
    conn.execute(f"CREATE TABLE {st.stage} (_kb_pos INTEGER PRIMARY KEY, _kb_dup INTEGER NOT NULL DEFAULT 0, {decl})")
    sql = f"INSERT INTO {st.stage} (_kb_pos, {', '.join(f'c{i}' for i in range(len(st.columns)))}) " \
          f"VALUES (?, {', '.join('?' * len(st.columns))})"
    conn.execute("BEGIN")
    batch: list = []
    held = 0
    try:
        for pos, values in feed.rows:
            batch.append((pos, *values))
            held += sum(len(v) for v in values if isinstance(v, (str, bytes)))
            if len(batch) >= BATCH or held >= BATCH_BYTES:
                _insert(conn, sql, batch, st, path)
                st.rows += len(batch)
                tick(len(batch))
                batch, held = [], 0
                cancel.check()
        if batch:
            _insert(conn, sql, batch, st, path)
            st.rows += len(batch)
            tick(len(batch))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    _mark_duplicates(st, conn)
    if st.key:
        # outside the lock: the replace's "rows no longer in the file" and every match by key
        # look the staged rows up by key (a scan per row made 12,000 rows take 5 s under the lock)
        cols = ", ".join(f"c{i} COLLATE {c}" for i, c in zip(st.key, st.collations))
        conn.execute(f"CREATE INDEX {st.stage}_key ON {st.stage} ({cols})")


def _insert(conn: sqlite3.Connection, sql: str, batch: list, st: StagedTable, path: str) -> None:
    try:
        conn.executemany(sql, batch)
    except (OverflowError, sqlite3.InterfaceError, sqlite3.ProgrammingError, sqlite3.DataError):
        for row in batch:            # find the value SQLite cannot hold, to say where it is
            try:
                conn.execute(sql, row)
            except (OverflowError, sqlite3.InterfaceError, sqlite3.ProgrammingError, sqlite3.DataError) as exc:
                raise FileShape(path=path, where=st.where(row[0]),
                                detail=f"a value SQLite cannot store ({exc})") from None
        raise


def _mark_duplicates(st: StagedTable, conn: sqlite3.Connection) -> None:
    if not st.key or not st.rows:
        return
    keys = ", ".join(f"c{i} COLLATE {c}" for i, c in zip(st.key, st.collations))
    not_null = " AND ".join(f"c{i} IS NOT NULL" for i in st.key)
    dups = conn.execute(f"SELECT {keys}, count(*) FROM {st.stage} WHERE {not_null} GROUP BY {keys} "
                        f"HAVING count(*) > 1").fetchall()
    if not dups:
        return
    conn.execute(f"CREATE TEMP TABLE dup_{st.stage} AS SELECT {', '.join(f'c{i}' for i in st.key)} FROM {st.stage} "
                 "WHERE 0")
    conn.executemany(f"INSERT INTO dup_{st.stage} VALUES ({', '.join('?' * len(st.key))})",
                     [d[:-1] for d in dups])
    match = " AND ".join(f"{st.stage}.c{i} = d.c{i} COLLATE {c}" for i, c in zip(st.key, st.collations))
    conn.execute(f"UPDATE {st.stage} SET _kb_dup = 1 WHERE EXISTS (SELECT 1 FROM dup_{st.stage} AS d WHERE {match})")
    st.duplicates = conn.execute(f"SELECT count(*) FROM {st.stage} WHERE _kb_dup = 1").fetchone()[0]
    conn.execute(f"DROP TABLE dup_{st.stage}")


def stage_file(f: ImportFile, targets: dict[str, Table], target_conn: sqlite3.Connection, db_path: str,
               staging: sqlite3.Connection, mode: str, progress: Progress, cancel: CancelToken) -> list[StagedTable]:
    flags = table_flags(target_conn)
    total = f.meta.total_rows if f.meta is not None else 0
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        progress("read", done[0], max(total, done[0]))

    out: list[StagedTable] = []
    seen: set[str] = set()
    for n, feed in enumerate(f.tables()):
        t = targets.get(feed.name)
        kind = flags.get(feed.name, ("table",))[0]
        if t is None or kind != "table":
            raise ImportTableUnknown(table=feed.name, path=db_path)
        if feed.name in seen:
            raise FileShape(path=str(f.path), where=f"table {feed.name}", detail="the table appears twice")
        seen.add(feed.name)
        tm = f.meta.table(feed.name) if f.meta is not None else None
        st = plan_table(target_conn, feed, t, n, str(f.path), flags[feed.name][2], mode,
                        tm.rowid if tm is not None else None)
        stage_table(st, feed, staging, str(f.path), tick, cancel)
        out.append(st)
    return out
