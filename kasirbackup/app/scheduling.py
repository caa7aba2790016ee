"""When backups run: schedule arithmetic, catch-up of missed runs, back-off, and the service
that drives an APScheduler 3.x scheduler (``QtScheduler`` in the desktop app,
``BlockingScheduler`` in ``kasirbackup daemon``).

We never trust the scheduler's own memory: after every run, at start-up, after a sleep of
the machine and every 15 minutes, the next run is computed from the profile's schedule and
the run history, and placed as a one-shot job (``misfire_grace_time=None``: a late job
still runs; ``coalesce``; ``max_instances=1``). A scheduled time that passed while the
machine was off or asleep, with no run since, is caught up about a minute after the
program starts or the machine wakes. Times are local wall-clock times computed with
``zoneinfo``: a time that does not exist on a daylight-saving day runs at the same moment
an hour later on the clock, and a time that exists twice runs once.
"""

from __future__ import annotations

import calendar
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Callable, Iterator

from .continuous import WATCH_EVERY, ContinuousWatch, outcomes_of
from .history import History, Result, Trigger
from .settings import Profile, Schedule, SettingsStore

log = logging.getLogger("kasirbackup.scheduler")

CATCH_UP_DELAY = timedelta(seconds=60)
SLOT_EARLY = timedelta(seconds=60)      # a run this close before a slot is that slot's run
HEARTBEAT = timedelta(seconds=30)
RESYNC = timedelta(minutes=15)
SLEEP_GAP = timedelta(seconds=90)       # a heartbeat this late means the machine slept
_SERVICE_JOBS = frozenset({"heartbeat", "watch"})
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3))


def local_tz() -> tzinfo:
    """The machine's real time zone (with its daylight-saving rules), not a fixed offset."""
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except Exception:
            pass
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:
        return datetime.now().astimezone().tzinfo


def _utc(t: datetime) -> datetime:
    # Two aware datetimes with the *same* tzinfo are compared and subtracted by wall clock,
    # ignoring the offset (Python's rule), which is wrong across a daylight-saving change.
    # Every comparison here is therefore made in UTC.
    return t.astimezone(timezone.utc)


# -- schedule arithmetic ---------------------------------------------------------------------

def on_day(schedule: Schedule, d: date) -> bool:
    """Is ``d`` a day on which the schedule runs?"""
    if schedule.kind == "daily":
        return True
    if schedule.kind == "weekly":
        return d.weekday() in schedule.weekdays
    if schedule.kind == "monthly":
        last = calendar.monthrange(d.year, d.month)[1]
        return d.day == min(schedule.day_of_month, last)
    return False


def _at(d: date, schedule: Schedule, tz: tzinfo) -> datetime:
    h, m = schedule.hour_minute
    # zoneinfo with fold=0: a wall time inside a spring-forward gap maps to the instant an
    # hour later on the clock; a wall time that occurs twice maps to its first occurrence.
    return datetime.combine(d, time(h, m), tzinfo=tz)


def occurrences(schedule: Schedule, start: datetime, end: datetime, tz: tzinfo) -> Iterator[datetime]:
    """Scheduled moments t with start < t <= end, oldest first."""
    start, end = _utc(start), _utc(end)
    if schedule.kind == "off" or end <= start:
        return
    d = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while d <= last:
        if on_day(schedule, d):
            t = _at(d, schedule, tz)
            if start < _utc(t) <= end:
                yield t
        d += timedelta(days=1)


def next_fire(schedule: Schedule, after: datetime, tz: tzinfo) -> datetime | None:
    """The first scheduled moment strictly after ``after``."""
    if schedule.kind == "off":
        return None
    for horizon in (8, 32, 400):
        for t in occurrences(schedule, after, after + timedelta(days=horizon), tz):
            return t
    return None


def last_due(schedule: Schedule, now: datetime, tz: tzinfo, horizon: timedelta = timedelta(days=62)
             ) -> datetime | None:
    """The most recent scheduled moment at or before ``now`` (within ``horizon``)."""
    found = None
    for t in occurrences(schedule, now - horizon, now, tz):
        found = t
    return found


