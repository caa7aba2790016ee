"""Verbs for exports and imports::

    kasirbackup export (--db PATH | --repo REPO --snapshot ID) --format csv|json|xlsx|sql --out PATH
                       [--tables T1,T2] [--json]
    kasirbackup import --db PATH --from FILE [--mode merge|replace] [--dry-run] [--yes] [--json]
                       [--repo REPO] [--force-other-database] [--wait SECONDS] [--even-if-open]
"""

from __future__ import annotations

import logging
import sys

from .common import (NotConfirmed, confirm, human_bytes, open_repo, print_json, progress_bar, recorded,
                     undo_command)
from .restore import add_even_if_open, add_rows
from ..app import oplog
from ..app.history import OpKind
from ..core.errors import KasirBackupError
from ..app.settings import EXPORT_FORMATS as FORMATS
# the exporter and the importer (openpyxl and the rest) load only for export and import: every
# other command, the continuous snapshot each minute above all, starts without them

log = logging.getLogger("kasirbackup.cli")


class ExportSourceMissing(KasirBackupError):
    code = "export-source"
    template = "Say what to export: either --db PATH (the database itself) or --repo REPO with --snapshot ID."
    hint = ""


class DryRunRejected(KasirBackupError):
    code = "import-would-fail"
    template = "The import would be refused: {count} rows of the file cannot go into the database."
    hint = "The reasons are listed above; fix the file and try again."


def _tables(text: str | None) -> list[str] | None:
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


def cmd_export(args) -> int:
    from ..core.exports.exporter import ExportRequest, export

    if (args.db is None) == (args.repo is None) or (args.snapshot and args.repo is None):
        raise ExportSourceMissing()
    repo = snap = None
    if args.repo is not None:
        repo = open_repo(args)
        snap = repo.find(args.snapshot or "latest")
    bar = progress_bar(args)
    try:
        with recorded(OpKind.EXPORT, database=str(args.db or ""), repo=repo.location if repo else "",
                      target=str(args.out), mode=args.format) as op:
            result = export(ExportRequest(format=args.format, out=args.out, db=args.db, repo=repo, snapshot=snap,
                                          tables=_tables(args.tables), raw_csv=args.raw_csv), bar)
            oplog.exported(op, result, snap, repo.location if repo else "")
    finally:
        bar.done()
    log.info("export %s of %s (%s) to %s: %d rows, %d bytes", result.format, result.source,
             result.snapshot_id or "live", result.path, result.rows, result.bytes)
    if args.json:
        print_json(result.to_json())
        return 0
    what = f"backup {result.snapshot_id[:8]}" if result.snapshot_id else "the live database"
    print(f"Exported {len(result.tables)} tables ({result.rows:,} rows) of {result.source} ({what}) "
          f"to {result.path} ({human_bytes(result.bytes)}) in {result.duration_s:.1f} s.")
    for name, why in result.skipped.items():
        print(f"  not exported: {name} ({why})")
    return 0


def _print_report(report) -> None:
    state = "dry run" if report.dry_run else "done"
    print(f"Import of {report.file} into {report.target} ({report.mode}, {state}):")
    print(f"  {'table':<28} {'new':>9} {'changed':>9} {'unchanged':>9} {'removed':>9} {'rejected':>9}")
    for t in report.tables:
        removed = t.removed if report.mode == "replace" else "-"
        print(f"  {t.name[:28]:<28} {t.inserted:>9} {t.updated:>9} {t.unchanged:>9} {removed!s:>9} {t.rejected:>9}")
    for t in report.tables:
        for reason in t.reasons:
            print(f"  rejected: {t.name}: {reason}")
        if t.rejected > len(t.reasons):
            print(f"  rejected: {t.name}: … and {t.rejected - len(t.reasons)} more")
        for note in t.notes:
            print(f"  note: {t.name}: {note}")
    words = {"new": "rows the file adds", "changed": "rows the file changes", "removed": "rows that will be removed"}
    for t in report.tables:
        for kind, rows in t.samples.items():
            if rows:
                print(f"  {t.name}, {words[kind]}:")
                for row in rows:
                    print(f"      {row}")
    for note in dict.fromkeys(report.notes):
        print(f"  note: {note}")


