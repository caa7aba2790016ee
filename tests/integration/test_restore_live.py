"""Restoring into the live database (PRODUCT.md section 2): the user's most frightening
moment, so nothing may get worse.

Every restore here runs through the real command line with ``--yes`` and standard input
that is not a terminal. "Equals the snapshot" is checked table by table (rowids included)
against a restore of the same snapshot to a new file; "unchanged" against the state
recorded just before.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from restorekit import (WAL_LEAVE_UNCHECKPOINTED, backup, companion_sizes, connect, contents, counts,
                        diff_contents, file_state, fk_problems, header_is_wal, header_page_size,
                        integrity, python_child, restore_live, restore_live_json, restore_new, rows,
                        scalar, snapshots, wait_line)
from tests.support.checks import assert_one_line_error, describe
from tests.support.dbgen import FTS5_AVAILABLE, make_hard_cases_db, make_pos_db, simulate_day_of_sales

POS_BYTES = 300_000


# -- helpers ----------------------------------------------------------------------------------------

def exec_sql(db, *statements, params=None) -> None:
    con = sqlite3.connect(str(db), isolation_level=None, timeout=10)
    try:
        con.execute("BEGIN IMMEDIATE")
        for s in statements:
            con.execute(s)
        con.execute("COMMIT")
    finally:
        con.close()


def mutate_pos(db) -> None:
    """A day in the life after the backup: rows deleted, rows changed, 16 sales added."""
    exec_sql(db,
             "DELETE FROM transaksi_detail WHERE transaksi_id BETWEEN 20 AND 29",
             "DELETE FROM transaksi WHERE id BETWEEN 20 AND 29",
             "UPDATE produk SET harga_jual = harga_jual + 1000 WHERE id <= 5",
             "UPDATE pelanggan SET telepon = NULL, poin = poin + 7 WHERE id IN (3, 4)")
    simulate_day_of_sales(str(db), 16, seed=5)


def reference(kb, repo, snap_id: str, tmp_path: Path, name: str) -> dict:
    """Contents of the snapshot, restored to a new file."""
    return contents(restore_new(kb, repo, snap_id, tmp_path / f"ref-{name}.db"), "immutable")


def assert_same(got: dict, expected: dict, what: str) -> None:
    assert got == expected, f"{what}: these differ: {diff_contents(got, expected)}"


def newest_before_restore(kb, repo) -> dict:
    items = snapshots(kb, repo)
    safety = [i for i in items if i["kind"] == "before-restore"]
    assert safety, f"no before-restore snapshot in list --json: {[i['kind'] for i in items]}"
    return safety[0]


def check_whole_restore(kb, repo, snap: dict, db: Path, tmp_path: Path, tag: str) -> None:
    """Restore ``snap`` into ``db`` and check everything the contract promises, including
    that the safety snapshot is an exact undo."""
    before = contents(db)
    n_before = len(snapshots(kb, repo))
    ref = reference(kb, repo, snap["id"], tmp_path, tag)

    res = restore_live_json(kb, repo, snap["id"], db)
    assert res["snapshot"] == snap["id"] and res["whole_database"] is True, res

    assert_same(contents(db), ref, "the live database after the restore vs the snapshot")
    assert integrity(db) == ["ok"]
    assert counts(db) == snap["tables"], "row counts differ from the manifest's tables"

    items = snapshots(kb, repo, cli=True)          # the command-line contract: list --json
    assert len(items) == n_before + 1
    safety = newest_before_restore(kb, repo)
    assert safety["id"] == res["safety_snapshot"]
    assert items[0]["id"] == safety["id"], "the safety snapshot is the newest item"
    assert safety["verified"] is True
    assert_same(reference(kb, repo, safety["id"], tmp_path, tag + "-safety"), before,
                "the before-restore snapshot vs the database before the restore")

    # restoring the safety snapshot is the undo
    undo = restore_live_json(kb, repo, safety["id"], db)
    assert undo["whole_database"] is True
    assert_same(contents(db), before, "the database after the undo vs before the restore")
    assert integrity(db) == ["ok"]
    kinds = [i["kind"] for i in snapshots(kb, repo)]
    assert kinds.count("before-restore") == 2, kinds


# -- whole-database restore ---------------------------------------------------------------------

@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_whole_restore_brings_back_the_snapshot_and_undo_works(kb, tmp_path, journal_mode):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode=journal_mode)
    snap = backup(kb, db, repo)
    mutate_pos(db)
    check_whole_restore(kb, repo, snap, db, tmp_path, journal_mode)
    if journal_mode == "wal":
        assert header_is_wal(db), "the restored database should keep the snapshot's WAL mode"


def test_whole_restore_of_hard_cases_database(kb, tmp_path):
    """Quoted names, WITHOUT ROWID, STRICT, AUTOINCREMENT, generated columns, big BLOBs,
    FTS5, header pragmas: the restored database equals the snapshot exactly."""
    db = tmp_path / "hard.db"
    repo = tmp_path / "repo"
    make_hard_cases_db(str(db))
    snap = backup(kb, db, repo)
    exec_sql(db,
             'DELETE FROM "data pelanggan" WHERE id > 6',
             "UPDATE kurs_harian SET nilai = nilai * 2 WHERE mata_uang = 'USD'",
             "INSERT INTO log_kas (waktu, keterangan, jumlah) VALUES ('2025-02-09 08:00:00', 'baru', 5000)",
             "DELETE FROM angka_besar WHERE id = 9223372036854775807",
             "PRAGMA user_version = 8")
    if FTS5_AVAILABLE:
        exec_sql(db, "INSERT INTO catatan_fts (judul, isi) VALUES ('baru', 'kopi tubruk manis')")
    check_whole_restore(kb, repo, snap, db, tmp_path, "hard")
    assert scalar(db, "SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'") == 11   # the undo's state
    if FTS5_AVAILABLE:
        con = connect(db, "rw")
        try:
            con.execute("INSERT INTO catatan_fts (catatan_fts) VALUES ('integrity-check')")
        finally:
            con.close()


def test_wal_target_with_uncheckpointed_content_while_idle(kb, tmp_path):
    """The newest committed changes live only in the -wal file (the POS was killed, nobody
    is connected). The safety snapshot must contain them, the restore must not lose them
    before it has them, and the -wal file is never thrown away unread."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode="wal")
    snap = backup(kb, db, repo)
    child = python_child(WAL_LEAVE_UNCHECKPOINTED, db)
    wait_line(child, "DONE")
    assert child.wait(30) == 0
    child.stdout.close(), child.stderr.close()

    sizes = companion_sizes(db)
    assert sizes["-wal"] and sizes["-wal"] > 0, sizes
    main_only = contents(db, "immutable")
    before = contents(db)
    assert diff_contents(main_only, before), "the test needs changes that live only in the -wal file"
    ref = reference(kb, repo, snap["id"], tmp_path, "snap")

    res = restore_live_json(kb, repo, snap["id"], db)
    assert_same(contents(db), ref, "after the restore")
    assert integrity(db) == ["ok"]
    assert_same(reference(kb, repo, res["safety_snapshot"], tmp_path, "safety"), before,
                "the safety snapshot vs the database including its -wal content")
    wal = Path(str(db) + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        # SQLite checkpointed and removed it itself: then the main file alone holds everything
        assert_same(contents(db, "immutable"), ref, "the main file alone after the -wal file went away")

    restore_live_json(kb, repo, res["safety_snapshot"], db)
    assert_same(contents(db), before, "after the undo")


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_snapshot_page_size_differs_from_live_database(kb, tmp_path, journal_mode):
    """The snapshot has 1024-byte pages; the database was VACUUMed to 4096 since."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode=journal_mode, page_size=1024)
    snap = backup(kb, db, repo)
    assert snap["page_size"] == 1024
    mutate_pos(db)
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        if journal_mode == "wal":
            assert con.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        con.execute("PRAGMA page_size = 4096")
        con.execute("VACUUM")
        if journal_mode == "wal":
            assert con.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    finally:
        con.close()
    assert header_page_size(db) == 4096
    check_whole_restore(kb, repo, snap, db, tmp_path, f"ps-{journal_mode}")
    assert header_page_size(db) == 4096, "the undo brings back the 4096-byte pages"


def test_persistent_journal_is_not_reported_as_an_interrupted_change(kb, tmp_path):
    """A POS using journal_mode=PERSIST leaves a -journal file with a zeroed header after
    every commit. That is not a hot journal: nothing was rolled back, so the restore must
    not tell the user that an unfinished change was rolled back."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        assert con.execute("PRAGMA journal_mode = PERSIST").fetchone()[0] == "persist"
        con.execute("DELETE FROM transaksi_detail WHERE id <= 40")
    finally:
        con.close()
    journal = Path(str(db) + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    with open(journal, "rb") as fh:
        assert fh.read(28).strip(b"\0") == b"", "PERSIST leaves a zeroed (not hot) journal header"
    before = contents(db)
    ref = reference(kb, repo, snap["id"], tmp_path, "snap")

    res = restore_live_json(kb, repo, snap["id"], db)
    assert_same(contents(db), ref, "after the restore")
    assert_same(reference(kb, repo, res["safety_snapshot"], tmp_path, "safety"), before, "safety snapshot")
    wrong = [n for n in res["notes"] if "rolled back" in n or "unfinished" in n]
    assert not wrong, f"a persisted (not hot) journal was reported as a rolled-back change: {wrong}"


@pytest.mark.parametrize("left_behind", ["wal-frames", "hot-journal"])
def test_live_restore_never_deletes_companion_files_itself(tmp_path, monkeypatch, left_behind):
    """Through the Python API, with every way Python can delete a file watched: the engine
    itself never removes the target's -wal, -shm or -journal (SQLite may, on its own
    terms, after a checkpoint or a rollback)."""
    import signal

    from kasirbackup.core.snapshot.backup import BackupRequest
    from kasirbackup.core.snapshot.backup import backup as core_backup
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.restore.live import execute_restore, prepare_restore
    from restorekit import HOT_JOURNAL_WRITER

    db = tmp_path / "kasir.db"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode="wal" if left_behind == "wal-frames" else "delete")
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = core_backup(repo, BackupRequest(str(db))).snapshot
    if left_behind == "wal-frames":
        child = python_child(WAL_LEAVE_UNCHECKPOINTED, db)
        wait_line(child, "DONE")
        assert child.wait(30) == 0
        assert companion_sizes(db)["-wal"]
    else:
        child = python_child(HOT_JOURNAL_WRITER, db)
        wait_line(child, "WRITTEN")
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        assert companion_sizes(db)["-journal"]
    child.stdout.close(), child.stderr.close()

    touched: list[str] = []
    prefix = str(db.resolve()) + "-"
    real_unlink, real_remove, real_rename, real_replace = os.unlink, os.remove, os.rename, os.replace
    real_path_unlink = Path.unlink

    def watch(fn):
        def wrapper(p, *a, **k):
            if os.path.abspath(os.fspath(p)).startswith(prefix):
                touched.append(f"{fn.__name__}({p})")
            return fn(p, *a, **k)
        return wrapper

    def path_unlink(self, *a, **k):
        if str(self.absolute()).startswith(prefix):
            touched.append(f"Path.unlink({self})")
        return real_path_unlink(self, *a, **k)

    monkeypatch.setattr(os, "unlink", watch(real_unlink))
    monkeypatch.setattr(os, "remove", watch(real_remove))
    monkeypatch.setattr(os, "rename", watch(real_rename))
    monkeypatch.setattr(os, "replace", watch(real_replace))
    monkeypatch.setattr(Path, "unlink", path_unlink)

    plan = prepare_restore(repo, snap, db)
    with plan:
        execute_restore(repo, plan)
    assert touched == [], f"the engine removed or moved the target's companion files: {touched}"


# -- confirmation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [(), ("--json",), ("--tables", "produk"), ("--mode", "merge")],
                         ids=["plain", "json", "tables", "merge"])
