"""The settings dialog against real settings files and real repositories: backup places,
the retention preview (the same decisions as core.retention and a real prune), the passphrase
change, the recovery sheet, the credential store, language and notifications."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from kasirbackup.app import credentials
from kasirbackup.app.settings import Profile, SettingsStore
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.crypto import WrongPassphrase, config_from_sheet
from kasirbackup.core.repo.manifest import Kind
from kasirbackup.core.retention.prune import prune
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.retention.policy import Policy, decide
from kasirbackup.gui.settings_dialog import SettingsDialog

OLD = "garam-dan-gula-1"
NEW = "kopi-susu-panas-2"


def open_dialog(qtbot, ctx, profile) -> SettingsDialog:
    dlg = SettingsDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def saved(ctx):
    return SettingsStore(ctx.store.folder).load()


def visible_box(widget, text: str) -> QMessageBox:
    boxes = [b for b in widget.findChildren(QMessageBox) if b.isVisible() and text in b.text()]
    assert boxes, [b.text() for b in widget.findChildren(QMessageBox)]
    return boxes[0]


def has_box(widget, text: str) -> bool:
    return any(b.isVisible() and text in b.text() for b in widget.findChildren(QMessageBox))


# -- backup places, plain copy, notifications ------------------------------------------------------

def test_backup_places_are_added_removed_and_saved(qtbot, ctx, profile, tmp_path, monkeypatch):
    usb = tmp_path / "usb" / "kasir"
    usb.mkdir(parents=True)
    nas = tmp_path / "nas" / "kasir"
    nas.mkdir(parents=True)
    dlg = open_dialog(qtbot, ctx, profile)
    assert dlg.repos() == profile.repos
    assert dlg.repo_list.item(0).text().startswith("Main backup folder: ")
    assert not dlg.remove_button.isEnabled()            # the only place cannot go

    monkeypatch.setattr(dlg, "_ask_folder", lambda: str(usb))
    dlg.add_folder_button.click()
    assert dlg.repos() == [profile.repos[0], str(usb)]
    assert dlg.repo_list.item(1).text() == f"Off-site copy: {usb}"
    dlg.add_folder_button.click()                        # the same folder twice
    assert dlg.repos() == [profile.repos[0], str(usb)]
    assert "in the list already" in dlg.place_error.text()

    monkeypatch.setattr(dlg, "_ask_folder", lambda: str(nas))
    dlg.add_folder_button.click()
    assert dlg.repos()[2] == str(nas)
    assert dlg.place_error.isHidden()

    dlg.repo_list.setCurrentRow(1)
    dlg.remove_button.click()
    assert dlg.repos() == [profile.repos[0], str(nas)]

    dlg.plain_copy.setChecked(True)
    dlg.notify_success.setChecked(True)
    with qtbot.waitSignal(ctx.bus.settings_changed, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    s = saved(ctx)
    assert s.profile("Toko").repos == [profile.repos[0], str(nas)]
    assert s.profile("Toko").plain_copy is True
    assert s.notify_success is True
    assert ctx.profile("Toko").repos == s.profile("Toko").repos

    # Cancel keeps what is saved
    dlg.plain_copy.setChecked(False)
    dlg.reject()
    assert saved(ctx).profile("Toko").plain_copy is True


def test_without_a_database_only_the_general_tabs_work(qtbot, ctx):
    dlg = SettingsDialog(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.tabs.isTabEnabled(dlg.tabs.indexOf(dlg.places_page))
    assert not dlg.tabs.isTabEnabled(dlg.tabs.indexOf(dlg.retention_page))
    assert dlg.tabs.currentWidget() is dlg.language_page
    dlg.notify_success.setChecked(True)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert saved(ctx).notify_success is True


# -- retention -----------------------------------------------------------------------------------

@pytest.fixture
def dated_backups(ctx, profile, shop_db):
    """Nine real snapshots over five weeks, one of them a recent before-restore safety copy."""
    repo = Repository.open(profile.repos[0], create=True)
    now = ctx.now()
    ages = [timedelta(hours=2), timedelta(hours=5), timedelta(days=1), timedelta(days=2, hours=3),
            timedelta(days=6), timedelta(days=9), timedelta(days=16), timedelta(days=23), timedelta(days=35)]
    for i, age in enumerate(ages):
        kind = Kind.BEFORE_RESTORE if i == 4 else Kind.MANUAL
        backup(repo, BackupRequest(str(shop_db), kind=kind, created_at=now - age))
    return repo


def preview_rows(dlg) -> dict[str, bool]:
    tree = dlg.preview
    return {tree.topLevelItem(i).data(0, 0x0100): tree.topLevelItem(i).data(2, 0x0100)
            for i in range(tree.topLevelItemCount())}


def test_retention_preview_matches_core_and_prune(qtbot, ctx, profile, dated_backups):
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.preview.topLevelItemCount() == 9, timeout=20000)
    # the profile's defaults keep-last 10: everything is kept
    assert all(preview_rows(dlg).values())
    assert dlg.retention_summary.text() == "Of 9 backups, 9 are kept and 0 would be removed at the next backup."

    for rule, n in (("last", 2), ("daily", 3), ("weekly", 2), ("monthly", 0), ("yearly", 0)):
        dlg.keep[rule].setValue(n)
    policy = Policy(keep_last=2, keep_daily=3, keep_weekly=2)
    snaps = dated_backups.snapshots()
    expected = {d.snapshot.id: d.keep for d in decide(snaps, policy, ctx.now(), ctx.tz)}
    rows = preview_rows(dlg)
    assert rows == expected
    kept = sum(expected.values())
    assert 0 < kept < 9
    assert dlg.retention_summary.text() == (f"Of 9 backups, {kept} are kept and {9 - kept} would be removed at "
                                            "the next backup.")
    # the reasons are spelled out; the safety copy and the newest are kept whatever the rules say
    whys = {dlg.preview.topLevelItem(i).data(0, 0x0100): dlg.preview.topLevelItem(i).text(3)
            for i in range(dlg.preview.topLevelItemCount())}
    newest = max(snaps, key=lambda s: s.created_utc)
    assert "one of the 2 newest" in whys[newest.id]
    safety = next(s for s in snaps if s.kind == Kind.BEFORE_RESTORE)
    assert rows[safety.id] is True and "safety backup from a restore" in whys[safety.id]
    # a removed one says why no rule keeps it, from the engine's facts (the same as prune's)
    removed = {d.snapshot.id: d.removal for d in decide(snaps, policy, ctx.now(), ctx.tz) if not d.keep}
    for snap_id, removal in removed.items():
        assert whys[snap_id].startswith("not one of the 2 newest"), whys[snap_id]
        if removal.newer_kept:
            assert "a newer backup is kept for its " + ", ".join(removal.newer_kept) in whys[snap_id]
        if removal.too_old:
            assert "older than the " in whys[snap_id] and "backups kept" in whys[snap_id]

    # live: one more daily keeps one more backup
    dlg.keep["daily"].setValue(4)
    rows4 = preview_rows(dlg)
    assert rows4 == {d.snapshot.id: d.keep for d in decide(snaps, Policy(2, 0, 4, 2), ctx.now(), ctx.tz)}

    dlg.keep["daily"].setValue(3)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    r = saved(ctx).profile("Toko").retention
    assert (r.keep_last, r.keep_daily, r.keep_weekly, r.keep_monthly, r.keep_yearly) == (2, 3, 2, 0, 0)

    # a real prune with the saved policy removes exactly what the preview said
    prune(dated_backups, r.policy(), tz=ctx.tz)
    left = {s.id for s in Repository.open(profile.repos[0]).snapshots()}
    assert left == {i for i, keep in rows.items() if keep}


def test_retention_preview_without_backups(qtbot, ctx, profile):
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: "no backups yet" in dlg.retention_summary.text(), timeout=10000)
    assert dlg.preview.topLevelItemCount() == 0


# -- language --------------------------------------------------------------------------------------

class PseudoTranslator(QTranslator):
    """Stands for a real translation: every text of the settings dialog comes back marked."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"[{source}]" if context == "SettingsDialog" else None

    def isEmpty(self) -> bool:
        return False


