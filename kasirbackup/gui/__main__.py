"""``python -m kasirbackup.gui`` and the ``kasirbackup-gui`` script: the desktop app (same
options as ``kasirbackup gui``), started without loading the command line."""

import argparse
import sys


def main() -> int:
    from .app import add_arguments, run_gui

    parser = argparse.ArgumentParser(prog="kasirbackup-gui", description="open the KasirBackup desktop application")
    add_arguments(parser)
    args = parser.parse_args()
    return run_gui(minimized=args.minimized, smoke=args.smoke, file=args.file)


if __name__ == "__main__":
    sys.exit(main())
