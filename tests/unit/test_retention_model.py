"""``retention.decide`` against a small reference model written from the documented rules.

The rules (restic ``forget`` plus two safety rules), per source database:

* keep-last N: the N newest snapshots;
* keep-hourly/daily/weekly/monthly/yearly N: of the N most recent calendar periods (wall
  clock of the user's zone ``tz``; ISO weeks Monday–Sunday) that have snapshots, the
  newest snapshot of each;
* keep-within D: every snapshot no older than D before the newest snapshot (years,
  months and days on the calendar of ``tz`` — Mar 31 minus a month is the end of
  February — and hours as elapsed time, as restic does: AddDate(-y, -m, -d).Add(-h));
* union of the above; an empty policy keeps everything;
* the newest verified snapshot is never removed; a before-restore snapshot younger than
  30 days is never removed.

The model below is deliberately written differently from core/retention/policy.py (periods are
collected and ranked, not detected by key changes while walking the list; the within
limit is an instant, not a wall-clock time), so that the two agree only if both follow
the rules.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st

from kasirbackup.core.errors import KasirBackupError
from kasirbackup.core.repo.manifest import DatabaseInfo, Kind, Snapshot, Verification
from kasirbackup.core.retention.policy import BadDuration, Duration, Policy, decide

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
UTC = timezone.utc
THIRTY_DAYS = timedelta(days=30)

RULES = ("last", "hourly", "daily", "weekly", "monthly", "yearly")


# -- building snapshots -------------------------------------------------------------------------

_DB = DatabaseInfo(page_size=4096, page_count=1, user_version=0, application_id=0, text_encoding="UTF-8",
                   journal_mode="rollback", schema_fingerprint="")


def snap(sid: str, created: datetime, source: str = "/data/kasir.db", kind: Kind = Kind.SCHEDULED,
         verified: bool | None = True) -> Snapshot:
    assert created.tzinfo is not None
    return Snapshot(id=sid, created_at=created, kind=kind, label="", tool_version="test", hostname="test",
                    source_path=source, source_name=source.rsplit("/", 1)[-1], database=_DB,
                    image_bytes=4096, image_sha256="", root="00" * 32, segment_pages=128, tables={},
                    added_bytes=0, verification=Verification(ok=verified))


# -- the reference model ----------------------------------------------------------------------------

def _period(rule: str, wall: datetime):
    if rule == "hourly":
        return (wall.date(), wall.hour)
    if rule == "daily":
        return wall.date()
    if rule == "weekly":
        iso = wall.isocalendar()
        return (iso.year, iso.week)
    if rule == "monthly":
        return (wall.year, wall.month)
    if rule == "yearly":
        return wall.year
    raise ValueError(rule)


def _minus_calendar(wall: datetime, years: int, months: int, days: int) -> datetime:
    """Wall-clock ``wall`` minus years and months (clamped to the month's last day), then days."""
    total = wall.year * 12 + wall.month - 1 - (12 * years + months)
    y, m0 = divmod(total, 12)
    first_next = date(y + (m0 == 11), 1 if m0 == 11 else m0 + 2, 1)
    last_day = (first_next - timedelta(days=1)).day
    return wall.replace(year=y, month=m0 + 1, day=min(wall.day, last_day)) - timedelta(days=days)


def within_limits(newest: Snapshot, dur: Duration, tz) -> tuple[datetime, datetime]:
    """The earliest instant still "within" (UTC). Two candidates: a limit that falls in a
    repeated or skipped wall-clock hour can be read either way; anything between the two is
    allowed to go either way."""
    wall = newest.created_at.astimezone(tz).replace(tzinfo=None)
    cal = _minus_calendar(wall, dur.years, dur.months, dur.days)
    cands = [cal.replace(tzinfo=tz, fold=f).astimezone(UTC) - timedelta(hours=dur.hours) for f in (0, 1)]
    return min(cands), max(cands)


def age(s: Snapshot, now: datetime) -> timedelta:
    """Elapsed time (two datetimes sharing one tzinfo object subtract as wall clocks)."""
    return now.astimezone(UTC) - s.created_at.astimezone(UTC)


@dataclasses.dataclass
class ModelDecision:
    rules: set[str]                 # rules that certainly keep it
    maybe: set[str]                 # rules that may or may not keep it (within, at a DST edge)


def model(snapshots: list[Snapshot], policy: Policy, now: datetime, tz) -> dict[str, ModelDecision]:
    out: dict[str, ModelDecision] = {}
    by_db: dict[str, list[Snapshot]] = {}
    for s in snapshots:
        by_db.setdefault(s.source_path, []).append(s)
    for group in by_db.values():
        order = sorted(group, key=lambda s: s.created_at.timestamp(), reverse=True)   # newest first
        res = {s.id: ModelDecision(set(), set()) for s in order}
        if policy.empty:
            for s in order:
                res[s.id].rules.add("policy")
            out.update(res)
            continue
        for s in order[:policy.keep_last]:
            res[s.id].rules.add("last")
        for rule in RULES[1:]:
            n = getattr(policy, f"keep_{rule}")
            if n <= 0:
                continue
            newest_of: dict = {}
            for s in order:                               # newest first: first one seen wins
                newest_of.setdefault(_period(rule, s.created_at.astimezone(tz).replace(tzinfo=None)), s)
            for key in sorted(newest_of, reverse=True)[:n]:
                res[newest_of[key].id].rules.add(rule)
        if policy.keep_within is not None:
            lo, hi = within_limits(order[0], policy.keep_within, tz)
            for s in order:
                t = s.created_at.astimezone(UTC)
                if t >= hi:
                    res[s.id].rules.add("within")
                elif t >= lo:
                    res[s.id].maybe.add("within")
        verified = [s for s in order if s.verified]
        if verified:
            res[verified[0].id].rules.add("verified")
        for s in order:
            if s.kind == Kind.BEFORE_RESTORE and age(s, now) < THIRTY_DAYS:
                res[s.id].rules.add("before-restore")
        out.update(res)
    return out


def rule_of_reason(reason: str) -> str:
    """Which rule a reason string of ``decide`` names (it must name exactly one)."""
    r = reason.lower()
    candidates = [
        ("before-restore", "restore" in r),
        ("verified", "verified" in r),
        ("within", "within" in r),
        ("policy", "policy" in r),
        ("hourly", "hour" in r),
        ("daily", "daily" in r),
        ("weekly", "week" in r),
        ("monthly", "month" in r),
        ("yearly", "year" in r),
        ("last", "last" in r or "latest" in r),
    ]
    hits = [name for name, hit in candidates if hit]
    assert hits, f"reason {reason!r} names no rule"
    return hits[0]


def check_against_model(snapshots: list[Snapshot], policy: Policy, now: datetime, tz) -> None:
    decisions = decide(snapshots, policy, now, tz)
    expected = model(snapshots, policy, now, tz)
    assert sorted(d.snapshot.id for d in decisions) == sorted(s.id for s in snapshots), \
        "one decision per snapshot"
    times = [d.snapshot.created_at.timestamp() for d in decisions]
    assert times == sorted(times, reverse=True), "decisions come newest first"
    for d in decisions:
        exp = expected[d.snapshot.id]
        got = {rule_of_reason(r) for r in d.reasons}
        assert len(got) == len(d.reasons), f"a rule named twice: {d.reasons}"
        wall = d.snapshot.created_at.astimezone(tz)
        what = f"snapshot {d.snapshot.id} {d.snapshot.created_at.isoformat()} (wall {wall:%a %Y-%m-%d %H:%M %Z})"
        assert exp.rules <= got <= exp.rules | exp.maybe, \
            f"{what}: reasons {sorted(got)}, the model says {sorted(exp.rules)} (maybe {sorted(exp.maybe)})"
        assert d.keep == bool(got), f"{what}: keep={d.keep} with reasons {d.reasons}"
    # keep-within keeps the newest snapshots up to a moment: never an older one without a newer one
    if policy.keep_within is not None and not policy.empty:
        for source in {s.source_path for s in snapshots}:
            flags = [any(rule_of_reason(r) == "within" for r in d.reasons)
                     for d in decisions if d.snapshot.source_path == source]
            assert flags == sorted(flags, reverse=True), \
                f"keep-within kept an older snapshot of {source} but removed a newer one: {flags}"


# -- strategies -------------------------------------------------------------------------------------

# moments where interesting things happen: DST changes in Berlin (both directions), ISO
# years with 53 weeks, month ends, leap days, an ordinary Sunday-to-Monday night
ANCHORS = [
    datetime(2024, 3, 31, 1, 0, tzinfo=UTC),    # Berlin: 02:00 CET -> 03:00 CEST
    datetime(2024, 10, 27, 1, 0, tzinfo=UTC),   # Berlin: 03:00 CEST -> 02:00 CET
    datetime(2023, 10, 29, 1, 0, tzinfo=UTC),
    datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
    datetime(2020, 12, 31, 22, 0, tzinfo=UTC),  # 2020 has ISO week 53
    datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
    datetime(2024, 12, 29, 22, 30, tzinfo=UTC),  # Sunday night before ISO 2025-W01 (Mon Dec 30)
    datetime(2025, 6, 1, 17, 0, tzinfo=UTC),     # Sunday 2025-06-01 24:00 in Jakarta
]

# the offsets snapshot manifests may carry (the machine that took them), not the user's zone
OFFSETS = [timezone.utc, timezone(timedelta(hours=7)), timezone(timedelta(hours=1)),
           timezone(timedelta(hours=2)), timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]

offset_seconds = st.one_of(
    st.integers(-3 * 3600, 3 * 3600),                  # around the anchor: several an hour
    st.builds(lambda days, s: days * 86400 + s,         # the same hour of the day around it
              st.integers(-3, 3), st.integers(-5400, 5400)),
    st.integers(-2 * 86400, 2 * 86400),                # several a day
    st.integers(-70 * 86400, 70 * 86400),              # weeks apart
    st.integers(-800 * 86400, 800 * 86400),            # years apart
)


@st.composite
def snapshot_sets(draw, max_size: int = 30):
    anchor = draw(st.sampled_from(ANCHORS))
    offs = draw(st.lists(offset_seconds, min_size=0, max_size=max_size, unique=True))
    n_dbs = draw(st.integers(1, 3))
    sources = [f"/data/toko{i}/kasir.db" for i in range(n_dbs)]
    snaps = []
    for i, off in enumerate(offs):
        t = (anchor + timedelta(seconds=off)).astimezone(draw(st.sampled_from(OFFSETS)))
        kind = draw(st.sampled_from([Kind.SCHEDULED, Kind.MANUAL, Kind.CATCH_UP, Kind.BEFORE_RESTORE]))
        verified = draw(st.sampled_from([True, True, True, False, None]))
        snaps.append(snap(f"{i:04x}" + "a" * 28, t, draw(st.sampled_from(sources)), kind, verified))
    # "now": usually a little after the newest snapshot, so that before-restore ages spread
    # around 30 days; sometimes far later
    newest = max((s.created_at for s in snaps), default=anchor)
    now = newest + draw(st.one_of(st.timedeltas(timedelta(0), timedelta(days=3)),
                                  st.timedeltas(timedelta(days=20), timedelta(days=40)),
                                  st.timedeltas(timedelta(0), timedelta(days=900))))
    # before-restore snapshots whose age is right around 30 days
    for j in range(draw(st.integers(0, 3))):
        br_age = THIRTY_DAYS + timedelta(seconds=draw(st.sampled_from([-86400, -3600, -1, 0, 1, 3600, 86400])))
        snaps.append(snap(f"b{j:03x}" + "b" * 28, (now - br_age).astimezone(draw(st.sampled_from(OFFSETS))),
                          draw(st.sampled_from(sources)), Kind.BEFORE_RESTORE, draw(st.sampled_from([True, False]))))
    # the model needs no tie-break: keep instants distinct within a database
    seen = set()
    unique = []
    for s in snaps:
        key = (s.source_path, s.created_at.timestamp())
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique, now


@st.composite
def dst_window_sets(draw):
    """One database, snapshots within two days of a Berlin DST change, most of them at the
    same time of day (so that "the newest minus N days" lands among them, in the hour that
    is skipped or repeated)."""
    anchor = draw(st.sampled_from(ANCHORS[:4]))
    day_offsets = st.builds(lambda days, s: days * 86400 + s, st.integers(-1, 1), st.integers(-3600, 3600))
    offs = draw(st.lists(st.one_of(day_offsets, st.integers(-2 * 86400, 2 * 86400)),
                         min_size=1, max_size=12, unique=True))
    snaps = [snap(f"{i:04x}" + "d" * 28, (anchor + timedelta(seconds=o)).astimezone(draw(st.sampled_from(OFFSETS))),
                  verified=draw(st.booleans())) for i, o in enumerate(offs)]
    return snaps, anchor + timedelta(days=3)


counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 40))


