"""One status for the whole app (issue 16): the banner and the tray show the worst state of
every database and every backup place, naming the database and the place — also when the
selected database is fine — and warn, with a button that fixes it, when nothing would start
KasirBackup after the computer restarts. Real backups, real places that fail; what is checked
is what is shown: texts, the banner's painted colour, the tray icon's colour."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from PySide6.QtGui import QColor

from kasirbackup.app.autostart import gui_command, parse_desktop_exec
from kasirbackup.app.history import Result
from kasirbackup.app.settings import Profile, SettingsStore
from kasirbackup.app.status import Level
from kasirbackup.gui.banner import COLORS
from kasirbackup.gui.i18n import fmt_datetime
from kasirbackup.gui.mainwindow import MainWindow
from kasirbackup.gui.tray import Tray

from .conftest import wait_backup

NO_RESTART = ("Scheduled backups stop when this computer restarts: nothing starts KasirBackup. "
              "Turn on 'Start when I log in' in Settings.")


def close(a: QColor, b: str, tolerance: int = 6) -> bool:
    c = QColor(b)
    return max(abs(a.red() - c.red()), abs(a.green() - c.green()), abs(a.blue() - c.blue())) <= tolerance


def banner_fill(window) -> QColor:
    img = window.banner.grab().toImage()
    counts = Counter(img.pixel(x, y) for x in range(0, img.width(), 3) for y in range(0, img.height(), 3))
    return QColor.fromRgb(counts.most_common(1)[0][0])


def tray_colour(t: Tray) -> QColor:
    """The colour of the tray icon's shield (above the white drum in the middle)."""
    return t.tray.icon().pixmap(64, 64).toImage().pixelColor(32, 10)


@pytest.fixture
def two_databases(qtbot, ctx, profile, shop_db, tmp_path):
    """Toko (kasir.db) with an extra copy that cannot be made (a file is where its folder should
    be) and Koperasi (a copy of it) that is fine, both backed up for real."""
    blocked = tmp_path / "USB-BACKUP"
    blocked.write_text("a file, not a folder")
    other = tmp_path / "koperasi" / "koperasi.db"
    other.parent.mkdir()
    shutil.copy(shop_db, other)
    s = ctx.settings()
    s.profiles[0].repos.append(str(blocked))
    s.profiles.append(Profile("Koperasi", str(other), [str(tmp_path / "backups" / "koperasi")]))
    ctx.save_settings(s)
    assert wait_backup(qtbot, ctx, ctx.profile("Toko")).result == Result.PARTIAL
    assert wait_backup(qtbot, ctx, ctx.profile("Koperasi")).result == Result.SUCCESS
    since = ctx.history.place_state("Toko", str(blocked)).failing_since
    return blocked, since


@pytest.fixture
def window(qtbot, ctx):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    return w


def test_the_other_databases_failing_copy_shows_while_the_selected_one_is_fine(qtbot, ctx, two_databases, window):
    blocked, since = two_databases
    window.select_profile("Koperasi")
    assert window.current_profile().name == "Koperasi"
    banner = window.banner
    expected = f"Toko: copy to {blocked} failing since {fmt_datetime(since)} — "
    assert banner.title.text().startswith(expected), banner.title.text()
    assert "more problem" not in banner.title.text()
    assert banner.level == Level.WARNING
    assert close(banner_fill(window), COLORS[Level.WARNING][0]), banner_fill(window).name()
    # the selected database's own state is there too, named
    assert "Koperasi: You are protected." in banner.detail.text()
    # a way to the database the problem is about
    show = banner.show_button
    assert show.isVisible() and show.text() == "Show Toko"
    assert not banner.login_button.isVisible()
    show.click()
    assert window.current_profile().name == "Toko"
    assert banner.title.text().startswith(expected)
    assert not show.isVisible()                                   # it is the selected one now


def test_the_worst_problem_comes_first_with_the_count_of_the_others(qtbot, ctx, two_databases, window, tmp_path):
    blocked, since = two_databases
    s = ctx.settings()
    s.profiles.append(Profile("Gudang", str(tmp_path / "koperasi" / "koperasi.db"), [str(tmp_path / "g")]))
    ctx.save_settings(s)                                          # never backed up: red
    window.select_profile("Koperasi")
    banner = window.banner
    assert banner.title.text() == ("Gudang: not protected yet — no backup has been made. Press Backup now. "
                                   "(1 more problem)")
    assert banner.level == Level.ERROR
    assert close(banner_fill(window), COLORS[Level.ERROR][0]), banner_fill(window).name()
    assert f"Toko: copy to {blocked} failing since {fmt_datetime(since)}" in banner.detail.text()
    assert banner.show_button.text() == "Show Gudang"