def test_language_switch_is_saved_announced_and_retranslates(qtbot, ctx, profile, qapp):
    dlg = open_dialog(qtbot, ctx, profile)
    assert dlg.tabs.tabText(dlg.tabs.indexOf(dlg.language_page)) == "Language"
    dlg.tabs.setCurrentWidget(dlg.language_page)
    dlg.language.setCurrentIndex(dlg.language.findData("id"))
    assert dlg.language.currentText() == "Bahasa Indonesia"
    with qtbot.waitSignal(ctx.bus.language_changed, timeout=5000) as blocker:
        dlg.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert blocker.args == ["id"]
    assert saved(ctx).language == "id"

    # nothing is announced when the language did not change
    seen = []
    ctx.bus.language_changed.connect(seen.append)
    dlg.apply()
    assert seen == []

    # the application installs the translation on that signal; the open dialog follows
    translator = PseudoTranslator()
    qapp.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: dlg.tabs.tabText(dlg.tabs.indexOf(dlg.language_page)) == "[Language]",
                        timeout=5000)
        assert dlg.windowTitle() == "[Settings — Toko]"
        assert dlg.notify_success.text() == "[Tell me when a backup succeeds]"
        assert dlg.language.itemText(1) == "Bahasa Indonesia"       # a language's own name stays
        assert dlg.language.currentData() == "id"
    finally:
        qapp.removeTranslator(translator)
    qtbot.waitUntil(lambda: dlg.tabs.tabText(dlg.tabs.indexOf(dlg.language_page)) == "Language", timeout=5000)


