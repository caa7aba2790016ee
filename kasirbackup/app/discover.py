"""Finding what the first-start setup offers: SQLite databases a shop is likely to use, and
places for the backups that survive the loss of the database's disk.

``find_databases`` walks a few usual folders (the home folder, Documents, Desktop, Downloads;
on Windows also the drives' top folders and known applications' folders under ProgramData
and AppData) to a bounded depth and within a time budget. It never follows symbolic links
or junctions (so no loops), skips hidden folders and huge trees (``node_modules``, ``Windows``
…), and accepts a file only when its first 16 bytes are SQLite's header — a ``Thumbs.db`` or
a text file named ``kasir.db`` is not a database. Backup copies (``kasir_backup_*.db``,
anything in a ``backups`` folder) are left out: the setup wants the live database.

``suggest_backup_places`` lists USB disks and other drives first (a backup on the database's
own disk dies with it), then a folder in Documents and in the data folder.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterable

from ..core.errors import Cancelled, RepoIsFile, os_error_to_user
from ..core.progress import CancelToken, Progress, no_progress
from .paths import data_dir

MAGIC = b"SQLite format 3\x00"
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")

#: file names of the applications our users run today (the seeds) and common POS names
KNOWN_NAMES = frozenset({
    "kasir.db", "pos.db", "toko.db", "database.db", "db.sqlite3", "db.sqlite", "data.db", "app.db",
    "kaka_wallet.sqlite", "society_management.db", "financex.db", "finance.db", "penjualan.db",
    "inventory.db", "inventori.db", "store.db", "shop.db", "sales.db", "koperasi.db", "keuangan.db",
    "apotek.db", "kasirku.db", "minimarket.db", "warung.db", "ledger.db", "toko-contoh.db",
})
#: words that make a database file name likely to be a shop's or a ledger's
KEYWORDS = re.compile(r"kasir|pos|toko|jual|sale|shop|store|warung|mart|wallet|ledger|finance|keuangan|"
                      r"koperasi|society|invent|stok|stock|apotek|resto|akuntansi|buku|kas", re.I)
#: backup copies, not the live database
BACKUP_NAME = re.compile(r"backup|cadangan|\.bak|_bak|-bak|before[_-]restore|\bcopy\b|salinan", re.I)

#: folders never entered (huge, or never a shop's data)
SKIP_DIRS = frozenset(n.lower() for n in (
    "node_modules", "__pycache__", "site-packages", "dist-packages", "venv", "env", "bower_components",
    "Windows", "Program Files", "Program Files (x86)", "$Recycle.Bin", "System Volume Information",
    "Recovery", "PerfLogs", "MSOCache", "Config.Msi", "$WinREAgent", "Intel", "AMD", "NVIDIA",
    "AppData", "Application Data", "Local Settings", "Library", "Applications", "System",
    "snap", "flatpak", "proc", "sys", "dev", "usr", "bin", "sbin", "lib", "lib64", "boot", "etc", "var",
    "opt", "srv", "tmp", "run", "Music", "Pictures", "Videos", "Movies", "OneDriveTemp",
    "backup", "backups", "cadangan", "KasirBackup", "Users", "ProgramData", "Documents and Settings",
))
#: application folders under ProgramData / AppData worth a look (names contain one of these)
KNOWN_APP_DIRS = re.compile(r"kasir|pos|toko|minimarket|warung|mart|wallet|finance|koperasi|apotek|"
                            r"akuntansi|zahir|accurate|moka|olsera|ipos|pawoon|majoo|kasirpintar", re.I)

DEFAULT_TIME_BUDGET = 8.0
MAX_DIRS = 20000
MAX_RESULTS = 60


@dataclass(frozen=True, slots=True)
class SearchRoot:
    path: Path
    max_depth: int           # folders below ``path`` that are entered (0: only its own files)
    strict: bool = False     # only known names / keywords (folders full of unrelated SQLite files)


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path
    size: int
    modified: float
    known: bool              # a known application's file name or a shop-like word in it


@dataclass(slots=True)
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    complete: bool = True    # False: the time or folder budget ran out first
    folders_seen: int = 0


def is_sqlite_file(path: str | os.PathLike) -> bool:
    """True when the file starts with SQLite's 16-byte header."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == MAGIC
    except OSError:
        return False


