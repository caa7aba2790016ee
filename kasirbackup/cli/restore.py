"""Verbs for restoring: ``restore`` (to a new file or into a live database) and ``diff``."""

from __future__ import annotations

import logging
from pathlib import Path

from ..core.errors import KasirBackupError
# the restore engine loads when a restore or diff runs: a backup command starts without it

from ..app import oplog
from ..app.history import OpKind
from .common import (EXIT_DAMAGED, confirm, human_bytes, local_time, open_repo, print_json, progress_bar, recorded,
                     undo_command, warn_problems)

log = logging.getLogger("kasirbackup.cli")


MODE_TITLES = {"replace": "What the restore of the whole database does",
               "tables": "What the restore of these tables does",
               "merge": "What the merge does (worked out by merging a scratch copy)"}


def _print_preview(diff, identity, plan_notes=(), mode_preview=None) -> None:
    print(f"Backup {diff.snapshot_id[:8]} of {diff.snapshot_time} compared with {diff.db_path}:")
    for t in diff.tables:
        now = "-" if t.in_current is None else t.in_current
        then = "-" if t.in_snapshot is None else t.in_snapshot
        print(f"  {t.name:<28} backup {then!s:>9}   now {now!s:>9}")
    if mode_preview is None:
        for line in diff.summary_lines():
            print(f"  * {line}")
    else:
        print(f"{MODE_TITLES[mode_preview.mode]}:")
        for line in mode_preview.lines():
            print(f"  * {line}")
        for line in mode_preview.row_lines():
            print(f"  {line}")
    for note in dict.fromkeys([*identity.notes, *plan_notes]):
        print(f"  note: {note}")


def _print_files(files, rows: int) -> None:
    for f in files:
        print(f"  * {f.line()}")
        for what, paths in (("comes back", f.come_back), ("changes", f.change), ("goes", f.go)):
            for p in paths[:rows]:
                print(f"      {what}: {p}")


def chosen_snapshot(repo, args, db: str | None):
    """``--snapshot ID`` or ``--at TIME`` (the newest checked backup at or before it; of the
    database ``db`` when the location holds several)."""
    if getattr(args, "at", None) is None:
        return repo.find(args.snapshot)
    import os

    from ..app.scheduling import local_tz
    from ..core.repo.pointintime import parse_moment, snapshot_at

    when = parse_moment(args.at, local_tz())
    source = None
    if db is not None and Path(db).expanduser().is_file():
        plain = os.path.abspath(os.path.expanduser(db))
        real = os.path.realpath(plain)
        snaps = repo.snapshots()
        source = real if any(s.source_path == real for s in snaps) else plain
        snap = snapshot_at(snaps, when, source)
    else:
        snap = snapshot_at(repo.snapshots(), when)
    if not args.json:
        print(f"As of {local_time(when)}: backup {snap.short_id} of {local_time(snap.created_at)} "
              f"(the newest checked backup at or before it).")
    return snap