@st.composite
def durations(draw) -> Duration:
    d = Duration(years=draw(st.sampled_from([0, 0, 0, 1, 2])), months=draw(st.sampled_from([0, 0, 1, 6, 13])),
                 days=draw(st.sampled_from([0, 0, 1, 2, 7, 30])), hours=draw(st.sampled_from([0, 0, 1, 3, 24, 48])))
    assume(d != Duration())
    return d


@st.composite
def policies(draw, within: bool | None = None) -> Policy:
    kw = {f"keep_{r}": draw(counts) for r in RULES}
    if within is None:
        within = draw(st.booleans())
    return Policy(**kw, keep_within=draw(durations()) if within else None)


zones = st.sampled_from([BERLIN, JAKARTA])

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- properties --------------------------------------------------------------------------------------

@SETTINGS
@given(data=snapshot_sets(), policy=policies(within=False), tz=zones)
def test_counted_rules_match_the_model(data, policy, tz):
    """keep-last/hourly/daily/weekly/monthly/yearly with the safety rules, no keep-within."""
    snapshots, now = data
    check_against_model(snapshots, policy, now, tz)


@SETTINGS
@given(data=snapshot_sets(), policy=policies(within=True), tz=zones)
def test_policies_with_keep_within_match_the_model(data, policy, tz):
    snapshots, now = data
    check_against_model(snapshots, policy, now, tz)


