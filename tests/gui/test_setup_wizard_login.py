"""The first-start setup turns on start with login (issue 16): a visible, ticked checkbox on the
schedule page; Finish writes the login entry (here: the desktop entry in a private home). Left
unticked, the last page says the backups stop after a restart and the main window's banner
warns, amber, until it is turned on."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QWizard

from kasirbackup.app.autostart import gui_command, parse_desktop_exec
from kasirbackup.app.settings import SettingsStore
from kasirbackup.app.status import Level
from kasirbackup.gui.mainwindow import MainWindow
from kasirbackup.gui.setup_wizard import SetupWizard

from .test_setup_wizard import WAIT, _pick_folder, _run_first_backup, _to_folder_page
from . import test_setup_wizard

NO_RESTART = ("Scheduled backups stop when this computer restarts: nothing starts KasirBackup. "
              "Turn on 'Start when I log in' in Settings.")


private_home = test_setup_wizard.private_home     # autouse: a private home, no real USB disks


@pytest.fixture
def wizard(qtbot, ctx, shop_db):
    wiz = SetupWizard(ctx, None, db_path=str(shop_db))
    qtbot.addWidget(wiz)
    wiz.open()
    yield wiz
    wiz.db_page.stop()
    ctx.jobs.wait(20000)


def _to_schedule_page(qtbot, wiz, tmp_path, monkeypatch) -> QCheckBox:
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, tmp_path / "usb", monkeypatch)
    wiz.next()
    assert wiz.currentPage() is wiz.schedule_page
    return wiz.schedule_page.findChild(QCheckBox, "startWithLogin")


def _finish(wiz) -> None:
    finish = wiz.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()
    finish.click()


def test_start_with_login_is_offered_ticked_and_finish_turns_it_on(qtbot, ctx, wizard, tmp_path, monkeypatch,
                                                                   private_home):
    box = _to_schedule_page(qtbot, wizard, tmp_path, monkeypatch)
    assert box.isVisible() and box.isChecked()
    assert box.text() == "Start KasirBackup when I log in to this computer"
    note = wizard.schedule_page.findChild(QLabel, "startWithLoginNote")
    assert note.isVisible() and "also run after the computer restarts" in note.text()
    entry = private_home / ".config" / "autostart" / "kasirbackup.desktop"
    assert not entry.exists()                              # nothing before Finish

    _run_first_backup(qtbot, wizard)
    detail = wizard.findChild(QLabel, "resultLabel").text()
    assert "starts again when you log in" in detail and "Keep KasirBackup running" not in detail
    _finish(wizard)
    lines = dict(ln.split("=", 1) for ln in entry.read_text(encoding="utf-8").splitlines() if "=" in ln)
    assert parse_desktop_exec(lines["Exec"]) == gui_command()
    assert lines["Type"] == "Application" and lines["Terminal"] == "false"
    assert ctx.login.is_on()
    assert SettingsStore(ctx.store.folder).load().start_with_login is True


def test_left_unticked_the_last_page_and_the_banner_say_backups_stop_after_a_restart(
        qtbot, ctx, wizard, tmp_path, monkeypatch, private_home):
    box = _to_schedule_page(qtbot, wizard, tmp_path, monkeypatch)
    box.setChecked(False)
    note = wizard.schedule_page.findChild(QLabel, "startWithLoginNote")
    assert "stop when the computer restarts" in note.text()
    _run_first_backup(qtbot, wizard)
    detail = wizard.findChild(QLabel, "resultLabel").text()
    assert "does not start by itself after the computer restarts" in detail
    _finish(wizard)
    assert not (private_home / ".config" / "autostart" / "kasirbackup.desktop").exists()
    assert not ctx.login.is_on()

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(ctx.bus.startup_changed, timeout=WAIT):
        ctx.watch_restart(has_os_task=lambda p: False)     # no system task either
    assert window.banner.level == Level.WARNING
    assert window.banner.title.text() == NO_RESTART
    assert window.banner.login_button.isVisible()
