"""Turning encryption on from the settings dialog, without a command line: a place with no
backups yet becomes an encrypted repository (checked with the engine: it needs the passphrase,
and a backup into it works), the passphrase is typed twice with a strength hint and kept in the
credential store only when asked (never in settings.json), the recovery sheet is shown, saved
and copied; a place that holds unencrypted backups is replaced by a new, encrypted folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.gui.conftest import wait_backup

from kasirbackup.app import credentials
from kasirbackup.app.settings import SettingsStore
from kasirbackup.core.repo.crypto import PassphraseNeeded, WrongPassphrase, config_from_sheet
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.gui.settings_dialog import SettingsDialog

PASS = "kunci-gudang-beras-7"


def open_encryption_tab(qtbot, ctx, profile) -> SettingsDialog:
    dlg = SettingsDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.tabs.setCurrentWidget(dlg.encryption_page)
    return dlg


def opens_with(location: str, passphrase: str) -> bool:
    try:
        Repository.open(location, passphrase=lambda cfg, loc: passphrase).snapshots()
        return True
    except WrongPassphrase:
        return False


def type_passphrase(qtbot, dlg, remember: bool = True):
    ask = dlg.new_passphrase_dialog
    assert ask.isVisible()
    ok = ask.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Turn on encryption"
    assert ask.fields.hint.text().startswith("At least 8 characters.")
    ask.new.setText("garam")
    assert ask.fields.hint.text() == "Too short: at least 8 characters."
    ok.click()
    assert "too short" in ask.error.text() and ask.isVisible()
    ask.new.setText("password")
    assert ask.fields.hint.text().startswith("Weak: easy to guess.")
    ask.new.setText(PASS)
    ask.repeat.setText(PASS + "x")
    assert ask.fields.hint.text() == "Strong. The two passphrases are not the same yet."
    ok.click()
    assert "not the same" in ask.error.text() and ask.isVisible()
    ask.repeat.setText(PASS)
    assert ask.fields.hint.text() == "Strong. The passphrases match."
    ask.remember.setChecked(remember)
    ok.click()
    qtbot.waitUntil(lambda: getattr(dlg, "sheet_dialog", None) is not None and dlg.sheet_dialog.isVisible(),
                    timeout=60000)
    return dlg.sheet_dialog


def all_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def test_turning_encryption_on_for_a_place_without_backups(qtbot, ctx, profile, private_dirs, tmp_path,
                                                           monkeypatch, caplog):
    caplog.set_level(logging.DEBUG, logger="kasirbackup")
    location = profile.repos[0]
    assert not Path(location).exists()
    dlg = open_encryption_tab(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.turn_on_button.isVisible() and dlg.turn_on_button.isEnabled(), timeout=10000)
    assert "no backups in this place yet" in dlg.enc_status.text()
    assert "kasirbackup" not in dlg.enc_status.text()          # no command to run
    assert dlg.new_folder_button.isHidden()

    dlg.turn_on_button.click()
    sheet = type_passphrase(qtbot, dlg)

    # an encrypted repository, made by the engine's own call
    with pytest.raises(PassphraseNeeded):
        Repository.open(location)
    assert not opens_with(location, "not-the-passphrase")
    assert opens_with(location, PASS)
    repo_id = Repository.open(location, passphrase=lambda c, l: PASS).config.id
    assert private_dirs.store[("kasirbackup", f"repository:{repo_id}")] == PASS

    # the recovery sheet: shown, saved as a file, copied; never the passphrase
    assert sheet.text.toPlainText() == sheet.sheet
    target = tmp_path / "lembar.txt"
    monkeypatch.setattr(sheet, "_ask_path", lambda: str(target))
    sheet.save_button.click()
    qtbot.waitUntil(lambda: sheet.status.text().startswith("Saved as"), timeout=10000)
    cfg = config_from_sheet(target.read_text(encoding="utf-8"))
    on_disk = json.loads((Path(location) / "kasirbackup.json").read_text())
    assert cfg["id"] == repo_id and cfg["encryption"] == on_disk["encryption"]
    assert PASS not in target.read_text(encoding="utf-8")
    sheet.copy_button.click()
    assert QGuiApplication.clipboard().text() == sheet.sheet
    sheet.close()

    # the tab follows: encrypted, passphrase stored, nothing left to turn on
    qtbot.waitUntil(lambda: "are encrypted" in dlg.enc_status.text(), timeout=10000)
    assert dlg.turn_on_button.isHidden() and dlg.change_button.isEnabled()
    assert "saved in this computer's credential store" in dlg.store_status.text()

    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert PASS not in all_text(tmp_path / "config")

    # a backup into it works, with the passphrase from the credential store alone
    credentials.forget_for_session()
    res = wait_backup(qtbot, ctx, ctx.profile("Toko"))
    assert res.ok, res.message
    snaps = Repository.open(location, passphrase=lambda c, l: PASS).snapshots()
    assert len(snaps) == 1 and snaps[0].verified
    assert PASS not in all_text(tmp_path / "config") + all_text(Path(location)) + caplog.text


def test_not_remembered_stays_in_this_session_only(qtbot, ctx, profile, private_dirs):
    dlg = open_encryption_tab(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.turn_on_button.isEnabled(), timeout=10000)
    dlg.turn_on_button.click()
    type_passphrase(qtbot, dlg, remember=False).close()
    repo_id = Repository.open(profile.repos[0], passphrase=lambda c, l: PASS).config.id
    assert private_dirs.store == {}
    qtbot.waitUntil(lambda: "not saved on this computer" in dlg.store_status.text(), timeout=10000)
    res = wait_backup(qtbot, ctx, ctx.profile("Toko"))       # this session knows it
    assert res.ok, res.message
    assert credentials.keyring_get(repo_id) is None


def test_without_a_credential_store_it_is_said(qtbot, ctx, profile):
    keyring.set_keyring(FailKeyring())
    dlg = open_encryption_tab(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.turn_on_button.isEnabled(), timeout=10000)
    dlg.turn_on_button.click()
    ask = dlg.new_passphrase_dialog
    assert not ask.remember.isEnabled() and not ask.remember.isChecked()
    assert not ask.store_note.isHidden()
    ask.new.setText(PASS)
    ask.repeat.setText(PASS)
    ask.accept()
    qtbot.waitUntil(lambda: getattr(dlg, "sheet_dialog", None) is not None, timeout=60000)
    assert "no secure credential store" in dlg.sheet_dialog.note.text()
    assert opens_with(profile.repos[0], PASS)


def test_unencrypted_backups_go_on_in_a_new_encrypted_folder(qtbot, ctx, profile, shop_db, tmp_path, monkeypatch):
    old = profile.repos[0]
    backup(Repository.init(old), BackupRequest(str(shop_db)))
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("not empty")
    new = tmp_path / "encrypted"
    new.mkdir()

    dlg = open_encryption_tab(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.new_folder_button.isVisible() and dlg.new_folder_button.isEnabled(),
                    timeout=10000)
    assert "are not encrypted" in dlg.enc_status.text()
    assert "kasirbackup" not in dlg.enc_status.text()
    assert dlg.turn_on_button.isHidden()

    # a folder with other files in it is refused, and nothing changes
    monkeypatch.setattr(dlg, "_ask_encrypted_folder", lambda near: str(busy))
    dlg.new_folder_button.click()
    dlg.new_passphrase_dialog.new.setText(PASS)
    dlg.new_passphrase_dialog.repeat.setText(PASS)
    dlg.new_passphrase_dialog.accept()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in dlg.findChildren(QMessageBox)), timeout=30000)
    assert dlg.repos() == [old]
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]
    for box in dlg.findChildren(QMessageBox):
        box.close()

    monkeypatch.setattr(dlg, "_ask_encrypted_folder", lambda near: str(new))
    dlg.new_folder_button.click()
    sheet = type_passphrase(qtbot, dlg)
    assert dlg.repos() == [str(new)]
    assert str(old) in sheet.note.text() and "not encrypted" in sheet.note.text()
    sheet.close()
    assert dlg.enc_location() == str(new)
    qtbot.waitUntil(lambda: "are encrypted" in dlg.enc_status.text(), timeout=10000)

    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert SettingsStore(ctx.store.folder).load().profile("Toko").repos == [str(new)]
    with pytest.raises(PassphraseNeeded):
        Repository.open(new)
    res = wait_backup(qtbot, ctx, ctx.profile("Toko"))
    assert res.ok, res.message
    assert len(Repository.open(new, passphrase=lambda c, l: PASS).snapshots()) == 1
    # the old backups are left where they were, as they were
    old_repo = Repository.open(old)
    assert not old_repo.config.encryption and len(old_repo.snapshots()) == 1
