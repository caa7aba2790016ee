"""Where an export reads from and where it writes to.

An export never reads the live database directly: a long read would hold SQLite's SHARED
lock and make the POS fail its sales. It reads a *static image* in scratch space instead —
a consistent copy taken with short locks (``capture_to_file``, as a backup does), or a
snapshot rebuilt from the repository (checked page by page). The output appears only when
complete: it is written under a temporary name next to the destination and renamed.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..snapshot.capture import capture_to_file
from ..errors import KasirBackupError, VerificationFailed
from ..repo.manifest import Snapshot
from ..progress import CancelToken, Progress, no_progress
from ..repo.repository import Repository
from ..scratch import clean_scratch, scratch_folder
from ..sqlitefile import check_source
from ..snapshot.verify import rebuild_image


class OutputExists(KasirBackupError):
    code = "output-exists"
    template = "{path} already exists."
    hint = "Choose a new name for the export (existing files are never overwritten)."


class OutputFolderMissing(KasirBackupError):
    code = "output-folder-missing"
    template = "The folder {path} does not exist."
    hint = "Create the folder first or choose another location for the export."


class OutputWriteFailed(KasirBackupError):
    code = "output-write-failed"
    template = "Could not write the export {path}: {reason}."
    hint = "Check that the disk has free space and that you may write there; no partial export was left behind."


def output_error(exc: OSError, path: Path) -> KasirBackupError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return OutputWriteFailed(path=str(path), reason="the disk is full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputWriteFailed(path=str(path), reason="permission denied")
    return OutputWriteFailed(path=str(path), reason=exc.strerror or str(exc))


@dataclass(slots=True)
class SourceInfo:
    path: str
    name: str
    snapshot_id: str | None = None
    snapshot_time: str | None = None


def open_image(path: Path) -> sqlite3.Connection:
    """A read-only connection to a static image (ours alone; nothing else writes it)."""
    return sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)


@contextmanager
def static_image(db: str | os.PathLike | None = None, repo: Repository | None = None,
                 snapshot: Snapshot | None = None, progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> Iterator[tuple[Path, SourceInfo]]:
    """Yield a static copy of the live database ``db``, or of ``snapshot`` from ``repo``,
    in scratch space; it is removed afterwards."""
    clean_scratch()
    work = scratch_folder("export")
    try:
        image = work / "image.db"
        if db is not None:
            path, _ = check_source(db)
            capture_to_file(path, image, progress, cancel)
            info = SourceInfo(str(path), path.name)
        else:
            assert repo is not None and snapshot is not None
            if snapshot.verification.ok is False:
                raise VerificationFailed(snapshot=snapshot.short_id, detail=snapshot.verification.detail)
            report = rebuild_image(repo, snapshot, image, progress, cancel, stop_at_first=True)
            if not report.ok:
                raise VerificationFailed(snapshot=snapshot.short_id, detail="; ".join(report.problems))
            info = SourceInfo(snapshot.source_path, snapshot.source_name, snapshot.id,
                              snapshot.created_at.isoformat())
        yield image, info
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Output:
    """The destination of an export: a file, or a folder (CSV). Everything is written
    under a temporary name in the same folder and renamed into place by ``commit``."""

    def __init__(self, dest: str | os.PathLike, folder: bool = False) -> None:
        self.dest = Path(dest).expanduser().absolute()
        self.folder = folder
        if not self.dest.parent.is_dir():
            raise OutputFolderMissing(path=str(self.dest.parent))
        if self.dest.exists() or self.dest.is_symlink():
            if not (folder and self.dest.is_dir() and not any(self.dest.iterdir())):
                raise OutputExists(path=str(self.dest))
        self.tmp = self.dest.parent / f".{self.dest.name}.{secrets.token_hex(4)}.kasirbackup-tmp"
        try:
            if folder:
                self.tmp.mkdir()
        except OSError as exc:
            raise output_error(exc, self.dest) from exc

    def commit(self) -> Path:
        try:
            if self.folder:
                if self.dest.is_dir():
                    self.dest.rmdir()            # it was empty (checked above)
                os.rename(self.tmp, self.dest)
            else:
                if self.dest.exists():
                    raise OutputExists(path=str(self.dest))
                os.replace(self.tmp, self.dest)
        except OSError as exc:
            raise output_error(exc, self.dest) from exc
        return self.dest

    def discard(self) -> None:
        if self.tmp.is_dir():
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            try:
                self.tmp.unlink()
            except OSError:
                pass
