"""Where the safety backup of a database goes before a restore, an import or an undo, and
which one an undo brings back.

The safety backup goes into the repository of the profile that backs up that database;
when no profile does (a one-off import of some file), into a per-user safety folder
(``<data dir>/safety/<name>-<hash of its path>``), so that an import is never without one.
``kasirbackup undo`` restores the newest safety backup of that database from there."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import KasirBackupError
from ..core.repo.manifest import Kind, Snapshot
from ..core.repo.repository import Repository
from .paths import data_dir
from .settings import Settings, SettingsStore


class NothingToUndo(KasirBackupError):
    code = "nothing-to-undo"
    template = "There is no safety backup of {path} in {repo}: nothing to undo."
    hint = ("A safety backup is taken before every restore and import into the database; give the backup "
            "folder it went to with --repo.")


@dataclass(frozen=True, slots=True)
class SafetyPlace:
    location: str            # a repository location
    profile: str | None      # the profile whose repository it is, or None for the safety folder

    def describe(self) -> str:
        return f"the backups of profile {self.profile}" if self.profile else f"the safety folder {self.location}"


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def safety_place(db: str | os.PathLike, settings: Settings | None = None) -> SafetyPlace:
    """The profile's repository for ``db``, else the per-user safety folder."""
    if settings is None:
        try:
            settings = SettingsStore().load()
        except KasirBackupError:
            settings = None
    if settings is not None:
        for p in settings.profiles:
            if p.repos and same_file(p.db_path, db):
                return SafetyPlace(p.repos[0], p.name)
    real = os.path.normcase(os.path.realpath(db))
    tag = hashlib.sha256(real.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return SafetyPlace(str(data_dir() / "safety" / f"{Path(real).stem[:40]}-{tag}"), None)


def newest_safety(repo: Repository, db: str | os.PathLike) -> Snapshot:
    """The newest before-restore/before-import snapshot taken of ``db`` (NothingToUndo)."""
    for snap in repo.snapshots():                      # newest first
        if snap.kind == Kind.BEFORE_RESTORE and same_file(snap.source_path, db):
            return snap
    raise NothingToUndo(path=str(db), repo=repo.location)
