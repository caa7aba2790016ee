"""Preview of a restore: what the snapshot has against what the database has now.

Both sides are static images (the snapshot rebuilt from the repository, and a consistent
copy of the live database taken with short locks), so a long comparison never holds a
lock on the live database. Rows are matched by primary key (or rowid) with SQL over an
ATTACHed image: one LEFT JOIN pass per table, no Python loops over rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .identity import DatabaseFacts
from ..repo.manifest import Snapshot
from ..schema import Table, tables
from ..sqlitefile import first_row_digests, holds_rows, quote, row_counts, schema_fingerprint, parse_header


@dataclass(slots=True)
class TableDiff:
    name: str
    in_snapshot: int | None          # rows in the snapshot (None: table absent there)
    in_current: int | None           # rows in the database now (None: table absent)
    only_current: int | None = None  # rows a full restore would remove (added since)
    only_snapshot: int | None = None # rows a restore would bring back (deleted since)
    changed: int | None = None       # rows a full restore would revert (changed since)
    note: str = ""                   # why rows could not be compared, if they could not

    @property
    def differs(self) -> bool:
        return bool(self.only_current or self.only_snapshot or self.changed) or \
            self.in_snapshot != self.in_current


@dataclass(slots=True)
class DiffResult:
    snapshot_id: str
    snapshot_time: str
    db_path: str
    tables: list[TableDiff] = field(default_factory=list)

    @property
    def rows_lost(self) -> int:
        return sum(t.only_current or 0 for t in self.tables)

    def to_json(self) -> dict:
        return {"snapshot": self.snapshot_id, "snapshot_time": self.snapshot_time, "db": self.db_path,
                "tables": [asdict(t) for t in self.tables],
                "summary": self.summary_lines()}

    def summary_lines(self) -> list[str]:
        """Short sentences for a shop owner, one per table that differs."""
        out = []
        when = self.snapshot_time
        for t in self.tables:
            if t.in_current is None:
                out.append(f"{t.name}: table is not in the database now; a restore brings it back "
                           f"with {t.in_snapshot} rows")
                continue
            if t.in_snapshot is None:
                out.append(f"{t.name}: table was created after the backup; a full restore removes it "
                           f"and its {t.in_current} rows")
                continue
            parts = []
            if t.only_current:
                parts.append(f"{t.only_current} rows newer than the backup ({when}) will be removed")
            if t.only_snapshot:
                parts.append(f"{t.only_snapshot} rows deleted since will come back")
            if t.changed:
                parts.append(f"{t.changed} rows changed since will be set back")
            if not parts and t.note and t.in_snapshot != t.in_current:
                parts.append(f"{t.in_snapshot} rows in the backup, {t.in_current} now ({t.note})")
            if parts:
                out.append(f"{t.name}: " + "; ".join(parts))
        return out or ["The database has the same rows as the backup."]


def facts_of(conn: sqlite3.Connection, path: str, header_bytes: bytes) -> DatabaseFacts:
    hdr = parse_header(header_bytes)
    return DatabaseFacts(path=path, application_id=hdr.application_id if hdr else 0,
                         schema_fingerprint=schema_fingerprint(conn),
                         first_rows=first_row_digests(conn), tables=row_counts(conn), empty=not holds_rows(conn))


def open_pair(current_image: Path, snapshot_image: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(current_image.absolute().as_uri() + "?mode=ro&immutable=1", uri=True,
                           isolation_level=None)
    conn.execute("ATTACH DATABASE ? AS snap", (snapshot_image.absolute().as_uri() + "?mode=ro&immutable=1",))
    conn.execute("PRAGMA main.cache_size = -32768")
    conn.execute("PRAGMA snap.cache_size = -32768")
    conn.execute("PRAGMA temp_store = FILE")
    return conn


def key_match(t: Table, a: str, b: str) -> str:
    """SQL matching row ``a`` with row ``b`` by the table's key (rowid by ``=``, else ``IS``)."""
    return " AND ".join(f"{a}.{quote(k)} {'=' if k == 'rowid' else 'IS'} {b}.{quote(k)}" for k in t.key)


def compare_table(conn: sqlite3.Connection, name: str, cur: Table | None, old: Table | None,
                  counts_cur: dict, counts_old: dict) -> TableDiff:
    d = TableDiff(name, counts_old.get(name) if old else None, counts_cur.get(name) if cur else None)
    if cur is None or old is None:
        return d
    if cur.virtual or cur.shadow:
        d.note = "search index, rebuilt with its table"
        return d
    if not cur.key or cur.key != old.key:
        d.note = "no primary key to match rows" if not cur.key else "the primary key changed"
        return d
    cols = [c for c in old.stored_columns if c in set(cur.stored_columns)]
    q = quote(name)
    match = key_match(cur, "s", "m")
    row_m = ", ".join(f"m.{quote(c)}" for c in cols)
    row_s = ", ".join(f"s.{quote(c)}" for c in cols)
    differs = f"({row_m}) IS NOT ({row_s})" if len(cols) > 1 else f"m.{quote(cols[0])} IS NOT s.{quote(cols[0])}" \
        if cols else "0"
    sql = (f"SELECT count(*), sum(s.rowid IS NULL), "
           f"sum(s.rowid IS NOT NULL AND {differs}) "
           f"FROM main.{q} AS m LEFT JOIN snap.{q} AS s ON {match}") if not cur.without_rowid else \
          (f"SELECT count(*), sum(NOT EXISTS (SELECT 1 FROM snap.{q} AS s WHERE {match})), "
           f"(SELECT count(*) FROM main.{q} AS m JOIN snap.{q} AS s ON {match} WHERE {differs}) "
           f"FROM main.{q} AS m")
    total, only_cur, changed = conn.execute(sql).fetchone()
    only_cur = only_cur or 0
    d.only_current = only_cur
    d.changed = changed or 0
    d.only_snapshot = (d.in_snapshot or 0) - (total - only_cur)
    if set(old.stored_columns) != set(cur.stored_columns):
        gone = sorted(set(old.stored_columns) - set(cur.stored_columns))
        new = sorted(set(cur.stored_columns) - set(old.stored_columns))
        d.note = "; ".join(x for x in (f"columns removed since: {', '.join(gone)}" if gone else "",
                                        f"columns added since: {', '.join(new)}" if new else "") if x)
    return d


def _counts(conn: sqlite3.Connection, schema: str, tabs: dict[str, Table]) -> dict[str, int]:
    out = {}
    for n, t in tabs.items():
        try:
            out[n] = conn.execute(f"SELECT count(*) FROM {schema}.{quote(n)}").fetchone()[0]
        except sqlite3.Error:
            out[n] = 0     # a virtual table whose module this SQLite lacks
    return out


def diff_images(current_image: Path, snapshot_image: Path, snap: Snapshot, db_path: str) -> DiffResult:
    conn = open_pair(current_image, snapshot_image)
    try:
        cur_t, old_t = tables(conn, "main"), tables(conn, "snap")
        counts_cur = _counts(conn, "main", cur_t)
        counts_old = _counts(conn, "snap", old_t)
        result = DiffResult(snap.id, snap.created_at.strftime("%Y-%m-%d %H:%M"), db_path)
        for name in sorted(set(cur_t) | set(old_t)):
            t = cur_t.get(name) or old_t.get(name)
            if t.shadow:
                continue
            result.tables.append(compare_table(conn, name, cur_t.get(name), old_t.get(name),
                                               counts_cur, counts_old))
        return result
    finally:
        conn.close()
