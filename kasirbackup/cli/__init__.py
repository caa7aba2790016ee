"""The command line (the contract in PRODUCT.md): one module per group of verbs, all of them
printing through ``common``; ``parser`` puts them together.

* ``common``   exit codes, ``--json`` printing, progress bar, confirmation, opening a repository
* ``backups``  init, backup, list, verify, prune, config
* ``restore``  restore, diff
* ``profiles`` profile, run, history, daemon, schedule, autostart
* ``data``     export, import
* ``security`` passphrase, recovery-sheet
* ``parser``   the parser, ``main`` and ``gui`` (which imports the desktop app lazily)

Argument parsing and printing only: the work is in ``kasirbackup.app`` and ``kasirbackup.core``.
"""

from .parser import build_parser, main

__all__ = ["build_parser", "main"]
