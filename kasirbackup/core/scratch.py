"""Scratch space for temporary database images (restore drills, previews, safety copies).

They hold a full copy of a shop's data, so they must not pile up when a run is killed and
must not be reachable by anyone else: every file or folder is created in a scratch folder
of this user's own — ``<temp>/kasirbackup-scratch-<uid>`` (one per user, so a root cron job
and the shop owner never share one), or ``<temp>/kasirbackup-scratch`` on Windows, whose
temporary folder is per user already. That folder must be a real folder (not a link or
junction), owned by us and closed to others; if the name is taken by someone else the
per-user cache folder is used instead, and a folder we do not own is never used. Names
carry the creating process id, and ``clean_scratch()`` — called at the start of every
backup, verify, diff and restore — removes what dead processes left.
"""

from __future__ import annotations

import os
import secrets
import re
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import IoFailure, KasirBackupError
from .processes import pid_alive

_NAME = re.compile(r"^[a-z]+-(\d+)-")


class ScratchUnsafe(KasirBackupError):
    code = "scratch-unsafe"
    template = ("The scratch folder {path} cannot be used safely: it is a link, not a folder, or it belongs "
                "to another user.")
    hint = ("Remove it (or point KASIRBACKUP_SCRATCH_DIR at a folder of your own) and try again; "
            "nothing was written there.")


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def is_link(st: os.stat_result) -> bool:
    """A symbolic link, or on Windows any reparse point (junctions, mount points)."""
    if stat.S_ISLNK(st.st_mode):
        return True
    attrs = getattr(st, "st_file_attributes", 0)
    return bool(attrs & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400))


def own_folder(path: Path) -> Path:
    """``path`` as a folder of this user's alone: created (owner-only) if missing, else
    checked without following links. Raises ``ScratchUnsafe`` when it is a link, not a
    folder or someone else's."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise IoFailure(path=str(path), reason=exc.strerror or str(exc)) from exc
    st = os.lstat(path)
    uid = _uid()
    if is_link(st) or not stat.S_ISDIR(st.st_mode) or (uid is not None and st.st_uid != uid):
        raise ScratchUnsafe(path=str(path))
    if os.name != "nt" and st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def own_folders(path: Path) -> Path:
    """``path`` and every folder above it that is missing, created owner-only (``own_folder``
    for each): settings-like data that is this user's alone."""
    missing = []
    q = path
    while not q.exists() and q.parent != q:
        missing.append(q)
        q = q.parent
    for folder in reversed(missing):
        own_folder(folder)
    return own_folder(path)


def current_umask() -> int:
    """The process's file creation mask (0 on Windows): what a new file's mode would be
    reduced by, for files we create private and open up once they are complete."""
    if os.name == "nt":
        return 0
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_private(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all, readable by this user only, in an owner-only folder
    (``own_folders``): a new temporary file beside it (never an existing one, never through a
    link), then renamed over it (which replaces a link there rather than following it)."""
    own_folders(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _cache_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kasirbackup", appauthor=False)) / "scratch"


def scratch_dir() -> Path:
    override = os.environ.get("KASIRBACKUP_SCRATCH_DIR")
    if override:
        return own_folder(Path(override))
    uid = _uid()
    name = "kasirbackup-scratch" if uid is None else f"kasirbackup-scratch-{uid}"
    try:
        return own_folder(Path(tempfile.gettempdir()) / name)
    except ScratchUnsafe:
        # the name is taken in the shared temporary folder (another user, or a planted
        # link): our own cache folder cannot be
        return own_folder(_cache_folder())


def scratch_file(kind: str, suffix: str = ".db", folder: Path | None = None) -> Path:
    folder = folder or scratch_dir()
    fd, name = tempfile.mkstemp(prefix=f"{kind}-{os.getpid()}-", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(name)


def scratch_folder(kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=scratch_dir()))


def clean_scratch() -> int:
    """Remove scratch files and folders whose process is gone. Returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(scratch_dir()))
    except (OSError, ScratchUnsafe):
        return 0
    for entry in entries:
        m = _NAME.match(entry.name)
        if not m or pid_alive(int(m.group(1))):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed += 1
        except OSError:
            pass
    return removed
