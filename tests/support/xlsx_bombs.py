"""Hostile workbooks made from a real export: one XML part replaced by a streamed, huge
one that still compresses like real data (ratio well under the zip check's 200), so only
the bounds on the parts themselves can stop it. Nothing is held whole while writing."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from typing import Callable, Iterator

SHARED = '<Override PartName="/xl/sharedStrings.xml" ' \
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _blocks(seed: int = 7) -> list[str]:
    """64 blocks of 16 KiB: 200 random letters then a run; deflate cannot see one block from
    the next (32 KiB window), so the whole compresses about 60 times, like real data would not
    but well within what the zip check lets through."""
    rng = random.Random(seed)
    return ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=200)) + "A" * (16384 - 200) for _ in range(64)]


def filler(size: int) -> Iterator[str]:
    blocks = _blocks()
    for i in range(size // 16384):
        yield blocks[i % len(blocks)]


def rebuild(src: Path, dst: Path, replace: dict[str, Callable[[], Iterator[str]]],
            content_types_extra: str = "") -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        names = [i.filename for i in zin.infolist()]
        for info in zin.infolist():
            if info.filename in replace:
                continue
            data = zin.read(info)
            if info.filename == "[Content_Types].xml" and content_types_extra:
                data = data.replace(b"</Types>", content_types_extra.encode() + b"</Types>")
            zout.writestr(info.filename, data)
        for name, gen in replace.items():
            with zout.open(name, "w", force_zip64=True) as fh:
                for piece in gen():
                    fh.write(piece.encode())
        assert all(n in names or n in replace for n in replace)
    return dst


def first_table_sheet(src: Path) -> str:
    """The part of the first table's sheet (sheet1 is the export's summary)."""
    with zipfile.ZipFile(src) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    return sorted(sheets, key=lambda n: int(n.rsplit("sheet", 1)[1].split(".")[0]))[1]


def huge_cell(src: Path, dst: Path, size: int) -> Path:
    """One row whose only cell holds ``size`` characters."""
    def gen():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>'
        yield from filler(size)
        yield "</t></is></c></row></sheetData></worksheet>"
    return rebuild(src, dst, {first_table_sheet(src): gen})


def wide_row(src: Path, dst: Path, cells: int) -> Path:
    """One row with ``cells`` numeric cells."""
    def gen():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1">'
        rng = random.Random(3)
        for start in range(0, cells, 1000):
            yield "".join(f"<c><v>{rng.randrange(10**9)}</v></c>" for _ in range(min(1000, cells - start)))
        yield "</row></sheetData></worksheet>"
    return rebuild(src, dst, {first_table_sheet(src): gen})


def long_row(src: Path, dst: Path, size: int) -> Path:
    """One row of ``size`` bytes in cells of 16 KiB each (under every per-cell bound)."""
    def gen():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1">'
        for block in filler(size):
            yield f'<c t="inlineStr"><is><t>{block}</t></is></c>'
        yield "</row></sheetData></worksheet>"
    return rebuild(src, dst, {first_table_sheet(src): gen})


def huge_tag(src: Path, dst: Path, size: int) -> Path:
    """A start tag whose attribute value is ``size`` characters long."""
    def gen():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1" spans="'
        yield from filler(size)
        yield '"></row></sheetData></worksheet>'
    return rebuild(src, dst, {first_table_sheet(src): gen})


def many_shared_strings(src: Path, dst: Path, count: int) -> Path:
    """A shared-string table of ``count`` distinct short texts."""
    def gen():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{count}" uniqueCount="{count}">'
        rng = random.Random(5)
        for start in range(0, count, 1000):
            yield "".join(f"<si><t>{rng.randrange(10**12)}</t></si>" for _ in range(min(1000, count - start)))
        yield "</sst>"
    return rebuild(src, dst, {"xl/sharedStrings.xml": gen}, content_types_extra=SHARED)


def huge_styles(src: Path, dst: Path, size: int) -> Path:
    """A styles part of about ``size`` bytes of number formats."""
    def gen():
        yield f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><numFmts>'
        rng = random.Random(9)
        for i in range(size // 40_000):
            yield "".join(f'<numFmt numFmtId="{164 + i * 1000 + j}" formatCode="0.{rng.randrange(10**6)}"/>'
                          for j in range(1000))
        yield "</numFmts></styleSheet>"
    return rebuild(src, dst, {"xl/styles.xml": gen})
