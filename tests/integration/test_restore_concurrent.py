"""The database is in use while the user restores: another program holds a write
transaction, keeps a WAL database open, left a hot journal behind, or is selling every
50 ms. The restore refuses cleanly or (with --wait) waits and succeeds; it never
corrupts anything, and every sale acknowledged before it took its lock is in the
before-restore safety snapshot."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from kbhelpers import SUPPORT, WriterProcess
from restorekit import (HOLD_OPEN, HOLD_WRITE_TX, HOT_JOURNAL_WRITER, backup, contents, diff_contents,
                        file_state, integrity, python_child, restore_live, restore_live_json, restore_new,
                        rows, sha256_file, snapshots, wait_line)
from tests.support.checks import assert_ok, assert_one_line_error, describe, parse_json_stdout
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

POS_BYTES = 300_000


def finish(child, timeout: float = 30) -> tuple[str, str]:
    try:
        out, err = child.communicate(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return out, err


@pytest.fixture
def children():
    started = []
    yield started
    for c in started:
        if c.poll() is None:
            c.kill()
            c.wait()
        for f in (c.stdout, c.stderr):
            if f:
                f.close()


# -- another program holds the database --------------------------------------------------------------

def test_open_write_transaction_refuses_then_wait_succeeds(kb, tmp_path, children):
    """Another program holds BEGIN IMMEDIATE for 6 s: without --wait the restore refuses
    and tells the user to close the POS; with --wait it waits for the COMMIT and
    succeeds, and the committed change is in the safety snapshot."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    simulate_day_of_sales(str(db), 5, seed=4)

    holder = python_child(HOLD_WRITE_TX, db, 6, "Pelanggan dari transaksi terbuka")
    children.append(holder)
    wait_line(holder, "HELD")
    main_file = sha256_file(db)

    proc = restore_live(kb, repo, snap["id"], db)
    line = assert_one_line_error(proc, f"({holder.pid}) has the database", "Close it")
    assert "--wait" in line
    assert sha256_file(db) == main_file, "the database file changed while another program held it"
    assert [s["kind"] for s in snapshots(kb, repo)] == ["manual"]

    assert holder.poll() is None, "the machine is too slow: the holder committed before --wait was tried"
    proc = restore_live(kb, repo, snap["id"], db, "--wait", "30", "--json")
    h_out, h_err = finish(holder)
    assert holder.returncode == 0 and "COMMITTED" in h_out, \
        f"the POS could not commit while the restore waited for it: {h_out.strip()} {h_err.strip()}\n" \
        f"restore: {describe(proc)}"
    assert proc.returncode == 0, describe(proc)
    res = parse_json_stdout(proc)

    ref = contents(restore_new(kb, repo, snap["id"], tmp_path / "ref.db"), "immutable")
    assert contents(db) == ref, diff_contents(contents(db), ref)
    safety = restore_new(kb, repo, res["safety_snapshot"], tmp_path / "safety.db")
    assert rows(safety, "SELECT count(*) FROM pelanggan WHERE nama = 'Pelanggan dari transaksi terbuka'",
                how="immutable") == [(1,)], "the change committed before the restore got its lock is lost"
    assert integrity(db) == ["ok"]


def test_wal_database_held_open_is_in_use(kb, tmp_path, children):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode="wal")
    snap = backup(kb, db, repo)
    simulate_day_of_sales(str(db), 5, seed=4)
    holder = python_child(HOLD_OPEN, db, 60)
    children.append(holder)
    wait_line(holder, "OPEN")
    before = contents(db)
    state = file_state(db)
    for extra in ((), ("--wait", "1")):
        proc = restore_live(kb, repo, snap["id"], db, *extra)
        assert_one_line_error(proc, f"({holder.pid}) has the database", "Close it")
        now = file_state(db)
        assert (now["db"], now["-wal"]) == (state["db"], state["-wal"]), "the database changed"
    assert [s["kind"] for s in snapshots(kb, repo)] == ["manual"]
    holder.send_signal(signal.SIGTERM)
    holder.wait(10)
    assert contents(db) == before
    # once the program is closed, the restore goes through
    restore_live_json(kb, repo, snap["id"], db)
    assert integrity(db) == ["ok"]