@SETTINGS
@given(data=dst_window_sets(),
       within=st.builds(Duration, days=st.sampled_from([0, 1, 2]), hours=st.sampled_from([0, 0, 1, 2, 24, 25]))
       .filter(lambda d: d != Duration()))
def test_keep_within_around_berlin_dst_matches_the_model(data, within):
    snapshots, now = data
    check_against_model(snapshots, Policy(keep_within=within), now, BERLIN)


@SETTINGS
@given(data=snapshot_sets(), policy=policies(), tz=zones)
def test_safety_rules_always_hold(data, policy, tz):
    snapshots, now = data
    kept = {d.snapshot.id for d in decide(snapshots, policy, now, tz) if d.keep}
    for source in {s.source_path for s in snapshots}:
        verified = sorted((s for s in snapshots if s.source_path == source and s.verified),
                          key=lambda s: s.created_at.timestamp(), reverse=True)
        if verified:
            assert verified[0].id in kept, f"the newest verified snapshot of {source} was removed"
    for s in snapshots:
        if s.kind == Kind.BEFORE_RESTORE and age(s, now) < THIRTY_DAYS:
            assert s.id in kept, f"before-restore snapshot {age(s, now)} old was removed"


@SETTINGS
@given(data=snapshot_sets(), tz=zones)
def test_empty_policy_keeps_everything(data, tz):
    snapshots, now = data
    decisions = decide(snapshots, Policy(), now, tz)
    assert len(decisions) == len(snapshots)
    assert all(d.keep and d.reasons for d in decisions)


