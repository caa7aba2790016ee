"""Where passphrases come from and where they are kept (kasirbackup.app.credentials).

The credential store is replaced by an in-memory ``keyring`` backend for the tests (the
machine's real store is never touched); one group of tests installs keyring's own "fail"
backend, which raises ``NoKeyringError`` like a headless Linux without Secret Service.
"""

from __future__ import annotations

import getpass
import importlib.util
import logging
import os
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backends import fail
from keyring.errors import KeyringLocked, NoKeyringError, PasswordDeleteError

from kasirbackup.app import credentials
from kasirbackup.app.credentials import (ENV, MAX_PASSPHRASE_FILE, SERVICE, NoSecureStore,
                                         PassphraseFileUnreadable, PassphrasesDiffer, PassphraseTooShort,
                                         ask_new_passphrase, keyring_delete, keyring_get, keyring_set,
                                         passphrase_source, read_passphrase_file)
from kasirbackup.core.repo import crypto
from kasirbackup.core.repo.crypto import PassphraseNeeded, WrongPassphrase
from kasirbackup.core.repo.repository import RepoConfig, Repository

PW = "sandi-toko-rahasia 2025"
CHEAP_KDF = {"name": "argon2id", "memory_kib": 8, "iterations": 1, "lanes": 1}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store in a dict: what the tests use instead of the system's."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None


class LockedKeyring(MemoryKeyring):
    """A store that exists but refuses (a locked Keychain / a dismissed unlock prompt)."""

    def get_password(self, service, username):
        raise KeyringLocked("the keyring is locked")

    def set_password(self, service, username, password):
        raise KeyringLocked("the keyring is locked")


def _install(backend):
    old = getattr(keyring.core, "_keyring_backend", None)
    keyring.set_keyring(backend)
    return old


@pytest.fixture
def memory_keyring():
    kr = MemoryKeyring()
    old = _install(kr)
    yield kr
    keyring.core._keyring_backend = old


@pytest.fixture
def no_keyring():
    old = _install(fail.Keyring())
    yield
    keyring.core._keyring_backend = old


@pytest.fixture
def locked_keyring():
    old = _install(LockedKeyring())
    yield
    keyring.core._keyring_backend = old


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


@pytest.fixture
def prompts(monkeypatch):
    """getpass replaced: returns the queued answers and records the prompts."""
    asked: list[str] = []
    answers: list[str] = []

    def fake(prompt="Password: ", stream=None):
        asked.append(prompt)
        if not answers:
            raise AssertionError(f"unexpected prompt {prompt!r}")
        return answers.pop(0)
    monkeypatch.setattr(getpass, "getpass", fake)
    monkeypatch.setattr(credentials.getpass, "getpass", fake)
    return asked, answers


def _cfg(repo_id: str = "abc123") -> RepoConfig:
    return RepoConfig(id=repo_id, created_at="2025-02-08T00:00:00+00:00")


def _file(tmp_path: Path, text: str | bytes, name: str = "pass.txt") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


# -- packaging ---------------------------------------------------------------------------------------

def test_keyrings_alt_is_not_installed():
    """keyrings.alt would give keyring plain-text and weakly 'encrypted' file backends."""
    assert importlib.util.find_spec("keyrings") is None or importlib.util.find_spec("keyrings.alt") is None
    root = Path(__file__).resolve().parents[2]
    assert "keyrings.alt" not in (root / "pyproject.toml").read_text()


# -- the credential store ------------------------------------------------------------------------------

def test_remember_lookup_forget_by_repository_id(memory_keyring):
    assert keyring_get("repo-a") is None
    keyring_set("repo-a", PW)
    keyring_set("repo-b", "another passphrase")
    assert keyring_get("repo-a") == PW
    assert keyring_get("repo-b") == "another passphrase"
    # one entry per repository, under our service name; short (far below Windows' ~2.5 KB)
    assert memory_keyring.entries[(SERVICE, "repository:repo-a")] == PW
    assert all(len(v.encode("utf-16-le")) < 2500 for v in memory_keyring.entries.values())
    keyring_set("repo-a", "changed passphrase")
    assert keyring_get("repo-a") == "changed passphrase"
    keyring_delete("repo-a")
    assert keyring_get("repo-a") is None
    assert keyring_get("repo-b") == "another passphrase"
    keyring_delete("repo-a")                    # forgetting twice is not an error
    keyring_delete("never-stored")


def test_no_secure_store(no_keyring, caplog):
    with pytest.raises(NoSecureStore) as err:
        keyring_set("repo-a", PW)
    text = str(err.value)
    assert "no secure credential store" in text
    assert "--passphrase-file" in text and ENV in text
    assert "wrong" not in text.lower() and PW not in text
    assert "keyrings.alt" not in text          # keyring's own advice is not passed on
    assert keyring_get("repo-a") is None
    keyring_delete("repo-a")                   # nothing to forget: no error
    assert PW not in caplog.text