def test_tray_follows_the_whole_app_and_names_each_database(qtbot, ctx, two_databases, window):
    blocked, since = two_databases
    t = Tray(ctx, window)
    try:
        assert t.state == "warning" and t.level == Level.WARNING    # amber, not green, for a failing copy
        assert close(tray_colour(t), COLORS[Level.WARNING][1], 12), tray_colour(t).name()
        problem = f"Toko: copy to {blocked} failing since {fmt_datetime(since)} — "
        assert problem in t.tray.toolTip()
        t.rebuild_menu()
        texts = [a.text() for a in t.menu.actions() if a.text()]
        assert any(x.startswith(problem) for x in texts), texts
        assert any(x.startswith("Koperasi: You are protected.") for x in texts), texts
        assert any(x.startswith("Toko: next backup ") for x in texts)
        assert any(x.startswith("Koperasi: next backup ") for x in texts)

        # the copy works again: green everywhere
        blocked.unlink()
        assert wait_backup(qtbot, ctx, ctx.profile("Toko")).result == Result.SUCCESS
        assert t.state == "idle"
        assert close(tray_colour(t), COLORS[Level.OK][1], 12), tray_colour(t).name()
        assert window.banner.level == Level.OK
        assert window.banner.title.text().startswith("You are protected.")
    finally:
        t.tray.hide()
        t._timer.stop()


# -- nothing starts KasirBackup after a restart -----------------------------------------------------

@pytest.fixture
def backed_up(qtbot, ctx, profile):
    assert wait_backup(qtbot, ctx, profile).result == Result.SUCCESS
    return profile


def watch(qtbot, ctx, has_task) -> None:
    with qtbot.waitSignal(ctx.bus.startup_changed, timeout=20000):
        ctx.watch_restart(has_os_task=has_task)


def test_nothing_starts_after_a_restart_is_amber_and_one_click_fixes_it(qtbot, ctx, backed_up, window, tmp_path):
    t = Tray(ctx, window)
    try:
        assert window.banner.level == Level.OK                    # not known yet: no warning
        watch(qtbot, ctx, lambda p: False)
        banner = window.banner
        assert banner.title.text() == NO_RESTART
        assert banner.level == Level.WARNING and t.state == "warning"
        assert close(banner_fill(window), COLORS[Level.WARNING][0]), banner_fill(window).name()
        fix = banner.login_button
        assert fix.isVisible() and fix.text() == "Start KasirBackup when I log in"
        assert not banner.show_button.isVisible()                 # it is about no one database

        with qtbot.waitSignal(ctx.bus.startup_changed, timeout=20000):
            fix.click()
        entry = tmp_path / "home" / ".config" / "autostart" / "kasirbackup.desktop"
        lines = dict(ln.split("=", 1) for ln in entry.read_text(encoding="utf-8").splitlines() if "=" in ln)
        assert parse_desktop_exec(lines["Exec"]) == gui_command()
        assert SettingsStore(ctx.store.folder).load().start_with_login is True
        qtbot.waitUntil(lambda: ctx.restart_cover is not None and ctx.restart_cover.login_start, timeout=20000)
        assert banner.level == Level.OK and banner.title.text().startswith("You are protected.")
        assert not fix.isVisible()
        assert t.state == "idle"
    finally:
        t.tray.hide()
        t._timer.stop()


def test_a_system_task_is_enough_after_a_restart(qtbot, ctx, backed_up, window):
    watch(qtbot, ctx, lambda p: p.name == "Toko")
    assert window.banner.level == Level.OK
    assert not window.banner.login_button.isVisible()


def test_the_warning_comes_back_when_start_with_login_is_turned_off(qtbot, ctx, backed_up, window):
    ctx.login.set(True)
    watch(qtbot, ctx, lambda p: False)
    assert window.banner.level == Level.OK
    with qtbot.waitSignal(ctx.bus.startup_changed, timeout=20000):
        ctx.set_start_with_login(False)
    assert window.banner.title.text() == NO_RESTART