@SETTINGS
@given(data=snapshot_sets(), policy=policies(), tz=zones)
def test_each_database_is_decided_on_its_own(data, policy, tz):
    """Adding another database's snapshots changes nothing for the first one."""
    snapshots, now = data
    alone = {s.source_path for s in snapshots}
    for source in alone:
        mine = [s for s in snapshots if s.source_path == source]
        together = {d.snapshot.id: (d.keep, sorted(d.reasons)) for d in decide(snapshots, policy, now, tz)
                    if d.snapshot.source_path == source}
        by_itself = {d.snapshot.id: (d.keep, sorted(d.reasons)) for d in decide(mine, policy, now, tz)}
        assert together == by_itself


@SETTINGS
@given(data=snapshot_sets(), policy=policies(), tz=zones)
def test_pruning_twice_removes_nothing_more(data, policy, tz):
    """What a policy keeps, the same policy keeps again (a second prune frees nothing)."""
    snapshots, now = data
    kept = [d.snapshot for d in decide(snapshots, policy, now, tz) if d.keep]
    again = decide(kept, policy, now, tz)
    assert all(d.keep for d in again), [d.snapshot.id for d in again if not d.keep]


# -- examples --------------------------------------------------------------------------------------

def kept_walls(decisions, tz) -> list[str]:
    return sorted(d.snapshot.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") for d in decisions if d.keep)


@pytest.mark.parametrize("tz", [JAKARTA, BERLIN], ids=["Jakarta", "Berlin"])
def test_default_policy_over_a_year_of_nightly_backups(tz):
    """Nightly 23:00 backups through 2024 (366), default policy (last 10, daily 7, weekly 4,
    monthly 12): the last 10 nights (Dec 22–31, which hold the 7 daily ones and the
    newest of ISO weeks 2025-W01, 2024-W52 and W51), the newest of W50 (Sun Dec 15), and
    the last night of Jan–Nov: 10 + 1 + 11 = 22."""
    assert Policy.default() == Policy(keep_last=10, keep_daily=7, keep_weekly=4, keep_monthly=12)
    snaps = []
    day = date(2024, 1, 1)
    while day.year == 2024:
        snaps.append(snap(f"{day:%Y%m%d}" + "0" * 24, datetime(day.year, day.month, day.day, 23, 0, tzinfo=tz)))
        day += timedelta(days=1)
    assert len(snaps) == 366
    decisions = decide(snaps, Policy.default(), datetime(2025, 1, 1, 9, 0, tzinfo=tz), tz)
    expected = ([f"2024-12-{d:02d} 23:00" for d in range(22, 32)] + ["2024-12-15 23:00"]
                + [f"2024-{m:02d}-{last:02d} 23:00" for m, last in
                   [(1, 31), (2, 29), (3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30), (10, 31),
                    (11, 30)]])
    assert kept_walls(decisions, tz) == sorted(expected)
    assert sum(d.keep for d in decisions) == 22
    reasons = {d.snapshot.created_at.astimezone(tz).strftime("%m-%d"): {rule_of_reason(r) for r in d.reasons}
               for d in decisions if d.keep}
    assert reasons["12-31"] == {"last", "daily", "weekly", "monthly", "verified"}
    assert reasons["12-15"] == {"weekly"}
    assert reasons["12-22"] == {"last", "weekly"}
    assert reasons["12-24"] == {"last"}
    assert reasons["11-30"] == {"monthly"}


def test_default_policy_when_the_machine_records_utc():
    """The same nights recorded by a machine whose clock runs in UTC (16:00Z is 23:00 in
    Jakarta): periods follow the user's zone, so the result is the same 22."""
    snaps = []
    day = date(2024, 1, 1)
    while day.year == 2024:
        local = datetime(day.year, day.month, day.day, 23, 0, tzinfo=JAKARTA)
        snaps.append(snap(f"{day:%Y%m%d}" + "0" * 24, local.astimezone(UTC)))
        day += timedelta(days=1)
    decisions = decide(snaps, Policy.default(), datetime(2025, 1, 1, tzinfo=UTC), JAKARTA)
    assert sum(d.keep for d in decisions) == 22
    assert "2024-02-29 23:00" in kept_walls(decisions, JAKARTA)


@pytest.mark.parametrize("tz", [JAKARTA, BERLIN], ids=["Jakarta", "Berlin"])
def test_iso_week_boundary_sunday_night_and_monday_morning(tz):
    sat = snap("sat" + "0" * 29, datetime(2024, 6, 8, 12, 0, tzinfo=tz))
    sun = snap("sun" + "0" * 29, datetime(2024, 6, 9, 23, 0, tzinfo=tz))      # ISO 2024-W23, last day
    mon = snap("mon" + "0" * 29, datetime(2024, 6, 10, 0, 30, tzinfo=tz))     # ISO 2024-W24, first day
    # recorded in UTC by the machine: in UTC both are on Sunday, in tz they are not
    snaps = [sat, dataclasses.replace(sun, created_at=sun.created_at.astimezone(UTC)),
             dataclasses.replace(mon, created_at=mon.created_at.astimezone(UTC))]
    now = datetime(2024, 6, 10, 8, 0, tzinfo=tz)
    one = {d.snapshot.id[:3]: d.keep for d in decide(snaps, Policy(keep_weekly=1), now, tz)}
    assert one == {"mon": True, "sun": False, "sat": False}
    two = {d.snapshot.id[:3]: d.keep for d in decide(snaps, Policy(keep_weekly=2), now, tz)}
    assert two == {"mon": True, "sun": True, "sat": False}
    daily = {d.snapshot.id[:3]: d.keep for d in decide(snaps, Policy(keep_daily=2), now, tz)}
    assert daily == {"mon": True, "sun": True, "sat": False}


def test_iso_week_53_spans_new_year():
    tz = JAKARTA
    thu = snap("thu" + "0" * 29, datetime(2020, 12, 31, 23, 0, tzinfo=tz))   # ISO 2020-W53
    sun = snap("sun" + "0" * 29, datetime(2021, 1, 3, 23, 0, tzinfo=tz))     # ISO 2020-W53 too
    mon = snap("mon" + "0" * 29, datetime(2021, 1, 4, 0, 30, tzinfo=tz))     # ISO 2021-W01
    now = datetime(2021, 1, 5, tzinfo=tz)
    weekly = {d.snapshot.id[:3]: d.keep for d in decide([thu, sun, mon], Policy(keep_weekly=3), now, tz)}
    assert weekly == {"mon": True, "sun": True, "thu": False}
    yearly = {d.snapshot.id[:3]: d.keep for d in decide([thu, sun, mon], Policy(keep_yearly=3), now, tz)}
    assert yearly == {"mon": True, "sun": False, "thu": True}


def test_daily_periods_follow_berlin_wall_clock_across_dst():
    """Around the autumn change Berlin's offset goes +02:00 -> +01:00: 23:30 local on both
    sides of it are two different days, 00:30 local on Monday is a third."""
    tz = BERLIN
    a = snap("a" * 32, datetime(2024, 10, 26, 23, 30, tzinfo=tz))   # +02:00
    b = snap("b" * 32, datetime(2024, 10, 27, 23, 30, tzinfo=tz))   # +01:00
    c = snap("c" * 32, datetime(2024, 10, 28, 0, 30, tzinfo=tz))
    now = datetime(2024, 10, 28, 9, 0, tzinfo=tz)
    kept = {d.snapshot.id[0]: d.keep for d in decide([a, b, c], Policy(keep_daily=3), now, tz)}
    assert kept == {"a": True, "b": True, "c": True}
    kept = {d.snapshot.id[0]: d.keep for d in decide([a, b, c], Policy(keep_daily=2), now, tz)}
    assert kept == {"a": False, "b": True, "c": True}


def test_safety_rules_examples():
    tz = JAKARTA
    now = datetime(2024, 7, 1, 12, 0, tzinfo=tz)
    newest_failed = snap("f" * 32, now - timedelta(hours=1), verified=False)
    good = snap("9" * 32, now - timedelta(days=3), verified=True)
    older = snap("8" * 32, now - timedelta(days=5), verified=True)
    br_young = snap("7" * 32, now - THIRTY_DAYS + timedelta(minutes=1), kind=Kind.BEFORE_RESTORE)
    br_old = snap("6" * 32, now - THIRTY_DAYS - timedelta(minutes=1), kind=Kind.BEFORE_RESTORE)
    got = {d.snapshot.id[0]: (d.keep, [rule_of_reason(r) for r in d.reasons])
           for d in decide([newest_failed, good, older, br_young, br_old], Policy(keep_last=1), now, tz)}
    assert got == {"f": (True, ["last"]), "9": (True, ["verified"]), "8": (False, []),
                   "7": (True, ["before-restore"]), "6": (False, [])}


# -- keep-within ----------------------------------------------------------------------------------

def test_keep_within_is_relative_to_the_newest_snapshot_not_now():
    tz = JAKARTA
    newest = datetime(2024, 3, 31, 20, 0, tzinfo=tz)
    snaps = [snap(f"{i:02d}" + "0" * 30, newest - timedelta(days=i)) for i in range(0, 40)]
    far_future_now = datetime(2030, 1, 1, tzinfo=tz)
    kept = [d for d in decide(snaps, Policy(keep_within=Duration.parse("1m")), far_future_now, tz) if d.keep]
    # Mar 31 20:00 minus one month is Feb 29 20:00 (2024 is a leap year): 31 days back, inclusive
    assert len(kept) == 32
    assert min(d.snapshot.created_at for d in kept) == datetime(2024, 2, 29, 20, 0, tzinfo=tz)


def test_keep_within_never_keeps_an_older_snapshot_and_drops_a_newer_one_at_dst():
    """Berlin, night of 27 Oct 2024: the wall clock runs 02:00–03:00 twice. The newest
    snapshot is at 02:30 on Monday 28 Oct, so "within 1d" starts at 02:30 on Sunday — a wall
    time that happened twice. A snapshot at 02:40 CEST (00:40Z) and one at 02:10 CET
    (01:10Z, half an hour *later*): whichever reading of the limit is taken, the later one
    must be kept if the earlier one is."""
    tz = BERLIN
    newest = snap("n" * 32, datetime(2024, 10, 28, 2, 30, tzinfo=tz))
    earlier = snap("e" * 32, datetime(2024, 10, 27, 0, 40, tzinfo=UTC))   # 02:40 CEST
    later = snap("l" * 32, datetime(2024, 10, 27, 1, 10, tzinfo=UTC))     # 02:10 CET
    assert earlier.created_at < later.created_at
    assert earlier.created_at.astimezone(tz).strftime("%H:%M %Z") == "02:40 CEST"
    assert later.created_at.astimezone(tz).strftime("%H:%M %Z") == "02:10 CET"
    now = datetime(2024, 10, 28, 12, 0, tzinfo=tz)
    kept = {d.snapshot.id[0]: d.keep
            for d in decide([newest, earlier, later], Policy(keep_within=Duration(days=1)), now, tz)}
    assert kept["n"]
    assert not (kept["e"] and not kept["l"]), f"kept the older snapshot, removed the newer one: {kept}"


def test_keep_within_hours_are_elapsed_hours_across_dst():
    """restic: latest.AddDate(-y, -m, -d).Add(-h): hours are real elapsed time. In Berlin,
    24 hours before Sun 27 Oct 2024 12:00 CET (11:00Z) is Sat 11:00Z = 13:00 CEST; a
    snapshot at Sat 12:30 CEST (10:30Z) is 24.5 hours older than the newest."""
    tz = BERLIN
    newest = snap("n" * 32, datetime(2024, 10, 27, 12, 0, tzinfo=tz))
    old = snap("o" * 32, datetime(2024, 10, 26, 12, 30, tzinfo=tz))
    assert newest.created_at.timestamp() - old.created_at.timestamp() == 24.5 * 3600
    now = datetime(2024, 10, 27, 13, 0, tzinfo=tz)
    kept = {d.snapshot.id[0]: d.keep for d in decide([newest, old], Policy(keep_within=Duration(hours=24)), now, tz)}
    assert kept == {"n": True, "o": False}


# -- Duration ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("7d", Duration(days=7)),
    ("2w", Duration(days=14)),
    ("1y6m", Duration(years=1, months=6)),
    ("1y6m12d", Duration(years=1, months=6, days=12)),
    ("36h", Duration(hours=36)),
    ("6m", Duration(months=6)),
    ("1w2d", Duration(days=9)),
])
def test_duration_parse(text, expected):
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["abc", "5x", "", "7", "d", "-1d", "1.5d", "7d abc", "y1"])
def test_duration_parse_rejects(text):
    with pytest.raises(BadDuration) as err:
        Duration.parse(text)
    assert isinstance(err.value, KasirBackupError)
    assert "duration" in str(err.value).lower()