def test_a_store_that_refuses_is_not_a_wrong_passphrase(locked_keyring, caplog):
    caplog.set_level(logging.DEBUG, logger="kasirbackup")
    assert keyring_get("repo-a") is None
    with pytest.raises(NoSecureStore):
        keyring_set("repo-a", PW)
    assert PW not in caplog.text


# -- the order of the sources ----------------------------------------------------------------------------

def test_environment_beats_file_keyring_and_prompt(memory_keyring, prompts, monkeypatch, tmp_path):
    keyring_set("abc123", "from the keyring")
    monkeypatch.setenv(ENV, "from the environment")
    # the file is not even read (a missing one is no error when the variable is set)
    src = passphrase_source(str(tmp_path / "missing.txt"), interactive=True)
    assert src(_cfg(), "/repo") == "from the environment"
    assert prompts[0] == []


def test_file_beats_keyring_and_prompt(memory_keyring, prompts, tmp_path):
    keyring_set("abc123", "from the keyring")
    f = _file(tmp_path, "from the file\nsecond line ignored\n")
    assert passphrase_source(str(f), interactive=True)(_cfg(), "/repo") == "from the file"
    assert prompts[0] == []


def test_keyring_beats_prompt(memory_keyring, prompts):
    keyring_set("abc123", "from the keyring")
    assert passphrase_source(None, interactive=True)(_cfg(), "/repo") == "from the keyring"
    assert prompts[0] == []
    # the entry is per repository: another id is not answered from it
    asked, answers = prompts
    answers.append("typed")
    assert passphrase_source(None, interactive=True)(_cfg("other"), "/repo") == "typed"
    assert len(asked) == 1 and "/repo" in asked[0]


def test_prompt_last_and_only_on_a_terminal(memory_keyring, prompts, monkeypatch):
    asked, answers = prompts
    answers.append("typed")
    assert passphrase_source(None, interactive=True)(_cfg(), "/repo") == "typed"
    assert len(asked) == 1
    with pytest.raises(PassphraseNeeded) as err:
        passphrase_source(None, interactive=False)(_cfg(), "/repo")
    assert "/repo" in str(err.value)
    # without a terminal the default does not prompt either
    monkeypatch.setattr(credentials, "_interactive", lambda: False)
    with pytest.raises(PassphraseNeeded):
        passphrase_source(None)(_cfg(), "/repo")
    assert len(asked) == 1


def test_empty_environment_variable_counts_as_not_set(memory_keyring, monkeypatch, prompts):
    monkeypatch.setenv(ENV, "")
    keyring_set("abc123", "from the keyring")
    assert passphrase_source(None, interactive=False)(_cfg(), "/repo") == "from the keyring"


# -- an encrypted repository and the sources --------------------------------------------------------------

@pytest.fixture
def enc_repo(tmp_path, monkeypatch):
    monkeypatch.setattr(crypto, "KDF_DEFAULT", dict(CHEAP_KDF))
    repo = Repository.init(tmp_path / "repo", encrypt_with=PW)
    return tmp_path / "repo", repo.config.id


def test_open_with_the_remembered_passphrase(memory_keyring, enc_repo, prompts):
    path, repo_id = enc_repo
    keyring_set(repo_id, PW)
    repo = Repository.open(path, passphrase=passphrase_source(None, interactive=False))
    assert repo.codec.encrypted
    keyring_set(repo_id, "an old passphrase")
    with pytest.raises(WrongPassphrase):
        Repository.open(path, passphrase=passphrase_source(None, interactive=False))


def test_no_store_and_no_other_source_is_passphrase_needed(no_keyring, enc_repo, prompts, monkeypatch):
    path, _ = enc_repo
    monkeypatch.setattr(credentials, "_interactive", lambda: False)     # no terminal
    for interactive in (False, None):
        with pytest.raises(PassphraseNeeded) as err:
            Repository.open(path, passphrase=passphrase_source(None, interactive=interactive))
        assert not isinstance(err.value, WrongPassphrase)
        assert "no passphrase was given" in str(err.value)
        assert "does not open" not in str(err.value)
    # and without any source at all
    with pytest.raises(PassphraseNeeded):
        Repository.open(path)
    # the other sources still work without a store
    os.environ[ENV] = PW
    try:
        assert Repository.open(path, passphrase=passphrase_source(None, interactive=False)).codec.encrypted
    finally:
        del os.environ[ENV]
    asked, answers = prompts
    answers.append(PW)
    assert Repository.open(path, passphrase=passphrase_source(None, interactive=True)).codec.encrypted


