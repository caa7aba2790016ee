"""Scheduled exports: after each scheduled backup (also catch-up and retry runs), the
profile's chosen exports (``Profile.exports``: csv / json / xlsx / sql) are made *from the
new snapshot*, so each export holds exactly what its backup holds, and written next to the
backups in ``<first repository>/exports/``::

    exports/20261121-230000-kasir-1a2b3c4d.xlsx
            <snapshot time>-<database>-<snapshot short id>.<ext>     (csv: .csv.zip)

They follow the backups' retention: after the prune, an export whose snapshot is no longer
in the repository is removed (only files named as above; anything else in the folder is
left alone). Nothing here can turn a good backup into a failed run: problems become a note
in the run's message and the log. Only local folders get exports (an S3 bucket has no
folder to open, and an encrypted repository must never hold readable data), both skipped
with a note.
"""

from __future__ import annotations

import logging
import os
import stat
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core.errors import Cancelled, KasirBackupError
from ..core.repo.manifest import Snapshot
from ..core.progress import CancelToken, Progress, no_progress
from ..core.repo.repository import Repository
from ..core.scratch import is_link
from ..core.storage.local import LocalStorage
from .credentials import passphrase_source
from .history import Trigger
from .settings import Profile

log = logging.getLogger("kasirbackup.auto_export")