@pytest.mark.parametrize("start, dur, expected", [
    (datetime(2023, 3, 31, 10, 0), Duration(months=1), datetime(2023, 2, 28, 10, 0)),
    (datetime(2024, 3, 31, 10, 0), Duration(months=1), datetime(2024, 2, 29, 10, 0)),
    (datetime(2024, 1, 31, 10, 0), Duration(months=1), datetime(2023, 12, 31, 10, 0)),
    (datetime(2024, 2, 29, 10, 0), Duration(years=1), datetime(2023, 2, 28, 10, 0)),
    (datetime(2024, 5, 31, 10, 0), Duration(months=3), datetime(2024, 2, 29, 10, 0)),
    (datetime(2024, 3, 15, 10, 0), Duration(years=1, months=6), datetime(2022, 9, 15, 10, 0)),
    (datetime(2024, 3, 1, 0, 30), Duration(days=1), datetime(2024, 2, 29, 0, 30)),
    (datetime(2024, 3, 1, 0, 30), Duration(hours=1), datetime(2024, 2, 29, 23, 30)),
])
def test_duration_before_calendar_arithmetic(start, dur, expected):
    assert dur.before(start) == expected


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
       st.integers(0, 30), st.integers(0, 40))
def test_duration_before_months_matches_model(t, years, months):
    d = Duration(years=years, months=months)
    assert d.before(t) == _minus_calendar(t, years, months, 0)
    assert d.before(t) <= t


