"""Which snapshots to keep: restic's ``forget`` rules plus two safety rules of our own.

Per rule, the newest snapshot of each of the N most recent periods that have snapshots is
kept (calendar hours, days, ISO weeks Monday–Sunday, months, years, in the local wall time
of the user's time zone); ``keep_last`` keeps the N newest; ``keep_within`` keeps all
snapshots within that duration of the newest one. Rules combine by union. On top:

* the newest snapshot that passed verification is never removed;
* ``before-restore`` safety snapshots are kept for at least 30 days.

Policies apply to each database separately (snapshots grouped by source path).

A removed snapshot carries why no rule keeps it (``Decision.why_removed``, one plain phrase
per kind of reason): not one of the N newest; a newer snapshot is kept for its day / week /
month (the period is within the rule's reach but another snapshot stands for it); older than
the N periods a rule keeps; further back than ``keep_within`` from the newest; a
before-restore snapshot past its 30 days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo

from ..errors import KasirBackupError
from ..repo.manifest import Kind, Snapshot

BEFORE_RESTORE_MIN_AGE = timedelta(days=30)


class BadDuration(KasirBackupError):
    code = "bad-duration"
    template = "{text} is not a duration."
    hint = "Write it like 7d, 2w, 6m, 1y or 1y6m12d (h hours, d days, w weeks, m months, y years)."


@dataclass(frozen=True, slots=True)
class Duration:
    years: int = 0
    months: int = 0
    days: int = 0
    hours: int = 0

    @classmethod
    def parse(cls, text: str) -> "Duration":
        parts = re.findall(r"(\d+)([yYmMwWdDhH])", text.strip())
        if not parts or "".join(n + u for n, u in parts) != text.strip():
            raise BadDuration(text=text)
        y = mo = d = h = 0
        for n, unit in parts:
            n = int(n)
            unit = unit.lower()
            if unit == "y":
                y += n
            elif unit == "m":
                mo += n
            elif unit == "w":
                d += 7 * n
            elif unit == "d":
                d += n
            else:
                h += n
        return cls(y, mo, d, h)

    def describe(self) -> str:
        """In words, e.g. "1 year 6 months 12 days" ("2w" is "14 days")."""
        parts = [(self.years, "year"), (self.months, "month"), (self.days, "day"), (self.hours, "hour")]
        return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n) or "0 days"

    def __bool__(self) -> bool:
        """A zero duration is no rule at all (as in restic)."""
        return any((self.years, self.months, self.days, self.hours))

    def before(self, t: datetime) -> datetime:
        """``t`` (aware, in the user's zone) minus this duration: years, months and days on
        the calendar (wall clock), hours as elapsed time — as restic does. Aware result."""
        months = t.year * 12 + (t.month - 1) - (self.years * 12 + self.months)
        year, month = divmod(months, 12)
        month += 1
        day = min(t.day, _days_in_month(year, month))
        wall = t.replace(year=year, month=month, day=day) - timedelta(days=self.days)
        if wall.tzinfo is None:
            return wall - timedelta(hours=self.hours)
        return wall.astimezone(timezone.utc) - timedelta(hours=self.hours)


def _days_in_month(year: int, month: int) -> int:
    nxt = datetime(year + (month == 12), 1 if month == 12 else month + 1, 1)
    return (nxt - timedelta(days=1)).day


@dataclass(frozen=True, slots=True)
class Policy:
    keep_last: int = 0
    keep_hourly: int = 0
    keep_daily: int = 0
    keep_weekly: int = 0
    keep_monthly: int = 0
    keep_yearly: int = 0
    keep_within: Duration | None = None

    @classmethod
    def default(cls) -> "Policy":
        """For a new database: keep-last 10, daily 7, weekly 4, monthly 12 (the seeds)."""
        return cls(keep_last=10, keep_daily=7, keep_weekly=4, keep_monthly=12)

    @property
    def empty(self) -> bool:
        return not any((self.keep_last, self.keep_hourly, self.keep_daily, self.keep_weekly,
                        self.keep_monthly, self.keep_yearly, self.keep_within))


def _wall(s: Snapshot, tz: tzinfo | None) -> datetime:
    """The snapshot's time on the user's wall clock (``tz``; None: this machine's zone)."""
    return s.created_at.astimezone(tz).replace(tzinfo=None)


#: the calendar period each counted rule keeps one snapshot of (for the reasons of a removal)
_PERIOD = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}

_BUCKETS = {
    "hourly": lambda t: (t.year, t.month, t.day, t.hour),
    "daily": lambda t: (t.year, t.month, t.day),
    "weekly": lambda t: tuple(t.isocalendar()[:2]),
    "monthly": lambda t: (t.year, t.month),
    "yearly": lambda t: (t.year,),
}


@dataclass(frozen=True, slots=True)
class Removal:
    """Why no rule keeps a snapshot, as facts (the window says them in its own language;
    :meth:`phrases` says them in English for the command line)."""
    keep_last: int = 0                                  # the N-newest rule it is not among (0: no rule)
    newer_kept: tuple[str, ...] = ()                    # periods ("day", "week") kept by a newer snapshot
    too_old: tuple[tuple[int, str], ...] = ()           # (N, rule) whose N periods it is older than
    within: Duration | None = None                      # the keep-within window it is outside
    before_restore: bool = False                        # a safety backup past its 30 days

    def phrases(self) -> list[str]:
        out = []
        if self.keep_last:
            out.append("not the newest backup" if self.keep_last == 1 else f"not one of the {self.keep_last} newest")
        if self.newer_kept:
            out.append("not the newest of its " + _listed(list(self.newer_kept), "or"))
        if self.too_old:
            noun = "backup" if len(self.too_old) == 1 and self.too_old[0][0] == 1 else "backups"
            out.append("older than the " + _listed([f"{n} {name}" for n, name in self.too_old], "and")
                       + f" {noun} kept")
        if self.within:
            out.append(f"more than {self.within.describe()} older than the newest backup")
        if self.before_restore:
            out.append("a before-restore backup older than 30 days")
        return out


@dataclass(slots=True)
class Decision:
    snapshot: Snapshot
    keep: bool
    reasons: list[str] = field(default_factory=list)       # the rules that keep it
    removal: Removal | None = None                         # a removed one: why no rule keeps it

    @property
    def why_removed(self) -> list[str]:
        """Why no rule keeps it, in English phrases (empty for a kept snapshot)."""
        return self.removal.phrases() if self.removal is not None else []


def decide(snapshots: list[Snapshot], policy: Policy, now: datetime,
           tz: tzinfo | None = None) -> list[Decision]:
    """A decision for every snapshot (newest first), with the rules that kept it. Periods
    are calendar periods in ``tz`` (default: this machine's local time zone)."""
    groups: dict[str, list[Snapshot]] = {}
    for s in snapshots:
        groups.setdefault(s.source_path, []).append(s)
    out: list[Decision] = []
    for group in groups.values():
        out += _decide_group(group, policy, now, tz)
    out.sort(key=lambda d: d.snapshot.created_utc, reverse=True)
    return out


def _decide_group(snaps: list[Snapshot], policy: Policy, now: datetime, tz: tzinfo | None) -> list[Decision]:
    snaps = sorted(snaps, key=lambda s: (s.created_utc, s.id), reverse=True)
    decisions = [Decision(s, False) for s in snaps]
    if policy.empty:
        for d in decisions:
            d.keep, d.reasons = True, ["no policy"]
        return decisions
    for i, d in enumerate(decisions):
        if i < policy.keep_last:
            d.reasons.append("last")
    counted: dict[str, set] = {}       # rule -> the periods it keeps a snapshot of
    for name, bucket in _BUCKETS.items():
        n = getattr(policy, f"keep_{name}")
        last_key = None
        keys = counted[name] = set()
        for d in decisions:
            if n <= 0:
                break
            key = bucket(_wall(d.snapshot, tz))
            if key != last_key:
                d.reasons.append(name)
                keys.add(key)
                last_key = key
                n -= 1
    if policy.keep_within and snaps:
        limit = policy.keep_within.before(snaps[0].created_at.astimezone(tz))
        for d in decisions:
            if d.snapshot.created_utc >= limit:
                d.reasons.append("within")
    newest_verified = next((d for d in decisions if d.snapshot.verified), None)
    if newest_verified is not None:
        newest_verified.reasons.append("newest verified")
    now_utc = now.astimezone()
    for d in decisions:
        if d.snapshot.kind == Kind.BEFORE_RESTORE and now_utc - d.snapshot.created_at < BEFORE_RESTORE_MIN_AGE:
            d.reasons.append("before-restore, under 30 days")
    for d in decisions:
        d.keep = bool(d.reasons)
        if not d.keep:
            d.removal = _removal(d.snapshot, policy, counted, tz)
    return decisions


def _removal(s: Snapshot, policy: Policy, counted: dict[str, set], tz: tzinfo | None) -> Removal:
    """Why no rule keeps ``s`` (which no rule keeps)."""
    newer_kept, too_old = [], []
    for name, bucket in _BUCKETS.items():
        n = getattr(policy, f"keep_{name}")
        if n <= 0:
            continue
        if bucket(_wall(s, tz)) in counted[name]:
            newer_kept.append(_PERIOD[name])      # its period is kept, by a newer snapshot
        else:
            too_old.append((n, name))             # its period is past the rule's N periods
    return Removal(keep_last=policy.keep_last, newer_kept=tuple(newer_kept), too_old=tuple(too_old),
                   within=policy.keep_within if policy.keep_within else None,
                   before_restore=s.kind == Kind.BEFORE_RESTORE)


def _listed(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"