# -- encryption ------------------------------------------------------------------------------------

@pytest.fixture
def encrypted(ctx, tmp_path, shop_db):
    """An encrypted repository with one backup, and a profile that backs up into it."""
    location = str(tmp_path / "secret-backups")
    repo = Repository.init(location, encrypt_with=OLD)
    backup(repo, BackupRequest(str(shop_db)))
    s = ctx.settings()
    p = Profile("Rahasia", str(shop_db), [location])
    s.profiles.append(p)
    ctx.save_settings(s)
    return p, repo.config.id


def opens_with(location: str, passphrase: str) -> bool:
    try:
        Repository.open(location, passphrase=lambda cfg, loc: passphrase).snapshots()
        return True
    except WrongPassphrase:
        return False


def test_passphrase_change_old_stops_working(qtbot, ctx, encrypted):
    profile, repo_id = encrypted
    location = profile.repos[0]
    dlg = open_dialog(qtbot, ctx, profile)
    dlg.tabs.setCurrentWidget(dlg.encryption_page)
    qtbot.waitUntil(lambda: dlg.change_button.isEnabled(), timeout=10000)
    assert "are encrypted" in dlg.enc_status.text()
    assert "not saved on this computer" in dlg.store_status.text()

    dlg.change_button.click()
    change = dlg.change_dialog
    assert change.isVisible()
    # checks before anything is done
    change.current.setText(OLD)
    change.new.setText("short")
    change.repeat.setText("short")
    change.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "too short" in change.error.text() and change.isVisible()
    change.new.setText(NEW)
    change.repeat.setText(NEW + "x")
    change.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "not the same" in change.error.text() and change.isVisible()

    change.repeat.setText(NEW)
    change.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: has_box(dlg, "The passphrase is changed"), timeout=30000)
    assert not opens_with(location, OLD)
    assert opens_with(location, NEW)
    snaps = Repository.open(location, passphrase=lambda c, l: NEW).snapshots()
    assert len(snaps) == 1 and snaps[0].verified
    assert credentials.keyring_get(repo_id) is None       # it was not stored, so it is not now either


def test_passphrase_change_with_a_wrong_current_one_changes_nothing(qtbot, ctx, encrypted):
    profile, _ = encrypted
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.change_button.isEnabled(), timeout=10000)
    dlg.change_button.click()
    change = dlg.change_dialog
    change.current.setText("not-the-passphrase")
    change.new.setText(NEW)
    change.repeat.setText(NEW)
    change.accept()
    qtbot.waitUntil(lambda: has_box(dlg, "The current passphrase is not right"), timeout=30000)
    assert opens_with(profile.repos[0], OLD)
    assert not opens_with(profile.repos[0], NEW)


def test_passphrase_change_updates_the_credential_store(qtbot, ctx, encrypted):
    profile, repo_id = encrypted
    credentials.keyring_set(repo_id, OLD)
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.forget_button.isEnabled(), timeout=10000)
    assert "saved in this computer's credential store" in dlg.store_status.text()
    dlg.change_button.click()
    change = dlg.change_dialog
    assert change.current.placeholderText()              # known here: may stay empty
    change.new.setText(NEW)
    change.repeat.setText(NEW)
    change.accept()
    qtbot.waitUntil(lambda: has_box(dlg, "The passphrase is changed"), timeout=30000)
    assert credentials.keyring_get(repo_id) == NEW
    assert not opens_with(profile.repos[0], OLD)


