"""Every operation of the real command line lands in the run history, not only backups:
restore to a new file and into the database, undo, export, import, verify (restore drill and
read-back) and prune — each with what it did — while ``history`` without ``--all`` and the
status still see the backup runs only."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from kasirbackup.app.history import History, OpKind, Result
from tests.support.checks import assert_ok, describe, parse_json_stdout


@pytest.fixture
def kbp(kb, tmp_path):
    """The command line with private settings and history (kbhelpers.make_kb puts them in the test)."""
    assert kb.env["KASIRBACKUP_DATA_DIR"].startswith(str(tmp_path))
    return kb


def history_json(kb, *extra) -> list[dict]:
    return parse_json_stdout(assert_ok(kb.run("history", "--json", *extra)))


def test_cli_operations_are_recorded(kbp, pos_db, tmp_path):
    repo = tmp_path / "usb" / "kasir"
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", repo))
    assert_ok(kbp.run("run", "--profile", "toko"))
    snap = parse_json_stdout(assert_ok(kbp.run("list", "--repo", repo, "--json")))[0]
    before = datetime.now(timezone.utc) - timedelta(seconds=2)

    copy = tmp_path / "copy.db"
    assert_ok(kbp.run("restore", "--repo", repo, "--snapshot", "latest", "--to", copy))
    conn = sqlite3.connect(pos_db)
    conn.execute("DELETE FROM transaksi_detail WHERE id <= 3")
    conn.commit()
    conn.close()
    assert_ok(kbp.run("restore", "--repo", repo, "--snapshot", snap["id"][:8], "--to", pos_db, "--yes"))
    assert_ok(kbp.run("undo", "--db", pos_db, "--repo", repo))
    out = tmp_path / "kasir.json"
    assert_ok(kbp.run("export", "--db", pos_db, "--format", "json", "--out", out))
    assert_ok(kbp.run("import", "--db", pos_db, "--from", out, "--yes"))
    assert_ok(kbp.run("verify", "--repo", repo))
    assert_ok(kbp.run("verify", "--repo", repo, "--read-data-subset", "100%"))
    assert_ok(kbp.run("prune", "--repo", repo, "--keep-last", "1", "--dry-run"))     # changes nothing: not recorded
    assert_ok(kbp.run("prune", "--repo", repo, "--keep-last", "1"))
    failed = kbp.run("restore", "--repo", repo, "--snapshot", "latest", "--to", tmp_path / "gone" / "x.db",
                     "--mode", "merge")
    assert failed.returncode != 0, describe(failed)       # refused before any change: not an operation
    after = datetime.now(timezone.utc) + timedelta(seconds=2)

    entries = history_json(kbp, "--all")
    ops = [e for e in entries if e["kind"] != "backup"]
    assert [e["kind"] for e in reversed(ops)] == ["restore-file", "restore", "undo", "export", "import", "check",
                                                  "check", "prune"], entries
    assert [e["kind"] for e in entries].count("backup") == 1
    for e in ops:
        assert e["result"] == "success" and e["origin"] == "cli" and e["profile"] == "toko", e
        assert before <= datetime.fromisoformat(e["started_at"]) <= datetime.fromisoformat(e["ended_at"]) <= after
    by_kind = {e["kind"]: e for e in ops}      # the newest of each kind
    assert by_kind["restore-file"]["target"] == str(copy) and by_kind["restore-file"]["snapshot_id"] == snap["id"]
    restore = by_kind["restore"]
    assert restore["database"] == str(pos_db) and restore["mode"] == "replace" and restore["safety_id"]
    assert by_kind["undo"]["snapshot_id"] == restore["safety_id"] and by_kind["undo"]["mode"] == "restore"
    assert by_kind["export"]["target"] == str(out) and by_kind["export"]["rows"] > 100
    assert by_kind["import"]["source"] == str(out) and by_kind["import"]["mode"] == "merge"
    drill, data = [e for e in ops if e["kind"] == "check"][::-1]
    assert drill["mode"] == "drill" and drill["checked"] == 4 and "damaged" not in drill   # backup + 3 safety
    assert data["mode"] == "data" and data["read"] >= 1
    # --keep-last 1 of 4: the three safety backups are kept 30 days whatever the rules say
    assert by_kind["prune"]["removed"] == 1 and by_kind["prune"]["checked"] == 4

    text = assert_ok(kbp.run("history", "--all")).stdout
    assert f"restored backup {snap['id'][:8]}" in text and "checked 4 backups" in text and "all restore" in text

    # without --all: the backup runs only, as before
    runs = history_json(kbp)
    assert len(runs) == 1 and runs[0]["result"] == "success" and "kind" not in runs[0]
    listed = parse_json_stdout(assert_ok(kbp.run("profile", "list", "--json")))
    assert listed[0]["last_success"]


def test_a_failed_operation_is_recorded_with_its_reason(kbp, pos_db, tmp_path):
    repo = tmp_path / "repo"
    assert_ok(kbp.run("backup", "--db", pos_db, "--repo", repo))
    proc = kbp.run("restore", "--repo", repo, "--snapshot", "latest", "--to", tmp_path, "--yes")
    assert proc.returncode != 0
    history = History(tmp_path / "_data" / "history.db")
    try:
        ops = history.operations()
    finally:
        history.close()
    assert ops, describe(proc)
    assert (ops[0].kind, ops[0].result) == (OpKind.RESTORE_FILE, Result.FAILED)
    assert ops[0].message and ops[0].message.splitlines()[0] in proc.stderr
