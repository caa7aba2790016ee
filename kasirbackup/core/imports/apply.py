"""Applying staged rows to a database, inside one transaction owned by the caller.

Per table, parents first: (replace) delete the rows whose key is not in the file; count
what is new, changed and unchanged; update the changed rows; insert the new ones — each a
single set-based statement, comparing values exactly (storage class and bytes: ``1`` and
``1.0``, ``'abc'`` and ``'ABC'`` differ). When SQLite refuses a statement (a NOT NULL,
UNIQUE, CHECK or STRICT type rule), the table is done again row by row to tell exactly
which rows are rejected and why. Triggers of the touched tables are set aside meanwhile
(they would run the application's logic — stock, audit — a second time), foreign keys are
checked before the end (only problems that were not there before count), AUTOINCREMENT
counters never go back, and full-text indexes over the touched tables are rebuilt.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field

from .stage import StagedTable
from ..progress import CancelToken, Progress
from ..schema import parent_first_order, tables, triggers_on
from ..sqlitefile import one_line, quote

MAX_REASONS = 10
STAGE_SCHEMA = "kbstage"
_FTS = re.compile(r"USING\s+fts[345]\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_CONTENT = re.compile(r"\bcontent\s*=\s*(?:'((?:[^']|'')*)'|\"((?:[^\"]|\"\")*)\"|`([^`]*)`|\[([^\]]*)\]|([^\s,)]+))",
                      re.IGNORECASE)


@dataclass(slots=True)
class TableReport:
    name: str
    rows_in_file: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)     # the first few rejections, with their place
    notes: list[str] = field(default_factory=list)
    samples: dict[str, list[str]] = field(default_factory=dict)   # dry run: new/changed/removed -> first rows

    def reject(self, text: str) -> None:
        self.rejected += 1
        if len(self.reasons) < MAX_REASONS:
            self.reasons.append(text)

    def to_json(self) -> dict:
        return asdict(self)


def _fk_problems(conn: sqlite3.Connection, names: set[str]) -> set[tuple]:
    found: set[tuple] = set()
    for n in sorted(names):
        found.update(tuple(r) for r in conn.execute(f"PRAGMA main.foreign_key_check({quote(n)})"))
    return found


def apply_staged(conn: sqlite3.Connection, staged: list[StagedTable], mode: str, sequences: dict[str, int],
                 progress: Progress, cancel: CancelToken, sample: int = 0) -> list[TableReport]:
    """Apply in the open transaction of ``conn`` (the staging database attached as kbstage)."""
    current = tables(conn, "main")
    by_name = {st.name: st for st in staged}
    order = parent_first_order(current, list(by_name))
    touched = set(order)
    watched = touched | {n for n, t in current.items() if t.parents & touched}
    before = _fk_problems(conn, watched)
    set_aside = []
    for name in order:
        for tname, sql in triggers_on(conn, name):
            conn.execute(f"DROP TRIGGER main.{quote(tname)}")
            set_aside.append(sql)
    reports = {}
    for i, name in enumerate(order):
        progress("import", i, len(order))
        reports[name] = _apply_table(conn, by_name[name], mode, cancel, sample)
    for problem in sorted(_fk_problems(conn, watched) - before, key=repr):
        child, rowid, parent, _ = problem
        rep = reports.get(child)
        if rep is None:       # a table of the database pointing at rows the file removed
            rep = reports[parent] if parent in reports else next(iter(reports.values()))
            rep.reject(f"{child} row {rowid} would point at a row of {parent} that no longer exists")
        else:
            rep.reject(f"{child} row {'' if rowid is None else rowid} refers to a row of {parent} that does not exist")
    for sql in set_aside:
        conn.execute(sql)
    _keep_sequences(conn, touched, sequences)
    for note in _rebuild_fts(conn, touched):
        for rep in reports.values():
            rep.notes.append(note)
            break
    progress("import", len(order), len(order))
    return [reports[n] for n in order]


def _apply_table(conn: sqlite3.Connection, st: StagedTable, mode: str, cancel: CancelToken,
                 sample: int = 0) -> TableReport:
    rep = TableReport(st.name, rows_in_file=st.rows, notes=list(st.notes))
    q = f"main.{quote(st.name)}"
    x = f"{STAGE_SCHEMA}.{st.stage}"
    n = len(st.columns)
    tcol = [st.target_expr(i) for i in range(n)]
    ins = f"INSERT INTO {q} ({', '.join(tcol)}) "
    sel = ", ".join(f"x.c{i}" for i in range(n))
    if st.duplicates:
        for (pos,) in conn.execute(f"SELECT _kb_pos FROM {x} WHERE _kb_dup = 1 ORDER BY _kb_pos LIMIT {MAX_REASONS}"):
            rep.reasons.append(f"{st.where(pos)}: its key appears more than once in the file")
        rep.rejected = st.duplicates
    ok = "x._kb_dup = 0"
    before = conn.total_changes
    if not st.key:                       # replace, without a key: the rows go in as they are
        conn.execute(f"DELETE FROM {q}")
        rep.removed = conn.total_changes - before
        try:
            conn.execute(ins + f"SELECT {sel} FROM {x} AS x WHERE {ok} ORDER BY x._kb_pos")
            rep.inserted = st.rows - st.duplicates
        except (sqlite3.IntegrityError, sqlite3.DataError):
            _row_by_row(conn, st, rep, tcol, new_only=True)
        return rep
    match = " AND ".join(f"m.{tcol[i]} = x.c{i}" for i in st.key)
    missing = f"NOT EXISTS (SELECT 1 FROM {q} AS m WHERE {match})"
    differs = " OR ".join(
        f"NOT (m.{tcol[i]} IS x.c{i} COLLATE BINARY)"
        + (f" OR typeof(m.{tcol[i]}) <> typeof(x.c{i})" if st.affinities[i] == "BLOB" else "")
        for i in range(n) if i != st.rowid_index) or "0"
    if sample:
        _sample_rows(conn, st, rep, sample, q, x, ok, match, missing, differs, mode)
    if mode == "replace":
        conn.execute(f"DELETE FROM {q} AS m WHERE NOT EXISTS (SELECT 1 FROM {x} AS x WHERE {ok} AND {match})")
        rep.removed = conn.total_changes - before
    cancel.check()
    rep.inserted = conn.execute(f"SELECT count(*) FROM {x} AS x WHERE {ok} AND {missing}").fetchone()[0]
    matched, changed = conn.execute(f"SELECT count(*), coalesce(sum({differs}), 0) FROM {x} AS x "
                                    f"JOIN {q} AS m ON {match} WHERE {ok}").fetchone()
    rep.updated, rep.unchanged = changed, matched - changed
    sets = ", ".join(f"{tcol[i]} = x.c{i}" for i in range(n) if i != st.rowid_index)
    cancel.check()
    try:
        if changed and sets:
            conn.execute(f"UPDATE {q} AS m SET {sets} FROM {x} AS x WHERE {ok} AND {match} AND ({differs})")
    except (sqlite3.IntegrityError, sqlite3.DataError):
        rep.inserted = rep.updated = rep.unchanged = 0
        _row_by_row(conn, st, rep, tcol, new_only=False)
        return rep
    cancel.check()
    try:
        if rep.inserted:
            conn.execute(ins + f"SELECT {sel} FROM {x} AS x WHERE {ok} AND {missing} ORDER BY x._kb_pos")
    except (sqlite3.IntegrityError, sqlite3.DataError):
        rep.inserted = 0
        _row_by_row(conn, st, rep, tcol, new_only=True)
    return rep


def _sample_rows(conn: sqlite3.Connection, st: StagedTable, rep: TableReport, n: int, q: str, x: str, ok: str,
                 match: str, missing: str, differs: str, mode: str) -> None:
    """The first rows the import would add, change and (replace) remove, by key with their
    first columns, as the dry run's preview shows them."""
    show = list(st.key) + [i for i in range(len(st.columns)) if i not in st.key][:3]
    names = [st.columns[i] for i in show]

    def fmt(row: tuple) -> str:
        k = len(st.key)
        keys = ", ".join(f"{names[i]} {row[i]}" for i in range(k))
        rest = ["NULL" if v is None else f"<{len(v)} bytes>" if isinstance(v, bytes) else str(v)[:30] for v in row[k:]]
        return " · ".join([keys, *rest])

    xs = ", ".join(f"x.c{i}" for i in show)
    ms = ", ".join(f"m.{st.target_expr(i)}" for i in show)
    rep.samples["new"] = [fmt(r) for r in conn.execute(
        f"SELECT {xs} FROM {x} AS x WHERE {ok} AND {missing} ORDER BY x._kb_pos LIMIT {n}")]
    rep.samples["changed"] = [fmt(r) for r in conn.execute(
        f"SELECT {xs} FROM {x} AS x JOIN {q} AS m ON {match} WHERE {ok} AND ({differs}) ORDER BY x._kb_pos LIMIT {n}")]
    if mode == "replace":
        rep.samples["removed"] = [fmt(r) for r in conn.execute(
            f"SELECT {ms} FROM {q} AS m WHERE NOT EXISTS (SELECT 1 FROM {x} AS x WHERE {ok} AND {match}) LIMIT {n}")]


