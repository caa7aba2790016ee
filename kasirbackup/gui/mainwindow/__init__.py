"""The main window (``MainWindow``): database picker and summary, status banner, size chart,
backup list with sort/filter and details, the actions Backup now / Restore… / Verify /
Export… / Import… / Open backup folder / Schedule… / History / Settings…, and the progress
row with Cancel. It never does engine work on the GUI thread: reading the database summary,
listing a backup folder, verifying and backing up all run on workers (``ctx.start`` /
``ctx.backup_now``) and come back through signals. The parts never import ``window`` or
this package.

- ``window``: ``MainWindow`` itself: wiring, texts (context "MainWindow"), profiles, status,
  selection and details, backup / verify progress
- ``layout``: the widgets, toolbar actions and their object names (mixin ``WindowLayout``)
- ``loading``: database summary and backup list read off the GUI thread (``list_repo``,
  mixin ``DataLoading``)
- ``actions``: the actions that open a dialog or wizard, Open backup folder (mixin
  ``DialogActions``)
- ``quitting``: closing to the tray (said once) and Quit, which asks when it would stop a
  backup (mixin ``Quitting``)
"""

from .window import MainWindow

__all__ = ["MainWindow"]
