"""Bounds on what a hostile or unlucky input can make us do: no unbounded recursion.

A hot journal on a read-only medium used to make the capture reopen and call itself
without end ("unexpected error: RecursionError"); JSON nested 100,000 deep in an import
file or in settings.json did the same in the parser. Each now gives one clear line."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

DEEP = 100_000


def one_clear_line(proc, *words):
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    line = proc.stderr
    assert line.startswith("kasirbackup: ") and line.count("\n") == 1, line
    assert "RecursionError" not in line and "unexpected error" not in line, line
    for w in words:
        assert w in line, (w, line)
    return line


HALF_WRITTEN = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")          # spill changed pages into the file before COMMIT
conn.execute("BEGIN")
conn.execute("UPDATE sale SET total = total + 1")
os._exit(0)                                  # gone mid-transaction: the journal is hot
"""


def test_hot_journal_on_a_read_only_disk_is_one_clear_line(kb, tmp_path, mount_tmpfs):
    disk = mount_tmpfs("ro", "8m", "0755")
    db = disk / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, note TEXT, total INTEGER)")
    conn.executemany("INSERT INTO sale (note, total) VALUES (?, ?)", [("x" * 200, i) for i in range(5000)])
    conn.commit()
    conn.close()
    subprocess.run([sys.executable, "-c", HALF_WRITTEN, str(db)], check=True, timeout=60)
    journal = Path(str(db) + "-journal")
    assert journal.exists() and journal.stat().st_size > 512, "no hot journal was left"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    r = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

    proc = kb.run("backup", "--db", db, "--repo", tmp_path / "repo", timeout=120)
    one_clear_line(proc, "half-written", "read-only")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before and journal.exists()


def test_import_file_nested_far_too_deeply(kb, tmp_path, pos_db):
    source = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", source, check=True)
    text = source.read_text(encoding="utf-8")
    i = text.index("\n[", len(text) // 2) + 1
    deep = tmp_path / "deep.json"
    deep.write_text(text[:i] + "[" * DEEP + "]" * DEEP + "," + text[i:], encoding="utf-8")
    before = hashlib.sha256(pos_db.read_bytes()).hexdigest()
    one_clear_line(kb.run("import", "--db", pos_db, "--from", deep, "--yes"), "nested far too deeply")
    assert hashlib.sha256(pos_db.read_bytes()).hexdigest() == before


def test_settings_nested_far_too_deeply(kb, tmp_path):
    config = tmp_path / "_config"
    config.mkdir()
    (config / "settings.json").write_text('{"version": 1, "profiles": ' + "[" * DEEP + "]" * DEEP + "}")
    kb.env["KASIRBACKUP_CONFIG_DIR"] = str(config)
    line = one_clear_line(kb.run("profile", "list"), "settings file", "nested far too deeply")
    assert "A copy was kept as" in line
    assert any(p.name != "settings.json" for p in config.iterdir())      # the copy is there


MEASURE = """
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(p.returncode)
"""


def zstd_bomb(size: int) -> bytes:
    """A zstd frame that declares and holds ``size`` zero bytes, made without holding them."""
    import io

    import zstandard

    out = io.BytesIO()
    with zstandard.ZstdCompressor(level=3, write_checksum=True).stream_writer(out, size=size, closefd=False) as w:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            w.write(chunk)
    return out.getvalue()


def test_an_index_bomb_is_refused_with_little_memory(kb, tmp_path):
    from kasirbackup.core.repo.packs import INDEX_MAGIC

    db = tmp_path / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, total INTEGER)")
    conn.executemany("INSERT INTO sale (total) VALUES (?)", [(i,) for i in range(1000)])
    conn.commit()
    conn.close()
    repo = tmp_path / "repo"
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    bomb = INDEX_MAGIC + zstd_bomb(500 << 20)
    assert len(bomb) < 64 * 1024
    (repo / "index" / hashlib.sha256(bomb).hexdigest()).write_bytes(bomb)

    proc = subprocess.run([sys.executable, "-c", MEASURE, *kb.argv("verify", "--repo", repo)], env=kb.env,
                          capture_output=True, text=True, timeout=300)
    rss_mb = int(proc.stdout.rsplit("MAXRSS_KB", 1)[1]) / 1024
    assert rss_mb < 250, f"verify used {rss_mb:.0f} MB for a {len(bomb)}-byte index file"
    assert "OK " in proc.stdout and "rebuilt from the backup files" in proc.stdout, proc.stdout + proc.stderr
