"""The preview of a restore (``kasirbackup diff``): per table, how many rows a restore
would remove (added since), bring back (deleted since) and set back (changed since), and
a sentence a shop owner understands. The expected numbers are computed here
independently, by comparing full rows keyed by primary key."""

from __future__ import annotations

import sqlite3

import pytest

from restorekit import (backup, diff_json, file_state, restore_new, rows, run, scalar)
from tests.support.checks import assert_ok
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

POS_BYTES = 300_000


def exec_sql(db, *statements) -> None:
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        for s in statements:
            con.execute(s)
        con.execute("COMMIT")
    finally:
        con.close()


def keyed(path, table: str, key: str, how: str) -> dict:
    return {r[0]: r[1:] for r in rows(path, f'SELECT {key}, * FROM "{table}"', how=how)}


def expected_counts(snap_path, db, table: str, key: str = "rowid") -> dict:
    s = keyed(snap_path, table, key, "immutable")
    c = keyed(db, table, key, "ro")
    common = set(s) & set(c)
    return {"in_snapshot": len(s), "in_current": len(c), "only_current": len(set(c) - set(s)),
            "only_snapshot": len(set(s) - set(c)), "changed": sum(1 for k in common if s[k] != c[k])}


def by_name(result: dict) -> dict:
    return {t["name"]: t for t in result["tables"]}


