"""``kasirbackup export`` through the real command line: every format from the live
database and from a snapshot, checked by reading the files the way their consumers do
(the csv module like Excel's importer, json, openpyxl, the sqlite3 shell)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from kbhelpers import SUPPORT, WriterProcess
from tests.support.dbgen import (FTS5_AVAILABLE, HARD_APPLICATION_ID, HARD_USER_VERSION, T_PELANGGAN,
                                 make_hard_cases_db, make_pos_db)

from kasirbackup.core.exports import csv as export_csv
from kasirbackup.core.exports.exporter import ExportRequest, export

csv.field_size_limit(1 << 30)          # the hard cases hold a 1 MiB text and a 3 MiB BLOB


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def everything(path: Path) -> dict:
    """Every table (shadow tables, sqlite_sequence and sqlite_stat1 included) with typed
    values, the schema and the header values: what 'identical database' means here."""
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        out = {"user_version": conn.execute("PRAGMA user_version").fetchone()[0],
               "application_id": conn.execute("PRAGMA application_id").fetchone()[0],
               "schema": sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall(),
                                key=repr)}
        for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall():
            try:
                rows = conn.execute(f"SELECT rowid, * FROM {q(name)}").fetchall()
                if name == "sqlite_sequence" or name.startswith("sqlite_stat"):
                    rows = [r[1:] for r in rows]
            except sqlite3.OperationalError:          # WITHOUT ROWID
                rows = conn.execute(f"SELECT * FROM {q(name)}").fetchall()
            out[name] = sorted(([(type(v).__name__, v) for v in r] for r in rows), key=repr)
        return out
    finally:
        conn.close()


@pytest.fixture
def hard_db(tmp_path) -> Path:
    path = tmp_path / "hard.db"
    make_hard_cases_db(str(path))
    return path


def test_csv_export_is_excel_friendly_and_typed(tmp_path, kb, hard_db):
    out = tmp_path / "csv"
    res = kb.json("export", "--db", hard_db, "--format", "csv", "--out", out)
    info = json.loads((out / "export-info.json").read_text(encoding="utf-8"))
    assert info["format"] == "kasirbackup-export" and info["source"]["snapshot_id"] is None
    assert res["tables"][T_PELANGGAN] == 12 and res["rows"] == sum(res["tables"].values())
    for table, name in info["files"].items():
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name                        # UTF-8 with BOM
        assert b"\r\n" in raw and raw.endswith(b"\r\n")
        rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
        assert len(rows) == res["tables"][table] + 1, table                  # header + rows
    text = (out / info["files"][T_PELANGGAN]).read_bytes()[3:].decode("utf-8")
    # NULL is an empty field, '' a quoted empty text (as sqlite3 -csv writes them); phone numbers stay text
    assert ',"",' in text and ',,' in text and '"081100000000"' in text
    assert '"id","nama","no hp","kota","poin ✨"' in text.splitlines()[0]
    big = (out / info["files"]["angka_besar"]).read_text(encoding="utf-8-sig")
    assert "9223372036854775807" in big and '"0123"' in big
    assert "9007199254740993" in big                                       # 2**53+1, not rounded
    blobs = (out / info["files"]["lampiran"]).read_text(encoding="utf-8-sig")
    assert '"kosong.bin",0x\n' in blobs and '"null.bin",\n' in blobs         # empty BLOB, NULL
    assert "catatan_fts" in res["skipped"] or not FTS5_AVAILABLE


def test_csv_export_to_zip(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.zip"
    res = kb.json("export", "--db", pos_db, "--format", "csv", "--out", out)
    with zipfile.ZipFile(out) as zf:
        assert set(zf.namelist()) == {"export-info.json", "produk.csv", "pelanggan.csv", "transaksi.csv",
                                      "transaksi_detail.csv"}
        for table in res["tables"]:
            rows = list(csv.reader(io.StringIO(zf.read(f"{table}.csv").decode("utf-8-sig"), newline="")))
            assert len(rows) == res["tables"][table] + 1


def test_csv_parallel_workers_write_the_same_file(tmp_path, monkeypatch):
    db = tmp_path / "big.db"
    make_pos_db(str(db), 400_000, seed=3)
    monkeypatch.setattr(export_csv, "PARALLEL_MIN_ROWS", 10)
    one = export(ExportRequest("csv", tmp_path / "one", db=db, csv_workers=1))
    three = export(ExportRequest("csv", tmp_path / "three", db=db, csv_workers=3))
    for name in one.files.values():
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "three" / name).read_bytes(), name
    assert three.tables["transaksi_detail"] > 1000


def test_json_export_metadata_and_exact_values(tmp_path, kb, hard_db):
    out = tmp_path / "hard.json"
    kb.run("export", "--db", hard_db, "--format", "json", "--out", out, check=True)
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    meta = doc["metadata"]
    assert meta["source"]["path"] == str(hard_db.resolve()) and meta["exported_at"]
    assert meta["tool_version"] and meta["database"]["user_version"] == HARD_USER_VERSION
    assert meta["database"]["application_id"] == HARD_APPLICATION_ID
    assert any(s["sql"].startswith("CREATE TABLE stok_ketat") for s in meta["schema"])
    tables = {t["name"]: t for t in doc["tables"]}
    assert {t["name"]: t["rows"] for t in meta["tables"]} == {n: len(t["rows"]) for n, t in tables.items()}
    big = {r[0]: r for r in tables["angka_besar"]["rows"]}
    assert big[-1][1] == 2 ** 63 - 1 and big[0][1] == -(2 ** 63) and big[1][1] == 2 ** 53 + 1
    assert big[5][3] == "0123" and isinstance(big[2][3], float)
    strict = {r[0]: r for r in tables["stok_ketat"]["rows"]}
    assert strict[1][3] == 75000.0 and isinstance(strict[1][3], float) and "75000.0" in text   # 1.0 stays real
    assert strict[2][4] == {"$blob": "iVBORw0KGgo="} and strict[3][4] == {"$blob": ""}
    assert strict[4][5] == {"$blob": "AAE="}
    nul = next(r for r in tables["catatan"]["rows"] if r[0] == 100)
    assert nul[2] == "sebelum\x00sesudah"
    assert "harga_item" in tables and "subtotal" not in tables["harga_item"]["columns"]   # generated
    assert text.count("\n") > sum(len(t["rows"]) for t in doc["tables"])              # one row per line


def test_xlsx_export_is_a_proper_workbook(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.xlsx"
    res = kb.json("export", "--db", pos_db, "--format", "xlsx", "--out", out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-1] == "_kasirbackup"
    # the description the import needs is out of the accountant's sight: not even under Unhide
    assert wb["_kasirbackup"].sheet_state == "veryHidden"
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["Summary", *sorted(res["tables"])]
    assert wb["_kasirbackup"]["A1"].value.startswith("KasirBackup keeps here what it needs to import")
    for table, n in res["tables"].items():
        ws = wb[table]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{n + 1}"
        assert all(c.font.bold for c in ws[1])
        assert ws.max_row == n + 1
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, ws.max_column + 1)]
        assert all(8 <= w <= 60 for w in widths)
    pel = wb["pelanggan"]
    head = [c.value for c in pel[1]]
    phones = [r[head.index("telepon")] for r in pel.iter_rows(min_row=2, values_only=True) if r[head.index("telepon")]]
    assert phones and all(isinstance(p, str) and p.startswith("08") for p in phones)      # leading zero kept
    niks = [r[head.index("nik")] for r in pel.iter_rows(min_row=2, values_only=True) if r[head.index("nik")]]
    assert niks and all(isinstance(n, str) and len(n) == 16 for n in niks)               # 16-digit NIK as text
    trx = wb["transaksi"]
    head = [c.value for c in trx[1]]
    row = next(trx.iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(row[head.index("tanggal")], datetime)                              # a real date
    assert isinstance(row[head.index("total")], int)                                     # money as a number
    summary = [r for r in wb["Summary"].iter_rows(values_only=True)]
    assert ("transaksi", "transaksi", res["tables"]["transaksi"]) in summary


def test_xlsx_long_tables_continue_on_more_sheets(tmp_path, pos_db):
    out = tmp_path / "split.xlsx"
    res = export(ExportRequest("xlsx", out, db=pos_db, xlsx_max_rows=101))
    n = res.tables["transaksi"]
    assert res.sheets["transaksi"][:2] == ["transaksi", "transaksi (2)"]
    assert len(res.sheets["transaksi"]) == -(-n // 100)
    wb = openpyxl.load_workbook(out, read_only=True)
    assert sum(sum(1 for _ in wb[s].iter_rows(min_row=2)) for s in res.sheets["transaksi"]) == n


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")
def test_sql_export_loads_into_an_identical_database(tmp_path, kb, hard_db):
    sqlite3.connect(hard_db).execute("ANALYZE").connection.commit()     # sqlite_stat1 too
    out = tmp_path / "hard.sql"
    kb.run("export", "--db", hard_db, "--format", "sql", "--out", out, check=True)
    loaded = tmp_path / "loaded.db"
    with open(out, "rb") as fh:
        proc = subprocess.run(["sqlite3", str(loaded)], stdin=fh, capture_output=True, timeout=120)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    assert everything(loaded) == everything(hard_db)
    conn = sqlite3.connect(loaded)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    if FTS5_AVAILABLE:
        assert conn.execute("SELECT count(*) FROM catatan_fts WHERE catatan_fts MATCH 'kopi'").fetchone()[0] > 0


def test_sql_export_of_chosen_tables(tmp_path, kb, pos_db):
    out = tmp_path / "two.sql"
    res = kb.json("export", "--db", pos_db, "--format", "sql", "--out", out, "--tables", "produk,pelanggan")
    assert set(res["tables"]) == {"produk", "pelanggan"}
    text = out.read_text(encoding="utf-8")
    assert "CREATE TABLE produk" in text and "CREATE TABLE transaksi" not in text


def test_export_of_a_snapshot(tmp_path, kb, pos_db):
    repo = tmp_path / "repo"
    snap = kb.json("backup", "--db", pos_db, "--repo", repo)
    conn = sqlite3.connect(pos_db)
    conn.execute("DELETE FROM transaksi_detail")
    conn.commit()
    conn.close()
    out = tmp_path / "snap.json"
    res = kb.json("export", "--repo", repo, "--snapshot", snap["id"][:8], "--format", "json", "--out", out)
    assert res["snapshot"] == snap["id"]
    meta = json.loads(out.read_text(encoding="utf-8"))["metadata"]
    assert meta["source"]["snapshot_id"] == snap["id"] and meta["source"]["snapshot_time"]
    assert res["tables"]["transaksi_detail"] == snap["tables"]["transaksi_detail"] > 0


def test_export_refusals_are_one_line(tmp_path, kb, pos_db):
    existing = tmp_path / "there.json"
    existing.write_text("keep me")
    cases = [
        (["--db", pos_db, "--format", "json", "--out", existing], "already exists"),
        (["--db", pos_db, "--format", "json", "--out", tmp_path / "x.json", "--tables", "produk,nope"], "nope"),
        (["--db", tmp_path / "missing.db", "--format", "csv", "--out", tmp_path / "y"], "does not exist"),
        (["--db", pos_db, "--format", "json", "--out", tmp_path / "no" / "x.json"], "does not exist"),
        (["--format", "json", "--out", tmp_path / "z.json"], "--db"),
    ]
    for args, words in cases:
        proc = kb.run("export", *args)
        assert proc.returncode == 1, (args, proc.stderr)
        assert words in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert existing.read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if "kasirbackup-tmp" in p.name]


def test_export_does_not_make_the_pos_wait(tmp_path, kb, writers):
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 8_000_000, seed=5)
    writer = WriterProcess(SUPPORT / "writer_proc.py", db, tmp_path, interval_ms=20, busy_timeout_ms=5000)
    writers.append(writer)
    for fmt, out in (("csv", tmp_path / "out.zip"), ("json", tmp_path / "out.json")):
        kb.run("export", "--db", db, "--format", fmt, "--out", out, check=True)
    stats = writer.stop()
    print(f"writer during exports: max stall {stats['max_stall_ms']} ms, {stats['commits']} commits")
    assert stats["failures"] == 0, stats["failure_messages"]


def test_csv_fast_lines_equal_the_exact_way(tmp_path, hard_db):
    """SQLite-formatted lines and the csv module give the same bytes (REALs and texts with
    NUL go the exact way; the hard cases have both, plus BLOBs, NULL and '')."""
    from kasirbackup.core.exports.meta import describe
    from kasirbackup.core.exports.source import open_image

    conn = open_image(hard_db)
    meta = describe(conn, str(hard_db), hard_db.name, None, None)
    for t in meta.tables:
        outs = []
        for fast in (True, False):
            path = tmp_path / f"{t.name}-{fast}.csv"
            with open(path, "wb") as fh:
                export_csv._Writer(t, conn, fast=fast).rows(conn, fh)
            outs.append(path.read_bytes())
        assert outs[0] == outs[1], t.name
    conn.close()


def test_csv_fast_lines_with_reals_here_and_there(tmp_path):
    from kasirbackup.core.exports.meta import describe
    from kasirbackup.core.exports.source import open_image

    db = tmp_path / "reals.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE harga (id INTEGER PRIMARY KEY, nama TEXT, harga)")
    conn.executemany("INSERT INTO harga VALUES (?, ?, ?)",
                     [(i, f"barang {i}", i * 0.1 if (i < 16_000 or i % 7_000 == 0) else i) for i in range(1, 40_001)])
    conn.commit()
    conn.close()
    conn = open_image(db)
    t = describe(conn, str(db), db.name, None, None).tables[0]
    outs = []
    for fast in (True, False):
        path = tmp_path / f"{fast}.csv"
        with open(path, "wb") as fh:
            export_csv._Writer(t, conn, fast=fast).rows(conn, fh, 5, 39_000)
        outs.append(path.read_bytes())
    conn.close()
    assert outs[0] == outs[1] and outs[0].count(b"\r\n") == 38_995
