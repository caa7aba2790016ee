"""The command line's front door: the parser with every verb, and ``main``, which turns any
failure into one line on standard error and an exit status.

Exit status: 0 success, 1 a user-facing error (one line on standard error), 2 bad
arguments, 3 a backup or verification that found damage, 130 interrupted.

``kasirbackup gui`` imports the desktop application only when it is asked for.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Sequence

from .. import __version__
from ..app.logs import log_path, setup_logging
from ..core.errors import KasirBackupError
from ..core.scratch import clean_scratch
from .backups import register as register_backups, register_upkeep
from .common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, InertStream
from .data import register as register_data
from .profiles import register as register_profiles
from .restore import register as register_restore
from .security import register as register_security

log = logging.getLogger("kasirbackup.cli")


def cmd_gui(args) -> int:
    from ..gui.app import run_gui    # only now: the command line never loads Qt otherwise

    return run_gui(minimized=args.minimized, smoke=args.smoke, file=args.file,
                   on_no_display=build_parser().print_help)


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

    register_backups(sub, add)
    register_restore(sub, add)
    register_upkeep(sub, add)
    register_profiles(sub, add)
    register_data(sub, add)
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
    # copies of the shop's data left by a killed run (a drill of an encrypted backup holds the
    # only plaintext) go at the next start of any command, not only of the next backup
    clean_scratch()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = InertStream(sys.stdout), InertStream(sys.stderr)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = streams


def _run(args) -> int:
    try:
        return args.func(args)
    except KasirBackupError as exc:
        log.warning("%s failed: %s", args.command, exc, exc_info=True)
        print(f"kasirbackup: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kasirbackup: interrupted; nothing was changed.", file=sys.stderr)
        return EXIT_INTERRUPTED
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
