"""Attachments (issue 17): a shop's picture folder backed up with its database, through the
real command line, and brought back onto another folder as a newcomer would after the PC
"died" — byte for byte, with its links as links, and nothing followed outside the folder."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.support.privileges import need_binding_permissions

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _shop(tmp_path: Path, small: int = 2000) -> tuple[Path, Path]:
    """A database and a folder of product photos beside it: ``small`` small pictures in
    sub-folders, two large scans, unicode names, an empty folder, a link inside and one
    pointing outside the folder."""
    rnd = random.Random(17)
    shop = tmp_path / "shop"
    up = shop / "static" / "uploads"
    up.mkdir(parents=True)
    db = shop / "kasir.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT, photo TEXT)")
    for i in range(small):
        sub = up / f"cat{i % 20:02d}"
        sub.mkdir(exist_ok=True)
        name = f"produk-{i:05d}.jpg"
        (sub / name).write_bytes(JPEG + rnd.randbytes(rnd.randint(200, 3000)))
        conn.execute("INSERT INTO products(name, photo) VALUES (?, ?)", (f"Produk {i}", f"cat{i % 20:02d}/{name}"))
    conn.commit()
    conn.close()
    (up / "scans").mkdir()
    (up / "scans" / "faktur-besar.pdf").write_bytes(b"%PDF-1.7\n" + rnd.randbytes(9 * 1024 * 1024))
    (up / "scans" / "catatan.txt").write_bytes(b"kasir " * 1_000_000)     # compresses well
    (up / "Kopi Susu ☕ — ünïcödé.png").write_bytes(b"\x89PNG\r\n\x1a\n" + rnd.randbytes(5000))
    (up / "kosong").mkdir()
    os.symlink("cat00/produk-00000.jpg", up / "logo.jpg")
    outside = tmp_path / "secret.txt"
    outside.write_text("not the shop's")
    os.symlink(outside, up / "keluar")
    return db, up


def _tree(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", p.read_bytes(), st.st_mtime_ns, stat.S_IMODE(st.st_mode))
    return out


def test_a_shop_and_its_photos_come_back_onto_another_folder(kb, tmp_path):
    db, up = _shop(tmp_path)
    repo = tmp_path / "repo"
    first = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert first["verified"] and first["attachments"]["files"] == 2003
    assert "2003 attachment files match" in first["verification"]["detail"]
    # the PC "dies": the shop folder is gone; a newcomer restores both elsewhere
    expected = _tree(up)
    shutil.rmtree(tmp_path / "shop")
    new = tmp_path / "new-pc"
    new.mkdir()
    r = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", new / "kasir.db",
               "--attachments-to", new / "files", check=True)
    assert "Restored 2003 files" in r.stdout
    got = _tree(new / "files" / "uploads")
    assert got == expected
    assert os.readlink(new / "files" / "uploads" / "keluar") == str(tmp_path / "secret.txt")
    conn = sqlite3.connect(new / "kasir.db")
    photos = [p for (p,) in conn.execute("SELECT photo FROM products")]
    conn.close()
    assert all((new / "files" / "uploads" / p).is_file() for p in photos)


def test_unchanged_photos_cost_nothing_and_an_edit_costs_its_chunks(kb, tmp_path):
    db, up = _shop(tmp_path, small=300)
    repo = tmp_path / "repo"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    second = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert second["attachments_read"] == 0
    assert second["added_bytes"] < 20_000, second["added_bytes"]
    # one photo replaced: its bytes (stored as is) plus a file-list piece, the tree and the manifest
    photo = up / "cat03" / "produk-00003.jpg"
    photo.write_bytes(JPEG + random.Random(3).randbytes(200_000))
    third = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert 200_000 < third["added_bytes"] < 200_000 + 20_000, third["added_bytes"]
    # 100 bytes changed in the middle of a 9 MiB scan: the chunks around the edit, not the file
    scan = up / "scans" / "faktur-besar.pdf"
    data = bytearray(scan.read_bytes())
    data[4_500_000:4_500_100] = b"x" * 100
    scan.write_bytes(bytes(data))
    fourth = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert fourth["added_bytes"] < 4 * 1024 * 1024 + 50_000, fourth["added_bytes"]
    # and every version comes back as it was
    out = tmp_path / "out"
    kb.run("restore", "--repo", repo, "--snapshot", fourth["id"], "--attachments-to", out, check=True)
    assert (out / "uploads" / "scans" / "faktur-besar.pdf").read_bytes() == bytes(data)
    assert (out / "uploads" / "cat03" / "produk-00003.jpg").read_bytes() == photo.read_bytes()


def test_one_file_or_folder_comes_back_alone(kb, tmp_path):
    db, up = _shop(tmp_path, small=50)
    repo = tmp_path / "repo"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    want = (up / "cat01" / "produk-00001.jpg").read_bytes()
    out = tmp_path / "one"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out,
           "--attachment", "cat01/produk-00001.jpg", check=True)
    assert (out / "uploads" / "cat01" / "produk-00001.jpg").read_bytes() == want
    assert sorted(p.name for p in (out / "uploads").rglob("*") if p.is_file()) == ["produk-00001.jpg"]
    # by its original full path, a whole sub-folder
    out2 = tmp_path / "two"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out2,
           "--attachment", str(up / "cat02"), check=True)
    assert len(list((out2 / "uploads" / "cat02").iterdir())) == 3
    # refusals, each one line, nothing written
    r = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", tmp_path / "three",
               "--attachment", "nope.jpg")
    assert r.returncode == 1 and "nope.jpg is not among the attachment files" in r.stderr
    assert not (tmp_path / "three").exists()
    r = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out)
    assert r.returncode == 1 and "already exists" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", tmp_path / "x.db",
               "--attachments-to", out)
    assert r.returncode == 1 and not (tmp_path / "x.db").exists(), "the database waited for the files' check"
    r = kb.run("restore", "--repo", repo, "--snapshot", "latest")
    assert r.returncode == 1 and "Say what to restore" in r.stderr


def test_the_database_and_the_backup_folder_are_never_copied_as_files(kb, tmp_path):
    """Attaching the folder that holds the database (and the backups) must not copy the live
    database raw — a torn copy — nor the backups into themselves."""
    db, up = _shop(tmp_path, small=5)
    shop = db.parent
    repo = shop / "backups"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", shop)
    out = tmp_path / "out"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out, check=True)
    assert not (out / "shop" / "kasir.db").exists() and not (out / "shop" / "backups").exists()
    assert (out / "shop" / "static" / "uploads" / "cat00" / "produk-00000.jpg").is_file()


def test_unreadable_and_vanishing_files_are_listed_not_fatal(kb, tmp_path):
    need_binding_permissions()
    db, up = _shop(tmp_path, small=5)
    locked = up / "cat01" / "rahasia.jpg"
    locked.write_bytes(JPEG + b"x" * 100)
    locked.chmod(0)
    (up / "pipa").parent.mkdir(exist_ok=True)
    os.mkfifo(up / "pipa")
    repo = tmp_path / "repo"
    r = kb.run("backup", "--db", db, "--repo", repo, "--attach", up, "--json")
    assert r.returncode == 0, r.stderr
    snap = json.loads(r.stdout)
    assert snap["verified"] and snap["attachments"]["files"] == 8
    assert "cat01/rahasia.jpg was not backed up: cannot be read" in r.stderr
    assert "pipa was not backed up: not a regular file" in r.stderr
    manifest = json.loads(next((repo / "snapshots").iterdir()).read_text())
    problems = {p["path"] for p in manifest["attachments"][0]["problems"]}
    assert problems == {"cat01/rahasia.jpg", "pipa"}


def test_a_missing_folder_is_named_and_the_database_still_backed_up(kb, tmp_path):
    db, up = _shop(tmp_path, small=5)
    r = kb.run("backup", "--db", db, "--repo", tmp_path / "r1", "--attach", tmp_path / "nowhere")
    assert r.returncode == 1 and "nowhere is not a folder" in r.stderr and not (tmp_path / "r1").exists()
    kb.run("profile", "add", "--name", "toko", "--db", db, "--repo", tmp_path / "repo", "--attach", up, check=True)
    shutil.rmtree(up)
    r = kb.run("run", "--profile", "toko")
    assert r.returncode == 0, r.stderr
    [snap] = kb.json("list", "--repo", tmp_path / "repo")
    assert snap["verified"] and snap["attachments"]["files"] == 0
    r = kb.run("restore", "--repo", tmp_path / "repo", "--snapshot", "latest", "--attachments-to", tmp_path / "o")
    assert r.returncode == 1 and "holds no attachment folders" in r.stderr


def test_prune_keeps_the_photos_of_kept_backups_and_drops_the_rest(kb, tmp_path):
    db, up = _shop(tmp_path, small=20)
    repo = tmp_path / "repo"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    shutil.rmtree(up / "scans")               # 9 MiB of scans thrown away
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    before = sum(f.stat().st_size for f in (repo / "data").rglob("*") if f.is_file())
    kb.run("prune", "--repo", repo, "--keep-last", "1", check=True)
    after = sum(f.stat().st_size for f in (repo / "data").rglob("*") if f.is_file())
    assert before - after > 9_000_000, (before, after)        # the scans' data went
    kb.run("verify", "--repo", repo, "--all", check=True)
    out = tmp_path / "out"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out, check=True)
    assert _tree(out / "uploads") == _tree(up)


def test_a_damaged_photo_fails_the_drill_and_is_not_restored(kb, tmp_path):
    """One bit of a stored photo flipped in its pack: verify says which file, and a restore
    leaves that file out (named) instead of writing wrong bytes under its name."""
    db, up = _shop(tmp_path, small=3)
    big = up / "scans" / "faktur-besar.pdf"
    repo = tmp_path / "repo"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    needle = big.read_bytes()[5_000_000:5_000_032]       # stored nearly as is (fast level)
    for pack in (repo / "data").rglob("*"):
        if pack.is_file():
            data = pack.read_bytes()
            at = data.find(needle)
            if at >= 0:
                pack.chmod(0o644)
                pack.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
                break
    else:
        pytest.fail("the scan's bytes were not found in any pack")
    r = kb.run("verify", "--repo", repo, "--all")
    assert r.returncode == 3 and "faktur-besar.pdf" in r.stdout + r.stderr
    out = tmp_path / "out"
    r = kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out)
    assert r.returncode == 3 and "faktur-besar.pdf" in r.stdout
    assert not (out / "uploads" / "scans" / "faktur-besar.pdf").exists()
    assert (out / "uploads" / "scans" / "catatan.txt").read_bytes() == (up / "scans" / "catatan.txt").read_bytes()


@pytest.mark.parametrize("point", ["attachments.file:500", "backup.packed"])
def test_a_killed_backup_leaves_the_earlier_backups_whole(kb, tmp_path, point):
    db, up = _shop(tmp_path, small=800)
    repo = tmp_path / "repo"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    for p in list(up.rglob("*.jpg"))[:400]:
        if not p.is_symlink():
            p.write_bytes(JPEG + os.urandom(1000))
    kb.killed_at(point, "backup", "--db", db, "--repo", repo, "--attach", up)
    assert len(kb.json("list", "--repo", repo)) == 1
    kb.run("verify", "--repo", repo, "--all", check=True)
    done = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert done["verified"]
    out = tmp_path / "out"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out, check=True)
    assert _tree(out / "uploads") == _tree(up)


def test_a_killed_restore_leaves_no_file_under_its_name_half_written(kb, tmp_path):
    db, up = _shop(tmp_path, small=50)
    repo = tmp_path / "repo"
    kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    out = tmp_path / "out"
    kb.killed_at("attachments.restored:20", "restore", "--repo", repo, "--snapshot", "latest",
                 "--attachments-to", out)
    written = [p for p in (out / "uploads").rglob("*")
               if p.is_file() and not p.is_symlink() and not p.name.endswith(".kbrestore")]
    assert len(written) == 20
    for p in written:
        assert p.read_bytes() == (up / p.relative_to(out / "uploads")).read_bytes()
    # the same restore into a new folder completes
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", tmp_path / "out2", check=True)
    assert _tree(tmp_path / "out2" / "uploads") == _tree(up)


def test_a_live_restore_puts_the_photos_back_in_place_and_undo_brings_today_back(kb, tmp_path):
    """The owner restores the shop to this morning: the database and its picture folder
    together, after a preview that counts the files; a link planted in the folder is
    removed, never written through; Undo brings back the folder as it was before."""
    db, up = _shop(tmp_path, small=30)
    repo = tmp_path / "repo"
    morning = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    expected = _tree(up)
    # the day goes on: a photo deleted, one edited, one added, a folder swapped for a link
    (up / "cat01" / "produk-00001.jpg").unlink()
    (up / "cat02" / "produk-00002.jpg").write_bytes(JPEG + b"edited")
    (up / "cat03" / "baru.jpg").write_bytes(JPEG + b"new today")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the shop's")
    shutil.rmtree(up / "cat04")
    os.symlink(outside, up / "cat04")
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM products WHERE id > 25")
    conn.commit()
    conn.close()
    today = _tree(up)
    r = kb.run("restore", "--repo", repo, "--snapshot", morning["id"], "--to", db, "--yes", check=True)
    assert f"attachments in {up}: files to bring back 3, to change 1, to remove 2" in r.stdout, r.stdout
    assert _tree(up) == expected
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"], "nothing was written through the link"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 30
    conn.close()
    kb.run("undo", "--db", db, "--repo", repo, check=True)
    assert _tree(up) == today
    assert os.readlink(up / "cat04") == str(outside)


def test_a_merge_brings_back_deleted_photos_and_keeps_new_ones(kb, tmp_path):
    db, up = _shop(tmp_path, small=10)
    repo = tmp_path / "repo"
    snap = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    gone = (up / "cat01" / "produk-00001.jpg").read_bytes()
    (up / "cat01" / "produk-00001.jpg").unlink()
    (up / "cat02" / "produk-00002.jpg").write_bytes(JPEG + b"edited today")
    (up / "cat03" / "baru.jpg").write_bytes(JPEG + b"new today")
    r = kb.run("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--mode", "merge", "--yes",
               check=True)
    assert "files to bring back 1, to change 0, to remove 0" in r.stdout, r.stdout
    assert (up / "cat01" / "produk-00001.jpg").read_bytes() == gone
    assert (up / "cat02" / "produk-00002.jpg").read_bytes() == JPEG + b"edited today"
    assert (up / "cat03" / "baru.jpg").exists()


def test_tables_only_or_no_attachments_leave_the_folder_alone(kb, tmp_path):
    db, up = _shop(tmp_path, small=10)
    repo = tmp_path / "repo"
    snap = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    (up / "cat01" / "produk-00001.jpg").unlink()
    before = _tree(up)
    kb.run("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--no-attachments", "--yes", check=True)
    kb.run("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--tables", "products", "--yes",
           check=True)
    assert _tree(up) == before


def test_diff_previews_the_photos_and_profiles_name_their_folders(kb, tmp_path):
    db, up = _shop(tmp_path, small=10)
    repo = tmp_path / "repo"
    snap = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    (up / "cat01" / "produk-00001.jpg").unlink()
    out = kb.json("diff", "--repo", repo, "--snapshot", snap["id"], "--db", db)
    [f] = out["attachments"]
    assert (f["come_back"], f["change"], f["go"]) == (1, 0, 0) and f["first"]["come_back"] == ["cat01/produk-00001.jpg"]
    r = kb.run("diff", "--repo", repo, "--snapshot", snap["id"], "--db", db, check=True)
    assert "files to bring back 1, to change 0, to remove 0" in r.stdout and "comes back: cat01/produk-00001.jpg" in r.stdout
    r = kb.run("profile", "add", "--name", "toko", "--db", db, "--repo", repo, "--attach", up, check=True)
    assert f"with the files in {up}" in r.stdout
    assert f"with the files in {up}" in kb.run("profile", "list", check=True).stdout
    assert kb.json("profile", "list")[0]["attachments"] == [str(up)]


def test_restoring_the_databases_own_folder_in_place_never_touches_the_database_or_backups(kb, tmp_path):
    """The shop's whole folder is attached: it holds the live database, the backup folder and
    a second backup folder (an off-site copy kept there). Restoring in place puts the photos
    back and leaves every one of those alone (before, they counted as files "to remove")."""
    db, up = _shop(tmp_path, small=10)
    shop = db.parent
    repo, other = shop / "backups", shop / "salinan"
    kb.json("backup", "--db", db, "--repo", other)
    snap = kb.json("backup", "--db", db, "--repo", repo, "--attach", shop)
    kb.json("backup", "--db", db, "--repo", other)          # the other copy changes after the snapshot
    other_files = sorted(p.relative_to(other) for p in other.rglob("*"))
    (up / "cat01" / "produk-00001.jpg").unlink()
    r = kb.run("restore", "--repo", repo, "--snapshot", snap["id"], "--to", db, "--yes", check=True)
    assert "to remove 0" in r.stdout, r.stdout
    assert (up / "cat01" / "produk-00001.jpg").exists()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 10
    conn.close()
    assert sorted(p.relative_to(other) for p in other.rglob("*")) == other_files
    assert len(kb.json("list", "--repo", repo)) == 2                   # the backup and its safety backup
    kb.run("verify", "--repo", repo, "--all", check=True)
    kb.run("undo", "--db", db, "--repo", repo, check=True)
    assert db.exists() and not (up / "cat01" / "produk-00001.jpg").exists()
