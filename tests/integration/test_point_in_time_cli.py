"""``restore --at`` and ``diff --at`` through the real command: the newest checked backup at or
before the moment, on both sides of a snapshot's time, in the machine's time zone and with an
offset from another; refusals in one line."""

from __future__ import annotations

import json
import sqlite3

from tests.support.checks import assert_ok, assert_one_line_error, parse_json_stdout, row_counts
from tests.support.dbgen import simulate_day_of_sales


def _backup(kb, db, repo, when):
    return parse_json_stdout(assert_ok(kb.run("backup", "--db", db, "--repo", repo, "--json", "--time", when)))


def test_restore_and_diff_as_of_a_moment(kb, pos_db, tmp_path):
    kb.env["TZ"] = "Asia/Jakarta"
    repo = tmp_path / "repo"
    morning = _backup(kb, pos_db, repo, "2026-12-04T09:00:00+07:00")
    simulate_day_of_sales(str(pos_db), 7, seed=21)
    noon = _backup(kb, pos_db, repo, "2026-12-04T12:00:00+07:00")
    simulate_day_of_sales(str(pos_db), 4, seed=22)
    counts = {}
    for moment, expect in [("2026-12-04 11:59", morning), ("2026-12-04 12:00", noon),
                           ("2026-12-04 12:00:01", noon), ("2026-12-04T05:30+00:00", noon),
                           ("2026-12-04T04:59:59Z", morning)]:
        out = tmp_path / f"as-of-{len(counts)}.db"
        proc = assert_ok(kb.run("restore", "--repo", repo, "--at", moment, "--to", out, "--json"))
        got = parse_json_stdout(proc)
        assert got["snapshot"] == expect["id"], moment
        counts[moment] = row_counts(out)["transaksi"]
    assert counts["2026-12-04 11:59"] + 7 == counts["2026-12-04 12:00"]
    # said in words without --json
    proc = assert_ok(kb.run("restore", "--repo", repo, "--at", "2026-12-04 10:15", "--to", tmp_path / "w.db"))
    assert f"backup {morning['id'][:8]}" in proc.stdout and "newest checked backup at or before" in proc.stdout
    # diff as of noon: the 4 later sales are only in the database now
    diff = parse_json_stdout(assert_ok(kb.run("diff", "--repo", repo, "--at", "2026-12-04 13:00", "--db", pos_db,
                                              "--json")))
    assert diff["snapshot"] == noon["id"]
    t = next(x for x in diff["tables"] if x["name"] == "transaksi")
    assert t["in_current"] - t["in_snapshot"] == 4


def test_refusals(kb, pos_db, tmp_path):
    kb.env["TZ"] = "Asia/Jakarta"
    repo = tmp_path / "repo"
    _backup(kb, pos_db, repo, "2026-12-04T09:00:00+07:00")
    before = assert_one_line_error(kb.run("restore", "--repo", repo, "--at", "2026-12-04 08:59", "--to",
                                          tmp_path / "x.db"), "no checked backup taken at or before")
    assert "2026-12-04 09:00" in before
    assert_one_line_error(kb.run("restore", "--repo", repo, "--at", "yesterday", "--to", tmp_path / "x.db"),
                          "is not a date and time", "2026-12-04 14:30")
    both = kb.run("restore", "--repo", repo, "--at", "2026-12-04 10:00", "--snapshot", "latest", "--to",
                  tmp_path / "x.db")
    assert both.returncode != 0 and "not allowed with" in both.stderr
    assert not (tmp_path / "x.db").exists()
    # a second database in the same place: --at needs to know which
    other = tmp_path / "koperasi.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE simpanan (id INTEGER PRIMARY KEY, jumlah INTEGER)")
    conn.commit()
    conn.close()
    _backup(kb, other, repo, "2026-12-04T09:30:00+07:00")
    assert_one_line_error(kb.run("restore", "--repo", repo, "--at", "2026-12-04 10:00", "--to", tmp_path / "y.db"),
                          "backups of 2 databases", "--snapshot")
    # into an existing database, the one restored into decides
    proc = assert_ok(kb.run("diff", "--repo", repo, "--at", "2026-12-04 10:00", "--db", pos_db, "--json"))
    assert json.loads(proc.stdout)["snapshot_time"].startswith("2026-12-04 09:00")