def _same(old: tuple, new: tuple) -> bool:
    return all(type(a) is type(b) and a == b for a, b in zip(old, new))


def _row_by_row(conn: sqlite3.Connection, st: StagedTable, rep: TableReport, tcol: list[str], new_only: bool) -> None:
    """Apply the rows one at a time; a row SQLite refuses is rejected with its reason."""
    q = f"main.{quote(st.name)}"
    n = len(st.columns)
    key_where = " AND ".join(f"{tcol[i]} = ?" for i in st.key)
    set_idx = [i for i in range(n) if i != st.rowid_index]
    get = f"SELECT {', '.join(tcol)} FROM {q} WHERE {key_where}" if st.key else None
    upd = f"UPDATE {q} SET {', '.join(f'{tcol[i]} = ?' for i in set_idx)} WHERE {key_where}" if st.key else None
    ins = f"INSERT INTO {q} ({', '.join(tcol)}) VALUES ({', '.join('?' * n)})"
    rows = conn.execute(f"SELECT _kb_pos, {', '.join(f'c{i}' for i in range(n))} FROM {STAGE_SCHEMA}.{st.stage} "
                        "WHERE _kb_dup = 0 ORDER BY _kb_pos")
    for pos, *vals in rows:
        keyvals = [vals[i] for i in st.key]
        old = None
        if get is not None and all(k is not None for k in keyvals):
            old = conn.execute(get, keyvals).fetchone()
        try:
            if old is not None:
                if new_only:
                    continue
                if _same(old, tuple(vals)):
                    rep.unchanged += 1
                else:
                    conn.execute(upd, [vals[i] for i in set_idx] + keyvals)
                    rep.updated += 1
            else:
                conn.execute(ins, vals)
                rep.inserted += 1
        except (sqlite3.IntegrityError, sqlite3.DataError) as exc:
            rep.reject(f"{st.where(pos)}: {one_line(str(exc))}")


