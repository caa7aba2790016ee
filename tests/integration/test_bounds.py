"""Bounds on what a hostile or unlucky input can make us do: no unbounded recursion.

A hot journal on a read-only medium used to make the capture reopen and call itself
without end ("unexpected error: RecursionError"); JSON nested 100,000 deep in an import
file or in settings.json did the same in the parser. Each now gives one clear line.

And no bombs: an index or a workbook made to expand is refused with little memory (the
peak of the whole command, measured in a child process, stays under 250 MB)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.privileges import remount

from tests.support import xlsx_bombs

DEEP = 100_000


def one_clear_line(proc, *words):
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    line = proc.stderr
    assert line.startswith("kasirbackup: ") and line.count("\n") == 1, line
    assert "RecursionError" not in line and "unexpected error" not in line, line
    for w in words:
        assert w in line, (w, line)
    return line


HALF_WRITTEN = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")          # spill changed pages into the file before COMMIT
conn.execute("BEGIN")
conn.execute("UPDATE sale SET total = total + 1")
os._exit(0)                                  # gone mid-transaction: the journal is hot
"""


def test_hot_journal_on_a_read_only_disk_is_one_clear_line(kb, tmp_path, mount_tmpfs):
    disk = mount_tmpfs("ro", "8m", "0755")
    db = disk / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, note TEXT, total INTEGER)")
    conn.executemany("INSERT INTO sale (note, total) VALUES (?, ?)", [("x" * 200, i) for i in range(5000)])
    conn.commit()
    conn.close()
    subprocess.run([sys.executable, "-c", HALF_WRITTEN, str(db)], check=True, timeout=60)
    journal = Path(str(db) + "-journal")
    assert journal.exists() and journal.stat().st_size > 512, "no hot journal was left"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    r = remount(disk, read_only=True)
    assert r.returncode == 0, r.stderr

    proc = kb.run("backup", "--db", db, "--repo", tmp_path / "repo", timeout=120)
    one_clear_line(proc, "half-written", "read-only")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before and journal.exists()


def test_import_file_nested_far_too_deeply(kb, tmp_path, pos_db):
    source = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", source, check=True)
    text = source.read_text(encoding="utf-8")
    i = text.index("\n[", len(text) // 2) + 1
    deep = tmp_path / "deep.json"
    deep.write_text(text[:i] + "[" * DEEP + "]" * DEEP + "," + text[i:], encoding="utf-8")
    before = hashlib.sha256(pos_db.read_bytes()).hexdigest()
    one_clear_line(kb.run("import", "--db", pos_db, "--from", deep, "--yes"), "nested far too deeply")
    assert hashlib.sha256(pos_db.read_bytes()).hexdigest() == before


def test_settings_nested_far_too_deeply(kb, tmp_path):
    config = tmp_path / "_config"
    config.mkdir()
    (config / "settings.json").write_text('{"version": 1, "profiles": ' + "[" * DEEP + "]" * DEEP + "}")
    kb.env["KASIRBACKUP_CONFIG_DIR"] = str(config)
    line = one_clear_line(kb.run("profile", "list"), "settings file", "nested far too deeply")
    assert "A copy was kept as" in line
    assert any(p.name != "settings.json" for p in config.iterdir())      # the copy is there


MEASURE = """
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(p.returncode)
"""


def zstd_bomb(size: int) -> bytes:
    """A zstd frame that declares and holds ``size`` zero bytes, made without holding them."""
    import io

    import zstandard

    out = io.BytesIO()
    with zstandard.ZstdCompressor(level=3, write_checksum=True).stream_writer(out, size=size, closefd=False) as w:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            w.write(chunk)
    return out.getvalue()


def test_an_index_bomb_is_refused_with_little_memory(kb, tmp_path):
    from kasirbackup.core.repo.packs import INDEX_MAGIC

    db = tmp_path / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, total INTEGER)")
    conn.executemany("INSERT INTO sale (total) VALUES (?)", [(i,) for i in range(1000)])
    conn.commit()
    conn.close()
    repo = tmp_path / "repo"
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    bomb = INDEX_MAGIC + zstd_bomb(500 << 20)
    assert len(bomb) < 64 * 1024
    (repo / "index" / hashlib.sha256(bomb).hexdigest()).write_bytes(bomb)

    proc = subprocess.run([sys.executable, "-c", MEASURE, *kb.argv("verify", "--repo", repo)], env=kb.env,
                          capture_output=True, text=True, timeout=300)
    rss_mb = int(proc.stdout.rsplit("MAXRSS_KB", 1)[1]) / 1024
    assert rss_mb < 250, f"verify used {rss_mb:.0f} MB for a {len(bomb)}-byte index file"
    assert "OK " in proc.stdout and "rebuilt from the backup files" in proc.stdout, proc.stdout + proc.stderr


