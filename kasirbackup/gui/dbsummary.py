"""The summary of a database shown before it is backed up (main window, first-start setup):
size, modification time and row counts, read with a short lock on a worker."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..core.errors import DatabaseBusy, DatabaseCorrupt
from ..core.sqlitefile import check_source, connect_readonly, row_counts


@dataclass(slots=True)
class DbSummary:
    path: str
    size: int
    modified: float
    tables: dict[str, int | None]


def summarize_db(path: str) -> DbSummary:
    p, _ = check_source(path)
    st = p.stat()
    try:
        conn = connect_readonly(p, timeout=2.0)
        try:
            tables = row_counts(conn)
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(path=str(p), seconds=2) from exc
        raise DatabaseCorrupt(path=str(p), reason=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(path=str(p), reason=str(exc)) from exc
    return DbSummary(str(p), st.st_size, st.st_mtime, tables)
