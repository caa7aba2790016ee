"""Why a snapshot is removed (``Decision.why_removed``): every removed snapshot says why no
rule keeps it, and each phrase is true of the snapshots — checked against the decisions
themselves for random sets, and word for word on hand-worked examples."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasirbackup.core.repo.manifest import DatabaseInfo, Kind, Snapshot, Verification
from kasirbackup.core.retention.policy import Duration, Policy, decide

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = timezone.utc
PERIODS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}

_DB = DatabaseInfo(page_size=4096, page_count=1, user_version=0, application_id=0, text_encoding="UTF-8",
                   journal_mode="rollback", schema_fingerprint="")


def snap(sid: str, created: datetime, source: str = "/data/kasir.db", kind: Kind = Kind.SCHEDULED,
         verified: bool | None = True) -> Snapshot:
    return Snapshot(id=sid, created_at=created, kind=kind, label="", tool_version="test", hostname="test",
                    source_path=source, source_name=source.rsplit("/", 1)[-1], database=_DB,
                    image_bytes=4096, image_sha256="", root="00" * 32, segment_pages=128, tables={},
                    added_bytes=0, verification=Verification(ok=verified))


def period(rule: str, s: Snapshot, tz) -> tuple:
    w = s.created_at.astimezone(tz)
    return {"hourly": (w.date(), w.hour), "daily": (w.date(),), "weekly": tuple(w.isocalendar()[:2]),
            "monthly": (w.year, w.month), "yearly": (w.year,)}[rule]


def parse(phrases: list[str]) -> dict:
    """The phrases of ``why_removed`` back into facts (each phrase kind at most once)."""
    out: dict = {}
    for p in phrases:
        if p in ("not the newest backup",) or p.startswith("not one of the "):
            out["last"] = 1 if p == "not the newest backup" else int(p.split()[4])
        elif p.startswith("not the newest of its "):
            words = p[len("not the newest of its "):].replace(" or ", ", ").split(", ")
            out["newer_kept"] = {r for r, w in PERIODS.items() if w in words}
            assert len(out["newer_kept"]) == len(words), p
        elif p.startswith("older than the ") and p.endswith(" kept"):
            body = p[len("older than the "):].rsplit(" ", 2)[0].replace(" and ", ", ")
            out["too_old"] = {rule: int(n) for n, rule in (x.split() for x in body.split(", "))}
        elif p.startswith("more than ") and p.endswith(" older than the newest backup"):
            out["within"] = p
        elif p == "a before-restore backup older than 30 days":
            out["before-restore"] = True
        else:
            raise AssertionError(f"unknown phrase {p!r}")
        assert p not in phrases[phrases.index(p) + 1:], phrases
    return out


def check(snapshots: list[Snapshot], policy: Policy, now: datetime, tz) -> None:
    decisions = decide(snapshots, policy, now, tz)
    for source in {s.source_path for s in snapshots}:
        group = [d for d in decisions if d.snapshot.source_path == source]    # newest first
        for i, d in enumerate(group):
            if d.keep:
                assert d.why_removed == [], d
                continue
            assert d.why_removed, f"{d.snapshot.id} is removed without a reason"
            facts = parse(d.why_removed)
            assert facts.get("last") == (policy.keep_last or None)
            assert i >= policy.keep_last
            counted = {r for r in PERIODS if getattr(policy, f"keep_{r}") > 0}
            assert facts.get("newer_kept", set()) | set(facts.get("too_old", {})) == counted
            assert not facts.get("newer_kept", set()) & set(facts.get("too_old", {}))
            for rule in facts.get("newer_kept", ()):
                # a newer snapshot of the same period is the one the rule keeps
                assert any(rule in e.reasons and period(rule, e.snapshot, tz) == period(rule, d.snapshot, tz)
                           for e in group[:i]), (rule, d.snapshot.created_at)
            for rule, n in facts.get("too_old", {}).items():
                assert n == getattr(policy, f"keep_{rule}")
                kept = [e for e in group if rule in e.reasons]
                assert len(kept) == n and all(group.index(e) < i for e in kept), (rule, d.snapshot.created_at)
            assert ("within" in facts) == bool(policy.keep_within)
            if policy.keep_within:
                assert policy.keep_within.describe() in facts["within"]
                assert d.snapshot.created_utc < policy.keep_within.before(group[0].snapshot.created_at.astimezone(tz))
            assert facts.get("before-restore", False) == (d.snapshot.kind == Kind.BEFORE_RESTORE)
            if d.snapshot.kind == Kind.BEFORE_RESTORE:
                assert now - d.snapshot.created_at >= timedelta(days=30)


@st.composite
def cases(draw):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    offs = draw(st.lists(st.one_of(st.integers(0, 3 * 86400), st.integers(0, 400 * 86400)),
                         min_size=1, max_size=25, unique=True))
    sources = ["/data/a/kasir.db", "/data/b/kasir.db"]
    snaps = [snap(f"{i:04x}" + "0" * 28, start + timedelta(seconds=o), draw(st.sampled_from(sources)),
                  draw(st.sampled_from([Kind.SCHEDULED, Kind.MANUAL, Kind.BEFORE_RESTORE])),
                  draw(st.sampled_from([True, False, None])))
             for i, o in enumerate(offs)]
    counts = st.one_of(st.just(0), st.integers(1, 5))
    policy = Policy(**{f"keep_{r}": draw(counts) for r in ("last", "hourly", "daily", "weekly", "monthly", "yearly")},
                    keep_within=draw(st.sampled_from([None, Duration.parse("2d"), Duration.parse("1m2w"),
                                                      Duration.parse("36h")])))
    now = max(s.created_at for s in snaps) + timedelta(days=draw(st.integers(0, 60)))
    return snaps, policy, now, draw(st.sampled_from([JAKARTA, BERLIN]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_removed_snapshot_says_why_and_it_is_true(case):
    check(*case)


# -- hand-worked examples, word for word ----------------------------------------------------------

def nightly(*walls: str) -> list[Snapshot]:
    return [snap(f"{i:02d}" + "0" * 30, datetime.fromisoformat(w).replace(tzinfo=JAKARTA))
            for i, w in enumerate(walls, 1)]


def why(snaps, policy, now=None) -> dict[str, list[str]]:
    now = now or datetime(2024, 7, 1, tzinfo=JAKARTA)
    return {d.snapshot.id[:2]: d.why_removed for d in decide(snaps, policy, now, JAKARTA) if not d.keep}


def test_phrases_for_a_week_of_backups():
    snaps = nightly("2024-05-20 23:00",   # 01 Mon W21
                    "2024-05-27 23:00",   # 02 Mon W22
                    "2024-06-03 10:00",   # 03 Mon W23
                    "2024-06-03 23:00",   # 04 Mon W23
                    "2024-06-05 23:00",   # 05 Wed
                    "2024-06-06 09:00",   # 06 Thu
                    "2024-06-06 23:00")   # 07 Thu
    got = why(snaps, Policy(keep_last=2, keep_daily=3, keep_weekly=2, keep_within=Duration.parse("2d")))
    assert got == {
        "03": ["not one of the 2 newest", "not the newest of its day or week",
               "more than 2 days older than the newest backup"],
        "01": ["not one of the 2 newest", "older than the 3 daily and 2 weekly backups kept",
               "more than 2 days older than the newest backup"],
    }


def test_phrases_with_single_counts_and_months():
    snaps = nightly("2024-04-30 23:00", "2024-05-30 23:00", "2024-05-31 23:00", "2024-06-01 23:00")
    got = why(snaps, Policy(keep_last=1, keep_monthly=2))
    assert got == {"02": ["not the newest backup", "not the newest of its month"],
                   "01": ["not the newest backup", "older than the 2 monthly backups kept"]}
    got = why(snaps, Policy(keep_daily=1))
    assert got["01"] == ["older than the 1 daily backup kept"]


def test_an_old_before_restore_backup_says_its_30_days_are_over():
    old = snap("br" + "0" * 30, datetime(2024, 5, 1, 10, 0, tzinfo=JAKARTA), kind=Kind.BEFORE_RESTORE)
    young = snap("by" + "0" * 30, datetime(2024, 6, 20, 10, 0, tzinfo=JAKARTA), kind=Kind.BEFORE_RESTORE)
    newest = snap("nn" + "0" * 30, datetime(2024, 6, 30, 23, 0, tzinfo=JAKARTA))
    got = why([old, young, newest], Policy(keep_last=1))
    assert got == {"br": ["not the newest backup", "a before-restore backup older than 30 days"]}


def test_durations_in_words():
    assert Duration.parse("1y6m12d").describe() == "1 year 6 months 12 days"
    assert Duration.parse("2w").describe() == "14 days"
    assert Duration.parse("1d1h").describe() == "1 day 1 hour"