def default_roots(home: Path | None = None, platform: str | None = None) -> list[SearchRoot]:
    """The usual places, most likely first."""
    platform = platform or sys.platform
    home = home or Path.home()
    roots = [SearchRoot(home / sub, 4) for sub in ("Desktop", "Documents", "Downloads", "Dokumen", "Unduhan")]
    roots.append(SearchRoot(home, 3))
    if platform.startswith("win"):
        for letter in _fixed_drives():
            roots.append(SearchRoot(Path(f"{letter}:\\"), 3))
        for var in ("PROGRAMDATA", "LOCALAPPDATA", "APPDATA"):
            base = os.environ.get(var)
            if base and os.path.isdir(base):
                try:
                    with os.scandir(base) as it:
                        for e in it:
                            if KNOWN_APP_DIRS.search(e.name) and e.is_dir(follow_symlinks=False):
                                roots.append(SearchRoot(Path(e.path), 3, strict=True))
                except OSError:
                    pass
    return roots


def find_databases(roots: Iterable[SearchRoot] | None = None, time_budget: float = DEFAULT_TIME_BUDGET,
                   cancel: CancelToken | None = None, progress: Progress = no_progress,
                   max_dirs: int = MAX_DIRS, exclude: Iterable[str | os.PathLike] = ()) -> Discovery:
    """SQLite databases with a database-like name under ``roots`` (default: the usual places),
    known names first, then the most recently changed. Stops after ``time_budget`` seconds or
    ``max_dirs`` folders with what it found (``complete`` is then False); ``cancel`` raises
    ``Cancelled``. ``exclude`` lists files and folders to leave out (KasirBackup's own
    folders: its run history is an SQLite file too)."""
    deadline = time.monotonic() + time_budget
    result = Discovery()
    seen_dirs: set[tuple[int, int]] = set()
    found: dict[str, Candidate] = {}
    excluded = {os.path.normcase(os.path.abspath(p)) for p in exclude}
    for root in (roots if roots is not None else default_roots()):
        if not _walk(root, root.path, 0, seen_dirs, found, excluded, result, deadline, cancel, progress, max_dirs):
            result.complete = False
            break
    result.candidates = sorted(found.values(), key=lambda c: (not c.known, -c.modified, str(c.path)))[:MAX_RESULTS]
    return result


def _walk(root: SearchRoot, folder: Path, depth: int, seen: set, found: dict, excluded: set,
          result: Discovery, deadline: float, cancel: CancelToken | None, progress: Progress,
          max_dirs: int) -> bool:
    """False when the budget ran out."""
    if cancel is not None and cancel.cancelled:
        raise Cancelled()
    if time.monotonic() > deadline or result.folders_seen >= max_dirs:
        return False
    try:
        st = os.stat(folder, follow_symlinks=False)
    except OSError:
        return True
    if not stat.S_ISDIR(st.st_mode):
        return True
    key = (st.st_dev, st.st_ino)
    if key in seen or os.path.normcase(os.path.abspath(folder)) in excluded:
        return True
    seen.add(key)
    result.folders_seen += 1
    progress("search", result.folders_seen, max_dirs)
    subdirs: list[Path] = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                name = entry.name
                try:
                    if entry.is_symlink():          # never followed: no loops, no surprises
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if depth < root.max_depth and not _skip_dir(entry):
                            subdirs.append(Path(entry.path))
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                lower = name.lower()
                if not lower.endswith(DB_SUFFIXES) or BACKUP_NAME.search(name):
                    continue
                known = lower in KNOWN_NAMES or bool(KEYWORDS.search(Path(name).stem))
                if root.strict and not known:
                    continue
                norm = os.path.normcase(os.path.abspath(entry.path))
                if norm in found or norm in excluded:
                    continue
                try:
                    est = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if est.st_size < 512 or not is_sqlite_file(entry.path):
                    continue
                found[norm] = Candidate(Path(entry.path), est.st_size, est.st_mtime, known)
    except OSError:
        return True
    for sub in sorted(subdirs, key=lambda p: p.name.lower()):
        if not _walk(root, sub, depth + 1, seen, found, excluded, result, deadline, cancel, progress, max_dirs):
            return False
    return True


def _skip_dir(entry: os.DirEntry) -> bool:
    name = entry.name
    if name.startswith((".", "$", "~")) or name.lower() in SKIP_DIRS:
        return True
    if os.name == "nt":          # junctions ("My Documents", "Application Data") and hidden/system folders
        try:
            attrs = entry.stat(follow_symlinks=False).st_file_attributes
            if attrs & (0x400 | 0x2 | 0x4):   # reparse point, hidden, system
                return True
        except (OSError, AttributeError):
            pass
    return False


