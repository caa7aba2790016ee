"""The guided setup, used on first start and for "Add database…": pick the database (search
or sample) → pick the backup folder (USB first, writable check, encryption) → choose the
nightly time → the first backup. It must never block the GUI thread: all file-system work
(checking the database, searching for databases and disks, probing the folder, creating the
repository) runs in jobs and the pages only show results; and it must never say the shop is
protected before the first backup came back verified (``Result.SUCCESS``, after its restore
drill). File dialogs are asked through ``SetupWizard._ask_database_file`` / ``_ask_folder``
(tests replace them).

Modules:

* ``common``: constants, label/debounce/job-callback helpers, ``profile_name_for``.
* ``database_page``: page 1, the database (path check, search, sample database).
* ``folder_page``: page 2, the backup folder (suggested places, folder check, encryption).
* ``schedule_page``: page 3, the time of the nightly backup.
* ``first_backup_page``: page 4, the first backup and its verified result.
* ``wizard``: ``SetupWizard``, the shared state, the file dialogs and the new profile.
* ``undo``: a cancel takes back everything the setup made (``SetupUndo``); after a verified
  first backup, closing asks first whether to keep it (``ask_keep``).
"""

from __future__ import annotations

from .wizard import SetupWizard

__all__ = ["SetupWizard"]
