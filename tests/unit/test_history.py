"""The run history beyond backups (kasirbackup.app.history, app/oplog.py): restores, undos,
imports, exports, checks and prunes are stored as typed records next to the backup runs, an
older history file still opens, and nothing but a backup run ever counts as one for the
scheduler and the status banner."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kasirbackup.app import oplog
from kasirbackup.app.history import History, Operation, OpKind, Origin, Result, Run, Trigger
from kasirbackup.app.settings import Profile, Schedule, Settings
from kasirbackup.app.status import Level, Reason, profile_status
from kasirbackup.core.errors import Cancelled, KasirBackupError

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 12, 4, 16, 32, tzinfo=WIB)


@pytest.fixture
def history(tmp_path):
    h = History(tmp_path / "history.db")
    yield h
    h.close()


def backup_run(history, at, result=Result.SUCCESS, message="backup abcd1234 verified"):
    rid = history.start("Toko", Trigger.SCHEDULED, at)
    history.finish(rid, result, at + timedelta(seconds=5), message, 1000, "abcd1234")
    return rid


def test_operations_are_stored_typed_and_listed_with_the_runs(history):
    backup_run(history, T0)
    restore = Operation(OpKind.RESTORE, T0 + timedelta(hours=1), T0 + timedelta(hours=1, seconds=9),
                        origin=Origin.CLI, profile="Toko", database="/shop/kasir.db", repo="/usb/kasir",
                        snapshot_id="abcd1234" * 8, snapshot_time=T0, mode="tables", tables=2,
                        safety_id="feed" * 16)
    history.record(restore)
    assert restore.id > 0
    history.record(Operation(OpKind.CHECK, T0 + timedelta(hours=2), T0 + timedelta(hours=2, minutes=1),
                             Result.FAILED, profile="Toko", repo="/usb/kasir", mode="drill", checked=14, damaged=1,
                             message="backup 0badc0de damaged"))
    history.record(Operation(OpKind.EXPORT, T0 - timedelta(hours=1), T0 - timedelta(minutes=59), profile="Gudang",
                             database="/g/gudang.db", target="/out/g.xlsx", mode="xlsx", tables=3, rows=1200))

    got = history.entries()
    assert [(type(e).__name__, getattr(e, "kind", None)) for e in got] == [
        ("Operation", OpKind.CHECK), ("Operation", OpKind.RESTORE), ("Run", None), ("Operation", OpKind.EXPORT)]
    back = got[1]
    assert back == restore                                   # every field as it was written
    assert back.snapshot_time == T0 and back.origin == Origin.CLI and back.duration_s == 9
    assert got[0].result == Result.FAILED and (got[0].checked, got[0].damaged) == (14, 1)
    assert [e.kind for e in history.entries("Gudang")] == [OpKind.EXPORT]
    assert [e.kind for e in history.operations("Toko")] == [OpKind.CHECK, OpKind.RESTORE]
    assert history.entries(limit=2) == got[:2]
    as_json = back.to_json()
    assert as_json["kind"] == "restore" and as_json["tables"] == 2 and as_json["origin"] == "cli"
    assert as_json["snapshot_time"] == T0.isoformat(timespec="seconds")


def test_only_backup_runs_count_for_the_scheduler_and_the_banner(history):
    """A check that found damage, a failed restore or a successful export must neither make the
    banner red nor count as the backup the schedule asked for."""
    prof = Profile("Toko", "/shop/kasir.db", ["/usb/kasir"], schedule=Schedule("daily", "21:00"))
    now = datetime(2026, 12, 5, 10, 0, tzinfo=WIB)
    for i, (kind, result) in enumerate([(OpKind.CHECK, Result.FAILED), (OpKind.RESTORE, Result.FAILED),
                                        (OpKind.EXPORT, Result.SUCCESS), (OpKind.PRUNE, Result.SUCCESS)]):
        at = datetime(2026, 12, 4, 22, i, tzinfo=WIB)
        history.record(Operation(kind, at, at + timedelta(seconds=1), result, profile="Toko"))

    # before any backup run: still "never", not protected by an export
    assert history.last_success("Toko") is None and history.attempts("Toko") == []
    assert history.last_attempt("Toko") is None and history.failures_since("Toko", None) == []
    st = profile_status(prof, history, now, WIB)
    assert (st.level, st.reason) == (Level.ERROR, Reason.NEVER)

    backup_run(history, datetime(2026, 12, 4, 21, 0, tzinfo=WIB))
    assert [type(r) for r in history.attempts("Toko")] == [Run]
    assert history.last_success("Toko").snapshot_id == "abcd1234"
    assert history.last_attempt("Toko").started_at == datetime(2026, 12, 4, 21, 0, tzinfo=WIB)
    assert history.failures_since("Toko", None) == []
    assert [r.trigger for r in history.runs("Toko")] == [Trigger.SCHEDULED]
    st = profile_status(prof, history, now, WIB)          # the failed check and restore after it change nothing
    assert (st.level, st.reason) == (Level.OK, Reason.PROTECTED)
    assert len(history.entries("Toko")) == 5


def test_an_older_history_file_opens_and_gets_the_new_table(tmp_path):
    path = tmp_path / "history.db"
    conn = sqlite3.connect(path)             # the file as the previous version wrote it
    conn.executescript("""
        CREATE TABLE runs (id INTEGER PRIMARY KEY, profile TEXT NOT NULL, trigger TEXT NOT NULL,
            started_at TEXT NOT NULL, ended_at TEXT, result TEXT NOT NULL,
            bytes_added INTEGER NOT NULL DEFAULT 0, snapshot_id TEXT NOT NULL DEFAULT '',
            message TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL DEFAULT 0);
        INSERT INTO runs(profile, trigger, started_at, ended_at, result, bytes_added, snapshot_id, message)
            VALUES ('Toko', 'scheduled', '2026-12-04T14:00:00.000+00:00', '2026-12-04T14:00:05.000+00:00',
                    'success', 4096, 'abcd1234', 'backup abcd1234 verified');
    """)
    conn.commit()
    conn.close()

    h = History(path)
    try:
        assert [(r.profile, r.result, r.bytes_added) for r in h.runs()] == [("Toko", Result.SUCCESS, 4096)]
        assert h.operations() == []
        later = T0 + timedelta(days=1)
        h.record(Operation(OpKind.UNDO, later, later, profile="Toko", mode="import"))
        assert [type(e).__name__ for e in h.entries()] == ["Operation", "Run"]
    finally:
        h.close()


def test_rows_written_by_a_newer_version_are_left_out(history):
    history.record(Operation(OpKind.IMPORT, T0, T0, profile="Toko", inserted=5))
    history._exec("INSERT INTO operations(kind, started_at, result, details) VALUES ('teleport', ?, 'success', '{}')",
                  (T0.isoformat(),))
    history._exec("INSERT INTO operations(kind, started_at, result, origin, details) "
                  "VALUES ('export', ?, 'success', 'robot', '{\"rows\": \"many\", \"new_field\": 1, \"tables\": 2}')",
                  (T0.isoformat(),))
    history._exec("INSERT INTO operations(kind, started_at, result, details) VALUES ('check', ?, 'success', 'oops')",
                  (T0.isoformat(),))
    got = history.operations()
    assert sorted(op.kind.value for op in got) == ["check", "export", "import"]
    export = next(op for op in got if op.kind == OpKind.EXPORT)
    assert (export.rows, export.tables, export.origin) == (0, 2, Origin.APP)    # unreadable parts: defaults


def test_forget_runs_removes_only_the_newer_runs_of_that_profile(history):
    backup_run(history, T0 - timedelta(days=3))
    backup_run(history, T0 + timedelta(minutes=1), Result.CANCELLED)
    rid = history.start("Gudang", Trigger.MANUAL, T0 + timedelta(minutes=2))
    history.finish(rid, Result.SUCCESS, T0 + timedelta(minutes=3))
    assert history.forget_runs("Toko", T0) == 1
    assert [(r.profile, r.started_at) for r in history.runs()] == [
        ("Gudang", T0 + timedelta(minutes=2)), ("Toko", T0 - timedelta(days=3))]


class Boom(KasirBackupError):
    code = "boom"
    template = "The database {path} is in use by another program."
    hint = ""


def test_recording_success_failure_and_cancel(history):
    sink = oplog.history_writer(history, Settings(profiles=[Profile("Toko", "/shop/kasir.db", ["/usb/kasir"])]))
    with oplog.recording(OpKind.PRUNE, sink, Origin.CLI, repo="/usb/kasir") as op:
        op.removed, op.checked = 3, 10
    with pytest.raises(Boom):
        with oplog.recording(OpKind.RESTORE, sink, database="/shop/kasir.db"):
            raise Boom(path="/shop/kasir.db")
    with pytest.raises(Cancelled):
        with oplog.recording(OpKind.IMPORT, sink, database="/shop/kasir.db"):
            raise Cancelled()
    with oplog.recording(OpKind.EXPORT, None, database="/shop/kasir.db"):   # no sink: nothing recorded
        pass

    failed, pruned = history.operations()
    assert (pruned.kind, pruned.result, pruned.profile, pruned.origin) == (OpKind.PRUNE, Result.SUCCESS, "Toko",
                                                                           Origin.CLI)
    assert pruned.ended_at is not None and pruned.ended_at >= pruned.started_at
    assert (failed.kind, failed.result, failed.profile) == (OpKind.RESTORE, Result.FAILED, "Toko")
    assert failed.message == "The database /shop/kasir.db is in use by another program."
    assert oplog.describe(pruned) == "removed 3 of 10 backups in /usb/kasir (0 bytes freed)"
    assert oplog.describe(failed).startswith("restore failed: The database")


def test_a_history_that_cannot_be_written_never_fails_the_work(history, caplog):
    def broken(op):
        raise OSError(28, "No space left on device")

    with oplog.recording(OpKind.EXPORT, broken) as op:
        op.rows = 5
    assert op.rows == 5 and history.operations() == []
    assert "could not record the export" in caplog.text