@pytest.mark.parametrize("text, expected", [
    ("30d", Duration(days=30)), ("30D", Duration(days=30)), ("2w", Duration(days=14)), ("1W3d", Duration(days=10)),
    ("1y6m", Duration(years=1, months=6)), ("1Y6M12H", Duration(years=1, months=6, hours=12)),
    ("1y1y", Duration(years=2)), ("2m1m", Duration(months=3)), ("3d2d", Duration(days=5)), ("5h5h", Duration(hours=10)),
])
def test_duration_units_in_either_case_add_up(text, expected):
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["", "30", "d30", "30 days", "1y 2m", "-3d", "3x"])
def test_bad_duration_is_refused_naming_what_was_given(text):
    with pytest.raises(BadDuration) as err:
        Duration.parse(text)
    assert err.value.message().startswith(f"{text} is not a duration")


def test_a_duration_adds_its_parts_in_any_order():
    """Weeks after days still add up ("3d2w" is 17 days), as do repeated units."""
    assert Duration.parse("3d2w") == Duration(days=17) == Duration.parse("2w3d")
    assert Duration.parse("1y2m1y") == Duration(years=2, months=2)
    assert Duration.parse("5h1d2h") == Duration(days=1, hours=7)


# -- continuous protection: a day of minutely snapshots --------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=15), min_size=50, max_size=1440),
       st.sampled_from([BERLIN, JAKARTA, UTC]))
