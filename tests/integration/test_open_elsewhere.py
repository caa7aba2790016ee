"""A POS that keeps the database open and idle — no transaction, no lock — is seen: live
restore (every mode), per-table restore, import and undo refuse and name it; ``--wait``
goes ahead once it exits; ``--even-if-open`` goes ahead and says what can happen. The
printed undo works as printed, from a script without a terminal, and an import always
takes a safety backup (issue 13)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

IDLE_POS = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)     # a connection pool's idle connection
conn.execute("PRAGMA journal_mode = " + sys.argv[2]).fetchall()
conn.execute("SELECT count(*) FROM transaksi").fetchall()      # used once, then idle: no lock held
print("open", flush=True)
time.sleep(float(sys.argv[3]))
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class IdlePos:
    def __init__(self, db: Path, journal: str = "delete", seconds: float = 120) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", IDLE_POS, str(db), journal, str(seconds)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "open"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def idle_pos():
    started: list[IdlePos] = []

    def start(db: Path, journal: str = "delete", seconds: float = 120) -> IdlePos:
        started.append(IdlePos(db, journal, seconds))
        return started[-1]

    yield start
    for p in started:
        p.stop()


@pytest.fixture
def shop(kb, tmp_path, pos_db):
    """kasir.db with a backup, then 5 sales deleted and 1 added since (so every restore and
    merge would change something)."""
    repo = tmp_path / "repo"
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    conn = sqlite3.connect(pos_db)
    ids = [r[0] for r in conn.execute("SELECT id FROM transaksi ORDER BY id DESC LIMIT 5")]
    conn.execute(f"DELETE FROM transaksi_detail WHERE transaksi_id IN ({','.join('?' * 5)})", ids)
    conn.execute(f"DELETE FROM transaksi WHERE id IN ({','.join('?' * 5)})", ids)
    conn.commit()
    conn.close()
    export = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", export, check=True)
    return pos_db, repo, export


def one_line(proc) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stderr.startswith("kasirbackup: ") and proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr


CHANGES = {
    "restore": lambda db, repo, export: ("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes"),
    "merge": lambda db, repo, export: ("restore", "--repo", repo, "--snapshot", "latest", "--to", db,
                                       "--mode", "merge", "--yes"),
    "tables": lambda db, repo, export: ("restore", "--repo", repo, "--snapshot", "latest", "--to", db,
                                        "--tables", "transaksi,transaksi_detail", "--yes"),
    "import": lambda db, repo, export: ("import", "--db", db, "--from", export, "--mode", "replace",
                                        "--repo", repo, "--yes"),
}


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_an_idle_pos_is_seen_and_named_by_every_change(kb, shop, idle_pos, journal):
    db, repo, export = shop
    if journal == "wal":
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
    pos = idle_pos(db, journal)
    before = sha(db)
    for name, change in CHANGES.items():
        line = one_line(kb.run(*change(db, repo, export)))
        assert f"({pos.pid}) has the database" in line and "python" in line, (name, line)
        assert "--wait" in line and "--even-if-open" in line, line
        assert sha(db) == before, name
    forced = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", "--even-if-open")
    if journal == "wal":
        # an open WAL connection keeps its share of the database's locks: even the override
        # cannot take the exclusive lock, and says so
        assert "is in use by another program" in one_line(forced)
        assert sha(db) == before
        return
    assert forced.returncode == 0, forced.stderr
    line = one_line(kb.run("undo", "--db", db, "--repo", repo))
    assert f"({pos.pid}) has the database" in line


def test_wait_goes_ahead_once_the_pos_has_closed(kb, shop, idle_pos):
    db, repo, _ = shop
    idle_pos(db, seconds=3)
    t0 = time.monotonic()
    proc = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", "--wait", "60")
    waited = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert waited > 2, waited                       # it did wait for the POS to exit …
    assert "went ahead although" not in proc.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM transaksi").fetchone()[0] > 0
    conn.close()
    # … and a POS that does not close in time is named when the wait ends
    pos = idle_pos(db)
    line = one_line(kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", "--wait", "1"))
    assert f"({pos.pid})" in line


def test_even_if_open_goes_ahead_and_says_what_can_happen(kb, shop, idle_pos):
    db, repo, export = shop
    pos = idle_pos(db)
    proc = kb.run("import", "--db", db, "--from", export, "--repo", repo, "--yes", "--even-if-open")
    assert proc.returncode == 0, proc.stderr
    note = re.search(r"note: went ahead although (.*) had the database open: (.*)", proc.stdout)
    assert note and f"({pos.pid})" in note.group(1) and "ids" in note.group(2), proc.stdout
    proc = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", "--even-if-open",
                  "--json")
    notes = json.loads(proc.stdout)["notes"]
    assert any("went ahead although" in n and str(pos.pid) in n for n in notes), notes


def dump(db: Path) -> str:
    return subprocess.run(["sqlite3", str(db), ".dump"], capture_output=True, text=True, check=True).stdout


def test_the_printed_undo_runs_as_printed_without_a_terminal(kb, shop, tmp_path):
    db, repo, export = shop
    before = dump(db)
    proc = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", check=True)
    restored = dump(db)
    assert restored != before
    printed = proc.stdout.strip().splitlines()[-1].strip()
    assert printed.startswith("kasirbackup undo "), proc.stdout
    # exactly as printed, from a script: no terminal, nothing on standard input
    script = " ".join(shlex.quote(a) for a in kb.argv()) + printed[len("kasirbackup"):]
    done = subprocess.run(["/bin/sh", "-c", script], env=kb.env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Undone:" in done.stdout
    assert dump(db) == before
    # the same command again undoes the undo
    again = subprocess.run(["/bin/sh", "-c", script], env=kb.env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert dump(db) == restored


def test_a_path_with_spaces_is_quoted_in_the_printed_undo(kb, tmp_path, pos_db):
    folder = tmp_path / "Toko Saya (kasir)"
    folder.mkdir()
    db = folder / "kasir lama.db"
    db.write_bytes(pos_db.read_bytes())
    repo = folder / "cadangan's"
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    proc = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", check=True)
    printed = proc.stdout.strip().splitlines()[-1].strip()
    assert shlex.split(printed)[1:] == ["undo", "--db", str(db), "--repo", str(repo)], printed


def test_an_import_without_repo_still_takes_a_safety_backup_and_undo_finds_it(kb, shop, tmp_path):
    db, _, export = shop
    env = dict(kb.env, KASIRBACKUP_DATA_DIR=str(tmp_path / "data"), KASIRBACKUP_CONFIG_DIR=str(tmp_path / "cfg"))
    kb.env.update(env)
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM transaksi_detail")
    conn.commit()
    details_before = conn.execute("SELECT count(*) FROM transaksi_detail").fetchone()[0]
    conn.close()
    proc = kb.run("import", "--db", db, "--from", export, "--mode", "replace", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "in the safety folder" in proc.stdout and str(tmp_path / "data" / "safety") in proc.stdout
    # undo without --repo finds the same safety folder
    undo = kb.run("undo", "--db", db)
    assert undo.returncode == 0, undo.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM transaksi_detail").fetchone()[0] == details_before == 0
    conn.close()


def test_undo_with_nothing_to_undo_says_so(kb, pos_db, tmp_path):
    kb.run("backup", "--db", pos_db, "--repo", tmp_path / "repo", check=True)
    line = one_line(kb.run("undo", "--db", pos_db, "--repo", tmp_path / "repo"))
    assert "nothing to undo" in line


# -- what cannot be seen ------------------------------------------------------------------------

def test_a_holder_we_may_not_look_at_is_still_seen_by_the_probe(pos_db, idle_pos, monkeypatch):
    """Another user's POS: its open files cannot be listed, but the exclusive probe of the
    file (a Linux lease) sees its handle; with no probe at all, the answer is "cannot tell"."""
    import psutil

    from kasirbackup.core import holders

    if not sys.platform.startswith("linux") or os.geteuid() != os.stat(pos_db).st_uid:
        pytest.skip("the lease probe needs Linux and the file's owner")
    pos = idle_pos(pos_db)
    real = psutil.Process.open_files

    def denied_for_the_pos(self):
        if self.pid == pos.pid:
            raise psutil.AccessDenied(self.pid)
        return real(self)

    monkeypatch.setattr(psutil.Process, "open_files", denied_for_the_pos)
    found = holders.find_holders(pos_db)
    assert found.unnamed and not found.programs and not found.clear
    with pytest.raises(holders.DatabaseOpenElsewhere, match="a program of another user"):
        holders.ensure_closed(pos_db)
    monkeypatch.setattr(holders, "_probe", lambda path: None)
    with pytest.raises(holders.DatabaseOpenUnknown, match="Cannot tell whether another program"):
        holders.ensure_closed(pos_db, wait_s=5)
    assert holders.ensure_closed(pos_db, even_if_open=True).unknown
    pos.stop()
    monkeypatch.setattr(holders, "_probe", holders._probe_lease if sys.platform.startswith("linux") else None)
    assert holders.find_holders(pos_db).clear
