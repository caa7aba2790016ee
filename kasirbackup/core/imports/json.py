"""Reading a JSON export as a stream: the outer structure is walked by hand and every row
is decoded on its own (``JSONDecoder.raw_decode``), so a file of millions of rows never
sits in memory as one object. Integers keep every digit (Python's own ints)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Iterator

from ..exports.meta import ExportMeta
from .files import (FileInvalid, FileShape, FileTooLarge, FileTruncated, ImportFile, ImportLimits,
                           NotAnExport, TableFeed, decode_value)

CHUNK = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")
_SPECIAL = frozenset((dict, list, bool))


class _Stream:
    def __init__(self, fh: io.TextIOBase, path: Path, limits: ImportLimits) -> None:
        self.fh, self.path, self.limits = fh, path, limits
        self.buf, self.pos, self.base, self.eof = "", 0, 0, False
        self.rows = 0
        self.dec = json.JSONDecoder()

    # -- buffer -----------------------------------------------------------------------------
    def _fill(self) -> bool:
        if self.eof:
            return False
        try:
            chunk = self.fh.read(CHUNK)
        except UnicodeDecodeError as exc:
            raise FileInvalid(path=str(self.path), where=f"byte {self.base + len(self.buf) + exc.start}",
                              detail="the text is not UTF-8") from None
        if not chunk:
            self.eof = True
            return False
        if self.pos:
            self.base += self.pos
            self.buf, self.pos = self.buf[self.pos:], 0
        self.buf += chunk
        if len(self.buf) > self.limits.max_value_chars + CHUNK:
            raise FileTooLarge(path=str(self.path), detail="a single value is larger than "
                                                           f"{self.limits.max_value_chars // (1 << 20)} MB")
        return True

    def where(self, pos: int | None = None) -> str:
        return f"character {self.base + (self.pos if pos is None else pos) + 1}"

    def truncated(self) -> FileTruncated:
        return FileTruncated(path=str(self.path), detail=f"the JSON stops after {self.base + len(self.buf)} characters")

    def shape(self, detail: str) -> FileShape:
        return FileShape(path=str(self.path), where=self.where(), detail=detail)

    # -- tokens -----------------------------------------------------------------------------
    def peek(self) -> str:
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, ch: str, what: str) -> None:
        c = self.peek()
        if c != ch:
            raise self.truncated() if c == "" else self.shape(f"expected {what}")
        self.pos += 1

    def value(self) -> object:
        if self.peek() == "":
            raise self.truncated()
        while True:
            try:
                v, end = self.dec.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise FileInvalid(path=str(self.path), where=self.where(self.pos),
                                  detail="values are nested far too deeply") from None
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.buf) - 64 or exc.msg.startswith("Unterminated string")
                if near_end and self._fill():
                    continue
                if near_end:
                    raise self.truncated() from None
                raise FileInvalid(path=str(self.path), where=self.where(exc.pos), detail=exc.msg) from None
            if end == len(self.buf) and not self.eof and self._fill():
                continue                      # a number may go on in the next chunk
            self.pos = end
            return v

    def key(self) -> str:
        k = self.value()
        if not isinstance(k, str):
            raise self.shape("expected a name in quotes")
        self.expect(":", "':'")
        return k

    def after_item(self, close: str) -> bool:
        """Past ',' (True: another item follows) or the closing bracket (False)."""
        c = self.peek()
        if c == ",":
            self.pos += 1
            return True
        if c == close:
            self.pos += 1
            return False
        raise self.truncated() if c == "" else self.shape(f"expected ',' or '{close}'")


def open_json(path: Path, limits: ImportLimits) -> ImportFile:
    fh = open(path, "r", encoding="utf-8-sig", newline="")
    s = _Stream(fh, path, limits)
    try:
        first = s.peek()
        if first == "[":
            raise NotAnExport(path=str(path), detail="it is a list of records, not an export with its metadata")
        s.expect("{", "'{' at the start of the file")
        meta = None
        while True:
            if s.peek() == "}":
                raise NotAnExport(path=str(path), detail="it has no 'metadata' and 'tables'")
            k = s.key()
            if k == "metadata":
                raw = s.value()
                try:
                    meta = ExportMeta.from_json(raw)
                except ValueError as exc:
                    raise NotAnExport(path=str(path), detail=str(exc)) from None
            elif k == "tables":
                break
            elif k == "format":
                if s.value() != "kasirbackup-export":
                    raise NotAnExport(path=str(path), detail="its 'format' is not kasirbackup-export")
            else:
                s.value()
            if not s.after_item("}"):
                raise NotAnExport(path=str(path), detail="it has no 'tables'")
        if meta is None:
            raise NotAnExport(path=str(path), detail="'metadata' must come before 'tables'")
    except BaseException:
        fh.close()
        raise
    return ImportFile(path, "json", meta, lambda: _tables(s, meta), closer=fh.close)


def _tables(s: _Stream, meta: ExportMeta) -> Iterator[TableFeed]:
    s.expect("[", "'[' after \"tables\"")
    if s.peek() == "]":
        s.pos += 1
        return
    seen: set[str] = set()
    while True:
        s.expect("{", "a table object")
        name = columns = None
        while True:
            k = s.key()
            if k == "name":
                name = s.value()
            elif k == "columns":
                columns = s.value()
            elif k == "rows":
                if not isinstance(name, str) or not isinstance(columns, list) \
                        or not all(isinstance(c, str) for c in columns):
                    raise s.shape("each table needs a 'name' and a list of 'columns' before its 'rows'")
                t = meta.table(name)
                if t is None:
                    raise s.shape(f"table {name} is not listed in the metadata")
                if columns != t.columns:
                    raise s.shape(f"the columns of table {name} differ from the metadata")
                if name in seen:
                    raise s.shape(f"table {name} appears twice")
                seen.add(name)
                yield TableFeed(name, columns, _rows(s, name, len(columns)), lambda i, n=name: f"table {n}, row {i}")
            else:
                s.value()
            if not s.after_item("}"):
                break
        if not s.after_item("]"):
            break
    while s.after_item("}"):          # keys after "tables"
        s.key()
        s.value()
    if s.peek() != "":
        raise s.shape("more data after the end of the export")


def _rows(s: _Stream, table: str, width: int) -> Iterator[tuple[int, list]]:
    s.expect("[", "'[' starting the rows")
    if s.peek() == "]":
        s.pos += 1
        return
    n = 0
    raw_decode = s.dec.raw_decode
    while True:
        n += 1
        s.rows += 1
        if s.rows > s.limits.max_rows:
            raise FileTooLarge(path=str(s.path), detail=f"it has more than {s.limits.max_rows} rows")
        # the fast path of value(): most rows decode straight from the buffer
        pos = _WS.match(s.buf, s.pos).end()
        try:
            row, end = raw_decode(s.buf, pos)
            if end == len(s.buf):
                raise ValueError
            s.pos = end
        except (ValueError, RecursionError):
            s.pos = pos
            row = s.value()
        if type(row) is not list or len(row) != width:
            raise FileShape(path=str(s.path), where=f"table {table}, row {n}",
                            detail=f"expected a list of {width} values")
        if not _SPECIAL.isdisjoint(map(type, row)):
            try:
                row = [decode_value(v) for v in row]
            except ValueError as exc:
                raise FileShape(path=str(s.path), where=f"table {table}, row {n}", detail=str(exc)) from None
        yield n, row
        if not s.after_item("]"):
            return
