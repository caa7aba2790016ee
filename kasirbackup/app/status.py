"""How protected is a database right now? The one answer the status banner and the tray show:
green when the last run succeeded and no scheduled run is overdue, amber when a scheduled run
is overdue or only the off-site copy is pending, red after a failure (or before any backup).

``app_status`` is the verdict for the whole app: every database (profile) and each of its backup
places, plus whether anything starts KasirBackup after a restart; its problems name the
database and the place, worst first, so no window shows green while another database or an
extra copy is failing. Qt-free, so the CLI and the tests see the same verdict as the window."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from enum import Enum

from .history import History, PlaceState, Result, Run
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
    failing_since: datetime | None = None    # FAILED: the first failure after the last success
    places: tuple[PlaceState, ...] = ()      # each backup place as the newest runs left it (if recorded)
    #: continuous protection: every change committed up to this moment is in a good snapshot
    #: (the newest good snapshot, or later when the watch saw the database unchanged since)
    protected_up_to: datetime | None = None


def _utc(t: datetime) -> datetime:
    return t.astimezone(timezone.utc)


def profile_status(profile: Profile, history: History, now: datetime, tz: tzinfo,
                   running: bool = False, confirmed: datetime | None = None) -> ProfileStatus:
    """The verdict for one profile at ``now`` (aware). ``confirmed``: what continuous
    protection's watch confirmed (app/continuous.py)."""
    success = history.last_success(profile.name)
    # a run the user cancelled says nothing about protection: look at the one before it
    attempt = next((r for r in history.attempts(profile.name, limit=50) if r.result != Result.CANCELLED), None)
    nxt = next_fire(profile.schedule, now, tz)
    places = tuple(st for st in (history.place_state(profile.name, repo) for repo in profile.repos) if st is not None)
    protected = None
    if profile.schedule.continuous and success is not None:
        protected = max((t for t in (success.started_at, confirmed) if t is not None), key=_utc)
    base = dict(profile=profile.name, last_success=success.started_at if success else None,
                last_attempt=attempt, next_run=nxt, places=places, protected_up_to=protected)
    if running:
        return ProfileStatus(level=Level.OK, reason=Reason.RUNNING, **base)

    if attempt is not None and attempt.result in (Result.FAILED, Result.INTERRUPTED):
        fails = history.failures_since(profile.name, success.started_at if success else None)
        return ProfileStatus(level=Level.ERROR, reason=Reason.FAILED, message=attempt.message,
                             failing_since=fails[-1].started_at if fails else attempt.started_at, **base)
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


# -- the whole app -----------------------------------------------------------------------------

class ProblemKind(str, Enum):
    FAILED = "failed"            # red: backups into the main backup folder fail
    NEVER = "never"              # red: no backup yet
    OVERDUE = "overdue"          # amber: a scheduled backup did not run
    COPY_FAILING = "copy"        # amber: an extra backup place (off-site copy) fails
    NO_RESTART = "no-restart"    # amber: nothing starts KasirBackup after the computer restarts


_KIND_ORDER = list(ProblemKind)

#: failures that are about the database itself, not about where its backups go
DATABASE_CODES = frozenset({"source-missing", "source-is-directory", "source-unreadable", "source-empty",
                            "not-a-database", "database-corrupt", "database-busy", "database-too-busy"})
_LEVEL_ORDER = [Level.ERROR, Level.WARNING, Level.OK]


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    level: Level
    profile: str = ""            # the database (profile) it is about; "" for the whole app
    place: str = ""              # the backup place (repository location) it is about, if known
    since: datetime | None = None
    message: str = ""            # the failure as recorded in the history
    code: str = ""               # the user error's code (e.g. repo-write-protected), if any


@dataclass(frozen=True, slots=True)
class RestartCover:
    """What starts scheduled backups again after the computer restarts."""
    login_start: bool                        # KasirBackup starts (in the tray) when the user logs in
    os_tasks: frozenset[str] = frozenset()   # profiles with an operating-system task of their own

    def covers(self, profile: Profile) -> bool:
        return self.login_start or not profile.schedule.active or profile.name in self.os_tasks


@dataclass(frozen=True, slots=True)
class AppStatus:
    level: Level                             # the worst of all problems (OK when there is none)
    profiles: tuple[ProfileStatus, ...]      # in the settings' order
    problems: tuple[Problem, ...]            # worst first

    def of(self, profile: str) -> ProfileStatus | None:
        return next((s for s in self.profiles if s.profile == profile), None)

    def problems_of(self, profile: str) -> list[Problem]:
        return [p for p in self.problems if p.profile == profile]

    @property
    def worst_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _place(st: ProfileStatus, repo: str) -> PlaceState | None:
    return next((p for p in st.places if p.repo == repo), None)


def profile_problems(profile: Profile, st: ProfileStatus) -> list[Problem]:
    """What is wrong with one database and its backup places (nothing while it runs)."""
    if st.reason == Reason.RUNNING:
        return []
    name = profile.name
    out: list[Problem] = []
    if st.reason == Reason.NEVER:
        out.append(Problem(ProblemKind.NEVER, Level.ERROR, name))
    elif st.reason == Reason.FAILED:
        main = _place(st, profile.repos[0])
        if main is not None and not main.ok:
            out.append(Problem(ProblemKind.FAILED, Level.ERROR, name, "" if main.code in DATABASE_CODES else main.repo,
                               main.failing_since or st.failing_since, main.message, main.code))
        else:
            out.append(Problem(ProblemKind.FAILED, Level.ERROR, name, "", st.failing_since, st.message))
    elif st.reason == Reason.OVERDUE:
        out.append(Problem(ProblemKind.OVERDUE, Level.WARNING, name, "", st.overdue_since))
    for repo in profile.repos[1:]:
        place = _place(st, repo)
        if place is None or place.ok:
            continue
        if any(p.kind == ProblemKind.FAILED and (p.code, p.message) == (place.code, place.message) for p in out):
            continue                         # the same cause as the main folder's failure (the database itself)
        out.append(Problem(ProblemKind.COPY_FAILING, Level.WARNING, name, repo, place.failing_since, place.message,
                           place.code))
    if st.reason == Reason.OFFSITE_PENDING and not any(p.kind == ProblemKind.COPY_FAILING for p in out):
        # a run recorded before the places were: the place is not known
        out.append(Problem(ProblemKind.COPY_FAILING, Level.WARNING, name, "", st.offsite_pending_since, st.message))
    return out


def app_status(profiles: list[Profile], history: History, now: datetime, tz: tzinfo,
               running: Collection[str] = (), restart: RestartCover | None = None,
               confirmed: Callable[[str], datetime | None] | None = None) -> AppStatus:
    """The verdict for the whole app at ``now``: every profile and each of its backup places,
    and (when ``restart`` is known) whether the schedules survive a restart of the computer."""
    statuses = tuple(profile_status(p, history, now, tz, running=p.name in running,
                                    confirmed=confirmed(p.name) if confirmed else None) for p in profiles)
    problems: list[tuple[int, Problem]] = []
    for i, (p, st) in enumerate(zip(profiles, statuses)):
        problems.extend((i, pr) for pr in profile_problems(p, st))
    if restart is not None and any(not restart.covers(p) for p in profiles):
        problems.append((len(profiles), Problem(ProblemKind.NO_RESTART, Level.WARNING)))
    problems.sort(key=lambda ip: (_LEVEL_ORDER.index(ip[1].level), _KIND_ORDER.index(ip[1].kind), ip[0]))
    ordered = tuple(pr for _, pr in problems)
    return AppStatus(ordered[0].level if ordered else Level.OK, statuses, ordered)
