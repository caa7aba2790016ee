"""What the first-start setup made, and taking it back when the user cancels it.

The setup (gui/setup_wizard) notes here what it creates as it goes: the profile, the moment
it started (runs of the new profile from then on are its own), the folders it had to create
for the backups and the id of the repository it initialised there. A cancel then removes
exactly that and nothing else:

* the repository only when its configuration still carries the id the setup gave it and the
  folder holds nothing but repository files (a file the user put there keeps the whole folder);
* a folder only when the setup created it and it is empty once the repository is gone — a
  folder that existed before is never removed, whatever is in it;
* a repository that existed before (the user picked a folder with backups) is never touched.

Qt-free; the GUI runs ``remove_new_repository`` in a job (file-system work is never done on
the GUI thread).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.repo.repository import CONFIG_NAME
from .settings import Profile

log = logging.getLogger("kasirbackup.setup")

#: what a folder repository holds (core/storage/local.py: kinds, tmp, the plain copy, exports)
REPOSITORY_ENTRIES = frozenset({CONFIG_NAME, "data", "index", "snapshots", "locks", "tmp", "latest", "exports"})


@dataclass(slots=True)
class SetupTrail:
    started: datetime                                     # aware; the setup's runs start after it
    login_start_before: bool = False                      # was start with login on before the setup?
    profile: Profile | None = None                        # the profile the setup saved
    repo_id: str = ""                                     # the repository the setup initialised
    created_folders: list[Path] = field(default_factory=list)   # made by the setup, innermost first
    stored_passphrase: bool = False                       # the setup put its passphrase in the store
    cancelled: bool = False                               # the setup was cancelled: start nothing more

    @property
    def made_repository(self) -> bool:
        return bool(self.repo_id)


def missing_folders(target: Path) -> list[Path]:
    """``target`` and the folders above it that do not exist yet, innermost first (what
    creating ``target`` with its parents will make)."""
    out = []
    p = Path(target)
    while not os.path.lexists(p) and p.parent != p:
        out.append(p)
        p = p.parent
    return out


def _config_id(root: Path) -> str:
    try:
        with open(root / CONFIG_NAME, "rb") as fh:
            raw = json.loads(fh.read(1024 * 1024).decode("utf-8"))
        return str(raw.get("id", "")) if isinstance(raw, dict) else ""
    except (OSError, ValueError):
        return ""


def remove_new_repository(trail: SetupTrail, location: str) -> bool:
    """Remove what the setup made at ``location`` (see the module's doc). True when nothing of
    it is left; False when something was kept on purpose (and logged)."""
    root = Path(location)
    kept = False
    if trail.made_repository and os.path.lexists(root):
        if root.is_symlink() or not root.is_dir():
            log.warning("setup cancelled: %s is not a plain folder; left as it is", root)
            return False
        if _config_id(root) != trail.repo_id:
            log.warning("setup cancelled: %s holds another repository now; left as it is", root)
            return False
        entries = list(os.scandir(root))
        strangers = [e.name for e in entries if e.name not in REPOSITORY_ENTRIES]
        links = [e.name for e in entries if e.is_symlink()]
        if strangers or links:
            log.warning("setup cancelled: %s holds files KasirBackup did not make (%s); left as it is",
                        root, ", ".join((strangers + links)[:5]))
            return False
        for e in entries:                      # the configuration last: until then it is still a repository
            if e.name != CONFIG_NAME:
                shutil.rmtree(e.path) if e.is_dir(follow_symlinks=False) else os.unlink(e.path)
        os.unlink(root / CONFIG_NAME)
        log.info("setup cancelled: removed the new repository in %s", root)
    for folder in trail.created_folders:       # innermost first; a folder with anything in it stays
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue
        except OSError:
            kept = True
            break
    return not kept
