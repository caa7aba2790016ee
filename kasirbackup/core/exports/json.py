"""JSON export: one object with the metadata and every table's rows, written as a stream.

Layout (one row per line, so that large files stay readable and the import can stream)::

    {"format": "kasirbackup-export", "version": 1,
    "metadata": {...},
    "tables": [
    {"name": "produk", "columns": ["id", "kode", ...], "rows": [
    [1, "8991234567890", ...],
    ...
    ]}
    ]}

Values keep their SQLite storage class: NULL is ``null``, INTEGER a JSON integer written
with all its digits (also beyond 2^53, where JavaScript would round), REAL a JSON number
that always has a fraction or exponent (``1.0`` stays a real), TEXT a string (``"0812"``
stays text), BLOB ``{"$blob": "<base64>"}``; the infinities, which JSON cannot write, are
``{"$real": "Infinity"}`` / ``{"$real": "-Infinity"}``.
"""

from __future__ import annotations

import base64
import json
import math
import sqlite3
from typing import BinaryIO

from .meta import ExportMeta, select_sql
from ..progress import CancelToken, Progress

BATCH = 2000
_ENC = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def encode_value(v: object) -> object:
    """A value as it is written into the JSON (and into XLSX cell overrides)."""
    if isinstance(v, bytes):
        return {"$blob": base64.b64encode(v).decode("ascii")}
    if isinstance(v, float) and not math.isfinite(v):
        return {"$real": "Infinity" if v > 0 else "-Infinity" if v < 0 else "NaN"}
    return v


def _encode_row(row: tuple) -> str:
    try:
        return _ENC.encode(row)
    except (TypeError, ValueError):   # a BLOB or an infinity: mark them
        return _ENC.encode([encode_value(v) for v in row])


def write_json(conn: sqlite3.Connection, meta: ExportMeta, fh: BinaryIO, progress: Progress,
               cancel: CancelToken) -> None:
    def put(text: str) -> None:
        fh.write(text.encode("utf-8"))

    put('{"format": "kasirbackup-export", "version": 1,\n"metadata": ')
    put(json.dumps(meta.to_json(), ensure_ascii=False))
    put(',\n"tables": [')
    done, total = 0, meta.total_rows
    for i, t in enumerate(meta.tables):
        put(("," if i else "") + "\n" + json.dumps({"name": t.name, "columns": t.columns}, ensure_ascii=False)[:-1]
            + ', "rows": [')
        cur = conn.execute(select_sql(t))
        first = True
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                break
            text = ",\n".join(map(_encode_row, rows))
            put(("\n" if first else ",\n") + text)
            first = False
            done += len(rows)
            progress("export", done, total)
            cancel.check()
        put("\n]}")
    put("\n]}\n")
