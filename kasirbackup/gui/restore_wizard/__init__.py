"""The restore wizard: choose a backup → see what would change → choose how (replace, a copy
in a new file, selected tables, merge) → close the POS application → safety backup and
restore with progress and Cancel → the result, with the exact location and Undo. It must
never touch the live database from the GUI thread: all engine work runs in jobs
(``ctx.start``) and the pages only show what the jobs report. The live restore is the
engine's own two steps: ``prepare_restore`` (changes nothing; done on the "close the POS"
page, after a short check that no program holds the database) and ``execute_restore``
(exclusive lock, safety backup, one transaction, check). Undo is the same path with the
``before-restore`` snapshot the restore took; the wizard never closes while the database may
be changing.

Modules:

* ``engine``: the work done in jobs (preview, prepare, execute, copy, undo) and its texts.
* ``widgets``: page ids, styles and the shared label/progress/page helpers.
* ``snapshot_page``: page 1, choose the backup.
* ``preview_page``: page 2, what would change (the engine diff and the identity check).
* ``how_page``: page 3, how to restore (replace / copy / tables / merge).
* ``close_page``: page 4, close the POS application (check, prepare, Retry).
* ``progress_page``: page 5, safety backup and restore, with Cancel.
* ``result_page``: page 6, the result, and Undo.
* ``wizard``: ``RestoreWizard``, the shared state, the jobs and closing safely.
"""

from __future__ import annotations

from .wizard import RestoreWizard

__all__ = ["RestoreWizard"]
