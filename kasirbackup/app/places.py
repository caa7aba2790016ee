"""Where backups go: recognising a removable or network disk that is not there, so that a
backup to an unplugged USB disk says "plug in the disk BACKUP-USB" instead of quietly
creating the folder on the computer's own disk under /media (where it would die with it)."""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

from ..core.errors import KasirBackupError


class BackupDiskMissing(KasirBackupError):
    code = "backup-disk-missing"
    template = "The backup disk {disk} is not connected (the backups go to {path})."
    hint = "Plug the disk in (or connect the network drive) and try again; nothing was written anywhere else."


def _is_user(name: str) -> bool:
    """Is ``name`` an account on this computer (``/media/USER/DISK``, as desktops mount disks)
    rather than a disk mounted straight under ``/media``?"""
    try:
        import pwd
    except ImportError:
        return False
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _user_folder(path: Path) -> bool:
    """``/media/USER`` as udisks makes it: a folder that is not itself a mounted disk."""
    try:
        return path.is_dir() and not os.path.ismount(path)
    except OSError:
        return False


def mount_root(location: str) -> tuple[str, Path] | None:
    """For a folder on removable or mounted media: (the disk's name, its mount point)."""
    if location.startswith("s3://"):
        return None
    if sys.platform == "win32" or PureWindowsPath(location).drive[1:2] == ":":
        drive = PureWindowsPath(location).drive
        if drive and drive.upper() not in ("C:",):
            return drive.upper(), Path(drive + "\\")
        return None
    p = Path(os.path.abspath(os.path.expanduser(location)))
    parts = p.parts
    if len(parts) >= 4 and parts[1] == "media" and (_is_user(parts[2]) or _user_folder(Path(*parts[:3]))):
        # /media/USER/DISK
        return parts[3], Path(*parts[:4])
    if len(parts) >= 3 and parts[1] == "media":                           # /media/DISK
        return parts[2], Path(*parts[:3])
    if len(parts) >= 5 and parts[1] == "run" and parts[2] == "media":     # /run/media/USER/DISK
        return parts[4], Path(*parts[:5])
    if len(parts) >= 3 and parts[1] == "Volumes":                         # macOS
        return parts[2], Path(*parts[:3])
    if len(parts) >= 3 and parts[1] == "mnt":                             # /mnt/DISK
        return parts[2], Path(*parts[:3])
    return None


def check_destination(location: str) -> None:
    """Raise BackupDiskMissing when the repository is not there and the disk it lives on is
    not mounted. An existing repository is always used as it is."""
    root = mount_root(location)
    if root is None:
        return
    disk, mount = root
    try:
        if Path(location).expanduser().is_dir() and (Path(location).expanduser() / "kasirbackup.json").exists():
            return
        if sys.platform == "win32" or PureWindowsPath(location).drive[1:2] == ":":
            present = mount.exists()
        else:
            # an unplugged disk leaves no folder, or an empty mount point behind; a folder with
            # files in it that is not a mount is an ordinary folder someone chose
            present = mount.is_dir() and (os.path.ismount(mount) or any(mount.iterdir()))
    except OSError:
        present = False
    if not present:
        raise BackupDiskMissing(disk=disk, path=location)


def place_name(location: str) -> str:
    """How a backup place is named to a shop owner: the disk's name for a folder on a USB or
    network disk ("USB-BACKUP"), otherwise the folder or ``s3://`` address itself."""
    try:
        root = mount_root(location)
    except (OSError, ValueError):
        root = None
    return root[0] if root is not None else location


def check_writable(location: str) -> None:
    """Raise the user error when backups could not be written to a folder place: its disk is
    not connected, or the folder (or its nearest existing parent) is read-only or not ours to
    write — found by creating and removing a small file, the only check that holds for ACLs,
    read-only mounts and shares. Object storage is not checked here."""
    if location.lower().startswith("s3://"):
        return
    check_destination(location)
    from .discover import existing_ancestor, probe_writable

    folder = existing_ancestor(location)
    if folder is not None:
        probe_writable(folder, location)
