"""Encrypted repositories through the real command line (issue 7, "Encryption at rest",
"Secrets", "Bad input and attacks").

Every command runs in a subprocess with no terminal (stdin from /dev/null, a new
session), a private log, settings, history, scratch and TMPDIR folder, and the keyring
backend that has no store (``keyring.backends.fail.Keyring``), so nothing here touches
the machine's real credential store. The passphrase comes from ``KASIRBACKUP_PASSPHRASE``
or ``--passphrase-file``. Every standard output and error is checked for the secrets, and
so are the log, the repository and the settings/history folders at the end of the tests
that use them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import zstandard

from tests.support.checks import (assert_one_line_error, describe, integrity_check, row_counts,
                                  sha256_file)
from tests.support.dbgen import make_pos_db, simulate_day_of_sales

ROOT = Path(__file__).resolve().parents[2]

PASS = "Toko-Rahasia 7f3Q kasir!"          # distinctive: grep-able, never a substring of anything
NEW_PASS = "Ganti-Sandi 9xW2 baru?"
WRONG = "Salah-Tebak 4kZp nope#"
SECRETS = (PASS, NEW_PASS, WRONG)
POSIX = os.name == "posix"
DB_BYTES = 2_000_000


# -- the command line --------------------------------------------------------------------------

@dataclass
class Kit:
    """``python -m kasirbackup`` with private folders, no terminal and no credential store."""

    base: Path
    env: dict = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)

    @classmethod
    def make(cls, base: Path) -> "Kit":
        base.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KASIRBACKUP_", "AWS_"))}
        for name, var in (("_logs", "KASIRBACKUP_LOG_DIR"), ("_config", "KASIRBACKUP_CONFIG_DIR"),
                          ("_data", "KASIRBACKUP_DATA_DIR"), ("_tmp", "TMPDIR"),
                          ("_scratch", "KASIRBACKUP_SCRATCH_DIR")):
            if name in ("_logs", "_tmp"):       # the others are left for the program to create
                (base / name).mkdir(exist_ok=True)
            env[var] = str(base / name)
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        return cls(base, env)

    @property
    def private_dirs(self) -> list[Path]:
        return [self.base / n for n in ("_logs", "_config", "_data", "_tmp", "_scratch")]

    def run(self, *args, passphrase: str | None = PASS, timeout: float = 240) -> subprocess.CompletedProcess:
        env = dict(self.env)
        if passphrase is not None:
            env["KASIRBACKUP_PASSPHRASE"] = passphrase
        proc = subprocess.run([sys.executable, "-m", "kasirbackup", *map(str, args)], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                              cwd=str(ROOT), start_new_session=True)
        both = proc.stdout + proc.stderr
        self.outputs.append(both)
        for s in SECRETS:
            assert s not in both, f"a passphrase was printed by {args}\n{describe(proc)}"
        assert "Traceback" not in both, describe(proc)
        return proc

    def ok(self, *args, **kw) -> subprocess.CompletedProcess:
        proc = self.run(*args, **kw)
        assert proc.returncode == 0, f"kasirbackup {' '.join(map(str, args))}\n{describe(proc)}"
        return proc

    def json(self, *args, **kw):
        return json.loads(self.ok(*args, "--json", **kw).stdout)

    def secret_file(self, name: str, secret: str) -> Path:
        p = self.base / name
        p.write_text(secret + "\n", encoding="utf-8")
        p.chmod(0o600)
        return p


# -- helpers ---------------------------------------------------------------------------------------

def all_files(*roots: Path):
    for root in roots:
        if root.is_file():
            yield root
            continue
        for d, _, files in os.walk(root):
            for f in files:
                yield Path(d) / f


def tree_state(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file (with its SHA-256) and folder under ``root``."""
    out = {}
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        out[rel + "/"] = "dir"
        for f in files:
            r = os.path.normpath(os.path.join(rel, f))
            if r not in skip:
                out[r] = sha256_file(Path(d) / f)
    return out


def assert_no_secrets(*roots: Path) -> None:
    for f in all_files(*roots):
        data = f.read_bytes()
        for s in SECRETS:
            for enc in ("utf-8", "utf-16-le"):
                assert s.encode(enc) not in data, f"the passphrase {s!r} is in {f}"


