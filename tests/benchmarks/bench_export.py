#!/usr/bin/env python3
"""Export / import benchmark of KasirBackup against baselines measured in the same run.

    .venv/bin/python tests/benchmarks/bench_export.py [--rows 5000000] [--xlsx-rows 1000000]
                                                      [--json-rows 1000000] [--replace-rows 12000]
                                                      [--work DIR] [--only csv|xlsx|json|replace]

Builds one table shaped like a POS ``transaksi`` table (11 columns: integers, codes,
ISO date-time texts, payment method, cashier, a nullable customer id) and measures:

1. CSV: ``kasirbackup export --format csv --tables transaksi`` of a ``--rows`` table (the
   whole command: the consistent copy of the database, then the export) against
   ``sqlite3 -csv -header DB "SELECT * FROM transaksi" > FILE`` on the same table.
   Target: at least 0.5x its throughput (rows per second, i.e. the inverse time ratio).
2. XLSX: ``kasirbackup export --format xlsx`` of a ``--xlsx-rows`` table, peak RSS of the
   process (GNU time). Target: at most 200 MB.
3. JSON import: ``kasirbackup import --yes`` (merge) of a JSON export of a ``--json-rows``
   table into a copy of that table where 5 % of the rows were deleted and 5 % changed,
   against the same JSON loaded with ``json.load`` and written by a plain Python loop of
   ``INSERT OR REPLACE`` statements in one transaction (both in their own process).
   Target: at most 3x its time. Both results are checked to be the same database.
4. Replace import (issue 13): ``kasirbackup import --mode replace --yes --json`` of a
   12,000-row JSON export (the whole command: parse and stage outside the lock, safety
   backup, the one transaction), against the same baseline as 3. Targets: at most 1.5 s
   in all and the database held exclusively at most 1 s (``lock_s`` of its report). Then
   once more with ``--even-if-open`` while a POS-like writer commits a sale every 50 ms
   (5 s busy timeout): none of its sales may fail.

Same method as bench_backup.py: warm page cache, ``--repeat`` interleaved runs, medians,
waiting for other processes to go quiet, and the cores other processes used. Prints a
table and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_backup import (Report, finish, fmt_b, fmt_s, interleaved, med, rm, run_with_rusage,  # noqa: E402
                          runs, settle, start, wait_quiet, worst)

PY = sys.executable
MB = 1_000_000

TABLE_SQL = """CREATE TABLE transaksi (
    id           INTEGER PRIMARY KEY,
    kode         TEXT NOT NULL,
    tanggal      TEXT NOT NULL,
    subtotal     INTEGER NOT NULL,
    diskon       INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL,
    bayar        INTEGER NOT NULL,
    kembalian    INTEGER NOT NULL,
    metode       TEXT NOT NULL,
    kasir        TEXT,
    pelanggan_id INTEGER)"""

FILL_SQL = """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO transaksi SELECT i, 'TRX' || printf('%011d', i), datetime(1700000000 + i * 37, 'unixepoch'),
    (i * 7919) % 1000000 + 500, (i % 10) * 100, (i * 7919) % 1000000 + 500 - (i % 10) * 100,
    ((i * 7919) % 1000000 / 1000 + 1) * 1000 + 1000, 0,
    CASE i % 3 WHEN 0 THEN 'TUNAI' WHEN 1 THEN 'QRIS' ELSE 'TRANSFER' END,
    CASE i % 4 WHEN 0 THEN 'Siti' WHEN 1 THEN 'Budi' WHEN 2 THEN 'Dewi' ELSE NULL END,
    CASE WHEN i % 5 = 0 THEN NULL ELSE i % 5000 + 1 END FROM n"""

BASELINE_IMPORT = r'''
import json, sqlite3, sys
db, src = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as fh:
    doc = json.load(fh)
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("BEGIN")
for t in doc["tables"]:
    cols = ", ".join('"' + c + '"' for c in t["columns"])
    sql = f'INSERT OR REPLACE INTO "{t["name"]}" ({cols}) VALUES ({", ".join("?" * len(t["columns"]))})'
    for row in t["rows"]:
        conn.execute(sql, row)
conn.execute("COMMIT")
'''


def make_table(path: Path, rows: int) -> None:
    rm(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(TABLE_SQL)
    conn.execute("BEGIN")
    conn.execute(FILL_SQL, (rows,))
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def kb(*args: object) -> list[str]:
    return [PY, "-m", "kasirbackup", *map(str, args)]


def run(cmd: list[str], stdout=None) -> None:
    subprocess.run(cmd, check=True, stdout=stdout if stdout is not None else subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def csv_vs_sqlite(rep: Report, work: Path, rows: int, n: int) -> None:
    db = work / "csv.db"
    t0 = time.perf_counter()
    make_table(db, rows)
    rep.add("1 csv", "table", f"{rows:,} rows, {fmt_b(db.stat().st_size)}, built in {time.perf_counter() - t0:.0f} s")
    base_out, our_out = work / "sqlite.csv", work / "ours-csv"

    def prep_base(i):
        rm(base_out)
        settle(db)

    def run_base(i):
        with open(base_out, "wb") as fh:
            run(["sqlite3", "-csv", "-header", str(db), "SELECT * FROM transaksi"], stdout=fh)

    def prep_ours(i):
        rm(our_out)
        settle(db)

    def run_ours(i):
        run(kb("export", "--db", db, "--format", "csv", "--out", our_out, "--tables", "transaksi"))

    res = interleaved(n, {"sqlite3 -csv": (prep_base, run_base), "ours": (prep_ours, run_ours)})
    b, o = med(res["sqlite3 -csv"]), med(res["ours"])
    cpu_b, cpu_o = med(res["sqlite3 -csv"], key=lambda s: s.cpu), med(res["ours"], key=lambda s: s.cpu)
    rep.add("1 csv", "baseline: sqlite3 -csv -header (one process)",
            f"{fmt_s(b)} = {rows / b / 1000:,.0f} k rows/s (CPU {cpu_b:.1f} s)",
            others=worst(res["sqlite3 -csv"]), raw=runs(res["sqlite3 -csv"]))
    rep.add("1 csv", f"kasirbackup export --format csv (copy + export, {os.cpu_count()} cores)",
            f"{fmt_s(o)} = {rows / o / 1000:,.0f} k rows/s (CPU {cpu_o:.1f} s)", ratio=f"{b / o:.2f}x throughput",
            target=">= 0.5x", ok=b / o >= 0.5, others=worst(res["ours"]), raw=runs(res["ours"]))
    rep.add("1 csv", "CPU seconds, ours / sqlite3", f"{cpu_o / cpu_b:.2f}x")
    ours_rows = sum(1 for _ in open(our_out / "transaksi.csv", "rb")) - 1
    base_rows = sum(1 for _ in open(base_out, "rb")) - 1
    rep.add("1 csv", "rows written (ours / sqlite3)", f"{ours_rows:,} / {base_rows:,}",
            ok=ours_rows == base_rows == rows)
    rm(base_out, our_out)
    # single process, for information (what a frozen Windows build does)
    wait_quiet()
    settle(db)
    t0 = time.perf_counter()
    env = dict(os.environ, KASIRBACKUP_EXPORT_WORKERS="1")
    subprocess.run(kb("export", "--db", db, "--format", "csv", "--out", our_out, "--tables", "transaksi"),
                   check=True, stdout=subprocess.DEVNULL, env=env)
    one = time.perf_counter() - t0
    rep.add("1 csv", "the same with one process (KASIRBACKUP_EXPORT_WORKERS=1)", fmt_s(one), ratio=f"{b / one:.2f}x")
    rm(our_out, db)


def xlsx_memory(rep: Report, work: Path, rows: int) -> None:
    db = work / "xlsx.db"
    make_table(db, rows)
    out = work / "ours.xlsx"
    wait_quiet()
    settle(db)
    status, wall, rss = run_with_rusage(kb("export", "--db", db, "--format", "xlsx", "--out", out), work / "xlsx.log")
    rep.add("2 xlsx", f"kasirbackup export --format xlsx, {rows:,} rows: peak RSS", fmt_b(rss),
            target="<= 200 MB", ok=status == 0 and rss <= 200 * MB)
    rep.add("2 xlsx", "time, file size",
            f"{fmt_s(wall)} ({rows / wall / 1000:,.1f} k rows/s), {fmt_b(out.stat().st_size)}")
    rm(out, db)


def content(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM transaksi ORDER BY id").fetchall()
    finally:
        conn.close()


def json_import(rep: Report, work: Path, rows: int, n: int) -> None:
    full, changed = work / "full.db", work / "changed.db"
    make_table(full, rows)
    export = work / "transaksi.json"
    rm(export)
    run(kb("export", "--db", full, "--format", "json", "--out", export))
    shutil.copy(full, changed)
    conn = sqlite3.connect(changed)
    conn.execute("DELETE FROM transaksi WHERE id % 20 = 0")
    conn.execute("UPDATE transaksi SET kasir = 'Rina', diskon = diskon + 1 WHERE id % 20 = 1")
    conn.commit()
    conn.close()
    rep.add("3 json import", "file", f"{fmt_b(export.stat().st_size)}, {rows:,} rows; the database lacks 5 % and "
                                     "has 5 % changed")
    base_db, our_db = work / "base.db", work / "ours.db"
    script = work / "baseline_import.py"
    script.write_text(BASELINE_IMPORT, encoding="utf-8")

    def prep(target):
        def p(i):
            rm(target)
            shutil.copy(changed, target)
            settle(target, export)
        return p

    res = interleaved(n, {
        "baseline": (prep(base_db), lambda i: run([PY, str(script), str(base_db), str(export)])),
        "ours": (prep(our_db), lambda i: run(kb("import", "--db", our_db, "--from", export, "--yes"))),
    })
    b, o = med(res["baseline"]), med(res["ours"])
    rep.add("3 json import", "baseline: json.load + INSERT OR REPLACE loop (one transaction)", fmt_s(b),
            others=worst(res["baseline"]), raw=runs(res["baseline"]))
    rep.add("3 json import", "kasirbackup import --mode merge --yes", fmt_s(o), ratio=f"{o / b:.2f}x time",
            target="<= 3x", ok=o / b <= 3, others=worst(res["ours"]), raw=runs(res["ours"]))
    same = content(base_db) == content(our_db) == content(full)
    rep.add("3 json import", "both give the exported table back", "yes" if same else "NO", ok=same)
    rm(full, changed, base_db, our_db, export)


WRITER = r'''
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=5.0, isolation_level=None)
ok = failed = 0
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO transaksi (kode, tanggal, subtotal, total, bayar, kembalian, metode) "
                     "VALUES ('POS' || hex(randomblob(6)), datetime('now'), 1000, 1000, 1000, 0, 'TUNAI')")
        conn.execute("COMMIT")
        ok += 1
    except sqlite3.Error:
        failed += 1
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    time.sleep(0.05)
print(ok, failed, flush=True)
'''


def replace_import(rep: Report, work: Path, rows: int, n: int) -> None:
    import json

    full, changed = work / "full12.db", work / "changed12.db"
    make_table(full, rows)
    export = work / "t12.json"
    rm(export)
    run(kb("export", "--db", full, "--format", "json", "--out", export))
    shutil.copy(full, changed)
    conn = sqlite3.connect(changed)
    conn.execute("DELETE FROM transaksi WHERE id % 20 = 0")
    conn.execute("UPDATE transaksi SET kasir = 'Rina' WHERE id % 20 = 1")
    conn.execute("INSERT INTO transaksi SELECT id + 1000000, kode || 'X', tanggal, subtotal, diskon, total, bayar, "
                 "kembalian, metode, kasir, pelanggan_id FROM transaksi WHERE id % 50 = 2")
    conn.commit()
    conn.close()
    rep.add("4 replace import", "file", f"{fmt_b(export.stat().st_size)}, {rows:,} rows; the database lacks 5 %, "
                                        "has 5 % changed and 2 % more")
    base_db, our_db = work / "base12.db", work / "ours12.db"
    script = work / "baseline_import.py"
    script.write_text(BASELINE_IMPORT, encoding="utf-8")
    env = dict(os.environ, KASIRBACKUP_DATA_DIR=str(work / "data12"), KASIRBACKUP_CONFIG_DIR=str(work / "cfg12"))
    locks: list[float] = []

    def prep(target):
        def p(i):
            rm(target)
            shutil.copy(changed, target)
            settle(target, export)
        return p

    def ours(i):
        proc = subprocess.run(kb("import", "--db", our_db, "--from", export, "--mode", "replace", "--yes", "--json"),
                              env=env, check=True, capture_output=True, text=True)
        locks.append(json.loads(proc.stdout)["lock_s"])

    res = interleaved(n, {
        "baseline": (prep(base_db), lambda i: run([PY, str(script), str(base_db), str(export)])),
        "ours": (prep(our_db), ours),
    })
    b, o = med(res["baseline"]), med(res["ours"])
    rep.add("4 replace import", "baseline: json.load + INSERT OR REPLACE loop (one transaction)", fmt_s(b),
            others=worst(res["baseline"]), raw=runs(res["baseline"]))
    rep.add("4 replace import", f"kasirbackup import --mode replace --yes, {rows:,} rows (whole command)", fmt_s(o),
            ratio=f"{o / b:.2f}x time", target="<= 1.5 s", ok=o <= 1.5, others=worst(res["ours"]),
            raw=runs(res["ours"]))
    lock = sorted(locks)[len(locks) // 2]
    rep.add("4 replace import", "database held exclusively (lock_s, median)", fmt_s(lock), target="<= 1 s",
            ok=lock <= 1.0, raw={"runs": locks})
    conn = sqlite3.connect(our_db)
    extra = conn.execute("SELECT count(*) FROM transaksi WHERE id > 1000000").fetchone()[0]
    conn.close()
    same = content(our_db) == content(full) and extra == 0
    rep.add("4 replace import", "the database holds exactly the file's rows afterwards", "yes" if same else "NO",
            ok=same)
    # a POS selling every 50 ms meanwhile (the override: it has the database open)
    prep(our_db)(0)
    writer = subprocess.Popen([PY, "-c", WRITER, str(our_db), "6"], stdout=subprocess.PIPE, text=True)
    writer.stdout.readline()
    time.sleep(1.0)
    subprocess.run(kb("import", "--db", our_db, "--from", export, "--mode", "replace", "--yes", "--even-if-open"),
                   env=env, check=True, capture_output=True)
    sold, failed = map(int, writer.communicate(timeout=60)[0].split())
    rep.add("4 replace import", "a POS committing every 50 ms (5 s busy timeout) during the import",
            f"{sold} sales, {failed} failed", target="0 failed", ok=failed == 0 and sold > 0)
    rm(full, changed, base_db, our_db, export)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=5_000_000, help="rows of the CSV table")
    ap.add_argument("--xlsx-rows", type=int, default=1_000_000)
    ap.add_argument("--json-rows", type=int, default=1_000_000)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quiet-wait", type=float, default=60.0)
    ap.add_argument("--nice", type=int, default=-10)
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--replace-rows", type=int, default=12_000)
    ap.add_argument("--only", choices=["csv", "xlsx", "json", "replace"], action="append",
                    help="run only these parts (repeatable; default: all)")
    args = ap.parse_args(argv)
    parts = set(args.only or ["csv", "xlsx", "json", "replace"])
    args.size_mb = None
    rep, work = start(args, "kasirbench-export-", "KasirBackup export/import benchmark")
    rep.facts.update({"rows": args.rows, "xlsx_rows": args.xlsx_rows, "json_rows": args.json_rows})
    try:
        if "csv" in parts:
            csv_vs_sqlite(rep, work, args.rows, args.repeat)
        if "xlsx" in parts:
            xlsx_memory(rep, work, args.xlsx_rows)
        if "json" in parts:
            json_import(rep, work, args.json_rows, args.repeat)
        if "replace" in parts:
            replace_import(rep, work, args.replace_rows, max(args.repeat, 5))
    finally:
        if args.keep:
            print(f"scratch files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return finish(rep, args.json_out)


if __name__ == "__main__":
    sys.exit(main())
