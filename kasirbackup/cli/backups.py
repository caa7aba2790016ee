"""Verbs that make and keep backups: ``init``, ``backup``, ``list``, ``verify``, ``prune``
and ``config``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from datetime import datetime

from ..app import oplog
from ..app.history import OpKind
from ..app.places import check_destination
from ..app.credentials import NoSecureStore, ask_new_passphrase, keyring_set
from ..app.verifying import verify_snapshots
from ..core.repo.manifest import Kind
from ..core.retention.damaged import forget_damaged
from ..core.repo.orphans import repair_index
from ..core.repo.repository import PlainCopyEncrypted, PlainCopyNotFolder, Repository
from ..core.retention.policy import Duration, Policy
from ..core.retention.prune import prune
from ..core.snapshot.backup import BackupRequest, backup
from ..core.sqlitefile import check_source
from .common import (EXIT_DAMAGED, human_bytes, local_time, open_repo, print_json, progress_bar, recorded,
                     warn_problems)

log = logging.getLogger("kasirbackup.cli")


def cmd_init(args) -> int:
    check_destination(args.repo)       # an unplugged USB disk is named, nothing is created in its place
    secret = ask_new_passphrase(args.passphrase_file, location=args.repo) if args.encrypt else None
    repo = Repository.init(args.repo, plain_copy=args.plain_copy, encrypt_with=secret)
    remembered = None
    if secret and args.remember:
        try:
            keyring_set(repo.config.id, secret)
            remembered = True
        except NoSecureStore as exc:
            remembered = False
            print(f"kasirbackup: note: {exc}", file=sys.stderr)
    if args.json:
        print_json({"repo": repo.location, "id": repo.config.id, "plain_copy": repo.config.plain_copy,
                     "encrypted": bool(secret), "passphrase_remembered": remembered})
    else:
        print(f"Repository ready at {repo.location}" + (" (encrypted)" if secret else ""))
        if secret:
            print("Keep the passphrase safe: without it nobody can restore these backups. "
                  f"Print the recovery sheet with: kasirbackup recovery-sheet --repo {args.repo}")
    return 0


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r} (example: 2025-02-08T23:34:49+07:00)")


def cmd_backup(args) -> int:
    check_source(args.db)          # a bad source must not leave an empty repository behind
    if args.attach:
        from ..core.attachments.capture import attach_folders
        attach_folders(args.attach)
    check_destination(args.repo)   # an unplugged USB disk is named, nothing is created in its place
    repo = open_repo(args, create=True)
    bar = progress_bar(args)
    from ..core.attachments.capture import attach_folders

    req = BackupRequest(db_path=args.db, kind=Kind(args.kind), label=args.label or "",
                        created_at=args.time, full_integrity=args.full_check,
                        attachments=attach_folders(args.attach or []))
    try:
        result = backup(repo, req, bar)
    finally:
        bar.done()
    snap = result.snapshot
    log.info("backup %s of %s: %d bytes, %d added, verified=%s (%s)", snap.id, snap.source_path,
             snap.image_bytes, snap.added_bytes, snap.verification.ok, snap.verification.detail)
    if args.json:
        out = snap.summary_json()
        out["duration_s"] = round(result.duration_s, 3)
        out["capture"] = snap.capture
        out["plain_copy"] = str(result.plain_copy) if result.plain_copy else None
        if result.attachment_stats is not None:
            out["attachments_read"] = result.attachment_stats.read      # files read; the others were unchanged
        print_json(out)
    elif snap.verified:
        print(f"Backup {snap.short_id} of {snap.source_name}: {human_bytes(snap.image_bytes)}, "
              f"{human_bytes(snap.added_bytes)} added, verified ({snap.verification.integrity} ok, "
              f"{len(snap.tables)} tables) in {result.duration_s:.1f} s.")
        for a in snap.attachments:
            print(f"Attachments {a.folder}: {a.files} files, {human_bytes(a.bytes)}.")
        if result.attachment_stats:
            st = result.attachment_stats
            print(f"  {st.read} of {st.files} files read ({human_bytes(st.bytes_read)}); the others were unchanged.")
        if result.plain_copy:
            print(f"Plain copy: {result.plain_copy}")
    for a in snap.attachments:
        for p in a.problems:
            print(f"kasirbackup: note: {a.name}/{p.path} was not backed up: {p.reason}" if p.path else
                  f"kasirbackup: note: attachment folder {a.folder} was not backed up: {p.reason}", file=sys.stderr)
    if not snap.verified:
        print(f"kasirbackup: backup {snap.short_id} was stored but FAILED its restore drill: "
              f"{snap.verification.detail}. Do not rely on it; check the backup disk.", file=sys.stderr)
        return EXIT_DAMAGED
    return 0


def cmd_list(args) -> int:
    repo = open_repo(args)
    snaps = repo.snapshots()
    if args.json:
        print_json([s.summary_json() for s in snaps])
    else:
        if not snaps:
            print("No backups yet.")
        else:
            print(f"{'ID':<9} {'Date':<19} {'Kind':<14} {'Database':<16} {'Size':>9} {'Added':>9}  "
                  f"{'Verified':<14} Label")
            for s in snaps:
                # drill: rebuilt whole; read back: what it added read back, the rest proven (FORMAT.md)
                state = {True: "yes, drill" if s.verification.method == "drill" else "yes, read back",
                         False: "FAILED", None: "no"}[s.verification.ok]
                print(f"{s.short_id:<9} {local_time(s.created_at):<19} {s.kind.value:<14} {s.source_name[:16]:<16} "
                      f"{human_bytes(s.image_bytes):>9} {human_bytes(s.added_bytes):>9}  {state:<14} {s.label}")
    warn_problems(repo)
    return 0


def cmd_verify_data(args) -> int:
    from ..core.repo.check import Subset, check_data

    subset = Subset.parse(args.read_data_subset)
    repo = open_repo(args)
    bar = progress_bar(args)
    try:
        with recorded(OpKind.CHECK, repo=repo.location) as op:
            report = check_data(repo, subset, bar)
            oplog.checked_data(op, repo.location, report)
    finally:
        bar.done()
    if args.json:
        print_json({**report.to_json(), "subset": subset.describe()})
    else:
        print(f"Checked the structure of {report.snapshots} backups and read back {report.packs_read} of "
              f"{report.packs_total} pack files ({subset.describe()}, {human_bytes(report.bytes_read)}, "
              f"{report.blobs_checked} pages): " + ("all intact." if report.ok else "DAMAGE FOUND."))
        for problem in report.problems:
            print(f"DAMAGED {problem}")
    if not report.ok:
        print(f"kasirbackup: {len(report.problems)} problems found in {repo.location}", file=sys.stderr)
        return EXIT_DAMAGED
    return 0


def cmd_verify(args) -> int:
    if args.read_data_subset:
        return cmd_verify_data(args)
    repo = open_repo(args)
    snaps = [repo.find(args.snapshot)] if args.snapshot else repo.snapshots()
    bar = progress_bar(args)

    def each(snap) -> None:
        bar.done()
        if not args.json:
            state = "OK     " if snap.verified else "DAMAGED"
            print(f"{state} {snap.short_id} {local_time(snap.created_at)} {snap.source_name}: "
                  f"{snap.verification.detail}")
    try:
        with recorded(OpKind.CHECK, repo=repo.location) as op:
            report = verify_snapshots(repo, snaps, bar, full=args.full, each=each)
            oplog.checked(op, repo.location, report)
    finally:
        bar.done()
    if not report.recorded and not args.json:
        print("The backup location is read-only: checked without recording the results.")
    if not args.json:
        for note in report.notes:
            print(f"NOTE    {note}")
    results = report.snapshots
    bad = [s for s in results if not s.verified]
    problems = list(report.problems)
    if args.snapshot and not bad:
        # the backup asked about is good; damage elsewhere is reported, but is not its failure
        for problem in problems:
            print(f"kasirbackup: warning: {problem}", file=sys.stderr)
        problems = []
    if args.json:
        print_json({"snapshots": [{"id": s.id, "created_at": s.created_at.isoformat(timespec="seconds"),
                                    "ok": s.verified, "detail": s.verification.detail} for s in results],
                     "problems": problems, "notes": report.notes, "ok": not bad and not problems})
    else:
        for problem in problems:
            print(f"DAMAGED {problem}")
        if not results and not problems:
            print("No backups to verify.")
    if bad or problems:
        print(f"kasirbackup: {len(bad)} of {len(results)} backups failed verification"
              + (f", {len(problems)} repository files are damaged" if problems else ""),
              file=sys.stderr)
        return EXIT_DAMAGED
    return 0


def _policy(args) -> tuple[Policy, bool]:
    given = {k: getattr(args, k) for k in ("keep_last", "keep_hourly", "keep_daily", "keep_weekly",
                                            "keep_monthly", "keep_yearly") if getattr(args, k) is not None}
    within = Duration.parse(args.keep_within) if args.keep_within else None
    if not given and within is None:
        return Policy.default(), True
    return Policy(**given, keep_within=within), False


def cmd_prune(args) -> int:
    repo = open_repo(args)
    policy, default = _policy(args)
    bar = progress_bar(args)
    try:
        with recorded(OpKind.PRUNE, repo=repo.location) if not args.dry_run else _nothing() as op:
            result = prune(repo, policy, dry_run=args.dry_run, progress=bar)
            if op is not None:
                oplog.pruned(op, repo.location, result)
    finally:
        bar.done()
    log.info("prune dry_run=%s removed=%d policy=%s", args.dry_run, len(result.removed), policy)
    if args.json:
        out = result.to_json()
        out["policy_is_default"] = default
        print_json(out)
        return 0
    if default:
        print("No --keep-… option given: using the default policy "
              "(keep last 10, 7 daily, 4 weekly, 12 monthly).")
    for d in result.decisions:
        s = d.snapshot
        action, why = ("keep  ", ", ".join(d.reasons)) if d.keep else ("remove", "; ".join(d.why_removed))
        print(f"{action} {s.short_id} {local_time(s.created_at)} {s.kind.value:<14} {s.source_name:<16} {why}")
    verb = "would be removed" if args.dry_run else "removed"
    print(f"{len(result.removed)} of {len(result.decisions)} backups {verb}.", end="")
    if not args.dry_run:
        freed = result.gc.bytes_before - result.gc.bytes_after
        print(f" {human_bytes(freed)} freed; {human_bytes(result.gc.bytes_after)} of data remain.")
    else:
        print()
    return 0


@contextlib.contextmanager
def _nothing():
    yield None


def cmd_repair(args) -> int:
    repo = open_repo(args)
    lock = repo.lock("repair")
    try:
        result = repair_index(repo)
        forgotten = forget_damaged(repo) if args.forget_damaged else []
    finally:
        lock.release()
    log.info("repair: %s", result.describe() if result.changed else "nothing to repair")
    for d in forgotten:
        log.warning("repair: forgot damaged backup %s", d.describe())
    if args.json:
        print_json({"repo": repo.location, "changed": result.changed or bool(forgotten),
                    "packs_indexed": result.packs_indexed, "damaged_index_files_removed": result.damaged_removed,
                    "forgotten": [{"id": d.snapshot.id, "reason": d.reason} for d in forgotten]})
        return 0
    if result.changed:
        print(result.describe()[0].upper() + result.describe()[1:] + ".")
    for d in forgotten:
        print(f"Forgot backup {d.snapshot.short_id} of {local_time(d.snapshot.created_utc)}: {d.reason}.")
    if result.changed or forgotten:
        print(f"Check the backups now with: kasirbackup verify --repo {args.repo} --all")
    elif args.forget_damaged:
        print("The index names every pack file and every backup's data is there; nothing to repair.")
    else:
        print("The index names every pack file; nothing to repair.")
    return 0


def cmd_config(args) -> int:
    repo = open_repo(args)
    if args.plain_copy == "on" and repo.config.encryption:
        raise PlainCopyEncrypted()
    if args.plain_copy == "on" and repo.temp_dir() is None:
        raise PlainCopyNotFolder(location=repo.location)
    if args.plain_copy is not None:
        lock = repo.lock("config")
        try:
            repo.config.plain_copy = args.plain_copy == "on"
            repo.save_config()
        finally:
            lock.release()
    cfg = repo.config
    if args.json:
        print_json({"repo": repo.location, "id": cfg.id, "version": cfg.version,
                     "plain_copy": cfg.plain_copy, "encrypted": bool(cfg.encryption)})
    else:
        print(f"Repository {repo.location}\n  id:         {cfg.id}\n  format:     {cfg.version}\n"
              f"  plain copy: {'on' if cfg.plain_copy else 'off'} (latest backup kept as an ordinary "
              f".db file in {repo.location}/latest)")
    return 0


def register(sub, add) -> None:
    """``init``, ``backup``, ``list`` and ``verify`` (they come first in the help)."""
    sp = add("init", "create a backup repository", cmd_init)
    sp.add_argument("--repo", required=True, help="folder for the backups")
    sp.add_argument("--plain-copy", action="store_true",
                    help="also keep the latest backup as an ordinary .db file in REPO/latest")
    sp.add_argument("--encrypt", action="store_true",
                    help="encrypt everything with a passphrase (AES-256-GCM, key from Argon2id)")
    sp.add_argument("--remember", action="store_true",
                    help="save the passphrase in this computer's credential store")
    sp.add_argument("--json", action="store_true")

    sp = add("backup", "back up a database into a repository (created if missing) and verify it", cmd_backup)
    sp.add_argument("--db", required=True, help="the SQLite database file")
    sp.add_argument("--repo", required=True, help="the backup folder")
    sp.add_argument("--label", help="a note shown in the list")
    sp.add_argument("--time", type=_parse_time,
                    help="record the backup as taken at this moment (ISO 8601), e.g. for older backup files")
    sp.add_argument("--kind", choices=[Kind.MANUAL.value, Kind.SCHEDULED.value, Kind.IMPORTED.value],
                    default=Kind.MANUAL.value)
    sp.add_argument("--full-check", action="store_true", help="use integrity_check instead of quick_check")
    sp.add_argument("--attach", action="append", metavar="FOLDER",
                    help="also back up this folder of the database's files (product photos, receipts) in the same "
                         "backup; repeatable")
    sp.add_argument("--json", action="store_true")

    sp = add("list", "list the backups, newest first", cmd_list)
    sp.add_argument("--repo", required=True)
    sp.add_argument("--json", action="store_true")

    sp = add("verify", "restore backups into a scratch file and check them", cmd_verify)
    sp.add_argument("--repo", required=True)
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--snapshot", metavar="ID", help="one backup (id prefix or 'latest')")
    g.add_argument("--all", action="store_true", help="every backup (the default)")
    sp.add_argument("--full", action="store_true", help="integrity_check instead of quick_check")
    g.add_argument("--read-data-subset", metavar="SHARE",
                   help="instead of restoring backups, read back a share of the stored data "
                        "(e.g. 10%% or 1/4) and check the structure of every backup")
    sp.add_argument("--json", action="store_true")


def register_upkeep(sub, add) -> None:
    """``prune``, ``config`` and ``repair``."""
    sp = add("prune", "remove backups the retention policy does not keep, and free their space", cmd_prune)
    sp.add_argument("--repo", required=True)
    for rule in ("last", "hourly", "daily", "weekly", "monthly", "yearly"):
        sp.add_argument(f"--keep-{rule}", type=int, metavar="N")
    sp.add_argument("--keep-within", metavar="DURATION", help="e.g. 30d, 6m, 1y")
    sp.add_argument("--dry-run", action="store_true", help="only show what would be kept and removed, and why")
    sp.add_argument("--json", action="store_true")

    sp = add("config", "show or change repository settings", cmd_config)
    sp.add_argument("--repo", required=True)
    sp.add_argument("--plain-copy", choices=["on", "off"],
                    help="keep the latest backup as an ordinary .db file in REPO/latest")
    sp.add_argument("--json", action="store_true")

    sp = add("repair", "rebuild a damaged or missing index from the backup files themselves", cmd_repair)
    sp.add_argument("--repo", required=True)
    sp.add_argument("--forget-damaged", action="store_true",
                    help="also remove the backups whose data files are gone (they cannot be restored)")
    sp.add_argument("--json", action="store_true")