def cmd_restore(args) -> int:
    from ..core.restore.live import execute_restore, prepare_restore
    from ..core.restore.merge import detail_text
    from ..core.restore.to_file import restore_to_new_file

    repo = open_repo(args)
    snap = chosen_snapshot(repo, args, args.to)
    warn_problems(repo)
    if args.to is None:
        if not args.attachments_to:
            raise NothingToRestore()
        return _restore_attachments(repo, snap, args)
    if args.attachment:
        raise NothingToRestore()
    bar = progress_bar(args)
    tables = [t.strip() for t in args.tables.split(",") if t.strip()] if args.tables else None
    target = Path(args.to).expanduser()
    if args.attachments_to:
        check_attachments_target(snap, args.attachments_to)
    if not target.exists() or target.is_dir():
        if tables or args.mode == "merge":
            raise NeedsExistingDatabase(path=str(target))
        try:
            with recorded(OpKind.RESTORE_FILE, repo=repo.location, target=str(target)) as op:
                result = restore_to_new_file(repo, snap, args.to, bar)
                oplog.restored_to_file(op, repo.location, result)
        finally:
            bar.done()
        log.info("restore %s to new file %s (%s)", snap.id, result.path, result.sha256)
        if args.json:
            print_json({"snapshot": snap.id, "path": str(result.path), "bytes": result.bytes,
                         "sha256": result.sha256, "mode": "new-file"})
        else:
            print(f"Restored backup {snap.short_id} of {local_time(snap.created_at)} to {result.path} "
                  f"({human_bytes(result.bytes)}, SHA-256 {result.sha256[:16]}…).")
        return _restore_attachments(repo, snap, args, quiet_json=True) if args.attachments_to else \
            _attachments_note(snap, args)

    try:
        plan = prepare_restore(repo, snap, target, args.mode, tables, args.force_other_database, bar,
                               sample_rows=args.rows, attachments=not (args.no_attachments or args.attachments_to))
    finally:
        bar.done()
    with plan:
        if not args.json:
            _print_preview(plan.preview, plan.identity, plan.notes, plan.mode_preview)
            _print_files(plan.files, args.rows)
        what = ("the tables " + ", ".join(tables)) if tables else "the whole database"
        verb = "Merge" if args.mode == "merge" else "Replace"
        if not confirm(f"{verb} {what} in {plan.target} with backup {snap.short_id}? "
                        f"A safety backup is taken first.", args.yes):
            print("Nothing was changed.")
            return 0
        try:
            with recorded(OpKind.RESTORE, database=str(plan.target), repo=repo.location) as op:
                result = execute_restore(repo, plan, wait_s=args.wait, progress=bar, even_if_open=args.even_if_open)
                oplog.restored_live(op, repo.location, result)
        finally:
            bar.done()
    log.info("live restore %s into %s mode=%s tables=%s safety=%s", snap.id, plan.target, args.mode, tables,
             result.safety.id)
    if args.json:
        print_json(result.to_json())
    else:
        if tables or args.mode == "merge":
            for t in result.tables:
                if args.mode == "merge":
                    extra = "".join([f", {t.conflicts} conflicts" if t.conflicts else "",
                                     f", {t.held_back} held back" if t.held_back else ""])
                    print(f"  {t.name}: {t.inserted} rows brought back, {t.kept_newer} changed since kept, "
                          f"{t.identical} unchanged{extra}" + (f" ({t.note})" if t.note else ""))
                    for detail in t.details:
                        print(f"    {detail_text(detail)}")
                else:
                    print(f"  {t.name}: {t.removed} rows removed, {t.inserted} rows restored")
        print(f"Restored backup {snap.short_id} of {local_time(snap.created_at)} into {plan.target}.")
        for changes, report in result.files:
            print(f"  attachments in {changes.folder}: {report.files} files written, {len(changes.go)} removed")
        for note in result.notes[len(plan.notes):]:
            print(f"  note: {note}")
        print(f"Safety backup of the database as it was: {result.safety.short_id}. To undo this restore:")
        print(f"  {undo_command(plan.target, repo.location)}")
    if args.attachments_to:
        return _restore_attachments(repo, snap, args, quiet_json=True)
    return EXIT_DAMAGED if any(r.problems for _, r in result.files) else 0


def check_attachments_target(snap, dest) -> None:
    """Refuse before the database is touched when the attachments could not follow it."""
    from ..core.attachments.restore import targets
    from ..core.errors import AttachmentsTargetExists, NoAttachments

    plan = targets(snap, dest)
    if not plan:
        raise NoAttachments(snapshot=snap.short_id)
    for _, target in plan:
        if target.exists() or target.is_symlink():
            raise AttachmentsTargetExists(path=str(target))


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _attachments_note(snap, args) -> int:
    files = sum(a.files for a in snap.attachments if a.captured)
    if files and not args.json:
        print(f"  note: this backup also holds {files} attachment files; restore them with "
              f"--attachments-to FOLDER.")
    return 0


