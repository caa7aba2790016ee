"""Continuous protection: when a database with ``continuous`` in its schedule gets its next
snapshot, and when each off-site place follows.

Every few seconds (``WATCH_EVERY``) the database is looked at without a lock
(``core/snapshot/watch.py``). A snapshot is due when its mark differs from the mark seen
just before the last good snapshot and at least the profile's interval has passed since
that snapshot started: a sale committed at any moment is in a checked snapshot within
the interval + one look + the snapshot's own time, and an idle shop costs one ``stat``
and one 4-byte read per look. Off-site places follow at their own pace
(``offsite_every``; 15 minutes for online storage, with every snapshot for a folder),
each sending only when the database changed since what it holds.

Decisions use the wall clock, guarded both ways: a clock that jumped forward (the machine
slept) makes a snapshot due at once if something changed; one that went back (a time
correction) is treated as "the interval has passed" rather than as hours to wait. After a
failure the database is tried again after ``FAILURE_PAUSE`` or when it changes again, and
an off-site place (an unplugged disk, online storage out of reach) only after the pause, so
nothing is hammered every few seconds; each failure is in the history with its reason.

At start the watcher does not know what the last snapshot held: when the newest good
continuous or scheduled run of this database started after the file (and its ``-wal``)
was last modified, the file is taken as unchanged; otherwise a snapshot is due.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from ..core.snapshot.watch import Mark, look
from .history import History, Result
from .settings import Profile

log = logging.getLogger("kasirbackup.continuous")

WATCH_EVERY = 2.0              # seconds between looks
FAILURE_PAUSE = 300.0          # seconds before a failed place is tried again (unless the file changes again)
ONLINE_OFFSITE_EVERY = 900.0   # seconds: online storage follows every 15 minutes by default


def offsite_every(profile: Profile, location: str) -> float:
    """How often an off-site place follows continuous snapshots, in seconds."""
    if profile.schedule.offsite_every:
        return float(profile.schedule.offsite_every)
    return ONLINE_OFFSITE_EVERY if location.startswith("s3://") else 0.0


@dataclass(slots=True)
class PlaceState:
    mark: Mark | None = None          # the database's mark just before its last good snapshot here
    started: float | None = None      # wall time (seconds) that snapshot started
    failed: float | None = None       # wall time of the last failure, with the mark it failed on
    failed_mark: Mark | None = None


@dataclass(slots=True)
class Watcher:
    """The continuous protection of one profile: what it has seen, what is due."""

    profile: Profile
    places: dict[str, PlaceState] = field(default_factory=dict)
    last_look: Mark | None = None
    unchanged_at: float | None = None      # the last look that found the local snapshot up to date
    busy: bool = False

    def place(self, location: str) -> PlaceState:
        return self.places.setdefault(location, PlaceState())

    def interval(self, location: str) -> float:
        first = self.profile.repos[0]
        return float(self.profile.schedule.continuous) if location == first else \
            max(float(self.profile.schedule.continuous), offsite_every(self.profile, location))

    def due(self, mark: Mark | None, now: float) -> list[str]:
        """The places whose continuous snapshot is due now, local first (none while busy or
        while the database may not be looked at)."""
        if mark is None or self.busy:
            return []
        self.last_look = mark
        out = []
        for location in self.profile.repos:
            st = self.place(location)
            if st.mark == mark:
                if location == self.profile.repos[0]:
                    self.unchanged_at = now
                continue
            # after a failure: the database itself (locked, deleted) is tried again when it
            # changes again; an off-site place (unplugged, offline) only after the pause
            local = location == self.profile.repos[0]
            if st.failed is not None and (st.failed_mark == mark or not local) and \
                    0 <= now - st.failed < FAILURE_PAUSE:
                continue
            if st.started is not None and 0 <= now - st.started < self.interval(location):
                continue
            out.append(location)
        return out

    def adopt(self, mark: Mark, since: float | None, now: float) -> None:
        """At start: take ``mark`` as what the last snapshot (started at ``since``) holds when
        the file was not modified after it started."""
        if not mark.exists or since is None:
            return
        newest = max([mark.mtime_ns] + ([mark.wal[1]] if mark.wal else [])) / 1e9
        if newest < since:
            for location in self.profile.repos:
                st = self.place(location)
                st.mark, st.started = mark, since
            self.unchanged_at = now

    def finished(self, mark: Mark, started: float, outcomes: dict[str, bool]) -> None:
        """A run that started at ``started`` after a look that saw ``mark`` is over."""
        for location, ok in outcomes.items():
            st = self.place(location)
            if ok:
                st.mark, st.started, st.failed, st.failed_mark = mark, started, None, None
            else:
                st.failed, st.failed_mark = started, mark
        if outcomes.get(self.profile.repos[0]):
            self.unchanged_at = started

    @property
    def protected_up_to(self) -> float | None:
        """Every change committed before this moment (wall seconds) is in a good local snapshot."""
        st = self.places.get(self.profile.repos[0])
        if st is None or st.started is None:
            return None
        return max(st.started, self.unchanged_at or 0.0)


class ContinuousWatch:
    """Looks at every continuously protected database and runs the places that are due.
    ``tick`` is called every ``WATCH_EVERY`` seconds by the scheduler; ``submit(profile,
    places, run)`` starts the run on a worker (``run`` does the work and returns the
    outcome per place)."""

    def __init__(self, history: History, run: Callable[[Profile, list[str]], dict[str, bool] | None],
                 clock: Callable[[], float] | None = None,
                 look_at: Callable[[str], Mark | None] = look) -> None:
        self.history = history
        self._run = run
        self.clock = clock or (lambda: datetime.now().timestamp())
        self.look_at = look_at
        self.watchers: dict[str, Watcher] = {}
        self._guard = threading.Lock()

    def sync(self, profiles: list[Profile]) -> None:
        """Follow the settings: watch the profiles with continuous protection, forget the others."""
        with self._guard:
            wanted = {p.id: p for p in profiles if p.schedule.continuous > 0}
            for pid in list(self.watchers):
                if pid not in wanted:
                    del self.watchers[pid]
            for pid, p in wanted.items():
                w = self.watchers.get(pid)
                if w is None:
                    w = self.watchers[pid] = Watcher(p)
                    mark = self.look_at(p.db_path)
                    if mark is not None:
                        w.adopt(mark, self._last_good_start(p), self.clock())
                else:
                    w.profile = p

    def _last_good_start(self, profile: Profile) -> float | None:
        run = self.history.last_success(profile.name)
        return run.started_at.timestamp() if run is not None else None

    def tick(self) -> list[tuple[str, list[str]]]:
        """Look at each database once; start the runs that are due. Returns them (profile, places)."""
        started = []
        with self._guard:
            watchers = list(self.watchers.values())
        for w in watchers:
            mark = self.look_at(w.profile.db_path)
            now = self.clock()
            places = w.due(mark, now)
            if places:
                w.busy = True
                started.append((w.profile.name, places))
                self._start(w, mark, now, places)
        return started

    def _start(self, w: Watcher, mark: Mark, now: float, places: list[str]) -> None:
        try:
            outcomes = self._run(w.profile, places)
        except Exception:
            log.exception("continuous snapshot of %s failed", w.profile.name)
            outcomes = {p: False for p in places}
        finally:
            w.busy = False
        if outcomes is None:            # not run (another run of this database was going on)
            return
        w.finished(mark, now, outcomes)

    def protected_up_to(self, profile_name: str) -> datetime | None:
        """The moment up to which every change of this database is in a good snapshot, as far
        as this process has seen (None: not watched, or no snapshot yet)."""
        for w in self.watchers.values():
            if w.profile.name == profile_name and w.protected_up_to is not None:
                return datetime.fromtimestamp(w.protected_up_to).astimezone()
        return None


def outcomes_of(result, places: list[str]) -> dict[str, bool] | None:
    """Per place, did the run leave a good snapshot there (from ``runner.RunResult``)."""
    if result is None:
        return None
    if result.result == Result.CANCELLED:
        return {}
    got = {o.repo: o.ok for o in result.outcomes}
    return {p: got.get(p, False) for p in places}
