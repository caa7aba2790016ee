"""XLSX export: a summary sheet, one styled sheet per table, and a very hidden metadata sheet.

Written with openpyxl's write-only mode, so rows stream to disk and memory stays flat
whatever the table size. Each table sheet has a bold, frozen header row, an auto-filter
and column widths from the first rows; a table longer than Excel's 1,048,576 rows
continues on sheets named ``produk (2)``, ``produk (3)``… Sheet names are made valid for
Excel (at most 31 characters, none of ``\\ / ? * [ ] :``, unique ignoring case).

Cell values are prepared (``export_xlsx_cells``) *before* they are appended — openpyxl
gives up on a whole sheet when a value fails midway. The sheet ``_kasirbackup`` holds the
export metadata, each column's plan and the exact values of the few cells Excel cannot hold
exactly; the import uses it to give back every value unchanged. It is the last sheet and
*very hidden* (``state="veryHidden"``): Excel lists it nowhere (not even under Unhide), and
the accountant sees the summary and the tables only. A first row says in words what it is,
for a program that shows hidden sheets anyway.

Why a sheet and not a custom XML part or document properties: the workbook must survive being
opened and saved by a spreadsheet program (the import reads edited workbooks). LibreOffice drops
custom XML parts on saving and Excel cuts document properties at 255 characters; both keep a
very hidden sheet (LibreOffice saves it as merely hidden, which the import reads the same).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .json import encode_value
from .meta import ExportMeta, TableMeta, select_sql
from .xlsx_cells import ERROR_CODES, ILLEGAL, ColumnPlan, choose_date_pattern, encode, shown
from ..progress import CancelToken, Progress
from ..sqlitefile import quote

MAX_SHEET_ROWS = 1_048_576          # Excel's limit, the header row included
META_SHEET = "_kasirbackup"
SUMMARY_SHEET = "Summary"
CHUNK_CHARS = 32_000
SAMPLE_ROWS = 100
BATCH = 2000
_BAD_SHEET_CHARS = re.compile(r"[\\/?*\[\]:\x00-\x1f]")
_RESERVED_SHEETS = {"history"}

#: Texts of the summary sheet; a caller may pass translations (same keys).
SUMMARY_LABELS = {
    "title": "KasirBackup export",
    "exported_at": "Exported at",
    "database": "Database",
    "backup": "Backup",
    "live": "the database itself (a consistent copy taken at export time)",
    "backup_time": "Backup time",
    "table": "Table",
    "sheets": "Sheet",
    "rows": "Rows",
    "total": "Total",
    "not_exported": "Not exported",
    "meta_note": "KasirBackup keeps here what it needs to import this workbook back exactly. "
                 "Leave this sheet as it is.",
}


def _sheet_base(name: str) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'").strip() or "table"
    return base


def sheet_plan(meta: ExportMeta, max_rows: int = MAX_SHEET_ROWS) -> dict[str, list[str]]:
    """Sheet names of every table (more than one when it has more rows than a sheet holds)."""
    taken = {SUMMARY_SHEET.lower(), META_SHEET.lower(), *_RESERVED_SHEETS}
    per_sheet = max_rows - 1
    out = {}
    for t in meta.tables:
        parts = max(1, -(-t.rows // per_sheet))
        base = _sheet_base(t.name)
        names = []
        for k in range(1, parts + 1):
            suffix = "" if k == 1 else f" ({k})"
            n, candidate = 1, base[:31 - len(suffix)].rstrip() + suffix
            while candidate.lower() in taken:
                n += 1
                tag = f"~{n}{suffix}"
                candidate = base[:31 - len(tag)].rstrip() + tag
            taken.add(candidate.lower())
            names.append(candidate)
        out[t.name] = names
    return out


def column_plans(conn: sqlite3.Connection, t: TableMeta) -> list[ColumnPlan]:
    """Which storage classes each column holds (one pass over the table), and which texts
    are dates (from a sample)."""
    parts = []
    for c in t.columns:
        q = quote(c)
        parts += [f"count(CASE WHEN typeof({q}) = '{k}' THEN 1 END)" for k in ("integer", "real", "text", "blob")]
        parts += [f"count(CASE WHEN {q} IS NULL THEN 1 END)",
                  f"count(CASE WHEN typeof({q}) = 'text' AND {q} = '' THEN 1 END)"]
    row = conn.execute(f"SELECT {', '.join(parts)} FROM main.{quote(t.name)}").fetchone()
    plans = []
    for i, c in enumerate(t.columns):
        n_int, n_real, n_text, n_blob, n_null, n_empty = row[6 * i:6 * i + 6]
        kinds = {k for k, n in zip(("integer", "real", "text", "blob"), (n_int, n_real, n_text, n_blob)) if n}
        plan = ColumnPlan(kinds, "empty" if n_empty and not n_null else "null")
        if n_text > n_empty:
            q = quote(c)
            sample = [r[0] for r in conn.execute(
                f"SELECT {q} FROM main.{quote(t.name)} WHERE typeof({q}) = 'text' AND {q} <> '' LIMIT 200")]
            plan.date = choose_date_pattern(sample)
        plans.append(plan)
    return plans


def _chunks(ws, text: str) -> list[WriteOnlyCell]:
    """``text`` (ASCII JSON) in cells of at most CHUNK_CHARS, always stored as text."""
    cells = []
    for i in range(0, max(len(text), 1), CHUNK_CHARS):
        cell = WriteOnlyCell(ws)
        cell._value, cell.data_type = text[i:i + CHUNK_CHARS], "s"
        cells.append(cell)
    return cells


class _TableWriter:
    def __init__(self, wb: Workbook, t: TableMeta, plans: list[ColumnPlan], names: list[str],
                 max_rows: int, spill) -> None:
        self.wb, self.t, self.plans, self.names = wb, t, plans, names
        self.per_sheet = max_rows - 1
        self.spill = spill
        self.bold = Font(bold=True)
        self.formats = [p.number_format for p in plans]
        self.ws = None
        self.sheet_no = -1
        self.row_in_sheet = 0
        self.widths: list[float] = []
        self.key_idx = [t.columns.index(k) for k in t.key if k in t.columns]

    def _rows_on(self, k: int) -> int:
        return max(0, min(self.per_sheet, self.t.rows - k * self.per_sheet))

    def _new_sheet(self) -> None:
        self.sheet_no += 1
        name = self.names[min(self.sheet_no, len(self.names) - 1)]
        ws = self.wb.create_sheet(name)
        ws.freeze_panes = "A2"
        last = get_column_letter(len(self.t.columns))
        ws.auto_filter.ref = f"A1:{last}{self._rows_on(self.sheet_no) + 1}"
        for i, w in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.append([_text(ws, c, self.bold) for c in self.t.columns])
        self.ws, self.row_in_sheet = ws, 0

    def set_widths(self, sample: list[tuple]) -> None:
        widths = []
        for j, c in enumerate(self.t.columns):
            longest = len(c)
            for row in sample:
                v, _ = encode(row[j], self.plans[j])
                n = 19 if isinstance(v, datetime) else 0 if v is None else len(v if isinstance(v, str) else str(v))
                longest = max(longest, min(n, 80))
            widths.append(float(min(60, max(8, longest + 2))))
        self.widths = widths

    def write(self, rows: list[tuple]) -> None:
        plans, formats, spill = self.plans, self.formats, self.spill
        for row in rows:
            if self.ws is None or self.row_in_sheet >= self.per_sheet:
                self._new_sheet()
            ws = self.ws
            self.row_in_sheet += 1
            cells = []
            for j, v in enumerate(row):
                val, exact = encode(v, plans[j])
                if not exact:
                    # the exact value, the row's key (rows may be sorted in a spreadsheet) and
                    # what the cell shows (a cell changed since then wins over the override)
                    key = [encode_value(row[i]) for i in self.key_idx] if self.key_idx else None
                    spill.write(json.dumps(["cell", ws.title, self.row_in_sheet + 1, j + 1,
                                            {"v": encode_value(v), "k": key, "s": shown(val)}]) + "\n")
                if isinstance(val, str):
                    if (len(val) > 1 and val[0] == "=") or val in ERROR_CODES:
                        cell = WriteOnlyCell(ws)
                        cell._value, cell.data_type = val, "s"    # text, never a formula
                        val = cell
                elif isinstance(val, datetime):
                    cell = WriteOnlyCell(ws, value=val)
                    cell.number_format = formats[j]
                    val = cell
                cells.append(val)
            ws.append(cells)

    def finish(self) -> None:
        if self.ws is None:
            self._new_sheet()


def safe_text(name: str) -> str:
    """A text as a cell gives it back: no characters Excel refuses, XML's line ends."""
    return ILLEGAL.sub("", name).replace("\r\n", "\n").replace("\r", "\n")[:32_000]


