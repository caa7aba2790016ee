"""Row-level restores inside one transaction of the live connection: selected tables
replaced, or a merge (deleted rows brought back, newer rows kept). Tables are filled
parents first, the application's triggers are set aside during the copy, AUTOINCREMENT
counters never go backwards, and foreign keys are checked before COMMIT."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KasirBackupError
from ..schema import Table, parent_first_order, tables, triggers_on
from ..sqlitefile import quote
from .links import links, with_links_as_parents
from .merge import TableMerge


class ForeignKeyBroken(KasirBackupError):
    code = "foreign-key-broken"
    template = "Restoring {tables} alone would leave rows pointing at rows that do not exist: {detail}."
    hint = "Nothing was changed. Include the related tables as well (for example: {suggest})."


@dataclass(slots=True)
class TableOutcome:
    name: str
    removed: int = 0          # rows deleted (replace)
    inserted: int = 0         # rows written from the snapshot
    kept_newer: int = 0       # merge: rows changed since the backup, kept as they are now
    identical: int = 0        # merge: rows already equal
    conflicts: int = 0        # merge: the id or a unique value was given again to a newer row
    held_back: int = 0        # merge: rows of a parent that is not the same row now
    renumbered: int = 0       # merge: of ``inserted``, rows that came back under a new id
    note: str = ""
    details: list[dict] = field(default_factory=list)  # merge: the first conflicts and held-back rows
                                                       # (merge.detail_text says them in words)


def _fk_problems(live: sqlite3.Connection, names: set[str]) -> set[tuple]:
    found: set[tuple] = set()
    for n in sorted(names):
        found.update(tuple(r) for r in live.execute(f"PRAGMA main.foreign_key_check({quote(n)})"))
    return found


def restore_rows(live: sqlite3.Connection, image: Path, mode: str, names: list[str] | None
                 ) -> list[TableOutcome]:
    """Per-table or merge restore: one transaction; foreign keys checked before COMMIT."""
    live.execute("ATTACH DATABASE ? AS snap", (image.absolute().as_uri() + "?mode=ro&immutable=1",))
    try:
        live.execute("BEGIN IMMEDIATE")
        try:
            outcomes = _restore_rows_in_transaction(live, mode, names)
            live.execute("COMMIT")
            return outcomes
        except BaseException:
            if live.in_transaction:
                live.execute("ROLLBACK")
            raise
    finally:
        live.execute("DETACH DATABASE snap")


def _restore_rows_in_transaction(live: sqlite3.Connection, mode: str, names: list[str] | None
                                 ) -> list[TableOutcome]:
    cur, old = tables(live, "main"), tables(live, "snap")
    names = names or [n for n, t in old.items() if not t.virtual and not t.shadow]
    recreated = [n for n in names if n not in cur]
    for n in recreated:
        _recreate_table(live, old[n])
    if recreated:
        cur = tables(live, "main")
    found = links(live, "main", cur) if mode == "merge" else {}
    order = parent_first_order(with_links_as_parents(cur, found), names)
    # foreign keys of the touched tables and of the tables that point at them
    touched = set(order) | {n for n, t in cur.items() if t.parents & set(order)}
    before = _fk_problems(live, touched)
    outcomes = []
    merges: list[TableMerge] = []
    identities: dict[str, list[str]] = {}       # per table, shared by the merges of its children
    try:
        for i, name in enumerate(order):
            merge = None
            if mode == "merge":
                parents = [lk for lk in found.get(name, []) if lk.parent != name]
                parents = [lk for lk in parents if lk.parent in old]     # a parent new since: no backup rows
                referenced = any(lk.parent == name for ls in found.values() for lk in ls) or \
                    any(name in t.parents for t in cur.values())
                merge = TableMerge(live, cur[name], old[name], parents, cur, old, i, referenced, identities)
                merges.append(merge)
            out = _restore_table(live, cur[name], old[name], mode, merge)
            if name in recreated:
                out.note = "; ".join(filter(None, ["the table was removed since the backup and was created again",
                                                   out.note]))
            outcomes.append(out)
        for merge in merges:        # every row brought back hangs under the parent it had
            merge.check()
    finally:
        for merge in merges:
            merge.drop()
    new = _fk_problems(live, touched) - before
    if new:
        sample = sorted(new)[:3]
        detail = "; ".join(f"{t} row {rowid} refers to a missing row in {parent}" for t, rowid, parent, _ in sample)
        suggest = ",".join(sorted(set(order) | {child for child, _, _, _ in new}))
        raise ForeignKeyBroken(tables=", ".join(order), detail=detail, suggest=suggest)
    return outcomes


def _restore_table(live: sqlite3.Connection, cur: Table, old: Table, mode: str,
                   merge: TableMerge | None = None) -> TableOutcome:
    out = TableOutcome(cur.name)
    q = quote(cur.name)
    cols = [c for c in old.stored_columns if c in set(cur.stored_columns)]
    if cur.keeps_hidden_rowid and old.keeps_hidden_rowid:
        cols = ["rowid", *cols]       # keep row ids, which other rows may point at
    col_list = ", ".join(quote(c) for c in cols)
    # triggers would run the application's logic (stock, audit) a second time for old rows:
    # take them out for the copy and put them back, inside the same transaction
    trig = triggers_on(live, cur.name)
    for tname, _ in trig:
        live.execute(f"DROP TRIGGER main.{quote(tname)}")
    before = live.total_changes
    if mode == "replace":
        live.execute(f"DELETE FROM main.{q}")
        out.removed = live.total_changes - before
        before = live.total_changes
        live.execute(f"INSERT INTO main.{q} ({col_list}) SELECT {col_list} FROM snap.{q}")
        out.inserted = live.total_changes - before
    elif merge is not None:
        merge.run(out)
    for _, sql in trig:
        live.execute(sql)
    _keep_autoincrement(live, cur)
    return out


def _recreate_table(live: sqlite3.Connection, old: Table) -> None:
    """Create a table that was dropped since the backup, with its indexes, as it was."""
    live.execute(old.sql)
    for (sql,) in live.execute("SELECT sql FROM snap.sqlite_schema WHERE type = 'index' AND tbl_name = ? "
                               "AND sql IS NOT NULL", (old.name,)).fetchall():
        live.execute(sql)


def _keep_autoincrement(live: sqlite3.Connection, table: Table) -> None:
    """Never let an AUTOINCREMENT counter go backwards (ids must not be reused)."""
    if table.without_rowid or table.virtual:
        return
    has_seq = live.execute("SELECT 1 FROM main.sqlite_schema WHERE name = 'sqlite_sequence'").fetchone()
    if not has_seq or not live.execute("SELECT 1 FROM main.sqlite_sequence WHERE name = ?", (table.name,)).fetchone():
        return
    top = live.execute(f"SELECT max(rowid) FROM main.{quote(table.name)}").fetchone()[0]
    if top is not None:
        live.execute("UPDATE main.sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?", (top, table.name, top))
