"""Running a profile: back up to each repository, verify (the drill is part of the
backup), prune by the profile's policy — and record it all in the run history. One run per
repository at a time, in this process (a queue per repository) and across processes (the
repository lock)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from ..core.snapshot.backup import BackupRequest, backup
from ..core.errors import Cancelled, KasirBackupError
from ..core.repo.manifest import DRILL, READBACK, Kind
from ..core.progress import CancelToken, Progress, no_progress
from ..core.retention.prune import prune
from ..core.scratch import write_private
from ..core.repo.repository import Repository
from .credentials import passphrase_source
from .history import History, PlaceOutcome, Result, Trigger
from .paths import data_dir
from .places import check_destination
from .sampling import sampled_check_if_due
from .settings import Profile

log = logging.getLogger("kasirbackup.runner")

_repo_locks: dict[str, threading.Lock] = {}
_repo_locks_guard = threading.Lock()


def repo_queue(location: str) -> threading.Lock:
    """The in-process lock that serialises all work on one repository."""
    with _repo_locks_guard:
        return _repo_locks.setdefault(location, threading.Lock())


@dataclass(slots=True)
class RepoOutcome:
    repo: str
    ok: bool
    snapshot_id: str = ""
    bytes_added: int = 0
    pruned: int = 0
    message: str = ""
    error: KasirBackupError | None = None    # the user-level error, for a window to translate


@dataclass(slots=True)
class RunResult:
    profile: str
    trigger: Trigger
    result: Result
    outcomes: list[RepoOutcome] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.result == Result.SUCCESS


# a run's message in the history, in English; the window says it again in its own language
# from these same templates (gui/engine_text.py)
MSG_VERIFIED = "backup {id} verified, {bytes} bytes added"
MSG_READ_BACK_SNAPSHOT = "backup {id} read back and checked, {bytes} bytes added"
MSG_PRUNED = ", {pruned} old backups removed"
MSG_READ_BACK = ", {read} stored files read back and intact"
MSG_NOT_ATTACHED = ", {unattached} attachment files or folders not backed up (see the backup's details)"
MSG_DRILL_FAILED = "backup {id} failed its restore drill: {detail}"
MSG_CANCELLED = "cancelled by the user; nothing was changed"
MSG_OFFSITE_PENDING = "off-site copy pending: "

_KIND = {Trigger.MANUAL: Kind.MANUAL, Trigger.SCHEDULED: Kind.SCHEDULED,
         Trigger.CATCH_UP: Kind.CATCH_UP, Trigger.RETRY: Kind.SCHEDULED, Trigger.CONTINUOUS: Kind.CONTINUOUS}

#: continuous protection: the whole restore drill runs at least this often on the newest snapshot
DRILL_EVERY = timedelta(hours=24)
#: continuous protection prunes at most this often (a prune reads every index)
PRUNE_EVERY_S = 3600.0
_prune_guard = threading.Lock()


def seed_path(location: str, db_path: str) -> Path:
    """Where this database's last capture into ``location`` is remembered (core/snapshot/seed.py):
    in the user's data folder, never in the backup place."""
    key = hashlib.sha256(f"{location}\0{os.path.realpath(os.path.expanduser(db_path))}".encode()).hexdigest()[:32]
    return data_dir() / "seeds" / f"{key}.seed"


def check_for(repo: Repository, db_path: str, now: datetime | None = None) -> str:
    """How a continuous snapshot of ``db_path`` is checked: by reading back what it adds,
    unless no snapshot of that database here was drilled in the last 24 hours."""
    now = now or datetime.now(timezone.utc)
    wanted = {os.path.abspath(os.path.expanduser(db_path)), os.path.realpath(os.path.expanduser(db_path))}
    for s in repo.snapshots():
        if s.source_path in wanted and s.drilled and now - s.created_utc < DRILL_EVERY:
            return READBACK
    return DRILL


def run_profile(profile: Profile, trigger: Trigger, history: History, progress: Progress = no_progress,
                cancel: CancelToken | None = None, clock: Callable[[], datetime] | None = None,
                translate: Callable[[str], str] | None = None, places: list[str] | None = None) -> RunResult:
    """Back up ``profile`` into each of its places (``places``: only these of them; continuous
    protection sends off-site copies at their own pace)."""
    clock = clock or (lambda: datetime.now().astimezone())
    run_id = history.start(profile.name, trigger, clock())
    result = RunResult(profile.name, trigger, Result.SUCCESS)
    try:
        for location in (places if places is not None else profile.repos):
            result.outcomes.append(_one_repo(profile, location, trigger, progress, cancel, translate))
    except Cancelled:
        history.finish(run_id, Result.CANCELLED, clock(), MSG_CANCELLED)
        raise
    except BaseException as exc:   # a bug: still record the run
        history.finish(run_id, Result.FAILED, clock(), f"{type(exc).__name__}: {exc}")
        raise
    bad = [o for o in result.outcomes if not o.ok]
    if bad:
        # the first repository is the local one: when it is good, the shop is protected and
        # only the off-site copy is pending (retried with back-off)
        local_ok = next((o.ok for o in result.outcomes if o.repo == profile.repos[0]), True)
        result.result = Result.PARTIAL if local_ok else Result.FAILED
        prefix = MSG_OFFSITE_PENDING if result.result == Result.PARTIAL else ""
        result.message = prefix + "; ".join(f"{o.repo}: {o.message}" for o in bad)
    else:
        result.message = "; ".join(o.message for o in result.outcomes)
    if result.outcomes:
        note = _auto_export(profile, trigger, result.outcomes[0], progress, cancel, translate)
        if note:
            result.message = f"{result.message}; {note}" if result.message else note
    first = next((o for o in result.outcomes if o.snapshot_id), None)
    history.record_places(run_id, [PlaceOutcome(o.repo, o.ok, o.error.code if o.error is not None else "", o.message)
                                   for o in result.outcomes])
    history.finish(run_id, result.result, clock(), result.message,
                   sum(o.bytes_added for o in result.outcomes), first.snapshot_id if first else "")
    log.info("run %s (%s): %s %s", profile.name, trigger.value, result.result.value, result.message)
    return result


