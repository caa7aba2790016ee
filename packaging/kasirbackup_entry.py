"""Entry script of both frozen executables (one script, so one analysis serves both).

- ``kasirbackup`` (``kasirbackup-cli`` on Windows and macOS, whose file systems do not tell
  it apart from ``KasirBackup``): the command line, exactly ``kasirbackup.cli:main``.
- ``KasirBackup`` (windowed): the desktop app. ``KasirBackup``, ``KasirBackup --smoke``,
  ``KasirBackup kasir.db`` and ``KasirBackup gui --minimized`` all open the window; a
  first argument that is a command (``KasirBackup run --profile toko``) runs that command,
  so a scheduled task or autostart entry pointing at the app still works.
"""

import os
import sys


def _is_cli_executable() -> bool:
    name = os.path.splitext(os.path.basename(sys.executable))[0]
    return name == "kasirbackup" or name.lower() == "kasirbackup-cli"


def _fix_streams() -> None:
    # a windowed build on Windows has no console: sys.stdout/stderr are None there
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def main() -> int:
    _fix_streams()
    from kasirbackup.cli import build_parser, main as cli_main

    argv = sys.argv[1:]
    if _is_cli_executable():
        return cli_main(argv)
    commands = set()
    for action in build_parser()._actions:
        if getattr(action, "choices", None) and isinstance(action.choices, dict):
            commands.update(action.choices)
    if argv and argv[0] in commands:
        return cli_main(argv)
    return cli_main(["gui", *argv])


if __name__ == "__main__":
    sys.exit(main())