def distinctive_strings(db: Path, name: str = "kasir.db") -> list[bytes]:
    """Strings of the shop's data that must not be readable in an encrypted repository."""
    conn = sqlite3.connect(db)
    try:
        produk = [r[0] for r in conn.execute("SELECT nama FROM produk ORDER BY id LIMIT 30")]
        pelanggan = [r[0] for r in conn.execute(
            "SELECT nama || '|' || alamat FROM pelanggan ORDER BY id LIMIT 30")]
        kode = [r[0] for r in conn.execute("SELECT kode FROM transaksi ORDER BY id DESC LIMIT 10")]
        barcode = [r[0] for r in conn.execute("SELECT kode FROM produk ORDER BY id LIMIT 10")]
    finally:
        conn.close()
    needles = {"SQLite format 3", "transaksi_detail", "CREATE TABLE", "CREATE INDEX", name,
               str(db.parent / name)}
    for p in pelanggan:
        needles.update(x for x in p.split("|") if len(x) >= 8)
    needles.update(x for x in produk + kode + barcode if len(x) >= 6)
    return sorted(n.encode("utf-8") for n in needles)


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def readable_views(data: bytes) -> list[bytes]:
    """The bytes of a file, and what every zstd frame found in it decompresses to (the
    stored frames of an unencrypted repository are compressed, and zstd's Huffman-coded
    literals hide text from a plain grep)."""
    views = [data]
    pos = data.find(ZSTD_MAGIC)
    while pos != -1:
        try:
            views.append(zstandard.ZstdDecompressor().decompressobj().decompress(data[pos:pos + (8 << 20)]))
        except zstandard.ZstdError:
            pass
        pos = data.find(ZSTD_MAGIC, pos + 1)
    return views


def plaintext_hits(repo: Path, needles: list[bytes]) -> list[str]:
    """Needles readable in a repository file, directly or after zstd decompression."""
    hits = []
    for f in all_files(repo):
        views = readable_views(f.read_bytes())
        hits.extend(f"{n.decode()!r} in {f.relative_to(repo)}" for n in needles if any(n in v for v in views))
    return hits