def _text(ws, text: str, font: Font | None = None) -> WriteOnlyCell:
    """A text cell: never a formula or an error code, whatever the text starts with."""
    cell = WriteOnlyCell(ws)
    cell._value, cell.data_type = safe_text(str(text)), "s"
    if font is not None:
        cell.font = font
    return cell


def _summary(wb: Workbook, meta: ExportMeta, sheets: dict[str, list[str]], labels: dict[str, str]) -> None:
    ws = wb.create_sheet(SUMMARY_SHEET)
    bold = Font(bold=True)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 14
    ws.append([_text(ws, labels["title"], bold)])
    ws.append([_text(ws, labels["exported_at"]), _text(ws, meta.exported_at)])
    ws.append([_text(ws, labels["database"]), _text(ws, meta.source_path)])
    ws.append([_text(ws, labels["backup"]), _text(ws, meta.snapshot_id or labels["live"])])
    if meta.snapshot_time:
        ws.append([_text(ws, labels["backup_time"]), _text(ws, meta.snapshot_time)])
    ws.append([])
    ws.append([_text(ws, labels[k], bold) for k in ("table", "sheets", "rows")])
    for t in meta.tables:
        ws.append([_text(ws, t.name), _text(ws, ", ".join(sheets[t.name])), t.rows])
    ws.append([_text(ws, labels["total"], bold), None, meta.total_rows])
    if meta.skipped:
        ws.append([])
        for name, why in meta.skipped.items():
            ws.append([_text(ws, labels["not_exported"]), _text(ws, name), _text(ws, why)])


