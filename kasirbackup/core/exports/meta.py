"""What an export file says about itself: the metadata written into every export (JSON
object, hidden XLSX sheet, ``export-info.json`` next to CSV files) and read back by the
import — source, time, schema, per-table columns and counts, and the facts that tell one
database from another."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import datetime

from ... import __version__
from ..errors import KasirBackupError
from ..schema import Table, parent_first_order, tables
from ..sqlitefile import first_row_digests, quote, schema_fingerprint, table_names

FORMAT_NAME = "kasirbackup-export"
FORMAT_VERSION = 1
ROWID_NAMES = ("rowid", "_rowid_", "oid")


class UnknownExportTables(KasirBackupError):
    code = "unknown-tables"
    template = "The database has no table named {names}."
    hint = "Tables that can be exported: {available}."


@dataclass(slots=True)
class TableMeta:
    """One exported table. ``columns`` is the order of the values in every row; when the
    table has no declared primary key its rowid comes first, under the name ``rowid``."""

    name: str
    columns: list[str]
    types: list[str]                 # declared types, "" for the rowid
    key: list[str]                   # columns identifying a row (may be the rowid column)
    rows: int
    rowid: str | None = None         # the exported rowid column, if any
    strict: bool = False
    without_rowid: bool = False

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "TableMeta":
        t = cls(name=str(d["name"]), columns=[str(c) for c in d["columns"]],
                types=[str(c) for c in d.get("types") or [""] * len(d["columns"])],
                key=[str(c) for c in d.get("key") or []], rows=int(d.get("rows") or 0),
                rowid=None if d.get("rowid") is None else str(d["rowid"]),
                strict=bool(d.get("strict")), without_rowid=bool(d.get("without_rowid")))
        if len(t.types) != len(t.columns) or len(set(t.columns)) != len(t.columns):
            raise ValueError(f"table {t.name}: inconsistent column list")
        return t


@dataclass(slots=True)
class ExportMeta:
    exported_at: str
    source_path: str
    source_name: str
    snapshot_id: str | None
    snapshot_time: str | None
    user_version: int
    application_id: int
    text_encoding: str
    schema_fingerprint: str
    first_rows: dict[str, str]
    all_tables: dict[str, int | None]            # every table of the database with its row count
    sequences: dict[str, int]                    # sqlite_sequence (AUTOINCREMENT counters)
    schema: list[dict]                           # sqlite_schema rows: type, name, tbl_name, sql
    tables: list[TableMeta]                      # the exported tables, parents first
    skipped: dict[str, str] = field(default_factory=dict)   # table -> why it is not in the file
    tool_version: str = __version__

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def table(self, name: str) -> TableMeta | None:
        return next((t for t in self.tables if t.name == name), None)

    def to_json(self) -> dict:
        return {
            "format": FORMAT_NAME, "version": FORMAT_VERSION, "tool_version": self.tool_version,
            "exported_at": self.exported_at,
            "source": {"path": self.source_path, "name": self.source_name,
                       "snapshot_id": self.snapshot_id, "snapshot_time": self.snapshot_time},
            "database": {"user_version": self.user_version, "application_id": self.application_id,
                         "text_encoding": self.text_encoding, "schema_fingerprint": self.schema_fingerprint,
                         "first_rows": self.first_rows, "tables": self.all_tables,
                         "sequences": self.sequences},
            "schema": self.schema,
            "tables": [t.to_json() for t in self.tables],
            "skipped": self.skipped,
        }

    @classmethod
    def from_json(cls, d: object) -> "ExportMeta":
        """Parse metadata read from a file; raises ValueError on anything malformed."""
        if not isinstance(d, dict) or d.get("format") != FORMAT_NAME:
            raise ValueError("not a KasirBackup export")
        if not isinstance(d.get("version"), int) or d["version"] > FORMAT_VERSION:
            raise ValueError(f"export format version {d.get('version')!r} is newer than this program")
        try:
            src, db = d["source"], d["database"]
            return cls(
                exported_at=str(d.get("exported_at") or ""), source_path=str(src.get("path") or ""),
                source_name=str(src.get("name") or ""), snapshot_id=src.get("snapshot_id"),
                snapshot_time=src.get("snapshot_time"), user_version=int(db.get("user_version") or 0),
                application_id=int(db.get("application_id") or 0),
                text_encoding=str(db.get("text_encoding") or "UTF-8"),
                schema_fingerprint=str(db.get("schema_fingerprint") or ""),
                first_rows={str(k): str(v) for k, v in (db.get("first_rows") or {}).items()},
                all_tables={str(k): (None if v is None else int(v)) for k, v in (db.get("tables") or {}).items()},
                sequences={str(k): int(v) for k, v in (db.get("sequences") or {}).items()},
                schema=[dict(s) for s in d.get("schema") or []],
                tables=[TableMeta.from_json(t) for t in d["tables"]],
                skipped={str(k): str(v) for k, v in (d.get("skipped") or {}).items()},
                tool_version=str(d.get("tool_version") or ""))
        except (AttributeError, KeyError, TypeError) as exc:
            raise ValueError(f"malformed metadata ({type(exc).__name__}: {exc})") from None


# -- describing a database ------------------------------------------------------------------------

def table_flags(conn: sqlite3.Connection) -> dict[str, tuple[str, bool, bool]]:
    """name -> (kind, without_rowid, strict), kind being table / virtual / shadow."""
    try:
        return {r[1]: (r[2], bool(r[4]), bool(r[5]))
                for r in conn.execute("PRAGMA main.table_list") if r[0] == "main"}
    except sqlite3.Error:       # SQLite older than 3.37: judge from the SQL text
        out = {}
        for name, t in tables(conn).items():
            norm = " ".join(t.sql.upper().split())
            tail = norm[norm.rfind(")"):]
            kind = "virtual" if t.virtual else "shadow" if t.shadow else "table"
            out[name] = (kind, t.without_rowid, "STRICT" in tail)
        return out


def rowid_name(t: Table) -> str | None:
    """The name under which a table's hidden rowid is exported (None when it has none, or
    when all three of SQLite's names for it are taken by real columns)."""
    if t.key != ["rowid"]:
        return None
    names = {c.name.lower() for c in t.columns}
    return next((n for n in ROWID_NAMES if n not in names), None)


