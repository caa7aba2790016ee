"""The key derivation parameters come from the repository's own (possibly hostile) header:
they are bounded, so that a planted header cannot make every command take minutes or
gigabytes, and each bound is checked at its edge. Known answers tie each function to its
standard definition (hashlib's scrypt, the same Argon2id twice)."""

from __future__ import annotations

import hashlib

import pytest

from kasirbackup.core.repo.crypto import _derive

SALT = bytes(range(16))
PW = "uji-sandi-rahasia 42"


def argon(memory_kib: int, iterations: int = 1, lanes: int = 1) -> dict:
    return {"name": "argon2id", "memory_kib": memory_kib, "iterations": iterations, "lanes": lanes}


def scrypt(n: int, r: int = 1, p: int = 1) -> dict:
    return {"name": "scrypt", "n": n, "r": r, "p": p}


@pytest.mark.parametrize("kdf", [argon(8), argon(8 * 16, lanes=16), argon(8, iterations=10), argon(256 * 1024),
                                 scrypt(2 ** 10), scrypt(2 ** 15), scrypt(2 ** 18, r=2), scrypt(2 ** 10, r=8), scrypt(2 ** 10, p=4)])
def test_the_edges_of_the_bounds_are_accepted(kdf):
    key = _derive(PW, SALT, kdf)
    assert len(key) == 32 and key == _derive(PW, SALT, kdf)
    assert key != _derive(PW + "x", SALT, kdf) and key != _derive(PW, bytes(16), kdf)


@pytest.mark.parametrize("kdf", [argon(256 * 1024 + 1), argon(7), argon(8 * 16, lanes=17), argon(8 * 17, lanes=17), argon(8 * 3, lanes=4),
                                 argon(8, iterations=11), argon(8, iterations=0), argon(8, lanes=0),
                                 scrypt(2 ** 19, r=2), scrypt(2 ** 16), scrypt(2 ** 9), scrypt(2 ** 10, r=9), scrypt(2 ** 10, r=0),
                                 scrypt(2 ** 10, p=5), scrypt(2 ** 10, p=0)])
def test_beyond_the_bounds_is_refused_before_any_work(kdf):
    with pytest.raises(ValueError, match="^key derivation parameters out of range$"):
        _derive(PW, SALT, kdf)


def test_unknown_function_is_named():
    with pytest.raises(ValueError, match="unknown key derivation 'pbkdf2'"):
        _derive(PW, SALT, {"name": "pbkdf2"})


def test_scrypt_is_the_standard_scrypt():
    assert _derive(PW, SALT, scrypt(2 ** 10, 2, 3)) == hashlib.scrypt(PW.encode("utf-8"), salt=SALT, n=2 ** 10, r=2,
                                                                       p=3, dklen=32)


def test_argon2id_is_the_standard_argon2id():
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    want = Argon2id(salt=SALT, length=32, iterations=2, lanes=2, memory_cost=64).derive(PW.encode("utf-8"))
    assert _derive(PW, SALT, argon(64, iterations=2, lanes=2)) == want
    assert _derive(PW, SALT, argon(64, iterations=1, lanes=2)) != want      # each parameter counts
    assert _derive(PW, SALT, argon(72, iterations=2, lanes=2)) != want
    assert _derive(PW, SALT, argon(64, iterations=2, lanes=1)) != want


@pytest.mark.parametrize("change, refused", [
    ({}, False), ({"cipher": "chacha20-poly1305"}, True), ({"ids": "blake3"}, True), ({"ids": None}, True),
    ({"salt_bytes": 8}, False), ({"salt_bytes": 7}, True), ({"wrapped_keys_cut": 1}, True)])
def test_an_encryption_header_we_do_not_write_is_refused_by_name(change, refused):
    """Only what this version writes is read: another cipher or id function (a newer
    format, or a planted header) is refused as unreadable, never read the wrong way."""
    import base64

    from kasirbackup.core.errors import RepoDamaged
    from kasirbackup.core.repo.crypto import new_encryption, unlock

    header, _ = new_encryption(PW, argon(8))
    header = {**header, **{k: v for k, v in change.items() if k in ("cipher", "ids")}}
    if "salt_bytes" in change:
        header["kdf"] = dict(header["kdf"], salt=base64.b64encode(bytes(change["salt_bytes"])).decode())
    if "wrapped_keys_cut" in change:
        header["wrapped_keys"] = base64.b64encode(base64.b64decode(header["wrapped_keys"])[:-1]).decode()
    if not refused:
        try:
            unlock(header, PW, "/repo")
        except RepoDamaged as exc:                         # another salt: a wrong key, not a refusal
            raise AssertionError(exc) from None
        except Exception as exc:
            assert type(exc).__name__ == "WrongPassphrase", exc
        return
    with pytest.raises(RepoDamaged) as err:
        unlock(header, PW, "/repo")
    assert "the encryption header is unreadable (unsupported encryption header)" in err.value.message()
