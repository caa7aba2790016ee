"""Point in time (core/repo/pointintime.py): which snapshot "as of 14:30" is."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from kasirbackup.core.repo.manifest import DatabaseInfo, Kind, Snapshot, Verification
from kasirbackup.core.repo.pointintime import (AmbiguousMoment, BadMoment, NothingAtMoment, parse_moment,
                                              snapshot_at)

JKT = ZoneInfo("Asia/Jakarta")            # +07:00
BERLIN = ZoneInfo("Europe/Berlin")


def snap(n: int, at: datetime, ok=True, source="/toko/kasir.db") -> Snapshot:
    return Snapshot(id=f"{n:032x}", created_at=at, kind=Kind.CONTINUOUS, label="", tool_version="t", hostname="h",
                    source_path=source, source_name=source.rsplit("/", 1)[-1],
                    database=DatabaseInfo(4096, 1, 0, 0, "utf-8", "rollback", ""), image_bytes=4096,
                    image_sha256="", root="0" * 64, segment_pages=128, tables={}, added_bytes=0,
                    verification=Verification(ok=ok))


def test_parse_local_and_offset_forms():
    assert parse_moment("2026-12-04 14:30", JKT) == datetime(2026, 12, 4, 14, 30, tzinfo=JKT)
    assert parse_moment("2026-12-04T14:30:15", JKT) == datetime(2026, 12, 4, 14, 30, 15, tzinfo=JKT)
    assert parse_moment(" 2026-12-04 9:05 ", JKT) == datetime(2026, 12, 4, 9, 5, tzinfo=JKT)
    at = parse_moment("2026-12-04T14:30+01:00", JKT)
    assert at.utcoffset() == timedelta(hours=1) and at.astimezone(JKT).hour == 20
    assert parse_moment("2026-12-04T07:30Z", JKT).astimezone(JKT).hour == 14


@pytest.mark.parametrize("text", ["", "14:30", "2026-12-04", "kemarin", "2026-13-04 14:30", "2026-12-04 25:00"])
def test_bad_moments_are_refused_in_one_line(text):
    with pytest.raises(BadMoment) as e:
        parse_moment(text, JKT)
    assert "\n" not in e.value.message() and "2026-12-04 14:30" in e.value.message()


def test_daylight_saving_times():
    # 02:30 on the spring-forward day does not exist in Berlin: the instant an hour later on the clock
    gap = parse_moment("2026-03-29 02:30", BERLIN)
    assert gap.astimezone(timezone.utc) == datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    # 02:30 on the fall-back day happens twice: the first
    twice = parse_moment("2026-10-25 02:30", BERLIN)
    assert twice.astimezone(timezone.utc) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)


def test_newest_checked_at_or_before_on_both_sides_of_a_snapshot():
    t = datetime(2026, 12, 4, 14, 30, tzinfo=JKT)
    snaps = [snap(1, t - timedelta(minutes=2)), snap(2, t), snap(3, t + timedelta(minutes=1))]
    assert snapshot_at(snaps, t).id == snaps[1].id                               # at: that one
    assert snapshot_at(snaps, t - timedelta(seconds=1)).id == snaps[0].id        # just before: the one before
    assert snapshot_at(snaps, t + timedelta(seconds=59)).id == snaps[1].id
    assert snapshot_at(snaps, t + timedelta(days=3)).id == snaps[2].id
    with pytest.raises(NothingAtMoment) as e:
        snapshot_at(snaps, t - timedelta(minutes=3))
    assert "14:28" in e.value.message()


def test_snapshots_taken_in_another_time_zone_are_placed_where_they_happened():
    # a laptop in Berlin took one at 08:40 Berlin time = 14:40 Jakarta
    berlin = snap(1, datetime(2026, 12, 4, 8, 40, tzinfo=BERLIN))
    jakarta = snap(2, datetime(2026, 12, 4, 14, 35, tzinfo=JKT))
    assert snapshot_at([berlin, jakarta], parse_moment("2026-12-04 14:38", JKT)).id == jakarta.id
    assert snapshot_at([berlin, jakarta], parse_moment("2026-12-04 14:41", JKT)).id == berlin.id
    assert snapshot_at([berlin, jakarta], parse_moment("2026-12-04T08:41+01:00", JKT)).id == berlin.id


def test_failed_and_unchecked_snapshots_are_never_chosen():
    t = datetime(2026, 12, 4, 14, 30, tzinfo=JKT)
    good = snap(1, t - timedelta(minutes=5))
    failed = snap(2, t - timedelta(minutes=2), ok=False)
    unchecked = snap(3, t - timedelta(minutes=1), ok=None)
    assert snapshot_at([good, failed, unchecked], t).id == good.id


def test_two_databases_in_one_place():
    t = datetime(2026, 12, 4, 14, 30, tzinfo=JKT)
    a = snap(1, t - timedelta(minutes=1), source="/toko/kasir.db")
    b = snap(2, t - timedelta(seconds=10), source="/koperasi/simpan.db")
    with pytest.raises(AmbiguousMoment) as e:
        snapshot_at([a, b], t)
    assert "kasir.db" in e.value.message() and "simpan.db" in e.value.message()
    assert snapshot_at([a, b], t, source="/toko/kasir.db").id == a.id
    assert snapshot_at([a, b], t, source="/koperasi/simpan.db").id == b.id


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40, unique=True),
       st.integers(min_value=-100, max_value=10_100), st.lists(st.booleans(), min_size=40, max_size=40))
def test_the_choice_is_the_newest_checked_not_after(offsets, at, oks):
    base = datetime(2026, 12, 4, 8, 0, tzinfo=timezone.utc)
    snaps = [snap(i, base + timedelta(seconds=o), ok=oks[i]) for i, o in enumerate(offsets)]
    moment = base + timedelta(seconds=at)
    eligible = [s for s in snaps if s.verification.ok and s.created_at <= moment]
    if not eligible:
        with pytest.raises(NothingAtMoment):
            snapshot_at(snaps, moment)
        return
    got = snapshot_at(snaps, moment)
    assert got.created_at == max(s.created_at for s in eligible) and got.verification.ok
