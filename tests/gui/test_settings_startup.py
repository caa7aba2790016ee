"""Settings (issue 16): the Start-up tab shows whether KasirBackup really starts with login on
this computer and changes it; a backup place that cannot be written (a read-only disk) is not
accepted silently."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from kasirbackup.app.settings import SettingsStore
from kasirbackup.gui.settings_dialog import SettingsDialog
from tests.support.privileges import need_mounts


def open_dialog(qtbot, ctx, profile) -> SettingsDialog:
    dlg = SettingsDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_startup_tab_shows_the_real_state_and_changes_it(qtbot, ctx, profile, tmp_path):
    entry = tmp_path / "home" / ".config" / "autostart" / "kasirbackup.desktop"
    dlg = open_dialog(qtbot, ctx, profile)
    dlg.tabs.setCurrentWidget(dlg.startup_page)
    assert dlg.tabs.tabText(dlg.tabs.currentIndex()) == "Start-up"
    assert dlg.start_login.isVisible() and not dlg.start_login.isChecked()
    assert dlg.start_login.text() == "Start KasirBackup when I log in to this computer"
    dlg.start_login.setChecked(True)
    with qtbot.waitSignal(ctx.bus.settings_changed, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert entry.is_file() and "Exec=" in entry.read_text(encoding="utf-8")
    assert SettingsStore(ctx.store.folder).load().start_with_login is True
    dlg.reject()

    # the settings file says "on" but the entry is gone (removed by hand): the tab says off
    entry.unlink()
    dlg = open_dialog(qtbot, ctx, ctx.profile("Toko"))
    assert not dlg.start_login.isChecked()
    ctx.login.set(True)
    dlg = open_dialog(qtbot, ctx, ctx.profile("Toko"))
    assert dlg.start_login.isChecked()
    dlg.start_login.setChecked(False)
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not entry.exists() and not ctx.login.is_on()
    assert SettingsStore(ctx.store.folder).load().start_with_login is False


def test_a_read_only_place_is_refused(qtbot, ctx, profile, tmp_path, monkeypatch):
    need_mounts()
    ro = tmp_path / "USB-BACKUP"
    ro.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(ro)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    try:
        dlg = open_dialog(qtbot, ctx, profile)
        monkeypatch.setattr(dlg, "_ask_folder", lambda: str(ro))
        dlg.add_folder_button.click()
        qtbot.waitUntil(lambda: dlg.place_error.isVisible(), timeout=20000)
        assert "is read-only" in dlg.place_error.text() and "The place was not added." in dlg.place_error.text()
        assert dlg.repos() == profile.repos
        assert dlg.repo_list.count() == 1
    finally:
        subprocess.run(["umount", "-l", str(ro)], capture_output=True)
    # a folder that can be written stays
    fine = tmp_path / "fine"
    fine.mkdir()
    monkeypatch.setattr(dlg, "_ask_folder", lambda: str(fine))
    dlg.add_folder_button.click()
    assert ctx.jobs.wait(20000)
    QCoreApplication.processEvents()                     # the check's answer (queued from the worker)
    assert dlg.place_error.isHidden()
    assert dlg.repos() == profile.repos + [str(fine)]
