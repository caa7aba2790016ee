"""Snapshot manifests (kasirbackup.core.repo.manifest): a manifest reads back exactly as it
was written, and a damaged one is rejected with the errors the repository expects
(ValueError / KeyError / TypeError / UnicodeDecodeError, which it reports as a damaged
manifest) — never another exception."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kasirbackup.core.repo.manifest import MANIFEST_VERSION, DatabaseInfo, Kind, Snapshot, Verification

WIB = timezone(timedelta(hours=7), "WIB")
DAMAGED_MANIFEST_ERRORS = (ValueError, KeyError, TypeError, UnicodeDecodeError)


def make_snapshot(**over) -> Snapshot:
    fields = dict(
        id="0f" * 16,
        created_at=datetime(2025, 2, 8, 23, 34, 49, tzinfo=WIB),
        kind=Kind.SCHEDULED,
        label="tutup buku — Februari ✅",
        tool_version="0.1.0",
        hostname="KASIR-PC",
        source_path="C:\\Toko Makmur\\data\\kasir.db",
        source_name="kasir.db",
        database=DatabaseInfo(page_size=4096, page_count=74, user_version=7, application_id=0x4B415352,
                              text_encoding="UTF-8", journal_mode="rollback", schema_fingerprint="ab" * 32,
                              first_rows={"produk": "cd" * 16}),
        image_bytes=74 * 4096,
        image_sha256="12" * 32,
        root="34" * 32,
        segment_pages=128,
        tables={"produk": 50, "data pelanggan": 12, 'catatan "khusus"': 3, "transaksi_ü": 0, "catatan_fts": None},
        added_bytes=115_459,
        capture={"method": "pages", "passes": 1, "max_lock_ms": 0.2},
        verification=Verification(ok=True, at="2025-02-08T16:35:00+00:00", detail="74 pages match",
                                  integrity="quick_check", duration_s=0.01),
    )
    fields.update(over)
    return Snapshot(**fields)


def test_round_trip_is_exact():
    snap = make_snapshot()
    back = Snapshot.loads(snap.dumps())
    assert back == snap
    assert back.created_at.utcoffset() == timedelta(hours=7)        # the local offset is kept
    assert back.created_at == datetime(2025, 2, 8, 23, 34, 49, tzinfo=WIB)
    assert back.kind is Kind.SCHEDULED
    assert back.dumps() == snap.dumps()                               # stable bytes


def test_json_has_utc_and_local_time_and_format_version():
    d = json.loads(make_snapshot().dumps())
    assert d["format"] == MANIFEST_VERSION
    assert d["created_at"].startswith("2025-02-08T23:34:49") and d["created_at"].endswith("+07:00")
    assert d["created_utc"].startswith("2025-02-08T16:34:49") and d["created_utc"].endswith("Z")
    assert datetime.fromisoformat(d["created_at"]) == datetime.fromisoformat(d["created_utc"].replace("Z", "+00:00"))
    assert d["kind"] == "scheduled"


def test_sub_second_order_survives_the_round_trip():
    """Two backups 0.2 s apart must still sort in the right order once read back."""
    t = datetime(2025, 2, 8, 23, 34, 49, 100_000, tzinfo=WIB)
    a = Snapshot.loads(make_snapshot(id="aa" * 16, created_at=t).dumps())
    b = Snapshot.loads(make_snapshot(id="bb" * 16, created_at=t + timedelta(milliseconds=200)).dumps())
    assert a.created_utc < b.created_utc


@pytest.mark.parametrize("ok", [True, False, None])
def test_verification_state_round_trips(ok):
    snap = make_snapshot(verification=Verification(ok=ok))
    back = Snapshot.loads(snap.dumps())
    assert back.verification.ok is ok
    assert back.verified is bool(ok)


def test_summary_json_has_the_list_contract_fields():
    s = make_snapshot().summary_json()
    assert s["id"] == "0f" * 16
    assert datetime.fromisoformat(s["created_at"]) == datetime(2025, 2, 8, 23, 34, 49, tzinfo=WIB)
    assert s["created_at"].endswith("+07:00")
    assert s["kind"] == "scheduled"
    assert s["label"] == "tutup buku — Februari ✅"
    assert s["db_bytes"] == 74 * 4096
    assert s["added_bytes"] == 115_459
    assert s["tables"]["data pelanggan"] == 12
    assert s["sha256"] == "12" * 32
    assert s["verified"] is True
    json.dumps(s)                                                     # serialisable as is


names = st.text(min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(label=st.text(max_size=200), tables=st.dictionaries(names, st.one_of(st.none(), st.integers(0, 2**63 - 1)),
                                                           max_size=10),
       minutes=st.integers(-12 * 60, 14 * 60), ts=st.integers(0, 4_102_444_800))
def test_round_trip_any_label_tables_and_offset(label, tables, minutes, ts):
    tz = timezone(timedelta(minutes=minutes))
    created = datetime.fromtimestamp(ts, tz).replace(microsecond=0)
    snap = make_snapshot(label=label, tables=tables, created_at=created)
    back = Snapshot.loads(snap.dumps())
    assert back == snap
    assert back.created_at.utcoffset() == created.utcoffset()


def _mutated(mutate) -> bytes:
    d = json.loads(make_snapshot().dumps())
    mutate(d)
    return json.dumps(d).encode()


DAMAGED = {
    "not-json": b'{"id": "0f0f',
    "not-utf8": b"\xff\xfe\x00garbage",
    "a-list": b"[1, 2, 3]",
    "null": b"null",
    "other-format-version": _mutated(lambda d: d.update(format=99)),
    "no-format": _mutated(lambda d: d.pop("format")),
    "naive-time": _mutated(lambda d: d.update(created_at="2025-02-08T23:34:49")),
    "time-not-a-string": _mutated(lambda d: d.update(created_at=1739032489)),
    "unknown-kind": _mutated(lambda d: d.update(kind="weekly-ish")),
    "missing-root": _mutated(lambda d: d.pop("root")),
    "database-missing-field": _mutated(lambda d: d["database"].pop("page_size")),
    "database-unknown-field": _mutated(lambda d: d["database"].update(colour="red")),
    "image-bytes-text": _mutated(lambda d: d.update(image_bytes="banyak")),
    "tables-count-text": _mutated(lambda d: d.update(tables={"produk": "lima puluh"})),
    "verification-a-string": _mutated(lambda d: d.update(verification="ok")),
    "tables-a-list": _mutated(lambda d: d.update(tables=["produk", 50])),
    "database-a-list": _mutated(lambda d: d.update(database=[4096, 74])),
    "capture-a-string": _mutated(lambda d: d.update(capture="pages")),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_manifest_is_rejected_cleanly(case):
    with pytest.raises(DAMAGED_MANIFEST_ERRORS):
        Snapshot.loads(DAMAGED[case])
