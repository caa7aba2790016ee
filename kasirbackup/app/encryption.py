"""Turning encryption on for a backup place, as ``kasirbackup init --encrypt`` does: the same
engine call (``Repository.init(location, encrypt_with=passphrase)``), the passphrase kept for
this session and, when the user wants, in the OS credential store — never in a file — and the
recovery sheet to print. Also how strong a new passphrase looks. No widgets, no texts.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import Enum

from ..core.repo.crypto import recovery_sheet
from ..core.repo.repository import Repository
from .credentials import NoSecureStore, PassphraseTooShort, keyring_set, remember_for_session
from .places import check_destination
from .runner import repo_queue

MIN_PASSPHRASE = 8

# the first passwords any guesser tries (lower case, as compared)
_COMMON = {"password", "password1", "12345678", "123456789", "1234567890", "qwertyuiop", "11111111",
           "00000000", "iloveyou", "sayangku", "bismillah", "indonesia", "rahasia123", "admin123",
           "kasir123", "passw0rd", "abcdefgh", "abc12345", "qwerty123", "87654321", "88888888"}


class Strength(Enum):
    EMPTY = 0
    TOO_SHORT = 1        # refused
    WEAK = 2             # accepted, with a warning
    FAIR = 3
    STRONG = 4


def passphrase_strength(text: str) -> Strength:
    """A rough guess of how hard ``text`` is to guess: its length and kinds of characters,
    less for repeats and the best-known passwords."""
    if not text:
        return Strength.EMPTY
    if len(text) < MIN_PASSPHRASE:
        return Strength.TOO_SHORT
    if text.lower() in _COMMON or len(set(text)) <= 3:
        return Strength.WEAK
    alphabet = sum(n for present, n in ((any(c.islower() for c in text), 26), (any(c.isupper() for c in text), 26),
                                        (any(c.isdigit() for c in text), 10),
                                        (any(not c.isalnum() for c in text), 33)) if present)
    distinct = len(set(text)) / len(text)
    bits = len(text) * math.log2(max(alphabet, 2)) * min(1.0, 0.5 + distinct)
    if bits < 45:
        return Strength.WEAK
    if bits < 70:
        return Strength.FAIR
    return Strength.STRONG


@dataclass(frozen=True, slots=True)
class EncryptedPlace:
    location: str
    repo_id: str
    remembered: bool | None        # in the credential store: True; none on this computer: False; not asked: None
    sheet: str                     # the recovery sheet (no passphrase on it)


def create_encrypted(location: str, passphrase: str, remember: bool,
                     sheet_texts: dict[str, str] | None = None) -> EncryptedPlace:
    """Make ``location`` an encrypted backup place (on a worker). It must hold nothing yet:
    backups already made are never converted (``RepoNotEmpty`` otherwise)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseTooShort(length=len(passphrase))
    with repo_queue(location):          # a scheduled backup cannot create it unencrypted meanwhile
        check_destination(location)     # an unplugged USB disk is named, nothing is created in its place
        repo = Repository.init(location, encrypt_with=passphrase)
    remember_for_session(repo.config.id, passphrase)
    remembered = None
    if remember:
        try:
            keyring_set(repo.config.id, passphrase)
            remembered = True
        except NoSecureStore:
            remembered = False
    sheet = recovery_sheet(json.loads(repo.config.dumps()), repo.location, sheet_texts)
    return EncryptedPlace(location, repo.config.id, remembered, sheet)