def _restore_attachments(repo, snap, args, quiet_json: bool = False) -> int:
    """``--attachments-to DIR`` (and ``--attachment PATH``): the backup's files into DIR."""
    from ..core.attachments.restore import restore_attachments

    bar = progress_bar(args)
    try:
        with recorded(OpKind.RESTORE_FILE, repo=repo.location, target=str(args.attachments_to)):
            done = restore_attachments(repo, snap, args.attachments_to, args.attachment, bar)
    finally:
        bar.done()
    problems = [p for d in done for p in d.report.problems]
    if args.json:
        if not quiet_json or problems:
            print_json({"snapshot": snap.id, "attachments": [d.to_json() for d in done]})
    else:
        for d in done:
            r = d.report
            print(f"Restored {_n(r.files, 'file')} ({human_bytes(r.bytes)}), {_n(r.folders, 'folder')} and "
                  f"{_n(r.links, 'link')} of {d.folder} to {d.target}.")
            for p in r.problems:
                print(f"  not restored: {p}")
    if problems:
        log.warning("attachments restore of %s: %d problems", snap.id, len(problems))
        return EXIT_DAMAGED
    return 0


def cmd_undo(args) -> int:
    """Put back the newest safety backup of the database (taken before a restore, an
    import or an undo): the user confirmed the change being undone, so no question."""
    from ..app.safety import newest_safety, safety_place
    from ..core.restore.live import execute_restore, prepare_restore

    target = Path(args.db).expanduser()
    place = args.repo or safety_place(target).location
    repo = open_repo(args, location=place)
    snap = newest_safety(repo, target)
    bar = progress_bar(args)
    try:
        plan = prepare_restore(repo, snap, target, "replace", None, force_other_database=True, progress=bar)
    finally:
        bar.done()
    with plan:
        try:
            with recorded(OpKind.UNDO, database=str(plan.target), repo=repo.location) as op:
                result = execute_restore(repo, plan, wait_s=args.wait, progress=bar, even_if_open=args.even_if_open)
                oplog.undone(op, repo.location, snap, result)
        finally:
            bar.done()
    log.info("undo: restored safety backup %s into %s; new safety %s", snap.id, target, result.safety.id)
    if args.json:
        print_json({**result.to_json(), "undone_to": snap.created_at.isoformat(timespec="seconds")})
        return 0
    print(f"Undone: {plan.target} is back as it was at {local_time(snap.created_at)} (safety backup "
          f"{snap.short_id}, {snap.label or 'taken before the change'}).")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"The database as it was before this undo is in backup {result.safety.short_id}; "
          "running the same undo again brings it back.")
    return 0


class NothingToRestore(KasirBackupError):
    code = "nothing-to-restore"
    template = "Say what to restore: --to for the database, --attachments-to for its attachment files."
    hint = "--attachment PATH restores one file or folder and needs --attachments-to FOLDER."


class NeedsExistingDatabase(KasirBackupError):
    code = "needs-existing-database"
    template = "{path} does not exist; --tables and --mode merge restore into an existing database."
    hint = "Give the path of the database to change, or leave out --tables/--mode to restore a new file."


