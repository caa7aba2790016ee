"""Bounding an XLSX before openpyxl reads it. openpyxl holds a whole row, a whole text
and the whole shared-string table in memory, so a hostile workbook (a sheet that is 2 GB
of one row, a million shared strings, a styles part of 1 GB) could fill the memory of the
shop's PC. Every XML part of the archive is first streamed through expat in 1 MiB pieces —
never held whole — and refused when it exceeds what a real workbook needs:

- a worksheet: at most ``MAX_ROW_CELLS`` cells and ``MAX_ROW_BYTES`` bytes of XML in a row,
  and no stretch of ``MAX_ROW_BYTES`` without a tag (one huge text, tag or comment, which
  expat or openpyxl would hold whole);
- the shared strings: at most ``MAX_SHARED_STRINGS`` strings in at most ``MAX_SHARED_BYTES``;
- any other part (workbook, styles, relationships, properties): at most ``MAX_PART`` bytes;
- everywhere: no document type declaration (entities).

Only element starts reach Python (no text callbacks), so the scan costs a fraction of
openpyxl's own parse. The central directory's sizes bound what is read: Python's zipfile
never returns more than a member's recorded size.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.parsers import expat

from .files import FileTooLarge

CHUNK = 1 << 20
MAX_PART = 16 << 20              # workbook.xml, styles.xml, *.rels, docProps: real ones are < 1 MB
MAX_ROW_CELLS = 16_384           # Excel's column limit
MAX_ROW_BYTES = 32 << 20         # one row's XML; also the longest stretch without a tag
MAX_SHARED_STRINGS = 1_000_000   # openpyxl keeps each one in a list and in a dict
MAX_SHARED_BYTES = 64 << 20      # the whole shared-string table

_MB = 1 << 20


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


class _Refused(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _too_big(name: str, size: int, limit: int, kind: str = "that kind") -> _Refused:
    return _Refused(f"its part {name} is {size / _MB:.0f} MB (a workbook's part of {kind} is at most "
                    f"{limit // _MB} MB)")


class _Scan:
    """One streamed pass over one XML member; subclasses look at the element starts."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.parser = expat.ParserCreate()
        self.parser.ordered_attributes = True     # [name, value, ...]: cheaper than a dict
        self.mark = 0                            # byte index of the last element start
        self.parser.StartElementHandler = self.start
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def _doctype(self, *_args) -> None:
        raise _Refused(f"{self.label} declares XML entities")

    def start(self, name: str, attrs: list) -> None:
        pass

    def run(self, fh) -> None:
        fed = 0
        while True:
            chunk = fh.read(CHUNK)
            fed += len(chunk)
            self.parser.Parse(chunk, not chunk)
            if not chunk:
                return
            self.check(fed)

    def check(self, fed: int) -> None:
        pass


class _SheetScan(_Scan):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.rows = 0
        self.cells = 0
        self.row_start = 0

    def start(self, name: str, attrs) -> None:
        at = self.mark = self.parser.CurrentByteIndex
        if ":" in name:
            name = _local(name)
        if name == "c":
            self.cells += 1
            if self.cells > MAX_ROW_CELLS:
                raise _Refused(f"row {self.rows} of {self.label} has more than {MAX_ROW_CELLS} cells")
            if at - self.row_start > MAX_ROW_BYTES:
                self._row_too_big()
        elif name == "row":
            if self.rows and at - self.row_start > MAX_ROW_BYTES:
                self._row_too_big()
            self.rows += 1
            self.cells = 0
            self.row_start = at

    def _row_too_big(self) -> None:
        raise _Refused(f"row {self.rows} of {self.label} holds more than {MAX_ROW_BYTES // _MB} MB")

    def check(self, fed: int) -> None:
        if fed - self.mark > MAX_ROW_BYTES:
            where = f"row {self.rows} of {self.label}" if self.rows else self.label
            raise _Refused(f"{where} holds more than {MAX_ROW_BYTES // _MB} MB in one cell, tag or comment")


class _SharedStringsScan(_Scan):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.strings = 0

    def start(self, name: str, attrs: list) -> None:
        if _local(name) == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise _Refused(f"its shared-string table has more than {MAX_SHARED_STRINGS:,} texts")


class _WorkbookScan(_Scan):
    """The sheet names and their relationship ids, to name a sheet as the owner sees it."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.sheets: dict[str, str] = {}          # relationship id -> sheet name

    def start(self, name: str, attrs: list) -> None:
        if _local(name) == "sheet":
            pairs = dict(zip(attrs[::2], attrs[1::2]))
            rid = next((v for k, v in pairs.items() if _local(k) == "id"), None)
            if rid is not None and "name" in pairs:
                self.sheets[rid] = pairs["name"]


class _RelsScan(_Scan):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.targets: dict[str, str] = {}         # relationship id -> member name

    def start(self, name: str, attrs: list) -> None:
        pairs = dict(zip(attrs[::2], attrs[1::2]))
        if _local(name) == "Relationship" and "Id" in pairs and "Target" in pairs:
            target = pairs["Target"]
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            self.targets[pairs["Id"]] = member


def _is_xml(info: zipfile.ZipInfo) -> bool:
    return info.filename.endswith((".xml", ".rels")) and not info.is_dir()


def check_xlsx_parts(path: Path, zf: zipfile.ZipFile) -> None:
    """Stream every XML part of the workbook once and refuse what would make openpyxl hold
    more than a bounded amount of memory (FileTooLarge), or that declares entities."""
    infos = {i.filename: i for i in zf.infolist() if _is_xml(i)}
    sheets = [n for n in infos if n.startswith("xl/worksheets/") and n.count("/") == 2]
    names = _sheet_names(path, zf, infos)
    try:
        for name, info in infos.items():
            if name in sheets:
                scan: _Scan = _SheetScan(f"sheet {names.get(name, name)}")
            elif name == "xl/sharedStrings.xml":
                if info.file_size > MAX_SHARED_BYTES:
                    raise _too_big(name, info.file_size, MAX_SHARED_BYTES, "shared strings")
                scan = _SharedStringsScan(name)
            else:
                if info.file_size > MAX_PART:
                    raise _too_big(name, info.file_size, MAX_PART)
                scan = _Scan(name)
            _run(scan, zf, info)
    except _Refused as exc:
        raise FileTooLarge(path=str(path), detail=exc.detail) from None


def _run(scan: _Scan, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with zf.open(info) as fh:
            scan.run(fh)
    except expat.ExpatError:
        return                 # a damaged part is openpyxl's to report, with its own words


def _sheet_names(path: Path, zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Member name -> sheet name, from workbook.xml and its relationships (both bounded)."""
    book, rels = infos.get("xl/workbook.xml"), infos.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    try:
        for info in (book, rels):
            if info.file_size > MAX_PART:
                raise _too_big(info.filename, info.file_size, MAX_PART)
        wb_scan, rels_scan = _WorkbookScan(book.filename), _RelsScan(rels.filename)
        _run(wb_scan, zf, book)
        _run(rels_scan, zf, rels)
    except _Refused as exc:
        raise FileTooLarge(path=str(path), detail=exc.detail) from None
    return {rels_scan.targets[rid]: name for rid, name in wb_scan.sheets.items() if rid in rels_scan.targets}