def _keep_sequences(conn: sqlite3.Connection, touched: set[str], sequences: dict[str, int]) -> None:
    """An AUTOINCREMENT counter never goes back below what the exporting database had
    handed out (ids must not be reused); SQLite itself raises it for inserted ids."""
    if not conn.execute("SELECT 1 FROM main.sqlite_schema WHERE name = 'sqlite_sequence'").fetchone():
        return
    for name in touched:
        seq = sequences.get(name)
        if not isinstance(seq, int):
            continue
        if conn.execute("SELECT 1 FROM main.sqlite_sequence WHERE name = ?", (name,)).fetchone():
            conn.execute("UPDATE main.sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?", (seq, name, seq))
        elif re.search(r"\bAUTOINCREMENT\b", conn.execute("SELECT sql FROM main.sqlite_schema WHERE name = ?",
                                                         (name,)).fetchone()[0] or "", re.IGNORECASE):
            conn.execute("INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))


def _rebuild_fts(conn: sqlite3.Connection, touched: set[str]) -> list[str]:
    """Full-text indexes kept in step by triggers (external content) missed the imported
    rows while the triggers were set aside: rebuild those over the touched tables."""
    notes = []
    lowered = {t.lower() for t in touched}
    for name, sql in conn.execute("SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' "
                                  "AND sql LIKE 'CREATE VIRTUAL TABLE%'").fetchall():
        m = _FTS.search(sql or "")
        c = _CONTENT.search(m.group(1)) if m else None
        if not c:
            continue
        content = next(g for g in c.groups() if g is not None)
        if content.lower() in lowered:
            try:
                conn.execute(f"INSERT INTO main.{quote(name)} ({quote(name)}) VALUES ('rebuild')")
                notes.append(f"the search index {name} was rebuilt")
            except sqlite3.Error as exc:
                notes.append(f"the search index {name} could not be rebuilt ({one_line(str(exc))})")
    return notes
