"""CSV export: one file per table (in a folder or a zip) plus ``export-info.json``.

Every file is UTF-8 with a byte-order mark (so Excel shows Indonesian and other non-ASCII
text correctly), CRLF line ends and RFC 4180 quoting, with a header row. The quoting
carries the storage class, the way ``sqlite3 -csv`` does it for NULL:

* TEXT is always quoted: ``"0812345678"``, ``""`` (an empty text);
* NULL is an empty unquoted field;
* INTEGER and REAL are unquoted numbers (a REAL always shows a fraction or exponent:
  ``1.0``; integers keep every digit);
* BLOB is unquoted ``0x`` + hexadecimal digits.

*Safe to open in a spreadsheet* (the default): a text — a value or a column name — that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken by Excel or
LibreOffice as a formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``), so it is written with
a leading apostrophe, as OWASP recommends: ``"'=SUM(A1)"``. A text that starts with an
apostrophe gets one more, so the rule can be undone exactly: ``export-info.json`` says
``"text_guard": "apostrophe"`` and the import removes one leading apostrophe from every
text. ``--raw-csv`` (for programs, not people) writes texts as they are and no guard.

Large tables are written by several worker processes in parallel (ranges of rowids), and
the parts are joined in order: Python spends most of an export turning SQLite values into
objects, so one process cannot keep up with ``sqlite3 -csv``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import BinaryIO

from .meta import ROWID_NAMES, ExportMeta, TableMeta, file_stem
from ..progress import CancelToken, Progress
from ..sqlitefile import quote

INFO_NAME = "export-info.json"
BOM = b"\xef\xbb\xbf"
BATCH = 5000
#: first characters a spreadsheet reads as the start of a formula, plus the apostrophe itself
GUARDED_FIRST = ("=", "+", "-", "@", "\t", "\r", "'")
_GUARD_SQL = "'=', '+', '-', '@', '''', char(9), char(13)"
PARALLEL_MIN_ROWS = 300_000


def guard_text(text: str) -> str:
    """``text`` as a spreadsheet must never run it (see the module's description)."""
    return "'" + text if text.startswith(GUARDED_FIRST) else text


def unguard_text(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _guarded(q: str) -> str:
    """SQL: the column ``q`` with a text guarded like ``guard_text``."""
    return f"CASE WHEN typeof({q}) = 'text' AND substr({q}, 1, 1) IN ({_GUARD_SQL}) THEN '''' || {q} ELSE {q} END"


def _guarded_text(q: str) -> str:
    """SQL: the value of ``q``, known to be a text, guarded like ``guard_text``."""
    return f"iif(substr({q}, 1, 1) IN ({_GUARD_SQL}), '''' || {q}, {q})"


def table_files(meta: ExportMeta) -> dict[str, str]:
    taken = {Path(INFO_NAME).stem.lower()}
    return {t.name: file_stem(t.name, taken) + ".csv" for t in meta.tables}


class _Writer:
    """Writes the rows of one table.

    Fast way: SQLite formats each whole line itself (``printf`` with ``%w`` quoting), so
    Python handles one string per row. Values SQLite cannot format exactly enough — REALs
    (Python's ``repr`` is the shortest exact form) and texts containing NUL (``printf``
    would cut them) — come out as an escape mark, and a block of rows holding one is
    written again the exact way: the csv module (C speed) over the row values, NULLs and
    BLOBs coming out of SQLite as marked text that is replaced in each block of output.
    A table where most blocks need the exact way continues in it; WITHOUT ROWID tables
    always use it."""

    def __init__(self, t: TableMeta, conn: sqlite3.Connection, fast: bool = True, guard: bool = True) -> None:
        self.guard = guard
        tok = secrets.token_hex(8)
        self.null_mark = f"\x01N{tok}"
        self.blob_mark = f"\x01B{tok}"
        self.esc = f"\x01E{tok}"
        self.null_q = f'"{self.null_mark}"'
        self.blob_re = re.compile(re.escape(f'"{self.blob_mark}') + r'([0-9A-F]*)"')
        info = conn.execute(f"PRAGMA main.table_xinfo({quote(t.name)})").fetchall()
        pk = [r for r in info if r[5]]
        never_null = t.without_rowid or (len(pk) == 1 and (pk[0][2] or "").upper() == "INTEGER")
        notnull = {r[1] for r in info if r[3] or (r[5] and never_null)}
        names = {r[1].lower() for r in info}
        self.rowid = None if t.without_rowid else next((n for n in ROWID_NAMES if n not in names), None)
        exact, lines = [], []
        for c, typ in zip(t.columns, t.types):
            q = quote(c)
            may_be_text = c != t.rowid and not (t.strict and typ.upper() in ("INT", "INTEGER", "REAL", "BLOB"))
            value = _guarded(q) if guard and may_be_text else q
            text = _guarded_text(q) if guard else q
            no_blob = c == t.rowid or (t.strict and typ.upper() in ("INT", "INTEGER", "REAL", "TEXT"))
            plain = value if c in notnull or c == t.rowid else f"coalesce({value}, '{self.null_mark}')"
            exact.append(plain if no_blob else f"CASE WHEN typeof({q}) = 'blob' THEN '{self.blob_mark}' || hex({q}) "
                                               f"ELSE {plain} END")
            lines.append(f"CASE typeof({q}) WHEN 'integer' THEN {q} WHEN 'text' THEN iif(instr({q}, char(0)), "
                         f"'{self.esc}', printf('\"%w\"', {text})) WHEN 'null' THEN '' WHEN 'blob' THEN '0x' || hex({q}) "
                         f"ELSE '{self.esc}' END")
        self.table = f"main.{quote(t.name)}"
        self.sql = f"SELECT {', '.join(exact)} FROM {self.table}"
        self.line_sql = None
        if fast and self.rowid is not None:
            fmt = ",".join(["%s"] * len(lines)) + "\r\n"
            self.line_sql = f"SELECT printf('{fmt}', {', '.join(lines)}), {self.rowid} FROM {self.table}"
        self.buf = io.StringIO()
        self.csv = csv.writer(self.buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")

    def header(self, t: TableMeta) -> bytes:
        self.csv.writerow([guard_text(c) for c in t.columns] if self.guard else t.columns)
        return BOM + self._take()

    def _take(self) -> bytes:
        s = self.buf.getvalue()
        self.buf.seek(0)
        self.buf.truncate()
        if self.null_mark in s:
            s = s.replace(self.null_q, "")
        if self.blob_mark in s:
            s = self.blob_re.sub(r"0x\1", s)
        return s.encode("utf-8")

    def _exact(self, conn: sqlite3.Connection, fh: BinaryIO, where: str, params: tuple, on_batch) -> None:
        cur = conn.execute(self.sql + where, params)
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                return
            self.csv.writerows(rows)
            fh.write(self._take())
            if on_batch is not None:
                on_batch(len(rows))

    def rows(self, conn: sqlite3.Connection, fh: BinaryIO, lo: int | None = None, hi: int | None = None,
             on_batch=None) -> None:
        """Write the rows whose rowid is in [lo, hi) (all rows without bounds)."""
        where, params = _where(self.rowid, lo, hi)
        if self.line_sql is None:
            return self._exact(conn, fh, where, params, on_batch)
        cur = conn.execute(self.line_sql + where, params)
        exact_blocks = 0
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                return
            text = "".join([r[0] for r in rows])
            if self.esc not in text:
                fh.write(text.encode("utf-8"))
                exact_blocks = 0
            else:
                first, last = rows[0][1], rows[-1][1]
                r = self.rowid
                self._exact(conn, fh, f" WHERE {r} >= ? AND {r} <= ?", (first, last), None)
                exact_blocks += 1
                if exact_blocks >= 3:             # the table is full of them: go on the exact way
                    if on_batch is not None:
                        on_batch(len(rows))
                    rest = f" WHERE {r} > ?" + ("" if hi is None else f" AND {r} < ?")
                    return self._exact(conn, fh, rest, (last,) if hi is None else (last, hi), on_batch)
            if on_batch is not None:
                on_batch(len(rows))


def default_workers() -> int:
    """Worker processes for large tables: none in a frozen application (its executable is
    not a Python interpreter), else up to 4, or KASIRBACKUP_EXPORT_WORKERS."""
    env = os.environ.get("KASIRBACKUP_EXPORT_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    if getattr(sys, "frozen", False):
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _ranges(conn: sqlite3.Connection, t: TableMeta, parts: int, rowid: str) -> list[tuple[int | None, int | None]]:
    """Split a rowid table into ``parts`` ranges of about equal row counts."""
    q = quote(t.name)
    bounds = []
    for i in range(1, parts):
        row = conn.execute(f"SELECT {rowid} FROM main.{q} ORDER BY {rowid} LIMIT 1 OFFSET ?",
                           (t.rows * i // parts,)).fetchone()
        if row is not None and (not bounds or row[0] > bounds[-1]):
            bounds.append(row[0])
    edges = [None, *bounds, None]
    return list(zip(edges[:-1], edges[1:]))


def _where(rowid: str | None, lo: int | None, hi: int | None) -> tuple[str, tuple]:
    conds, params = [], []
    if lo is not None:
        conds.append(f"{rowid} >= ?")
        params.append(lo)
    if hi is not None:
        conds.append(f"{rowid} < ?")
        params.append(hi)
    return (" WHERE " + " AND ".join(conds) if conds else ""), tuple(params)


def _write_table(conn: sqlite3.Connection, image: Path, t: TableMeta, fh: BinaryIO, workdir: Path,
                 workers: int, tick, cancel: CancelToken, guard: bool = True) -> None:
    w = _Writer(t, conn, guard=guard)
    fh.write(w.header(t))
    if workers <= 1 or t.rows < PARALLEL_MIN_ROWS or w.rowid is None:
        w.rows(conn, fh, on_batch=lambda n: (tick(n), cancel.check()))
        return
    ranges = _ranges(conn, t, workers, w.rowid)
    procs: list[tuple[subprocess.Popen, Path]] = []
    try:
        for i, (lo, hi) in enumerate(ranges[1:], start=1):
            part = workdir / f"part-{i}.csv"
            job = json.dumps({"image": str(image), "table": t.to_json(), "lo": lo, "hi": hi, "out": str(part),
                              "guard": guard})
            p = subprocess.Popen([sys.executable, "-c", "from kasirbackup.core.exports.csv import worker_main; "
                                  "worker_main()"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
            p.stdin.write(job.encode("utf-8"))
            p.stdin.close()
            procs.append((p, part))
        w.rows(conn, fh, *ranges[0], on_batch=lambda n: (tick(n), cancel.check()))
        for p, part in procs:
            while p.poll() is None:
                cancel.check()
                time.sleep(0.02)
            err = p.stderr.read().decode("utf-8", "replace")
            p.stderr.close()
            if p.returncode != 0:
                last = err.strip().splitlines()[-1] if err.strip() else f"exit status {p.returncode}"
                raise OSError(f"an export worker failed: {last}")
            _append(part, fh)
            part.unlink()
            tick(t.rows // len(ranges))
    finally:
        for p, part in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            if p.stderr and not p.stderr.closed:
                p.stderr.close()
            try:
                part.unlink()
            except OSError:
                pass


def _append(part: Path, fh: BinaryIO) -> None:
    """Append a part file to the output (in the kernel when the output is a plain file)."""
    with open(part, "rb") as src:
        try:
            out_fd = fh.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            out_fd = None
        if out_fd is not None and hasattr(os, "sendfile"):
            fh.flush()
            size, offset = os.fstat(src.fileno()).st_size, 0
            try:
                while offset < size:
                    sent = os.sendfile(out_fd, src.fileno(), offset, size - offset)
                    if sent == 0:
                        break
                    offset += sent
                if offset == size:
                    return
            except OSError:
                pass
            os.lseek(out_fd, 0, os.SEEK_END)
            src.seek(offset)
        shutil.copyfileobj(src, fh, 1024 * 1024)


def worker_main() -> None:
    """Entry of a worker process: write one rowid range of one table (no header)."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    t = TableMeta.from_json(job["table"])
    conn = sqlite3.connect(Path(job["image"]).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    with open(job["out"], "wb") as fh:
        _Writer(t, conn, guard=job.get("guard", True)).rows(conn, fh, job["lo"], job["hi"])
    conn.close()


def write_csv(conn: sqlite3.Connection, image: Path, meta: ExportMeta, dest: Path, as_zip: bool,
              workdir: Path, progress: Progress, cancel: CancelToken, workers: int | None = None,
              guard: bool = True) -> dict[str, str]:
    """Write the tables of ``meta`` into the folder ``dest`` or the zip file ``dest``; ``guard``:
    safe to open in a spreadsheet (see the module's description)."""
    workers = default_workers() if workers is None else workers
    files = table_files(meta)
    info = meta.to_json()
    info["files"] = files
    if guard:
        info["text_guard"] = "apostrophe"
    info_bytes = json.dumps(info, ensure_ascii=False, indent=1).encode("utf-8")
    done = [0]
    total = meta.total_rows

    def tick(n: int) -> None:
        done[0] += n
        progress("export", min(done[0], total), total)

    if as_zip:
        with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr(INFO_NAME, info_bytes)
            for t in meta.tables:
                with zf.open(files[t.name], "w", force_zip64=True) as fh:
                    _write_table(conn, image, t, fh, workdir, workers, tick, cancel, guard)
                done[0] = sum(x.rows for x in meta.tables[:meta.tables.index(t) + 1])
    else:
        (dest / INFO_NAME).write_bytes(info_bytes)
        for t in meta.tables:
            with open(dest / files[t.name], "wb") as fh:
                _write_table(conn, image, t, fh, workdir, workers, tick, cancel, guard)
            done[0] = sum(x.rows for x in meta.tables[:meta.tables.index(t) + 1])
    progress("export", total, total)
    return files