def test_a_day_of_minutely_snapshots_is_thinned_as_continuous_protection_says(gaps, tz):
    """The rules continuous protection adds (Retention.thin_continuous): all within 2 hours of
    the newest, then the newest of each of the last 48 hours, then daily/weekly/monthly."""
    from kasirbackup.app.settings import Retention

    r = Retention()
    r.thin_continuous()
    policy = r.policy()
    t = datetime(2026, 12, 4, 7, 0, tzinfo=tz)
    snaps = []
    for i, g in enumerate(gaps):
        t += timedelta(minutes=g)
        snaps.append(snap(f"{i:032x}", t, kind=Kind.CONTINUOUS))
    now = t + timedelta(seconds=30)
    kept = {d.snapshot.id for d in decide(snaps, policy, now, tz) if d.keep}
    newest = max(snaps, key=lambda s: s.created_at)
    within = {s.id for s in snaps if newest.created_at - s.created_at <= timedelta(hours=2)}
    assert within <= kept                                      # every snapshot of the last 2 hours
    by_hour: dict = {}
    for s in snaps:
        w = s.created_at.astimezone(tz)
        h = (w.year, w.month, w.day, w.hour)
        if h not in by_hour or s.created_at > by_hour[h].created_at:
            by_hour[h] = s
    hourly = {s.id for h, s in sorted(by_hour.items())[-48:]}
    assert hourly <= kept                                      # the newest of each hour
    # nothing else, but the 10 newest (keep_last) and the daily/weekly/monthly representatives
    others = kept - within - hourly - {s.id for s in sorted(snaps, key=lambda s: s.created_at)[-10:]}
    assert len(others) <= 3, len(others)
    assert len(kept) <= len(within) + 48 + 10 + 3
    note(f"{len(snaps)} snapshots, {len(kept)} kept")


@pytest.mark.parametrize("duration, words", [
    (Duration(), "0 days"), (Duration(days=1), "1 day"), (Duration.parse("2w"), "14 days"),
    (Duration.parse("1y6m12d"), "1 year 6 months 12 days"), (Duration(hours=1), "1 hour"),
])
def test_a_duration_in_words(duration, words):
    assert duration.describe() == words
