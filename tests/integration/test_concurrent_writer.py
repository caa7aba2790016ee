"""Backups of a database that a POS in another process keeps writing to.

``tests/support/writer_proc.py`` commits one sale every 20-50 ms with a 5 s busy
timeout, as the POS does, while three backups run through the command line. The writer
must never fail (a failure is a sale the cashier could not record: the backup held a
lock for too long), and every sale acknowledged before a backup started must be in that
backup: it is restored to a new file and the acknowledged ids are looked up in it.

The writer's worst stall is reported in the assertion messages and printed, never
asserted on: timings depend on the machine.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from kbhelpers import SUPPORT, WriterProcess, integrity
from tests.support.dbgen import make_pos_db

pytestmark = pytest.mark.slow

BACKUPS = 3


def transaksi_ids(path: Path) -> set[int]:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM transaksi")}
    finally:
        conn.close()


@pytest.mark.parametrize("journal_mode,interval_ms", [("delete", 20), ("wal", 20)])
def test_backups_while_a_pos_process_writes(tmp_path, kb, writers, journal_mode, interval_ms):
    db = tmp_path / "kasir.db"
    repo = tmp_path / "repo"
    info = make_pos_db(str(db), 30_000_000, seed=11, journal_mode=journal_mode)
    assert info["journal_mode"] == journal_mode
    writer = WriterProcess(SUPPORT / "writer_proc.py", db, tmp_path, interval_ms=interval_ms,
                           busy_timeout_ms=5000)
    writers.append(writer)

    taken = []
    for i in range(BACKUPS):
        time.sleep(0.3)                        # let some sales happen between backups
        acked = writer.acked()                 # read just before launching the backup
        out = kb.json("backup", "--db", db, "--repo", repo, "--label", f"concurrent {i}")
        assert out["verified"], f"backup {i} failed its restore drill: {out['verification']}"
        taken.append((out, set(acked)))
    stats = writer.stop()
    stall = f"writer max stall {stats['max_stall_ms']} ms, p99 {stats['p99_stall_ms']} ms, {stats['commits']} commits"
    print(f"{journal_mode} {interval_ms} ms: {stall}; captures: {[o['capture'] for o, _ in taken]}")

    assert stats["failures"] == 0, f"the POS failed {stats['failures']} times ({stall}): {stats['failure_messages']}"
    assert stats["commits"] > 0
    for i, (out, acked) in enumerate(taken):
        assert acked, f"backup {i}: no sale had been acknowledged yet"
        ver = kb.run("verify", "--repo", repo, "--snapshot", out["id"])
        assert ver.returncode == 0, f"backup {i} does not verify: {ver.stdout} {ver.stderr}"
        restored = tmp_path / f"restored-{i}.db"
        kb.run("restore", "--repo", repo, "--snapshot", out["id"], "--to", restored, "--yes", check=True)
        assert integrity(restored) == ["ok"], f"backup {i}: restored image is damaged"
        missing = acked - transaksi_ids(restored)
        assert not missing, (f"backup {i} lacks {len(missing)} sales acknowledged before it started, "
                             f"e.g. {sorted(missing)[:5]} ({stall}; capture {out['capture']})")
    # the source itself is fine and holds every acknowledged sale; we left its files alone
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        have = {r[0] for r in conn.execute("SELECT id FROM transaksi WHERE id >= ?", (stats["first_id"],))}
    finally:
        conn.close()
    assert set(writer.acked()) <= have
