"""Reading CSV back: one table per file, from a single ``.csv``, the folder of a CSV export
or its ``.zip``. The quoting says the storage class (see ``export_csv``): a quoted field is
TEXT, an empty unquoted one NULL, an unquoted number INTEGER or REAL, ``0x…`` a BLOB. A file
saved again by a spreadsheet program loses some quotes; unquoted values that are not
numbers are then read as text, and ``0812…`` (a leading zero) stays text.

``export-info.json``, when present (it always is in an export), names the table of each
file and the columns; a lone CSV file is matched to the table of its file name."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Iterator, TextIO

from ..exports.csv import INFO_NAME, unguard_text
from ..exports.meta import ExportMeta
from .files import (CsvDelimiter, CsvEncoding, FileShape, FileTooLarge, ImportFile, ImportLimits,
                           NotAnExport, TableFeed, UnknownImportFile, check_zip, column_problem)

_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,"\r\n]*)')
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_REAL = re.compile(r"-?(?:[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|inf)")
_BLOB = re.compile(r"0x(?:[0-9A-Fa-f]{2})*")


def cell(quoted: bool, text: str) -> object:
    if quoted:
        return text
    if text == "":
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _REAL.fullmatch(text):
        return float(text)
    if _BLOB.fullmatch(text):
        return bytes.fromhex(text[2:])
    return text


def split(record: str) -> list[tuple[bool, str]]:
    """Fields of one record (without its line end): (quoted, text)."""
    out = []
    pos, n = 0, len(record)
    while True:
        m = _FIELD.match(record, pos)
        if m.group(1) is not None:
            out.append((True, m.group(1).replace('""', '"')))
        else:
            out.append((False, m.group(2)))
        pos = m.end()
        if pos >= n:
            return out
        if record[pos] != ",":
            raise ValueError("a quote in the middle of a value")
        pos += 1


def _records(fh: TextIO, path: str, limits: ImportLimits) -> Iterator[tuple[int, str]]:
    """Complete records (a quoted value may span lines) with their first line number."""
    line_no = 0
    pending: list[str] = []
    start = 1
    size = 0
    quotes = 0
    try:
        while True:
            # never more than the bound in memory, even for a "line" of gigabytes without a newline
            line = fh.readline(limits.max_value_chars - size + 1)
            if not line:
                break
            line_no += 1
            if not pending:
                start = line_no
            pending.append(line)
            size += len(line)
            quotes += line.count('"')
            if size > limits.max_value_chars:
                raise FileTooLarge(path=path, detail=f"the record at line {start} is too long")
            if quotes % 2 == 0:
                rec = "".join(pending)
                pending, size, quotes = [], 0, 0
                yield start, rec.rstrip("\r\n") if rec.endswith("\n") else rec
    except UnicodeDecodeError as exc:
        raise CsvEncoding(path=path, detail=f"at line {line_no + 1}: byte 0x{exc.object[exc.start]:02X} is not "
                                            "UTF-8; it was probably saved as 'CSV' (Windows ANSI) by Excel") from None
    if pending:
        raise FileShape(path=path, where=f"line {start}", detail="a quoted value is never closed (truncated file?)")


def _text(raw: io.BufferedIOBase, path: str) -> TextIO:
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvEncoding(path=path, detail="it is UTF-16 ('Unicode text')")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


def _feed(fh: TextIO, path: str, table: str, expected: list[str] | None, limits: ImportLimits,
          counter: list[int], label: str, guarded: bool = False) -> TableFeed:
    """``guarded``: the export put an apostrophe before texts a spreadsheet would run, and
    before texts starting with one; each quoted text loses exactly one leading apostrophe."""
    records = _records(fh, path, limits)
    first = next(records, None)
    if first is None:
        raise FileShape(path=path, where=label, detail="the file is empty (not even a header row)")
    if "," not in first[1]:
        for sep, word in ((";", "semicolons (;)"), ("\t", "tabs"), ("|", "bars (|)")):
            if sep in first[1]:
                raise CsvDelimiter(path=path, delimiter=word)
    try:
        header = [unguard_text(t) if guarded and q else t for q, t in split(first[1])]
    except ValueError as exc:
        raise FileShape(path=path, where=f"{label}, line 1", detail=str(exc)) from None
    if len(header) > limits.max_columns:
        raise FileTooLarge(path=path, detail=f"it has {len(header)} columns")
    if expected is not None and header != expected:
        raise FileShape(path=path, where=f"{label}, header row", detail=column_problem(expected, header))
    width = len(header)

    def rows():
        for line, rec in records:
            if rec == "" and width > 1:
                continue                      # a blank line (e.g. at the end)
            try:
                fields = split(rec)
            except ValueError as exc:
                raise FileShape(path=path, where=f"{label}, line {line}", detail=str(exc)) from None
            if len(fields) != width:
                if len(fields) == 1 and width > 1 and any(s in rec for s in (";", "\t")):
                    raise CsvDelimiter(path=path, delimiter="semicolons (;)" if ";" in rec else "tabs")
                raise FileShape(path=path, where=f"{label}, line {line}",
                                detail=f"{len(fields)} values instead of {width}")
            counter[0] += 1
            if counter[0] > limits.max_rows:
                raise FileTooLarge(path=path, detail=f"it has more than {limits.max_rows} rows")
            if guarded:
                yield line, [cell(q, unguard_text(t) if q else t) for q, t in fields]
            else:
                yield line, [cell(q, t) for q, t in fields]

    return TableFeed(table, header, rows(), lambda line, lb=label: f"{lb}, line {line}")


def _meta(raw: bytes, path: str) -> tuple[ExportMeta, dict[str, str], bool]:
    try:
        info = json.loads(raw.decode("utf-8"))
        meta = ExportMeta.from_json(info)
        files = {str(k): str(v) for k, v in info["files"].items()}
        guard = info.get("text_guard")
        if guard not in (None, "apostrophe"):
            raise ValueError(f"unknown text_guard {guard!r}")
    except RecursionError:
        raise NotAnExport(path=path, detail=f"{INFO_NAME} is damaged (nested far too deeply)") from None
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise NotAnExport(path=path, detail=f"{INFO_NAME} is damaged ({exc})") from None
    return meta, files, guard == "apostrophe"


def open_csv(path: Path, kind: str, limits: ImportLimits) -> ImportFile:
    if kind == "csvzip":
        return _open_zip(path, limits)
    folder = path if kind == "csvdir" else path.parent
    info = folder / INFO_NAME
    meta, files, guarded = None, {}, False
    if info.is_file() and info.stat().st_size <= limits.max_value_chars:
        meta, files, guarded = _meta(info.read_bytes(), str(info))
    if kind == "csvdir":
        if meta is None:
            raise NotAnExport(path=str(path), detail=f"the folder has no {INFO_NAME}")
        jobs = [(t.name, folder / files[t.name], t.columns) for t in meta.tables if t.name in files]
    else:
        by_file = {v: k for k, v in files.items()}
        if meta is not None and path.name in by_file:
            t = meta.table(by_file[path.name])
            jobs = [(t.name, path, t.columns)]
        else:
            meta, guarded = None, False       # an unrelated export-info.json
            jobs = [(path.stem, path, None)]
    counter = [0]

    def feeds():
        for table, file, cols in jobs:
            try:
                raw = open(file, "rb")
            except FileNotFoundError:
                raise FileShape(path=str(path), where=file.name,
                                detail="the file listed in the export is missing") from None
            with raw:
                yield _feed(_text(raw, str(file)), str(file), table, cols, limits, counter, file.name, guarded)

    return ImportFile(path, "csv", meta, feeds)


def _open_zip(path: Path, limits: ImportLimits) -> ImportFile:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnknownImportFile(path=str(path), detail=str(exc)) from None
    try:
        check_zip(path, zf, limits)
        if INFO_NAME not in zf.namelist():
            raise NotAnExport(path=str(path), detail=f"the zip file has no {INFO_NAME}")
        meta, files, guarded = _meta(zf.read(INFO_NAME), str(path))
        missing = [f for f in files.values() if f not in zf.namelist()]
        if missing:
            raise FileShape(path=str(path), where="the zip file", detail=f"{', '.join(missing)} are missing")
    except BaseException:
        zf.close()
        raise
    counter = [0]

    def feeds():
        for t in meta.tables:
            with zf.open(files[t.name]) as raw:
                buffered = io.BufferedReader(raw)
                yield _feed(_text(buffered, str(path)), str(path), t.name, t.columns, limits, counter, files[t.name],
                            guarded)

    return ImportFile(path, "csv", meta, feeds, closer=zf.close)
