"""Reading files to import: what every reader shares — the errors a bad file gives, the
limits that keep a hostile file from exhausting memory or time, the zip checks (XLSX is a
zip), and the common shape a reader hands to the import (``ImportFile`` / ``TableFeed``).

Every import file is untrusted input: sizes are bounded *before* parsing, every value is
checked, and any problem is a clear error raised before the database is touched.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import KasirBackupError
from ..exports.meta import ExportMeta


# -- errors -------------------------------------------------------------------------------------

class ImportFileMissing(KasirBackupError):
    code = "import-file-missing"
    template = "The file {path} does not exist."
    hint = "Check the path of the file to import."


class UnknownImportFile(KasirBackupError):
    code = "import-unknown-file"
    template = "{path} is not a file KasirBackup can import ({detail})."
    hint = "Import the .json, .xlsx or .csv files (or the folder or .zip of CSV files) made by 'kasirbackup export'."


class NotAnImportFormat(KasirBackupError):
    code = "import-not-a-format"
    template = "{path} is not a CSV, JSON or Excel file exported by KasirBackup ({detail})."
    hint = "Choose one of those files (.csv, .json or .xlsx, or the .zip of CSV files); nothing was changed."


class NotAnExport(KasirBackupError):
    code = "import-not-an-export"
    template = "The file {path} was not made by KasirBackup's export: {detail}."
    hint = "Import works with the JSON, XLSX and CSV files made by 'kasirbackup export'; nothing was changed."


class FileTruncated(KasirBackupError):
    code = "import-truncated"
    template = "The file {path} ends too early: it was cut off ({detail})."
    hint = "The copy or download was probably interrupted; export the data again. Nothing was changed."


class FileInvalid(KasirBackupError):
    code = "import-invalid"
    template = "The file {path} is damaged at {where}: {detail}."
    hint = "Export the data again; nothing was changed."


class FileShape(KasirBackupError):
    code = "import-shape"
    template = "The file {path} is not laid out like a KasirBackup export at {where}: {detail}."
    hint = "Nothing was changed. Export the data again, or fix the file."


class WorkbookChanged(KasirBackupError):
    code = "import-workbook-changed"
    template = "The workbook {path} does not match its export: {detail}."
    hint = ("Nothing was changed. Keep the sheets and header rows as they were exported (do not rename, "
            "add or remove sheets or columns); adding and editing rows is fine.")


class FileTooLarge(KasirBackupError):
    code = "import-too-large"
    template = "The file {path} is too large to import safely: {detail}."
    hint = ("Nothing was changed. The file may be damaged or made to do harm: export the data again. Very large "
            "values (over 16 MB each) come back by restoring a backup, not by an import.")


class CsvDelimiter(KasirBackupError):
    code = "import-csv-delimiter"
    template = "The CSV file {path} separates its values with {delimiter} instead of commas."
    hint = "Save it again as 'CSV UTF-8 (comma delimited)' (in Excel: File > Save As), or export it again."


class CsvEncoding(KasirBackupError):
    code = "import-csv-encoding"
    template = "The CSV file {path} is not UTF-8 text ({detail})."
    hint = "Save it again as 'CSV UTF-8 (comma delimited)' (in Excel: File > Save As), or export it again."


# -- limits -------------------------------------------------------------------------------------

@dataclass(slots=True)
class ImportLimits:
    """Bounds checked before and while parsing (a zip bomb or a file with a billion rows is
    refused early, without filling the memory or the disk)."""

    max_uncompressed: int = 4 << 30        # bytes inside a zip (XLSX, CSV zip), all members
    max_ratio: float = 200.0               # uncompressed / compressed of a zip member over 1 MiB
    max_members: int = 10_000
    max_rows: int = 50_000_000             # rows in the whole file
    max_value_chars: int = 16 << 20        # one JSON value, one CSV record, the XLSX metadata
                                           # (a value costs several times its size in memory)
    max_columns: int = 2_000


def check_zip(path: Path, zf: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Refuse zip bombs and oversized archives from the central directory alone."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise FileTooLarge(path=str(path), detail=f"it holds {len(infos)} files")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > (1 << 20) and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            times = info.file_size // max(info.compress_size, 1)
            raise FileTooLarge(path=str(path), detail=f"{info.filename} would expand {times} times")
        if info.flag_bits & 0x1:
            raise UnknownImportFile(path=str(path), detail="it is an encrypted zip file")
    if total > limits.max_uncompressed:
        raise FileTooLarge(path=str(path), detail=f"its contents would take {total / 1e9:.1f} GB")


# -- what a reader hands over -------------------------------------------------------------------

@dataclass(slots=True)
class TableFeed:
    """The rows of one table in the file; ``rows`` yields (position, values) and must be
    consumed before the next table is asked for."""

    name: str
    columns: list[str]
    rows: Iterator[tuple[int, list]]
    where: Callable[[int], str]              # position -> "row 17", "sheet produk, row 18", …


@dataclass
class ImportFile:
    path: Path
    format: str                              # json, xlsx, csv
    meta: ExportMeta | None
    feeds: Callable[[], Iterator[TableFeed]]
    notes: list[str] = field(default_factory=list)
    closer: Callable[[], None] | None = None

    def tables(self) -> Iterator[TableFeed]:
        return self.feeds()

    def close(self) -> None:
        if self.closer is not None:
            self.closer()
            self.closer = None


# -- values -------------------------------------------------------------------------------------

_SPECIAL_REAL = {"Infinity": float("inf"), "-Infinity": float("-inf")}


def decode_value(v: object) -> object:
    """A value as written by export_json.encode_value, back to what SQLite stores.
    Raises ValueError for anything an export never contains."""
    if v is None or type(v) in (int, float, str):
        return v
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, dict) and len(v) == 1:
        if "$blob" in v and isinstance(v["$blob"], str):
            try:
                return base64.b64decode(v["$blob"], validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("a BLOB that is not valid base64") from None
        if "$real" in v and v["$real"] in _SPECIAL_REAL:
            return _SPECIAL_REAL[v["$real"]]
    raise ValueError(f"a value of an unexpected kind ({type(v).__name__})")


_CSV_HEADER = re.compile(rb'"(?:[^"\r\n]|"")*"(?:,"(?:[^"\r\n]|"")*")*\r?\n')
_SQLITE_HEADER = b"SQLite format 3\x00"


def looks_like_csv_export(head: bytes) -> bool:
    """Whether a file starts like a CSV file of ``kasirbackup export``: a header row whose
    every column name is quoted (a UTF-8 BOM before it or not). Text from a text editor, a
    list or a report does not."""
    return _CSV_HEADER.match(head[3:] if head.startswith(b"\xef\xbb\xbf") else head) is not None


def _what_it_is(head: bytes, suffix: str) -> str:
    """For the refusal of a file that is none of the formats: what it seems to be instead."""
    if head.startswith(_SQLITE_HEADER):
        return "it is an SQLite database; a database comes back with restore, not import"
    if suffix == ".sql":
        return "it is an SQL export, which the sqlite3 program loads; it is not imported"
    if suffix in (".xls", ".ods"):
        return f"it is a {suffix} spreadsheet, not a workbook exported by KasirBackup"
    text = head.startswith((b"\xff\xfe", b"\xfe\xff"))           # UTF-16, as Notepad's "Unicode"
    if not text:
        try:
            head[:-4].decode("utf-8")            # (the last bytes may be half a character)
            text = b"\x00" not in head
        except UnicodeDecodeError:
            pass
    if not text:
        return "its content is not text"
    return "it is text that does not start like a CSV export"


def detect_format(path: Path) -> str:
    """json, xlsx, csv (one table), csvdir (folder of an export) or csvzip.

    The file name's ending is trusted only for .json, .xlsx and .csv; any other file (a .txt
    picked with "All files") must *be* one of the exported formats by its content — JSON, a
    workbook or CSV zip, or a CSV file with the quoted header row of an export — else it is
    refused (``NotAnImportFormat``) before anything is read as CSV."""
    if path.is_dir():
        return "csvdir"
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 << 10)
    except FileNotFoundError:
        raise ImportFileMissing(path=str(path)) from None
    except OSError as exc:
        raise UnknownImportFile(path=str(path), detail=exc.strerror or str(exc)) from exc
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            raise FileTruncated(path=str(path), detail="the zip archive is incomplete") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.lower().endswith(".csv") for n in names):
            return "csvzip"
        raise UnknownImportFile(path=str(path), detail="a zip file that holds neither a workbook nor CSV files")
    if not head:
        raise UnknownImportFile(path=str(path), detail="the file is empty")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == ".json" or stripped[:1] in (b"{", b"["):
        return "json"
    if suffix == ".csv" or looks_like_csv_export(head):
        return "csv"
    if suffix == ".xlsx":
        raise FileTruncated(path=str(path), detail="it does not start like a workbook")
    raise NotAnImportFormat(path=str(path), detail=_what_it_is(head, suffix))


def file_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def column_problem(expected: list[str], head: list) -> str:
    """What differs between the exported column names and a header row."""
    got = ["" if h is None else str(h) for h in head]
    missing = [c for c in expected if c not in got]
    extra = [c or "(no name)" for c in got if c not in expected]
    if missing and extra:
        return f"column(s) {', '.join(missing)} are missing and {', '.join(extra)} were added (renamed?)"
    if missing:
        return f"column(s) {', '.join(missing)} are missing"
    if extra:
        return f"column(s) {', '.join(extra)} were added"
    if len(got) != len(set(got)):
        return "a column appears twice"
    return "the columns are in another order than exported"