EXPORTS_FOLDER = "exports"
#: runs that make exports; a manual "Backup now" does not (the Export… dialog is there for that)
TRIGGERS = frozenset({Trigger.SCHEDULED, Trigger.CATCH_UP, Trigger.RETRY})
EXTENSIONS = {"csv": "csv.zip", "json": "json", "xlsx": "xlsx", "sql": "sql"}
NAME = re.compile(r"^(\d{8}-\d{6})-(.+)-([0-9a-f]{8})\.(csv\.zip|json|xlsx|sql)$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_STALE_TMP_S = 24 * 3600


@dataclass(slots=True)
class AutoExportResult:
    written: dict[str, Path] = field(default_factory=dict)    # format -> file
    failed: dict[str, str] = field(default_factory=dict)      # format -> why
    removed: list[Path] = field(default_factory=list)         # exports of pruned snapshots
    skipped: str = ""                                          # why no export was made at all

    def note(self) -> str:
        """One line for the run's message ("" when there is nothing to say)."""
        parts = []
        if self.written:
            parts.append("exported " + ", ".join(self.written))
        for fmt, why in self.failed.items():
            parts.append(f"export {fmt} failed: {why}")
        if self.skipped:
            parts.append(self.skipped)
        if self.removed:
            parts.append(f"{len(self.removed)} old exports removed")
        return "; ".join(parts)


def export_name(snap: Snapshot, fmt: str) -> str:
    stamp = snap.created_at.strftime("%Y%m%d-%H%M%S")
    stem = _UNSAFE.sub("_", Path(snap.source_name).stem).strip(" .") or "database"
    return f"{stamp}-{stem}-{snap.short_id}.{EXTENSIONS[fmt]}"


def exports_folder(repo: Repository) -> Path | None:
    """``<repository>/exports`` for a folder repository; None for object storage."""
    if not isinstance(repo.storage, LocalStorage):
        return None
    return Path(repo.storage.root) / EXPORTS_FOLDER


def export_snapshot(repo: Repository, snap: Snapshot, formats: list[str], progress: Progress = no_progress,
                    cancel: CancelToken | None = None,
                    translate: Callable[[str], str] | None = None) -> AutoExportResult:
    """Write the chosen exports of ``snap``; every format on its own (one failing does not
    stop the others). A cancel stops the exports, never the run."""
    from ..core.exports.exporter import ExportRequest, export     # the writers import openpyxl: only when used

    out = AutoExportResult()
    folder = exports_folder(repo)
    if folder is None:
        out.skipped = f"no exports written to {repo.location} (exports are kept in local folders only)"
        return out
    if repo.config.encryption:
        out.skipped = "no exports written: the backup folder is encrypted and an export would not be"
        return out
    try:
        folder = repo.storage.folder(EXPORTS_FOLDER)     # never through a planted link
    except KasirBackupError as exc:
        out.failed = {fmt: exc.message(translate) for fmt in formats}
        return out
    for fmt in formats:
        dest = folder / export_name(snap, fmt)
        if dest.exists():
            out.written[fmt] = dest
            continue
        try:
            res = export(ExportRequest(format=fmt, out=dest, repo=repo, snapshot=snap), progress, cancel)
        except Cancelled:
            out.failed[fmt] = "cancelled"
            break
        except KasirBackupError as exc:
            out.failed[fmt] = exc.message(translate)
        except Exception as exc:    # a bug must not fail a good backup: log it, say it
            log.exception("export %s of %s failed unexpectedly", fmt, snap.short_id)
            out.failed[fmt] = f"{type(exc).__name__}: {exc}"
        else:
            out.written[fmt] = res.path
            log.info("exported %s of %s to %s: %d rows", fmt, snap.short_id, res.path, res.rows)
    return out


def remove_orphans(repo: Repository) -> list[Path]:
    """Remove the exports whose snapshot is no longer in ``repo`` (pruned), and temporary
    files of exports killed more than a day ago. Nothing is removed while any manifest is
    unreadable or when the repository lists no snapshot at all."""
    folder = exports_folder(repo)
    if folder is None or not os.path.lexists(folder):
        return []
    st = os.lstat(folder)
    if is_link(st):
        log.warning("exports in %s left as they are: the folder is a link to another place", folder)
        return []
    if not stat.S_ISDIR(st.st_mode):
        return []
    snaps = repo.snapshots()
    if repo.problems or not snaps:
        log.warning("exports in %s left as they are: %s", folder,
                    "; ".join(repo.problems) or "the repository lists no backups")
        return []
    ids = [s.id for s in snaps]
    removed = []
    now = time.time()
    for entry in folder.iterdir():
        try:
            if entry.name.endswith(".kasirbackup-tmp") and entry.name.startswith("."):
                if now - entry.lstat().st_mtime > _STALE_TMP_S and entry.is_file():
                    entry.unlink()
                continue
            m = NAME.match(entry.name)
            if not m or entry.is_symlink() or not entry.is_file() or any(i.startswith(m.group(3)) for i in ids):
                continue
            entry.unlink()
            removed.append(entry)
            log.info("removed export %s: its backup was removed by the retention policy", entry)
        except OSError as exc:
            log.warning("could not remove %s: %s", entry, exc)
    return removed


def after_run(profile: Profile, trigger: Trigger, location: str, snapshot_id: str, backup_ok: bool,
              progress: Progress = no_progress, cancel: CancelToken | None = None,
              translate: Callable[[str], str] | None = None) -> AutoExportResult | None:
    """Called by the runner (holding the repository's queue) after the first repository's
    backup and prune. Never raises a user error; returns None when there was nothing to do."""
    if not backup_ok or not snapshot_id:
        return None                  # no new backup, no prune: nothing to export or remove
    wanted = list(dict.fromkeys(profile.exports)) if trigger in TRIGGERS else []
    if location.lower().startswith("s3://"):
        if wanted:
            log.info("profile %s: exports are not written to object storage (%s)", profile.name, location)
            return AutoExportResult(skipped=f"no exports written to {location} (exports are kept in local "
                                            f"folders only)")
        return None
    if not wanted and not (Path(location) / EXPORTS_FOLDER).is_dir():
        return None
    try:
        repo = Repository.open(location, passphrase=passphrase_source(interactive=False))
        out = AutoExportResult()
        if wanted:
            out = export_snapshot(repo, repo.find(snapshot_id), wanted, progress, cancel, translate)
            if out.skipped:
                log.info("profile %s: %s", profile.name, out.skipped)
        out.removed = remove_orphans(repo)
    except KasirBackupError as exc:
        log.warning("profile %s: exports: %s", profile.name, exc)
        return AutoExportResult(failed={"exports": exc.message(translate)})
    except Exception as exc:
        log.exception("profile %s: exports failed unexpectedly", profile.name)
        return AutoExportResult(failed={"exports": f"{type(exc).__name__}: {exc}"})
    return out
