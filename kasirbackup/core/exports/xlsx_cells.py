"""How one SQLite value becomes one spreadsheet cell, and back.

A spreadsheet has fewer kinds of values than SQLite, so each column gets a *plan*, made
from the storage classes the column really holds, and recorded in the workbook's hidden
metadata sheet. The plan decides what an empty cell means (NULL, or an empty text) and
which texts are shown as dates. Cells that cannot say exactly what they hold (a number
with more digits than Excel keeps in a column that also holds texts, a text over Excel's
32,767 characters, a text with control characters Excel refuses, an infinity) are written
as close as Excel allows and their exact value is recorded as an *override* in the hidden
sheet, which the import applies. Every SQLite value therefore comes back exactly.

What the accountant sees: integers and money as numbers (up to 15 digits, Excel's
precision; longer ones, such as a NIK stored as an integer, as text so no digit is lost),
texts as text — a phone number 081234567890 or a code with leading zeros is never turned
into a number —, ISO date/time texts (``2025-02-08 10:30:00``) as real Excel dates, BLOBs
as ``base64:…``.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_CELL_CHARS = 32_767
BLOB_PREFIX = "base64:"
EXCEL_MAX = 9.99999999999999e307
EXCEL_TINY = 2.2250738585072014e-308
EXACT_INT = 10 ** 15                       # Excel keeps 15 significant digits
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BIG_INT = re.compile(r"-?[0-9]{16,}")
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")   # each underscore that starts one, overlaps too
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
EARLIEST_DATE = datetime(1900, 3, 1)       # Excel's calendar is wrong before this day

# (strftime pattern, Excel number format, quick shape check)
DATE_PATTERNS = [
    ("%Y-%m-%d %H:%M:%S", "yyyy-mm-dd hh:mm:ss", re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")),
    ("%Y-%m-%dT%H:%M:%S", "yyyy-mm-dd hh:mm:ss", re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")),
    ("%Y-%m-%d %H:%M", "yyyy-mm-dd hh:mm", re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")),
    ("%Y-%m-%d", "yyyy-mm-dd", re.compile(r"\d{4}-\d\d-\d\d")),
]
_EXCEL_FORMAT = {p: f for p, f, _ in DATE_PATTERNS}
_SHAPE = {p: r for p, _, r in DATE_PATTERNS}


@dataclass(slots=True)
class ColumnPlan:
    kinds: set[str] = field(default_factory=set)   # integer, real, text, blob
    blank: str = "null"                            # an empty cell is NULL, or "empty" text
    date: str | None = None                        # strftime pattern of texts shown as dates

    def to_json(self) -> dict:
        return {"kinds": sorted(self.kinds), "blank": self.blank, "date": self.date}

    @classmethod
    def from_json(cls, d: dict) -> "ColumnPlan":
        kinds = {str(k) for k in d.get("kinds") or []}
        date = d.get("date")
        if not kinds <= {"integer", "real", "text", "blob"} or d.get("blank", "null") not in ("null", "empty") \
                or (date is not None and date not in _EXCEL_FORMAT):
            raise ValueError("malformed column plan")
        return cls(kinds, d.get("blank", "null"), date)

    @property
    def number_format(self) -> str | None:
        return _EXCEL_FORMAT.get(self.date) if self.date else None


def choose_date_pattern(sample: list[str]) -> str | None:
    """The date pattern that (nearly) all sampled texts of a column follow exactly."""
    if not sample:
        return None
    for pattern, _, shape in DATE_PATTERNS:
        hits = sum(1 for s in sample if shape.fullmatch(s) and as_date(s, pattern) is not None)
        if hits >= 0.8 * len(sample):
            return pattern
    return None


def as_date(text: str, pattern: str) -> datetime | None:
    """The datetime of ``text`` if formatting it back with ``pattern`` gives ``text`` exactly
    (the shape check fixes every digit's place, so a valid date is an exact one)."""
    if not _SHAPE[pattern].fullmatch(text):
        return None
    try:
        dt = datetime(int(text[0:4]), int(text[5:7]), int(text[8:10]),
                      *((int(text[11:13]), int(text[14:16])) if len(text) > 10 else ()),
                      *((int(text[17:19]),) if len(text) > 16 else ()))
    except ValueError:
        return None
    return None if dt < EARLIEST_DATE else dt


def encode(v: object, plan: ColumnPlan) -> tuple[object, bool]:
    """(cell value, exact): ``exact`` is False when the cell alone cannot give ``v`` back
    and an override must be recorded. The cell value is None, int, float, str or datetime."""
    if v is None:
        return None, plan.blank == "null"
    if isinstance(v, int):
        if -EXACT_INT < v < EXACT_INT:
            return v, True
        return str(v), True           # texts of such digits in the column get overrides
    if isinstance(v, float):
        if not math.isfinite(v) or abs(v) > EXCEL_MAX or (v != 0 and abs(v) < EXCEL_TINY):
            return repr(v), False
        exact = float("%.16g" % v) == v and not (v.is_integer() and "integer" in plan.kinds)
        return v, exact
    if isinstance(v, bytes):
        text = BLOB_PREFIX + base64.b64encode(v).decode("ascii")
        if len(text) <= MAX_CELL_CHARS:
            return text, True
        return f"[BLOB, {len(v)} bytes]", False
    s = str(v)
    if s == "":
        return None, plan.blank == "empty"
    if plan.date:
        dt = as_date(s, plan.date)
        if dt is not None:
            return dt, True
    clean = ILLEGAL.sub("", s) if ILLEGAL.search(s) else s
    cell = ooxml_escape(clean)
    if len(cell) > MAX_CELL_CHARS:
        # a cell holds at most MAX_CELL_CHARS as written (escapes included): cut the text
        # so that its escaped form fits, and mark the cut
        cut = MAX_CELL_CHARS - 1
        while len(cell := ooxml_escape(clean[:cut])) > MAX_CELL_CHARS - 1:
            cut -= max(1, (len(cell) - (MAX_CELL_CHARS - 1)) // 6)
        clean = clean[:cut] + "…"
        cell += "…"
    exact = clean is s or clean == s
    if exact and "integer" in plan.kinds and BIG_INT.fullmatch(s):
        exact = False
    if exact and "blob" in plan.kinds and s.startswith(BLOB_PREFIX):
        exact = False
    return cell, exact


def ooxml_escape(text: str) -> str:
    """The text as a cell's XML must hold it for Excel to show it exactly: XML turns a CR
    into LF when read, so CR is written as OOXML's ``_x000D_``; a text that itself looks
    like such an escape gets its underscore escaped (``_x005F_``), as Excel does."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub("_x005F_", text)
    if "\r" in text:
        text = text.replace("\r", "_x000D_")
    return text


def ooxml_unescape(text: str) -> str:
    """What Excel shows for a cell's text: every ``_xHHHH_`` is the character HHHH."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _digest(text: str) -> str:
    return hashlib.sha1(text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8", "surrogatepass")).hexdigest()


def shown(cell: object) -> object:
    """What reading ``cell`` back will give, recorded with an override so that the import
    can tell whether someone changed the cell since (then the cell wins)."""
    if isinstance(cell, str):
        return None if cell == "" else {"h": _digest(cell)}
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float("%.16g" % cell)
    return None


def untouched(cell: object, seen: object) -> bool:
    if seen is None:
        return cell is None or cell == ""
    if isinstance(seen, dict):
        return isinstance(cell, str) and _digest(cell) == seen.get("h")
    return isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell) == seen


def decode(cell: object, plan: ColumnPlan, escaped: bool = False) -> object:
    """The SQLite value of a cell read back (openpyxl, read-only, values only); ``escaped``:
    the workbook writes texts with OOXML escapes (``_x000D_``), which openpyxl leaves as they are."""
    if cell is None:
        return None if plan.blank == "null" else ""
    if isinstance(cell, bool):
        return int(cell)
    if isinstance(cell, int):
        if "integer" in plan.kinds or not plan.kinds:
            return cell
        if "real" in plan.kinds:
            return float(cell)
        return str(cell)
    if isinstance(cell, float):
        if "real" in plan.kinds:
            return cell
        if cell.is_integer() and ("integer" in plan.kinds or "text" in plan.kinds):
            return int(cell) if "integer" in plan.kinds else str(int(cell))
        return cell
    if isinstance(cell, datetime):
        # Excel stores days as a binary fraction: round to the second the text had
        cell = (cell + timedelta(microseconds=500_000)).replace(microsecond=0)
        return cell.strftime(plan.date) if plan.date else cell.isoformat(" ")
    s = ooxml_unescape(str(cell)) if escaped else str(cell)
    if "integer" in plan.kinds and BIG_INT.fullmatch(s):
        return int(s)
    if "blob" in plan.kinds and s.startswith(BLOB_PREFIX):
        try:
            return base64.b64decode(s[len(BLOB_PREFIX):], validate=True)
        except ValueError:
            return s
    return s
