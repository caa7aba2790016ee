"""Which folders of pictures the first-start wizard and Settings suggest backing up with a
database (app/attachments.py)."""

from __future__ import annotations

import os
from pathlib import Path

from kasirbackup.app.attachments import suggest_folders


def touch(*paths: Path, size: int = 10) -> None:
    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x" * size)


def test_the_uploads_and_receipts_of_a_web_pos_are_found(tmp_path):
    app = tmp_path / "toko"
    touch(app / "instance" / "kasir.db")
    touch(*(app / "static" / "uploads" / "produk" / f"{i}.jpg" for i in range(30)))
    touch(app / "static" / "uploads" / "logo" / "toko.png")
    touch(app / "static" / "favicon.png", app / "static" / "css" / "app.css")
    touch(*(app / "instance" / "receipts" / f"{i}.pdf" for i in range(5)), size=1000)
    touch(*(app / ".git" / "objects" / f"{i}.png" for i in range(50)))
    touch(*(app / "node_modules" / "lib" / f"{i}.png" for i in range(50)))
    got = {Path(s.path).relative_to(app).as_posix(): s.files for s in
           suggest_folders(app / "instance" / "kasir.db")}
    assert got == {"static/uploads": 31, "instance/receipts": 5}


def test_nothing_to_suggest(tmp_path):
    touch(tmp_path / "kasir.db", tmp_path / "readme.txt", tmp_path / "a" / "one.jpg")
    assert suggest_folders(tmp_path / "kasir.db") == []


def test_links_and_backup_folders_are_not_suggested(tmp_path):
    touch(tmp_path / "kasir.db")
    touch(*(tmp_path / "backups" / f"{i}.jpg" for i in range(10)))
    touch(tmp_path / "backups" / "kasirbackup.json")
    outside = tmp_path.parent / (tmp_path.name + "-outside")
    touch(*(outside / f"{i}.jpg" for i in range(10)))
    os.symlink(outside, tmp_path / "photos")
    assert suggest_folders(tmp_path / "kasir.db") == []
