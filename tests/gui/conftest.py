"""Fixtures for the desktop application tests (pytest-qt, ``QT_QPA_PLATFORM=offscreen``).

One QApplication for the session (pytest-qt's ``qapp``); every test gets a fresh private
settings/data/log folder, an in-memory keyring, an ``AppContext`` on them and real SQLite
databases and repositories in ``tmp_path``. Dialogs in the app open with ``open()`` (never a
blocking ``exec()``), so a test drives them and nothing waits on CI.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import keyring.backend
import pytest

from kasirbackup.app import credentials


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Private settings, data and log folders; an in-memory credential store; English."""
    for var, sub in (("KASIRBACKUP_CONFIG_DIR", "config"), ("KASIRBACKUP_DATA_DIR", "data"),
                     ("KASIRBACKUP_LOG_DIR", "logs")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("KASIRBACKUP_PASSPHRASE", raising=False)
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    credentials.forget_for_session()
    yield ring
    credentials.forget_for_session()
    keyring.set_keyring(previous)


@pytest.fixture
def english(qapp):
    from kasirbackup.gui import i18n

    i18n.install("en", qapp)
    yield
    i18n.install("en", qapp)


@pytest.fixture
def ctx(qapp, tmp_path, english):
    from kasirbackup.app.autostart import LoginStart
    from kasirbackup.app.history import History
    from kasirbackup.app.settings import SettingsStore
    from kasirbackup.gui.context import AppContext

    # start with login goes to a private home: never the real ~/.config/autostart or registry
    c = AppContext(SettingsStore(tmp_path / "config"), History(tmp_path / "data" / "history.db"),
                   login=LoginStart(platform="linux", home=tmp_path / "home"))
    yield c
    c.shutdown(20000)
    # the test's windows go with its context (a later language change must not reach them)
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    c.history.close()


@pytest.fixture
def shop_db(pos_db):
    """The small POS database of tests/conftest.py (kasir.db, ~200 KB)."""
    return pos_db


@pytest.fixture
def profile(ctx, shop_db, tmp_path):
    """A saved profile: kasir.db backed up to tmp_path/backups/kasir, daily at 23:00."""
    from kasirbackup.app.settings import Profile

    s = ctx.settings()
    p = Profile("Toko", str(shop_db), [str(tmp_path / "backups" / "kasir")])
    s.profiles.append(p)
    ctx.save_settings(s)
    return p


def wait_backup(qtbot, ctx, profile, timeout=60000):
    """Start a backup through the context and wait for its result (a RunResult)."""
    with qtbot.waitSignal(ctx.bus.backup_finished, timeout=timeout) as blocker:
        assert ctx.backup_now(profile) is not None
    return blocker.args[1]
