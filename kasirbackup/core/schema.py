"""What a database's tables look like: columns, keys, foreign keys, and the order in which
tables can be filled without breaking foreign keys (parents first)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from .sqlitefile import quote


@dataclass(slots=True)
class Column:
    name: str
    type: str
    notnull: bool
    default: str | None
    pk: int              # position in the primary key, 0 if not part of it
    hidden: int          # 0 ordinary, 2 generated virtual, 3 generated stored (table_xinfo)

    @property
    def generated(self) -> bool:
        return self.hidden in (2, 3)


@dataclass(slots=True)
class Table:
    name: str
    sql: str
    columns: list[Column]
    without_rowid: bool
    virtual: bool
    shadow: bool                             # an FTS/R-tree internal table
    parents: set[str] = field(default_factory=set)   # tables this one references

    @property
    def stored_columns(self) -> list[str]:
        """Columns that can be inserted (generated columns cannot)."""
        return [c.name for c in self.columns if not c.generated]

    @property
    def key(self) -> list[str]:
        """Columns identifying a row: the declared primary key, else the rowid."""
        pk = sorted((c for c in self.columns if c.pk), key=lambda c: c.pk)
        if pk:
            return [c.name for c in pk]
        return [] if self.without_rowid or self.virtual else ["rowid"]

    @property
    def rowid_alias(self) -> str | None:
        """The INTEGER PRIMARY KEY column that *is* the rowid, if there is one."""
        pk = [c for c in self.columns if c.pk]
        if not self.without_rowid and not self.virtual and len(pk) == 1 and pk[0].type.upper() == "INTEGER":
            return pk[0].name
        return None

    @property
    def keeps_hidden_rowid(self) -> bool:
        """A rowid table whose rowid is not one of its columns (copy it explicitly)."""
        return not self.without_rowid and not self.virtual and self.rowid_alias is None

    @property
    def key_is_stable(self) -> bool:
        """A bare rowid can be renumbered by VACUUM; a declared key cannot."""
        return any(c.pk for c in self.columns)


def tables(conn: sqlite3.Connection, schema: str = "main") -> dict[str, Table]:
    s = quote(schema)
    rows = conn.execute(f"SELECT name, coalesce(sql, '') FROM {s}.sqlite_schema WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").fetchall()
    virtual_names = {n for n, sql in rows if sql.upper().lstrip().startswith("CREATE VIRTUAL TABLE")}
    out: dict[str, Table] = {}
    for name, sql in rows:
        virtual = name in virtual_names
        shadow = any(name.startswith(v + "_") for v in virtual_names)
        cols = [Column(r[1], r[2] or "", bool(r[3]), r[4], r[5], r[6])
                for r in conn.execute(f"PRAGMA {s}.table_xinfo({quote(name)})")]
        norm = " ".join(sql.upper().split())
        t = Table(name, sql, cols, without_rowid=norm.endswith("WITHOUT ROWID") or ") WITHOUT ROWID" in norm,
                  virtual=virtual, shadow=shadow)
        if not virtual:
            try:
                t.parents = {r[2] for r in conn.execute(f"PRAGMA {s}.foreign_key_list({quote(name)})")}
            except sqlite3.Error:
                pass
        out[name] = t
    return out


def parent_first_order(tabs: dict[str, Table], names: list[str] | None = None) -> list[str]:
    """Tables ordered so that referenced (parent) tables come before the tables that
    reference them. Cycles are broken deterministically (foreign keys are then checked
    at the end of the transaction anyway)."""
    todo = sorted(names if names is not None else tabs)
    wanted = set(todo)
    done: list[str] = []
    seen: set[str] = set()

    def visit(n: str, stack: set[str]) -> None:
        if n in seen or n in stack:
            return
        stack.add(n)
        for p in sorted(tabs[n].parents if n in tabs else ()):
            if p in wanted and p != n:
                visit(p, stack)
        stack.discard(n)
        seen.add(n)
        done.append(n)

    for n in todo:
        visit(n, set())
    return done


def triggers_on(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' AND tbl_name = ?",
                        (table,)).fetchall()
