"""Bad import files: each gives one clear line on standard error, exit status 1, no
traceback — and the database is exactly as before (same bytes)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.support.dbgen import make_hard_cases_db

from kasirbackup.core.imports.files import FileTooLarge, ImportLimits
from kasirbackup.core.imports.importer import prepare_import


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def exported(tmp_path, kb, pos_db):
    """The POS database with a JSON, an XLSX and a CSV export of it."""
    files = {}
    for fmt, name in (("json", "kasir.json"), ("xlsx", "kasir.xlsx"), ("csv", "csv")):
        files[fmt] = tmp_path / name
        kb.run("export", "--db", pos_db, "--format", fmt, "--out", files[fmt], check=True)
    return files


def refused(kb, db: Path, source: Path, *words: str, extra: tuple = ()) -> str:
    before = sha(db)
    proc = kb.run("import", "--db", db, "--from", source, "--yes", *extra)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    line = proc.stderr
    assert line.startswith("kasirbackup: ") and line.count("\n") == 1 and "Traceback" not in line, line
    for w in words:
        assert w in line, (w, line)
    assert sha(db) == before and not Path(str(db) + "-journal").exists()
    return line


def test_truncated_and_damaged_json(tmp_path, kb, pos_db, exported):
    text = exported["json"].read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    refused(kb, pos_db, cut, "ends too early")
    cut.write_text(text[:-3], encoding="utf-8")
    refused(kb, pos_db, cut, "ends too early")
    bad = tmp_path / "bad.json"
    i = text.index("\n[", len(text) // 2)
    bad.write_text(text[:i] + "\n[1,,2]" + text[i:], encoding="utf-8")
    refused(kb, pos_db, bad, "damaged at character")
    latin = tmp_path / "latin.json"
    latin.write_bytes(text.encode("utf-8").replace(b'"Budi', b'"B\xfcdi', 1))
    refused(kb, pos_db, latin, "not UTF-8")


def test_json_of_another_shape(tmp_path, kb, pos_db, exported):
    doc = json.loads(exported["json"].read_text(encoding="utf-8"))
    cases = {
        "toko.json": ([{"id": 1, "kode": "SKU001", "nama": "Minyak Goreng Bimoli"}], "list of records"),
        "other.json": ({"produk": [[1, "x"]]}, "no 'tables'"),
        "meta.json": ({"metadata": {"format": "financex"}, "tables": []}, "not a KasirBackup export"),
    }
    short = json.loads(json.dumps(doc))
    short["tables"][0]["rows"][3] = short["tables"][0]["rows"][3][:-1]
    cases["short-row.json"] = (short, "expected a list of")
    nested = json.loads(json.dumps(doc))
    nested["tables"][0]["rows"][0][1] = [1, 2]
    cases["nested.json"] = (nested, "unexpected kind")
    renamed = json.loads(json.dumps(doc))
    renamed["tables"][0]["columns"][1] = "kode_barang"
    cases["renamed.json"] = (renamed, "columns of table")
    for name, (obj, words) in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(obj), encoding="utf-8")
        refused(kb, pos_db, path, words)


def _edited(src: Path, dest: Path, edit) -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(dest)
    return dest


def test_workbook_with_sheets_or_columns_changed(tmp_path, kb, pos_db, exported):
    x = exported["xlsx"]

    def rename_sheet(wb):
        wb["produk"].title = "barang"

    def rename_column(wb):
        wb["pelanggan"].cell(row=1, column=3, value="no_hp")

    def add_column(wb):
        wb["pelanggan"].cell(row=1, column=9, value="catatan")

    def drop_column(wb):
        wb["pelanggan"].delete_cols(3)

    cases = [
        (lambda wb: wb.remove(wb["produk"]), "produk are missing"),
        (rename_sheet, "renamed?"),
        (lambda wb: wb.create_sheet("Catatan kasir"), "Catatan kasir were not part of the export"),
        (rename_column, "telepon are missing and no_hp were added"),
        (add_column, "catatan were added"),
        (drop_column, "telepon are missing"),
        (lambda wb: wb.remove(wb["_kasirbackup"]), "_kasirbackup"),
    ]
    for i, (edit, words) in enumerate(cases):
        refused(kb, pos_db, _edited(x, tmp_path / f"edit{i}.xlsx", edit), words)


def test_wrong_type_for_a_strict_column_is_rejected_with_its_place(tmp_path, kb):
    db = tmp_path / "hard.db"
    make_hard_cases_db(str(db))
    x = tmp_path / "hard.xlsx"
    kb.run("export", "--db", db, "--format", "xlsx", "--out", x, check=True)

    def edit(wb):
        ws = wb["stok_ketat"]
        head = [c.value for c in ws[1]]
        ws.cell(row=3, column=head.index("qty") + 1, value="banyak")

    bad = _edited(x, tmp_path / "bad.xlsx", edit)
    before = sha(db)
    proc = kb.run("import", "--db", db, "--from", bad, "--dry-run", "--json")
    assert proc.returncode == 1 and "1 rows" in proc.stderr
    report = {t["name"]: t for t in json.loads(proc.stdout)["tables"]}
    assert report["stok_ketat"]["rejected"] == 1
    assert report["stok_ketat"]["reasons"] == [
        "sheet stok_ketat, row 3: cannot store TEXT value in INTEGER column stok_ketat.qty"]
    assert sha(db) == before
    refused(kb, db, bad, "cannot store TEXT value in INTEGER column")


def test_duplicate_keys_in_the_file(tmp_path, kb, pos_db, exported):
    doc = json.loads(exported["json"].read_text(encoding="utf-8"))
    produk = next(t for t in doc["tables"] if t["name"] == "produk")
    produk["rows"].append(list(produk["rows"][5]))
    produk["rows"][-1][2] = "Nama lain"
    dup = tmp_path / "dup.json"
    dup.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    proc = kb.run("import", "--db", pos_db, "--from", dup, "--dry-run", "--json")
    report = {t["name"]: t for t in json.loads(proc.stdout)["tables"]}
    assert proc.returncode == 1 and report["produk"]["rejected"] == 2
    assert "appears more than once" in report["produk"]["reasons"][0]
    refused(kb, pos_db, dup, "2 rows", "appears more than once")


def test_zip_bombs_and_xml_entities_are_refused_before_parsing(tmp_path, kb, pos_db, exported):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(exported["xlsx"]) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (40 << 20), 1)
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    refused(kb, pos_db, bomb, "too large to import safely", "expand")
    laughs = tmp_path / "laughs.xlsx"
    entity = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(exported["xlsx"]) as src, zipfile.ZipFile(laughs, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = entity + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            dst.writestr(info, data)
    refused(kb, pos_db, laughs, "declares XML entities")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(exported["xlsx"].read_bytes()[:5000])
    refused(kb, pos_db, cut)


def test_row_and_size_limits_are_checked_while_reading(tmp_path, pos_db, exported):
    small = ImportLimits(max_rows=100)
    for f in exported.values():
        with pytest.raises(FileTooLarge, match="more than 100 rows"):
            prepare_import(pos_db, f, limits=small, dry_run=True)
    with pytest.raises(FileTooLarge, match="contents would take"):
        prepare_import(pos_db, exported["xlsx"], limits=ImportLimits(max_uncompressed=10_000), dry_run=True)


def test_csv_with_another_delimiter_or_encoding(tmp_path, kb, pos_db, exported):
    csvdir = exported["csv"]
    text = (csvdir / "produk.csv").read_text(encoding="utf-8-sig")
    semi = tmp_path / "produk.csv"
    semi.write_text(text.replace(",", ";"), encoding="utf-8-sig")
    refused(kb, pos_db, semi, "semicolons")
    ansi = tmp_path / "ansi" / "produk.csv"
    ansi.parent.mkdir()
    ansi.write_bytes(text.replace("Indomie", "Indomié").encode("cp1252"))
    refused(kb, pos_db, ansi, "not UTF-8", "0xE9")
    utf16 = tmp_path / "u16" / "produk.csv"
    utf16.parent.mkdir()
    utf16.write_text(text, encoding="utf-16")
    refused(kb, pos_db, utf16, "UTF-16")
    ragged = tmp_path / "ragged" / "produk.csv"
    ragged.parent.mkdir()
    lines = text.split("\n")
    lines[4] = lines[4] + ',"extra"'
    ragged.write_text("\n".join(lines), encoding="utf-8")
    refused(kb, pos_db, ragged, "line 5", "9 values instead of 8")
    wrong = tmp_path / "nope" / "barang.csv"
    wrong.parent.mkdir()
    wrong.write_text(text, encoding="utf-8")
    refused(kb, pos_db, wrong, "table barang")


def test_files_that_are_not_exports(tmp_path, kb, pos_db):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    refused(kb, pos_db, empty, "empty")
    png = tmp_path / "foto.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    refused(kb, pos_db, png, "foto.png is not a CSV, JSON or Excel file exported by KasirBackup", "not text",
            "Choose one of those files")
    refused(kb, pos_db, tmp_path / "missing.json", "does not exist")
    other_db = tmp_path / "x.db"
    sqlite3.connect(other_db).execute("CREATE TABLE t (x)").connection.close()
    refused(kb, pos_db, other_db, "x.db is not a CSV, JSON or Excel file exported by KasirBackup",
            "SQLite database", "restore")


NOT_AN_EXPORT = "is not a CSV, JSON or Excel file exported by KasirBackup"


def test_a_text_file_is_refused_in_one_line_unless_it_holds_an_export(tmp_path, kb, pos_db, exported):
    """A .txt picked with "All files" is not read as CSV: it is refused with what to do, before
    anything else is looked at — unless its content is an export (a renamed CSV or JSON)."""
    notes = tmp_path / "produk.txt"          # named like a table: it must not be read as one
    notes.write_text("Catatan belanja\nberas,5kg\ngula,2kg\n", encoding="utf-8")
    line = refused(kb, pos_db, notes, f"produk.txt {NOT_AN_EXPORT}", "Choose one of those files",
                   ".csv, .json or .xlsx", "nothing was changed")
    assert "CSV export" in line
    resaved = tmp_path / "resaved" / "produk.txt"   # a CSV saved again without its quotes
    resaved.parent.mkdir()
    text = (exported["csv"] / "produk.csv").read_text(encoding="utf-8-sig")
    resaved.write_text(text.replace('"', ""), encoding="utf-8")
    refused(kb, pos_db, resaved, NOT_AN_EXPORT)
    utf16 = tmp_path / "unicode.txt"
    utf16.write_text("Catatan\r\n", encoding="utf-16")
    refused(kb, pos_db, utf16, NOT_AN_EXPORT, "text")
    dump = tmp_path / "kasir.sql"
    kb.run("export", "--db", pos_db, "--format", "sql", "--out", dump, check=True)
    refused(kb, pos_db, dump, f"kasir.sql {NOT_AN_EXPORT}", "SQL export", "sqlite3")

    # the content decides: an exported CSV or JSON file that only lost its name still imports
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    (renamed / "produk.txt").write_bytes((exported["csv"] / "produk.csv").read_bytes())
    (renamed / "kasir.txt").write_bytes(exported["json"].read_bytes())
    before = sha(pos_db)
    for f, tables in ((renamed / "produk.txt", ["produk"]), (renamed / "kasir.txt", None)):
        proc = kb.run("import", "--db", pos_db, "--from", f, "--dry-run", "--json")
        assert proc.returncode == 0, (f, proc.stderr)
        report = json.loads(proc.stdout)
        names = [t["name"] for t in report["tables"]]
        assert names == tables if tables else len(names) > 1, report
        assert all(t["inserted"] == t["updated"] == t["rejected"] == 0 for t in report["tables"]), report
    assert sha(pos_db) == before
