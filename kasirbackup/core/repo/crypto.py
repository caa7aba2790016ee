"""Encryption at rest (AES-256-GCM) and blob naming.

A repository has a *codec*. The plain codec names blobs by SHA-256 and stores bytes as
they are. The encrypted codec:

* names blobs by HMAC-SHA256 under a random 32-byte *id key*, so equal pages are still
  deduplicated but a name reveals nothing about content;
* seals every stored object — frames of pages and trees, pack trailers, index bodies,
  snapshot manifests — with AES-256-GCM under a random 32-byte *data key*: a fresh
  random 96-bit nonce per object (never reused: at most ~2^32 objects per key are far
  beyond any shop), and the object's identity as associated data (a frame: its first blob
  id; a manifest: its snapshot id), so a valid ciphertext moved to another place fails;
* keeps both keys only *wrapped*: encrypted with a key derived from the passphrase by
  Argon2id (64 MiB, 3 passes, 4 lanes). Changing the passphrase rewrites the wrapped keys
  in ``kasirbackup.json`` and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import hmac
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import KasirBackupError

SEALED_MAGIC = b"KBSEAL1\n"
NONCE = 12
KDF_DEFAULT = {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}


class WrongPassphrase(KasirBackupError):
    code = "wrong-passphrase"
    template = "The passphrase does not open the repository at {path}."
    hint = "Check the passphrase (it is case-sensitive) and try again."


class PassphraseNeeded(KasirBackupError):
    code = "passphrase-needed"
    template = "The repository at {path} is encrypted and no passphrase was given."
    hint = ("Run the command on a terminal to type it, or give it with --passphrase-file FILE or the "
            "KASIRBACKUP_PASSPHRASE variable, or save it in this computer's credential store.")


class SealBroken(ValueError):
    """A sealed object does not open: damaged, swapped or not ours."""


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


# Two Argon2id derivations running at the same time in one process were seen to never
# return (cryptography 50 / OpenSSL 4 with lanes > 1): derivations take turns.
_derive_lock = threading.Lock()


def derive(passphrase: str, salt: bytes, kdf: dict) -> bytes:
    with _derive_lock:
        return _derive(passphrase, salt, kdf)


def _derive(passphrase: str, salt: bytes, kdf: dict) -> bytes:
    if kdf.get("name") == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        mem, it, lanes = int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"])
        # bounded so that a hostile header cannot make every command slow (default: 64 MiB)
        if not (8 * lanes <= mem <= 256 * 1024 and 1 <= it <= 10 and 1 <= lanes <= 16):
            raise ValueError("key derivation parameters out of range")
        return Argon2id(salt=salt, length=32, iterations=it, lanes=lanes, memory_cost=mem).derive(
            passphrase.encode("utf-8"))
    if kdf.get("name") == "scrypt":
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        # (OpenSSL also needs n < 2^(16 r): beyond it a valid-looking header ended in MemoryError)
        if not (2 ** 10 <= n <= 2 ** 18 and 1 <= r <= 8 and 1 <= p <= 4 and n < 2 ** (16 * r)):
            raise ValueError("key derivation parameters out of range")
        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    raise ValueError(f"unknown key derivation {kdf.get('name')!r}")


class Codec:
    """The plain codec: SHA-256 names, bytes stored as they are."""

    encrypted = False

    def blob_id(self, data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    def seal(self, data: bytes, aad: bytes) -> bytes:
        return data

    def open(self, data: bytes, aad: bytes) -> bytes:
        return data


class EncryptedCodec(Codec):
    encrypted = True

    def __init__(self, data_key: bytes, id_key: bytes) -> None:
        self._aead = AESGCM(data_key)
        self._id = hmac.new(id_key, digestmod="sha256")

    def blob_id(self, data: bytes) -> bytes:
        h = self._id.copy()
        h.update(data)
        return h.digest()

    def seal(self, data: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return SEALED_MAGIC + nonce + self._aead.encrypt(nonce, bytes(data), aad)

    def open(self, data: bytes, aad: bytes) -> bytes:
        if not data.startswith(SEALED_MAGIC) or len(data) < len(SEALED_MAGIC) + NONCE + 16:
            raise SealBroken("not an encrypted object")
        body = data[len(SEALED_MAGIC):]
        try:
            return self._aead.decrypt(body[:NONCE], body[NONCE:], aad)
        except InvalidTag:
            raise SealBroken("the encrypted object is damaged or does not belong here") from None


def new_encryption(passphrase: str, kdf: dict | None = None) -> tuple[dict, EncryptedCodec]:
    """A new header (to store in the repository configuration) and its codec."""
    data_key, id_key = os.urandom(32), os.urandom(32)
    header = {"cipher": "aes-256-gcm", "ids": "hmac-sha256"}
    header.update(wrap(data_key, id_key, passphrase, kdf or KDF_DEFAULT))
    return header, EncryptedCodec(data_key, id_key)


def wrap(data_key: bytes, id_key: bytes, passphrase: str, kdf: dict) -> dict:
    salt = os.urandom(16)
    kek = derive(passphrase, salt, kdf)
    nonce = os.urandom(NONCE)
    wrapped = AESGCM(kek).encrypt(nonce, data_key + id_key, b"kasirbackup key v1")
    return {"kdf": dict(kdf, salt=_b64(salt)), "wrapped_keys": _b64(nonce + wrapped)}


def unlock(header: dict, passphrase: str, location: str) -> tuple[EncryptedCodec, bytes, bytes]:
    try:
        if not isinstance(header, dict) or not isinstance(header.get("kdf"), dict):
            raise ValueError("no key derivation parameters")
        kdf = dict(header["kdf"])
        salt = _unb64(kdf.pop("salt"))
        blob = _unb64(header["wrapped_keys"])
        if (header.get("cipher") != "aes-256-gcm" or header.get("ids") != "hmac-sha256"
                or len(blob) != NONCE + 64 + 16 or len(salt) < 8):
            raise ValueError("unsupported encryption header")
        kek = derive(passphrase, salt, kdf)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        from ..errors import RepoDamaged
        raise RepoDamaged(detail=f"the encryption header is unreadable ({exc})") from None
    try:
        keys = AESGCM(kek).decrypt(blob[:NONCE], blob[NONCE:], b"kasirbackup key v1")
    except InvalidTag:
        raise WrongPassphrase(path=location) from None
    return EncryptedCodec(keys[:32], keys[32:]), keys[:32], keys[32:]


SHEET_BEGIN = "-----BEGIN KASIRBACKUP REPOSITORY KEY-----"
SHEET_END = "-----END KASIRBACKUP REPOSITORY KEY-----"


#: the words of a recovery sheet; a window passes them in its own language (the key block
#: between the BEGIN/END lines is what is read back, whatever the language around it)
SHEET_TEXTS = {
    "title": "KasirBackup — recovery sheet",
    "id": "Repository id: {id}",
    "location": "Location when printed: {location}",
    "created": "Created: {created}",
    "need": "To restore you need: (1) the backup folder, (2) your passphrase, (3) this sheet if the\n"
            "file kasirbackup.json in the backup folder is lost or damaged.",
    "no_passphrase": "The passphrase is NOT on this sheet. Without it the backups cannot be opened by anyone.",
    "put_back": "If kasirbackup.json is ever lost, put it back with:",
}


def recovery_sheet(config_json: dict, location: str, texts: dict[str, str] | None = None) -> str:
    """What a user must keep (on paper, or a USB stick kept elsewhere) to restore on a new
    computer if the repository's configuration file is lost. The passphrase is not on it:
    the key block is useless without the passphrase. ``texts``: SHEET_TEXTS in another language."""
    t = dict(SHEET_TEXTS, **(texts or {}))
    raw = json.dumps(config_json, sort_keys=True).encode()
    block = base64.b64encode(raw).decode()
    lines = [block[i:i + 64] for i in range(0, len(block), 64)]
    lines.append("=" + hashlib.sha256(raw).hexdigest()[:16])    # catches a typo when it is typed back
    return "\n".join([
        t["title"],
        "",
        t["id"].format(id=config_json.get("id")),
        t["location"].format(location=location),
        t["created"].format(created=config_json.get("created_at")),
        "",
        t["need"],
        t["no_passphrase"],
        "",
        t["put_back"],
        "    kasirbackup recovery-sheet --repo BACKUP_FOLDER --restore THIS_SHEET.txt",
        "",
        SHEET_BEGIN,
        *lines,
        SHEET_END,
        "",
    ])


def config_from_sheet(text: str) -> dict:
    """The repository configuration stored in a recovery sheet (ValueError if unreadable)."""
    if SHEET_BEGIN not in text or SHEET_END not in text:
        raise ValueError("no key block found")
    body = text.split(SHEET_BEGIN, 1)[1].split(SHEET_END, 1)[0].split()
    check = [ln[1:] for ln in body if ln.startswith("=")]
    block = "".join(ln for ln in body if not ln.startswith("="))
    if len(check) != 1:
        raise ValueError("the checksum line (starting with =) is missing")
    try:
        raw = base64.b64decode(block.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise ValueError("the key block has characters that do not belong in it") from None
    if hashlib.sha256(raw).hexdigest()[:16] != check[0].lower():
        raise ValueError("the key block does not match its checksum (a typing mistake?)")
    cfg = json.loads(raw.decode("utf-8"))
    if not isinstance(cfg, dict) or not isinstance(cfg.get("encryption"), dict):
        raise ValueError("the key block is not a repository configuration")
    return cfg
