"""Passphrases of encrypted repositories: where they come from, where they are kept.

Order (the command-line contract): ``KASIRBACKUP_PASSPHRASE``, ``--passphrase-file FILE``,
the operating system's credential store (``keyring``: Windows Credential Locker, macOS
Keychain, Secret Service), a prompt on a terminal. When the system has no secure store
(headless Linux: ``keyring`` raises ``NoKeyringError``), nothing is stored: the user is
told so and asked each time — never a plain-text fallback, and "no store" is never
reported as "wrong passphrase". Entries are short (a passphrase), far below Windows'
~2.5 KB limit.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from pathlib import Path

from ..core.repo.crypto import PassphraseNeeded
from ..core.errors import KasirBackupError
from ..core.repo.repository import RepoConfig

SERVICE = "kasirbackup"
ENV = "KASIRBACKUP_PASSPHRASE"
MAX_PASSPHRASE_FILE = 64 * 1024

log = logging.getLogger("kasirbackup.credentials")


class NoSecureStore(KasirBackupError):
    code = "no-secure-store"
    template = "This computer has no secure credential store, so the passphrase cannot be saved on it."
    hint = ("You will be asked for it when needed; for scheduled runs give it with --passphrase-file FILE "
            "(a file only you can read) or the KASIRBACKUP_PASSPHRASE variable.")


class PassphraseFileUnreadable(KasirBackupError):
    code = "passphrase-file-unreadable"
    template = "Cannot read the passphrase file {path}: {reason}."
    hint = "Check the path and that the file contains the passphrase on its first line."


class PassphrasesDiffer(KasirBackupError):
    code = "passphrases-differ"
    template = "The two passphrases you typed are not the same."
    hint = "Nothing was changed; try again."


class PassphraseTooShort(KasirBackupError):
    code = "passphrase-too-short"
    template = "The passphrase is too short ({length} characters)."
    hint = "Use at least 8 characters; a few unrelated words are easy to remember and hard to guess."


_session: dict[str, str] = {}


def remember_for_session(repo_id: str, passphrase: str) -> None:
    """Keep a passphrase in this process's memory only (the desktop app, when the system has
    no credential store or the user chose not to store it). Never written anywhere."""
    _session[repo_id] = passphrase


def forget_for_session(repo_id: str | None = None) -> None:
    if repo_id is None:
        _session.clear()
    else:
        _session.pop(repo_id, None)


def _user(repo_id: str) -> str:
    return f"repository:{repo_id}"


def keyring_get(repo_id: str) -> str | None:
    """The stored passphrase, or None when there is none or no store exists."""
    return store_get(_user(repo_id))


def keyring_set(repo_id: str, passphrase: str) -> None:
    store_set(_user(repo_id), passphrase)


def keyring_delete(repo_id: str) -> None:
    store_delete(_user(repo_id))


# -- any secret of ours in the credential store (service "kasirbackup", one entry per user name) --

def store_get(user: str) -> str | None:
    """The secret stored under ``user``, or None when there is none or no store exists."""
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, user)
    except NoKeyringError:
        return None
    except KeyringError as exc:
        log.warning("the credential store could not be read: %s", type(exc).__name__)
        return None


def store_set(user: str, secret: str) -> None:
    """Store a secret; ``NoSecureStore`` when this computer has no store (never plain text)."""
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:
        raise NoSecureStore() from None
    try:
        keyring.set_password(SERVICE, user, secret)
    except NoKeyringError:
        raise NoSecureStore() from None
    except KeyringError as exc:
        log.warning("the credential store refused the secret: %s", type(exc).__name__)
        raise NoSecureStore() from None


def store_delete(user: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        keyring.delete_password(SERVICE, user)
    except (ImportError, PasswordDeleteError):
        pass
    except KeyringError:
        pass


def read_passphrase_file(path: str) -> str:
    try:
        p = Path(path).expanduser()
        if p.stat().st_size > MAX_PASSPHRASE_FILE:
            raise PassphraseFileUnreadable(path=path, reason="the file is far too large")
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PassphraseFileUnreadable(path=path, reason=exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise PassphraseFileUnreadable(path=path, reason="it is not UTF-8 text") from None
    text = text.lstrip("\ufeff")          # a file saved by Notepad starts with a byte-order mark
    line = text.splitlines()[0] if text else ""
    if not line:
        raise PassphraseFileUnreadable(path=path, reason="it is empty")
    return line


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_new_passphrase(passphrase_file: str | None = None, use_environment: bool = True,
                       location: str = "the new repository") -> str:
    """A passphrase for a new repository (or a new passphrase): from the environment or a
    file, else typed twice on a terminal."""
    if use_environment and os.environ.get(ENV):
        value = os.environ[ENV]
    elif passphrase_file:
        value = read_passphrase_file(passphrase_file)
    elif _interactive():
        value = getpass.getpass("New passphrase: ")
        if getpass.getpass("Type it again: ") != value:
            raise PassphrasesDiffer()
    else:
        raise PassphraseNeeded(path=location)
    if len(value) < 8:
        raise PassphraseTooShort(length=len(value))
    return value


def passphrase_source(passphrase_file: str | None = None, interactive: bool | None = None):
    """A ``PassphraseSource`` for Repository.open, trying each place in the contract's order."""
    def source(cfg: RepoConfig, location: str) -> str:
        if os.environ.get(ENV):
            return os.environ[ENV]
        if passphrase_file:
            return read_passphrase_file(passphrase_file)
        stored = _session.get(cfg.id) or keyring_get(cfg.id)
        if stored:
            return stored
        if interactive if interactive is not None else _interactive():
            return getpass.getpass(f"Passphrase for {location}: ")
        # repo_id lets the desktop app ask for it and keep it for the session
        raise PassphraseNeeded(path=location, repo_id=cfg.id)
    return source