def catch_up_due(profile: Profile, history: History, now: datetime, tz: tzinfo) -> datetime | None:
    """The scheduled moment that was missed (no run attempted since it), or None. A slot
    from before the profile existed is not "missed"."""
    due = last_due(profile.schedule, now, tz)
    if due is None:
        return None
    if profile.created_at:
        created = _utc(datetime.fromisoformat(profile.created_at))
        if _utc(due) < created <= _utc(now):     # (a creation time "in the future" means the clock moved)
            return None
    last = history.last_attempt(profile.name)
    # the scheduler may wake a few milliseconds before the slot (its timer and the wall clock
    # differ): that run is the slot's own, not a reason for a second backup a minute later
    if last is not None and _utc(last.started_at) >= _utc(due) - SLOT_EARLY:
        return None
    return due


def retry_at(profile: Profile, history: History) -> datetime | None:
    """When to try again after failures (5 min, 15 min, 1 h, 3 h), or None."""
    retryable = (Result.FAILED, Result.INTERRUPTED, Result.PARTIAL)
    last = history.last_attempt(profile.name)
    if last is None or last.result not in retryable:
        return None
    # failures in a row since the last run that was not itself a retry (a new day's
    # scheduled run starts the back-off again)
    n = 0
    for run in history.attempts(profile.name, limit=len(BACKOFF) + 2, continuous=False):
        if run.result not in retryable:
            break
        n += 1
        if run.trigger != Trigger.RETRY:
            break
    if n == 0 or n > len(BACKOFF):
        return None
    return (last.ended_at or last.started_at) + BACKOFF[n - 1]


# -- the service -------------------------------------------------------------------------------

@dataclass(slots=True)
class Planned:
    profile: str
    at: datetime
    trigger: Trigger


