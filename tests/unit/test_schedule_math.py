"""Schedule arithmetic: occurrences / next_fire / last_due (kasirbackup.app.scheduling).

Checked against an independent oracle (``_oracle_instant``) that works out, for one calendar
day, the instant at which a wall-clock time happens in a zone: the first of two if the time
exists twice (fall-back), and "the same moment an hour later on the clock" if it does not
exist (spring-forward gap) — the rule stated in scheduling.py's docstring.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kasirbackup.app.scheduling import last_due, next_fire, occurrences
from kasirbackup.app.settings import Schedule

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
JAKARTA = ZoneInfo("Asia/Jakarta")
MAKASSAR = ZoneInfo("Asia/Makassar")
JAYAPURA = ZoneInfo("Asia/Jayapura")


def Z(*a) -> datetime:
    """A UTC instant."""
    return datetime(*a, tzinfo=UTC)


def utc_list(it) -> list[datetime]:
    return [t.astimezone(UTC) for t in it]


def u(t: datetime | None) -> datetime | None:
    """In UTC. Needed before ``==``: by PEP 495 an aware datetime in a DST gap or fold never
    compares equal to one with another tzinfo, even for the same instant."""
    return t.astimezone(UTC) if t is not None else None


# -- the oracle ----------------------------------------------------------------------------------

def _on_day(s: Schedule, d: date) -> bool:
    if s.kind == "daily":
        return True
    if s.kind == "weekly":
        return d.weekday() in s.weekdays
    if s.kind == "monthly":
        return d.day == min(s.day_of_month, calendar.monthrange(d.year, d.month)[1])
    return False


def _oracle_instant(d: date, hh: int, mm: int, tz) -> datetime:
    """The UTC instant of wall time d hh:mm in tz (first if ambiguous, +gap if non-existent)."""
    wall = datetime.combine(d, time(hh, mm))
    offsets = {(wall + timedelta(hours=k)).replace(tzinfo=tz).utcoffset() for k in (-6, -3, 0, 3, 6)}
    offsets |= {(wall + timedelta(hours=k)).replace(tzinfo=tz, fold=1).utcoffset() for k in (-6, -3, 0, 3, 6)}
    real = sorted((wall - off).replace(tzinfo=UTC) for off in offsets
                  if ((wall - off).replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None) == wall))
    if real:
        return real[0]
    # non-existent: use the offset in force just before the gap
    before = (wall - timedelta(hours=3)).replace(tzinfo=tz).utcoffset()
    return (wall - before).replace(tzinfo=UTC)


def oracle(s: Schedule, start: datetime, end: datetime, tz) -> list[datetime]:
    if s.kind == "off":
        return []
    hh, mm = s.hour_minute
    out = []
    d = start.astimezone(tz).date() - timedelta(days=2)
    while d <= end.astimezone(tz).date() + timedelta(days=2):
        if _on_day(s, d):
            t = _oracle_instant(d, hh, mm, tz)
            if start < t <= end:
                out.append(t)
        d += timedelta(days=1)
    return out


# -- plain schedules -----------------------------------------------------------------------------

def test_daily_in_jakarta():
    s = Schedule.parse("daily@23:00")
    got = utc_list(occurrences(s, Z(2026, 6, 10), Z(2026, 6, 13), JAKARTA))
    assert got == [Z(2026, 6, 10, 16), Z(2026, 6, 11, 16), Z(2026, 6, 12, 16)]
    assert u(next_fire(s, Z(2026, 6, 10, 15, 59), JAKARTA)) == Z(2026, 6, 10, 16)
    assert u(next_fire(s, Z(2026, 6, 10, 16), JAKARTA)) == Z(2026, 6, 11, 16)      # strictly after
    assert u(last_due(s, Z(2026, 6, 10, 16), JAKARTA)) == Z(2026, 6, 10, 16)        # at or before
    assert u(last_due(s, Z(2026, 6, 10, 15, 59), JAKARTA)) == Z(2026, 6, 9, 16)


@pytest.mark.parametrize("tz, utc_hour", [(JAKARTA, 16), (MAKASSAR, 15), (JAYAPURA, 14)],
                         ids=["WIB", "WITA", "WIT"])
def test_indonesian_zones_fire_at_local_time(tz, utc_hour):
    s = Schedule.parse("daily@23:00")
    nf = u(next_fire(s, Z(2026, 1, 1), tz))
    assert nf == Z(2026, 1, 1, utc_hour)
    assert nf.astimezone(tz).hour == 23 and nf.astimezone(tz).minute == 0
    got = utc_list(occurrences(s, Z(2026, 1, 1), Z(2026, 1, 4), tz))
    assert got == [Z(2026, 1, d, utc_hour) for d in (1, 2, 3)]
    assert u(last_due(s, Z(2026, 1, 3, utc_hour, 30), tz)) == Z(2026, 1, 3, utc_hour)
    # the same moment expressed in local time gives the same answers (no DST there)
    local = Z(2026, 1, 1).astimezone(tz)
    assert u(next_fire(s, local, tz)) == nf


def test_weekly_mon_thu():
    s = Schedule.parse("weekly:mon,thu@22:30")
    assert s.weekdays == [0, 3]
    # 2026-06-08 is a Monday; 22:30 WIB = 15:30 UTC
    got = utc_list(occurrences(s, Z(2026, 6, 8), Z(2026, 6, 22), JAKARTA))
    assert got == [Z(2026, 6, 8, 15, 30), Z(2026, 6, 11, 15, 30), Z(2026, 6, 15, 15, 30), Z(2026, 6, 18, 15, 30)]
    assert u(next_fire(s, Z(2026, 6, 8, 15, 30), JAKARTA)) == Z(2026, 6, 11, 15, 30)
    assert u(last_due(s, Z(2026, 6, 10), JAKARTA)) == Z(2026, 6, 8, 15, 30)


def test_weekly_sunday_only():
    s = Schedule.parse("weekly:sun@08:00")
    assert s.weekdays == [6]
    assert u(next_fire(s, Z(2026, 6, 8), JAKARTA)) == Z(2026, 6, 14, 1)      # Sunday 08:00 WIB


def test_monthly_first():
    s = Schedule.parse("monthly:1@23:00")
    got = utc_list(occurrences(s, Z(2026, 1, 1), Z(2026, 4, 2), JAKARTA))
    assert got == [Z(2026, 1, 1, 16), Z(2026, 2, 1, 16), Z(2026, 3, 1, 16), Z(2026, 4, 1, 16)]


def test_monthly_31_runs_on_last_day_of_short_months():
    s = Schedule.parse("monthly:31@23:00")
    got = [t.astimezone(JAKARTA).date() for t in occurrences(s, Z(2026, 1, 1), Z(2027, 1, 1), JAKARTA)]
    assert got == [date(2026, m, calendar.monthrange(2026, m)[1]) for m in range(1, 13)]
    assert date(2026, 2, 28) in got and date(2026, 4, 30) in got
    # leap year February
    assert u(next_fire(s, Z(2028, 2, 1), JAKARTA)).astimezone(JAKARTA).date() == date(2028, 2, 29)
    assert u(next_fire(s, Z(2026, 2, 1), JAKARTA)).astimezone(JAKARTA).date() == date(2026, 2, 28)


@pytest.mark.parametrize("dom, feb, apr, may", [(29, 28, 29, 29), (30, 28, 30, 30), (31, 28, 30, 31)])
def test_monthly_late_days(dom, feb, apr, may):
    s = Schedule(kind="monthly", time="23:00", day_of_month=dom)
    days = {t.astimezone(JAKARTA).date() for t in occurrences(s, Z(2026, 1, 1), Z(2026, 5, 31, 23), JAKARTA)}
    assert date(2026, 2, feb) in days and date(2026, 4, apr) in days and date(2026, 5, may) in days
    assert len(days) == 5          # exactly once per month, January to May


def test_monthly_last_due_long_gap():
    s = Schedule.parse("monthly:15@09:00")
    assert u(last_due(s, Z(2026, 6, 14), JAKARTA)) == Z(2026, 5, 15, 2)


def test_off_schedule():
    s = Schedule.parse("off")
    assert list(occurrences(s, Z(2026, 1, 1), Z(2027, 1, 1), JAKARTA)) == []
    assert u(next_fire(s, Z(2026, 1, 1), JAKARTA)) is None
    assert u(last_due(s, Z(2026, 1, 1), JAKARTA)) is None


def test_empty_window():
    s = Schedule.parse("daily@23:00")
    assert list(occurrences(s, Z(2026, 1, 2), Z(2026, 1, 1), JAKARTA)) == []
    assert list(occurrences(s, Z(2026, 1, 1, 16), Z(2026, 1, 1, 16), JAKARTA)) == []


# -- daylight saving time: Europe/Berlin, daily@02:30, 2026 --------------------------------------
# spring forward: Sun 2026-03-29 02:00 CET -> 03:00 CEST (02:30 does not exist)
# fall back:      Sun 2026-10-25 03:00 CEST -> 02:00 CET (02:30 happens twice)

DAILY_0230 = "daily@02:30"


def test_dst_spring_forward_gap_runs_once_an_hour_later_on_the_clock():
    s = Schedule.parse(DAILY_0230)
    got = utc_list(occurrences(s, Z(2026, 3, 27, 12), Z(2026, 3, 31, 12), BERLIN))
    assert got == [Z(2026, 3, 28, 1, 30),      # 02:30 CET
                   Z(2026, 3, 29, 1, 30),      # 02:30 does not exist: 03:30 CEST
                   Z(2026, 3, 30, 0, 30),      # 02:30 CEST
                   Z(2026, 3, 31, 0, 30)]
    gap = Z(2026, 3, 29, 1, 30).astimezone(BERLIN)
    assert (gap.hour, gap.minute) == (3, 30)
    assert u(next_fire(s, Z(2026, 3, 29, 0, 59), BERLIN)) == Z(2026, 3, 29, 1, 30)
    assert u(next_fire(s, Z(2026, 3, 29, 1, 10), BERLIN)) == Z(2026, 3, 29, 1, 30)
    assert u(next_fire(s, Z(2026, 3, 29, 1, 30), BERLIN)) == Z(2026, 3, 30, 0, 30)
    assert u(last_due(s, Z(2026, 3, 29, 1, 29), BERLIN)) == Z(2026, 3, 28, 1, 30)
    assert u(last_due(s, Z(2026, 3, 29, 1, 30), BERLIN)) == Z(2026, 3, 29, 1, 30)


def test_dst_fall_back_ambiguous_runs_once_at_first_occurrence():
    s = Schedule.parse(DAILY_0230)
    got = utc_list(occurrences(s, Z(2026, 10, 23, 12), Z(2026, 10, 27, 12), BERLIN))
    assert got == [Z(2026, 10, 24, 0, 30),     # 02:30 CEST
                   Z(2026, 10, 25, 0, 30),     # first 02:30 (CEST); the second (01:30 UTC) is not a run
                   Z(2026, 10, 26, 1, 30),     # 02:30 CET
                   Z(2026, 10, 27, 1, 30)]
    assert u(next_fire(s, Z(2026, 10, 25, 0, 29), BERLIN)) == Z(2026, 10, 25, 0, 30)
    assert u(next_fire(s, Z(2026, 10, 25, 0, 30), BERLIN)) == Z(2026, 10, 26, 1, 30)
    assert u(next_fire(s, Z(2026, 10, 25, 1, 10), BERLIN)) == Z(2026, 10, 26, 1, 30)
    assert u(last_due(s, Z(2026, 10, 25, 1, 45), BERLIN)) == Z(2026, 10, 25, 0, 30)


@pytest.mark.parametrize("utc_now, want_next, want_last", [
    # spring-forward day, 03:10 CEST = 01:10 UTC: today's run (03:30 CEST) is still ahead
    (Z(2026, 3, 29, 1, 10), Z(2026, 3, 29, 1, 30), Z(2026, 3, 28, 1, 30)),
    # fall-back day, second 02:10 (CET, fold=1) = 01:10 UTC: today's run (00:30 UTC) is past
    (Z(2026, 10, 25, 1, 10), Z(2026, 10, 26, 1, 30), Z(2026, 10, 25, 0, 30)),
    # fall-back day, second 02:29 (CET) = 01:29 UTC
    (Z(2026, 10, 25, 1, 29), Z(2026, 10, 26, 1, 30), Z(2026, 10, 25, 0, 30)),
], ids=["spring-0310-CEST", "fall-0210-CET", "fall-0229-CET"])
def test_dst_answers_do_not_depend_on_how_now_is_expressed(utc_now, want_next, want_last):
    """The service's clock is ``datetime.now(tz)`` (local, with fold); the answers must be
    the same as for the same instant expressed in UTC."""
    s = Schedule.parse(DAILY_0230)
    local_now = utc_now.astimezone(BERLIN)
    assert u(next_fire(s, utc_now, BERLIN)) == want_next
    assert u(last_due(s, utc_now, BERLIN)) == want_last
    assert u(next_fire(s, local_now, BERLIN)) == want_next, \
        f"next_fire({local_now.isoformat()} fold={local_now.fold}) in the past or skipping a run"
    assert u(last_due(s, local_now, BERLIN)) == want_last, \
        f"last_due({local_now.isoformat()} fold={local_now.fold}) returns a future moment or misses one"


@pytest.mark.parametrize("year_month", [(2026, 3), (2026, 10)])
def test_dst_every_half_hour_across_transition_one_run_per_day(year_month):
    """Asking every 10 minutes across the whole transition night (in UTC), the next run is
    always in the future and never changes except by passing it."""
    y, mo = year_month
    s = Schedule.parse(DAILY_0230)
    day = 29 if mo == 3 else 25
    t = Z(y, mo, day - 1, 20)
    fired = []
    planned = u(next_fire(s, t, BERLIN))
    while t < Z(y, mo, day + 1, 6):
        t += timedelta(minutes=10)
        if planned <= t:
            fired.append(planned)
            planned = u(next_fire(s, planned, BERLIN))
        assert planned > t
        assert u(next_fire(s, t, BERLIN)) == planned
    assert len(fired) == 2              # the transition day and the day after
    assert len({f.astimezone(BERLIN).date() for f in fired}) == 2


# -- properties ---------------------------------------------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "America/New_York",
         "Australia/Lord_Howe", "America/Santiago", "Europe/London"]


@st.composite
def schedules(draw) -> Schedule:
    kind = draw(st.sampled_from(["daily", "weekly", "monthly"]))
    hh = draw(st.integers(0, 23))
    mm = draw(st.sampled_from([0, 1, 15, 29, 30, 45, 59]))
    s = Schedule(kind=kind, time=f"{hh:02d}:{mm:02d}")
    if kind == "weekly":
        s.weekdays = sorted(draw(st.sets(st.integers(0, 6), min_size=1)))
    if kind == "monthly":
        s.day_of_month = draw(st.integers(1, 31))
    s.validate()
    return s


instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31),
                        timezones=st.just(UTC))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=schedules(), zone=st.sampled_from(ZONES), start=instants,
       length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=75)))
@example(s=Schedule.parse("daily@02:30"), zone="Europe/Berlin", start=Z(2026, 3, 28), length=timedelta(days=2))
@example(s=Schedule.parse("daily@02:30"), zone="Europe/Berlin", start=Z(2026, 10, 24), length=timedelta(days=2))
def test_occurrences_properties(s, zone, start, length):
    tz = ZoneInfo(zone)
    end = start + length
    got = list(occurrences(s, start, end, tz))
    got_utc = utc_list(got)
    # strictly increasing (hence unique), inside the window
    assert all(a < b for a, b in zip(got_utc, got_utc[1:]))
    assert all(start < t <= end for t in got_utc)
    # each is the schedule's wall time on a schedule day (or its shifted time in a gap),
    # and none is missing
    assert got_utc == oracle(s, start, end, tz)
    hh, mm = s.hour_minute
    for t in got:
        local = t.astimezone(tz)
        if (local.hour, local.minute) != (hh, mm):   # only allowed in a gap: the wall time does not exist
            wall = datetime.combine(local.date(), time(hh, mm))
            back = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
            assert back != wall, f"{local} is not {s.time} and {s.time} exists that day"
    # next_fire(t) is the first occurrence after t
    nf = u(next_fire(s, start, tz))
    first = oracle(s, start, start + timedelta(days=40), tz)
    assert nf == (first[0] if first else None)
    if got_utc:
        assert nf == got_utc[0]
        # and last_due at the window's end is the last occurrence in it
        assert u(last_due(s, end, tz)) == got_utc[-1]


@settings(max_examples=150, deadline=None)
@given(s=schedules(), zone=st.sampled_from(ZONES), start=instants,
       length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
@example(s=Schedule.parse("daily@02:30"), zone="Europe/Berlin", start=Z(2026, 3, 29, 1, 10),
         length=timedelta(hours=1))
@example(s=Schedule.parse("daily@02:30"), zone="Europe/Berlin", start=Z(2026, 10, 25, 1, 10),
         length=timedelta(hours=1))
def test_same_answers_for_local_and_utc_bounds(s, zone, start, length):
    """The clock of ScheduleService gives local times (``datetime.now(tz)``, with fold set
    in a repeated hour): the arithmetic must depend on the instant only."""
    tz = ZoneInfo(zone)
    end = start + length
    want = utc_list(occurrences(s, start, end, tz))
    assert utc_list(occurrences(s, start.astimezone(tz), end.astimezone(tz), tz)) == want
    assert u(next_fire(s, start.astimezone(tz), tz)) == u(next_fire(s, start, tz))
    assert u(last_due(s, end.astimezone(tz), tz)) == u(last_due(s, end, tz))
