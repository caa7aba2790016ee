"""The settings dialog's engine work, run in jobs (no widgets here): reading a repository's
encryption state, listing its backups for the retention preview, changing the passphrase,
writing the recovery sheet and saving the passphrase in the credential store."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ...app.credentials import keyring_get, keyring_set, passphrase_source, remember_for_session
from ...app.runner import repo_queue
from ...core.errors import RepoNotFound
from ...core.repo.crypto import recovery_sheet
from ...core.repo.manifest import Snapshot
from ...core.repo.repository import CONFIG_NAME, RepoConfig, Repository, open_storage
from ..context import AppContext
from ..dialogs import secure_store_available


@dataclass(slots=True)
class EncryptionState:
    location: str
    exists: bool                  # a repository is there (else it is made at the first backup)
    encrypted: bool
    repo_id: str
    stored: bool                  # the passphrase is in the credential store
    store_available: bool         # this computer has a secure credential store


def read_encryption_state(location: str) -> EncryptionState:
    """Read only the repository's configuration: no passphrase is needed to tell."""
    available = secure_store_available()
    try:
        raw = open_storage(location).load("config", CONFIG_NAME)
    except FileNotFoundError:
        return EncryptionState(location, False, False, "", False, available)
    cfg = RepoConfig.loads(raw, location)
    encrypted = bool(cfg.encryption)
    stored = encrypted and keyring_get(cfg.id) is not None
    return EncryptionState(location, True, encrypted, cfg.id, stored, available)


def list_snapshots(location: str) -> list[Snapshot]:
    try:
        repo = AppContext.open_repo(location)
        return repo.snapshots()
    except RepoNotFound:
        return []


def _open_with(location: str, given: str | None = None) -> tuple[Repository, str]:
    """Open an encrypted repository; return it with the passphrase that opened it."""
    used: dict[str, str] = {}
    source = passphrase_source(interactive=False)

    def pw(cfg: RepoConfig, loc: str) -> str:
        used["p"] = given if given else source(cfg, loc)
        return used["p"]
    repo = Repository.open(location, passphrase=pw)
    return repo, used.get("p", "")


def change_passphrase(location: str, old: str | None, new: str) -> str:
    """Re-wrap the repository's keys under ``new`` (only its configuration file changes); the
    credential store and this session follow. Returns the repository id."""
    with repo_queue(location):
        repo, current = _open_with(location, old)
        if not repo.config.encryption:
            raise ValueError("the repository is not encrypted")
        repo.change_passphrase(current, new)
        if keyring_get(repo.config.id):
            keyring_set(repo.config.id, new)
        remember_for_session(repo.config.id, new)
        return repo.config.id


def make_recovery_sheet(location: str, texts: dict[str, str] | None = None) -> str:
    """The sheet, its words in ``texts`` (recovery_sheet_dialog.sheet_texts(): the window's language)."""
    repo = AppContext.open_repo(location)   # proves the passphrase before anything is written
    return recovery_sheet(json.loads(repo.config.dumps()), repo.location, texts)


def save_recovery_sheet(location: str, path: str, texts: dict[str, str] | None = None) -> str:
    Path(path).write_text(make_recovery_sheet(location, texts), encoding="utf-8")
    return path


def remember_passphrase(location: str) -> None:
    repo, secret = _open_with(location)
    keyring_set(repo.config.id, secret)