def assert_private(root: Path, folders: bool = True) -> None:
    """Files 0600, folders 0700 (POSIX)."""
    bad = []
    for d, dirs, files in os.walk(root):
        m = stat.S_IMODE(os.stat(d).st_mode)
        if folders and m != 0o700:
            bad.append(f"{d}: folder mode {m:o}")
        for f in files:
            m = stat.S_IMODE(os.stat(os.path.join(d, f)).st_mode)
            if m != 0o600:
                bad.append(f"{os.path.join(d, f)}: file mode {m:o}")
    assert not bad, "not private to the owner:\n" + "\n".join(bad)


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(Path(db).absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def one_error_line(proc, *needles) -> str:
    return assert_one_line_error(proc, *needles)


# -- one encrypted repository with two backups, shared by the read-only tests -------------------

@dataclass
class World:
    kit: Kit
    db: Path              # the live database (after the small change)
    db1: Path             # copy of the database as it was at the first backup
    db2: Path             # copy as it was at the second backup
    repo: Path            # encrypted
    plain: Path           # the same two backups, unencrypted (control)
    pfile: Path
    enc: list[dict]
    plain_snaps: list[dict]

    def copy_repo(self, dest: Path) -> Path:
        shutil.copytree(self.repo, dest, symlinks=True)
        return dest


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    base = tmp_path_factory.mktemp("encrypted")
    kit = Kit.make(base)
    db = base / "kasir.db"
    make_pos_db(str(db), DB_BYTES, seed=7)
    repo, plain = base / "repo-enc", base / "repo-plain"
    pfile = kit.secret_file("pass.txt", PASS)

    out = kit.json("init", "--encrypt", "--repo", repo)
    assert out["encrypted"] is True
    s1 = kit.json("backup", "--db", db, "--repo", repo)
    p1 = kit.json("backup", "--db", db, "--repo", plain, passphrase=None)
    db1 = base / "kasir.1.db"
    shutil.copyfile(db, db1)
    simulate_day_of_sales(str(db), 5, seed=3)
    db2 = base / "kasir.2.db"
    shutil.copyfile(db, db2)
    s2 = kit.json("backup", "--db", db, "--repo", repo, "--passphrase-file", pfile, passphrase=None)
    p2 = kit.json("backup", "--db", db, "--repo", plain, passphrase=None)
    return World(kit, db, db1, db2, repo, plain, pfile, [s1, s2], [p1, p2])


# -- round trip ------------------------------------------------------------------------------------

def test_config_says_encrypted_and_header_holds_no_key(world):
    cfg = json.loads((world.repo / "kasirbackup.json").read_text())
    enc = cfg["encryption"]
    assert enc["cipher"] == "aes-256-gcm" and enc["ids"] == "hmac-sha256"
    assert enc["kdf"]["name"] in ("argon2id", "scrypt")
    assert cfg["plain_copy"] is False
    # only wrapped keys: 12-byte nonce + 64 bytes of keys + 16-byte tag
    assert len(base64.b64decode(enc["wrapped_keys"])) == 12 + 64 + 16
    shown = world.kit.json("config", "--repo", world.repo)
    assert shown["encrypted"] is True and shown["plain_copy"] is False


def test_list_verify_and_restore_are_byte_identical(world, tmp_path):
    kit = world.kit
    listed = kit.json("list", "--repo", world.repo)
    assert [s["id"] for s in listed] == [world.enc[1]["id"], world.enc[0]["id"]]
    assert all(s["verified"] for s in listed)
    assert [s["sha256"] for s in listed] == [sha256_file(world.db2), sha256_file(world.db1)]

    for snap, want in ((world.enc[0], world.db1), (world.enc[1], world.db2)):
        out = tmp_path / f"restored-{snap['id'][:8]}.db"
        got = kit.json("restore", "--repo", world.repo, "--snapshot", snap["id"][:10], "--to", out,
                       "--passphrase-file", world.pfile, passphrase=None)
        assert got["sha256"] == sha256_file(want)
        assert out.read_bytes() == want.read_bytes()

    repo = world.copy_repo(tmp_path / "repo")     # verify rewrites the manifests
    v = kit.json("verify", "--repo", repo)
    assert v["ok"] is True and len(v["snapshots"]) == 2 and not v["problems"], v


def test_no_plaintext_anywhere_in_the_repository(world):
    needles = sorted(set(distinctive_strings(world.db2) + distinctive_strings(world.db1)))
    # the search has teeth: in an unencrypted repository with the same backups it finds
    # nearly every needle (the SQLite header, product and customer names, sale codes, …)
    control = {h.split("' in ")[0] for h in plaintext_hits(world.plain, needles)}
    assert len(control) >= 0.8 * len(needles), f"the search finds too little even unencrypted: {control}"
    # and the raw bytes of the encrypted one show none of them
    raw = [f"{n.decode()!r} in {f.relative_to(world.repo)}" for f in all_files(world.repo)
           for n in needles if n in f.read_bytes()]
    assert raw == []
    assert plaintext_hits(world.repo, needles) == []


def test_object_names_and_contents_do_not_leak_page_hashes(world):
    """Content-addressed names must not leak content: no SHA-256 of a database page (the
    unencrypted blob id) appears in a file name or in the bytes of any repository file."""
    data = world.db2.read_bytes()
    ps = 4096
    digests = {hashlib.sha256(data[i:i + ps]).digest() for i in range(0, len(data), ps)}
    hexes = {d.hex() for d in digests}
    for f in all_files(world.repo):
        assert f.name not in hexes and not any(f.name.startswith(h[:16]) for h in hexes)
        body = f.read_bytes()
        assert not any(d in body for d in digests), f"a page hash is readable in {f}"


def test_deduplication_works_under_encryption(world):
    first, second = world.enc
    assert second["added_bytes"] < 0.15 * first["added_bytes"], (first["added_bytes"], second["added_bytes"])
    # and about as well as without encryption (a sealed object costs 36 bytes more)
    assert second["added_bytes"] <= 1.25 * world.plain_snaps[1]["added_bytes"] + 4096, \
        (second["added_bytes"], world.plain_snaps[1]["added_bytes"])


def test_repository_is_private_to_the_owner(world):
    if not POSIX:
        pytest.skip("POSIX modes")
    assert_private(world.repo)


def test_diff_live_restore_prune_then_everything_still_private(world, tmp_path):
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    live = tmp_path / "kasir.db"
    shutil.copyfile(world.db2, live)
    s1, s2 = world.enc

    diff = kit.json("diff", "--repo", repo, "--snapshot", s1["id"][:8], "--db", live)
    assert diff["same_database"] is True
    assert json.dumps(diff).count("transaksi") >= 1

    res = kit.json("restore", "--repo", repo, "--snapshot", s1["id"][:8], "--to", live, "--yes",
                   "--passphrase-file", world.pfile, passphrase=None)
    assert res["safety_snapshot"]
    assert integrity_check(live) == ["ok"]
    assert row_counts(live) == row_counts(world.db1)
    assert dump(live) == dump(world.db1)

    snaps = kit.json("list", "--repo", repo)
    assert len(snaps) == 3 and snaps[0]["id"] == res["safety_snapshot"]

    pr = kit.json("prune", "--repo", repo, "--keep-last", "1")
    kept = [x["id"] for x in pr["snapshots"] if x["action"] == "keep"]
    assert pr["removed"] >= 1 and res["safety_snapshot"] in kept, pr
    assert sorted(s["id"] for s in kit.json("list", "--repo", repo)) == sorted(kept)
    v = kit.json("verify", "--repo", repo)
    assert v["ok"] is True and len(v["snapshots"]) == len(kept)
    out = tmp_path / "safety.db"
    kit.ok("restore", "--repo", repo, "--snapshot", res["safety_snapshot"], "--to", out)
    # the safety backup is the database as it was before (taken with SQLite's backup API
    # while the restore held the database: same content, its own change counter)
    assert dump(out) == dump(world.db2)

    needles = distinctive_strings(world.db1) + distinctive_strings(world.db2)
    assert plaintext_hits(repo, needles) == []
    assert_no_secrets(repo, *kit.private_dirs)
    if POSIX:
        assert_private(repo, folders=False)     # folders: test_repository_is_private_to_the_owner


# -- wrong or missing passphrase ---------------------------------------------------------------------

def test_wrong_passphrase_one_line_and_nothing_written(world, tmp_path):
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    before = tree_state(repo)
    target = tmp_path / "restored.db"
    sheet = tmp_path / "sheet.txt"
    wrong_file = kit.secret_file("wrong.txt", WRONG)
    cmds = [
        ("list", "--repo", repo),
        ("verify", "--repo", repo),
        ("backup", "--db", world.db, "--repo", repo),
        ("restore", "--repo", repo, "--snapshot", "latest", "--to", target),
        ("diff", "--repo", repo, "--snapshot", "latest", "--db", world.db),
        ("prune", "--repo", repo, "--keep-last", "1"),
        ("config", "--repo", repo, "--plain-copy", "off"),
        ("recovery-sheet", "--repo", repo, "--out", sheet),
        ("passphrase", "change", "--repo", repo, "--new-passphrase-file", world.pfile),
    ]
    for i, cmd in enumerate(cmds):
        # alternate the two ways of giving it
        proc = kit.run(*cmd, passphrase=WRONG) if i % 2 == 0 else \
            kit.run(*cmd, "--passphrase-file", wrong_file, passphrase=None)
        line = one_error_line(proc, "does not open")
        assert "no passphrase" not in line
    assert not target.exists() and not sheet.exists()
    assert not list(tmp_path.glob(".restored.db*"))
    assert tree_state(repo) == before


def test_no_passphrase_and_no_terminal_says_so(world, tmp_path):
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    before = tree_state(repo)
    for cmd in (("list", "--repo", repo), ("verify", "--repo", repo),
                ("backup", "--db", world.db, "--repo", repo),
                ("restore", "--repo", repo, "--snapshot", "latest", "--to", tmp_path / "x.db")):
        proc = kit.run(*cmd, passphrase=None)
        line = one_error_line(proc, "encrypted", "no passphrase was given")
        assert "does not open" not in line
    # init --encrypt without any way to get a new passphrase
    proc = kit.run("init", "--encrypt", "--repo", tmp_path / "new", passphrase=None)
    line = one_error_line(proc, "passphrase")
    assert "does not open" not in line
    assert not (tmp_path / "new" / "kasirbackup.json").exists()
    assert tree_state(repo) == before
    assert not (tmp_path / "x.db").exists()


def test_unreadable_passphrase_file_is_not_a_wrong_passphrase(world, tmp_path):
    kit = world.kit
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for f, needle in ((tmp_path / "missing.txt", "cannot read the passphrase file"),
                      (empty, "empty")):
        proc = kit.run("list", "--repo", world.repo, "--passphrase-file", f, passphrase=None)
        line = one_error_line(proc, needle)
        assert "does not open" not in line


def test_init_remember_without_a_secure_store_says_so(tmp_path):
    kit = Kit.make(tmp_path / "k")
    out = kit.run("init", "--encrypt", "--remember", "--repo", tmp_path / "r", "--json")
    assert out.returncode == 0, describe(out)
    assert json.loads(out.stdout)["passphrase_remembered"] is False
    assert "no secure credential store" in out.stderr
    assert "wrong" not in out.stderr.lower()
    proc = kit.run("passphrase", "remember", "--repo", tmp_path / "r")
    one_error_line(proc, "no secure credential store")


# -- passphrase change -----------------------------------------------------------------------------

def test_passphrase_change_rewrites_only_the_header(world, tmp_path):
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    before = tree_state(repo, skip=("kasirbackup.json",))
    cfg_before = json.loads((repo / "kasirbackup.json").read_text())
    new_file = kit.secret_file("new.txt", NEW_PASS)

    kit.ok("passphrase", "change", "--repo", repo, "--new-passphrase-file", new_file)

    assert tree_state(repo, skip=("kasirbackup.json",)) == before
    cfg_after = json.loads((repo / "kasirbackup.json").read_text())
    assert cfg_after["encryption"]["wrapped_keys"] != cfg_before["encryption"]["wrapped_keys"]
    assert cfg_after["encryption"]["kdf"]["salt"] != cfg_before["encryption"]["kdf"]["salt"]
    for d in (cfg_before, cfg_after):
        d["encryption"].pop("wrapped_keys")
        d["encryption"]["kdf"].pop("salt")
    assert cfg_after == cfg_before

    one_error_line(kit.run("list", "--repo", repo, passphrase=PASS), "does not open")
    one_error_line(kit.run("list", "--repo", repo, "--passphrase-file", world.pfile, passphrase=None),
                   "does not open")
    assert len(kit.json("list", "--repo", repo, "--passphrase-file", new_file, passphrase=None)) == 2
    out = tmp_path / "r.db"
    kit.ok("restore", "--repo", repo, "--snapshot", world.enc[0]["id"][:8], "--to", out, passphrase=NEW_PASS)
    assert out.read_bytes() == world.db1.read_bytes()
    if POSIX:
        assert stat.S_IMODE((repo / "kasirbackup.json").stat().st_mode) == 0o600
    assert_no_secrets(repo)


def test_after_a_passphrase_change_the_old_sheet_still_opens_with_the_old_passphrase_as_said(world, tmp_path):
    """The keys inside do not change with the passphrase: an old recovery sheet plus the old
    passphrase still opens every backup, new ones too. The message says so, not that the old
    sheet "no longer matches"."""
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    sheet = tmp_path / "old-sheet.txt"
    kit.ok("recovery-sheet", "--repo", repo, "--out", sheet)
    proc = kit.ok("passphrase", "change", "--repo", repo, "--new-passphrase-file", kit.secret_file("n.txt", NEW_PASS))
    assert "old sheet still opens these backups together with the OLD passphrase" in proc.stdout
    assert "no longer matches" not in proc.stdout
    kit.ok("backup", "--db", world.db1, "--repo", repo, passphrase=NEW_PASS)       # a backup after the change
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(repo, elsewhere)
    (elsewhere / "kasirbackup.json").unlink()
    kit.ok("recovery-sheet", "--repo", elsewhere, "--restore", sheet, passphrase=None)
    listed = kit.json("list", "--repo", elsewhere, passphrase=PASS)                # the OLD passphrase
    assert len(listed) == 3
    out = tmp_path / "newest.db"
    kit.ok("restore", "--repo", elsewhere, "--snapshot", "latest", "--to", out, passphrase=PASS)
    assert out.read_bytes() == world.db1.read_bytes()


def test_passphrase_change_refuses_a_too_short_new_passphrase(world, tmp_path):
    """The 8-character minimum of init applies to a new passphrase from a file too."""
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    before = tree_state(repo)
    short = tmp_path / "short.txt"
    short.write_text("abc\n")
    proc = kit.run("passphrase", "change", "--repo", repo, "--new-passphrase-file", short)
    one_error_line(proc, "too short")
    assert tree_state(repo) == before


def test_passphrase_change_without_a_new_passphrase_does_not_pretend(world, tmp_path):
    """With the current passphrase in KASIRBACKUP_PASSPHRASE, no --new-passphrase-file and
    no terminal there is no new passphrase: the command must not report "Passphrase
    changed" while the old one still opens the repository."""
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    proc = kit.run("passphrase", "change", "--repo", repo, passphrase=PASS)
    old_still_opens = kit.run("list", "--repo", repo, passphrase=PASS).returncode == 0
    assert not (proc.returncode == 0 and old_still_opens), \
        f"'passphrase change' succeeded but the old passphrase still opens the repository\n{describe(proc)}"
    if proc.returncode != 0:
        one_error_line(proc)


# -- recovery sheet ----------------------------------------------------------------------------------

def _sheet_block(text: str) -> tuple[list[str], int, int]:
    lines = text.splitlines()
    b = lines.index("-----BEGIN KASIRBACKUP REPOSITORY KEY-----")
    e = lines.index("-----END KASIRBACKUP REPOSITORY KEY-----")
    return lines, b, e


def test_recovery_sheet_puts_back_a_lost_configuration(world, tmp_path):
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    original = json.loads((repo / "kasirbackup.json").read_text())
    sheet = tmp_path / "sheet.txt"
    printed = kit.ok("recovery-sheet", "--repo", repo).stdout
    assert "BEGIN KASIRBACKUP REPOSITORY KEY" in printed and original["id"] in printed
    kit.ok("recovery-sheet", "--repo", repo, "--out", sheet)
    text = sheet.read_text(encoding="utf-8")
    assert original["id"] in text and "END KASIRBACKUP REPOSITORY KEY" in text
    assert_no_secrets(sheet)

    (repo / "kasirbackup.json").unlink()
    one_error_line(kit.run("list", "--repo", repo), "kasirbackup.json")
    kit.ok("recovery-sheet", "--repo", repo, "--restore", sheet, passphrase=None)
    assert json.loads((repo / "kasirbackup.json").read_text()) == original
    v = kit.json("verify", "--repo", repo)
    assert v["ok"] is True and len(v["snapshots"]) == 2
    out = tmp_path / "r.db"
    kit.ok("restore", "--repo", repo, "--snapshot", "latest", "--to", out)
    assert out.read_bytes() == world.db2.read_bytes()
    if POSIX:   # the configuration written back is as private as the one it replaces
        assert_private(repo, folders=False)


@pytest.fixture(scope="module")
def saved_sheet(world, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("sheet") / "sheet.txt"
    world.kit.ok("recovery-sheet", "--repo", world.repo, "--out", out)
    return out.read_text(encoding="utf-8")


def _damaged_sheets(text: str) -> dict[str, str]:
    lines, b, e = _sheet_block(text)
    mid = (b + e) // 2
    out = {}
    out["END line missing"] = "\n".join(lines[:e] + lines[e + 1:])
    out["a line of the block missing"] = "\n".join(lines[:mid] + lines[mid + 1:])
    bad = list(lines)
    bad[mid] = bad[mid][:10] + "!" + bad[mid][11:]
    out["a character that is not base64"] = "\n".join(bad)
    bad = list(lines)
    bad[b + 1] = bad[b + 1][:4] + ("A" if bad[b + 1][4] != "A" else "B") + bad[b + 1][5:]
    out["the start of the block mistyped"] = "\n".join(bad)
    out["block cut in half"] = "\n".join(lines[:mid] + lines[e:])
    out["not a sheet at all"] = "shopping list: beras, gula, minyak\n"
    return out


def test_recovery_sheet_with_a_damaged_block_is_refused(world, saved_sheet, tmp_path):
    kit = world.kit
    accepted = []
    for i, (what, text) in enumerate(_damaged_sheets(saved_sheet).items()):
        folder = tmp_path / f"r{i}"
        folder.mkdir()
        (folder / "data").mkdir()           # a repository whose configuration is lost
        sheet = tmp_path / f"sheet{i}.txt"
        sheet.write_text(text, encoding="utf-8")
        proc = kit.run("recovery-sheet", "--repo", folder, "--restore", sheet)
        if proc.returncode == 0:
            later = kit.run("list", "--repo", folder)
            accepted.append(f"{what}: accepted; then 'list' says: {later.stderr.strip()}")
            continue
        one_error_line(proc, "recovery sheet")
        assert not (folder / "kasirbackup.json").exists(), what
    assert not accepted, "damaged recovery sheets were accepted:\n" + "\n".join(accepted)


def _typo_in_wrapped_key(text: str) -> str:
    """One mistyped character of the key block that still decodes to a valid
    configuration, but with a different wrapped key (the typo a person makes when typing
    the sheet back from paper)."""
    lines, b, e = _sheet_block(text)
    check = [ln for ln in lines[b + 1:e] if ln.startswith("=")]      # the sheet's checksum line
    block = "".join(ln for ln in lines[b + 1:e] if not ln.startswith("="))
    cfg = json.loads(base64.b64decode(block))
    raw = json.dumps(cfg, sort_keys=True).encode()
    start = raw.index(cfg["encryption"]["wrapped_keys"].encode())
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    for pos in range(start * 4 // 3 + 8, len(block)):
        for c in alphabet:
            if c == block[pos]:
                continue
            cand = block[:pos] + c + block[pos + 1:]
            try:
                d = json.loads(base64.b64decode(cand, validate=True))
            except ValueError:
                continue
            try:
                keys = base64.b64decode(d["encryption"]["wrapped_keys"], validate=True)
            except (ValueError, KeyError, TypeError):
                continue
            if d.get("id") == cfg["id"] and len(keys) == 92 and \
                    d["encryption"]["wrapped_keys"] != cfg["encryption"]["wrapped_keys"]:
                new_lines = [cand[i:i + 64] for i in range(0, len(cand), 64)] + check
                return "\n".join(lines[:b + 1] + new_lines + lines[e:]) + "\n"
    raise AssertionError("no single-character typo found")


def test_recovery_sheet_typo_is_caught_not_reported_later_as_wrong_passphrase(world, saved_sheet, tmp_path):
    """A typo in the key block must be reported as a damaged sheet when it is restored —
    not accepted, only for every later command to say "the passphrase does not open this
    repository" (the user would then doubt the right passphrase)."""
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    (repo / "kasirbackup.json").unlink()
    sheet = tmp_path / "typo.txt"
    sheet.write_text(_typo_in_wrapped_key(saved_sheet), encoding="utf-8")
    proc = kit.run("recovery-sheet", "--repo", repo, "--restore", sheet, passphrase=PASS)
    after = kit.run("list", "--repo", repo, passphrase=PASS) if proc.returncode == 0 else None
    assert proc.returncode != 0, (
        "a recovery sheet with a typo in its key block was accepted; afterwards the right passphrase "
        f"gets: {after.stderr.strip() if after else ''}\n{describe(proc)}")
    one_error_line(proc, "recovery sheet")
    assert not (repo / "kasirbackup.json").exists()


# -- plain copy and downgrades ----------------------------------------------------------------------

def test_plain_copy_is_refused_for_encrypted_repositories(world, tmp_path):
    kit = world.kit
    new = tmp_path / "new"
    one_error_line(kit.run("init", "--encrypt", "--plain-copy", "--repo", new), "plain")
    assert not (new / "kasirbackup.json").exists()
    assert not new.exists() or not any(new.iterdir())

    repo = world.copy_repo(tmp_path / "repo")
    before = tree_state(repo)
    one_error_line(kit.run("config", "--repo", repo, "--plain-copy", "on"), "plain")
    assert tree_state(repo) == before
    assert kit.json("config", "--repo", repo, "--plain-copy", "off")["plain_copy"] is False


def test_profile_with_plain_copy_never_puts_plaintext_into_an_encrypted_repository(world, tmp_path):
    kit = Kit.make(tmp_path / "k")
    repo = world.copy_repo(tmp_path / "repo")
    db = tmp_path / "kasir.db"
    shutil.copyfile(world.db2, db)
    kit.ok("profile", "add", "--name", "toko", "--db", db, "--repo", repo, "--plain-copy", "--no-prune")
    proc = kit.run("run", "--profile", "toko", "--trigger", "manual")
    cfg = json.loads((repo / "kasirbackup.json").read_text())
    hits = plaintext_hits(repo, distinctive_strings(db))
    assert not (repo / "latest").exists() and not hits and cfg["plain_copy"] is False, (
        f"plain copy in an encrypted repository: latest/={sorted(os.listdir(repo / 'latest')) if (repo / 'latest').exists() else None}, "
        f"plain_copy={cfg['plain_copy']}, plaintext={hits[:5]}\n{describe(proc)}")


def test_plain_copy_flag_edited_into_an_encrypted_configuration_writes_no_plaintext(world, tmp_path):
    """The commands refuse to turn the plain copy on, but the flag can still arrive in
    kasirbackup.json (edited by hand, another tool, a later version): the backup itself
    must never publish the shop's database unencrypted in an encrypted repository."""
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    cfg = json.loads((repo / "kasirbackup.json").read_text())
    cfg["plain_copy"] = True
    (repo / "kasirbackup.json").write_text(json.dumps(cfg))
    (repo / "kasirbackup.json").chmod(0o600)
    proc = kit.run("backup", "--db", world.db, "--repo", repo)
    hits = plaintext_hits(repo, distinctive_strings(world.db))
    latest = sorted(os.listdir(repo / "latest")) if (repo / "latest").exists() else None
    assert latest is None and not hits, \
        f"plaintext in the encrypted repository: latest/={latest}, {hits[:5]}\n{describe(proc)}"


def test_configuration_downgraded_to_unencrypted_is_refused(world, tmp_path):
    """Someone with write access to the folder (a shared or cloud-synced folder) sets
    "encryption": null in kasirbackup.json. The repository's objects are sealed, so it is
    not a plain repository: refuse, and above all never write the shop's data unencrypted."""
    kit = world.kit
    repo = world.copy_repo(tmp_path / "repo")
    cfg = json.loads((repo / "kasirbackup.json").read_text())
    cfg["encryption"] = None
    (repo / "kasirbackup.json").write_text(json.dumps(cfg))
    before = tree_state(repo)

    backup = kit.run("backup", "--db", world.db, "--repo", repo, passphrase=None)
    written = sorted(set(tree_state(repo)) - set(before))
    hits = plaintext_hits(repo, distinctive_strings(world.db))
    assert backup.returncode != 0 and not written, (
        f"a backup was written unencrypted into an encrypted repository: {written}, plaintext {hits[:5]}\n"
        f"{describe(backup)}")
    listing = kit.run("list", "--repo", repo, passphrase=None)
    assert listing.returncode != 0, f"'list' treats the encrypted repository as empty\n{describe(listing)}"


def test_damaged_configuration_is_a_clear_error(world, tmp_path):
    kit = world.kit
    good = (world.repo / "kasirbackup.json").read_bytes()
    cfg = json.loads(good)
    variants = {
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "salt missing": json.dumps({**cfg, "encryption": {**cfg["encryption"], "kdf": {
            k: v for k, v in cfg["encryption"]["kdf"].items() if k != "salt"}}}).encode(),
        "wrapped keys cut": json.dumps({**cfg, "encryption": {**cfg["encryption"],
                                        "wrapped_keys": cfg["encryption"]["wrapped_keys"][:40]}}).encode(),
        "unknown kdf": json.dumps({**cfg, "encryption": {**cfg["encryption"], "kdf": {
            **cfg["encryption"]["kdf"], "name": "rot13"}}}).encode(),
    }
    for i, (what, data) in enumerate(variants.items()):
        repo = tmp_path / f"r{i}"
        repo.mkdir()
        (repo / "snapshots").mkdir()
        (repo / "kasirbackup.json").write_bytes(data)
        proc = kit.run("list", "--repo", repo)
        line = one_error_line(proc, "damaged")
        assert "does not open" not in line, what


# -- temporary copies ---------------------------------------------------------------------------------

def test_wal_backup_never_writes_plaintext_into_an_encrypted_repository(tmp_path, monkeypatch):
    """A WAL database is copied with SQLite's backup API into a temporary file first; for
    an encrypted repository that plaintext copy must not be made inside the repository
    folder (a USB disk or a cloud-sync folder would carry the shop's data unencrypted, and
    a killed run leaves it there)."""
    import tempfile

    from kasirbackup.core.repo import crypto
    from kasirbackup.core.snapshot.backup import BackupRequest, backup
    from kasirbackup.core.repo.repository import Repository

    monkeypatch.setattr(crypto, "KDF_DEFAULT", {"name": "argon2id", "memory_kib": 64, "iterations": 1, "lanes": 1})
    monkeypatch.setenv("KASIRBACKUP_SCRATCH_DIR", str(tmp_path / "scratch"))
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 300_000, seed=2, journal_mode="wal")
    repo_dir = tmp_path / "repo"
    repo = Repository.init(repo_dir, encrypt_with=PASS)

    made: list[str] = []
    real = tempfile.mkstemp

    def spy(*a, **kw):
        fd, name = real(*a, **kw)
        made.append(name)
        return fd, name
    monkeypatch.setattr(tempfile, "mkstemp", spy)
    res = backup(repo, BackupRequest(db_path=str(db)))
    assert res.snapshot.verified and res.snapshot.capture.get("method") == "backup-api"
    inside = [m for m in made if Path(m).resolve().is_relative_to(repo_dir.resolve())]
    assert not inside, f"plaintext temporary copies made inside the encrypted repository: {inside}"


# -- secrets ----------------------------------------------------------------------------------------------

def test_passphrases_never_reach_logs_settings_history_or_output(tmp_path):
    kit = Kit.make(tmp_path / "k")
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 300_000, seed=5)
    repo = tmp_path / "repo"
    pfile = kit.secret_file("p.txt", PASS)
    nfile = kit.secret_file("n.txt", NEW_PASS)
    wfile = kit.secret_file("w.txt", WRONG)

    kit.ok("init", "--encrypt", "--remember", "--repo", repo, "--passphrase-file", pfile, passphrase=None)
    kit.ok("backup", "--db", db, "--repo", repo)
    kit.run("list", "--repo", repo, passphrase=WRONG)
    kit.run("verify", "--repo", repo, "--passphrase-file", wfile, passphrase=None)
    kit.ok("passphrase", "change", "--repo", repo, "--passphrase-file", pfile, "--new-passphrase-file", nfile,
           passphrase=None)
    kit.run("list", "--repo", repo, passphrase=PASS)
    kit.ok("recovery-sheet", "--repo", repo, "--out", tmp_path / "sheet.txt", passphrase=NEW_PASS)
    kit.ok("profile", "add", "--name", "toko", "--db", db, "--repo", repo)
    kit.ok("run", "--profile", "toko", passphrase=NEW_PASS)
    kit.run("run", "--profile", "toko", passphrase=WRONG)
    kit.ok("history")
    kit.ok("restore", "--repo", repo, "--snapshot", "latest", "--to", tmp_path / "r.db", passphrase=NEW_PASS)

    log = kit.base / "_logs" / "kasirbackup.log"
    assert log.exists() and log.stat().st_size > 0
    assert "does not open" in log.read_text()      # the failures were logged — without the secret
    assert_no_secrets(repo, tmp_path / "sheet.txt", *kit.private_dirs)
    for out in kit.outputs:
        for s in SECRETS:
            assert s not in out


def test_settings_and_history_are_private_to_the_owner(tmp_path):
    """The issue: "Repository files and settings readable by the owner only"."""
    if not POSIX:
        pytest.skip("POSIX modes")
    kit = Kit.make(tmp_path / "k")
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 200_000, seed=1)
    kit.ok("profile", "add", "--name", "toko", "--db", db, "--repo", tmp_path / "repo")
    kit.ok("run", "--profile", "toko", passphrase=None)
    assert_private(kit.base / "_config")
    assert_private(kit.base / "_data")
