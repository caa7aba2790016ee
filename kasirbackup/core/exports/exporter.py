"""Exports of the live database or of any snapshot: CSV, JSON, XLSX and SQL.

``export(ExportRequest(...))`` takes a static image of the source (a consistent copy of
the live database taken with short locks, or the snapshot rebuilt and checked), describes
it (``export_meta``), writes the chosen format under a temporary name and renames it into
place. The formats themselves live in ``export_csv``, ``export_json``, ``export_xlsx`` and
``export_sql``; the import of the JSON, XLSX and CSV files is in ``imports``.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KasirBackupError
from .csv import write_csv
from .json import write_json
from .meta import ExportMeta, UnknownExportTables, describe, table_flags
from .source import Output, output_error, open_image, static_image
from .sql import write_sql
from .xlsx import MAX_SHEET_ROWS, write_xlsx
from ..repo.manifest import Snapshot
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import Repository
from ..scratch import scratch_folder

FORMATS = ("csv", "json", "xlsx", "sql")


class UnknownFormat(KasirBackupError):
    code = "unknown-format"
    template = "Unknown export format {format}."
    hint = "Choose csv, json, xlsx or sql."


@dataclass(slots=True)
class ExportRequest:
    format: str
    out: str | os.PathLike
    db: str | os.PathLike | None = None          # the live database, or …
    repo: Repository | None = None               # … a snapshot of this repository
    snapshot: Snapshot | None = None
    tables: list[str] | None = None              # None: every table
    xlsx_labels: dict[str, str] | None = None    # translations of the summary sheet
    xlsx_max_rows: int = MAX_SHEET_ROWS
    csv_workers: int | None = None               # None: export_csv.default_workers()
    raw_csv: bool = False                        # texts as they are, even =… (for programs, not spreadsheets)


@dataclass(slots=True)
class ExportResult:
    path: Path
    format: str
    tables: dict[str, int]
    bytes: int
    duration_s: float
    source: str
    snapshot_id: str | None
    skipped: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, list[str]] = field(default_factory=dict)    # xlsx
    files: dict[str, str] = field(default_factory=dict)           # csv

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> dict:
        out = {"path": str(self.path), "format": self.format, "tables": self.tables, "rows": self.rows,
               "bytes": self.bytes, "duration_s": round(self.duration_s, 3), "source": self.source,
               "snapshot": self.snapshot_id, "skipped": self.skipped}
        if self.sheets:
            out["sheets"] = self.sheets
        if self.files:
            out["files"] = self.files
        return out


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def export(req: ExportRequest, progress: Progress = no_progress, cancel: CancelToken | None = None) -> ExportResult:
    cancel = cancel or CancelToken()
    fmt = req.format.lower()
    if fmt not in FORMATS:
        raise UnknownFormat(format=req.format)
    t0 = time.monotonic()
    as_zip = fmt == "csv" and str(req.out).lower().endswith(".zip")
    out = Output(req.out, folder=fmt == "csv" and not as_zip)
    try:
        with static_image(req.db, req.repo, req.snapshot, progress, cancel) as (image, info):
            conn = open_image(image)
            try:
                sql_only = None
                if fmt == "sql" and req.tables is not None:
                    flags = table_flags(conn)
                    ok = {n for n, f in flags.items() if f[0] in ("table", "virtual") and not n.startswith("sqlite_")}
                    unknown = [n for n in req.tables if n not in ok]
                    if unknown:
                        raise UnknownExportTables(names=", ".join(unknown), available=", ".join(sorted(ok)))
                    sql_only = list(req.tables)
                meta = describe(conn, info.path, info.name, info.snapshot_id, info.snapshot_time,
                                None if fmt == "sql" else req.tables)
                result = ExportResult(out.dest, fmt, {t.name: t.rows for t in meta.tables}, 0, 0.0,
                                      info.path, info.snapshot_id, dict(meta.skipped))
                try:
                    _write(fmt, conn, image, meta, out, as_zip, req, sql_only, result, progress, cancel)
                except OSError as exc:
                    raise output_error(exc, out.dest) from exc
            finally:
                conn.close()
        path = out.commit()
    except BaseException:
        out.discard()
        raise
    result.bytes = _size(path)
    result.duration_s = time.monotonic() - t0
    return result


def _write(fmt: str, conn, image: Path, meta: ExportMeta, out: Output, as_zip: bool, req: ExportRequest,
           sql_only: list[str] | None, result: ExportResult, progress: Progress, cancel: CancelToken) -> None:
    if fmt == "csv":
        work = scratch_folder("csvparts")
        try:
            result.files = write_csv(conn, image, meta, out.tmp, as_zip, work, progress, cancel, req.csv_workers,
                                     guard=not req.raw_csv)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if fmt == "xlsx":
        work = scratch_folder("xlsx")
        try:
            with open(out.tmp, "wb") as fh:
                result.sheets = write_xlsx(conn, meta, fh, work, progress, cancel, req.xlsx_max_rows,
                                           req.xlsx_labels)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    with open(out.tmp, "wb") as fh:
        if fmt == "json":
            write_json(conn, meta, fh, progress, cancel)
        else:
            what = f"backup {meta.snapshot_id} of {meta.snapshot_time}" if meta.snapshot_id else "the live database"
            header = (f"KasirBackup SQL export of {meta.source_path} ({what}), made {meta.exported_at}.\n"
                      f"Load it into a new database with:  sqlite3 NEW.db < {out.dest.name}")
            names = write_sql(conn, fh, header, sql_only, meta.total_rows, progress, cancel)
            result.tables = {n: meta.all_tables.get(n) or 0 for n in names}
            result.skipped = {}