def test_remember_and_forget(qtbot, ctx, encrypted):
    profile, repo_id = encrypted
    credentials.remember_for_session(repo_id, OLD)         # typed earlier in this session
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.remember_button.isEnabled(), timeout=10000)
    assert not dlg.forget_button.isEnabled()
    dlg.remember_button.click()
    qtbot.waitUntil(lambda: dlg.forget_button.isEnabled(), timeout=30000)
    assert credentials.keyring_get(repo_id) == OLD
    assert "saved in this computer's credential store" in dlg.store_status.text()
    dlg.forget_button.click()
    qtbot.waitUntil(lambda: dlg.remember_button.isEnabled(), timeout=30000)
    assert credentials.keyring_get(repo_id) is None
    assert "not saved on this computer" in dlg.store_status.text()


def test_no_secure_store_is_said_plainly(qtbot, ctx, encrypted):
    keyring.set_keyring(FailKeyring())
    profile, _ = encrypted
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: "no secure credential store" in dlg.store_status.text(), timeout=10000)
    assert not dlg.remember_button.isEnabled() and not dlg.forget_button.isEnabled()
    assert dlg.change_button.isEnabled()


def test_recovery_sheet_is_saved(qtbot, ctx, encrypted, tmp_path, monkeypatch):
    profile, repo_id = encrypted
    credentials.remember_for_session(repo_id, OLD)
    target = tmp_path / "sheet.txt"
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: dlg.sheet_button.isEnabled(), timeout=10000)
    monkeypatch.setattr(dlg, "_ask_sheet_path", lambda: str(target))
    dlg.sheet_button.click()
    qtbot.waitUntil(lambda: has_box(dlg, "The recovery sheet is saved"), timeout=30000)
    cfg = config_from_sheet(target.read_text(encoding="utf-8"))
    on_disk = json.loads((Path(profile.repos[0]) / "kasirbackup.json").read_text())
    assert cfg["id"] == repo_id and cfg["encryption"] == on_disk["encryption"]
    assert OLD not in target.read_text()


def test_unencrypted_place_says_so(qtbot, ctx, profile, dated_backups):
    dlg = open_dialog(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: "not encrypted" in dlg.enc_status.text(), timeout=10000)
    assert not dlg.change_button.isEnabled()
    assert dlg.pass_box.isHidden()


def test_encrypted_preview_waits_for_the_passphrase(qtbot, ctx, encrypted, monkeypatch):
    profile, repo_id = encrypted
    dlg = open_dialog(qtbot, ctx, profile)
    # no prompt pops up by itself: the preview offers to unlock
    qtbot.waitUntil(lambda: not dlg.unlock_button.isHidden(), timeout=10000)
    assert "are encrypted" in dlg.retention_summary.text()
    asked = []

    def typed(parent, exc):
        asked.append(exc.params["repo_id"])
        credentials.remember_for_session(exc.params["repo_id"], OLD)
        return True
    monkeypatch.setattr("kasirbackup.gui.settings_dialog.retention_tab.handle_repo_error", typed)
    dlg.unlock_button.click()
    qtbot.waitUntil(lambda: dlg.preview.topLevelItemCount() == 1, timeout=20000)
    assert asked == [repo_id]
    assert dlg.unlock_button.isHidden()


def test_attachment_folders_are_listed_found_added_removed_and_saved(qtbot, ctx, profile, tmp_path):
    """The Attachments tab: a folder found beside the database is added by "Find beside the
    database", one is added by hand, one removed, and OK saves the list into the profile."""
    db = Path(profile.db_path)
    photos = db.parent / "foto-produk"
    photos.mkdir()
    for i in range(4):
        (photos / f"{i}.jpg").write_bytes(b"\xff\xd8\xff" + bytes([i]) * 50)
    dlg = open_dialog(qtbot, ctx, profile)
    dlg.tabs.setCurrentWidget(dlg.attachments_page)
    assert dlg.attach_list.count() == 0
    dlg.attach_find.click()
    qtbot.waitUntil(lambda: dlg.attach_list.count() == 1, timeout=10000)
    assert dlg.attach_list.item(0).text() == str(photos)
    assert "Added: " in dlg.attach_note.text() and "4 files" in dlg.attach_note.text()
    dlg.attach_find.click()                       # nothing new the second time
    qtbot.waitUntil(lambda: "No other folder" in dlg.attach_note.text(), timeout=10000)
    receipts = tmp_path / "struk"
    receipts.mkdir()
    dlg.add_attachment_folder(str(receipts))
    dlg.add_attachment_folder(str(receipts))     # once only
    assert [dlg.attach_list.item(i).text() for i in range(dlg.attach_list.count())] == [str(photos), str(receipts)]
    dlg.attach_list.setCurrentRow(0)
    dlg.attach_remove.click()
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert saved(ctx).profiles[0].attachments == [str(receipts)]