def table_meta(t: Table, rows: int, strict: bool) -> TableMeta:
    cols = [c for c in t.columns if not c.generated]
    rid = rowid_name(t)
    names = ([rid] if rid else []) + [c.name for c in cols]
    types = ([""] if rid else []) + [c.type for c in cols]
    key = [rid] if rid else ([] if t.key == ["rowid"] else list(t.key))
    return TableMeta(t.name, names, types, key, rows, rid, strict, t.without_rowid)


def exportable(conn: sqlite3.Connection) -> tuple[dict[str, Table], dict[str, str]]:
    """Tables whose rows go into CSV/JSON/XLSX exports, and the others with the reason."""
    flags = table_flags(conn)
    tabs = tables(conn)
    skipped = {}
    out = {}
    for name, t in tabs.items():
        kind = flags.get(name, ("table", False, False))[0]
        if kind == "virtual":
            skipped[name] = "a search index or other virtual table; the SQL export includes it"
        elif kind == "shadow":
            continue                     # part of its virtual table (named above)
        else:
            out[name] = t
    return out, skipped


def describe(conn: sqlite3.Connection, source_path: str, source_name: str, snapshot_id: str | None,
             snapshot_time: str | None, only: list[str] | None = None) -> ExportMeta:
    tabs, skipped = exportable(conn)
    if only is not None:
        unknown = [n for n in only if n not in tabs]
        if unknown:
            raise UnknownExportTables(names=", ".join(unknown), available=", ".join(sorted(tabs)))
        skipped = {}
        names = list(dict.fromkeys(only))
    else:
        names = sorted(tabs)
    flags = table_flags(conn)
    counts = {}
    for n in table_names(conn):
        try:
            counts[n] = conn.execute(f"SELECT count(*) FROM {quote(n)}").fetchone()[0]
        except sqlite3.Error:
            counts[n] = None
    metas = [table_meta(tabs[n], counts.get(n) or 0, flags.get(n, ("table", False, False))[2])
             for n in parent_first_order(tabs, names)]
    seqs = {}
    if "sqlite_sequence" in counts:
        seqs = {str(n): int(s) for n, s in conn.execute("SELECT name, seq FROM sqlite_sequence")
                if n is not None and isinstance(s, int)}
    schema = [{"type": t, "name": n, "tbl_name": tb, "sql": s} for t, n, tb, s in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid")]
    return ExportMeta(
        exported_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        source_path=source_path, source_name=source_name, snapshot_id=snapshot_id,
        snapshot_time=snapshot_time,
        user_version=conn.execute("PRAGMA user_version").fetchone()[0],
        application_id=conn.execute("PRAGMA application_id").fetchone()[0],
        text_encoding=conn.execute("PRAGMA encoding").fetchone()[0],
        schema_fingerprint=schema_fingerprint(conn), first_rows=first_row_digests(conn),
        all_tables=counts, sequences=seqs, schema=schema, tables=metas, skipped=skipped)


# -- column affinity (https://sqlite.org/datatype3.html#determination_of_column_affinity) ---------

def affinity(declared: str, strict: bool = False) -> str:
    """INTEGER, TEXT, BLOB (meaning: none), REAL or NUMERIC."""
    d = declared.upper()
    if strict:
        return {"INT": "INTEGER", "INTEGER": "INTEGER", "REAL": "REAL", "TEXT": "TEXT"}.get(d.strip(), "BLOB")
    if "INT" in d:
        return "INTEGER"
    if "CHAR" in d or "CLOB" in d or "TEXT" in d:
        return "TEXT"
    if "BLOB" in d or not d.strip():
        return "BLOB"
    if "REAL" in d or "FLOA" in d or "DOUB" in d:
        return "REAL"
    return "NUMERIC"


def staging_type(declared: str, strict: bool = False) -> str:
    """A declared type with exactly the same affinity (and no other effect)."""
    a = affinity(declared, strict)
    return "" if a == "BLOB" else a


_SAFE_FILE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def file_stem(name: str, taken: set[str]) -> str:
    """A file name (without extension) for a table, valid on Windows, unique (case-blind)."""
    stem = _SAFE_FILE.sub("_", name).strip(" .") or "table"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    stem = stem[:100]
    candidate, n = stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}_{n}"
    taken.add(candidate.lower())
    return candidate


def select_sql(t: TableMeta) -> str:
    """SELECT of a table's exported columns, in the export's column order."""
    return f"SELECT {', '.join(quote(c) for c in t.columns)} FROM main.{quote(t.name)}"
