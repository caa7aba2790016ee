"""Scratch space for temporary database images (restore drills, previews, safety copies).

They hold a full copy of a shop's data, so they must not pile up when a run is killed:
every file or folder is created in ``<temp>/kasirbackup-scratch/`` with the creating
process id in its name, is readable by the owner only, and ``clean_scratch()`` — called at
the start of every backup, verify, diff and restore — removes what dead processes left.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from .processes import pid_alive

_NAME = re.compile(r"^[a-z]+-(\d+)-")


def scratch_dir() -> Path:
    base = os.environ.get("KASIRBACKUP_SCRATCH_DIR") or os.path.join(tempfile.gettempdir(), "kasirbackup-scratch")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
    return path


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
        entries = list(scratch_dir().iterdir())
    except OSError:
        return 0
    for entry in entries:
        m = _NAME.match(entry.name)
        if not m or pid_alive(int(m.group(1))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except OSError:
            pass
    return removed
