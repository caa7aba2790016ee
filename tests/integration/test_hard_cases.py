"""The SQLite features backup tools get wrong, backed up and restored through the real
command line in both journal modes, compared value by value with the source."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support import dbgen
from tests.support.checks import assert_ok, describe, parse_json_stdout, sha256_file


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.text_factory = str
    return conn


def _typed(row) -> tuple:
    """A row with each value's storage class, so 1 vs 1.0 vs '1' vs b'1' and NULL vs ''
    all count as different."""
    return tuple((type(v).__name__, v) for v in row)


def snapshot_of_contents(path: Path) -> dict:
    """Everything a user could notice: every table's rows (shadow tables, sqlite_sequence
    and WITHOUT ROWID tables included), the schema, header fields, an FTS5 query."""
    conn = _open(path)
    try:
        out: dict = {}
        out["schema"] = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").fetchall()
        for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").fetchall():
            if name == dbgen.HARD_FTS_TABLE:
                cols = "rowid, *"
            else:
                cols = "*"
            rows = conn.execute(f"SELECT {cols} FROM {_q(name)}").fetchall()
            out[f"table:{name}"] = sorted((_typed(r) for r in rows), key=repr)
            # typeof() too: the Python types above cannot tell INTEGER from a big REAL
            ncols = len(rows[0]) if rows else 0
            if ncols:
                types = ", ".join(f"typeof({_q(c[1])})" for c in conn.execute(f"PRAGMA table_xinfo({_q(name)})")
                                  if c[6] in (0, 2, 3)) if name != dbgen.HARD_FTS_TABLE else "1"
                out[f"types:{name}"] = sorted(conn.execute(f"SELECT {types} FROM {_q(name)}").fetchall(), key=repr)
        out["view"] = sorted(conn.execute(f"SELECT * FROM {_q(dbgen.V_RINGKASAN)}").fetchall(), key=repr)
        out["user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
        out["application_id"] = conn.execute("PRAGMA application_id").fetchone()[0]
        if dbgen.FTS5_AVAILABLE:
            out["fts"] = conn.execute(
                f"SELECT rowid, judul, highlight({dbgen.HARD_FTS_TABLE}, 1, '[', ']') FROM {dbgen.HARD_FTS_TABLE} "
                f"WHERE {dbgen.HARD_FTS_TABLE} MATCH 'kopi OR (gula AND manis)' ORDER BY rank, rowid").fetchall()
        return out
    finally:
        conn.close()


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_hard_cases_survive_backup_and_restore(kb, tmp_path, journal_mode):
    src = tmp_path / "sulit.db"
    expected = dbgen.make_hard_cases_db(str(src), journal_mode=journal_mode)
    source_sha = sha256_file(src)
    before = snapshot_of_contents(src)
    assert sha256_file(src) == source_sha       # (reading it did not change it)
    assert before["user_version"] == dbgen.HARD_USER_VERSION
    if dbgen.FTS5_AVAILABLE:
        assert before["fts"], "the FTS5 query must find something for the comparison to mean anything"

    repo = tmp_path / "repo"
    proc = assert_ok(kb.run("backup", "--db", src, "--repo", repo, "--json"))
    snap = parse_json_stdout(proc)
    assert snap["verified"] is True, describe(proc)
    for table, count in expected.items():
        assert snap["tables"].get(table) == count, (table, snap["tables"].get(table), count)
    if dbgen.FTS5_AVAILABLE:
        assert snap["tables"].get(dbgen.HARD_FTS_TABLE) == dbgen.HARD_FTS_ROWS
    assert snap["user_version"] == dbgen.HARD_USER_VERSION
    assert snap["application_id"] == dbgen.HARD_APPLICATION_ID

    target = tmp_path / "pulih" / "sulit-pulih.db"
    target.parent.mkdir()
    assert_ok(kb.run("restore", "--repo", repo, "--snapshot", snap["id"], "--to", target))
    assert sha256_file(target) == snap["sha256"]
    if journal_mode == "delete":
        assert snap["sha256"] == source_sha     # a quiet rollback-journal file is copied byte for byte

    conn = _open(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == journal_mode
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                           (dbgen.HARD_AUTOINCREMENT_TABLE,)).fetchone()
        assert seq == (dbgen.HARD_AUTOINCREMENT_SEQ,)
        if dbgen.FTS5_AVAILABLE:
            conn.execute(f"INSERT INTO {dbgen.HARD_FTS_TABLE}({dbgen.HARD_FTS_TABLE}) VALUES ('integrity-check')")
    finally:
        conn.close()

    after = snapshot_of_contents(target)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], f"{key} differs after restore"

    # spot checks of the values that most often go wrong, stated plainly
    conn = _open(target)
    try:
        blob = conn.execute("SELECT isi FROM lampiran WHERE id = 1").fetchone()[0]
        assert isinstance(blob, bytes) and len(blob) == 3 * 1024 * 1024
        assert conn.execute("SELECT isi FROM lampiran WHERE id = 3").fetchone() == (b"",)
        assert conn.execute("SELECT isi FROM lampiran WHERE id = 4").fetchone() == (None,)
        assert conn.execute("SELECT nilai FROM angka_besar WHERE id = 1").fetchone() == (2**53 + 1,)
        assert conn.execute("SELECT nilai FROM angka_besar WHERE id = -1").fetchone() == (2**63 - 1,)
        assert conn.execute("SELECT nilai FROM angka_besar WHERE id = 0").fetchone() == (-(2**63),)
        assert conn.execute("SELECT count(*) FROM angka_besar WHERE id = 9223372036854775807").fetchone() == (1,)
        assert conn.execute("SELECT isi FROM catatan WHERE id = 100").fetchone() == ("sebelum\x00sesudah",)
        assert len(conn.execute("SELECT isi FROM catatan WHERE id = 1").fetchone()[0].encode()) >= 1024 * 1024
        phones = dict(conn.execute(f'SELECT id, "no hp" FROM {_q(dbgen.T_PELANGGAN)} WHERE id IN (1, 5)'))
        assert phones == {1: None, 5: ""}          # NULL stays NULL, '' stays ''
        assert conn.execute(f"SELECT count(*) FROM {_q(dbgen.T_KOSONG)}").fetchone() == (0,)
        assert conn.execute("SELECT subtotal = harga * qty, label FROM harga_item WHERE id = 1").fetchone()[0] == 1
    finally:
        conn.close()

    # and the snapshot still verifies on demand
    proc = assert_ok(kb.run("verify", "--repo", repo, "--snapshot", snap["id"]))
    assert "OK" in proc.stdout
