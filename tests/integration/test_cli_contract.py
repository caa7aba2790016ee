"""The command-line contract of PRODUCT.md ("Command line (contract)"), checked through
the real command (``python -m kasirbackup`` in a subprocess) against real SQLite files."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.support.checks import (assert_ok, assert_one_line_error, describe, integrity_check,
                                  parse_json_stdout, row_counts, sha256_file)
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


def backup_json(kb, db, repo, *extra) -> dict:
    proc = assert_ok(kb.run("backup", "--db", db, "--repo", repo, "--json", *extra))
    assert proc.stderr == "", describe(proc)
    return parse_json_stdout(proc)


def list_json(kb, repo) -> list[dict]:
    proc = assert_ok(kb.run("list", "--repo", repo, "--json"))
    assert proc.stderr == "", describe(proc)
    items = parse_json_stdout(proc)
    assert isinstance(items, list)
    return items


# -- creating a repository ------------------------------------------------------------------

def test_backup_into_missing_folder_creates_repository(kb, pos_db, repo_dir):
    assert not repo_dir.parent.exists()
    proc = assert_ok(kb.run("backup", "--db", pos_db, "--repo", repo_dir))
    assert repo_dir.is_dir()
    assert "verified" in proc.stdout
    items = list_json(kb, repo_dir)
    assert len(items) == 1 and items[0]["verified"] is True


def test_backup_into_empty_folder_creates_repository(kb, pos_db, repo_dir):
    repo_dir.mkdir(parents=True)
    assert_ok(kb.run("backup", "--db", pos_db, "--repo", repo_dir))
    items = list_json(kb, repo_dir)
    assert len(items) == 1 and items[0]["verified"] is True
    # and the repository keeps working: a second backup goes into the same one
    assert_ok(kb.run("backup", "--db", pos_db, "--repo", repo_dir))
    assert len(list_json(kb, repo_dir)) == 2


def test_list_on_empty_repository(kb, pos_db, repo_dir):
    assert_ok(kb.run("init", "--repo", repo_dir))
    assert list_json(kb, repo_dir) == []
    proc = assert_ok(kb.run("list", "--repo", repo_dir))
    assert proc.stdout.strip()          # says something ("No backups yet."), not silence


# -- list --json -------------------------------------------------------------------------------

def test_list_json_items_follow_the_contract(kb, pos_db, repo_dir):
    # (an older --time keeps the two apart even on a fast machine; backups made within
    # the same second are the subject of test_backups_within_one_second_keep_their_order)
    first = backup_json(kb, pos_db, repo_dir, "--label", "sebelum tutup toko", "--time", "2025-02-08T21:00:00+07:00")
    simulate_day_of_sales(str(pos_db), 5)
    second = backup_json(kb, pos_db, repo_dir)
    items = list_json(kb, repo_dir)

    assert [i["id"] for i in items] == [second["id"], first["id"]]       # newest first
    counts = row_counts(pos_db)
    for item in items:
        for key, typ in (("id", str), ("created_at", str), ("kind", str), ("label", str),
                         ("db_bytes", int), ("added_bytes", int), ("tables", dict), ("sha256", str),
                         ("verified", bool)):
            assert key in item, f"list --json item lacks {key!r}: {item}"
            assert isinstance(item[key], typ), f"{key} = {item[key]!r} is not {typ.__name__}"
        assert ISO_WITH_OFFSET.match(item["created_at"]), item["created_at"]
        assert datetime.fromisoformat(item["created_at"].replace("Z", "+00:00")).tzinfo is not None
        assert item["kind"] == "manual"
        assert re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
        assert item["verified"] is True
        assert item["db_bytes"] > 0 and item["db_bytes"] % 512 == 0
        assert item["added_bytes"] > 0
        assert all(isinstance(v, int) for v in item["tables"].values())
    assert items[0]["tables"] == counts          # the newest backup has today's row counts
    assert items[0]["db_bytes"] == pos_db.stat().st_size
    assert items[0]["sha256"] == sha256_file(pos_db)
    assert items[1]["tables"]["transaksi"] == counts["transaksi"] - 5
    assert items[1]["label"] == "sebelum tutup toko" and items[0]["label"] == ""
    # the JSON printed by backup is the same item
    for key in ("id", "created_at", "kind", "label", "db_bytes", "added_bytes", "tables", "sha256", "verified"):
        assert second[key] == items[0][key]


def test_label_is_shown_in_the_plain_list(kb, pos_db, repo_dir):
    assert_ok(kb.run("backup", "--db", pos_db, "--repo", repo_dir, "--label", "akhir bulan Februari"))
    proc = assert_ok(kb.run("list", "--repo", repo_dir))
    assert "akhir bulan Februari" in proc.stdout


def test_time_option_is_recorded_as_created_at(kb, pos_db, repo_dir):
    # The machine runs in Indonesia (WIB, UTC+7): the time is recorded exactly as given.
    kb.env["TZ"] = "WIB-7"
    snap = backup_json(kb, pos_db, repo_dir, "--time", "2025-02-08T23:34:49+07:00")
    for shown in (snap["created_at"], list_json(kb, repo_dir)[0]["created_at"]):
        assert ISO_WITH_OFFSET.match(shown), shown
        assert shown.startswith("2025-02-08T23:34:49"), shown          # the shop's own clock time
        when = datetime.fromisoformat(shown)
        assert when == datetime.fromisoformat("2025-02-08T23:34:49+07:00")
        assert when.utcoffset() == timedelta(hours=7)


def test_time_option_keeps_the_moment_on_a_machine_in_another_zone(kb, pos_db, repo_dir):
    kb.env["TZ"] = "UTC0"
    backup_json(kb, pos_db, repo_dir, "--time", "2025-02-08T23:34:49+07:00")
    now = backup_json(kb, pos_db, repo_dir)
    items = list_json(kb, repo_dir)
    assert items[0]["id"] == now["id"]           # the imported old backup sorts after today's
    recorded = datetime.fromisoformat(items[1]["created_at"].replace("Z", "+00:00"))
    assert recorded == datetime.fromisoformat("2025-02-08T23:34:49+07:00")


def test_backups_within_one_second_keep_their_order(kb, pos_db, repo_dir, tmp_path):
    """Backups fractions of a second apart (a scheduled run and a "Backup now", or the
    safety snapshot just before a restore): list shows the newest first and `latest`
    is the newest."""
    from datetime import timezone

    from kasirbackup.core.snapshot.backup import BackupRequest, backup
    from kasirbackup.core.repo.repository import Repository

    repo = Repository.open(repo_dir, create=True)
    wib = timezone(timedelta(hours=7))
    made = []
    for tenths in (1, 3, 5, 7):                   # four backups within 23:34:49
        simulate_day_of_sales(str(pos_db), 1)
        when = datetime(2025, 2, 8, 23, 34, 49, tenths * 100_000, tzinfo=wib)
        made.append(backup(repo, BackupRequest(db_path=str(pos_db), created_at=when)).snapshot)
    assert [i["id"] for i in list_json(kb, repo_dir)] == [s.id for s in reversed(made)]
    assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", "latest", "--to", tmp_path / "l.db"))
    assert sha256_file(tmp_path / "l.db") == made[-1].image_sha256


# -- snapshot ids ----------------------------------------------------------------------------

def test_snapshot_id_prefix_full_id_and_latest(kb, pos_db, repo_dir, tmp_path):
    old = backup_json(kb, pos_db, repo_dir, "--time", "2025-01-01T08:00:00+07:00")
    simulate_day_of_sales(str(pos_db), 3)
    new = backup_json(kb, pos_db, repo_dir)
    # a prefix long enough to be unique
    n = 1
    while new["id"][:n] == old["id"][:n]:
        n += 1
    for i, ref in enumerate((new["id"][:max(n, 4)], new["id"], "latest")):
        proc = assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", ref, "--to", tmp_path / f"r{i}.db"))
        assert sha256_file(tmp_path / f"r{i}.db") == new["sha256"], describe(proc)
    assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", old["id"][:8], "--to", tmp_path / "old.db"))
    assert sha256_file(tmp_path / "old.db") == old["sha256"]
    assert row_counts(tmp_path / "old.db")["transaksi"] == row_counts(pos_db)["transaksi"] - 3


def test_latest_is_the_newest_by_time_not_the_last_made(kb, pos_db, repo_dir, tmp_path):
    newest = backup_json(kb, pos_db, repo_dir)
    simulate_day_of_sales(str(pos_db), 3)
    backup_json(kb, pos_db, repo_dir, "--time", "2024-12-31T21:00:00+07:00")   # an old file imported later
    assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", "latest", "--to", tmp_path / "l.db"))
    assert sha256_file(tmp_path / "l.db") == newest["sha256"]


# -- verify -------------------------------------------------------------------------------------

def test_verify_one_and_all(kb, pos_db, repo_dir):
    a = backup_json(kb, pos_db, repo_dir)
    simulate_day_of_sales(str(pos_db), 3)
    b = backup_json(kb, pos_db, repo_dir)

    proc = assert_ok(kb.run("verify", "--repo", repo_dir, "--snapshot", a["id"][:10]))
    assert a["id"][:8] in proc.stdout and b["id"][:8] not in proc.stdout

    proc = assert_ok(kb.run("verify", "--repo", repo_dir, "--all"))
    assert a["id"][:8] in proc.stdout and b["id"][:8] in proc.stdout

    proc = assert_ok(kb.run("verify", "--repo", repo_dir, "--all", "--json"))
    assert proc.stderr == ""
    report = parse_json_stdout(proc)
    assert report["ok"] is True
    assert {s["id"] for s in report["snapshots"]} == {a["id"], b["id"]}
    assert all(s["ok"] is True for s in report["snapshots"])

    proc = assert_ok(kb.run("verify", "--repo", repo_dir, "--snapshot", "latest"))
    assert b["id"][:8] in proc.stdout
    assert all(i["verified"] for i in list_json(kb, repo_dir))


# -- restore ------------------------------------------------------------------------------------

def test_restore_to_new_file_is_byte_identical(kb, pos_db, repo_dir, tmp_path):
    source_sha = sha256_file(pos_db)
    snap = backup_json(kb, pos_db, repo_dir)
    assert snap["sha256"] == source_sha          # the source was quiescent
    target = tmp_path / "pulih" / "kasir-pulih.db"
    target.parent.mkdir()
    proc = assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", snap["id"][:8], "--to", target,
                            "--json"))
    assert proc.stderr == ""
    out = parse_json_stdout(proc)
    assert out["sha256"] == snap["sha256"]
    assert sha256_file(target) == snap["sha256"] == source_sha
    assert integrity_check(target) == ["ok"]
    assert row_counts(target) == snap["tables"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["kasir-pulih.db"]   # no temporary left
    assert sha256_file(pos_db) == source_sha     # the source was not touched


# -- exit status and output streams ------------------------------------------------------------------

def test_json_goes_to_stdout_only(kb, pos_db, repo_dir, tmp_path):
    for args in (("backup", "--db", pos_db, "--repo", repo_dir, "--json"),
                 ("list", "--repo", repo_dir, "--json"),
                 ("verify", "--repo", repo_dir, "--json"),
                 ("verify", "--repo", repo_dir, "--all", "--json"),
                 ("restore", "--repo", repo_dir, "--snapshot", "latest", "--to", tmp_path / "x.db", "--json")):
        proc = assert_ok(kb.run(*args))
        assert proc.stderr == "", describe(proc)
        parse_json_stdout(proc)


@pytest.mark.parametrize("args, needle", [
    (("backup", "--repo", "{repo}"), "--db"),                        # missing required option
    (("backup", "--db", "{db}", "--repo", "{repo}", "--time", "kemarin"), "ISO 8601"),
    (("restore", "--repo", "{repo}", "--snapshot", "latest"), "--to"),
    (("verify", "--repo", "{repo}", "--all", "--snapshot", "latest"), "--snapshot"),
    (("no-such-command",), "no-such-command"),
    (("list", "--repo", "{missing}"), "no backup repository"),
    (("restore", "--repo", "{repo}", "--snapshot", "latest", "--to", "{tmp}/a/b/c.db"), "does not exist"),
    (("restore", "--repo", "{repo}", "--snapshot", "latest", "--to", "{db}"), "--yes"),
    (("restore", "--repo", "{repo}", "--snapshot", "latest", "--to", "{tmp}"), "folder"),
], ids=["no-db", "bad-time", "no-to", "snapshot-and-all", "unknown-command", "no-repo",
        "target-folder-missing", "target-exists-no-yes", "target-is-folder"])
def test_failures_are_one_line_without_traceback(kb, pos_db, repo_dir, tmp_path, args, needle):
    assert_ok(kb.run("backup", "--db", pos_db, "--repo", repo_dir))
    before = sha256_file(pos_db)
    fmt = {"repo": repo_dir, "db": pos_db, "missing": tmp_path / "nothing-here", "tmp": tmp_path}
    proc = kb.run(*(a.format(**fmt) for a in args))
    assert_one_line_error(proc, needle)
    if needle != "--yes":                        # (a refused live restore may show its preview)
        assert proc.stdout == ""
    assert sha256_file(pos_db) == before         # a refused restore never touches an existing file


def test_json_failure_prints_nothing_on_stdout(kb, tmp_path):
    proc = kb.run("backup", "--db", tmp_path / "tidak-ada.db", "--repo", tmp_path / "r", "--json")
    assert_one_line_error(proc, "does not exist")
    assert proc.stdout == ""


def test_failed_first_backup_creates_no_repository(kb, tmp_path):
    # A typo in --db must not leave an (unencrypted, empty) repository behind in the
    # chosen backup folder: the next `init --encrypt` there would find it in the way.
    proc = kb.run("backup", "--db", tmp_path / "tidak-ada.db", "--repo", tmp_path / "r")
    assert_one_line_error(proc, "does not exist")
    assert not (tmp_path / "r").exists()


# -- deduplication ------------------------------------------------------------------------------

def test_second_backup_after_a_day_of_sales_adds_far_fewer_bytes(kb, tmp_path):
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 400_000, seed=1)
    repo = tmp_path / "repo"
    first = backup_json(kb, db, repo)
    simulate_day_of_sales(str(db), 20)
    second = backup_json(kb, db, repo)
    assert second["tables"]["transaksi"] == first["tables"]["transaksi"] + 20
    assert first["added_bytes"] > 0
    assert second["added_bytes"] < first["added_bytes"] / 4, (first["added_bytes"], second["added_bytes"])
    # an unchanged database adds almost nothing (its manifest)
    third = backup_json(kb, db, repo)
    assert third["added_bytes"] < 16 * 1024
    assert third["sha256"] == second["sha256"]


# -- journal modes ------------------------------------------------------------------------------

def _hash_or_none(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_wal_database_with_uncheckpointed_wal(kb, tmp_path):
    db = tmp_path / "kasir-wal.db"
    make_pos_db(str(db), 150_000, seed=2, journal_mode="wal")
    wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        writer.execute("CREATE TABLE penjualan_baru (id INTEGER PRIMARY KEY, kode TEXT, total INTEGER)")
        writer.execute("BEGIN")
        writer.executemany("INSERT INTO penjualan_baru (kode, total) VALUES (?, ?)",
                           [(f"TRX-WAL-{i:04d}", 1000 * i) for i in range(1, 301)])
        writer.execute("COMMIT")
        writer.execute("UPDATE produk SET stok = stok - 1 WHERE id <= 10")
        assert wal.stat().st_size > 0 and shm.exists()
        # the new rows are only in the -wal file, not yet in the main file
        main_only = sqlite3.connect(Path(db).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            tables = [r[0] for r in main_only.execute("SELECT name FROM sqlite_schema")]
            assert "penjualan_baru" not in tables
        finally:
            main_only.close()
        wal_before = _hash_or_none(wal)
        expected = {n: writer.execute(f"SELECT count(*) FROM {n}").fetchone()[0]
                    for n in ("produk", "pelanggan", "transaksi", "transaksi_detail", "penjualan_baru")}
        stok = writer.execute("SELECT id, stok FROM produk ORDER BY id").fetchall()

        repo = tmp_path / "repo"
        snap = backup_json(kb, db, repo)

        # the backup holds what the writer committed, including the WAL-only rows
        assert snap["verified"] is True
        assert snap["tables"] == expected
        # and left the live database's files alone
        assert wal.exists() and shm.exists()
        assert _hash_or_none(wal) == wal_before
        # the writer still works
        writer.execute("INSERT INTO penjualan_baru (kode, total) VALUES ('TRX-WAL-SESUDAH', 1)")
    finally:
        writer.close()

    target = tmp_path / "pulih.db"
    assert_ok(kb.run("restore", "--repo", repo, "--snapshot", snap["id"], "--to", target))
    assert sha256_file(target) == snap["sha256"]
    assert integrity_check(target) == ["ok"]
    assert row_counts(target) == expected
    conn = sqlite3.connect(Path(target).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("SELECT id, stok FROM produk ORDER BY id").fetchall() == stok
        assert conn.execute("SELECT kode FROM penjualan_baru ORDER BY id DESC LIMIT 1").fetchone() == ("TRX-WAL-0300",)
    finally:
        conn.close()


def test_rollback_journal_database(kb, pos_db, repo_dir, tmp_path):
    header = pos_db.read_bytes()[:100]
    assert header[18] == 1 and header[19] == 1          # legacy (rollback journal) file format
    reader = sqlite3.connect(pos_db)                   # the POS has the file open, idle
    try:
        before = sha256_file(pos_db)
        snap = backup_json(kb, pos_db, repo_dir)
        assert snap["sha256"] == before
        assert reader.execute("SELECT count(*) FROM transaksi").fetchone()[0] == snap["tables"]["transaksi"]
    finally:
        reader.close()
    assert sha256_file(pos_db) == before
    for suffix in ("-journal", "-wal", "-shm"):
        assert not Path(f"{pos_db}{suffix}").exists(), suffix
    target = tmp_path / "pulih.db"
    assert_ok(kb.run("restore", "--repo", repo_dir, "--snapshot", "latest", "--to", target))
    assert sha256_file(target) == before
    assert integrity_check(target) == ["ok"]


# -- plain copy -------------------------------------------------------------------------------------

def test_plain_copy_keeps_latest_as_ordinary_db(kb, pos_db, repo_dir):
    assert_ok(kb.run("backup", "--db", pos_db, "--repo", repo_dir))
    assert not (repo_dir / "latest").exists()        # off by default
    proc = assert_ok(kb.run("config", "--repo", repo_dir, "--plain-copy", "on", "--json"))
    assert parse_json_stdout(proc)["plain_copy"] is True

    simulate_day_of_sales(str(pos_db), 4)
    snap = backup_json(kb, pos_db, repo_dir)
    plain = repo_dir / "latest" / "kasir.db"
    assert plain.is_file()
    assert sha256_file(plain) == snap["sha256"] == sha256_file(pos_db)
    conn = sqlite3.connect(plain)                    # any SQLite tool opens it
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM transaksi").fetchone()[0] == snap["tables"]["transaksi"]
    finally:
        conn.close()

    # the next backup replaces it with the newer image
    simulate_day_of_sales(str(pos_db), 2)
    snap2 = backup_json(kb, pos_db, repo_dir)
    assert row_counts(plain)["transaksi"] == snap2["tables"]["transaksi"] == snap["tables"]["transaksi"] + 2
    assert_ok(kb.run("verify", "--repo", repo_dir, "--all"))
