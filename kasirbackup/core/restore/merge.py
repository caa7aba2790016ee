"""A merge that keeps the books consistent: rows deleted since the backup come back, rows
added or changed since stay as they are — and nothing is attached to a row it did not
belong to.

Per table, parents first (``links.py`` says who a row is and what it hangs under):

- a backup row whose key is free now comes back — unless it hangs under a parent that is
  not the same parent now (the id was reused by newer data, or the parent is gone and not
  coming back): then it is *held back* and listed;
- a backup row whose key exists now with the same identity is identical or "changed since,
  kept"; with another identity it is a *conflict* (the id was reused) and listed with both
  versions — never counted as kept, never overwritten;
- a backup row whose unique value (a sale code) is taken by a newer row is a conflict too.

At the end every brought-back row is checked to hang under the same parent it had in the
backup; if one does not, the merge raises and the caller rolls everything back.
"""

from __future__ import annotations

import sqlite3

from ..errors import KasirBackupError
from ..schema import Table
from ..sqlitefile import quote
from .diff import key_match
from .links import Link, identity_columns

SAMPLES = 5


class MergeWouldMix(KasirBackupError):
    code = "merge-would-mix"
    template = "The merge would attach rows of {table} to other rows than in the backup ({detail})."
    hint = "Nothing was changed. Restore the backup as a copy and compare it with the database by hand."


def _row(alias: str, cols: list[str]) -> str:
    return f"({', '.join(f'{alias}.{quote(c)}' for c in cols)})" if len(cols) > 1 else f"{alias}.{quote(cols[0])}"


def _same(cols: list[str], a: str, b: str) -> str:
    return f"{_row(a, cols)} IS {_row(b, cols)}" if cols else "1"


