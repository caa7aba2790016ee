"""Command-line verbs for encryption: passphrase change/remember/forget, recovery sheet."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..app.credentials import (PassphraseTooShort, ask_new_passphrase, keyring_delete, keyring_get, keyring_set,
                              passphrase_source, read_passphrase_file)
from ..core.repo.crypto import config_from_sheet, recovery_sheet
from ..core.errors import KasirBackupError
from ..core.errors import RepoNotFound
from ..core.repo.repository import CONFIG_NAME, RepoConfig, Repository, open_storage


class NewPassphraseNeeded(KasirBackupError):
    code = "new-passphrase-needed"
    template = "No new passphrase was given; nothing was changed."
    hint = "Run the command on a terminal to type the new passphrase, or give it with --new-passphrase-file FILE."


class NotEncrypted(KasirBackupError):
    code = "not-encrypted"
    template = "The repository at {path} is not encrypted."
    hint = "Create an encrypted one with 'kasirbackup init --encrypt --repo NEW_FOLDER'."


class SheetUnreadable(KasirBackupError):
    code = "sheet-unreadable"
    template = "The recovery sheet {path} cannot be used: {reason}."
    hint = "Check that the whole key block, from BEGIN to END, was typed or copied."


class ConfigPresent(KasirBackupError):
    code = "config-present"
    template = "The repository at {path} still has its configuration file."
    hint = "Nothing to restore; the recovery sheet is only needed when kasirbackup.json is lost."


def _open_encrypted(args) -> tuple[Repository, str]:
    """Open an encrypted repository and return it with the passphrase that opened it."""
    given: dict[str, str] = {}
    source = passphrase_source(args.passphrase_file)

    def remember(cfg: RepoConfig, location: str) -> str:
        given["p"] = source(cfg, location)
        return given["p"]
    repo = Repository.open(args.repo, passphrase=remember)
    if not repo.config.encryption:
        raise NotEncrypted(path=repo.location)
    return repo, given["p"]


def cmd_passphrase(args) -> int:
    if args.action == "change":
        repo, old = _open_encrypted(args)
        if args.new_passphrase_file:
            new = read_passphrase_file(args.new_passphrase_file)
            if len(new) < 8:
                raise PassphraseTooShort(length=len(new))
        elif sys.stdin is not None and sys.stdin.isatty():
            new = ask_new_passphrase(None, use_environment=False)
        else:
            raise NewPassphraseNeeded()
        repo.change_passphrase(old, new)
        if keyring_get(repo.config.id):
            keyring_set(repo.config.id, new)
        print("Passphrase changed. Print a new recovery sheet for it: the old sheet still opens these backups "
              "together with the OLD passphrase (the keys inside are the same), so destroy it if someone else may "
              "know the old passphrase.")
    elif args.action == "remember":
        repo, secret = _open_encrypted(args)
        keyring_set(repo.config.id, secret)
        print("The passphrase is saved in this computer's credential store.")
    else:
        try:
            raw = open_storage(args.repo).load("config", CONFIG_NAME)
        except FileNotFoundError:
            raise RepoNotFound(path=args.repo) from None
        cfg = RepoConfig.loads(raw, args.repo)
        keyring_delete(cfg.id)
        print("The passphrase is no longer stored on this computer.")
    return 0


def cmd_recovery_sheet(args) -> int:
    if args.restore:
        folder = Path(args.repo)
        if (folder / CONFIG_NAME).exists():
            raise ConfigPresent(path=str(folder))
        try:
            cfg = config_from_sheet(Path(args.restore).read_text(encoding="utf-8"))
        except RecursionError:
            raise SheetUnreadable(path=args.restore, reason="its values are nested far too deeply") from None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise SheetUnreadable(path=args.restore, reason=str(exc)) from None
        RepoConfig.loads(json.dumps(cfg).encode(), str(folder))   # validate before writing
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(folder / CONFIG_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(cfg, indent=1, sort_keys=True))
        print(f"{CONFIG_NAME} written; check it with: kasirbackup verify --repo {args.repo} --all")
        return 0
    repo, _ = _open_encrypted(args)      # proves the passphrase before printing anything
    sheet = recovery_sheet(json.loads(repo.config.dumps()), repo.location)
    if args.out:
        Path(args.out).write_text(sheet, encoding="utf-8")
        print(f"Recovery sheet written to {args.out}. Print it and keep it away from this computer.")
    else:
        sys.stdout.write(sheet)
    return 0


def register(sub, add) -> None:
    sp = add("passphrase", "change, remember or forget the passphrase of an encrypted repository", cmd_passphrase)
    sp.add_argument("action", choices=["change", "remember", "forget"])
    sp.add_argument("--repo", required=True)
    sp.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE")

    sp = add("recovery-sheet", "print what to keep on paper to restore an encrypted repository elsewhere",
             cmd_recovery_sheet)
    sp.add_argument("--repo", required=True)
    sp.add_argument("--out", metavar="FILE", help="write the sheet to FILE instead of the screen")
    sp.add_argument("--restore", metavar="SHEET",
                    help="put back a lost kasirbackup.json from a saved recovery sheet")