XLSX_BOMBS = {
    # name: (how it is made, what the refusal says); each drove an import to 0.5-4.3 GB
    # (or, the huge tag, to 15 minutes of CPU) before the parts were bounded
    "one cell of 100 MB": (lambda src, dst: xlsx_bombs.huge_cell(src, dst, 100 << 20),
                           "MB in one cell, tag or comment"),
    "a row of 40 MB in cells of 16 KB": (lambda src, dst: xlsx_bombs.long_row(src, dst, 40 << 20),
                                         "row 1 of sheet produk holds more than 32 MB"),
    "a row of a million cells": (lambda src, dst: xlsx_bombs.wide_row(src, dst, 1_000_000), "16384 cells"),
    "a start tag of 40 MB": (lambda src, dst: xlsx_bombs.huge_tag(src, dst, 40 << 20), "in one cell, tag or comment"),
    "two million shared strings": (lambda src, dst: xlsx_bombs.many_shared_strings(src, dst, 2_000_000),
                                   "more than 1,000,000 texts"),
    "a styles part of 40 MB": (lambda src, dst: xlsx_bombs.huge_styles(src, dst, 40 << 20), "xl/styles.xml is"),
}


@pytest.fixture(scope="module")
def shop_xlsx(tmp_path_factory):
    from tests.integration.kbhelpers import make_kb

    base = tmp_path_factory.mktemp("xlsx-bombs")
    db = base / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE produk (id INTEGER PRIMARY KEY, nama TEXT, harga INTEGER)")
    conn.executemany("INSERT INTO produk (nama, harga) VALUES (?, ?)", [(f"barang {i}", i * 100) for i in range(500)])
    conn.commit()
    conn.close()
    kb = make_kb(base)
    kb.run("export", "--db", db, "--format", "xlsx", "--out", base / "kasir.xlsx", check=True)
    return kb, db, base / "kasir.xlsx"