def test_diff_counts_and_summary_for_a_day_of_sales(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    sales = simulate_day_of_sales(str(db), 16, seed=9)          # 16 sales after the backup
    exec_sql(db,
             "DELETE FROM transaksi_detail WHERE id IN (5, 6, 7, 8, 9)",   # deleted since
             "UPDATE pelanggan SET poin = poin + 1 WHERE id IN (1, 2, 3)")   # changed since
    snap_file = restore_new(kb, repo, snap["id"], tmp_path / "snap.db")
    state = file_state(db)

    res = diff_json(kb, repo, snap["id"], db)
    assert file_state(db) == state, "diff must not change the database or its companion files"
    assert res["same_database"] is True
    got = by_name(res)
    assert set(got) == {"produk", "pelanggan", "transaksi", "transaksi_detail"}
    for t in got:
        exp = expected_counts(snap_file, db, t)
        assert {k: got[t][k] for k in exp} == exp, t
    assert got["transaksi"]["only_current"] == 16 and got["transaksi"]["only_snapshot"] == 0
    assert got["transaksi_detail"]["only_current"] == sales["transaksi_detail"]
    assert got["transaksi_detail"]["only_snapshot"] == 5
    assert got["pelanggan"]["changed"] == 3
    assert got["produk"]["changed"] > 0           # stock went down with the sales

    summary = " | ".join(res["summary"])
    assert "16 rows newer than the backup" in summary, summary
    assert "5 rows deleted since will come back" in summary, summary
    assert "3 rows changed since will be set back" in summary, summary

    proc = assert_ok(run(kb, "diff", "--repo", repo, "--snapshot", snap["id"], "--db", db))
    assert "What the restore of the whole database does" in proc.stdout
    assert "16 rows added since the backup" in proc.stdout and "transaksi, rows added since" in proc.stdout
    assert proc.stderr == ""


def test_diff_of_an_unchanged_database(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    res = diff_json(kb, repo, snap["id"], db)
    for t in res["tables"]:
        assert (t["only_current"], t["only_snapshot"], t["changed"]) == (0, 0, 0), t
        assert t["in_snapshot"] == t["in_current"]
    assert res["summary"] == ["The database has the same rows as the backup."]


KEYS_SCHEMA = """
CREATE TABLE kategori (kode TEXT PRIMARY KEY, nama TEXT NOT NULL);
CREATE TABLE kurs (mata_uang TEXT NOT NULL, tanggal TEXT NOT NULL, nilai REAL,
                   PRIMARY KEY (mata_uang, tanggal)) WITHOUT ROWID;
CREATE TABLE stok_gudang (gudang INTEGER NOT NULL, produk INTEGER NOT NULL, qty INTEGER,
                          PRIMARY KEY (gudang, produk));
CREATE TABLE catatan (isi TEXT);
CREATE TABLE lama (id INTEGER PRIMARY KEY, x TEXT);
"""


def make_keys_db(path) -> None:
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        con.executescript(KEYS_SCHEMA)
        con.execute("BEGIN")
        con.executemany("INSERT INTO kategori VALUES (?, ?)", [(f"K{i:03d}", f"Kategori {i}") for i in range(40)])
        con.executemany("INSERT INTO kurs VALUES (?, ?, ?)",
                        [(c, f"2025-01-{d:02d}", 1000.0 + d) for c in ("USD", "SGD", "JPY") for d in range(1, 21)])
        con.executemany("INSERT INTO stok_gudang VALUES (?, ?, ?)",
                        [(g, p, g * 100 + p) for g in (1, 2, 3) for p in range(1, 16)])
        con.executemany("INSERT INTO catatan VALUES (?)", [(f"catatan {i}",) for i in range(30)])
        con.executemany("INSERT INTO lama VALUES (?, ?)", [(i, "x") for i in range(12)])
        con.execute("COMMIT")
    finally:
        con.close()


def test_diff_with_text_composite_and_without_rowid_keys_and_tables_added_or_dropped(kb, tmp_path):
    db = tmp_path / "data.db"
    repo = tmp_path / "repo"
    make_keys_db(db)
    snap = backup(kb, db, repo)
    exec_sql(db,
             # TEXT primary key: 2 added, 3 deleted, 4 changed
             "INSERT INTO kategori VALUES ('Z001', 'baru'), ('Z002', 'baru')",
             "DELETE FROM kategori WHERE kode IN ('K001', 'K002', 'K003')",
             "UPDATE kategori SET nama = nama || '!' WHERE kode IN ('K010', 'K011', 'K012', 'K013')",
             # WITHOUT ROWID, composite key: 1 added, 5 deleted, 2 changed
             "INSERT INTO kurs VALUES ('MYR', '2025-01-01', 3.3)",
             "DELETE FROM kurs WHERE mata_uang = 'JPY' AND tanggal <= '2025-01-05'",
             "UPDATE kurs SET nilai = 0 WHERE mata_uang = 'USD' AND tanggal IN ('2025-01-10', '2025-01-11')",
             # composite key on a rowid table: 3 added, 2 deleted, 1 changed; keys, not rowids,
             # identify rows (a row deleted and inserted again with the same key is "changed")
             "INSERT INTO stok_gudang VALUES (4, 1, 0), (4, 2, 0), (4, 3, 0)",
             "DELETE FROM stok_gudang WHERE gudang = 1 AND produk IN (1, 2)",
             "DELETE FROM stok_gudang WHERE gudang = 2 AND produk = 5",
             "INSERT INTO stok_gudang VALUES (2, 5, -1)",
             # no declared key (rowid): 4 deleted, 2 added
             "DELETE FROM catatan WHERE rowid IN (1, 2, 3, 4)",
             "INSERT INTO catatan VALUES ('x'), ('y')",
             "DROP TABLE lama",
             "CREATE TABLE baru (id INTEGER PRIMARY KEY, y TEXT)",
             "INSERT INTO baru VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    snap_file = restore_new(kb, repo, snap["id"], tmp_path / "snap.db")
    res = diff_json(kb, repo, snap["id"], db)
    got = by_name(res)

    def counts_of(t):
        return {k: got[t][k] for k in ("in_snapshot", "in_current", "only_current", "only_snapshot", "changed")}

    assert counts_of("kategori") == expected_counts(snap_file, db, "kategori", "kode") == \
        {"in_snapshot": 40, "in_current": 39, "only_current": 2, "only_snapshot": 3, "changed": 4}
    assert counts_of("kurs") == expected_counts(snap_file, db, "kurs", "mata_uang || '/' || tanggal") == \
        {"in_snapshot": 60, "in_current": 56, "only_current": 1, "only_snapshot": 5, "changed": 2}
    assert counts_of("stok_gudang") == expected_counts(snap_file, db, "stok_gudang", "gudang || '/' || produk") == \
        {"in_snapshot": 45, "in_current": 46, "only_current": 3, "only_snapshot": 2, "changed": 1}
    assert counts_of("catatan") == {"in_snapshot": 30, "in_current": 28, "only_current": 2, "only_snapshot": 4,
                                    "changed": 0}
    assert got["lama"]["in_snapshot"] == 12 and got["lama"]["in_current"] is None
    assert got["baru"]["in_snapshot"] is None and got["baru"]["in_current"] == 3

    summary = res["summary"]
    assert any(s.startswith("lama:") and "brings it back" in s and "12 rows" in s for s in summary), summary
    assert any(s.startswith("baru:") and "created after the backup" in s and "3 rows" in s for s in summary), summary
    assert any(s.startswith("kurs:") and "5 rows deleted since will come back" in s for s in summary), summary
    assert res["same_database"] is True, res


def test_diff_sees_uncheckpointed_wal_content(kb, tmp_path):
    """Rows committed into the -wal file only (POS killed, nobody connected) are part of
    the current database, and diff leaves the -wal file alone."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode="wal")
    snap = backup(kb, db, repo)
    from restorekit import WAL_LEAVE_UNCHECKPOINTED, python_child, wait_line

    child = python_child(WAL_LEAVE_UNCHECKPOINTED, db)
    wait_line(child, "DONE")
    assert child.wait(30) == 0
    child.stdout.close(), child.stderr.close()
    state = file_state(db)
    assert state["-wal"] is not None
    snap_file = restore_new(kb, repo, snap["id"], tmp_path / "snap.db")
    res = diff_json(kb, repo, snap["id"], db)
    after = file_state(db)
    # readers legitimately write their read marks into the -shm shared memory
    assert {k: after[k] for k in ("db", "-wal", "-journal")} == {k: state[k] for k in ("db", "-wal", "-journal")}
    assert after["-shm"] is not None
    got = by_name(res)
    for t in ("produk", "pelanggan", "transaksi", "transaksi_detail"):
        exp = expected_counts(snap_file, db, t)
        assert {k: got[t][k] for k in exp} == exp, t
    assert got["pelanggan"]["only_current"] == 25 and got["produk"]["changed"] == 10


@pytest.mark.parametrize("seed", [1])
def test_diff_against_another_shops_database_warns(kb, tmp_path, seed):
    db = tmp_path / "kasir.db"
    other = tmp_path / "toko-lain.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    make_pos_db(str(other), POS_BYTES, seed=seed)
    snap = backup(kb, other, repo)
    res = diff_json(kb, repo, snap["id"], db)
    assert res["same_database"] is False and res["identity_differences"], res
    proc = assert_ok(run(kb, "diff", "--repo", repo, "--snapshot", snap["id"], "--db", db))
    assert "another database" in proc.stdout.lower() or "different" in proc.stdout.lower(), proc.stdout
    assert scalar(db, "SELECT count(*) FROM produk") > 0