def cmd_import(args) -> int:
    from ..app.safety import safety_place
    from ..core.imports.importer import dry_run_import, execute_import, prepare_import

    # the safety backup goes to --repo, else to the backups of the database's profile, else to
    # the per-user safety folder: an import is never without one (opened before any work)
    place = None if args.repo or args.dry_run else safety_place(args.db)
    repo = None
    if not args.dry_run:
        repo = open_repo(args, create=True, location=None if args.repo else place.location)
    bar = progress_bar(args)
    try:
        plan = prepare_import(args.db, args.source, args.mode, args.force_other_database,
                              dry_run=args.dry_run, progress=bar)
    finally:
        bar.done()
    with plan:
        if args.dry_run or not args.yes:
            if not args.dry_run and not sys.stdin.isatty():
                raise NotConfirmed()
            try:
                preview = dry_run_import(plan, bar, sample=args.rows)
            finally:
                bar.done()
            if args.json and args.dry_run:
                print_json(preview.to_json())
            elif not args.json:
                _print_report(preview)
            if preview.rejected:
                raise DryRunRejected(count=preview.rejected)
            if args.dry_run:
                if not args.json:
                    print("Dry run: nothing was changed.")
                return 0
            safety = " A safety backup is taken first" + (f", into {place.describe()}." if place else ".")
            if not confirm(f"Import {plan.rows:,} rows into {plan.target} ({plan.mode})?{safety}", args.yes):
                print("Nothing was changed.")
                return 0
        try:
            with recorded(OpKind.IMPORT, database=str(plan.target), source=str(plan.file), mode=plan.mode) as op:
                report = execute_import(plan, repo, wait_s=args.wait, progress=bar, even_if_open=args.even_if_open)
                oplog.imported(op, report, repo.location)
        finally:
            bar.done()
    log.info("import %s into %s mode=%s: %s", report.file, report.target, report.mode, report.to_json()["totals"])
    if args.json:
        print_json(report.to_json())
        return 0
    _print_report(report)
    if report.safety is not None:
        where = f" (in {place.describe()})" if place else ""
        print(f"Safety backup of the database as it was: {report.safety.short_id}{where}. To undo this import:")
        print(f"  {undo_command(report.target, repo.location)}")
    return 0


def register(sub, add) -> None:
    sp = add("export", "export the database or a backup to CSV, JSON, XLSX (Excel) or SQL", cmd_export)
    sp.add_argument("--db", metavar="PATH", help="the database itself (a consistent copy is read)")
    sp.add_argument("--repo", metavar="REPO", help="export a backup from this repository …")
    sp.add_argument("--snapshot", metavar="ID", help="… with this id (prefix, or 'latest'; default latest)")
    sp.add_argument("--format", required=True, choices=FORMATS, type=str.lower)
    sp.add_argument("--out", required=True, metavar="PATH",
                    help="the file to create (csv: a new folder, or a .zip file)")
    sp.add_argument("--tables", metavar="T1,T2", help="only these tables")
    sp.add_argument("--raw-csv", action="store_true",
                    help="CSV for programs: texts starting with = + - @ are written as they are, without the "
                         "apostrophe that keeps a spreadsheet from running them as formulas")
    sp.add_argument("--json", action="store_true")

    sp = add("import", "import a JSON, XLSX or CSV export into a database (merge or replace)", cmd_import)
    sp.add_argument("--db", required=True, metavar="PATH", help="the database to import into")
    sp.add_argument("--from", required=True, dest="source", metavar="FILE",
                    help="the export: .json, .xlsx, .csv, or the folder or .zip of a CSV export")
    sp.add_argument("--mode", choices=["merge", "replace"], default="merge",
                    help="merge: add and update rows by primary key (default); replace: the tables in the "
                         "file get exactly the file's rows")
    sp.add_argument("--dry-run", action="store_true", help="only report what would change")
    add_rows(sp)
    sp.add_argument("--repo", metavar="REPO", help="take the safety backup into this repository (default: the "
                                                   "database's profile's backups, else a per-user safety folder)")
    sp.add_argument("--force-other-database", action="store_true",
                    help="import even though the file was exported from a different database")
    sp.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for other programs to close the database")
    add_even_if_open(sp, "import")
    sp.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sp.add_argument("--json", action="store_true")
