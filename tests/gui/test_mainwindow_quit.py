"""Closing the main window and quitting: the first close to the tray says once that
KasirBackup keeps running; Quit asks before it stops tonight's backup or a backup running now,
and asks nothing when nothing is scheduled or a system task runs the schedule without the app."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from kasirbackup.app import ossched
from kasirbackup.app.runner import repo_queue
from kasirbackup.app.settings import Schedule, SettingsStore
from kasirbackup.gui.mainwindow import MainWindow

WIB = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 12, 4, 10, 0, tzinfo=WIB)      # the profile's 23:00 backup is tonight


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """System tasks are looked for in a private home (a systemd user timer there counts)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def window(qtbot, ctx, profile, monkeypatch):
    monkeypatch.setattr(ctx, "now", lambda: MORNING)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.quits = []
    monkeypatch.setattr(w, "quit_now", lambda: w.quits.append(True))   # the real one ends the test session
    return w


def question(qtbot, w) -> QMessageBox:
    qtbot.waitUntil(lambda: w.quit_question is not None and w.quit_question.isVisible(), timeout=20000)
    return w.quit_question


def visible_boxes() -> list[QMessageBox]:
    return [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()]


def test_the_first_close_to_the_tray_says_it_once(qtbot, ctx, window, tmp_path):
    notes = []
    window.keep_in_tray = True
    window.tray_notify = lambda title, text: notes.append((title, text))
    window.close()
    assert not window.isVisible()
    assert len(notes) == 1
    title, text = notes[0]
    assert title == "KasirBackup is still running"
    assert text.startswith("KasirBackup is still running in the tray and will make tonight's backup at ")
    assert "11:00" in text and text.endswith("Quit from the tray menu to stop it.")
    assert SettingsStore(tmp_path / "config").load().tray_notice_shown is True      # remembered

    window.bring_forward()
    window.close()
    assert len(notes) == 1                          # once
    ctx.reload_settings()                           # as after a restart of the app
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.keep_in_tray, again.tray_notify = True, lambda *a: notes.append(a)
    again.show()
    again.close()
    assert len(notes) == 1 and window.quits == []   # closing never quits


def test_without_tray_notifications_a_message_says_it(qtbot, ctx, window):
    window.keep_in_tray = True
    window.tray_notify = None                       # a tray that cannot show notifications
    window.close()
    boxes = visible_boxes()
    assert len(boxes) == 1 and "Quit from the tray menu to stop it" in boxes[0].text()
    boxes[0].close()


def test_quit_asks_before_it_stops_tonights_backup(qtbot, ctx, window):
    window.act_quit.trigger()
    box = question(qtbot, window)
    assert re.fullmatch(r"Quit KasirBackup\? Tonight's backup at 11:00\s?PM of Toko will not run until you start "
                        r"KasirBackup again\.", box.text()), box.text()
    assert "task scheduler" in box.informativeText()
    window.act_quit.trigger()                       # asked already: the same question, not a second one
    assert visible_boxes() == [box]
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.quits == []
    qtbot.wait(50)                                  # the answered question is deleted meanwhile

    window.act_quit.trigger()
    box = question(qtbot, window)
    box.findChild(QPushButton, "quitConfirm").click()
    assert window.quits == [True]


def test_the_tray_menu_quit_asks_too(qtbot, ctx, window):
    from kasirbackup.gui.tray import Tray

    tray = Tray(ctx, window)
    try:
        tray.rebuild_menu()
        tray.act_quit.trigger()
        box = question(qtbot, window)
        assert "of Toko will not run" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert window.quits == []
    finally:
        tray.tray.hide()
        tray.deleteLater()


def test_no_question_when_nothing_is_scheduled(qtbot, ctx, window, profile):
    s = ctx.settings()
    s.profiles[0].schedule = Schedule("off")
    ctx.save_settings(s)
    window.act_quit.trigger()
    assert window.quits == [True] and visible_boxes() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a systemd user timer stands for the system task")
def test_no_question_when_a_system_task_runs_the_schedule(qtbot, ctx, window, profile, private_home):
    timer = private_home / ".config" / "systemd" / "user" / f"{ossched.unit_name(profile)}.timer"
    timer.parent.mkdir(parents=True)
    timer.write_text("[Timer]\n")                  # what `kasirbackup schedule install` leaves behind
    window.act_quit.trigger()
    qtbot.waitUntil(lambda: window.quits == [True], timeout=20000)
    assert visible_boxes() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a systemd user timer stands for the system task")
def test_continuous_protection_asks_even_with_a_system_task(qtbot, ctx, window, profile, private_home):
    """The system task runs the nightly backup only: quitting stops the protection of every sale."""
    s = ctx.settings()
    s.profiles[0].schedule = Schedule.parse("continuous")
    ctx.save_settings(s)
    timer = private_home / ".config" / "systemd" / "user" / f"{ossched.unit_name(profile)}.timer"
    timer.parent.mkdir(parents=True)
    timer.write_text("[Timer]\n")
    window.act_quit.trigger()
    box = question(qtbot, window)
    assert box.text() == ("Quit KasirBackup? The sales of Toko are then no longer protected within a minute, "
                          "until you start KasirBackup again.")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.quits == []


@pytest.mark.parametrize("answer", ["quitWhenDone", "quitNow"])
def test_quit_while_a_backup_runs(qtbot, ctx, window, profile, answer):
    gate = repo_queue(profile.repos[0])
    gate.acquire()                                 # the backup waits at its folder's queue
    try:
        with qtbot.waitSignal(ctx.bus.backup_started, timeout=20000):
            window.act_backup.trigger()
        window.act_quit.trigger()
        box = question(qtbot, window)
        assert box.text() == "A backup of Toko is running now. Quit KasirBackup anyway?"
        box.findChild(QPushButton, answer).click()
        if answer == "quitNow":
            assert window.quits == [True]          # (the app's shutdown then cancels the backup)
            ctx.cancel_backup(profile.name)
        else:
            assert window.quits == [] and "quits when the backup is done" in window.statusBar().currentMessage()
    finally:
        gate.release()
    with qtbot.waitSignal(ctx.bus.history_changed, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not ctx.is_running(profile.name), timeout=60000)
    qtbot.waitUntil(lambda: window.quits == [True], timeout=20000)
    assert window.quits == [True]                  # once, also after the backup ended
