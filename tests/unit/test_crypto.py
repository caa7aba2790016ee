"""Encryption at rest (kasirbackup.core.repo.crypto) and the parsers an attacker can feed.

* the sealed-object primitive: round trip, fresh nonces, any flipped byte refused, the
  object's identity (associated data) enforced;
* through the repository: a valid ciphertext moved to another place (two frames of equal
  length swapped inside a pack, two manifests swapped) is detected and named; a truncated
  or damaged configuration / encryption header is a RepoDamaged-style error;
* fuzzing (hypothesis, a few thousand cases): the configuration, manifest, encryption
  header, index and pack trailer parsers and ``EncryptedCodec.open`` let only our own clean
  errors out — ValueError (FormatError, SealBroken, …) or KasirBackupError — never
  MemoryError, IndexError, struct.error, UnicodeDecodeError, KeyError, TypeError,
  AttributeError, OverflowError, RecursionError, …

Repositories here use a cheap key derivation (monkeypatched ``KDF_DEFAULT``) so that the
tests stay fast; the parameters are stored in the header, so every later open uses them.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kasirbackup.core.repo import crypto, packs
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.crypto import (SEALED_MAGIC, Codec, EncryptedCodec, SealBroken, WrongPassphrase,
                                     new_encryption, unlock)
from kasirbackup.core.errors import KasirBackupError, RepoDamaged, VerificationFailed
from kasirbackup.core.repo.manifest import Snapshot
from kasirbackup.core.repo.packs import (AAD_FRAME, AAD_INDEX, AAD_TRAILER, BLOB_PAGE, BLOB_TREE,
                                    FrameEntry, PackWriter, decode_index, encode_index, pack_trailer)
from kasirbackup.core.repo.repository import CONFIG_NAME, RepoConfig, Repository
from kasirbackup.core.restore.to_file import restore_to_new_file
from tests.support.corrupt import swap_equal_frames
from tests.support.dbgen import make_photo_db
from kasirbackup.core.snapshot.verify import drill

ROOT = Path(__file__).resolve().parents[2]
PW = "uji-sandi-rahasia 42"
CHEAP_KDF = {"name": "argon2id", "memory_kib": 8, "iterations": 1, "lanes": 1}
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])


def fuzz(n: int) -> settings:
    return settings(FUZZ, max_examples=n)


def codec() -> EncryptedCodec:
    return EncryptedCodec(os.urandom(32), os.urandom(32))


def clean(fn, *args):
    """Call a parser with hostile input: our own clean errors are fine (and return None);
    anything else — including a raw UnicodeError, which is a ValueError subclass — is a
    bug and propagates to hypothesis."""
    try:
        result = fn(*args)
        if hasattr(result, "__next__"):         # decode_index is a generator
            result = list(result)
        return result
    except UnicodeError as exc:
        raise AssertionError(f"raw {type(exc).__name__} escaped: {exc}") from exc
    except (ValueError, KasirBackupError):
        return None


# -- the sealed-object primitive ---------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 4096, 128 * 1024 + 3])
def test_seal_open_round_trip(size):
    c = codec()
    data = os.urandom(size)
    sealed = c.seal(data, b"KBF1" + b"x" * 32)
    assert sealed.startswith(SEALED_MAGIC)
    assert len(sealed) == len(SEALED_MAGIC) + 12 + size + 16
    # the plaintext does not appear in the ciphertext (a 1-byte plaintext would, by chance, 7% of the time)
    assert size < 16 or data not in sealed[len(SEALED_MAGIC) + 12:]
    assert c.open(sealed, b"KBF1" + b"x" * 32) == data
    assert c.open(bytearray(sealed), b"KBF1" + b"x" * 32) == data


def test_nonces_differ_for_every_seal():
    c = codec()
    sealed = [c.seal(b"same page, same identity", b"KBS1abc") for _ in range(2000)]
    nonces = {s[len(SEALED_MAGIC):len(SEALED_MAGIC) + 12] for s in sealed}
    assert len(nonces) == 2000
    assert len(set(sealed)) == 2000


def test_blob_ids_are_keyed():
    data = b"sebuah halaman database" * 100
    a, b = codec(), codec()
    assert a.blob_id(data) == a.blob_id(data)                # deduplication still works
    assert a.blob_id(data) != b.blob_id(data)                # another repository, another name
    assert a.blob_id(data) != hashlib.sha256(data).digest()  # the name does not reveal content
    assert Codec().blob_id(data) == hashlib.sha256(data).digest()


def test_flipping_any_byte_is_refused():
    c = codec()
    aad = b"KBS1" + b"0" * 32
    sealed = c.seal(b"kasir.db: 42 transaksi", aad)
    for i in range(len(sealed)):
        for bit in (0x01, 0x80):
            bad = bytearray(sealed)
            bad[i] ^= bit
            with pytest.raises(SealBroken):
                c.open(bytes(bad), aad)
    for cut in range(len(sealed)):
        with pytest.raises(SealBroken):
            c.open(sealed[:cut], aad)
    with pytest.raises(SealBroken):
        c.open(sealed + b"\0", aad)


def test_wrong_identity_or_key_is_refused():
    c = codec()
    id_a, id_b = c.blob_id(b"page a"), c.blob_id(b"page b")
    frame = c.seal(b"frame data", AAD_FRAME + id_a)
    # a frame moved to the place of another frame
    with pytest.raises(SealBroken):
        c.open(frame, AAD_FRAME + id_b)
    # a frame presented as a trailer or an index body
    for aad in (AAD_TRAILER, AAD_INDEX, AAD_FRAME):
        with pytest.raises(SealBroken):
            c.open(frame, aad)
    # a manifest renamed to another snapshot id
    manifest = c.seal(b'{"id": "a"}', b"KBS1" + b"a" * 32)
    with pytest.raises(SealBroken):
        c.open(manifest, b"KBS1" + b"b" * 32)
    # another repository's key
    with pytest.raises(SealBroken):
        codec().open(frame, AAD_FRAME + id_a)
    # a plain object where a sealed one is expected
    with pytest.raises(SealBroken):
        c.open(zstandard.ZstdCompressor().compress(b"plain"), AAD_FRAME + id_a)


def test_header_unlocks_only_with_its_passphrase():
    header, c = new_encryption(PW, CHEAP_KDF)
    c2, data_key, id_key = unlock(header, PW, "/repo")
    assert c2.blob_id(b"x") == c.blob_id(b"x")
    assert c2.open(c.seal(b"y", b"a"), b"a") == b"y"
    with pytest.raises(WrongPassphrase) as err:
        unlock(header, PW + " ", "/repo")
    assert PW not in str(err.value)
    assert str(err.value).startswith("The passphrase does not open the repository at /repo.")
    assert len(base64.b64decode(header["kdf"]["salt"])) == 16          # FORMAT.md, Encryption
    # the header holds no key in the clear
    blob = json.dumps(header).encode()
    assert data_key not in blob and id_key not in blob
    assert base64.b64encode(data_key) not in blob


def test_rewrap_changes_only_the_wrapping():
    header, c = new_encryption(PW, CHEAP_KDF)
    _, dk, ik = unlock(header, PW, "/r")
    new = dict(header)
    new.update(crypto.wrap(dk, ik, "another passphrase", CHEAP_KDF))
    c3, dk3, ik3 = unlock(new, "another passphrase", "/r")
    assert (dk3, ik3) == (dk, ik)
    with pytest.raises(WrongPassphrase):
        unlock(new, PW, "/r")


# -- through the repository --------------------------------------------------------------------------

@pytest.fixture
def cheap_kdf(monkeypatch):
    monkeypatch.setattr(crypto, "KDF_DEFAULT", dict(CHEAP_KDF))


def _open(path: Path) -> Repository:
    return Repository.open(path, passphrase=lambda cfg, loc: PW)


def _packs(repo_dir: Path) -> list[Path]:
    return sorted(p for p in (repo_dir / "data").glob("*/*") if p.is_file())


def test_swapped_frames_of_equal_length_are_named_damaged(cheap_kdf, tmp_path):
    db = tmp_path / "foto.db"
    make_photo_db(db, 260)
    repo_dir = tmp_path / "repo"
    repo = Repository.init(repo_dir, encrypt_with=PW)
    snap = backup(repo, BackupRequest(db_path=str(db))).snapshot
    assert snap.verified

    (pack,) = _packs(repo_dir)
    a, b = swap_equal_frames(pack, repo.codec)

    repo = _open(repo_dir)
    s = repo.find(snap.id)
    res = drill(repo, s)
    assert res.verification.ok is False
    assert f"offset {a.offset}" in res.verification.detail or f"offset {b.offset}" in res.verification.detail
    assert "does not belong here" in res.verification.detail or "damaged" in res.verification.detail

    target = tmp_path / "restored.db"
    with pytest.raises(VerificationFailed) as err:
        restore_to_new_file(repo, s, target)
    assert snap.short_id in str(err.value)
    assert not target.exists() and not list(tmp_path.glob(".restored.db*"))

    # the command line names the snapshot
    env = {k: v for k, v in os.environ.items() if not k.startswith("KASIRBACKUP_")}
    env.update(KASIRBACKUP_PASSPHRASE=PW, KASIRBACKUP_LOG_DIR=str(tmp_path / "logs"), TMPDIR=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "kasirbackup", "verify", "--repo", str(repo_dir)], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          start_new_session=True)
    assert proc.returncode == 3, proc
    assert f"DAMAGED {snap.short_id}" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_swapped_or_renamed_manifests_are_reported_unreadable(cheap_kdf, tmp_path):
    db = tmp_path / "foto.db"
    make_photo_db(db, 20)
    repo_dir = tmp_path / "repo"
    repo = Repository.init(repo_dir, encrypt_with=PW)
    s1 = backup(repo, BackupRequest(db_path=str(db))).snapshot
    conn = sqlite3.connect(db)
    conn.execute("UPDATE foto SET nama = 'diganti' WHERE id = 3")
    conn.commit()
    conn.close()
    s2 = backup(repo, BackupRequest(db_path=str(db))).snapshot
    m1, m2 = repo_dir / "snapshots" / f"{s1.id}.json", repo_dir / "snapshots" / f"{s2.id}.json"
    b1, b2 = m1.read_bytes(), m2.read_bytes()

    m1.write_bytes(b2)
    m2.write_bytes(b1)
    repo = _open(repo_dir)
    assert repo.snapshots() == []
    text = " ".join(repo.problems)
    assert f"{s1.id}.json" in text and f"{s2.id}.json" in text and "unreadable" in text

    # a manifest copied under a new name (a "new" snapshot id)
    m1.write_bytes(b1)
    m2.write_bytes(b2)
    fake = "f" * 32
    (repo_dir / "snapshots" / f"{fake}.json").write_bytes(b1)
    repo = _open(repo_dir)
    assert sorted(s.id for s in repo.snapshots()) == sorted([s1.id, s2.id])
    assert any(f"{fake}.json" in p and "unreadable" in p for p in repo.problems), repo.problems


def _config_variants(good: bytes) -> dict[str, bytes]:
    cfg = json.loads(good)
    enc = cfg["encryption"]

    def with_enc(**changes):
        e = copy.deepcopy(enc)
        for k, v in changes.items():
            if v is ...:
                e.pop(k, None)
            else:
                e[k] = v
        return json.dumps({**cfg, "encryption": e}).encode()

    def with_kdf(**changes):
        k = dict(enc["kdf"])
        for key, v in changes.items():
            if v is ...:
                k.pop(key, None)
            else:
                k[key] = v
        return with_enc(kdf=k)

    return {
        "truncated to half": good[:len(good) // 2],
        "truncated to 1 byte": good[:1],
        "empty": b"",
        "not UTF-8": b"\xff\xfe" + good,
        "wrapped keys missing": with_enc(wrapped_keys=...),
        "wrapped keys cut": with_enc(wrapped_keys=enc["wrapped_keys"][:-8]),
        "wrapped keys not base64": with_enc(wrapped_keys="%%%" + enc["wrapped_keys"][3:]),
        "kdf missing": with_enc(kdf=...),
        "salt missing": with_kdf(salt=...),
        "salt too short": with_kdf(salt=base64.b64encode(b"abc").decode()),
        "kdf unknown": with_kdf(name="md5"),
        "kdf memory out of range": with_kdf(memory_kib=1),
        "kdf iterations not a number": with_kdf(iterations="many"),
        "cipher unknown": with_enc(cipher="rot13"),
        "encryption a list": json.dumps({**cfg, "encryption": [1, 2]}).encode(),
        # the following reach code that lets raw exceptions out (see the report)
        "salt a number": with_kdf(salt=12345),
        "wrapped keys a number": with_enc(wrapped_keys=12345),
        "kdf memory infinite": with_kdf(memory_kib=float("inf")),
        "extra a list": json.dumps({**cfg, "extra": [1]}).encode(),
        "id missing": json.dumps({k: v for k, v in cfg.items() if k != "id"}).encode(),
        "deeply nested": b'{"format": "kasirbackup-repository", "version": 1, "x": ' + b"[" * 100_000,
    }


@pytest.fixture(scope="module")
def good_config() -> bytes:
    header, _ = new_encryption(PW, CHEAP_KDF)
    return RepoConfig(id="0" * 32, created_at="2025-02-08T00:00:00+00:00", encryption=header).dumps()


@pytest.mark.parametrize("what", list(_config_variants(b'{"encryption": {"kdf": {}, "wrapped_keys": ""}}')))
def test_damaged_configuration_or_header_is_repo_damaged(good_config, tmp_path, what):
    data = _config_variants(good_config)[what]
    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    (repo_dir / "snapshots").mkdir()
    (repo_dir / CONFIG_NAME).write_bytes(data)
    with pytest.raises(KasirBackupError) as err:
        _open(repo_dir)
    assert isinstance(err.value, RepoDamaged), f"{type(err.value).__name__}: {err.value}"
    assert "damaged" in str(err.value) and "\n" not in str(err.value)
    assert PW not in str(err.value)


def test_absurd_key_derivation_parameters_are_refused_quickly(good_config, tmp_path):
    """A header someone else wrote can ask for any amount of work: 4 GiB × 100 passes of
    Argon2id or scrypt with N=2^22, r=32, p=16 (16 GiB, many minutes) are inside the ranges
    ``derive`` accepts. Opening such a repository must fail fast with a clear error instead
    of hanging the program or exhausting memory."""
    cfg = json.loads(good_config)
    salt = cfg["encryption"]["kdf"]["salt"]
    cases = {
        "argon2id 4 GiB x 100": {"name": "argon2id", "memory_kib": 4 * 1024 * 1024, "iterations": 100,
                                 "lanes": 4, "salt": salt},
        "scrypt N=2^22 r=32 p=16": {"name": "scrypt", "n": 2 ** 22, "r": 32, "p": 16, "salt": salt},
    }
    for what, kdf in cases.items():
        header = dict(cfg["encryption"], kdf=kdf)
        code = ("import json, sys, resource\n"
                "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
                "from kasirbackup.core.repo.crypto import unlock\n"
                "from kasirbackup.core.errors import KasirBackupError\n"
                "try:\n"
                "    unlock(json.loads(sys.argv[1]), 'x', '/repo')\n"
                "except KasirBackupError as e:\n"
                "    print(type(e).__name__, e); sys.exit(0)\n"
                "sys.exit(5)\n")
        try:
            proc = subprocess.run([sys.executable, "-c", code, json.dumps(header)], capture_output=True,
                                  text=True, timeout=20, cwd=str(ROOT))
        except subprocess.TimeoutExpired:
            pytest.fail(f"{what}: opening the repository was still deriving the key after 20 s")
        assert proc.returncode == 0 and proc.stdout.startswith("RepoDamaged"), \
            f"{what}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr[-800:]}"


# -- fuzzing ------------------------------------------------------------------------------------------

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-3, 3),
                      st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
json_value = st.recursive(json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(
    st.text(max_size=6), c, max_size=3), max_leaves=8)


@st.composite
def mutated(draw, base: bytes, max_ops: int = 6) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate", "splice"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "set" and data:
            data[pos] = draw(st.sampled_from([0, 0xFF, 0x7F, 0x80, ord('"'), ord("{"), ord("["), ord("9")]))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and data:
            del data[pos:pos + draw(st.integers(1, 16))]
        elif op == "truncate":
            del data[pos:]
        elif op == "splice" and data:
            a = draw(st.integers(0, len(data) - 1))
            chunk = bytes(data[a:a + draw(st.integers(1, 64))])
            data[pos:pos] = chunk
    return bytes(data)


def _set_path(d: dict, path: tuple[str, ...], value) -> dict:
    d = copy.deepcopy(d)
    cur = d
    for k in path[:-1]:
        if not isinstance(cur.get(k), dict):
            return d
        cur = cur[k]
    if value is ...:
        cur.pop(path[-1], None)
    else:
        cur[path[-1]] = value
    return d


# configuration ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def config_dict(good_config) -> dict:
    return json.loads(good_config)


@fuzz(300)
@given(st.binary(max_size=300))
@example(b"[" * 100_000)
def test_fuzz_config_random_bytes(data):
    assert clean(RepoConfig.loads, data, "/repo") is None      # refused, never taken for a config


@fuzz(300)
@given(st.data())
def test_fuzz_config_mutated_bytes(good_config, data):
    clean(RepoConfig.loads, data.draw(mutated(good_config)), "/repo")


CONFIG_PATHS = [(k,) for k in ("id", "created_at", "version", "format", "hash", "compression", "encryption",
                               "segment_pages", "frame_bytes", "pack_bytes", "plain_copy", "extra", "new")]


@fuzz(400)
@given(st.lists(st.tuples(st.sampled_from(CONFIG_PATHS), st.one_of(st.just(...), json_value)),
                min_size=1, max_size=3))
@example([(("extra",), [1])])
@example([(("id",), ...)])
def test_fuzz_config_fields(config_dict, changes):
    d = config_dict
    for path, value in changes:
        d = _set_path(d, path, value)
    clean(RepoConfig.loads, json.dumps(d).encode(), "/repo")


# encryption header ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def header() -> dict:
    h, _ = new_encryption(PW, CHEAP_KDF)
    return h


small_number = st.one_of(st.integers(-5, 70), st.sampled_from([0, -1, 2 ** 31, 2 ** 64, 10 ** 100]),
                         st.floats(-100, 100), st.sampled_from([float("inf"), float("-inf"), float("nan")]),
                         st.booleans(), st.none(), st.text(max_size=4), st.lists(st.integers(0, 9), max_size=2))
HEADER_FIELDS = {
    ("cipher",): st.one_of(st.just("aes-256-gcm"), json_value),
    ("ids",): json_value,
    ("kdf",): st.one_of(json_value, st.just(...)),
    ("kdf", "name"): st.one_of(st.sampled_from(["argon2id", "scrypt", "pbkdf2", ""]), json_value),
    ("kdf", "memory_kib"): small_number,
    ("kdf", "iterations"): small_number,
    ("kdf", "lanes"): small_number,
    ("kdf", "n"): st.one_of(st.sampled_from([1024, 2048, 1000]), small_number),
    ("kdf", "r"): small_number,
    ("kdf", "p"): small_number,
    ("kdf", "salt"): st.one_of(st.just(...), json_value, st.binary(max_size=40).map(
        lambda b: base64.b64encode(b).decode())),
    ("wrapped_keys",): st.one_of(st.just(...), json_value, st.binary(max_size=120).map(
        lambda b: base64.b64encode(b).decode())),
}


@st.composite
def header_changes(draw):
    keys = draw(st.lists(st.sampled_from(sorted(HEADER_FIELDS)), min_size=1, max_size=3, unique=True))
    return [(k, draw(HEADER_FIELDS[k])) for k in keys]


@fuzz(400)
@given(header_changes())
@example([(("kdf", "salt"), 12345)])
@example([(("wrapped_keys",), 12345)])
@example([(("kdf", "memory_kib"), float("inf"))])
def test_fuzz_unlock_header_fields(header, changes):
    h = header
    for path, value in changes:
        h = _set_path(h, path, value)
    result = clean(unlock, h, PW, "/repo")
    if result is not None:
        c, _, _ = result
        assert isinstance(c, EncryptedCodec)


@fuzz(250)
@given(st.data())
def test_fuzz_unlock_mutated_header_text(header, data):
    text = data.draw(mutated(json.dumps(header).encode(), max_ops=3))
    try:
        h = json.loads(text)
    except ValueError:
        return
    if isinstance(h, dict):
        clean(unlock, h, PW, "/repo")


# manifests ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def manifest() -> bytes:
    from kasirbackup.core.repo.manifest import DatabaseInfo, Kind, Verification
    from datetime import datetime, timezone
    snap = Snapshot(
        id="a" * 32, created_at=datetime(2025, 2, 8, 23, 0, tzinfo=timezone.utc), kind=Kind.SCHEDULED,
        label="malam", tool_version="0.1.0", hostname="kasir-pc", source_path="C:/POS/kasir.db",
        source_name="kasir.db",
        database=DatabaseInfo(4096, 100, 3, 0, "UTF-8", "wal", "f" * 64, {"produk": "0" * 64}),
        image_bytes=409600, image_sha256="b" * 64, root="c" * 64, segment_pages=128,
        tables={"produk": 50, "transaksi": 900}, added_bytes=12345,
        capture={"method": "pages", "passes": 1},
        verification=Verification(True, "2025-02-08T23:00:05+00:00", "ok", "quick_check", 0.5))
    data = snap.dumps()
    assert Snapshot.loads(data).id == snap.id
    return data


@fuzz(250)
@given(st.binary(max_size=300))
@example(b"\xff\xfe{}")
@example(b"[" * 100_000)
def test_fuzz_manifest_random_bytes(data):
    assert clean(Snapshot.loads, data) is None


@fuzz(300)
@given(st.data())
def test_fuzz_manifest_mutated_bytes(manifest, data):
    clean(Snapshot.loads, data.draw(mutated(manifest)))


MANIFEST_PATHS = [(k,) for k in ("format", "id", "created_at", "kind", "label", "tool_version", "hostname",
                                 "source_path", "source_name", "database", "image_bytes", "image_sha256",
                                 "root", "segment_pages", "tables", "added_bytes", "capture", "verification")] + \
    [("database", k) for k in ("page_size", "page_count", "user_version", "application_id", "text_encoding",
                               "journal_mode", "schema_fingerprint", "first_rows", "bogus")] + \
    [("verification", k) for k in ("ok", "at", "detail", "integrity", "duration_s", "bogus")] + \
    [("tables", "produk")]


@fuzz(500)
@given(st.lists(st.tuples(st.sampled_from(MANIFEST_PATHS), st.one_of(st.just(...), json_value)),
                min_size=1, max_size=3))
@example([(("image_bytes",), float("inf"))])
@example([(("tables", "produk"), float("nan"))])
def test_fuzz_manifest_fields(manifest, changes):
    d = json.loads(manifest)
    for path, value in changes:
        d = _set_path(d, path, value)
    clean(Snapshot.loads, json.dumps(d).encode())


# index files, pack trailers, sealed objects ---------------------------------------------------------

def _sample_packs(n_packs: int = 2) -> list[tuple[str, list[FrameEntry]]]:
    out = []
    for p in range(n_packs):
        frames = [FrameEntry(8 + 1000 * i, 900 + i, 4096 * 3, [
            (hashlib.sha256(bytes([p, i, j])).digest(), BLOB_PAGE if j else BLOB_TREE, 4096 * j, 4096)
            for j in range(3)]) for i in range(3)]
        out.append((hashlib.sha256(bytes([p])).hexdigest(), frames))
    return out


@pytest.fixture(scope="module")
def enc_codec() -> EncryptedCodec:
    return codec()


@pytest.fixture(scope="module")
def built_pack(enc_codec) -> dict:
    """A real pack (plain and encrypted) and real index files."""
    out = {}
    for name, c in (("plain", packs.PLAIN), ("enc", enc_codec)):
        saved = []
        w = PackWriter(lambda n, d: saved.append(d), frame_bytes=8192, pack_bytes=1 << 20, threads=1, codec=c)
        for i in range(8):
            page = (b"produk %d " % i) * 400
            w.add(c.blob_id(page), BLOB_PAGE, page[:4096])
        written = w.finish()
        out[name] = (saved[0], written)
        assert [(f.offset, f.length) for f in pack_trailer(saved[0], c)] == \
            [(f.offset, f.length) for f in written[0][1]]
    return out


@fuzz(200)
@given(st.binary(max_size=200), st.booleans())
def test_fuzz_index_random_bytes(enc_codec, data, with_magic):
    if with_magic:
        data = packs.INDEX_MAGIC + data
    assert clean(decode_index, data) is None                   # not zstd: refused
    assert clean(decode_index, data, enc_codec) is None        # not sealed with the key: refused


@fuzz(300)
@given(st.data(), st.booleans())
def test_fuzz_index_mutated(enc_codec, data, encrypted):
    c = enc_codec if encrypted else packs.PLAIN
    good = encode_index(_sample_packs(), c)
    assert [n for n, _ in decode_index(good, c)] == [n for n, _ in _sample_packs()]
    bad = data.draw(mutated(good))
    out = clean(decode_index, bad, c)
    if encrypted:                       # a changed sealed index never opens
        assert out is None or bad == good


@fuzz(300)
@given(st.data())
def test_fuzz_index_body_mutated_behind_a_valid_seal(enc_codec, data):
    """The body of an index that someone holding the key wrote badly (or a bug wrote):
    compressed and sealed correctly, but its tables are nonsense."""
    body = [packs._COUNT.pack(2)]
    for name, frames in _sample_packs():
        body.append(bytes.fromhex(name))
        body.append(packs.encode_frame_table(frames))
    bad = data.draw(mutated(b"".join(body)))
    z = zstandard.ZstdCompressor(write_checksum=True).compress(bad)
    clean(decode_index, packs.INDEX_MAGIC + enc_codec.seal(z, AAD_INDEX), enc_codec)


@fuzz(200)
@given(st.binary(max_size=200))
def test_fuzz_trailer_random_bytes(enc_codec, data):
    for candidate in (data, data + packs.PACK_END):
        assert clean(pack_trailer, candidate) is None
        assert clean(pack_trailer, candidate, enc_codec) is None


@fuzz(300)
@given(st.data(), st.booleans())
def test_fuzz_trailer_mutated(built_pack, enc_codec, data, encrypted):
    c = enc_codec if encrypted else packs.PLAIN
    pack, _ = built_pack["enc" if encrypted else "plain"]
    # mutate mostly the tail, where the trailer is
    tail_at = max(0, len(pack) - 400)
    bad = pack[:tail_at] + data.draw(mutated(pack[tail_at:]))
    out = clean(pack_trailer, bad, c)
    if encrypted and bad[-len(packs.PACK_END) - 4 - 200:] != pack[-len(packs.PACK_END) - 4 - 200:]:
        # a changed sealed trailer never opens (a change in the frames before it is the
        # frames' own check's to find)
        assert out is None or out == pack_trailer(pack, c)


@fuzz(200)
@given(st.data())
def test_fuzz_trailer_table_mutated_behind_a_valid_seal(built_pack, enc_codec, data):
    _, written = built_pack["enc"]
    table = packs.encode_frame_table(written[0][1])
    bad = data.draw(mutated(table))
    sealed = enc_codec.seal(zstandard.ZstdCompressor(write_checksum=True).compress(bad), AAD_TRAILER)
    pack = packs.PACK_MAGIC + b"x" * 50 + sealed + packs._COUNT.pack(len(sealed)) + packs.PACK_END
    clean(pack_trailer, pack, enc_codec)


@fuzz(300)
@given(st.data(), st.binary(max_size=40))
def test_fuzz_sealed_object(enc_codec, data, aad):
    good = enc_codec.seal(b"isi frame " * 20, b"KBF1" + b"k" * 32)
    for candidate in (data.draw(mutated(good)), data.draw(st.binary(max_size=120)),
                      SEALED_MAGIC + data.draw(st.binary(max_size=60))):
        out = clean(enc_codec.open, candidate, aad)
        # a forgery never opens (only the untouched object with its own identity would)
        assert out is None or (candidate == good and aad == b"KBF1" + b"k" * 32)


def test_refusals_say_what_is_wrong():
    """The words of each refusal (a damaged object, a header someone edited), which the
    damage reports and `verify` pass on."""
    c = codec()
    with pytest.raises(SealBroken, match="^not an encrypted object$"):
        c.open(b"plain bytes, not sealed at all", b"a")
    with pytest.raises(SealBroken, match="^the encrypted object is damaged or does not belong here$"):
        c.open(c.seal(b"x", b"a"), b"b")
    header, _ = new_encryption(PW, CHEAP_KDF)
    for bad, why in ((dict(header, kdf="argon2id"), "no key derivation parameters"),
                     ({k: v for k, v in header.items() if k != "kdf"}, "no key derivation parameters"),
                     (dict(header, cipher="aes-128-cbc"), "unsupported encryption header")):
        with pytest.raises(RepoDamaged) as err:
            unlock(bad, PW, "/repo")
        assert str(err.value).startswith(f"The backup repository is damaged: the encryption header is unreadable ({why}).")


@pytest.mark.parametrize("field", ["wrapped_keys", "salt"])
def test_a_header_with_a_character_that_is_not_base64_is_refused(field):
    """Base64 is read strictly: a stray character (a sync tool's or an editor's) is damage,
    not something to skip over."""
    header, _ = new_encryption(PW, CHEAP_KDF)
    unlock(header, PW, "/repo")
    bad = json.loads(json.dumps(header))
    where = bad if field == "wrapped_keys" else bad["kdf"]
    where[field] = where[field][:8] + "#" + where[field][8:]
    with pytest.raises(RepoDamaged, match="the encryption header is unreadable"):
        unlock(bad, PW, "/repo")