# -- a hot journal ------------------------------------------------------------------------------------

def test_hot_journal_is_rolled_back_and_reported(kb, tmp_path, children):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), POS_BYTES, seed=0)
    snap = backup(kb, db, repo)
    simulate_day_of_sales(str(db), 5, seed=4)
    before_tx = contents(db)
    main_before = sha256_file(db)

    child = python_child(HOT_JOURNAL_WRITER, db)
    children.append(child)
    wait_line(child, "WRITTEN")
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    journal = Path(str(db) + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    with open(journal, "rb") as fh:
        assert fh.read(8) == b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", "journal header is not valid: not hot"
    assert sha256_file(db) != main_before, "the test needs a database file already changed by the transaction"

    proc = assert_ok(restore_live(kb, repo, snap["id"], db))
    assert "rolled back" in proc.stdout, proc.stdout
    ref = contents(restore_new(kb, repo, snap["id"], tmp_path / "ref.db"), "immutable")
    assert contents(db) == ref
    assert integrity(db) == ["ok"]
    safety = [s for s in snapshots(kb, repo) if s["kind"] == "before-restore"]
    assert len(safety) == 1
    got = contents(restore_new(kb, repo, safety[0]["id"], tmp_path / "safety.db"), "immutable")
    assert got == before_tx, f"the safety snapshot is not the rolled-back state: {diff_contents(got, before_tx)}"


# -- a POS selling every 50 ms ------------------------------------------------------------------------

def writer_rows(path, how: str) -> set[int]:
    return {r[0] for r in rows(path, "SELECT id FROM transaksi WHERE kasir = 'WRITER'", how=how)}


@pytest.mark.parametrize("journal_mode,extra", [("delete", ()), ("delete", ("--wait", "3")),
                                                ("delete", ("--even-if-open",)), ("wal", ("--even-if-open",))],
                         ids=["rollback-refused", "rollback-wait", "rollback-even-if-open", "wal-held-open"])
def test_restore_while_a_writer_sells(kb, tmp_path, writers, journal_mode, extra):
    """writer_proc.py sells every 50 ms (5 s busy timeout) while the restore runs. It has the
    database open all along, so the restore refuses and names it, also after --wait; only
    --even-if-open goes ahead (rollback journal) — and then the POS hands out ids again, as
    the override warns. A WAL database held open cannot be restored even then."""
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    make_pos_db(str(db), 1_000_000, seed=0, journal_mode=journal_mode)
    snap = backup(kb, db, repo)
    max_snap_id = rows(db, "SELECT max(id) FROM transaksi")[0][0]
    w = WriterProcess(SUPPORT / "writer_proc.py", db, tmp_path, interval_ms=50, busy_timeout_ms=5000)
    writers.append(w)
    time.sleep(1.0)
    proc = restore_live(kb, repo, snap["id"], db, "--json", *extra)
    time.sleep(1.0)
    stats = w.stop()
    acked = w.acked()
    assert stats["commits"] == len(acked) and acked

    problems: list[str] = []           # collected, so that one run shows every problem
    if integrity(db) != ["ok"]:
        problems.append(f"integrity_check: {integrity(db)[:5]}")
    if stats["failures"]:
        problems.append(f"the POS failed {stats['failures']} sales during the restore: "
                        f"{stats['failure_messages'][:3]} (max stall {stats['max_stall_ms']} ms)")
    if proc.returncode != 0:
        assert "--even-if-open" not in extra or journal_mode == "wal", \
            f"with --even-if-open the restore must succeed\n{describe(proc)}"
        assert_one_line_error(proc, "is in use" if journal_mode == "wal" else f"({w.proc.pid}) has the database")
        assert [s["kind"] for s in snapshots(kb, repo)] == ["manual"]
        missing = set(acked) - writer_rows(db, "ro")
        if missing:
            problems.append(f"acknowledged sales missing after a refused restore: {sorted(missing)}")
    else:
        assert journal_mode == "delete" and "--even-if-open" in extra, \
            "a database held open by the POS is restored only with --even-if-open, never in WAL mode"
        res = parse_json_stdout(proc)
        if not any("went ahead although" in n for n in res["notes"]):
            problems.append(f"the result does not say it went ahead under the POS: {res['notes']}")
        safety = restore_new(kb, repo, res["safety_snapshot"], tmp_path / "safety.db")
        in_safety = writer_rows(safety, "immutable")
        in_db = writer_rows(db, "ro")
        # the ids start again after the restore (the snapshot has none of the writer's rows):
        # acked ids before that drop were committed before the restore took its lock
        drops = [i for i in range(1, len(acked)) if acked[i] <= acked[i - 1]]
        cut = drops[0] if drops else len(acked)
        before, after = acked[:cut], acked[cut:]
        if len(drops) != 1:
            problems.append(f"the writer's ids did not start again exactly once after the restore "
                            f"(drops at {drops}): {acked}")
        missing = set(before) - in_safety
        if missing:
            problems.append(f"{len(missing)} sales acknowledged before the restore ended are not in the "
                            f"safety snapshot: ids {sorted(missing)} (acked before: {before[0]}..{before[-1]}, "
                            f"writer rows in the safety snapshot: {sorted(in_safety)[-3:]}, in the database "
                            f"now: {sorted(in_db)})")
        lost_after = set(after) - in_db
        if lost_after:
            problems.append(f"sales made after the restore are missing: {sorted(lost_after)}")
        ref = restore_new(kb, repo, snap["id"], tmp_path / "ref.db")
        now, old = contents(db), contents(ref, "immutable")
        for t in ("produk", "pelanggan", "transaksi_detail"):
            if now[t] != old[t]:
                problems.append(f"{t} differs from the snapshot after the restore")
        if rows(db, "SELECT * FROM transaksi WHERE id <= ? ORDER BY id", (max_snap_id,)) != \
                rows(ref, "SELECT * FROM transaksi ORDER BY id", how="immutable"):
            problems.append("transaksi rows of the snapshot differ after the restore")
    assert not problems, "\n".join(problems)


PROBE_WRITE = """
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        print("COULD WRITE")
    except sqlite3.OperationalError as exc:
        print("BLOCKED", exc)
"""


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_no_other_program_can_write_while_the_restore_runs(tmp_path, journal_mode):
    """Deterministic: at every progress report of execute_restore (safety snapshot, its
    check, the copy) another process tries to start a write transaction. It must be
    blocked every time: the exclusive lock is held from before the safety snapshot to the
    end, so nothing can be committed that the restore would silently overwrite."""
    import subprocess
    import sys
    import textwrap

    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.restore.live import execute_restore, prepare_restore

    db = tmp_path / "kasir.db"
    make_pos_db(str(db), POS_BYTES, seed=0, journal_mode=journal_mode)
    repo = Repository.open(tmp_path / "repo", create=True)
    from kasirbackup.core.snapshot.backup import BackupRequest
    from kasirbackup.core.snapshot.backup import backup as core_backup

    snap = core_backup(repo, BackupRequest(str(db))).snapshot
    simulate_day_of_sales(str(db), 5, seed=4)
    probes: list[tuple[str, str]] = []
    seen: set[str] = set()

    def progress(phase: str, done: int, total: int) -> None:
        if phase in seen:
            return
        seen.add(phase)
        r = subprocess.run([sys.executable, "-c", textwrap.dedent(PROBE_WRITE), str(db)],
                           capture_output=True, text=True, timeout=30)
        probes.append((phase, (r.stdout + r.stderr).strip()))

    plan = prepare_restore(repo, snap, db)
    with plan:
        execute_restore(repo, plan, progress=progress)
    assert probes, "execute_restore reported no progress to probe at"
    open_doors = [p for p in probes if not p[1].startswith("BLOCKED")]
    assert not open_doors, f"another program could start writing during the restore at: {open_doors} " \
                           f"(all probes: {probes})"
