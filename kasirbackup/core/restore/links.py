"""What a merge needs to know about rows beyond their keys: which columns say *who* a row
is (its identity), and which rows it hangs under (its parents).

After a restore under an open POS, ids are handed out again: sale 161 of the backup and
sale 161 now are two different sales. A merge that matched rows by id alone brought the
old sale's line items back under the new sale. So:

- **Identity**: the columns of the table's UNIQUE constraints and unique indexes (a sale's
  code); a table without any is identified by its text columns (names, codes, times) —
  numbers such as stock or totals are what legitimately changes. Same key, other identity:
  the id was reused, a *conflict*.
- **Parents**: declared foreign keys; a table that declares none is linked by column names
  ``<table>_id`` to that table's single-column key (``transaksi_id`` → ``transaksi``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..schema import Table
from ..sqlitefile import quote


@dataclass(frozen=True, slots=True)
class Link:
    child: str
    child_cols: tuple[str, ...]
    parent: str
    parent_cols: tuple[str, ...]
    declared: bool

    def describe(self) -> str:
        how = "" if self.declared else " (by its name)"
        return f"{self.child}.{', '.join(self.child_cols)} → {self.parent}{how}"


def _single_key(t: Table) -> str | None:
    key = t.key
    return key[0] if len(key) == 1 else None


def links(conn: sqlite3.Connection, schema: str, tabs: dict[str, Table]) -> dict[str, list[Link]]:
    """child table → the links to its parents, declared or inferred."""
    out: dict[str, list[Link]] = {}
    lower = {n.lower(): n for n in tabs}
    for name, t in tabs.items():
        if t.virtual or t.shadow:
            continue
        rows = conn.execute(f"PRAGMA {schema}.foreign_key_list({quote(name)})").fetchall()
        found: list[Link] = []
        by_id: dict[int, list] = {}
        for r in rows:                         # id, seq, table, from, to, on_update, on_delete, match
            by_id.setdefault(r[0], []).append(r)
        for parts in by_id.values():
            parts.sort(key=lambda r: r[1])
            parent = parts[0][2]
            if parent not in tabs:
                continue
            pcols = tuple(r[4] for r in parts)
            if any(c is None for c in pcols):              # REFERENCES parent (its primary key)
                key = tabs[parent].key
                if len(key) != len(parts):
                    continue
                pcols = tuple(key)
            found.append(Link(name, tuple(r[3] for r in parts), parent, pcols, True))
        if not rows:
            for col in t.stored_columns:
                if not col.lower().endswith("_id") or len(col) <= 3:
                    continue
                parent = lower.get(col[:-3].lower())
                if parent is None or parent == name:
                    continue
                pkey = _single_key(tabs[parent])
                if pkey is not None:
                    found.append(Link(name, (col,), parent, (pkey,), False))
        if found:
            out[name] = found
    return out


def identity_columns(conn: sqlite3.Connection, schema: str, t: Table, common: set[str],
                     data: str = "snap") -> list[str]:
    """The columns (among ``common``) that say who a row is: those of the UNIQUE constraints
    and unique indexes; for a table without any, its text columns that behave as one — set
    and different in every row of the backup (``data``): a sale's code or time, not its
    cashier or payment method, which may change and repeat."""
    key = set(t.key)
    unique: list[str] = []
    for _seq, index, is_unique, origin, _partial in conn.execute(f"PRAGMA {schema}.index_list({quote(t.name)})"):
        if not is_unique or origin == "pk":
            continue
        for r in conn.execute(f"PRAGMA {schema}.index_info({quote(index)})"):
            if r[2] is not None and r[2] in common and r[2] not in key and r[2] not in unique:
                unique.append(r[2])
    if unique:
        return unique
    texts = [c.name for c in t.columns if c.name in common and c.name not in key and not c.pk
             and _text_affinity(c.type)]
    if not texts:
        return []
    q = quote(t.name)
    counts = conn.execute("SELECT count(*), " + ", ".join(f"count(DISTINCT {quote(c)}), count({quote(c)})"
                                                          for c in texts) + f" FROM {data}.{q}").fetchone()
    total = counts[0]
    if total < 2:
        return []
    return [c for i, c in enumerate(texts) if counts[1 + 2 * i] == total and counts[2 + 2 * i] == total]


def _text_affinity(decl: str) -> bool:
    d = decl.upper()
    return "INT" not in d and any(x in d for x in ("CHAR", "CLOB", "TEXT"))


def with_links_as_parents(tabs: dict[str, Table], found: dict[str, list[Link]]) -> dict[str, Table]:
    """A copy of ``tabs`` whose ``parents`` also hold the inferred links (for the order)."""
    from dataclasses import replace

    out = dict(tabs)
    for child, ls in found.items():
        extra = {lk.parent for lk in ls} - tabs[child].parents
        if extra:
            out[child] = replace(tabs[child], parents=tabs[child].parents | extra)
    return out