def write_xlsx(conn: sqlite3.Connection, meta: ExportMeta, out: BinaryIO | Path, workdir: Path,
               progress: Progress, cancel: CancelToken, max_rows: int = MAX_SHEET_ROWS,
               labels: dict[str, str] | None = None) -> dict[str, list[str]]:
    labels = {**SUMMARY_LABELS, **(labels or {})}
    wb = Workbook(write_only=True)
    sheets = sheet_plan(meta, max_rows)
    plans = {t.name: column_plans(conn, t) for t in meta.tables}
    _summary(wb, meta, sheets, labels)
    done, total = 0, meta.total_rows
    with open(workdir / "overrides.jsonl", "w+", encoding="ascii") as spill:
        for t in meta.tables:
            w = _TableWriter(wb, t, plans[t.name], sheets[t.name], max_rows, spill)
            cur = conn.execute(select_sql(t))
            first = cur.fetchmany(SAMPLE_ROWS)
            w.set_widths(first)
            batch = first
            while batch:
                w.write(batch)
                done += len(batch)
                progress("export", done, total)
                cancel.check()
                batch = cur.fetchmany(BATCH)
            w.finish()
        info = meta.to_json()
        info["xlsx"] = {"summary": SUMMARY_SHEET, "max_rows": max_rows, "sheets": sheets, "ooxml_escapes": True,
                        "plans": {n: [p.to_json() for p in ps] for n, ps in plans.items()}}
        ms = wb.create_sheet(META_SHEET)
        ms.sheet_state = "veryHidden"
        ms.append([_text(ms, labels["meta_note"])])      # read past by the import (not "meta" or "cell")
        ms.append(["meta", *_chunks(ms, json.dumps(info, ensure_ascii=True))])
        spill.seek(0)
        for line in spill:
            kind, sheet, row, col, value = json.loads(line)
            ms.append([kind, *_chunks(ms, sheet), row, col, *_chunks(ms, json.dumps(value, ensure_ascii=True))])
    wb.save(out)
    return sheets