class TableMerge:
    """The merge of one table inside the caller's transaction (``snap`` attached)."""

    def __init__(self, live: sqlite3.Connection, cur: Table, old: Table, parents: list[Link],
                 tabs: dict[str, Table], old_tabs: dict[str, Table], n: int, referenced: bool = True,
                 shared: dict[str, list[str]] | None = None) -> None:
        self.live, self.cur, self.old, self.parents, self.tabs = live, cur, old, parents, tabs
        self.old_tabs = old_tabs
        self.identities: dict[str, list[str]] = shared if shared is not None else {}
        # a line that no other row points at, keyed by its rowid, may come back under a new id
        self.movable = bool(parents) and not referenced and (cur.rowid_alias is not None or cur.keeps_hidden_rowid)
        self.q = quote(cur.name)
        self.cols = [c for c in old.stored_columns if c in set(cur.stored_columns)]
        if cur.keeps_hidden_rowid and old.keeps_hidden_rowid:
            self.cols = ["rowid", *self.cols]      # keep row ids, which other rows may point at
        self.key = cur.key
        self.identity = identity_columns(live, "main", cur, set(self.cols) - {"rowid"})
        self.match = key_match(cur, "m", "s")
        self.cand = f"temp.kb_merge_{n}"

    # -- conditions -------------------------------------------------------------------------------
    def _parent_ok(self, lk: Link) -> str:
        """SQL true when the backup row ``s`` may hang under its parent by ``lk`` now."""
        pq = quote(lk.parent)
        ident = self._identity_of(lk.parent)
        on = " AND ".join(f"pm.{quote(pc)} = ps.{quote(pc)}" for pc in lk.parent_cols)
        ref = " AND ".join(f"ps.{quote(pc)} = s.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
        ref_m = " AND ".join(f"pm.{quote(pc)} = s.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
        null = " OR ".join(f"s.{quote(cc)} IS NULL" for cc in lk.child_cols)
        same_parent = f"EXISTS (SELECT 1 FROM snap.{pq} AS ps JOIN main.{pq} AS pm ON {on} WHERE {ref} " \
                      f"AND {_same(ident, 'pm', 'ps')})"
        nowhere = f"(NOT EXISTS (SELECT 1 FROM snap.{pq} AS ps WHERE {ref}) AND " \
                  f"NOT EXISTS (SELECT 1 FROM main.{pq} AS pm WHERE {ref_m}))"
        return f"({null} OR {same_parent} OR {nowhere})"

    def _identity_of(self, table: str) -> list[str]:
        """A parent's identity columns, worked out once per merge (it may scan the table)."""
        if table not in self.identities:
            self.identities[table] = identity_columns(self.live, "main", self.tabs[table], self._common(table))
        return self.identities[table]

    def _common(self, table: str) -> set[str]:
        """The columns of ``table`` that exist now and in the backup."""
        old = self.old_tabs.get(table)
        return set(self.tabs[table].stored_columns) & set(old.stored_columns if old else ())

    def _other_row(self) -> str:
        """SQL true when the row ``m`` now is another row than ``s`` of the backup under the
        same key: another identity, or it hangs under another parent (a sale's line whose
        sale is another sale now)."""
        parts = [f"NOT ({_same(self.identity, 'm', 's')})"] if self.identity else []
        for lk in self.parents:
            pq = quote(lk.parent)
            ident = self._identity_of(lk.parent)
            ref_s = " AND ".join(f"ps.{quote(pc)} = s.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
            ref_m = " AND ".join(f"pm.{quote(pc)} = m.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
            nulls = " AND ".join(f"s.{quote(cc)} IS NULL AND m.{quote(cc)} IS NULL" for cc in lk.child_cols)
            same_ref = " AND ".join(f"s.{quote(cc)} IS m.{quote(cc)}" for cc in lk.child_cols)
            gone = f"({same_ref} AND NOT EXISTS (SELECT 1 FROM snap.{pq} AS ps WHERE {ref_s}) " \
                   f"AND NOT EXISTS (SELECT 1 FROM main.{pq} AS pm WHERE {ref_m}))"
            parts.append(f"NOT (({nulls}) OR {gone} OR EXISTS (SELECT 1 FROM snap.{pq} AS ps, main.{pq} AS pm "
                         f"WHERE {ref_s} AND {ref_m} AND {_same(ident, 'pm', 'ps')}))")
        return "(" + " OR ".join(parts) + ")" if parts else "0"

    def _all_parents_ok(self) -> str:
        return " AND ".join(self._parent_ok(lk) for lk in self.parents) or "1"

    def _cands(self) -> str:
        """FROM … WHERE over the backup rows that were missing now (the candidates), driven by
        the small candidate table: a filter over the whole backup table would scan it."""
        on = " AND ".join(f"s.{quote(k)} {'=' if k == 'rowid' else 'IS'} c.k{i}" for i, k in enumerate(self.key))
        return f"{self.cand} AS c CROSS JOIN snap.{self.q} AS s WHERE {on}"

    def _key_of(self, alias: str) -> str:
        return ", ".join(f"{alias}.{quote(k)}" for k in self.key)

    def _describe_key(self, values: tuple) -> str:
        return ", ".join(f"{k} {v}" for k, v in zip(self.key, values))

    # -- the work ---------------------------------------------------------------------------------
    def run(self, out) -> None:
        live, q = self.live, self.q
        missing = f"NOT EXISTS (SELECT 1 FROM main.{q} AS m WHERE {self.match})"
        live.execute(f"CREATE TEMP TABLE {self.cand.split('.')[1]} AS SELECT "
                     + ", ".join(f"s.{quote(k)} AS k{i}" for i, k in enumerate(self.key))
                     + f" FROM snap.{q} AS s WHERE {missing}")
        keycols = ", ".join(f"k{i}" for i in range(len(self.key)))
        in_cand = f"({self._key_of('s')}) IN (SELECT {keycols} FROM {self.cand})"
        ok = self._all_parents_ok()
        held = live.execute(f"SELECT {self._key_of('s')} FROM {self._cands()} AND NOT ({ok}) "
                            f"ORDER BY {self._key_of('s')}").fetchall()
        out.held_back = len(held)
        for values in held[:SAMPLES]:
            out.details.append({"kind": "held_back", "table": self.cur.name, "key": self._describe_key(values)})
        candidates = live.execute(f"SELECT count(*) FROM {self.cand}").fetchone()[0]
        before = live.total_changes
        col_list = ", ".join(quote(c) for c in self.cols)
        live.execute(f"INSERT OR IGNORE INTO main.{q} ({col_list}) SELECT "
                     + ", ".join(f"s.{quote(c)}" for c in self.cols)
                     + f" FROM {self._cands()} AND {ok}")
        out.inserted = live.total_changes - before
        taken = candidates - out.held_back - out.inserted          # a unique value is taken by a newer row
        # rows present in both: identical, changed since (kept), or another row under the same id
        differs = f"NOT ({_same(self.cols, 'm', 's')})"
        other = self._other_row()
        both, changed = live.execute(
            f"SELECT count(*), coalesce(sum({differs}), 0) "
            f"FROM snap.{q} AS s JOIN main.{q} AS m ON {self.match} WHERE NOT ({in_cand})").fetchone()
        # who a changed row is, asked only of the few changed rows (a WHERE stops at the first
        # false term; a sum() would have run the parent lookups for every row)
        reused = live.execute(
            f"SELECT count(*) FROM snap.{q} AS s JOIN main.{q} AS m ON {self.match} "
            f"WHERE NOT ({in_cand}) AND {differs} AND {other}").fetchone()[0] if changed else 0
        out.identical = both - changed
        out.kept_newer = changed - reused
        if reused:
            self._sample_conflicts(out, in_cand, differs, other)
            out.renumbered = self._renumber(in_cand, differs, other, ok)
            reused -= out.renumbered
            out.inserted += out.renumbered
        out.conflicts = reused + taken
        if taken:
            out.details.append({"kind": "taken", "table": self.cur.name, "count": taken})
        notes = []
        if reused:
            notes.append(f"{reused} rows have the same id as newer, different rows (the id was given again) and "
                         "were left as they are now")
        if taken:
            notes.append(f"{taken} rows clash with newer rows (a unique value is taken) and were skipped")
        if out.renumbered:
            notes.append(f"{out.renumbered} rows came back under new ids (their ids had been given to newer rows; "
                         "they still belong to the same rows as in the backup)")
        if out.held_back:
            notes.append(f"{out.held_back} rows belong to rows that are not the same now and were held back")
        changed_parents = self._changed_parents()
        if changed_parents:
            notes.append(changed_parents)
        out.note = "; ".join(notes)

    def _renumber(self, in_cand: str, differs: str, other: str, ok: str) -> int:
        """Rows whose id was given to a newer row but whose parent is the same row as in the
        backup (a line of a sale that came back) come back under a new id — possible only
        for a table no other table points at, keyed by its rowid."""
        if not self.movable:
            return 0
        q = self.q
        key = self.key[0]
        cols = [c for c in self.cols if c not in ("rowid", key)]
        # … once: a later merge of the same backup finds it there already under its new id
        there = f"NOT EXISTS (SELECT 1 FROM main.{q} AS d WHERE {_same(cols, 'd', 's')})"
        before = self.live.total_changes
        self.live.execute(f"INSERT INTO main.{q} ({', '.join(quote(c) for c in cols)}) SELECT "
                          + ", ".join(f"s.{quote(c)}" for c in cols)
                          + f" FROM snap.{q} AS s JOIN main.{q} AS m ON {self.match} WHERE NOT ({in_cand}) "
                          f"AND {differs} AND {other} AND {ok} AND {there} ORDER BY {self._key_of('s')}")
        return self.live.total_changes - before

    def _sample_conflicts(self, out, in_cand: str, differs: str, other: str) -> None:
        """The first rows whose id was given again, with both versions (their identity, or
        the identity of the row they belong to)."""
        q, k = self.q, len(self.key)
        where = f"WHERE NOT ({in_cand}) AND {differs} AND {other} ORDER BY {self._key_of('s')} LIMIT {SAMPLES}"
        if self.identity or not self.parents:
            cols = self.identity or [c for c in self.cols if c != "rowid"][:2]
            shown = ", ".join([f"m.{quote(c)}" for c in cols] + [f"s.{quote(c)}" for c in cols])
            for row in self.live.execute(f"SELECT {self._key_of('s')}, {shown} FROM snap.{q} AS s "
                                         f"JOIN main.{q} AS m ON {self.match} {where}"):
                now, then = row[k:k + len(cols)], row[k + len(cols):]
                out.details.append({"kind": "conflict", "table": self.cur.name, "key": self._describe_key(row[:k]),
                                    "now": _show(now), "then": _show(then)})
            return
        lk = self.parents[0]
        pq = quote(lk.parent)
        ident = self._identity_of(lk.parent) or \
            list(lk.parent_cols)
        shown = ", ".join([f"pm.{quote(c)}" for c in ident] + [f"ps.{quote(c)}" for c in ident])
        on_m = " AND ".join(f"pm.{quote(pc)} = m.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
        on_s = " AND ".join(f"ps.{quote(pc)} = s.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
        for row in self.live.execute(f"SELECT {self._key_of('s')}, {shown} FROM snap.{q} AS s "
                                     f"JOIN main.{q} AS m ON {self.match} LEFT JOIN main.{pq} AS pm ON {on_m} "
                                     f"LEFT JOIN snap.{pq} AS ps ON {on_s} {where}"):
            now, then = row[k:k + len(ident)], row[k + len(ident):]
            out.details.append({"kind": "conflict_parent", "table": self.cur.name, "key": self._describe_key(row[:k]),
                                "parent": lk.parent, "now": _show(now), "then": _show(then)})

    def _changed_parents(self) -> str:
        """Rules of the application (stock kept in produk) cannot be known: say plainly which
        parents of the rows brought back changed since and are kept as they are now."""
        parts = []
        q = self.q
        for lk in self.parents:
            pq = quote(lk.parent)
            pcols = sorted(self._common(lk.parent))
            ref_m = " AND ".join(f"pm.{quote(pc)} = s.{quote(cc)}" for pc, cc in zip(lk.parent_cols, lk.child_cols))
            on = " AND ".join(f"pm.{quote(pc)} = ps.{quote(pc)}" for pc in lk.parent_cols)
            n = self.live.execute(
                f"SELECT count(*) FROM (SELECT DISTINCT {', '.join(f's.{quote(cc)}' for cc in lk.child_cols)} "
                f"FROM {self._cands()} AND EXISTS (SELECT 1 FROM main.{pq} AS pm JOIN snap.{pq} AS ps ON {on} "
                f"WHERE {ref_m} AND NOT ({_same(pcols, 'pm', 'ps')})) AND EXISTS "
                f"(SELECT 1 FROM main.{q} AS m WHERE {self.match}))").fetchone()[0]
            if n:
                parts.append(f"the rows brought back refer to {n} rows of {lk.parent} that changed since and are "
                             "kept as they are now (totals kept there, such as stock, are not recalculated)")
        return "; ".join(parts)

    def check(self) -> None:
        """Every row brought back hangs under the parent it had in the backup."""
        if not self.parents:
            return
        q = self.q
        for lk in self.parents:
            bad = self.live.execute(
                f"SELECT count(*) FROM {self._cands()} AND EXISTS (SELECT 1 FROM main.{q} AS m "
                f"WHERE {self.match} AND {_same(self.cols, 'm', 's')}) AND NOT {self._parent_ok(lk)}").fetchone()[0]
            if bad:
                raise MergeWouldMix(table=self.cur.name, detail=f"{bad} rows by {lk.describe()}")

    def drop(self) -> None:
        self.live.execute(f"DROP TABLE IF EXISTS {self.cand}")


def detail_text(d: dict) -> str:
    """One conflict or held-back row of a merge, in words (the desktop app has its own)."""
    kind, table = d["kind"], d["table"]
    if kind == "conflict":
        return (f"conflict: {table} {d['key']} is {d['now']} now and was {d['then']} in the backup (the id was "
                "given again); kept as it is now")
    if kind == "conflict_parent":
        return (f"conflict: {table} {d['key']} belongs to {d['parent']} {d['now']} now and belonged to "
                f"{d['then']} in the backup (the id was given again); kept as it is now")
    if kind == "taken":
        return (f"conflict: {d['count']} rows of {table} in the backup have a unique value that a newer row has "
                "now; they were not brought back")
    return f"held back: {table} {d['key']} (it belonged to a row that is not the same row now)"


def _show(values: tuple) -> str:
    return " · ".join("NULL" if v is None else str(v)[:40] for v in values)
