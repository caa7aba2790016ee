"""Point in time: which snapshot "as of 14:30" means.

``--at TIME`` (restore, diff) and the restore wizard's timeline pick the newest *checked*
snapshot taken at or before the moment: a snapshot whose check failed, or that was never
checked, is never chosen. A moment is a local date and time (``2026-12-04 14:30``, with
or without seconds, ``T`` or a space) in the machine's time zone, or ISO 8601 with an
offset (``2026-12-04T14:30+07:00``, ``…Z``) from anywhere. All comparisons are in UTC, so
a snapshot taken in another time zone (a laptop that travelled, a repository shared by two
shops) is placed where it really happened.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from typing import Iterable

from ..errors import KasirBackupError
from .manifest import Snapshot


class BadMoment(KasirBackupError):
    code = "bad-moment"
    template = "{text} is not a date and time."
    hint = 'Write it as "2026-12-04 14:30" (local time) or with an offset, e.g. 2026-12-04T14:30+07:00.'


class NothingAtMoment(KasirBackupError):
    code = "nothing-at-moment"
    template = "There is no checked backup taken at or before {moment}."
    hint = "The oldest checked backup here is from {oldest}; choose a later time, or see them with list."


class AmbiguousMoment(KasirBackupError):
    code = "ambiguous-moment"
    template = "This backup location holds backups of {count} databases: {names}."
    hint = "Say which backup with --snapshot ID (see them with list)."


_LOCAL = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)")


def parse_moment(text: str, tz: tzinfo) -> datetime:
    """An aware datetime for ``text``: local in ``tz`` unless it carries an offset."""
    t = (text or "").strip()
    m = _LOCAL.fullmatch(t)
    try:
        if m:
            hh, rest = m.group(2).split(":", 1)
            when = datetime.fromisoformat(f"{m.group(1)}T{int(hh):02d}:{rest}")
        else:
            when = datetime.fromisoformat(t.replace("z", "Z").replace("Z", "+00:00"))
            if when.tzinfo is None:
                raise ValueError("no time of day")      # a bare date: which moment of it?
    except ValueError:
        raise BadMoment(text=text) from None
    if when.tzinfo is None:
        # fold=0: a time that occurs twice (clocks going back) is its first occurrence;
        # one in a spring-forward gap is the instant an hour later on the clock
        when = when.replace(tzinfo=tz)
    return when


def snapshot_at(snaps: Iterable[Snapshot], when: datetime, source: str | None = None) -> Snapshot:
    """The newest checked snapshot taken at or before ``when``. With ``source`` (the database
    being restored into or compared with), only that database's snapshots count when there
    are any; otherwise the snapshots here must all be of one database."""
    checked = [s for s in snaps if s.verification.ok]
    if source is not None and any(s.source_path == source for s in checked):
        checked = [s for s in checked if s.source_path == source]
    sources = sorted({s.source_path for s in checked})
    if len(sources) > 1:
        names = ", ".join(dict.fromkeys(s.source_name for s in checked))
        raise AmbiguousMoment(count=len(sources), names=names)
    limit = when.astimezone(timezone.utc)
    before = [s for s in checked if s.created_utc <= limit]
    if not before:
        oldest = min((s.created_utc for s in checked), default=None)
        raise NothingAtMoment(moment=_show(when, when), oldest=_show(oldest, when) if oldest else "–")
    return max(before, key=lambda s: s.created_utc)


def _show(t: datetime, moment: datetime) -> str:
    """``t`` on the clock the moment was given in (the user's, for a local time)."""
    return t.astimezone(moment.tzinfo).strftime("%Y-%m-%d %H:%M:%S")