def test_without_terminal_and_without_yes_nothing_happens(kb, tmp_path, extra):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    mutate_pos(db)
    state = file_state(db)
    proc = restore_live(kb, repo, snap["id"], db, *extra, yes=False)
    assert_one_line_error(proc)
    assert file_state(db) == state, "the database changed although the restore was refused"
    assert [i["kind"] for i in snapshots(kb, repo)] == ["manual"]


# -- per-table restore ----------------------------------------------------------------------------

STOCK_TRIGGER = ("CREATE TRIGGER kurangi_stok AFTER INSERT ON transaksi_detail BEGIN "
                 "UPDATE produk SET stok = stok - NEW.qty WHERE id = NEW.produk_id; END")


def pos_with_trigger_and_autoincrement(db: Path) -> None:
    make_pos_db(str(db), POS_BYTES, seed=0)
    exec_sql(db, STOCK_TRIGGER,
             "CREATE TABLE log_kas (id INTEGER PRIMARY KEY AUTOINCREMENT, ket TEXT NOT NULL)",
             *[f"INSERT INTO log_kas (ket) VALUES ('kas {i}')" for i in range(1, 11)])


def test_per_table_restore_changes_only_those_tables(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    pos_with_trigger_and_autoincrement(db)
    snap = backup(kb, db, repo)
    exec_sql(db,
             "DELETE FROM transaksi_detail WHERE transaksi_id BETWEEN 50 AND 59",
             "UPDATE transaksi_detail SET qty = qty + 1 WHERE id BETWEEN 300 AND 305",
             "UPDATE pelanggan SET poin = poin + 100 WHERE id <= 10",
             "INSERT INTO produk (id, kode, nama, harga_beli, harga_jual, stok) "
             "VALUES (7001, 'BARU-7001', 'Produk baru', 1000, 1500, 20)",
             *[f"INSERT INTO log_kas (ket) VALUES ('baru {i}')" for i in range(5)],
             "DELETE FROM log_kas WHERE id IN (14, 15)")
    assert scalar(db, "SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'") == 15
    before = contents(db)
    n_detail_before = scalar(db, "SELECT count(*) FROM transaksi_detail")
    ref = reference(kb, repo, snap["id"], tmp_path, "snap")

    res = restore_live_json(kb, repo, snap["id"], db, "--tables", "transaksi_detail,log_kas")
    after = contents(db)
    for t in ("transaksi_detail", "log_kas"):
        assert after[t] == ref[t], f"{t} was not brought back to the snapshot"
    for t in ("produk", "pelanggan", "transaksi", "<schema>", "<pragmas>"):
        assert after[t] == before[t], f"{t} changed although only other tables were restored"
    assert integrity(db) == ["ok"] and fk_problems(db) == []

    out = {t["name"]: t for t in res["tables"]}
    assert set(out) == {"transaksi_detail", "log_kas"}, res
    assert out["transaksi_detail"]["removed"] == n_detail_before
    assert out["transaksi_detail"]["inserted"] == snap["tables"]["transaksi_detail"]
    assert out["log_kas"]["inserted"] == 10

    # the AUTOINCREMENT counter never goes backwards: ids 11..15 were handed out once
    assert scalar(db, "SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'") == 15
    con = connect(db, "rw")
    try:
        assert con.execute("INSERT INTO log_kas (ket) VALUES ('sesudah restore')").lastrowid == 16
        # the stock trigger did not run for the restored rows (produk unchanged, checked
        # above), still exists and still works
        sql = con.execute("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'kurangi_stok'"
                          ).fetchone()
        assert sql and sql[0] == STOCK_TRIGGER
        stok = con.execute("SELECT stok FROM produk WHERE id = 3").fetchone()[0]
        con.execute("INSERT INTO transaksi_detail (transaksi_id, produk_id, qty, harga, subtotal) "
                    "VALUES (1, 3, 4, 100, 400)")
        assert con.execute("SELECT stok FROM produk WHERE id = 3").fetchone()[0] == stok - 4
    finally:
        con.close()


def test_per_table_restore_of_hard_cases(kb, tmp_path):
    """Quoted names, WITHOUT ROWID, STRICT, generated columns, extreme rowids; the audit
    trigger of "data pelanggan" must not write audit rows for restored rows."""
    db = tmp_path / "hard.db"
    repo = tmp_path / "repo"
    make_hard_cases_db(str(db))
    snap = backup(kb, db, repo)
    exec_sql(db,
             'DELETE FROM "data pelanggan" WHERE id > 8',
             'UPDATE "data pelanggan" SET kota = \'Bogor\' WHERE id = 1',   # fires the update trigger
             "UPDATE kurs_harian SET nilai = 1 WHERE tanggal = '2025-01-05'",
             "DELETE FROM kurs_harian WHERE mata_uang = 'JPY'",
             "UPDATE harga_item SET qty = qty + 1",
             "DELETE FROM stok_ketat WHERE id = 4",
             "DELETE FROM angka_besar WHERE id IN (-1, 9223372036854775807)",
             'UPDATE "order" SET "from" = \'pasar\'',
             *[f"INSERT INTO log_kas (waktu, keterangan, jumlah) VALUES ('2025-02-09', 'x{i}', 1)"
               for i in range(3)])
    before = contents(db)
    ref = reference(kb, repo, snap["id"], tmp_path, "snap")
    chosen = ["data pelanggan", "kurs_harian", "harga_item", "stok_ketat", "angka_besar", "order", "log_kas",
              'catatan "khusus"', "transaksi_ü"]
    restore_live_json(kb, repo, snap["id"], db, "--tables", ",".join(chosen))
    after = contents(db)
    for t in chosen:
        assert after[t] == ref[t], f"{t} was not brought back"
    for t in set(after) - set(chosen) - {"sqlite_sequence"}:
        assert after[t] == before[t], f"{t} changed although it was not restored"
    assert scalar(db, "SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'") == 13
    assert integrity(db) == ["ok"]


def test_parent_table_alone_that_would_orphan_children_is_refused(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    exec_sql(db,
             "INSERT INTO pelanggan (id, nama, poin) VALUES (9001, 'Pelanggan baru', 0)",
             "INSERT INTO transaksi (kode, tanggal, subtotal, total, bayar, kembalian, metode, pelanggan_id) "
             "VALUES ('TRX-BARU', '2025-02-09 10:00:00', 5000, 5000, 5000, 0, 'TUNAI', 9001)")
    before = contents(db)
    proc = restore_live(kb, repo, snap["id"], db, "--tables", "pelanggan")
    line = assert_one_line_error(proc, "transaksi")
    assert_same(contents(db), before, "after a refused per-table restore")
    assert integrity(db) == ["ok"]
    # the hint should name the table the user has to add (transaksi), not only the one given
    m = re.search(r"for example:? ([^)]*)\)", line)
    if m:
        assert "transaksi" in m.group(1), f"the suggested tables do not include the related table: {line}"


def test_child_table_alone_pointing_at_deleted_parent_is_refused(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    victim = scalar(db, "SELECT produk_id FROM transaksi_detail GROUP BY produk_id ORDER BY count(*) LIMIT 1")
    exec_sql(db, f"DELETE FROM transaksi_detail WHERE produk_id = {victim}",
             f"DELETE FROM produk WHERE id = {victim}")
    before = contents(db)
    proc = restore_live(kb, repo, snap["id"], db, "--tables", "transaksi_detail")
    assert_one_line_error(proc, "produk")
    assert_same(contents(db), before, "after a refused per-table restore")


def test_unknown_table_names_are_refused_with_the_list_of_tables(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    mutate_pos(db)
    state = file_state(db)
    proc = restore_live(kb, repo, snap["id"], db, "--tables", "produk,tidak_ada")
    assert_one_line_error(proc, "tidak_ada", "pelanggan", "produk", "transaksi", "transaksi_detail")
    assert file_state(db) == state
    assert len(snapshots(kb, repo)) == 1, "no safety snapshot for a restore refused up front"


@pytest.mark.skipif(not FTS5_AVAILABLE, reason="this SQLite has no FTS5")
@pytest.mark.parametrize("table", ["catatan_fts", "catatan_fts_data", "catatan_fts_content"])
def test_search_index_tables_cannot_be_restored_alone(kb, tmp_path, table):
    """An FTS5 table (or one of its internal shadow tables) restored on its own would
    leave the index out of step with its content."""
    db = tmp_path / "hard.db"
    repo = tmp_path / "repo"
    make_hard_cases_db(str(db))
    snap = backup(kb, db, repo)
    exec_sql(db, "INSERT INTO catatan_fts (judul, isi) VALUES ('baru', 'kopi tubruk manis')",
             "DELETE FROM catatan_fts WHERE rowid <= 5")
    state = file_state(db)
    proc = restore_live(kb, repo, snap["id"], db, "--tables", table)
    try:
        assert_one_line_error(proc, table)
        assert file_state(db) == state
    finally:
        con = connect(db, "rw")
        try:
            con.execute("INSERT INTO catatan_fts (catatan_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            pytest.fail(f"--tables {table} left the FTS5 index inconsistent: {exc}\n{describe(proc)}")
        finally:
            con.close()


# -- merge restore ----------------------------------------------------------------------------------

def keyed_rows(path, table: str, how: str = "immutable") -> dict:
    return {r[0]: r[1:] for r in rows(path, f'SELECT rowid, * FROM "{table}"', how=how)}


def test_merge_restore(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    exec_sql(db, "INSERT INTO produk (id, kode, nama, harga_beli, harga_jual, stok) "
                 "VALUES (900, 'KODE-900', 'Produk lama', 1000, 1200, 5)")
    snap = backup(kb, db, repo)
    p = scalar(db, "SELECT pelanggan_id FROM transaksi WHERE pelanggan_id IS NOT NULL ORDER BY id LIMIT 1")
    gone_sales = f"(SELECT id FROM transaksi WHERE id BETWEEN 30 AND 39 OR pelanggan_id = {p})"
    exec_sql(db,
             # deleted since: sales, their lines and a customer they point at (must come back,
             # parents first)
             f"DELETE FROM transaksi_detail WHERE transaksi_id IN {gone_sales}",
             f"DELETE FROM transaksi WHERE id IN {gone_sales}",
             f"DELETE FROM pelanggan WHERE id = {p}",
             # changed since: keep the new values
             "UPDATE produk SET harga_jual = harga_jual + 1 WHERE id IN (1, 2, 3)",
             "UPDATE transaksi SET kasir = 'BARU' WHERE id IN (100, 101)",
             # a deleted product whose UNIQUE kode was given to a new product: a conflict
             "DELETE FROM produk WHERE id = 900",
             "INSERT INTO produk (id, kode, nama, harga_beli, harga_jual, stok) "
             "VALUES (901, 'KODE-900', 'Produk pengganti', 1000, 1300, 9)")
    simulate_day_of_sales(str(db), 7, seed=3)          # added since: stays
    ref_path = restore_new(kb, repo, snap["id"], tmp_path / "ref.db")
    before = contents(db)
    tables = ["produk", "pelanggan", "transaksi", "transaksi_detail"]
    snap_rows = {t: keyed_rows(ref_path, t) for t in tables}
    before_rows = {t: keyed_rows(db, t, "ro") for t in tables}

    res = restore_live_json(kb, repo, snap["id"], db, "--mode", "merge")
    assert res["mode"] == "merge" and res["whole_database"] is False, res
    out = {t["name"]: t for t in res["tables"]}
    assert set(tables) <= set(out), res

    for t in tables:
        s, b = snap_rows[t], before_rows[t]
        conflicts = {900} if t == "produk" else set()
        expected = dict(b)
        expected.update({k: v for k, v in s.items() if k not in b and k not in conflicts})
        got = keyed_rows(db, t, "ro")
        assert set(got) == set(expected), (t, sorted(set(got) ^ set(expected))[:20])
        wrong = [k for k in expected if got[k] != expected[k]]
        assert not wrong, f"{t}: rows with unexpected values after the merge: {wrong[:10]}"
        common = set(s) & set(b)
        o = out[t]
        assert o["inserted"] == len(set(s) - set(b) - conflicts), (t, o)
        assert o["kept_newer"] == sum(1 for k in common if s[k] != b[k]), (t, o)
        assert o["identical"] == sum(1 for k in common if s[k] == b[k]), (t, o)
        assert o["conflicts"] == len(conflicts), (t, o)
    assert out["transaksi"]["inserted"] >= 10 and out["pelanggan"]["inserted"] == 1
    assert fk_problems(db) == [] and integrity(db) == ["ok"]
    assert_same(reference(kb, repo, res["safety_snapshot"], tmp_path, "safety"), before, "safety snapshot")


def test_merge_restore_keeps_autoincrement_and_skips_triggers(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    pos_with_trigger_and_autoincrement(db)
    snap = backup(kb, db, repo)
    exec_sql(db, "DELETE FROM transaksi_detail WHERE id BETWEEN 200 AND 260",
             "DELETE FROM log_kas WHERE id IN (2, 3, 10)",
             *[f"INSERT INTO log_kas (ket) VALUES ('baru {i}')" for i in range(4)])
    stok_before = rows(db, "SELECT id, stok FROM produk ORDER BY id")
    res = restore_live_json(kb, repo, snap["id"], db, "--mode", "merge")
    out = {t["name"]: t for t in res["tables"]}
    assert out["transaksi_detail"]["inserted"] == 61
    assert out["log_kas"]["inserted"] == 3
    assert rows(db, "SELECT id, stok FROM produk ORDER BY id") == stok_before, "the stock trigger ran"
    assert scalar(db, "SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'") == 14
    assert scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'kurangi_stok'") == 1


def test_merge_restore_of_hard_cases(kb, tmp_path):
    """Merge over every table of the hard-cases database: WITHOUT ROWID and composite
    keys, quoted names, generated columns, rowids -1/0/2**63-1, AUTOINCREMENT."""
    db = tmp_path / "hard.db"
    repo = tmp_path / "repo"
    make_hard_cases_db(str(db))
    snap = backup(kb, db, repo)
    exec_sql(db,
             'DELETE FROM "data pelanggan" WHERE id > 8',
             "DELETE FROM kurs_harian WHERE mata_uang = 'JPY'",
             "UPDATE kurs_harian SET nilai = 1 WHERE mata_uang = 'USD' AND tanggal = '2025-01-02'",
             "DELETE FROM angka_besar WHERE id IN (-1, 0, 9223372036854775807)",
             "DELETE FROM harga_item WHERE id > 20",
             "DELETE FROM log_kas WHERE id = 3",
             "INSERT INTO log_kas (waktu, keterangan, jumlah) VALUES ('2025-02-09', 'baru', 1)")
    audit_before = rows(db, "SELECT * FROM audit_log ORDER BY id")
    ref = restore_new(kb, repo, snap["id"], tmp_path / "ref.db")
    res = restore_live_json(kb, repo, snap["id"], db, "--mode", "merge")
    out = {t["name"]: t for t in res["tables"]}
    assert out["kurs_harian"]["inserted"] == 10 and out["kurs_harian"]["kept_newer"] == 1, out["kurs_harian"]
    assert out["angka_besar"]["inserted"] == 3 and out["harga_item"]["inserted"] == 5
    assert out["data pelanggan"]["inserted"] == 4 and out["log_kas"]["inserted"] == 1
    assert rows(db, "SELECT * FROM audit_log ORDER BY id") == audit_before, "the audit trigger ran"
    for t, sql in (("kurs_harian", "SELECT * FROM kurs_harian WHERE mata_uang = 'JPY' ORDER BY tanggal"),
                   ("angka_besar", "SELECT * FROM angka_besar ORDER BY id"),
                   ("harga_item", "SELECT * FROM harga_item WHERE id > 20 ORDER BY id")):
        assert rows(db, sql) == rows(ref, sql, how="immutable"), t
    assert scalar(db, "SELECT seq FROM sqlite_sequence WHERE name = 'log_kas'") == 11
    assert integrity(db) == ["ok"]


def test_merge_when_a_table_was_dropped_since(kb, tmp_path):
    """The preview promises "a restore brings it back with 5 rows": a merge must then bring
    the table back, or say clearly that it did not (never silently leave the rows out)."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    exec_sql(db, "CREATE TABLE catatan (id INTEGER PRIMARY KEY, isi TEXT)",
             *[f"INSERT INTO catatan (isi) VALUES ('catatan {i}')" for i in range(5)])
    snap = backup(kb, db, repo)
    exec_sql(db, "DROP TABLE catatan")
    proc = restore_live(kb, repo, snap["id"], db, "--mode", "merge")
    problems = []
    if proc.returncode != 0:
        assert_one_line_error(proc, "catatan")
    else:
        brought_back = scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'catatan'") == 1 and \
            scalar(db, "SELECT count(*) FROM catatan") == 5
        result_lines = proc.stdout.split("Restored backup")[0].splitlines()
        reported = any(ln.strip().startswith("catatan:") for ln in result_lines)
        if not (brought_back or reported):
            problems.append("the merge silently left out the 5 rows of the dropped table catatan "
                            "although the preview said a restore brings it back")
    notes = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip().startswith("note:")]
    if len(notes) != len(set(notes)):
        problems.append("a note is printed twice")
    assert not problems, "; ".join(problems) + "\n" + describe(proc)


# -- the schema changed since the backup ---------------------------------------------------------------

PELANGGAN_COLS = "id, nama, telepon, nik, alamat, kota, poin, terdaftar"


def rebuild_pelanggan(db, new_cols_sql: str, select_sql: str) -> None:
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute(f"CREATE TABLE pelanggan_baru ({new_cols_sql})")
        con.execute(f"INSERT INTO pelanggan_baru SELECT {select_sql} FROM pelanggan")
        con.execute("DROP TABLE pelanggan")
        con.execute("ALTER TABLE pelanggan_baru RENAME TO pelanggan")
        con.execute("COMMIT")
    finally:
        con.close()


LONELY = [5001, 5002, 5003, 5004, 5005]


def add_lonely_customers(db) -> None:
    """Customers no sale points at (so deleting them breaks no foreign key)."""
    exec_sql(db, *[f"INSERT INTO pelanggan (id, nama, telepon, nik, alamat, kota, poin, terdaftar) VALUES "
                   f"({i}, 'Pelanggan {i}', '0812{i}', '3174{i}', 'Jl. Mawar {i}', 'Depok', {i % 7}, '2024-12-01')"
                   for i in LONELY])


def test_merge_with_nullable_column_added_since(kb, tmp_path):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    add_lonely_customers(db)
    snap = backup(kb, db, repo)
    gone = LONELY
    exec_sql(db, "ALTER TABLE pelanggan ADD COLUMN email TEXT",
             "UPDATE pelanggan SET email = 'a@b.id' WHERE id = 1",
             f"DELETE FROM pelanggan WHERE id IN ({','.join(map(str, gone))})")
    ref = restore_new(kb, repo, snap["id"], tmp_path / "ref.db")
    res = restore_live_json(kb, repo, snap["id"], db, "--mode", "merge")
    out = {t["name"]: t for t in res["tables"]}
    assert out["pelanggan"]["inserted"] == len(gone)
    for pid in gone:
        assert rows(db, f"SELECT {PELANGGAN_COLS}, email FROM pelanggan WHERE id = ?", (pid,)) == \
            [(*rows(ref, f"SELECT {PELANGGAN_COLS} FROM pelanggan WHERE id = ?", (pid,), how="immutable")[0],
              None)]
    assert scalar(db, "SELECT email FROM pelanggan WHERE id = 1") == "a@b.id"
    assert integrity(db) == ["ok"]


@pytest.mark.parametrize("change", ["required-column-added", "column-removed"])
@pytest.mark.parametrize("mode_args", [("--mode", "merge"), ("--tables", "pelanggan")], ids=["merge", "table"])
def test_diverged_schema_is_refused(kb, tmp_path, change, mode_args):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    add_lonely_customers(db)
    snap = backup(kb, db, repo)
    exec_sql(db, f"DELETE FROM pelanggan WHERE id IN ({','.join(map(str, LONELY))})")
    if change == "required-column-added":
        rebuild_pelanggan(db, "id INTEGER PRIMARY KEY, nama TEXT NOT NULL, telepon TEXT, nik TEXT, alamat TEXT, "
                              "kota TEXT, poin INTEGER NOT NULL DEFAULT 0, terdaftar TEXT, email TEXT NOT NULL",
                          f"{PELANGGAN_COLS}, ''")
        column = "email"
    else:
        rebuild_pelanggan(db, "id INTEGER PRIMARY KEY, nama TEXT NOT NULL, telepon TEXT, alamat TEXT, "
                              "kota TEXT, poin INTEGER NOT NULL DEFAULT 0, terdaftar TEXT",
                          "id, nama, telepon, alamat, kota, poin, terdaftar")
        column = "nik"
    state = file_state(db)
    proc = restore_live(kb, repo, snap["id"], db, *mode_args)
    assert_one_line_error(proc, "pelanggan", column)
    assert file_state(db) == state, "the database changed although the restore was refused"
    assert len(snapshots(kb, repo)) == 1
