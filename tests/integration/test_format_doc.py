"""docs/FORMAT.md promises that a database can be recovered with only Python and the
document. Run the recovery program printed in the document against a real repository."""

import hashlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.repository import Repository

DOC = Path(__file__).resolve().parents[2] / "docs" / "FORMAT.md"


def recovery_program() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Recovery without KasirBackup", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_recovery_program_in_format_doc_restores_the_database(tmp_path):
    db = tmp_path / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE sale(id INTEGER PRIMARY KEY, total INTEGER, note TEXT)")
    conn.executemany("INSERT INTO sale(total, note) VALUES (?, ?)",
                     [(i * 1000, f"penjualan {i}" * 20) for i in range(5000)])
    conn.commit()
    repo = Repository.open(tmp_path / "repo", create=True)
    backup(repo, BackupRequest(str(db)))
    conn.execute("UPDATE sale SET total = total + 1 WHERE id % 7 = 0")
    conn.commit()
    conn.close()
    snap = backup(repo, BackupRequest(str(db))).snapshot   # shares pages with the first

    script = tmp_path / "recover.py"
    script.write_text(recovery_program(), encoding="utf-8")
    out = tmp_path / "recovered.db"
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "repo"), snap.id, str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == snap.image_sha256 \
        == hashlib.sha256(db.read_bytes()).hexdigest()
    check = sqlite3.connect(out)
    assert check.execute("SELECT count(*), sum(total) FROM sale").fetchone() == \
        (5000, sum(i * 1000 for i in range(5000)) + len(range(7, 5001, 7)))


def attachments_program() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Recovery without KasirBackup", 1)[1]
    return re.findall(r"```python\n(.*?)```", section, re.S)[1]


def test_attachments_program_in_format_doc_restores_the_files(tmp_path):
    """The second program of the recovery section brings back an attachment folder — files,
    a multi-chunk file, an empty file, a link, an empty folder — with only Python."""
    import os

    db = tmp_path / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE products(id INTEGER PRIMARY KEY, photo TEXT)")
    conn.commit()
    conn.close()
    up = tmp_path / "uploads"
    (up / "cat" / "kosong").mkdir(parents=True)
    for i in range(300):                     # enough entries for a tree of trees
        (up / "cat" / f"p{i:03d}.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(500 + i))
    big = os.urandom(6 * 1024 * 1024)
    (up / "scan.pdf").write_bytes(b"%PDF-" + big)
    (up / "empty.txt").write_bytes(b"")
    os.symlink("cat/p000.jpg", up / "logo.jpg")
    repo = Repository.open(tmp_path / "repo", create=True)
    snap = backup(repo, BackupRequest(str(db), attachments=[str(up)])).snapshot
    script = tmp_path / "files.py"
    script.write_text(attachments_program(), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "repo"), snap.id, str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    got = out / "uploads"
    for p in up.rglob("*"):
        q = got / p.relative_to(up)
        if p.is_symlink():
            assert os.readlink(q) == os.readlink(p)
        elif p.is_dir():
            assert q.is_dir()
        else:
            assert q.read_bytes() == p.read_bytes() and q.stat().st_mtime_ns == p.stat().st_mtime_ns
