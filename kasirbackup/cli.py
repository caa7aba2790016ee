"""The command line: argument parsing and printing only; the work is in kasirbackup.core.

Exit status: 0 success, 1 a user-facing error (one line on standard error), 2 bad
arguments, 3 a backup or verification that found damage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import datetime
from typing import Sequence

from . import __version__
from .app.credentials import NoSecureStore, ask_new_passphrase, keyring_set, passphrase_source
from .app.logs import log_path, setup_logging
from .app.verifying import verify_snapshots
from .core.backup import BackupRequest, backup
from .core.errors import KasirBackupError
from .core.manifest import Kind
from .core.prune import prune
from .core.repository import PlainCopyEncrypted, PlainCopyNotFolder, Repository
from .core.sqlitefile import check_source
from .core.retention import Duration, Policy

log = logging.getLogger("kasirbackup.cli")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_DAMAGED = 3


# -- output helpers -------------------------------------------------------------------------

def human_bytes(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class ProgressBar:
    """A one-line progress bar on standard error, only when it is a terminal."""

    LABELS = {"copy": "Copying", "catch-up": "Catching up", "verify": "Verifying"}

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._last = 0.0
        self._shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        frac = done / total if total else 1.0
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        sys.stderr.write(f"\r{self.LABELS.get(phase, phase):<12} [{bar}] {frac * 100:5.1f}%")
        sys.stderr.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()
            self._shown = False


def _progress(args) -> ProgressBar:
    return ProgressBar(sys.stderr.isatty() and not getattr(args, "quiet", False))


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _local(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M:%S")


# -- commands ---------------------------------------------------------------------------------

def open_repo(args, create: bool = False) -> Repository:
    """Open ``args.repo``; an encrypted repository gets its passphrase from the
    environment, --passphrase-file, the credential store or a prompt (in that order)."""
    return Repository.open(args.repo, create=create,
                           passphrase=passphrase_source(getattr(args, "passphrase_file", None)))


def cmd_init(args) -> int:
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
        _print_json({"repo": repo.location, "id": repo.config.id, "plain_copy": repo.config.plain_copy,
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
    repo = open_repo(args, create=True)
    bar = _progress(args)
    req = BackupRequest(db_path=args.db, kind=Kind(args.kind), label=args.label or "",
                        created_at=args.time, full_integrity=args.full_check)
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
        _print_json(out)
    elif snap.verified:
        print(f"Backup {snap.short_id} of {snap.source_name}: {human_bytes(snap.image_bytes)}, "
              f"{human_bytes(snap.added_bytes)} added, verified ({snap.verification.integrity} ok, "
              f"{len(snap.tables)} tables) in {result.duration_s:.1f} s.")
        if result.plain_copy:
            print(f"Plain copy: {result.plain_copy}")
    if not snap.verified:
        print(f"kasirbackup: backup {snap.short_id} was stored but FAILED its restore drill: "
              f"{snap.verification.detail}. Do not rely on it; check the backup disk.", file=sys.stderr)
        return EXIT_DAMAGED
    return 0


def cmd_list(args) -> int:
    repo = open_repo(args)
    snaps = repo.snapshots()
    if args.json:
        _print_json([s.summary_json() for s in snaps])
    else:
        if not snaps:
            print("No backups yet.")
        else:
            print(f"{'ID':<9} {'Date':<19} {'Kind':<14} {'Database':<16} {'Size':>9} {'Added':>9}  "
                  f"{'Verified':<8} Label")
            for s in snaps:
                state = {True: "yes", False: "FAILED", None: "no"}[s.verification.ok]
                print(f"{s.short_id:<9} {_local(s.created_at):<19} {s.kind.value:<14} {s.source_name[:16]:<16} "
                      f"{human_bytes(s.image_bytes):>9} {human_bytes(s.added_bytes):>9}  {state:<8} {s.label}")
    _warn_problems(repo)
    return 0


def _warn_problems(repo) -> None:
    for problem in repo.problems:
        print(f"kasirbackup: warning: {problem}", file=sys.stderr)


def cmd_verify_data(args) -> int:
    from .core.check import Subset, check_data

    subset = Subset.parse(args.read_data_subset)
    repo = open_repo(args)
    bar = _progress(args)
    try:
        report = check_data(repo, subset, bar)
    finally:
        bar.done()
    if args.json:
        _print_json({**report.to_json(), "subset": subset.describe()})
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
    bar = _progress(args)

    def each(snap) -> None:
        bar.done()
        if not args.json:
            state = "OK     " if snap.verified else "DAMAGED"
            print(f"{state} {snap.short_id} {_local(snap.created_at)} {snap.source_name}: "
                  f"{snap.verification.detail}")
    try:
        report = verify_snapshots(repo, snaps, bar, full=args.full, each=each)
    finally:
        bar.done()
    if not report.recorded and not args.json:
        print("The backup location is read-only: checked without recording the results.")
    results = report.snapshots
    bad = [s for s in results if not s.verified]
    if args.snapshot and not bad:
        # the backup asked about is good; damage elsewhere is reported, but is not its failure
        _warn_problems(repo)
        repo.problems.clear()
    if args.json:
        _print_json({"snapshots": [{"id": s.id, "created_at": s.created_at.isoformat(timespec="seconds"),
                                    "ok": s.verified, "detail": s.verification.detail} for s in results],
                     "problems": repo.problems, "ok": not bad and not repo.problems})
    else:
        for problem in repo.problems:
            print(f"DAMAGED {problem}")
        if not results and not repo.problems:
            print("No backups to verify.")
    if bad or repo.problems:
        print(f"kasirbackup: {len(bad)} of {len(results)} backups failed verification"
              + (f", {len(repo.problems)} repository files are damaged" if repo.problems else ""),
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
    bar = _progress(args)
    try:
        result = prune(repo, policy, dry_run=args.dry_run, progress=bar)
    finally:
        bar.done()
    log.info("prune dry_run=%s removed=%d policy=%s", args.dry_run, len(result.removed), policy)
    if args.json:
        out = result.to_json()
        out["policy_is_default"] = default
        _print_json(out)
        return 0
    if default:
        print("No --keep-… option given: using the default policy "
              "(keep last 10, 7 daily, 4 weekly, 12 monthly).")
    for d in result.decisions:
        s = d.snapshot
        action = "keep  " if d.keep else "remove"
        print(f"{action} {s.short_id} {_local(s.created_at)} {s.kind.value:<14} {s.source_name:<16} "
              f"{', '.join(d.reasons)}")
    verb = "would be removed" if args.dry_run else "removed"
    print(f"{len(result.removed)} of {len(result.decisions)} backups {verb}.", end="")
    if not args.dry_run:
        freed = result.gc.bytes_before - result.gc.bytes_after
        print(f" {human_bytes(freed)} freed; {human_bytes(result.gc.bytes_after)} of data remain.")
    else:
        print()
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
        _print_json({"repo": repo.location, "id": cfg.id, "version": cfg.version,
                     "plain_copy": cfg.plain_copy, "encrypted": bool(cfg.encryption)})
    else:
        print(f"Repository {repo.location}\n  id:         {cfg.id}\n  format:     {cfg.version}\n"
              f"  plain copy: {'on' if cfg.plain_copy else 'off'} (latest backup kept as an ordinary "
              f".db file in {repo.location}/latest)")
    return 0


def cmd_gui(args) -> int:
    from .gui.app import run_gui

    return run_gui(minimized=args.minimized, smoke=args.smoke, file=args.file)


# -- parser -----------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # one line, not a usage dump
        self.exit(EXIT_USAGE, f"kasirbackup: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kasirbackup", description="Verified, deduplicated backups of SQLite databases.")
    p.add_argument("--version", action="version", version=f"kasirbackup {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help_: str, func):
        sp = sub.add_parser(name, help=help_, description=help_)
        if func is not None:
            sp.set_defaults(func=func)
        return sp

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

    from .cli_restore import register as register_restore
    register_restore(sub, add)

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

    from .cli_profiles import register
    register(sub, add)
    from .cli_data import register as register_data
    register_data(sub, add)
    from .cli_security import register as register_security
    register_security(sub, add)
    for sp in sub.choices.values():     # every command that opens a repository
        if any("--repo" in a.option_strings for a in sp._actions):
            sp.add_argument("--passphrase-file", metavar="FILE",
                            help="read the passphrase of an encrypted repository from FILE")

    sp = add("gui", "open the desktop application", cmd_gui)
    sp.add_argument("--minimized", action="store_true", help="start in the system tray (used at login)")
    sp.add_argument("--smoke", action="store_true",
                    help="build the main window, show it and quit with 0 (checks an installation)")
    sp.add_argument("file", nargs="?", help="a database file to open (or to protect)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    setup_logging()
    log.info("kasirbackup %s: %s", __version__, " ".join(sys.argv[1:] if argv is None else argv))
    try:
        return args.func(args)
    except KasirBackupError as exc:
        log.warning("%s failed: %s", args.command, exc, exc_info=True)
        print(f"kasirbackup: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kasirbackup: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except BrokenPipeError:   # output piped into a command that stopped reading (| head)
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except Exception as exc:   # never a traceback on the terminal
        log.exception("%s failed unexpectedly", args.command)
        where = log_path()
        print(f"kasirbackup: unexpected error: {type(exc).__name__}: {exc}"
              + (f" (details in {where})" if where else ""), file=sys.stderr)
        return EXIT_ERROR