class ScheduleService:
    """Keeps one job per profile in an APScheduler 3.x scheduler, runs them on its worker
    threads, and never runs one database twice at the same time."""

    def __init__(self, scheduler, settings: SettingsStore, history: History,
                 run: Callable[[Profile, Trigger], object],
                 clock: Callable[[], datetime] | None = None, tz: tzinfo | None = None) -> None:
        self.scheduler = scheduler
        self.settings = settings
        self.history = history
        self._run = run
        self.tz = tz or local_tz()
        self.clock = clock or (lambda: datetime.now(self.tz))
        self._busy: dict[str, threading.Lock] = {}
        self._busy_guard = threading.Lock()
        self._last_beat: datetime | None = None
        self._last_sync: datetime | None = None
        self.on_sleep_detected: Callable[[], None] | None = None
        #: continuous protection (app/continuous.py); ``run`` is called with the places to
        #: back up as a third argument for its runs
        self.continuous = ContinuousWatch(history, self._run_continuous, clock=lambda: self.clock().timestamp())

    # jobs -------------------------------------------------------------------------------------
    def _job(self, job_id: str, at: datetime, name: str, trigger: Trigger) -> None:
        from apscheduler.triggers.date import DateTrigger

        self.scheduler.add_job(self.fire, DateTrigger(run_date=at), args=[name, trigger], id=job_id,
                               name=f"{trigger.value} {name}", replace_existing=True,
                               misfire_grace_time=None, coalesce=True, max_instances=1)

    def _drop(self, job_id: str) -> None:
        try:
            self.scheduler.remove_job(job_id)
        except Exception:   # JobLookupError: nothing planned under that id
            pass

    def start(self) -> None:
        """Call once, before starting the scheduler."""
        from apscheduler.triggers.interval import IntervalTrigger

        now = self.clock()
        stale = self.history.mark_interrupted(now)
        if stale:
            log.warning("%d runs were interrupted by the end of the previous session", stale)
        self.scheduler.add_job(self.heartbeat, IntervalTrigger(seconds=HEARTBEAT.total_seconds()),
                               id="heartbeat", replace_existing=True, misfire_grace_time=None,
                               coalesce=True, max_instances=1)
        # a look that is late is simply skipped: the next one comes in two seconds
        self.scheduler.add_job(self.watch, IntervalTrigger(seconds=WATCH_EVERY), id="watch",
                               replace_existing=True, misfire_grace_time=None, coalesce=True, max_instances=1)
        self.resync()

    def resync(self) -> list[Planned]:
        """Plan each profile's next run, catch-up and retry from settings and history."""
        now = self.clock()
        self._last_sync = now
        planned: list[Planned] = []
        try:
            profiles = self.settings.load().profiles
        except Exception as exc:
            log.error("cannot read the settings: %s", exc)
            return planned
        self.continuous.sync(profiles)
        wanted = set()
        for p in profiles:
            nxt = next_fire(p.schedule, now, self.tz)
            if nxt is not None:
                self._job(f"run:{p.id}", nxt, p.name, Trigger.SCHEDULED)
                planned.append(Planned(p.name, nxt, Trigger.SCHEDULED))
                wanted.add(f"run:{p.id}")
            missed = catch_up_due(p, self.history, now, self.tz)
            if missed is not None:
                at = now + CATCH_UP_DELAY
                self._job(f"catchup:{p.id}", at, p.name, Trigger.CATCH_UP)
                planned.append(Planned(p.name, at, Trigger.CATCH_UP))
                wanted.add(f"catchup:{p.id}")
            retry = retry_at(p, self.history)
            if retry is not None and (nxt is None or _utc(retry) < _utc(nxt)):
                at = max(_utc(retry), _utc(now + CATCH_UP_DELAY))
                self._job(f"retry:{p.id}", at, p.name, Trigger.RETRY)
                planned.append(Planned(p.name, at, Trigger.RETRY))
                wanted.add(f"retry:{p.id}")
        for job in list(self.scheduler.get_jobs()):
            if job.id not in _SERVICE_JOBS and job.id not in wanted:
                self._drop(job.id)
        return planned

    def heartbeat(self) -> None:
        now = _utc(self.clock())
        slept = self._last_beat is not None and now - self._last_beat > SLEEP_GAP
        self._last_beat = now
        if slept:
            log.info("the machine was asleep or suspended; checking for missed backups")
            if self.on_sleep_detected:
                self.on_sleep_detected()
        if slept or self._last_sync is None or now - _utc(self._last_sync) >= RESYNC:
            self.resync()

    def next_runs(self) -> list[Planned]:
        out = []
        for job in self.scheduler.get_jobs():
            if job.id in _SERVICE_JOBS:
                continue
            # before the scheduler starts, APScheduler 3.x jobs have no next_run_time yet
            at = getattr(job, "next_run_time", None) or getattr(job.trigger, "run_date", None)
            if at is not None:
                name, trigger = job.args
                out.append(Planned(name, at, trigger))
        return sorted(out, key=lambda p: _utc(p.at))

    def watch(self) -> None:
        """One look at every continuously protected database (the ``watch`` job)."""
        try:
            self.continuous.tick()
        except Exception:           # a look must never stop the watching
            log.exception("continuous protection: the look failed")

    def _run_continuous(self, profile: Profile, places: list[str]) -> dict[str, bool] | None:
        lock = self._lock_for(profile.name)
        if not lock.acquire(blocking=False):
            return None             # a run of this database is going on: the next look decides again
        try:
            return outcomes_of(self._run(profile, Trigger.CONTINUOUS, places), places)
        finally:
            lock.release()

    # running ----------------------------------------------------------------------------------
    def _lock_for(self, name: str) -> threading.Lock:
        with self._busy_guard:
            return self._busy.setdefault(name, threading.Lock())

    def fire(self, name: str, trigger: Trigger) -> object | None:
        """Run a profile now unless a run of it is going on (then record the skip)."""
        now = self.clock()
        try:
            profile = self.settings.load().profile(name)
        except Exception as exc:
            self.history.skipped(name, trigger, now, f"profile unavailable: {exc}")
            return None
        lock = self._lock_for(name)
        if not lock.acquire(blocking=False):
            self.history.skipped(name, trigger, now, "a backup of this database was already running")
            return None
        try:
            # a catch-up or retry planned earlier may no longer be needed (a run happened since)
            if (trigger == Trigger.CATCH_UP and catch_up_due(profile, self.history, now, self.tz) is None) or \
                    (trigger == Trigger.RETRY and retry_at(profile, self.history) is None):
                self.history.skipped(name, trigger, now, "not needed any more: a backup ran since it was planned")
                return None
            return self._run(profile, trigger)
        finally:
            lock.release()
            self.resync()
