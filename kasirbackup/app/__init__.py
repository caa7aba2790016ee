"""Application services shared by the CLI, the GUI and the scheduler (no widgets)."""

from .online_storage import install as _install_online_storage

# an online place's address and keys, saved by the desktop app in the credential store, are
# found by the engine whoever opens the place: the desktop app, the command line, the scheduler
_install_online_storage()
