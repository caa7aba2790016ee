"""The schedule dialog: live next-run preview, saving, start with login, the system task."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from kasirbackup.app import ossched
from kasirbackup.app.settings import SettingsStore
from kasirbackup.gui import schedule_dialog
from kasirbackup.gui.schedule_dialog import ScheduleDialog

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def fixed_now(ctx, monkeypatch):
    """Monday 2 March 2026, 10:00 in Jakarta."""
    now = datetime(2026, 3, 2, 10, 0, tzinfo=JAKARTA)
    monkeypatch.setattr(ctx, "now", lambda: now)
    return now


@pytest.fixture
def no_system(monkeypatch, tmp_path):
    """Keep the real user's crontab, timers and autostart folder out of it: a private home, and
    the system-task tools recorded instead of run."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    calls = []
    monkeypatch.setattr(schedule_dialog, "os_task_installed", lambda profile, home=None: False)
    monkeypatch.setattr(ossched, "install", lambda p, home=None: calls.append(("install", p.schedule.describe()))
                        or ossched.Installed("test", "nowhere"))
    monkeypatch.setattr(ossched, "uninstall", lambda p, home=None: calls.append(("uninstall", p.name)) or [])
    return calls


def open_dialog(qtbot, ctx, profile) -> ScheduleDialog:
    dlg = ScheduleDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.os_task.isEnabled(), timeout=10000)    # the system-task check ended
    return dlg


def set_weekly_mon_thu_2130(dlg: ScheduleDialog) -> None:
    dlg.kind.setCurrentIndex(dlg.kind.findData("weekly"))
    for i, box in enumerate(dlg.day_boxes):
        box.setChecked(i in (0, 3))
    dlg.time.setTime(QTime(21, 30))


def test_next_runs_follow_the_edits(qtbot, ctx, profile, fixed_now, no_system):
    dlg = open_dialog(qtbot, ctx, profile)
    # the profile's default: daily at 23:00
    assert dlg.kind.currentData() == "daily"
    assert dlg.next_runs()[0] == datetime(2026, 3, 2, 23, 0, tzinfo=JAKARTA)

    set_weekly_mon_thu_2130(dlg)
    expected = [datetime(2026, 3, d, 21, 30, tzinfo=JAKARTA) for d in (2, 5, 9, 12, 16)]
    assert dlg.next_runs() == expected
    texts = [label.text() for label in dlg.next_labels]
    assert texts[0].startswith("Monday, Mar 2, 2026 9:30")
    assert "Thursday, Mar 5, 2026 9:30" in texts[1]
    assert "Monday, Mar 9, 2026 9:30" in texts[2]
    assert "Thursday, Mar 12, 2026 9:30" in texts[3]
    assert "Monday, Mar 16, 2026 9:30" in texts[4]

    dlg.day_boxes[0].setChecked(False)          # Thursdays only
    assert dlg.next_runs()[:2] == [datetime(2026, 3, 5, 21, 30, tzinfo=JAKARTA),
                                   datetime(2026, 3, 12, 21, 30, tzinfo=JAKARTA)]
    assert "Thursday, Mar 5, 2026" in dlg.next_labels[0].text()

    dlg.day_boxes[3].setChecked(False)          # no day at all: nothing to save
    assert dlg.next_runs() == []
    assert dlg.next_labels[0].text() == "Choose at least one day."
    assert not dlg.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()

    dlg.kind.setCurrentIndex(dlg.kind.findData("monthly"))
    dlg.day_of_month.setValue(31)               # a short month runs on its last day
    assert dlg.next_runs()[:3] == [datetime(2026, 3, 31, 21, 30, tzinfo=JAKARTA),
                                   datetime(2026, 4, 30, 21, 30, tzinfo=JAKARTA),
                                   datetime(2026, 5, 31, 21, 30, tzinfo=JAKARTA)]

    dlg.kind.setCurrentIndex(dlg.kind.findData("off"))
    assert dlg.next_runs() == []
    assert not dlg.next_labels[1].isVisible()
    assert not dlg.os_task.isEnabled()


def test_save_writes_the_schedule_and_replans(qtbot, ctx, profile, fixed_now, no_system):
    dlg = open_dialog(qtbot, ctx, profile)
    set_weekly_mon_thu_2130(dlg)
    with qtbot.waitSignal(ctx.bus.settings_changed, timeout=5000), \
            qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    saved = SettingsStore(ctx.store.folder).load().profile("Toko").schedule
    assert (saved.kind, saved.time, saved.weekdays) == ("weekly", "21:30", [0, 3])
    assert saved.describe() == "weekly:mon,thu@21:30"
    assert no_system == []                       # no system task was asked for

    # a dialog opened again shows what was saved
    again = open_dialog(qtbot, ctx, ctx.profile("Toko"))
    assert again.kind.currentData() == "weekly"
    assert [b.isChecked() for b in again.day_boxes] == [True, False, False, True, False, False, False]
    assert again.time.time() == QTime(21, 30)