def _one_repo(profile: Profile, location: str, trigger: Trigger, progress: Progress,
              cancel: CancelToken | None, translate) -> RepoOutcome:
    out = RepoOutcome(location, False)
    with repo_queue(location):
        try:
            check_destination(location)
            repo = Repository.open(location, create=True, passphrase=passphrase_source(interactive=False))
            wanted_plain = profile.plain_copy and repo.temp_dir() is not None and not repo.config.encryption
            if wanted_plain != repo.config.plain_copy:
                lock = repo.lock("config")
                try:
                    repo.config.plain_copy = wanted_plain
                    repo.save_config()
                finally:
                    lock.release()
            continuous = trigger == Trigger.CONTINUOUS
            check = check_for(repo, profile.db_path) if continuous else DRILL
            res = backup(repo, BackupRequest(profile.db_path, kind=_KIND[trigger], check=check,
                                             seed_file=seed_path(location, profile.db_path),
                                             attachments=list(profile.attachments)), progress, cancel)
            snap = res.snapshot
            out.snapshot_id, out.bytes_added = snap.id, snap.added_bytes
            if not snap.verified:
                out.message = MSG_DRILL_FAILED.format(id=snap.short_id, detail=snap.verification.detail)
                return out
            if profile.prune_after_backup and _prune_due(location, continuous):
                pr = prune(repo, profile.retention.policy(), progress=progress, cancel=cancel)
                out.pruned = len(pr.removed)
                _pruned(location)
            out.ok = True
            said = MSG_VERIFIED if snap.drilled else MSG_READ_BACK_SNAPSHOT
            unattached = sum(len(a.problems) for a in snap.attachments)
            out.message = said.format(id=snap.short_id, bytes=snap.added_bytes) + \
                (MSG_PRUNED.format(pruned=out.pruned) if out.pruned else "") + \
                (MSG_NOT_ATTACHED.format(unattached=unattached) if unattached else "")
            if location != profile.repos[0] and not continuous:
                sampled = sampled_check_if_due(repo, progress, cancel)
                if sampled is not None and not sampled.ok:
                    out.ok = False
                    out.message = "the off-site copy is damaged: " + "; ".join(sampled.problems[:3])
                elif sampled is not None:
                    out.message += MSG_READ_BACK.format(read=sampled.packs_read)
        except Cancelled:
            raise
        except KasirBackupError as exc:
            out.message = exc.message(translate)
            out.error = exc
        except OSError as exc:
            out.message = f"{exc.strerror or exc}"
    return out


def _prune_times_file() -> Path:
    return data_dir() / "last-prune.json"


def _prune_times() -> dict[str, float]:
    try:
        d = json.loads(_prune_times_file().read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in d.items()} if isinstance(d, dict) else {}
    except (OSError, ValueError, TypeError):
        return {}


def _prune_due(location: str, continuous: bool) -> bool:
    """A continuous snapshot prunes at most hourly per place (remembered in the data folder:
    ``kasirbackup run --trigger continuous`` is a new process each time); any other run prunes."""
    if not continuous:
        return True
    last = _prune_times().get(location)
    now = time.time()
    return last is None or not 0 <= now - last < PRUNE_EVERY_S


def _pruned(location: str) -> None:
    with _prune_guard:
        times = _prune_times()
        times[location] = time.time()
        try:
            write_private(_prune_times_file(), json.dumps(times).encode("utf-8"))
        except (OSError, KasirBackupError):
            log.warning("could not remember when %s was pruned", location, exc_info=True)


def _auto_export(profile: Profile, trigger: Trigger, first: RepoOutcome, progress: Progress,
                 cancel: CancelToken | None, translate) -> str:
    """The profile's exports after a scheduled backup and the removal of exports of pruned
    backups (app/auto_export.py): a note for the run's message, never a failure of the run."""
    from .auto_export import after_run

    with repo_queue(first.repo):
        res = after_run(profile, trigger, first.repo, first.snapshot_id, first.ok, progress, cancel, translate)
    return res.note() if res else ""