def _fixed_drives() -> list[str]:
    """Letters of local fixed drives (Windows); never A:/B: (a floppy prompt)."""
    letters = []
    try:
        import ctypes

        kernel = ctypes.windll.kernel32          # type: ignore[attr-defined]
        mask = kernel.GetLogicalDrives()
        for i in range(2, 26):
            if mask & (1 << i):
                letter = chr(ord("A") + i)
                if kernel.GetDriveTypeW(f"{letter}:\\") == DRIVE_FIXED:
                    letters.append(letter)
    except Exception:
        pass
    return letters


# -- places for the backups ---------------------------------------------------------------------

DRIVE_REMOVABLE, DRIVE_FIXED, DRIVE_REMOTE = 2, 3, 4


class PlaceKind(str, Enum):
    REMOVABLE = "removable"      # a USB disk or memory card
    OTHER_DRIVE = "other-drive"  # another internal drive (Windows D:, E:)
    NETWORK = "network"          # a mapped network drive
    DOCUMENTS = "documents"      # a folder in Documents (same disk, usually)
    DATA_DIR = "data-dir"        # a folder in KasirBackup's own data folder


@dataclass(frozen=True, slots=True)
class BackupPlace:
    path: Path                   # the folder to put the backups in (it may not exist yet)
    kind: PlaceKind
    label: str                   # the disk's name or drive letter, for the list
    same_disk: bool | None       # on the database's disk? None when unknown (no database yet)
    free_bytes: int | None = None

    @property
    def protects_against_disk_failure(self) -> bool:
        return self.same_disk is False


def device_of(path: str | os.PathLike) -> int | None:
    """The device id of the disk holding ``path`` (or its nearest existing parent)."""
    p = existing_ancestor(path)
    try:
        return os.stat(p).st_dev if p is not None else None
    except OSError:
        return None


def existing_ancestor(path: str | os.PathLike) -> Path | None:
    p = Path(path).expanduser()
    try:
        p = p.absolute()
    except OSError:
        return None
    for candidate in (p, *p.parents):
        try:
            if candidate.exists():
                return candidate
        except OSError:
            return None
    return None


def same_disk(a: str | os.PathLike, b: str | os.PathLike) -> bool | None:
    da, db = device_of(a), device_of(b)
    return None if da is None or db is None else da == db


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def _writable_dir(path: Path) -> bool:
    try:
        return path.is_dir() and os.access(path, os.W_OK | os.X_OK)
    except OSError:
        return False


def removable_mounts(platform: str | None = None, user: str | None = None,
                     roots: Iterable[str | os.PathLike] | None = None) -> list[tuple[Path, PlaceKind, str]]:
    """(mount point, kind, label) of USB disks and other drives the user can write to."""
    platform = platform or sys.platform
    out: list[tuple[Path, PlaceKind, str]] = []
    if platform.startswith("win") and roots is None:
        try:
            import ctypes

            kernel = ctypes.windll.kernel32          # type: ignore[attr-defined]
            mask = kernel.GetLogicalDrives()
            system = (os.environ.get("SystemDrive") or "C:")[:1].upper()
            for i in range(2, 26):
                letter = chr(ord("A") + i)
                if not mask & (1 << i) or letter == system:
                    continue
                drive = f"{letter}:\\"
                kind = {DRIVE_REMOVABLE: PlaceKind.REMOVABLE, DRIVE_FIXED: PlaceKind.OTHER_DRIVE,
                        DRIVE_REMOTE: PlaceKind.NETWORK}.get(kernel.GetDriveTypeW(drive))
                if kind is not None and _writable_dir(Path(drive)):
                    out.append((Path(drive), kind, f"{letter}:"))
        except Exception:
            pass
        return out
    check_mounts = roots is None       # an explicit list (tests, a caller's own) is taken as it is
    if roots is None:
        user = user or _user_name()
        if platform == "darwin":
            roots = ["/Volumes"]
        else:
            roots = [f"/media/{user}", f"/run/media/{user}", "/media", "/mnt"]
    seen: set[str] = set()
    for base in roots:
        base_path = Path(base)
        try:
            entries = sorted(base_path.iterdir())
        except OSError:
            continue
        for mount in entries:
            try:
                if mount.is_symlink() or not mount.is_dir():
                    continue          # /Volumes/Macintosh HD is a link to /
                real = str(mount.resolve())
                if real in seen or real == "/":
                    continue
                if check_mounts and not os.path.ismount(mount):
                    continue          # an empty folder under /media is not a disk
            except OSError:
                continue
            if _writable_dir(mount):
                seen.add(real)
                out.append((mount, PlaceKind.REMOVABLE, mount.name))
    return out


