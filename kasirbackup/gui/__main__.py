"""``python -m kasirbackup.gui`` and the ``kasirbackup-gui`` script: the desktop app."""

import sys


def main() -> int:
    from ..cli import main as cli_main

    return cli_main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
