"""The engine. Pure Python, no Qt: everything the CLI and the GUI do is a call into here.

One sub-package per thing a user can name, plus a few shared leaves:

* ``snapshot/``  taking a backup: consistent online capture, backup, restore drill
* ``repo/``      the repository: format, packs, manifests, encryption, lock, sampled check
* ``storage/``   where repository files live: a folder or an S3-compatible bucket
* ``retention/`` which backups to keep, and pruning the rest
* ``restore/``   into a new file or the live database; preview, identity, per-table, merge
* ``exports/``   CSV / JSON / XLSX / SQL exports of the live database or a backup
* ``imports/``   JSON / XLSX / CSV imports back into the live database
* leaves: ``errors``, ``progress``, ``sqlitefile``, ``schema``, ``scratch``, ``processes``

Imports run one way (docs/ARCHITECTURE.md draws them; ``scripts/check_imports.py`` holds
the rule and the test suite runs it): imports → restore → snapshot → repo → storage, with
retention → repo and exports → snapshot beside them, and every package may use the
leaves. Nothing here imports Qt, ``kasirbackup.app``, ``kasirbackup.gui`` or
``kasirbackup.cli``.
"""