def _user_name() -> str:
    for var in ("USER", "LOGNAME", "USERNAME"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        import getpass
        return getpass.getuser()
    except Exception:
        return ""


def documents_dir(home: Path | None = None) -> Path:
    home = home or Path.home()
    for name in ("Documents", "Dokumen"):
        if (home / name).is_dir():
            return home / name
    return home / "Documents"


def suggest_backup_places(db_path: str | os.PathLike | None = None, home: Path | None = None,
                          mounts: list[tuple[Path, PlaceKind, str]] | None = None) -> list[BackupPlace]:
    """Where to keep the backups, best first: USB disks and other drives that are not the
    database's disk, then (always) a folder in Documents and one in the data folder."""
    if mounts is None:
        mounts = removable_mounts()
    places: list[BackupPlace] = []
    for mount, kind, label in mounts:
        same = same_disk(db_path, mount) if db_path else None
        places.append(BackupPlace(mount / "KasirBackup", kind, label, same, _free(mount)))
    docs = documents_dir(home)
    data = data_dir() / "backups"
    for path, kind, label in ((docs / "KasirBackup", PlaceKind.DOCUMENTS, docs.name),
                              (data, PlaceKind.DATA_DIR, "")):
        anc = existing_ancestor(path)
        places.append(BackupPlace(path, kind, label, same_disk(db_path, path) if db_path else None,
                                  _free(anc) if anc else None))
    order = {PlaceKind.REMOVABLE: 0, PlaceKind.OTHER_DRIVE: 1, PlaceKind.NETWORK: 2, PlaceKind.DOCUMENTS: 3,
             PlaceKind.DATA_DIR: 4}
    # a place on another disk first; among those USB before another drive before a share
    places.sort(key=lambda p: (p.same_disk is not False, order[p.kind]))
    return places


# -- the backup folder chosen by the user -------------------------------------------------------

CONFIG_NAME = "kasirbackup.json"


@dataclass(frozen=True, slots=True)
class FolderPlan:
    chosen: Path                 # what the user picked
    target: Path                 # the repository folder: ``chosen`` or a folder for this database in it
    existing: bool               # ``target`` holds KasirBackup backups already (they continue)
    encrypted: bool              # ... and they are encrypted
    same_disk: bool | None       # on the database's disk
    free_bytes: int | None


def folder_name_for(profile_name: str) -> str:
    """A folder name for a profile's backups that every file system accepts."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", profile_name).strip(" .-")
    return name[:60] or "database"


def plan_backup_folder(folder: str | os.PathLike, profile_name: str,
                       db_path: str | os.PathLike | None = None) -> FolderPlan:
    """Where the backups go when the user picks ``folder``: the folder itself when it is a
    KasirBackup repository already, else a folder named after the database inside it (so a
    USB disk's top folder or Documents can be picked as they are). Raises the user error
    when it cannot be written (read-only disk, no permission) — checked by creating and
    removing a small file, the only check that holds for ACLs, read-only mounts and shares.
    ``folder`` must be an absolute path (ValueError otherwise: the caller asks for one)."""
    chosen = Path(str(folder).strip()).expanduser()
    if not chosen.is_absolute():
        raise ValueError(f"not an absolute path: {folder!r}")
    if chosen.exists() and not chosen.is_dir():
        raise RepoIsFile(path=str(chosen))
    target = chosen
    if not (chosen / CONFIG_NAME).is_file():
        base = folder_name_for(profile_name)
        for n in range(1, 100):
            target = chosen / (base if n == 1 else f"{base}-{n}")
            if not target.exists() or (target / CONFIG_NAME).is_file():
                break
            if target.is_dir() and not any(target.iterdir()):
                break
    existing = (target / CONFIG_NAME).is_file()
    encrypted = False
    if existing:
        try:
            import json
            with open(target / CONFIG_NAME, "rb") as fh:
                encrypted = bool(json.loads(fh.read(1024 * 1024).decode("utf-8")).get("encryption"))
        except (OSError, ValueError, AttributeError, RecursionError):
            encrypted = False
    anc = existing_ancestor(target)
    if anc is None or not anc.is_dir():
        raise RepoIsFile(path=str(anc or target))
    probe_writable(anc, str(target))
    return FolderPlan(chosen, target, existing, encrypted, same_disk(db_path, anc) if db_path else None,
                      _free(anc))


def probe_writable(folder: Path, shown: str) -> None:
    """Create and remove a small file in ``folder``: the user error (``shown`` named) if it
    cannot be written — the only check that holds for ACLs, read-only mounts and shares."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".kasirbackup-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise os_error_to_user(exc, shown) from None