@pytest.mark.parametrize("case", list(XLSX_BOMBS))
def test_a_workbook_bomb_is_refused_with_little_memory(shop_xlsx, tmp_path, case):
    kb, db, src = shop_xlsx
    make, words = XLSX_BOMBS[case]
    bomb = make(src, tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(bomb) as zf:       # it passes the archive's own checks: only the part bounds stop it
        assert all(i.file_size < 200 * max(i.compress_size, 1) for i in zf.infolist())
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = subprocess.run([sys.executable, "-c", MEASURE, *kb.argv("import", "--db", db, "--from", bomb, "--yes")],
                          env=kb.env, capture_output=True, text=True, timeout=300)
    rss_mb = int(proc.stdout.rsplit("MAXRSS_KB", 1)[1]) / 1024
    assert rss_mb < 250, f"import used {rss_mb:.0f} MB for {case}"
    one_clear_line(proc, "too large to import safely", words)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_workbook_within_the_bounds_still_imports(shop_xlsx, tmp_path):
    """The bounds are far from a real workbook: an export re-saved with shared strings, a
    cell of 30,000 characters and a row of 2,000 cells pass the scan."""
    from kasirbackup.core.imports.xlsx_bounds import check_xlsx_parts

    kb, db, src = shop_xlsx
    near = xlsx_bombs.rebuild(src, tmp_path / "near.xlsx", {
        "xl/sharedStrings.xml": lambda: iter([f'<sst {xlsx_bombs.NS}>', "<si><t>x</t></si>" * 100_000, "</sst>"]),
        xlsx_bombs.first_table_sheet(src): lambda: iter([
            f'<worksheet {xlsx_bombs.NS}><sheetData><row r="1">', "<c><v>1</v></c>" * 2_000, "</row>",
            '<row r="2"><c t="inlineStr"><is><t>', "y" * 30_000, "</t></is></c></row></sheetData></worksheet>"]),
    }, content_types_extra=xlsx_bombs.SHARED)
    with zipfile.ZipFile(near) as zf:
        check_xlsx_parts(near, zf)              # no FileTooLarge
    proc = kb.run("import", "--db", db, "--from", src, "--yes")
    assert proc.returncode == 0, proc.stderr


def measured_import(kb, db: Path, source: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    proc = subprocess.run([sys.executable, "-c", MEASURE, *kb.argv("import", "--db", db, "--from", source, *extra)],
                          env=kb.env, capture_output=True, text=True, timeout=600)
    return proc, int(proc.stdout.rsplit("MAXRSS_KB", 1)[1]) / 1024


def test_many_large_values_are_imported_a_few_at_a_time(shop_xlsx, tmp_path):
    """20 rows of 12 MB each (a file of 240 MB): the rows are staged in batches of at most
    8 MB, not 5,000 rows at once (which held the whole file in memory)."""
    kb, db, _ = shop_xlsx
    exported = tmp_path / "kasir.json"
    kb.run("export", "--db", db, "--format", "json", "--out", exported, check=True)
    text = exported.read_text()
    head, tail = text.split('"barang 0"', 1)
    assert tail.startswith(",0]")
    big = tmp_path / "big.json"
    block = "x" * (1 << 20)
    with open(big, "w") as out:
        out.write(head + '"' + block * 12 + '",0]')
        for i in range(19):
            out.write(f',\n[{1000 + i},"' + block * 12 + f'",{i}]')
        out.write(tail[3:])
    proc, rss_mb = measured_import(kb, db, big, "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    assert rss_mb < 250, f"import used {rss_mb:.0f} MB for 20 values of 12 MB"


def test_a_value_or_record_over_16_mb_is_refused_with_little_memory(shop_xlsx, tmp_path):
    kb, db, _ = shop_xlsx
    exported = tmp_path / "kasir.json"
    kb.run("export", "--db", db, "--format", "json", "--out", exported, check=True)
    head, tail = exported.read_text().split('"barang 0"', 1)
    huge = tmp_path / "huge.json"
    with open(huge, "w") as out:
        out.write(head + '"' + "x" * (200 << 20) + '"' + tail)
    proc, rss_mb = measured_import(kb, db, huge, "--yes")
    assert rss_mb < 250, f"import used {rss_mb:.0f} MB for a value of 200 MB"
    one_clear_line(proc, "a single value is larger than 16 MB", "restoring a backup")

    folder = tmp_path / "csv"
    kb.run("export", "--db", db, "--format", "csv", "--out", folder, check=True)
    table = folder / "produk.csv"
    header = table.read_text(encoding="utf-8-sig").splitlines()[0]
    with open(table, "w", encoding="utf-8") as out:         # one "line" of 600 MB, no newline
        out.write(header + "\n1,")
        for _ in range(600):
            out.write("y" * (1 << 20))
    proc, rss_mb = measured_import(kb, db, folder, "--yes")
    assert rss_mb < 250, f"import used {rss_mb:.0f} MB for a CSV line of 600 MB"
    one_clear_line(proc, "the record at line 2 is too long")