def test_start_with_login_creates_and_removes_the_autostart_entry(qtbot, ctx, profile, tmp_path, no_system):
    entry = tmp_path / "home" / ".config" / "autostart" / "kasirbackup.desktop"
    dlg = open_dialog(qtbot, ctx, profile)
    dlg.start_login.setChecked(True)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.save()
    assert entry.exists() and "Exec=" in entry.read_text()
    assert SettingsStore(ctx.store.folder).load().start_with_login is True

    dlg = open_dialog(qtbot, ctx, ctx.profile("Toko"))
    assert dlg.start_login.isChecked()
    dlg.start_login.setChecked(False)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.save()
    assert not entry.exists()
    assert SettingsStore(ctx.store.folder).load().start_with_login is False


def test_system_task_is_installed_with_the_new_schedule(qtbot, ctx, profile, fixed_now, no_system):
    dlg = open_dialog(qtbot, ctx, profile)
    set_weekly_mon_thu_2130(dlg)
    dlg.os_task.setChecked(True)
    with qtbot.waitSignal(dlg.accepted, timeout=10000):
        dlg.save()
    assert no_system == [("install", "weekly:mon,thu@21:30")]


def test_system_task_removed_when_unticked(qtbot, ctx, profile, no_system, monkeypatch):
    monkeypatch.setattr(schedule_dialog, "os_task_installed", lambda profile, home=None: True)
    dlg = open_dialog(qtbot, ctx, profile)
    assert dlg.os_task.isChecked()
    dlg.os_task.setChecked(False)
    with qtbot.waitSignal(dlg.accepted, timeout=10000):
        dlg.save()
    assert no_system == [("uninstall", "Toko")]


def test_system_task_failure_is_shown_and_the_schedule_still_saved(qtbot, ctx, profile, no_system, monkeypatch):
    def fail(p, home=None):
        raise ossched.ScheduleInstallFailed(reason="neither systemd (user session) nor crontab is available")
    monkeypatch.setattr(ossched, "install", fail)
    dlg = open_dialog(qtbot, ctx, profile)
    dlg.kind.setCurrentIndex(dlg.kind.findData("daily"))
    dlg.time.setTime(QTime(22, 15))
    dlg.os_task.setChecked(True)
    dlg.save()
    qtbot.waitUntil(lambda: dlg.findChild(QMessageBox, "errorBox") is not None, timeout=10000)
    box = dlg.findChild(QMessageBox, "errorBox")
    assert "Could not set up the system schedule" in box.text()
    assert "Traceback" not in box.text()
    assert dlg.isVisible()                       # still open, nothing crashed
    assert not dlg.os_task.isChecked()
    assert SettingsStore(ctx.store.folder).load().profile("Toko").schedule.time == "22:15"
    box.close()


def test_continuous_protection_is_set_here_and_thins_the_retention(qtbot, ctx, profile, fixed_now, no_system):
    dlg = open_dialog(qtbot, ctx, profile)
    assert not dlg.continuous.isChecked() and not dlg.within.isEnabled()
    assert dlg.when_box.title() == "When"
    dlg.continuous.setChecked(True)
    dlg.within.setValue(5)
    assert dlg.when_box.title() == "When (the full check and the off-site copy)"
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    saved = SettingsStore(ctx.store.folder).load().profile("Toko")
    assert saved.schedule.continuous == 300 and saved.schedule.kind == "daily"
    assert saved.schedule.describe().startswith("continuous:300")
    assert (saved.retention.keep_within, saved.retention.keep_hourly) == ("2h", 48)
    # the scheduler now watches it
    again = open_dialog(qtbot, ctx, ctx.profile("Toko"))
    assert again.continuous.isChecked() and again.within.value() == 5
    again.continuous.setChecked(False)
    with qtbot.waitSignal(again.accepted, timeout=5000):
        again.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert SettingsStore(ctx.store.folder).load().profile("Toko").schedule.continuous == 0


def test_an_interval_in_seconds_set_elsewhere_is_kept(qtbot, ctx, profile, fixed_now, no_system):
    from kasirbackup.app.settings import Schedule

    settings = ctx.settings()
    settings.profiles[0].schedule = Schedule.parse("continuous:90+daily@22:00")
    ctx.store.save(settings)
    dlg = open_dialog(qtbot, ctx, ctx.profile("Toko"))
    assert dlg.continuous.isChecked() and dlg.within.value() == 2
    assert dlg.schedule().continuous == 90              # untouched: still 90 s
    dlg.within.setValue(3)
    assert dlg.schedule().continuous == 180
