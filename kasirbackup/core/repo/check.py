"""Checking a repository's stored data without restoring every backup: the structure of all
snapshots (every blob they reference is indexed) and, for a chosen share of the pack files,
the data itself (each pack read back whole, its name = SHA-256 of its bytes, every frame
opened and every blob hashed to its id). This is what ``restic check --read-data-subset``
does: on object storage it spreads the cost of reading everything back over several runs.

A subset is a percentage ("10%") or a group "n/t": group n of t, chosen by the pack name,
so that running 1/4, 2/4, 3/4 and 4/4 reads every pack exactly once.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass, field

from ..errors import KasirBackupError
from .orphans import read_pack_trailer
from .packs import AAD_FRAME, FormatError, safe_decompress
from ..progress import CancelToken, Progress, no_progress
from .repository import Repository


class BadSubset(KasirBackupError):
    code = "bad-subset"
    template = "'{text}' is not a share of the data to read."
    hint = "Write a percentage such as 10% or a group such as 1/4."


@dataclass(frozen=True, slots=True)
class Subset:
    percent: float | None = None      # 0 < percent <= 100
    group: tuple[int, int] | None = None

    @classmethod
    def parse(cls, text: str) -> "Subset":
        t = text.strip()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", t)
        if m and 0 < float(m.group(1)) <= 100:
            return cls(percent=float(m.group(1)))
        m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", t)
        if m and 1 <= int(m.group(1)) <= int(m.group(2)) <= 10_000:
            return cls(group=(int(m.group(1)), int(m.group(2))))
        raise BadSubset(text=text)

    def choose(self, names: list[str], rng: random.Random | None = None) -> list[str]:
        names = sorted(names)
        if self.group is not None:
            n, t = self.group
            return [p for p in names if int(p[:8], 16) % t == n - 1]
        if not names:
            return []
        k = max(1, math.ceil(len(names) * self.percent / 100))
        return sorted((rng or random.SystemRandom()).sample(names, min(k, len(names))))

    def describe(self) -> str:
        return f"{self.group[0]}/{self.group[1]}" if self.group else f"{self.percent:g}%"


@dataclass(slots=True)
class DataCheckReport:
    snapshots: int = 0
    packs_total: int = 0
    packs_read: int = 0
    bytes_read: int = 0
    blobs_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"snapshots": self.snapshots, "packs_total": self.packs_total, "packs_read": self.packs_read,
                "bytes_read": self.bytes_read, "blobs_checked": self.blobs_checked, "problems": self.problems,
                "ok": self.ok}


def _frame_key(fr) -> tuple:
    return fr.offset, fr.length, fr.raw_length, tuple((bytes(b[0]), b[1], b[2], b[3]) for b in fr.blobs)


def check_structure(repo: Repository, frames_by_pack: dict[str, list] | None = None,
                    present: set[str] | None = None, progress: Progress = no_progress,
                    cancel: CancelToken | None = None) -> list[str]:
    """Every indexed pack is there and whole: magic at both ends, a trailer that opens
    (checksummed, or authenticated when encrypted), frames that tile the pack, and frames
    that are the ones the index says. A few small ranged reads per pack, never its data;
    run by every ``verify``. Returns one line per damaged or missing pack."""
    cancel = cancel or CancelToken()
    if frames_by_pack is None:
        frames_by_pack = {}
        for pack, frames in repo.index_entries():
            frames_by_pack.setdefault(pack, []).extend(frames)
    present = repo.present_packs() if present is None else present
    problems = [f"pack {pack[:12]} is listed in the index but missing" for pack in sorted(set(frames_by_pack) - present)]
    packs = sorted(set(frames_by_pack) & present)
    for i, pack in enumerate(packs):
        cancel.check()
        try:
            trailer = {_frame_key(fr) for fr in read_pack_trailer(repo, pack)}
        except FileNotFoundError:
            problems.append(f"pack {pack[:12]} is listed in the index but missing")
            continue
        except (FormatError, OSError) as exc:
            problems.append(f"pack {pack[:12]} is damaged: {exc}")
            continue
        if any(_frame_key(fr) not in trailer for fr in frames_by_pack[pack]):
            problems.append(f"pack {pack[:12]} does not hold the frames its index entry lists")
        progress("structure", i + 1, len(packs))
    return problems


def check_data(repo: Repository, subset: Subset, progress: Progress = no_progress,
               cancel: CancelToken | None = None, rng: random.Random | None = None) -> DataCheckReport:
    cancel = cancel or CancelToken()
    report = DataCheckReport()
    # 1. where every blob is, by pack (from all index files)
    frames_by_pack: dict[str, list] = {}
    indexed: set[bytes] = set()
    for pack, frames in repo.index_entries():      # damaged index files land in repo.problems
        frames_by_pack.setdefault(pack, []).extend(frames)
        for fr in frames:
            indexed.update(b[0] for b in fr.blobs)
    present = repo.present_packs()
    report.problems.extend(check_structure(repo, frames_by_pack, present, progress, cancel))

    # 2. structure: every snapshot's trees and pages are indexed
    snaps = repo.snapshots()
    report.snapshots = len(snaps)
    for n, snap in enumerate(snaps):
        cancel.check()
        try:
            missing = [b for b in repo.blob_ids_of(snap) if b not in indexed]
        except (FormatError, OSError) as exc:
            report.problems.append(f"backup {snap.short_id}: {exc}")
            continue
        if missing:
            report.problems.append(f"backup {snap.short_id}: {len(missing)} pages are not in any pack")
        progress("structure", n + 1, len(snaps))
    report.problems.extend(p for p in repo.problems if p not in report.problems)
    if snaps and not present:
        report.problems.append(f"no pack file was found, yet {len(snaps)} backups are listed (wrong folder, or "
                               "the data was removed)")

    # 3. data: the chosen packs, read back whole
    chosen = subset.choose(sorted(present & set(frames_by_pack)), rng)
    report.packs_total = len(present)
    total = len(chosen)
    for i, pack in enumerate(chosen):
        cancel.check()
        problem = _check_pack(repo, pack, frames_by_pack[pack], report)
        if problem:
            report.problems.append(problem)
        report.packs_read += 1
        progress("read", i + 1, total)
    return report


def _check_pack(repo: Repository, pack: str, frames: list, report: DataCheckReport) -> str | None:
    try:
        data = repo.storage.load("data", pack)
    except FileNotFoundError:
        return f"pack {pack[:12]} is missing"
    except OSError as exc:
        return f"pack {pack[:12]} could not be read ({exc})"
    report.bytes_read += len(data)
    if hashlib.sha256(data).hexdigest() != pack:
        return f"pack {pack[:12]} is damaged (its contents do not match its name)"
    for fr in frames:
        stored = data[fr.offset:fr.offset + fr.length]
        try:
            if len(stored) != fr.length:
                raise FormatError("truncated")
            raw = safe_decompress(repo.codec.open(stored, AAD_FRAME + fr.blobs[0][0]), expected=fr.raw_length)
        except Exception as exc:   # SealBroken, FormatError: both mean damage here
            return f"pack {pack[:12]} frame at offset {fr.offset} is damaged ({exc})"
        for bid, _btype, off, ln in fr.blobs:
            if repo.codec.blob_id(raw[off:off + ln]) != bid:
                return f"pack {pack[:12]}: blob {bid.hex()[:12]} is damaged"
            report.blobs_checked += 1
    return None
