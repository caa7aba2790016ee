"""``kasirbackup import`` through the real command line: merge and replace, the dry run
(which must predict exactly what the import then does, and change nothing), the safety
snapshot that undoes an import, files of another database, triggers, AUTOINCREMENT,
full-text indexes and foreign keys."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import openpyxl

from tests.support.dbgen import HARD_AUTOINCREMENT_SEQ, make_hard_cases_db, make_pos_db


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path, table: str, order: str = "rowid") -> list:
    conn = sqlite3.connect(db)
    try:
        return [[(type(v).__name__, v) for v in r] for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}')]
    finally:
        conn.close()


def sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def totals(report: dict) -> dict:
    return {t["name"]: {k: t[k] for k in ("inserted", "updated", "unchanged", "removed", "rejected")}
            for t in report["tables"]}


def test_merge_brings_rows_back_and_keeps_newer_ones(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", out, check=True)
    original = {t: rows(pos_db, t) for t in ("produk", "transaksi_detail")}
    sql(pos_db, "DELETE FROM transaksi_detail WHERE id IN (SELECT id FROM transaksi_detail LIMIT 5)",
        "UPDATE produk SET nama = nama || ' (baru)', harga_jual = harga_jual + 500 WHERE id IN (1, 2, 3)",
        "INSERT INTO produk VALUES (100000, 'BARU-1', 'Produk baru', 1000, 1500, 3, 'Lain', 'pcs')")
    before = sha(pos_db)
    preview = kb.json("import", "--db", pos_db, "--from", out, "--dry-run")
    assert sha(pos_db) == before                                    # a dry run changes nothing
    expect = totals(preview)
    assert expect["produk"]["updated"] == 3 and expect["produk"]["inserted"] == 0
    assert expect["transaksi_detail"]["inserted"] == 5 and expect["transaksi_detail"]["updated"] == 0
    assert expect["pelanggan"]["updated"] == expect["pelanggan"]["inserted"] == 0
    done = kb.json("import", "--db", pos_db, "--from", out, "--yes")
    assert totals(done) == expect and not done["dry_run"]
    assert rows(pos_db, "transaksi_detail") == original["transaksi_detail"]
    now = rows(pos_db, "produk")
    assert now[:-1] == original["produk"] and now[-1][0] == ("int", 100000)   # the newer product stays


def test_replace_makes_each_table_hold_exactly_the_file(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.xlsx"
    kb.run("export", "--db", pos_db, "--format", "xlsx", "--out", out, "--tables", "produk,pelanggan", check=True)
    original = {t: rows(pos_db, t) for t in ("produk", "pelanggan", "transaksi")}
    sql(pos_db, "INSERT INTO produk VALUES (100000, 'BARU-1', 'Produk baru', 1000, 1500, 3, 'Lain', 'pcs')",
        "UPDATE pelanggan SET telepon = NULL WHERE id = 2", "DELETE FROM transaksi WHERE id = 1")
    preview = totals(kb.json("import", "--db", pos_db, "--from", out, "--mode", "replace", "--dry-run"))
    assert preview["produk"]["removed"] == 1 and preview["pelanggan"]["updated"] == 1
    done = kb.json("import", "--db", pos_db, "--from", out, "--mode", "replace", "--yes")
    assert totals(done) == preview
    assert rows(pos_db, "produk") == original["produk"] and rows(pos_db, "pelanggan") == original["pelanggan"]
    assert len(rows(pos_db, "transaksi")) == len(original["transaksi"]) - 1   # not in the file: untouched


def test_safety_snapshot_undoes_the_import(tmp_path, kb, pos_db):
    repo = tmp_path / "repo"
    out = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", out, check=True)
    sql(pos_db, "INSERT INTO produk VALUES (100000, 'BARU-1', 'Produk baru', 1000, 1500, 3, 'Lain', 'pcs')")
    before = {t: rows(pos_db, t) for t in ("produk", "pelanggan")}
    done = kb.json("import", "--db", pos_db, "--from", out, "--mode", "replace", "--yes", "--repo", repo)
    assert done["safety_snapshot"]
    assert len(rows(pos_db, "produk")) == len(before["produk"]) - 1
    snaps = kb.json("list", "--repo", repo)
    assert snaps[0]["id"] == done["safety_snapshot"] and snaps[0]["kind"] == "before-restore"
    assert snaps[0]["label"] == "before import of kasir.json" and snaps[0]["verified"]
    undo = tmp_path / "undo.db"
    kb.run("restore", "--repo", repo, "--snapshot", done["safety_snapshot"][:8], "--to", undo, check=True)
    assert {t: rows(undo, t) for t in before} == before


def test_refused_without_confirmation_when_not_on_a_terminal(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", out, check=True)
    sql(pos_db, "DELETE FROM transaksi_detail WHERE id = 1")
    before = sha(pos_db)
    proc = kb.run("import", "--db", pos_db, "--from", out)
    assert proc.returncode == 1 and "--yes" in proc.stderr and proc.stderr.count("\n") == 1
    assert sha(pos_db) == before


def test_a_file_of_another_database_is_refused_unless_confirmed(tmp_path, kb, pos_db):
    other = tmp_path / "toko-lain.db"
    make_pos_db(str(other), 200_000, seed=7)
    out = tmp_path / "lain.json"
    kb.run("export", "--db", other, "--format", "json", "--out", out, check=True)
    before = sha(pos_db)
    proc = kb.run("import", "--db", pos_db, "--from", out, "--yes")
    assert proc.returncode == 1 and "different database" in proc.stderr and "--force-other-database" in proc.stderr
    assert sha(pos_db) == before
    forced = kb.json("import", "--db", pos_db, "--from", out, "--dry-run", "--force-other-database")
    assert any("another database" in n for n in forced["notes"])


def test_triggers_stay_quiet_and_counters_never_go_back(tmp_path, kb):
    db = tmp_path / "hard.db"
    make_hard_cases_db(str(db))
    out = tmp_path / "hard.json"
    kb.run("export", "--db", db, "--format", "json", "--out", out, check=True)
    audit = rows(db, "audit_log")
    sql(db, 'DELETE FROM "data pelanggan" WHERE id > 6', "UPDATE sqlite_sequence SET seq = 0 WHERE name = 'log_kas'",
        "DELETE FROM log_kas")
    kb.run("import", "--db", db, "--from", out, "--mode", "replace", "--yes", check=True)
    assert rows(db, "audit_log") == audit                        # the triggers did not write again
    conn = sqlite3.connect(db)
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'").fetchone()[0]
    assert seq == HARD_AUTOINCREMENT_SEQ
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 2


def test_full_text_index_kept_by_triggers_is_rebuilt(tmp_path, kb):
    db = tmp_path / "docs.db"
    sql(db, "CREATE TABLE catatan (id INTEGER PRIMARY KEY, isi TEXT)",
        "CREATE VIRTUAL TABLE cari USING fts5(isi, content='catatan', content_rowid='id')",
        "CREATE TRIGGER catatan_ai AFTER INSERT ON catatan BEGIN "
        "INSERT INTO cari(rowid, isi) VALUES (new.id, new.isi); END",
        "CREATE TRIGGER catatan_ad AFTER DELETE ON catatan BEGIN "
        "INSERT INTO cari(cari, rowid, isi) VALUES ('delete', old.id, old.isi); END",
        "INSERT INTO catatan (isi) VALUES ('beras pandan wangi'), ('kopi tubruk'), ('gula pasir')")
    out = tmp_path / "docs.json"
    kb.run("export", "--db", db, "--format", "json", "--out", out, check=True)
    sql(db, "DELETE FROM catatan WHERE id = 2")
    kb.run("import", "--db", db, "--from", out, "--yes", check=True)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT rowid FROM cari WHERE cari MATCH 'kopi'").fetchall() == [(2,)]
    assert conn.execute("INSERT INTO cari(cari) VALUES ('integrity-check')") is not None


def test_broken_foreign_keys_are_rejected(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", out, "--tables", "transaksi", check=True)
    doc = json.loads(out.read_text(encoding="utf-8"))
    cols = doc["tables"][0]["columns"]
    doc["tables"][0]["rows"][0][cols.index("pelanggan_id")] = 999_999
    doc["tables"][0]["rows"][1][cols.index("kembalian")] = None                  # NOT NULL
    out.write_text(json.dumps(doc), encoding="utf-8")                              # all on one line
    before = sha(pos_db)
    preview = kb.run("import", "--db", pos_db, "--from", out, "--dry-run", "--json")
    assert preview.returncode == 1 and "2 rows" in preview.stderr
    report = json.loads(preview.stdout)
    reasons = " ".join(report["tables"][0]["reasons"])
    assert "pelanggan that does not exist" in reasons and "NOT NULL constraint failed: transaksi.kembalian" in reasons
    assert "row 2" in reasons
    proc = kb.run("import", "--db", pos_db, "--from", out, "--yes")
    assert proc.returncode == 1 and "Nothing was changed" in proc.stderr
    assert sha(pos_db) == before


def test_a_workbook_edited_in_a_spreadsheet_merges(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.xlsx"
    kb.run("export", "--db", pos_db, "--format", "xlsx", "--out", out, check=True)
    wb = openpyxl.load_workbook(out)
    ws = wb["produk"]
    head = [c.value for c in ws[1]]
    ws.cell(row=3, column=head.index("nama") + 1, value="Kopi Kapal Api 20 sachet")
    ws.append([9999, "8990000099999", "Teh Kotak", 3000, 4000, 12, "Minuman", "pcs"])
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    done = totals(kb.json("import", "--db", pos_db, "--from", edited, "--yes"))
    assert done["produk"] == {"inserted": 1, "updated": 1, "unchanged": len(rows(pos_db, "produk")) - 2,
                              "removed": 0, "rejected": 0}
    assert all(t["updated"] == t["inserted"] == 0 for n, t in done.items() if n != "produk")
    conn = sqlite3.connect(pos_db)
    assert conn.execute("SELECT nama FROM produk WHERE id = 2").fetchone()[0] == "Kopi Kapal Api 20 sachet"
    assert conn.execute("SELECT kode, stok FROM produk WHERE id = 9999").fetchone() == ("8990000099999", 12)


def test_csv_files_import_one_table_or_all(tmp_path, kb, pos_db):
    folder, zipped = tmp_path / "csv", tmp_path / "csv.zip"
    kb.run("export", "--db", pos_db, "--format", "csv", "--out", folder, check=True)
    kb.run("export", "--db", pos_db, "--format", "csv", "--out", zipped, check=True)
    original = rows(pos_db, "pelanggan")
    sql(pos_db, "UPDATE pelanggan SET telepon = '', nik = NULL WHERE id = 3")
    one = totals(kb.json("import", "--db", pos_db, "--from", folder / "pelanggan.csv", "--yes"))
    assert list(one) == ["pelanggan"] and one["pelanggan"]["updated"] == 1
    assert rows(pos_db, "pelanggan") == original
    sql(pos_db, "DELETE FROM transaksi_detail WHERE id < 4")
    everything = totals(kb.json("import", "--db", pos_db, "--from", zipped, "--yes"))
    assert everything["transaksi_detail"]["inserted"] == 3 and everything["pelanggan"]["updated"] == 0
    same = totals(kb.json("import", "--db", pos_db, "--from", folder, "--dry-run"))
    assert all(t["inserted"] == t["updated"] == 0 for t in same.values())


def test_a_database_in_use_is_not_touched(tmp_path, kb, pos_db):
    out = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", out, check=True)
    holder = sqlite3.connect(pos_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE produk SET stok = stok + 1 WHERE id = 1")
    try:
        proc = kb.run("import", "--db", pos_db, "--from", out, "--yes", "--wait", "0.5")
        # the program holding it (this test's process) is named
        assert proc.returncode == 1 and f"({os.getpid()}) has the database" in proc.stderr, proc.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_sorted_and_edited_workbook_keeps_exact_values(tmp_path, kb):
    """Rows sorted in a spreadsheet still get their exact values (NULL vs '', a 1 MiB text)
    back, and a cell someone changed keeps the new value."""
    db = tmp_path / "hard.db"
    make_hard_cases_db(str(db))
    out = tmp_path / "hard.xlsx"
    kb.run("export", "--db", db, "--format", "xlsx", "--out", out, check=True)
    original = {t: rows(db, t) for t in ("data pelanggan", "catatan")}
    wb = openpyxl.load_workbook(out)
    for name in ("data pelanggan", "catatan"):
        ws = wb[name]
        data = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        for i, values in enumerate(reversed(data), start=2):       # sort descending by id
            for j, v in enumerate(values, start=1):
                ws.cell(row=i, column=j).value = v                     # (value=None would keep the old)
    ws = wb["data pelanggan"]
    head = [c.value for c in ws[1]]
    row_of_5 = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == 5)
    ws.cell(row=row_of_5, column=head.index("no hp") + 1, value="081299990000")   # was ''
    edited = tmp_path / "sorted.xlsx"
    wb.save(edited)
    sql(db, 'DELETE FROM "data pelanggan"', "DELETE FROM catatan")
    kb.run("import", "--db", db, "--from", edited, "--mode", "replace", "--yes", check=True)
    assert rows(db, "catatan") == original["catatan"]
    expected = [r if r[0] != ("int", 5) else [r[0], r[1], ("str", "081299990000"), *r[3:]]
                for r in original["data pelanggan"]]
    assert rows(db, "data pelanggan") == expected
    nulls = [r[2] for r in original["data pelanggan"]]
    assert ("NoneType", None) in nulls and ("str", "") in nulls                 # both kinds were there


def test_self_references_are_checked_at_the_end(tmp_path, kb):
    """A category tree whose children come before their parents in the file: foreign keys
    are checked once all rows are in, so the order in the file does not matter."""
    db = tmp_path / "kategori.db"
    sql(db, "CREATE TABLE kategori (id INTEGER PRIMARY KEY, nama TEXT, induk INTEGER REFERENCES kategori(id))",
        "INSERT INTO kategori VALUES (1, 'Semua', NULL), (2, 'Mie', 3), (3, 'Makanan', 1), (4, 'Kopi', 9)")
    out = tmp_path / "kategori.json"
    kb.run("export", "--db", db, "--format", "json", "--out", out, check=True)
    sql(db, "DELETE FROM kategori WHERE id IN (2, 3)")
    done = totals(kb.json("import", "--db", db, "--from", out, "--yes"))    # row 4's broken link was there before
    assert done["kategori"]["inserted"] == 2 and done["kategori"]["rejected"] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["tables"][0]["rows"][1][2] = 77
    out.write_text(json.dumps(doc), encoding="utf-8")
    proc = kb.run("import", "--db", db, "--from", out, "--yes")
    assert proc.returncode == 1 and "kategori" in proc.stderr


def test_an_empty_database_with_a_search_index_is_nobodys(tmp_path, kb):
    """A new, empty database of the same application: its FTS5 index already holds rows in
    its shadow tables (note_fts_data, note_fts_config …), which are no shop's data. The
    export of another copy goes in without --force-other-database; a database that does
    hold rows of another shop is still told apart."""
    schema = ["CREATE TABLE note (id INTEGER PRIMARY KEY, judul TEXT, isi TEXT)",
              "CREATE VIRTUAL TABLE note_fts USING fts5(judul, isi, content='note', content_rowid='id')",
              "CREATE TRIGGER note_ai AFTER INSERT ON note BEGIN INSERT INTO note_fts(rowid, judul, isi) "
              "VALUES (new.id, new.judul, new.isi); END"]
    shop, empty, other = tmp_path / "toko.db", tmp_path / "baru.db", tmp_path / "lain.db"
    for path in (shop, empty, other):
        conn = sqlite3.connect(path)
        for stmt in schema:
            conn.execute(stmt)
        conn.commit()
        conn.close()
    for path, rows in ((shop, [("stok", "kopi tinggal 3"), ("kas", "setor 500 rb")]), (other, [("x", "y")])):
        conn = sqlite3.connect(path)
        conn.executemany("INSERT INTO note (judul, isi) VALUES (?, ?)", rows)
        conn.commit()
        conn.close()
    conn = sqlite3.connect(empty)
    shadow_rows = conn.execute("SELECT count(*) FROM note_fts_data").fetchone()[0]
    conn.close()
    assert shadow_rows > 0                      # the index's shadow tables are not empty
    out = tmp_path / "toko.json"
    kb.run("export", "--db", shop, "--format", "json", "--out", out, check=True)
    proc = kb.run("import", "--db", empty, "--from", out, "--repo", tmp_path / "repo", "--yes")
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(empty)
    assert conn.execute("SELECT judul FROM note ORDER BY id").fetchall() == [("stok",), ("kas",)]
    assert conn.execute("SELECT rowid FROM note_fts WHERE note_fts MATCH 'kopi'").fetchall() == [(1,)]
    conn.close()
    refused = kb.run("import", "--db", other, "--from", out, "--repo", tmp_path / "repo", "--yes")
    assert refused.returncode == 1 and "different database" in refused.stderr, refused.stderr
    assert "note_fts" not in refused.stderr
