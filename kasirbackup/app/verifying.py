"""Verifying backups by a restore drill and recording the result in each manifest: shared by
``kasirbackup verify`` and the Verify button of the desktop app."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from ..core.errors import RepoReadOnly, RepoWriteProtected
from ..core.repo.check import check_structure
from ..core.repo.orphans import repair_index
from ..core.repo.manifest import Snapshot
from ..core.progress import CancelToken, Progress, no_progress
from ..core.repo.repository import Repository
from ..core.scratch import clean_scratch
from ..core.snapshot.verify import drill

log = logging.getLogger("kasirbackup.verify")


@dataclass(slots=True)
class VerifyReport:
    snapshots: list[Snapshot] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # damaged repository files met on the way
    notes: list[str] = field(default_factory=list)      # what was repaired on the way (not damage)
    recorded: bool = True                               # False on a read-only backup location

    @property
    def bad(self) -> list[Snapshot]:
        return [s for s in self.snapshots if not s.verified]

    @property
    def ok(self) -> bool:
        return not self.bad and not self.problems


def verify_snapshots(repo: Repository, snaps: list[Snapshot], progress: Progress = no_progress,
                     cancel: CancelToken | None = None, full: bool = False,
                     each: Callable[[Snapshot], None] | None = None) -> VerifyReport:
    """Drill each snapshot; record the verification in its manifest unless the location is
    read-only (then check anyway and record nothing)."""
    clean_scratch()
    report = VerifyReport()
    try:
        lock = repo.lock("verify")
    except (RepoReadOnly, RepoWriteProtected):
        lock = None
        report.recorded = False
    try:
        if lock is not None:
            # a damaged or deleted index would make intact backups look damaged: rebuild it
            # from the packs first, and say so
            repair = repair_index(repo)
            if repair.changed:
                report.notes.append(repair.describe())
        # cheap first: every pack's head and trailer against the index (a few small reads each)
        structure = check_structure(repo, cancel=cancel)
        for snap in snaps:
            if cancel is not None:
                cancel.check()
            res = drill(repo, snap, progress, cancel, full=full)
            if res.sha256 and not snap.image_sha256:
                snap.image_sha256 = res.sha256
            if res.verification.ok and res.facts is not None and not snap.drilled:
                # a continuous snapshot (checked by reading back what it added) drilled now:
                # it gains what only the drill knows
                snap.tables = res.facts.tables
                snap.database.schema_fingerprint = res.facts.schema_fingerprint
                snap.database.first_rows = res.facts.first_rows
            snap.verification = res.verification
            if lock is not None:
                repo.save_snapshot(snap)
            log.info("verify %s: ok=%s %s", snap.id, res.verification.ok, res.verification.detail)
            report.snapshots.append(snap)
            if each is not None:
                each(snap)
    finally:
        if lock is not None:
            lock.release()
    report.problems = list(dict.fromkeys(structure + list(repo.problems)))
    return report
