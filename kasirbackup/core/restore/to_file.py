"""Restoring a snapshot to a new file (restoring into a live database: restore_live)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..errors import (KasirBackupError, TargetExists, TargetFolderMissing, TargetIsDirectory,
                     VerificationFailed, os_error_to_user)
from ..repo.manifest import Snapshot
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import Repository
from ..scratch import current_umask
from ..sqlitefile import inspect_image
from ..storage.base import fsync_dir
from ..snapshot.verify import rebuild_image


@dataclass(slots=True)
class RestoreResult:
    snapshot: Snapshot
    path: Path
    bytes: int
    sha256: str


def check_new_target(target: str | os.PathLike) -> Path:
    p = Path(target).expanduser().absolute()
    if p.is_dir():
        raise TargetIsDirectory(path=str(p))
    if p.exists() or p.is_symlink():
        raise TargetExists(path=str(p))
    if not p.parent.is_dir():
        raise TargetFolderMissing(path=str(p.parent))
    return p


def restore_to_new_file(repo: Repository, snap: Snapshot, target: str | os.PathLike,
                        progress: Progress = no_progress, cancel: CancelToken | None = None) -> RestoreResult:
    """Write the snapshot's database image, byte for byte, to a file that does not exist
    yet. The file appears only when complete and checked; on any problem it never does."""
    dest = check_new_target(target)
    if snap.verification.ok is False:
        raise VerificationFailed(snapshot=snap.short_id, detail=snap.verification.detail)
    tmp = dest.parent / f".{dest.name}.{secrets.token_hex(4)}.kasirbackup-tmp"
    try:
        try:
            report = rebuild_image(repo, snap, tmp, progress, cancel, stop_at_first=True,
                                   check_pages=not snap.drilled)
        except OSError as exc:
            raise os_error_to_user(exc, str(dest.parent)) from exc
        if not report.ok:
            raise VerificationFailed(snapshot=snap.short_id, detail="; ".join(report.problems))
        if not snap.drilled:
            # never drilled (its drill was interrupted, or a continuous snapshot checked by
            # reading back what it added): this rebuild, with every page checked, is its drill
            facts = inspect_image(tmp)
            if facts.integrity != "ok":
                raise VerificationFailed(snapshot=snap.short_id, detail=facts.integrity)
        os.chmod(tmp, 0o666 & ~current_umask())
        if cancel is not None:
            cancel.check()          # the last moment a cancel leaves no file behind
        try:
            os.link(tmp, dest)      # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise TargetExists(path=str(dest)) from None
        except OSError:
            if dest.exists():
                raise TargetExists(path=str(dest)) from None
            os.rename(tmp, dest)    # file systems without hard links
        fsync_dir(dest.parent)
        return RestoreResult(snap, dest, report.pages * snap.database.page_size, report.sha256)
    except KasirBackupError:
        raise
    except OSError as exc:
        raise os_error_to_user(exc, str(dest.parent)) from exc
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
