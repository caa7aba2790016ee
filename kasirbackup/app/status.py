"""How protected is a database right now? The one answer the status banner and the tray show:
green when the last run succeeded and no scheduled run is overdue, amber when a scheduled run
is overdue or only the off-site copy is pending, red after a failure (or before any backup).
Qt-free, so the CLI and the tests see the same verdict as the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from enum import Enum

from .history import History, Result, Run
from .scheduling import last_due, next_fire
from .settings import Profile

#: a scheduled run this late, with nothing newer in the history, makes the banner amber
OVERDUE_AFTER = timedelta(minutes=30)


class Level(str, Enum):
    OK = "ok"             # green
    WARNING = "warning"   # amber
    ERROR = "error"       # red


class Reason(str, Enum):
    PROTECTED = "protected"        # last run succeeded, nothing overdue
    NEVER = "never"                # no backup yet
    FAILED = "failed"              # the newest attempt failed
    OVERDUE = "overdue"            # a scheduled time passed with no run since
    OFFSITE_PENDING = "offsite"    # the local backup is good, an off-site copy is not
    RUNNING = "running"            # a run is going on now


@dataclass(frozen=True, slots=True)
class ProfileStatus:
    profile: str
    level: Level
    reason: Reason
    last_success: datetime | None
    last_attempt: Run | None
    next_run: datetime | None
    overdue_since: datetime | None = None
    offsite_pending_since: datetime | None = None
    message: str = ""              # the newest failure's message (English, from the engine)


def _utc(t: datetime) -> datetime:
    return t.astimezone(timezone.utc)


def profile_status(profile: Profile, history: History, now: datetime, tz: tzinfo,
                   running: bool = False) -> ProfileStatus:
    """The verdict for one profile at ``now`` (aware)."""
    success = history.last_success(profile.name)
    # a run the user cancelled says nothing about protection: look at the one before it
    attempt = next((r for r in history.attempts(profile.name, limit=50) if r.result != Result.CANCELLED), None)
    nxt = next_fire(profile.schedule, now, tz)
    base = dict(profile=profile.name, last_success=success.started_at if success else None,
                last_attempt=attempt, next_run=nxt)
    if running:
        return ProfileStatus(level=Level.OK, reason=Reason.RUNNING, **base)

    if attempt is not None and attempt.result in (Result.FAILED, Result.INTERRUPTED):
        return ProfileStatus(level=Level.ERROR, reason=Reason.FAILED, message=attempt.message, **base)
    if success is None and (attempt is None or attempt.result != Result.PARTIAL):
        return ProfileStatus(level=Level.ERROR, reason=Reason.NEVER, **base)

    # the newest run that was good locally (full success or a pending off-site copy)
    good = attempt if attempt is not None and attempt.result in (Result.SUCCESS, Result.PARTIAL) else None
    good_at = good.started_at if good else (success.started_at if success else None)
    due = last_due(profile.schedule, now, tz)
    if due is not None and good_at is not None and _utc(good_at) < _utc(due) \
            and _utc(now) - _utc(due) >= OVERDUE_AFTER:
        return ProfileStatus(level=Level.WARNING, reason=Reason.OVERDUE, overdue_since=due, **base)

    if attempt is not None and attempt.result == Result.PARTIAL:
        # pending since the first partial run after the last full success
        since = attempt.started_at
        for run in history.attempts(profile.name, limit=200):
            if run.result == Result.PARTIAL:
                since = run.started_at
            elif run.result == Result.SUCCESS:
                break
        return ProfileStatus(level=Level.WARNING, reason=Reason.OFFSITE_PENDING,
                             offsite_pending_since=since, message=attempt.message, **base)
    return ProfileStatus(level=Level.OK, reason=Reason.PROTECTED, **base)


def worst(statuses: list[ProfileStatus]) -> Level:
    order = [Level.OK, Level.WARNING, Level.ERROR]
    return max((s.level for s in statuses), key=order.index, default=Level.OK)