def test_passphrase_remember_change_forget_commands(memory_keyring, enc_repo, tmp_path, capsys, monkeypatch):
    """``kasirbackup passphrase remember|change|forget`` against the in-memory store."""
    import argparse

    from kasirbackup.cli.security import cmd_passphrase

    monkeypatch.setattr(credentials, "_interactive", lambda: False)
    path, repo_id = enc_repo
    pfile = _file(tmp_path, PW + "\n", "old.txt")
    nfile = _file(tmp_path, "the new passphrase\n", "new.txt")

    def ns(action, passphrase_file=None, new_passphrase_file=None):
        return argparse.Namespace(action=action, repo=str(path), passphrase_file=passphrase_file,
                                  new_passphrase_file=new_passphrase_file)

    def open_from_store():
        return Repository.open(path, passphrase=passphrase_source(None, interactive=False))

    with pytest.raises(PassphraseNeeded):
        open_from_store()
    assert cmd_passphrase(ns("remember", passphrase_file=str(pfile))) == 0
    assert memory_keyring.entries == {(SERVICE, f"repository:{repo_id}"): PW}
    assert open_from_store().config.id == repo_id

    # a change of a remembered passphrase updates the store (the old one comes from it)
    assert cmd_passphrase(ns("change", new_passphrase_file=str(nfile))) == 0
    assert keyring_get(repo_id) == "the new passphrase"
    assert open_from_store().config.id == repo_id

    assert cmd_passphrase(ns("forget")) == 0
    assert memory_keyring.entries == {}
    with pytest.raises(PassphraseNeeded):
        open_from_store()
    assert cmd_passphrase(ns("forget")) == 0          # forgetting twice is fine
    out = capsys.readouterr()
    assert PW not in out.out + out.err and "the new passphrase" not in out.out + out.err


# -- passphrase files ----------------------------------------------------------------------------------------

def test_passphrase_file_first_line(tmp_path):
    assert read_passphrase_file(str(_file(tmp_path, PW))) == PW
    assert read_passphrase_file(str(_file(tmp_path, PW + "\n"))) == PW
    assert read_passphrase_file(str(_file(tmp_path, PW + "\r\n"))) == PW          # Notepad
    assert read_passphrase_file(str(_file(tmp_path, "kata sandi é ü 日本\nx"))) == "kata sandi é ü 日本"


@pytest.mark.parametrize("what, content, reason", [
    ("empty", b"", "empty"),
    ("only a newline", b"\n", "empty"),
    ("empty first line", b"\nsecret on line two\n", "empty"),
    ("not UTF-8", b"sandi \xff\xfe toko\n", "not UTF-8"),
    ("oversized", b"x" * (MAX_PASSPHRASE_FILE + 1), "too large"),
])
def test_passphrase_file_errors(tmp_path, what, content, reason):
    f = _file(tmp_path, content)
    with pytest.raises(PassphraseFileUnreadable) as err:
        read_passphrase_file(str(f))
    text = str(err.value)
    assert reason in text and str(f) in text and "\n" not in text


def test_passphrase_file_missing_or_a_folder(tmp_path):
    for p in (tmp_path / "missing.txt", tmp_path):
        with pytest.raises(PassphraseFileUnreadable) as err:
            read_passphrase_file(str(p))
        assert str(p) in str(err.value)


def test_passphrase_file_errors_never_show_the_content(tmp_path):
    f = _file(tmp_path, ("geheim" * 20000).encode())
    with pytest.raises(PassphraseFileUnreadable) as err:
        read_passphrase_file(str(f))
    assert "geheim" not in str(err.value)
    f = _file(tmp_path, "sandi-rahasia \udcff".encode("utf-8", "surrogateescape"))
    with pytest.raises(PassphraseFileUnreadable) as err:
        read_passphrase_file(str(f))
    assert "sandi-rahasia" not in str(err.value)


def test_passphrase_file_unreadable_through_the_source(tmp_path):
    with pytest.raises(PassphraseFileUnreadable):
        passphrase_source(str(tmp_path / "missing.txt"), interactive=False)(_cfg(), "/repo")


# -- new passphrases -----------------------------------------------------------------------------------------

def test_new_passphrase_at_least_8_characters(monkeypatch, tmp_path, prompts):
    for short in ("", "a", "1234567", "sandi12"):
        if short:
            monkeypatch.setenv(ENV, short)
            with pytest.raises(PassphraseTooShort) as err:
                ask_new_passphrase()
            assert short not in str(err.value) or len(short) < 2
    monkeypatch.setenv(ENV, "12345678")
    assert ask_new_passphrase() == "12345678"
    monkeypatch.delenv(ENV)
    with pytest.raises(PassphraseTooShort):
        ask_new_passphrase(str(_file(tmp_path, "pendek\n")))
    assert ask_new_passphrase(str(_file(tmp_path, "cukup panjang\n"))) == "cukup panjang"


def test_new_passphrase_typed_twice(monkeypatch, prompts):
    asked, answers = prompts
    monkeypatch.setattr(credentials, "_interactive", lambda: True)
    answers += ["rahasia toko", "rahasia toko"]
    assert ask_new_passphrase() == "rahasia toko"
    answers += ["rahasia toko", "rahasia tokO"]
    with pytest.raises(PassphrasesDiffer):
        ask_new_passphrase()
    answers += ["pendek", "pendek"]
    with pytest.raises(PassphraseTooShort):
        ask_new_passphrase()
    assert len(asked) == 6


def test_new_passphrase_without_any_source(prompts, monkeypatch):
    monkeypatch.setattr(credentials, "_interactive", lambda: False)
    with pytest.raises(PassphraseNeeded):
        ask_new_passphrase()
    assert prompts[0] == []
