"""Reading an XLSX export back: the hidden ``_kasirbackup`` sheet gives the metadata, each
column's plan and the exact values of the cells Excel could not hold; the table sheets
must still have the sheets and header rows they were exported with (rows may be added,
changed or removed). The archive is checked before openpyxl parses anything."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Iterator

from .export_meta import ExportMeta
from .export_xlsx import MAX_SHEET_ROWS, META_SHEET, safe_text
from .export_xlsx_cells import ColumnPlan, decode
from .import_files import (FileInvalid, FileShape, FileTooLarge, ImportFile, ImportLimits, NotAnExport,
                           TableFeed, WorkbookChanged, check_xml_members, check_zip, column_problem,
                           decode_value)

SHEET_SPAN = 10_000_000          # position = sheet index * SHEET_SPAN + row


def open_xlsx(path: Path, limits: ImportLimits) -> ImportFile:
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(path, zf, limits)
            check_xml_members(path, zf)
    except zipfile.BadZipFile as exc:
        raise FileInvalid(path=str(path), where="the zip archive", detail=str(exc)) from None
    import openpyxl                      # imported late: only imports of workbooks need it
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:             # openpyxl raises many kinds for damaged files
        raise FileInvalid(path=str(path), where="the workbook", detail=f"{type(exc).__name__}: {exc}") from None
    try:
        if META_SHEET not in wb.sheetnames:
            raise NotAnExport(path=str(path), detail=f"the hidden sheet {META_SHEET} with its description is missing")
        meta, info, overrides = _read_meta(path, wb[META_SHEET], limits)
        sheets: dict[str, list[str]] = info["sheets"]
        plans = {t: [ColumnPlan.from_json(p) for p in ps] for t, ps in info["plans"].items()}
        _check_sheets(path, wb, meta, sheets, info.get("summary"))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        wb.close()
        if isinstance(exc, ValueError) and not isinstance(exc, json.JSONDecodeError):
            raise NotAnExport(path=str(path), detail=f"its description sheet is damaged ({exc})") from None
        raise NotAnExport(path=str(path), detail=f"its description sheet is damaged ({type(exc).__name__})") from None
    except BaseException:
        wb.close()
        raise
    return ImportFile(path, "xlsx", meta, lambda: _feeds(path, wb, meta, sheets, plans, overrides, limits),
                      closer=wb.close)


def _joined(cells: tuple, start: int) -> str:
    return "".join(c for c in cells[start:] if isinstance(c, str))


def _read_meta(path: Path, ws, limits: ImportLimits) -> tuple[ExportMeta, dict, dict]:
    info = None
    overrides: dict[tuple[str, int, int], object] = {}
    size = 0
    for cells in ws.iter_rows(values_only=True):
        if not cells or cells[0] is None:
            continue
        size += sum(len(c) for c in cells if isinstance(c, str))
        if size > limits.max_value_chars:
            raise FileTooLarge(path=str(path), detail="its description sheet is too large")
        if cells[0] == "meta" and info is None:
            info = json.loads(_joined(cells, 1))
        elif cells[0] == "cell" and len(cells) >= 5:
            sheet, row, col = cells[1], cells[2], cells[3]
            if not isinstance(sheet, str) or not isinstance(row, int) or not isinstance(col, int):
                raise ValueError("malformed cell override")
            overrides[(sheet, row, col)] = decode_value(json.loads(_joined(cells, 4)))
    if info is None:
        raise ValueError("no description")
    meta = ExportMeta.from_json(info)
    if "xlsx" not in info:
        raise ValueError("no sheet list")
    return meta, info["xlsx"], overrides


def _check_sheets(path: Path, wb, meta: ExportMeta, sheets: dict[str, list[str]], summary: str | None) -> None:
    expected = {s for t in meta.tables for s in sheets[t.name]}
    present = {n for n in wb.sheetnames if n not in (META_SHEET, summary)}
    missing = sorted(expected - present)
    extra = sorted(present - expected)
    problems = []
    if missing and extra:
        problems.append(f"sheet(s) {', '.join(missing)} are missing and {', '.join(extra)} were not exported "
                        "(renamed?)")
    elif missing:
        problems.append(f"sheet(s) {', '.join(missing)} are missing")
    elif extra:
        problems.append(f"sheet(s) {', '.join(extra)} were not part of the export")
    if problems:
        raise WorkbookChanged(path=str(path), detail="; ".join(problems))


def _feeds(path: Path, wb, meta: ExportMeta, sheets: dict[str, list[str]], plans: dict[str, list[ColumnPlan]],
           overrides: dict, limits: ImportLimits) -> Iterator[TableFeed]:
    total = 0
    for t in meta.tables:
        cols = t.columns
        tplans = plans.get(t.name)
        if tplans is None or len(tplans) != len(cols):
            raise NotAnExport(path=str(path), detail=f"its description of {t.name} is incomplete")
        headers = [safe_text(c) for c in cols]
        for name in sheets[t.name]:
            ws = wb[name]
            head = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            head = list(head)
            while head and head[-1] is None:
                head.pop()
            if len(head) > limits.max_columns:
                raise FileTooLarge(path=str(path), detail=f"sheet {name} has {len(head)} columns")
            if [("" if h is None else str(h)) for h in head] != headers:
                raise WorkbookChanged(path=str(path), detail=f"sheet {name}: " + column_problem(headers, head))

        def rows(t=t, tplans=tplans, cols=cols):
            nonlocal total
            n = 0
            for k, name in enumerate(sheets[t.name]):
                ws = wb[name]
                for r, cells in enumerate(ws.iter_rows(min_row=2, max_row=MAX_SHEET_ROWS, max_col=len(cols),
                                                       values_only=True), start=2):
                    if all(c is None for c in cells) and not any((name, r, j) in overrides
                                                                 for j in range(1, len(cols) + 1)):
                        continue
                    n += 1
                    total += 1
                    if total > limits.max_rows:
                        raise FileTooLarge(path=str(path), detail=f"it has more than {limits.max_rows} rows")
                    cells = list(cells) + [None] * (len(cols) - len(cells))
                    try:
                        values = [decode(c, p) for c, p in zip(cells, tplans)]
                    except (ValueError, OverflowError) as exc:
                        raise FileShape(path=str(path), where=f"sheet {name}, row {r}", detail=str(exc)) from None
                    if overrides:
                        for j in range(len(cols)):
                            key = (name, r, j + 1)
                            if key in overrides:
                                values[j] = overrides[key]
                    yield k * SHEET_SPAN + r, values

        yield TableFeed(t.name, cols, rows(),
                        lambda pos, names=sheets[t.name]: f"sheet {names[pos // SHEET_SPAN]}, row {pos % SHEET_SPAN}")
