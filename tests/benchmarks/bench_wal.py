#!/usr/bin/env python3
"""The full-backup and writer measurements of bench_backup.py on a WAL database.

    .venv/bin/python tests/benchmarks/bench_wal.py --size-mb 1000 [--work DIR]

For information: no performance target. Same method as bench_backup.py (warm cache,
interleaved runs, medians, waiting for other processes to go quiet). Exits 1 only if a
correctness check fails (a backup that does not verify, an acknowledged sale missing
from a snapshot).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_backup import (common_args, finish, fmt_s, full_backup_vs_a, make_db, rm,  # noqa: E402
                          start, writer_during_backup)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap)
    args = ap.parse_args(argv)
    rep, work = start(args, "kasirbench-wal-",
                      f"KasirBackup benchmark, {args.size_mb:g} MB POS database, journal_mode=wal (information)")
    try:
        src = work / "pos.db"
        make_db(rep, src, args, "wal")
        _, last = full_backup_vs_a(rep, work, src, args.repeat, targets=False)
        rep.add("2 full backup", "of which the online-backup copy to a temporary file (backup_api_s)",
                fmt_s(last["snap"].capture.get("backup_api_s", 0.0)))
        rm(work / "repo")
        writer_during_backup(rep, "6 writer", src, work, targets=False)
    finally:
        if args.keep:
            print(f"scratch files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return finish(rep, args.json_out)


if __name__ == "__main__":
    sys.exit(main())
