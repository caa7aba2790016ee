"""The preview of the *chosen* restore, with the rows themselves.

A whole replace removes what was added since, brings back what was deleted and sets back
what changed; a per-table restore does that for its tables only; a merge brings back
deleted rows and keeps everything else — minus the conflicts and held-back rows it finds.
The merge's preview is the merge itself, run on a scratch copy of the database, so it
cannot say anything the merge will not do. Each category lists its first rows by key
with a readable summary ("id 161 · TRX20251204103000 · 135000 · 2025-12-04 10:30").
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..schema import Table, tables
from ..sqlitefile import quote, remove_db_files
from .diff import DiffResult, key_match, open_pair
from .links import identity_columns
from .merge import detail_text

SUMMARY_COLUMNS = 4


@dataclass(slots=True)
class TablePreview:
    name: str
    counts: dict[str, int] = field(default_factory=dict)   # category -> rows
    rows: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)      # merge: conflicts and held-back rows, structured


@dataclass(slots=True)
class ModePreview:
    mode: str                       # replace, tables, merge
    snapshot_time: str
    tables: list[TablePreview] = field(default_factory=list)

    WORDS = {  # category -> how a shop owner reads it
        "removed": "rows added since the backup ({when}) will be removed",
        "back": "rows deleted since will come back",
        "set_back": "rows changed since will be set back",
        "kept": "rows changed since stay as they are now",
        "conflicts": "rows are not brought back: their number was given again to a newer row",
        "held_back": "rows are held back: they belong to a row that is another one now",
    }

    def lines(self) -> list[str]:
        out = []
        for t in self.tables:
            parts = [f"{n} " + self.WORDS[c].format(when=self.snapshot_time) for c, n in t.counts.items() if n]
            if parts or t.notes:
                out.append(f"{t.name}: " + "; ".join(parts + t.notes))
        return out or ["Nothing would change: the database has the same rows as the backup."]

    def row_lines(self) -> list[str]:
        out = []
        for t in self.tables:
            for cat, rows in t.rows.items():
                if rows:
                    out.append(f"{t.name}, {self.WORDS[cat].format(when=self.snapshot_time)}:")
                    out += [f"    {r}" for r in rows]
        return out

    def to_json(self) -> dict:
        return {"mode": self.mode, "tables": [asdict(t) for t in self.tables], "summary": self.lines()}


def _summary_columns(conn: sqlite3.Connection, t: Table, schema_cols: set[str]) -> list[str]:
    ident = identity_columns(conn, "main", t, schema_cols, data="snap") if schema_cols else []
    rest = [c for c in t.stored_columns if c in schema_cols and c not in ident and c not in t.key]
    return (ident + rest)[:SUMMARY_COLUMNS]


def _fmt(key: list[str], values: tuple, n_key: int) -> str:
    keys = ", ".join(f"{k} {v}" for k, v in zip(key, values[:n_key]))
    shown = [("NULL" if v is None else f"<{len(v)} bytes>" if isinstance(v, bytes) else str(v)[:30])
             for v in values[n_key:]]
    return " · ".join([keys, *shown])


def _sample(conn: sqlite3.Connection, sql_from: str, t: Table, cols: list[str], alias: str, n: int) -> list[str]:
    if n <= 0:
        return []
    sel = ", ".join([f"{alias}.{quote(k)}" for k in t.key] + [f"{alias}.{quote(c)}" for c in cols])
    order = ", ".join(f"{alias}.{quote(k)}" for k in t.key)
    return [_fmt(t.key, r, len(t.key)) for r in conn.execute(f"SELECT {sel} {sql_from} ORDER BY {order} LIMIT {n}")]


def preview_replace(current: Path, image: Path, diff: DiffResult, names: list[str] | None, n_rows: int,
                    mode: str) -> ModePreview:
    """What a whole or per-table replace does, from the two static images."""
    out = ModePreview(mode, diff.snapshot_time)
    conn = open_pair(current, image)
    try:
        cur_t, old_t = tables(conn, "main"), tables(conn, "snap")
        for d in diff.tables:
            if names is not None and d.name not in names:
                continue
            tp = TablePreview(d.name)
            tp.counts = {"removed": d.only_current or 0, "back": d.only_snapshot or 0, "set_back": d.changed or 0}
            cur, old = cur_t.get(d.name), old_t.get(d.name)
            if d.note:
                tp.notes.append(d.note)
            if cur is not None and old is not None and cur.key and cur.key == old.key and not cur.virtual:
                common = set(cur.stored_columns) & set(old.stored_columns)
                cols = _summary_columns(conn, cur, common)
                q = quote(d.name)
                match = key_match(cur, "a", "b")
                same = f"({', '.join(f'a.{quote(c)}' for c in sorted(common))}) IS " \
                       f"({', '.join(f'b.{quote(c)}' for c in sorted(common))})" if len(common) > 1 else "1"
                tp.rows["removed"] = _sample(conn, f"FROM main.{q} AS a WHERE NOT EXISTS (SELECT 1 FROM snap.{q} "
                                             f"AS b WHERE {match})", cur, cols, "a", min(n_rows, tp.counts["removed"]))
                tp.rows["back"] = _sample(conn, f"FROM snap.{q} AS a WHERE NOT EXISTS (SELECT 1 FROM main.{q} "
                                          f"AS b WHERE {match})", old, cols, "a", min(n_rows, tp.counts["back"]))
                tp.rows["set_back"] = _sample(conn, f"FROM snap.{q} AS a JOIN main.{q} AS b ON {match} "
                                              f"WHERE NOT ({same})", old, cols, "a",
                                              min(n_rows, tp.counts["set_back"]))
            out.tables.append(tp)
    finally:
        conn.close()
    return out


def preview_merge(current: Path, image: Path, diff: DiffResult, scratch: Path, n_rows: int) -> ModePreview:
    """The merge itself, on a scratch copy of the database: its exact counts and rows."""
    from .rows import restore_rows

    copy = scratch / "merge-preview.db"
    shutil.copyfile(current, copy)
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            outcomes = restore_rows(conn, image, "merge", None)
        finally:
            conn.close()
        out = ModePreview("merge", diff.snapshot_time)
        pair = open_pair(current, copy)          # "snap" is the merged copy here
        try:
            cur_t = tables(pair, "main")
            for o in outcomes:
                tp = TablePreview(o.name, {"back": o.inserted, "kept": o.kept_newer, "conflicts": o.conflicts,
                                           "held_back": o.held_back})
                # the counts say the rest; what the shop's own rules keep (stock) is said as a note
                tp.notes = [n for n in o.note.split("; ") if "refer to" in n or "created again" in n]
                t = cur_t.get(o.name)
                if t is not None and t.key and o.inserted:
                    q = quote(o.name)
                    match = key_match(t, "a", "b")
                    cols = [c for c in t.stored_columns if c not in t.key][:SUMMARY_COLUMNS]
                    tp.rows["back"] = _sample(pair, f"FROM snap.{q} AS a WHERE NOT EXISTS (SELECT 1 FROM main.{q} "
                                              f"AS b WHERE {match})", t, cols, "a", min(n_rows, o.inserted))
                tp.details = list(o.details)
                conflicts = [detail_text(d) for d in o.details if d["kind"] != "held_back"][:n_rows]
                held = [detail_text(d) for d in o.details if d["kind"] == "held_back"][:n_rows]
                if conflicts:
                    tp.rows["conflicts"] = conflicts
                if held:
                    tp.rows["held_back"] = held
                out.tables.append(tp)
        finally:
            pair.close()
        return out
    finally:
        remove_db_files(copy)
