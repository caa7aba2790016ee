"""Backups whose data is gone, and forgetting them when the user asks.

A sync client or a restored disk image can bring back the manifests (and index files)
of backups a prune removed long ago; a pack can be lost. Such a backup cannot be
restored, whatever its manifest says. ``prune`` stops while a backup it keeps is like
this — the folder may still be being copied, and deleting data then could ruin a backup
that would have been whole a minute later — and names the command that ends it:
``kasirbackup repair --forget-damaged``, which removes only the manifests of backups whose
data is provably not there (a tree that cannot be read, pages in no pack that is present).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..attachments.listing import attachment_blobs
from ..repo.manifest import Snapshot
from ..repo.packs import BLOB_FILES, BLOB_TREE, FormatError
from ..repo.repository import Repository


@dataclass(slots=True, frozen=True)
class DamagedSnapshot:
    snapshot: Snapshot
    reason: str            # one line, English, for the log and the CLI

    def describe(self) -> str:
        return f"{self.snapshot.short_id} ({self.reason})"


def find_damaged(repo: Repository, snaps: list[Snapshot] | None = None) -> list[DamagedSnapshot]:
    """The backups among ``snaps`` (all when None) that cannot be restored from the packs
    present now: a tree is unreadable or missing, or pages sit only in packs that are gone."""
    snaps = repo.snapshots() if snaps is None else snaps
    present = repo.present_packs()
    trees = repo.scan_index(lambda b, t: t in (BLOB_TREE, BLOB_FILES), present=present)
    cache = repo.frame_cache()
    damaged: list[DamagedSnapshot] = []
    readable: list[tuple[Snapshot, set[bytes]]] = []
    needed: set[bytes] = set()
    for snap in snaps:
        try:
            ids = set(repo.page_ids(snap, trees, cache))
        except FormatError as exc:
            damaged.append(DamagedSnapshot(snap, f"its page list cannot be read: {exc}"))
            continue
        try:
            files = attachment_blobs(repo, snap.attachments, trees, cache)
        except FormatError as exc:
            damaged.append(DamagedSnapshot(snap, f"its attachment file list cannot be read: {exc}"))
            continue
        needed |= ids | files
        readable.append((snap, ids | files))
    available = repo.available(needed)
    if len(available) < len(needed):
        for snap, ids in readable:
            missing = sum(1 for bid in ids if bid not in available)
            if missing:
                damaged.append(DamagedSnapshot(snap, f"{missing} of its pages or attachment parts are in data "
                                                     f"files that are missing"))
    return damaged


def forget_damaged(repo: Repository) -> list[DamagedSnapshot]:
    """Remove the manifests of the backups ``find_damaged`` names; their data is not there,
    so nothing restorable is lost. The caller holds the repository lock."""
    damaged = find_damaged(repo)
    for d in damaged:
        repo.storage.remove("snapshots", d.snapshot.id + ".json")
    return damaged
