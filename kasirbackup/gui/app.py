"""Starting the desktop application: display check, single instance, language, main window,
tray, scheduler (APScheduler's QtScheduler driven by ``ScheduleService``) and first start."""

from __future__ import annotations

import logging
import os
import sys
from typing import Callable

log = logging.getLogger("kasirbackup.gui")

EXIT_NO_DISPLAY = 0    # not a failure: the CLI help is what this machine can use


def display_available() -> bool:
    """False on a Linux/BSD machine with no X or Wayland display (and no QT_QPA_PLATFORM
    chosen, e.g. ``offscreen`` in tests)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _fix_streams() -> None:
    # a windowed frozen build has no console: print() and logging must not crash there
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def add_arguments(parser) -> None:
    """The options of the desktop app, for ``kasirbackup-gui`` / ``python -m kasirbackup.gui``."""
    parser.add_argument("--minimized", action="store_true", help="start in the system tray (used at login)")
    parser.add_argument("--smoke", action="store_true",
                        help="build the main window, show it and quit with 0 (checks an installation)")
    parser.add_argument("file", nargs="?", help="a database file to open (or to protect)")


def run_gui(minimized: bool = False, smoke: bool = False, file: str | None = None,
            argv: list[str] | None = None, on_no_display: Callable[[], None] | None = None) -> int:
    """Run the desktop app until it quits. On a machine with no display it says so and calls
    ``on_no_display`` (the command line passes its help printer) instead."""
    _fix_streams()
    if not display_available():
        print("KasirBackup: no display was found (this looks like a server or an SSH session), so the "
              "window cannot open. Everything works from the command line too"
              + (":\n" if on_no_display else " (see 'kasirbackup --help')."), file=sys.stderr)
        if on_no_display is not None:
            on_no_display()
        return EXIT_NO_DISPLAY

    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from ..app.logs import setup_logging
    from ..core.scratch import clean_scratch
    from . import i18n, screen_fit
    from .context import AppContext
    from .dialogs import install_excepthook
    from .icons import app_icon
    from .single import SingleInstance

    setup_logging()
    clean_scratch()      # copies of the shop's data left by a run that was killed
    QCoreApplication.setOrganizationName("KasirBackup")
    QCoreApplication.setApplicationName("KasirBackup")
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("kasirbackup")
    screen_fit.install(app)          # no window opens larger than the screen (1366×768 at 125 %)

    single = SingleInstance()
    if not smoke and not single.claim():
        if SingleInstance.send(file):
            print("KasirBackup is already running; its window was brought forward.", file=sys.stderr)
            return 0
        print("KasirBackup seems to be running but does not answer. Quit it (or end its process) and "
              "start it again.", file=sys.stderr)
        return 1

    install_excepthook()
    ctx = AppContext()
    settings_error = None
    try:
        ctx.settings()
    except Exception as exc:
        # damaged or too-new settings: the store kept a copy of the file; start empty and say so
        log.error("settings unreadable: %s", exc)
        from ..app.settings import Settings
        ctx._settings = Settings()
        settings_error = exc
    i18n.install(ctx.settings().language)

    from .mainwindow import MainWindow
    from .tray import Tray

    window = MainWindow(ctx)
    tray = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = Tray(ctx, window)
        tray.show()
        window.keep_in_tray = True
        if QSystemTrayIcon.supportsMessages():      # else the first close says it in a message box
            window.tray_notify = tray.notify
        app.setQuitOnLastWindowClosed(False)
    else:
        window.statusBar().showMessage(QCoreApplication.translate(
            "App", "This desktop has no system tray, so KasirBackup stays in this window. Keep it open (you "
                   "may minimise it) for scheduled backups to run."))
    ctx.bus.language_changed.connect(lambda lang: i18n.install(lang))
    def handoff(msg: dict) -> None:
        log.info("a second launch asked for the window%s", " with " + msg["file"] if msg.get("file") else "")
        window.bring_forward()
        if msg.get("file"):
            window.open_database_file(msg["file"])
    single.message.connect(handoff)

    if smoke:
        window.show()
        app.processEvents()
        ok = window.isVisible() and window.centralWidget() is not None
        print("smoke: main window built" if ok else "smoke: main window did not show")
        ctx.shutdown(2000)
        return 0 if ok else 1

    scheduler = _start_scheduler(ctx)
    ctx.watch_restart()      # the banner warns when nothing would start the schedules after a restart
    if settings_error is not None:
        from .dialogs import show_error
        show_error(window, settings_error)
    if not minimized or tray is None:
        window.show()
    if not ctx.profiles() and settings_error is None:
        QTimer.singleShot(0, lambda: window.add_database(file))
    elif file:
        QTimer.singleShot(0, lambda: window.open_database_file(file))
    code = app.exec()
    log.info("quitting")
    if scheduler is not None:
        try:
            scheduler.shutdown(wait=False)
        except Exception:
            pass
    ctx.shutdown()
    single.release()
    return code


def _start_scheduler(ctx):
    """APScheduler's QtScheduler (jobs run on its worker threads, never the GUI thread)."""
    try:
        from apscheduler.schedulers.qt import QtScheduler

        from ..app.scheduling import ScheduleService

        scheduler = QtScheduler(timezone=ctx.tz, job_defaults={"misfire_grace_time": None, "coalesce": True})
        service = ScheduleService(scheduler, ctx.store, ctx.history, run=ctx.run_blocking, tz=ctx.tz)
        ctx.schedule_service = service
        service.start()
        scheduler.start()
        return scheduler
    except Exception:
        log.exception("the scheduler could not start; backups will only run when started by hand")
        return None
