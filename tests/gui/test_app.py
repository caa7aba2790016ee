"""The application shell: tray icon and its menu, notifications, the single-instance
hand-off between two real processes, the no-display fallback and the --smoke check."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kasirbackup.app.history import Result
from kasirbackup.app.settings import Profile, SettingsStore
from kasirbackup.gui.mainwindow import MainWindow
from kasirbackup.gui.tray import Tray

from .conftest import wait_backup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tray(qtbot, ctx, profile):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    t = Tray(ctx, w)
    yield t, w
    t.tray.hide()
    t._timer.stop()
    t.deleteLater()


def action(menu, name):
    for a in menu.actions():
        if a.objectName() == name:
            return a
    raise AssertionError(f"no {name} in {[a.text() for a in menu.actions()]}")


def test_tray_menu_has_open_backup_last_next_quit(tray):
    t, _ = tray
    t.rebuild_menu()
    texts = [a.text() for a in t.menu.actions() if a.text()]
    assert texts[0] == "Open KasirBackup"
    assert "Backup now" in texts
    # the status lines name their database
    assert "Toko: not protected yet — no backup has been made. Press Backup now." in texts
    assert any(x.startswith("Toko: next backup ") for x in texts)
    assert texts[-1] == "Quit"


def test_tray_backup_now_runs_and_icon_follows(qtbot, ctx, tray):
    t, w = tray
    assert t.state == "error"                      # never backed up: red
    with qtbot.waitSignal(ctx.bus.backup_finished, timeout=60000) as done:
        action(t.menu, "trayBackup:Toko").trigger()
    assert done.args[1].result == Result.SUCCESS
    assert t.state == "idle"
    assert t.notifications == []                   # success is quiet unless asked for


def test_tray_notifies_failure_always_and_success_when_asked(qtbot, ctx, tray, shop_db):
    t, _ = tray
    s = ctx.settings()
    s.notify_success = True
    ctx.save_settings(s)
    wait_backup(qtbot, ctx, ctx.profile("Toko"))
    assert t.notifications[-1][0] == "Backup finished"
    shop_db.unlink()
    wait_backup(qtbot, ctx, ctx.profile("Toko"))
    title, text = t.notifications[-1]
    assert title == "Backup failed" and "does not exist" in text
    assert t.state == "error"


def test_tray_open_brings_the_window(qtbot, tray):
    t, w = tray
    w.hide()
    action(t.menu, "trayOpen").trigger()
    assert w.isVisible()


# -- real processes -------------------------------------------------------------------------------

def _env(tmp_path, **extra) -> dict:
    env = dict(os.environ)
    env.update(KASIRBACKUP_CONFIG_DIR=str(tmp_path / "config"), KASIRBACKUP_DATA_DIR=str(tmp_path / "data"),
               KASIRBACKUP_LOG_DIR=str(tmp_path / "logs"), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def _cmd(*args) -> list[str]:
    return [sys.executable, "-m", "kasirbackup", "gui", *args]


def test_second_launch_hands_over_to_the_first(tmp_path, shop_db):
    store = SettingsStore(tmp_path / "config")
    s = store.load()
    s.profiles.append(Profile("Toko", str(shop_db), [str(tmp_path / "repo")]))
    store.save(s)
    env = _env(tmp_path)
    first = subprocess.Popen(_cmd(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        log = tmp_path / "logs" / "kasirbackup.log"
        deadline = time.monotonic() + 90
        while not (log.exists() and "first instance: listening" in log.read_text()):
            assert first.poll() is None, first.stderr.read()
            assert time.monotonic() < deadline, "the first instance did not start"
            time.sleep(0.2)
        second = subprocess.run(_cmd(str(shop_db)), env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stderr
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "a second launch asked for the window" not in log.read_text():
            time.sleep(0.1)
        assert f"a second launch asked for the window with {shop_db}" in log.read_text()
        assert first.poll() is None           # the first one keeps running
    finally:
        first.terminate()
        first.wait(30)


def test_no_display_says_so_and_shows_the_command_line(tmp_path):
    env = _env(tmp_path)
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(var, None)
    r = subprocess.run(_cmd(), env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert "no display was found" in r.stderr
    assert "backup" in r.stdout and "restore" in r.stdout       # the CLI help
    assert "Traceback" not in r.stderr


def test_smoke_builds_the_main_window(tmp_path):
    r = subprocess.run(_cmd("--smoke"), env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "smoke: main window built" in r.stdout