def cmd_diff(args) -> int:
    from ..core.restore.live import preview_for_mode

    repo = open_repo(args)
    snap = chosen_snapshot(repo, args, args.db)
    warn_problems(repo)
    bar = progress_bar(args)
    tables = [t.strip() for t in args.tables.split(",") if t.strip()] if args.tables else None
    try:
        diff, identity, mode_preview = preview_for_mode(repo, snap, args.db, args.mode, tables, args.rows, bar)
    finally:
        bar.done()
    if tables:
        diff.tables = [t for t in diff.tables if t.name in set(tables)]
    from ..core.attachments.inplace import plan_sets

    files = plan_sets(repo, snap.attachments, args.mode == "merge", [args.db, snap.source_path]) if not tables else []
    if args.json:
        out = diff.to_json()
        out["same_database"] = identity.same
        out["identity_differences"] = identity.differences
        out["notes"] = identity.notes
        out["preview"] = mode_preview.to_json()
        out["attachments"] = [f.to_json() for f in files]
        print_json(out)
    else:
        _print_preview(diff, identity, mode_preview=mode_preview)
        _print_files(files, args.rows)
        for d in identity.differences:
            print(f"  WARNING: this backup looks like it is from another database: {d}")
    return 0


def add_even_if_open(sp, verb: str) -> None:
    sp.add_argument("--even-if-open", action="store_true",
                    help=f"{verb} even while another program (the POS) has the database open: that program keeps "
                         "its own ids and may hand out again ids of sales it already gave; restart it afterwards")


def add_which(sp) -> None:
    which = sp.add_mutually_exclusive_group(required=True)
    which.add_argument("--snapshot", metavar="ID", help="id prefix or 'latest'")
    which.add_argument("--at", metavar="TIME",
                       help='the newest checked backup at or before this moment: "2026-12-04 14:30" (local time) '
                            "or ISO 8601 with an offset")


def add_rows(sp) -> None:
    sp.add_argument("--rows", type=int, default=5, metavar="N",
                    help="list the first N rows of each kind of change (default 5; 0: counts only)")


def register(sub, add) -> None:
    sp = add("restore", "restore a backup to a new file, or into an existing database (after a safety backup)",
             cmd_restore)
    sp.add_argument("--repo", required=True)
    add_which(sp)
    sp.add_argument("--to", metavar="PATH",
                    help="a new file to create, or the existing database to restore into")
    sp.add_argument("--attachments-to", metavar="FOLDER",
                    help="also (or, without --to, only) restore the backup's attachment folders into FOLDER "
                         "(each as FOLDER/<its name>, which must not exist yet)")
    sp.add_argument("--no-attachments", action="store_true",
                    help="restoring into an existing database: leave its attachment folders as they are (by default "
                         "they are restored in place with it, after the safety backup)")
    sp.add_argument("--attachment", metavar="PATH",
                    help="with --attachments-to: only this file or folder (its path inside the attachment folder, "
                         "e.g. uploads/photo.jpg, or its original full path)")
    sp.add_argument("--tables", metavar="T1,T2", help="restore only these tables (existing database)")
    sp.add_argument("--mode", choices=["replace", "merge"], default="replace",
                    help="merge: bring back deleted rows, keep rows added or changed since")
    sp.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for other programs to close the database")
    sp.add_argument("--force-other-database", action="store_true",
                    help="restore even though the backup comes from a different database")
    add_even_if_open(sp, "restore")
    add_rows(sp)
    sp.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sp.add_argument("--json", action="store_true")

    sp = add("undo", "undo the last restore or import into a database (puts back its newest safety backup)",
             cmd_undo)
    sp.add_argument("--db", required=True, metavar="PATH", help="the database the restore or import changed")
    sp.add_argument("--repo", metavar="REPO",
                    help="where its safety backup is (default: its profile's backups, or the safety folder)")
    sp.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for other programs to close the database")
    add_even_if_open(sp, "undo")
    sp.add_argument("--json", action="store_true")

    sp = add("diff", "compare a backup with a database: what a restore would change", cmd_diff)
    sp.add_argument("--repo", required=True)
    add_which(sp)
    sp.add_argument("--db", required=True, metavar="PATH")
    sp.add_argument("--mode", choices=["replace", "merge"], default="replace",
                    help="the restore to preview (merge: worked out by merging a scratch copy)")
    sp.add_argument("--tables", metavar="T1,T2", help="preview a restore of these tables only")
    add_rows(sp)
    sp.add_argument("--json", action="store_true")
