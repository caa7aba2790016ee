"""Folders of pictures and documents found beside a database: what the first-start wizard and
Settings suggest backing up with it (product photos in ``static/uploads``, scanned receipts
in ``instance/receipts``…).

Looks in the database's folder and (when that folder is a sub-folder of the program, such as
``instance/`` or ``data/``) its parent, at most a few levels down and a few thousand names,
skipping program folders (``.git``, ``node_modules``, virtual environments, caches) and
backup folders. Each top-level folder holding pictures or documents is suggested as the
deepest folder that still holds all of them (``static/uploads``, not ``static`` with its
icons and style sheets: a folder holding under 5 % of the pictures, like a favicon, is not
what decides).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MEDIA = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".pdf"}
SKIP = {".git", ".hg", ".svn", "node_modules", "__pycache__", "venv", ".venv", "env", "site-packages",
        "dist", "build", ".cache", "cache", "tmp", "temp", "logs", "log"}
MAX_DEPTH = 5
MAX_NAMES = 20000
MIN_FILES = 3
NOISE = 0.05            # loose pictures beside the folder of pictures (a favicon): left out under this share


@dataclass(frozen=True, slots=True)
class FolderSuggestion:
    path: str
    files: int          # pictures and documents in it
    bytes: int


def suggest_folders(db_path: str | os.PathLike, limit: int = 3) -> list[FolderSuggestion]:
    """Up to ``limit`` folders of pictures or documents that look like they belong to the
    database, the largest first; [] when nothing is found (never raises for unreadable
    folders)."""
    db = Path(os.path.abspath(os.fspath(db_path)))
    bases = [db.parent]
    if db.parent.name.lower() in {"instance", "data", "db", "database", "databases", "var"}:
        bases.append(db.parent.parent)
    media: dict[str, tuple[int, int]] = {}      # folder -> (files, bytes) directly in it
    seen = [0]
    for base in bases:
        _scan(base, 0, media, seen)
    out: list[FolderSuggestion] = []
    for base in bases:
        for top in sorted({_top(base, Path(d)) for d in media if _under(Path(d), base)} - {None}):
            inside = {d: v for d, v in media.items() if _under(Path(d), top)}
            files = sum(v[0] for v in inside.values())
            if files < MIN_FILES:
                continue
            folder = _deepest(top, inside, files)
            if any(_under(folder, Path(s.path)) or _under(Path(s.path), folder) for s in out):
                continue
            kept = [v for d, v in inside.items() if _under(Path(d), folder)]
            out.append(FolderSuggestion(str(folder), sum(v[0] for v in kept), sum(v[1] for v in kept)))
    out.sort(key=lambda s: -s.bytes)
    return out[:limit]


def _deepest(top: Path, inside: dict[str, tuple[int, int]], files: int) -> Path:
    """Go down from ``top`` into the one sub-folder that holds its pictures while no other
    sub-folder holds any and the loose ones left behind are a few (an icon, a logo)."""
    cur = top
    while True:
        counts: dict[Path, int] = {}
        loose = 0
        for d, (n, _) in inside.items():
            p = Path(d)
            if p == cur:
                loose += n
            elif _under(p, cur):
                child = cur / p.relative_to(cur).parts[0]
                counts[child] = counts.get(child, 0) + n
        if len(counts) != 1 or loose > NOISE * files:
            return cur
        cur = next(iter(counts))


def _under(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def _top(base: Path, folder: Path) -> Path | None:
    """The folder directly under ``base`` that holds ``folder`` (None: ``base`` itself, whose
    loose files are not a folder of their own to suggest)."""
    if folder == base:
        return None
    return base / folder.relative_to(base).parts[0]


def _scan(folder: Path, depth: int, media: dict[str, tuple[int, int]], seen: list[int]) -> None:
    if depth > MAX_DEPTH or seen[0] > MAX_NAMES:
        return
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return
    if any(e.name == "kasirbackup.json" for e in entries):
        return                      # a backup folder of ours
    files = size = 0
    for e in entries:
        seen[0] += 1
        try:
            if e.is_symlink():
                continue
            if e.is_dir() and e.name.lower() not in SKIP and not e.name.startswith("."):
                _scan(Path(e.path), depth + 1, media, seen)
            elif e.is_file() and os.path.splitext(e.name)[1].lower() in MEDIA:
                files += 1
                size += e.stat().st_size
        except OSError:
            continue
    if files:
        media[str(folder)] = (files, size)
