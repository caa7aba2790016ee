"""A real spreadsheet program opens our workbooks: LibreOffice (headless) converts every
sheet of an XLSX export to CSV, and each sheet must have the right number of rows, with
phone numbers and NIKs still text and dates shown as dates.

Needs the Debian package ``libreoffice-calc-nogui`` (scripts/test.sh installs it)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
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
