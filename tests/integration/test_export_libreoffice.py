"""A real spreadsheet program opens our workbooks: LibreOffice (headless) converts every
sheet of an XLSX export to CSV, and each sheet must have the right number of rows, with
phone numbers and NIKs still text and dates shown as dates.

Needs the Debian package ``libreoffice-calc-nogui`` (scripts/test.sh installs it)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.support.dbgen import T_PELANGGAN, make_hard_cases_db

from kasirbackup.core.exports.exporter import ExportRequest, export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

# CSV filter: comma, double quote, UTF-8 (76), from line 1; the last token -1 = every sheet
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
csv.field_size_limit(1 << 30)


def convert(xlsx: Path, outdir: Path, profile: Path) -> dict[str, list[list[str]]]:
    outdir.mkdir()
    env = dict(os.environ, HOME=str(profile))
    proc = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                           "--convert-to", FILTER, "--outdir", str(outdir), str(xlsx)],
                          capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    sheets = {}
    prefix = xlsx.stem + "-"
    for f in outdir.iterdir():
        assert f.name.startswith(prefix) and f.suffix == ".csv", f.name
        with open(f, encoding="utf-8", newline="") as fh:
            sheets[f.stem[len(prefix):]] = list(csv.reader(fh))
    return sheets


def test_libreoffice_reads_every_sheet(tmp_path, pos_db):
    hard = tmp_path / "hard.db"
    make_hard_cases_db(str(hard))
    for db, max_rows in ((pos_db, 1_048_576), (hard, 1_048_576), (pos_db, 501)):
        xlsx = tmp_path / f"{db.stem}-{max_rows}.xlsx"
        res = export(ExportRequest("xlsx", xlsx, db=db, xlsx_max_rows=max_rows))
        sheets = convert(xlsx, tmp_path / f"lo-{xlsx.stem}", tmp_path / "profile")
        expected = {s for ss in res.sheets.values() for s in ss} | {"Summary", "_kasirbackup"}
        assert set(sheets) == expected
        for table, names in res.sheets.items():
            got = sum(len(sheets[n]) - 1 for n in names)
            assert got == res.tables[table], (table, names, got, res.tables[table])
            for n in names:
                assert sheets[n][0] == [c for c in sheets[names[0]][0]]        # a header on every sheet
        if db == pos_db and max_rows == 1_048_576:
            pel = sheets["pelanggan"]
            head = pel[0]
            phones = [r[head.index("telepon")] for r in pel[1:] if r[head.index("telepon")]]
            assert phones and all(p.startswith("08") for p in phones)            # not 8.12E+10
            niks = [r[head.index("nik")] for r in pel[1:] if r[head.index("nik")]]
            assert niks and all(len(n) == 16 and n.isdigit() for n in niks)      # all 16 digits
            trx = sheets["transaksi"]
            when = trx[1][trx[0].index("tanggal")]
            assert len(when) == 19 and when[4] == "-" and when[13] == ":"       # a date, shown as one
        if db == hard:
            pel = sheets[T_PELANGGAN]
            assert "081100000000" in [r[2] for r in pel[1:]]
            big = sheets["angka_besar"]
            assert "9223372036854775807" in [r[1] for r in big[1:]]            # every digit kept


def test_a_carriage_return_stays_one_in_the_spreadsheet_and_comes_back(tmp_path):
    """XML turns a raw CR into LF when read; the workbook writes OOXML's ``_x000D_`` so that
    the spreadsheet shows the CR, and a text that merely looks like such an escape is kept."""
    import sqlite3

    import openpyxl

    from kasirbackup.core.imports.importer import execute_import, prepare_import

    db = tmp_path / "notes.db"
    texts = ["line one\r\nline two", "old mac\rline", "literally _x000D_ here", "_x005F_x0041_", "plain"]
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.executemany("INSERT INTO note (body) VALUES (?)", [(t,) for t in texts])
    conn.commit()
    conn.close()
    xlsx = tmp_path / "notes.xlsx"
    export(ExportRequest("xlsx", xlsx, db=db))

    wb = openpyxl.load_workbook(xlsx, read_only=True)
    meta_rows = list(wb["_kasirbackup"].iter_rows(values_only=True))
    assert [r for r in meta_rows if r[0] == "cell"] == [], "a CR needed an override: the cell alone did not hold it"
    wb.close()

    # what a spreadsheet program shows: LibreOffice writes the cell's text out again (it
    # makes CR LF inside a cell one LF itself; the file holds both: see the XML)
    sheet = convert(xlsx, tmp_path / "lo", tmp_path / "profile")["note"]
    assert [r[1] for r in sheet[1:]] == ["line one\nline two"] + texts[1:]
    with zipfile.ZipFile(xlsx) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert b"line one_x000D_\nline two" in xml

    target = tmp_path / "empty.db"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.commit()
    conn.close()
    execute_import(prepare_import(target, xlsx, mode="replace", force_other_database=True))
    conn = sqlite3.connect(target)
    assert [r[0] for r in conn.execute("SELECT body FROM note ORDER BY id")] == texts
    conn.close()


# -- the metadata sheet stays out of the accountant's way -------------------------------------------

def resave(xlsx: Path, outdir: Path, profile: Path) -> Path:
    """The workbook opened and saved again by LibreOffice (as a person saving an edited file)."""
    outdir.mkdir()
    env = dict(os.environ, HOME=str(profile))
    proc = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(xlsx)],
                          capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    out = outdir / xlsx.name
    assert out.is_file(), proc.stdout + proc.stderr
    return out


def sheet_states(xlsx: Path) -> list[tuple[str, str]]:
    import openpyxl

    wb = openpyxl.load_workbook(xlsx, read_only=True)
    try:
        return [(ws.title, ws.sheet_state) for ws in wb.worksheets]
    finally:
        wb.close()


def as_older_versions_wrote_it(xlsx: Path, dest: Path) -> Path:
    """The same workbook as exports before the sheet was very hidden: merely hidden, no note."""
    import re

    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        book = src.read("xl/workbook.xml").decode()
        rid = re.search(r'<sheet name="_kasirbackup" [^>]*r:id="(\w+)"', book).group(1)
        rels = src.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*>', rels).group(0)
        part = "xl/" + re.search(r'Target="/?(?:xl/)?([^"]+)"', target).group(1)
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'state="veryHidden"', b'state="hidden"')
            elif info.filename == part:
                data, n = re.subn(rb'<row r="1"[ >].*?</row>', b"", data, count=1, flags=re.S)
                assert n == 1 and b"KasirBackup keeps here" not in data
            out.writestr(info, data)
    return dest


def test_the_metadata_sheet_is_very_hidden_and_survives_libreoffice(tmp_path, pos_db):
    import sqlite3

    from kasirbackup.core.imports.importer import dry_run_import, execute_import, prepare_import

    xlsx = tmp_path / "untuk-akuntan.xlsx"
    res = export(ExportRequest("xlsx", xlsx, db=pos_db))
    tables = [s for ss in res.sheets.values() for s in ss]
    states = sheet_states(xlsx)
    assert states == [("Summary", "visible")] + [(s, "visible") for s in tables] + [("_kasirbackup", "veryHidden")]
    with zipfile.ZipFile(xlsx) as zf:
        book = zf.read("xl/workbook.xml").decode()
    assert 'activeTab="0"' in book or "activeTab" not in book      # opens on the summary, a sheet for people

    # LibreOffice opens it and saves it again: it keeps the sheet hidden (LibreOffice has no
    # "very hidden"), the summary and the tables stay the visible ones, and it still imports
    again = resave(xlsx, tmp_path / "lo", tmp_path / "profile")
    states = sheet_states(again)
    visible = [n for n, st in states if st == "visible"]
    assert visible == ["Summary"] + tables and dict(states)["_kasirbackup"] == "hidden", states
    older = as_older_versions_wrote_it(xlsx, tmp_path / "older.xlsx")
    assert dict(sheet_states(older))["_kasirbackup"] == "hidden"
    for f in (xlsx, again, older):
        with prepare_import(pos_db, f, mode="replace") as plan:
            assert plan.identity.same, (f, plan.identity)
            report = dry_run_import(plan)
        assert [(t.inserted, t.updated, t.removed, t.rejected) for t in report.tables if
                t.inserted or t.updated or t.removed or t.rejected] == [], (f.name, report.tables)

    # and a real round trip from the file LibreOffice saved: every row back, exactly
    def dump(db):
        conn = sqlite3.connect(db)
        try:
            return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in res.tables}
        finally:
            conn.close()
    want = dump(pos_db)
    conn = sqlite3.connect(pos_db)
    conn.execute("PRAGMA foreign_keys = OFF")
    for t in ("transaksi_detail", "transaksi"):
        conn.execute(f'DELETE FROM "{t}" WHERE rowid % 3 = 0')
    conn.commit()
    conn.close()
    assert dump(pos_db) != want
    execute_import(prepare_import(pos_db, again, mode="merge"))
    assert dump(pos_db) == want
