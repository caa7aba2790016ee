"""CSV export: one file per table (in a folder or a zip) plus ``export-info.json``.

Every file is UTF-8 with a byte-order mark (so Excel shows Indonesian and other non-ASCII
text correctly), CRLF line ends and RFC 4180 quoting, with a header row. The quoting
carries the storage class, the way ``sqlite3 -csv`` does it for NULL:

* TEXT is always quoted: ``"0812345678"``, ``""`` (an empty text);
* NULL is an empty unquoted field;
* INTEGER and REAL are unquoted numbers (a REAL always shows a fraction or exponent:
  ``1.0``; integers keep every digit);
* BLOB is unquoted ``0x`` + hexadecimal digits.

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

from .export_meta import ExportMeta, TableMeta, file_stem
from .progress import CancelToken, Progress
from .sqlitefile import quote

INFO_NAME = "export-info.json"
BOM = b"\xef\xbb\xbf"
BATCH = 5000
PARALLEL_MIN_ROWS = 300_000


def table_files(meta: ExportMeta) -> dict[str, str]:
    taken = {Path(INFO_NAME).stem.lower()}
    return {t.name: file_stem(t.name, taken) + ".csv" for t in meta.tables}


class _Writer:
    """Formats rows of one table with the csv module (C speed); NULLs and BLOBs come out of
    SQLite as marked text and the marks are replaced in each block of output."""

    def __init__(self, t: TableMeta) -> None:
        tok = secrets.token_hex(8)
        self.null_mark = f"\x01N{tok}"
        self.blob_mark = f"\x01B{tok}"
        self.null_q = f'"{self.null_mark}"'
        self.blob_re = re.compile(re.escape(f'"{self.blob_mark}') + r'([0-9A-F]*)"')
        cols = []
        for c in t.columns:
            q = quote(c)
            cols.append(f"CASE WHEN typeof({q}) = 'blob' THEN '{self.blob_mark}' || hex({q}) "
                        f"ELSE coalesce({q}, '{self.null_mark}') END")
        self.sql = f"SELECT {', '.join(cols)} FROM main.{quote(t.name)}"
        self.buf = io.StringIO()
        self.csv = csv.writer(self.buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")

    def header(self, t: TableMeta) -> bytes:
        self.csv.writerow(t.columns)
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

    def rows(self, conn: sqlite3.Connection, fh: BinaryIO, where: str = "", params: tuple = (),
             on_batch=None) -> int:
        cur = conn.execute(self.sql + where, params)
        n = 0
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                return n
            self.csv.writerows(rows)
            fh.write(self._take())
            n += len(rows)
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


def _ranges(conn: sqlite3.Connection, t: TableMeta, parts: int) -> list[tuple[int | None, int | None]]:
    """Split a rowid table into ``parts`` ranges of about equal row counts."""
    q = quote(t.name)
    bounds = []
    for i in range(1, parts):
        row = conn.execute(f"SELECT rowid FROM main.{q} ORDER BY rowid LIMIT 1 OFFSET ?",
                           (t.rows * i // parts,)).fetchone()
        if row is not None and (not bounds or row[0] > bounds[-1]):
            bounds.append(row[0])
    edges = [None, *bounds, None]
    return list(zip(edges[:-1], edges[1:]))


def _where(lo: int | None, hi: int | None) -> tuple[str, tuple]:
    conds, params = [], []
    if lo is not None:
        conds.append("rowid >= ?")
        params.append(lo)
    if hi is not None:
        conds.append("rowid < ?")
        params.append(hi)
    return (" WHERE " + " AND ".join(conds) if conds else ""), tuple(params)


def _write_table(conn: sqlite3.Connection, image: Path, t: TableMeta, fh: BinaryIO, workdir: Path,
                 workers: int, tick, cancel: CancelToken) -> None:
    w = _Writer(t)
    fh.write(w.header(t))
    if workers <= 1 or t.rows < PARALLEL_MIN_ROWS or t.without_rowid:
        w.rows(conn, fh, on_batch=lambda n: (tick(n), cancel.check()))
        return
    ranges = _ranges(conn, t, workers)
    procs: list[tuple[subprocess.Popen, Path]] = []
    try:
        for i, (lo, hi) in enumerate(ranges[1:], start=1):
            part = workdir / f"part-{i}.csv"
            job = json.dumps({"image": str(image), "table": t.to_json(), "lo": lo, "hi": hi, "out": str(part)})
            p = subprocess.Popen([sys.executable, "-c", "from kasirbackup.core.export_csv import worker_main; "
                                  "worker_main()"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
            p.stdin.write(job.encode("utf-8"))
            p.stdin.close()
            procs.append((p, part))
        where, params = _where(*ranges[0])
        w.rows(conn, fh, where, params, on_batch=lambda n: (tick(n), cancel.check()))
        for p, part in procs:
            while p.poll() is None:
                cancel.check()
                time.sleep(0.02)
            err = p.stderr.read().decode("utf-8", "replace")
            p.stderr.close()
            if p.returncode != 0:
                raise OSError(f"an export worker failed: {err.strip().splitlines()[-1] if err.strip() else p.returncode}")
            with open(part, "rb") as src:
                shutil.copyfileobj(src, fh, 1024 * 1024)
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


def worker_main() -> None:
    """Entry of a worker process: write one rowid range of one table (no header)."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    t = TableMeta.from_json(job["table"])
    conn = sqlite3.connect(Path(job["image"]).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    where, params = _where(job["lo"], job["hi"])
    with open(job["out"], "wb") as fh:
        _Writer(t).rows(conn, fh, where, params)
    conn.close()


def write_csv(conn: sqlite3.Connection, image: Path, meta: ExportMeta, dest: Path, as_zip: bool,
              workdir: Path, progress: Progress, cancel: CancelToken, workers: int | None = None) -> dict[str, str]:
    """Write the tables of ``meta`` into the folder ``dest`` or the zip file ``dest``."""
    workers = default_workers() if workers is None else workers
    files = table_files(meta)
    info = meta.to_json()
    info["files"] = files
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
                    _write_table(conn, image, t, fh, workdir, workers, tick, cancel)
                done[0] = sum(x.rows for x in meta.tables[:meta.tables.index(t) + 1])
    else:
        (dest / INFO_NAME).write_bytes(info_bytes)
        for t in meta.tables:
            with open(dest / files[t.name], "wb") as fh:
                _write_table(conn, image, t, fh, workdir, workers, tick, cancel)
            done[0] = sum(x.rows for x in meta.tables[:meta.tables.index(t) + 1])
    progress("export", total, total)
    return files
