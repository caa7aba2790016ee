"""Assertions and helpers for tests of the command line and of database contents."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
from pathlib import Path


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def describe(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout:\n{proc.stdout}\n--- stderr:\n{proc.stderr}"


def assert_ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, describe(proc)
    assert "Traceback" not in proc.stdout + proc.stderr, describe(proc)
    return proc


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """A failed command: non-zero exit, exactly one line on standard error, no traceback,
    not an 'unexpected error', and the line contains every ``needle`` (case-insensitive).
    Returns the line."""
    assert proc.returncode != 0, describe(proc)
    assert "Traceback" not in proc.stdout + proc.stderr, describe(proc)
    lines = proc.stderr.strip("\n").splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"expected exactly one line on stderr\n{describe(proc)}"
    line = lines[0]
    assert line.startswith("kasirbackup: "), describe(proc)
    assert "unexpected error" not in line, f"an internal error reached the user\n{describe(proc)}"
    # match the words of the message, not the names of pytest's temporary folders
    # ("test_disk_full_0/…" must not satisfy the needle "full"); file names are kept
    words = _TMP_DIRS.sub("…/", line)
    for needle in needles:
        assert needle.lower() in words.lower(), f"{needle!r} not in the message\n{describe(proc)}"
    return line


_TMP_DIRS = re.compile(r"\S*/pytest-of-[^/\s]+/(?:[^/\s]+/)*")


def parse_json_stdout(proc: subprocess.CompletedProcess):
    try:
        return json.loads(proc.stdout)
    except ValueError:
        raise AssertionError(f"standard output is not JSON\n{describe(proc)}") from None


def open_ro(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a static file (a restored copy, a plain copy)."""
    return sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)


def row_counts(path: str | Path) -> dict[str, int]:
    conn = open_ro(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n.replace(chr(34), chr(34) * 2)}"').fetchone()[0]
                for n in names}
    finally:
        conn.close()


def integrity_check(path: str | Path) -> list[str]:
    conn = open_ro(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def table_rows(path: str | Path) -> dict[str, list[tuple]]:
    """Every row of every table (rowid first, in rowid order), read through a fresh
    read-only connection."""
    conn = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: conn.execute(f'SELECT rowid, * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def run_sql(db: str | Path, *statements: str) -> None:
    """Run ``statements`` on ``db`` one by one in autocommit mode (as a POS would)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()
