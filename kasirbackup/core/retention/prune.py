"""Forgetting snapshots by a retention policy, and collecting the data nobody needs.

Order of work, chosen so that a kill at any moment leaves a repository that verifies
clean (docs/FORMAT.md, "Crash safety"):

1. decide (nothing written) — a dry run stops here;
2. remove the manifests of forgotten snapshots;
3. mark every blob the remaining snapshots reference (if any manifest or tree cannot be
   read, stop: never delete what we cannot prove unused);
4. write the still-used blobs of mostly-empty packs into new packs;
5. write one new index naming every pack that stays, then remove the old index files;
6. remove the packs no index names any more (including leftovers of killed backups).

A kill before 5 leaves extra packs that no index names: garbage the next prune removes.
A kill after the new index is written leaves duplicates, which are harmless.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from ..errors import RepoDamaged
from ..repo.packs import BLOB_FILES, BLOB_TREE, BlobRef, FormatError, FrameEntry, FrameRef, decode_index
from ..progress import CancelToken, Progress, no_progress
from .damaged import find_damaged
from ..repo.orphans import repair_index
from ..attachments.listing import attachment_blobs
from ..repo.repository import Repository
from .policy import Decision, Policy, decide

REPACK_UNUSED_FRACTION = 0.25   # repack a pack when more than this share of it is garbage


@dataclass(slots=True)
class GcStats:
    packs_before: int = 0
    packs_deleted: int = 0
    packs_written: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    unindexed_removed: int = 0


@dataclass(slots=True)
class PruneResult:
    decisions: list[Decision]
    dry_run: bool
    gc: GcStats = field(default_factory=GcStats)
    duration_s: float = 0.0

    @property
    def removed(self) -> list:
        return [d.snapshot for d in self.decisions if not d.keep]

    def to_json(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "snapshots": [{"id": d.snapshot.id, "created_at": d.snapshot.created_at.isoformat(timespec="seconds"),
                           "kind": d.snapshot.kind.value, "source": d.snapshot.source_path,
                           "action": "keep" if d.keep else "remove", "reasons": d.reasons,
                           "why_removed": d.why_removed}
                          for d in self.decisions],
            "removed": len(self.removed), "kept": len(self.decisions) - len(self.removed),
            "packs_deleted": self.gc.packs_deleted, "packs_written": self.gc.packs_written,
            "bytes_before": self.gc.bytes_before, "bytes_after": self.gc.bytes_after,
            "bytes_freed": self.gc.bytes_before - self.gc.bytes_after,
            "duration_s": round(self.duration_s, 3),
        }


def prune(repo: Repository, policy: Policy, now: datetime | None = None, dry_run: bool = False,
          progress: Progress = no_progress, cancel: CancelToken | None = None,
          tz: tzinfo | None = None) -> PruneResult:
    cancel = cancel or CancelToken()
    t0 = time.monotonic()
    now = now or datetime.now().astimezone()
    lock = repo.lock("prune")
    try:
        if not dry_run:
            repair_index(repo)       # an index damaged or deleted is rebuilt from the packs first
        snaps = repo.snapshots()
        if repo.problems:
            raise RepoDamaged(detail="; ".join(repo.problems) + " — prune stopped so that no data a damaged "
                                     "backup may need is deleted")
        decisions = decide(snaps, policy, now, tz)
        result = PruneResult(decisions, dry_run)
        if dry_run:
            return result
        # everything is checked before anything is deleted
        kept = [d.snapshot for d in decisions if d.keep]
        index_names, packs, existing = _read_index(repo)
        _drop_stale(repo, kept, packs, existing)
        used = _mark(repo, kept, progress, cancel)
        for d in decisions:
            if not d.keep:
                repo.storage.remove("snapshots", d.snapshot.id + ".json")
        cancel.check()
        result.gc = _sweep(repo, used, index_names, packs, existing, progress, cancel)
        repo.clean_temp()
        result.duration_s = time.monotonic() - t0
        return result
    finally:
        lock.release()


def _mark(repo: Repository, snaps: list, progress: Progress, cancel: CancelToken) -> set[bytes]:
    """Every blob ``snaps`` reference. Refuses (nothing deleted yet) if any cannot be read."""
    # trees and attachment file lists (a kept snapshot's attachments keep their chunks)
    trees = repo.scan_index(lambda b, t: t in (BLOB_TREE, BLOB_FILES))
    if repo.problems:
        raise RepoDamaged(detail="; ".join(repo.problems) + "; nothing was deleted")
    cache = repo.frame_cache()
    used: set[bytes] = set()
    for n, snap in enumerate(snaps):
        cancel.check()
        root = bytes.fromhex(snap.root)
        try:
            segs = repo.read_tree(root, trees, cache)
            used.add(root)
            for seg in segs:
                used.add(seg)
                used.update(repo.read_tree(seg, trees, cache))
            used |= attachment_blobs(repo, snap.attachments, trees, cache)
        except FormatError as exc:
            raise RepoDamaged(detail=f"backup {snap.short_id} cannot be read ({exc}); nothing was deleted. If it is "
                                     f"damaged, remove it with 'kasirbackup repair --forget-damaged'") from None
        progress("mark", n + 1, len(snaps))
    return used


def _read_index(repo: Repository) -> tuple[list[str], dict[str, list[FrameEntry]], set[str]]:
    storage = repo.storage
    index_names = sorted(storage.list("index"))
    packs: dict[str, list[FrameEntry]] = {}
    for name in index_names:
        try:
            for pack, frames in decode_index(storage.load("index", name), repo.codec):
                packs.setdefault(pack, frames)
        except (FormatError, OSError) as exc:
            raise RepoDamaged(detail=f"index file {name[:12]} is damaged ({exc}); nothing was deleted") from None
    existing = set(storage.list("data"))
    return index_names, packs, existing


def _drop_stale(repo: Repository, kept: list, packs: dict[str, list[FrameEntry]], existing: set[str]) -> None:
    """Index entries naming packs that are gone. If a backup that stays needs them, stop
    (the folder may still be being copied or synced, or those backups are damaged);
    otherwise they are stale — a rolled-back index — and the new index leaves them out."""
    missing = packs.keys() - existing
    if not missing:
        return
    damaged = find_damaged(repo, kept)
    if damaged:
        names = ", ".join(d.describe() for d in damaged[:3]) + (f" and {len(damaged) - 3} more"
                                                                 if len(damaged) > 3 else "")
        raise RepoDamaged(detail=f"{len(missing)} data file(s) named by the index are missing and backup(s) that "
                                 f"would be kept need them: {names}; if the backup folder is still being copied or "
                                 f"synced, wait for it to finish, otherwise remove those backups with 'kasirbackup "
                                 f"repair --forget-damaged'; nothing was deleted")
    for pack in missing:
        del packs[pack]


@dataclass(slots=True)
class SweepPlan:
    """Which packs stay as they are, which used blobs are copied into new packs, which packs go."""
    keep_as_is: list[tuple[str, list[FrameEntry]]]
    to_repack: list[tuple[str, FrameEntry, list]]      # (pack, frame, its used blobs)
    drop: set[str]
    unindexed: int                                     # leftovers of killed runs among ``drop``


def plan_sweep(packs: dict[str, list[FrameEntry]], existing: set[str], used: set[bytes]) -> SweepPlan:
    """The sweep's decisions, from the index alone. A blob counts once (the first pack, by
    name, that holds it keeps it; another copy is garbage). A pack with no used blob goes; a
    pack whose garbage — unused frames, and the unused share of partly used frames by raw
    size — is more than REPACK_UNUSED_FRACTION of its bytes is repacked; the rest stays."""
    placed: set[bytes] = set()
    plan = SweepPlan([], [], set(existing - packs.keys()), 0)
    plan.unindexed = len(plan.drop)
    for pack in sorted(packs):
        frames = packs[pack]
        used_frames, total, unused_bytes = [], 0, 0.0
        for fr in frames:
            blobs = [b for b in fr.blobs if b[0] in used and b[0] not in placed]
            total += fr.length
            if blobs:
                used_frames.append((fr, blobs))
                placed.update(b[0] for b in blobs)
                unused_bytes += fr.length * (1 - sum(b[3] for b in blobs) / max(fr.raw_length, 1))
            else:
                unused_bytes += fr.length
        if not used_frames:
            plan.drop.add(pack)
        elif unused_bytes > REPACK_UNUSED_FRACTION * total:
            plan.to_repack += [(pack, fr, blobs) for fr, blobs in used_frames]
            plan.drop.add(pack)
        else:
            plan.keep_as_is.append((pack, frames))
    return plan


def _sweep(repo: Repository, used: set[bytes], index_names: list[str], packs: dict[str, list[FrameEntry]],
           existing: set[str], progress: Progress, cancel: CancelToken) -> GcStats:
    stats = GcStats()
    storage = repo.storage
    stats.packs_before = len(existing)
    stats.bytes_before = sum(_size(repo, p) for p in existing)

    plan = plan_sweep(packs, existing, used)
    keep_as_is, to_repack, drop = plan.keep_as_is, plan.to_repack, set(plan.drop)
    stats.unindexed_removed = plan.unindexed

    # repack
    cache = repo.frame_cache()
    writer = repo.pack_writer()
    try:
        for n, (pack, fr, blobs) in enumerate(to_repack):
            cancel.check()
            raw = cache.blob(_whole_frame(pack, fr))
            for bid, btype, off, ln in blobs:
                writer.add(bid, btype, raw[off:off + ln])
            progress("repack", n + 1, len(to_repack))
        written = writer.finish()
    except BaseException:
        writer.abort()
        raise
    stats.packs_written = len(written)

    # new index, then remove the old ones, then the packs nobody names
    staying = sorted(keep_as_is + written, key=lambda p: p[0])
    # a repacked pack can come out byte-identical to a leftover of an earlier, killed
    # prune (same name): it was just written again and must not be deleted
    drop -= {name for name, _ in staying}
    new_index = repo.save_index(staying)[0] if staying else None
    for name in index_names:
        if name != new_index:
            storage.remove("index", name)
    for pack in sorted(drop):
        storage.remove("data", pack)
    stats.packs_deleted = len(drop)
    stats.bytes_after = sum(_size(repo, p) for p in storage.list("data"))
    return stats


def _whole_frame(pack: str, fr: FrameEntry) -> BlobRef:
    return BlobRef(FrameRef(pack, fr.offset, fr.length, fr.raw_length, fr.blobs[0][0]), 0, fr.raw_length, 0)


def _size(repo: Repository, pack: str) -> int:
    try:
        return repo.storage.size("data", pack)
    except FileNotFoundError:
        return 0
