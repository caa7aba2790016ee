"""Reading an XLSX export back: the ``_kasirbackup`` sheet gives the metadata, each column's
plan and the exact values of the cells Excel could not hold (very hidden in new exports, merely
hidden in older ones and after LibreOffice saved the file; its state is not looked at, and rows
that are neither ``meta`` nor ``cell``, such as its note, are read past); the table sheets
must still have the sheets and header rows they were exported with (rows may be added,
changed or removed). The archive and every XML part are checked (``xlsx_bounds``) before
openpyxl parses anything."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Iterator

from ..exports.meta import ExportMeta
from ..exports.xlsx import MAX_SHEET_ROWS, META_SHEET, safe_text
from ..exports.json import encode_value
from ..exports.xlsx_cells import ColumnPlan, decode, untouched
from .xlsx_bounds import check_xlsx_parts
from .files import (FileInvalid, FileShape, FileTooLarge, ImportFile, ImportLimits, NotAnExport,
                           TableFeed, WorkbookChanged, check_zip, column_problem,
                           decode_value)

SHEET_SPAN = 10_000_000          # position = sheet index * SHEET_SPAN + row


def open_xlsx(path: Path, limits: ImportLimits) -> ImportFile:
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(path, zf, limits)
            check_xlsx_parts(path, zf)
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
    except RecursionError:
        wb.close()
        raise NotAnExport(path=str(path), detail="its description sheet is damaged (nested far too deeply)") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        wb.close()
        if isinstance(exc, ValueError) and not isinstance(exc, json.JSONDecodeError):
            raise NotAnExport(path=str(path), detail=f"its description sheet is damaged ({exc})") from None
        raise NotAnExport(path=str(path), detail=f"its description sheet is damaged ({type(exc).__name__})") from None
    except BaseException:
        wb.close()
        raise
    escaped = info.get("ooxml_escapes") is True
    return ImportFile(path, "xlsx", meta, lambda: _feeds(path, wb, meta, sheets, plans, overrides, limits, escaped),
                      closer=wb.close)


def _joined(cells: tuple, start: int) -> str:
    return "".join(c for c in cells[start:] if isinstance(c, str))


class _Override:
    __slots__ = ("value", "key", "seen")

    def __init__(self, payload: object) -> None:
        if not isinstance(payload, dict) or "v" not in payload:
            raise ValueError("malformed cell override")
        self.value = decode_value(payload["v"])
        key = payload.get("k")
        self.key = None if key is None else json.dumps(key)
        self.seen = payload.get("s")
        if not (self.seen is None or isinstance(self.seen, (int, float, dict))) or \
                (key is not None and not isinstance(key, list)):
            raise ValueError("malformed cell override")


def _read_meta(path: Path, ws, limits: ImportLimits) -> tuple[ExportMeta, dict, dict]:
    info = None
    overrides: dict[tuple[str, int, int], _Override] = {}
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
            overrides[(sheet, row, col)] = _Override(json.loads(_joined(cells, 4)))
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
           overrides: dict, limits: ImportLimits, escaped: bool) -> Iterator[TableFeed]:
    total = 0
    owner = {s: t for t, names in sheets.items() for s in names}
    by_key = {(owner.get(s), ov.key, c): ov for (s, _, c), ov in overrides.items() if ov.key is not None}
    with_overrides = {owner.get(s) for (s, _, _) in overrides}
    for t in meta.tables:
        cols = t.columns
        key_idx = [cols.index(k) for k in t.key if k in cols]
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

        def rows(t=t, tplans=tplans, cols=cols, key_idx=key_idx):
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
                        values = [decode(c, p, escaped) for c, p in zip(cells, tplans)]
                    except (ValueError, OverflowError) as exc:
                        raise FileShape(path=str(path), where=f"sheet {name}, row {r}", detail=str(exc)) from None
                    if t.name in with_overrides:
                        # by the row's key first (rows may have been sorted), else by place;
                        # a cell someone changed since the export keeps its new value
                        rk = json.dumps([encode_value(values[i]) for i in key_idx]) if key_idx else None
                        for j in range(len(cols)):
                            ov = by_key.get((t.name, rk, j + 1)) if rk is not None else None
                            if ov is None:
                                ov = overrides.get((name, r, j + 1))
                            if ov is not None and untouched(cells[j], ov.seen):
                                values[j] = ov.value
                    yield k * SHEET_SPAN + r, values

        yield TableFeed(t.name, cols, rows(),
                        lambda pos, names=sheets[t.name]: f"sheet {names[pos // SHEET_SPAN]}, row {pos % SHEET_SPAN}")
