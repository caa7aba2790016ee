"""The tray icon: Open, Backup now (per database), each database's status and next run, Quit.
The icon follows the one status of the whole app (every database and backup place): idle
(green), warning (amber), error (red), or running; a failure always notifies, a success only
when asked."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ..app.history import Result, Trigger
from ..app.runner import RunResult
from ..app.status import Level, ProblemKind
from .banner import headline
from .context import AppContext, outcome_text
from .i18n import error_text, fmt_datetime
from .icons import icon
from .status_text import problem_text

#: the icon for the app's status level
STATES = {Level.OK: "idle", Level.WARNING: "warning", Level.ERROR: "error"}


class Tray(QObject):
    def __init__(self, ctx: AppContext, window, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else window)   # lives and dies with the window
        self.ctx = ctx
        self.window = window
        self._continuous_results: dict[str, Result] = {}
        self.tray = QSystemTrayIcon(icon("tray-idle"), self)
        self.tray.setObjectName("trayIcon")
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._activated)
        self.notifications: list[tuple[str, str]] = []     # (title, text) of every notification shown
        self.state = "idle"                                 # idle / warning / error / running: the icon
        self.level = Level.OK                               # the app's status level
        bus = ctx.bus
        bus.backup_started.connect(lambda _: self.update())
        bus.backup_finished.connect(self._finished)
        bus.backup_failed.connect(self._failed)
        bus.backup_cancelled.connect(lambda _: self.update())
        bus.settings_changed.connect(self.update)
        bus.history_changed.connect(self.update)
        bus.startup_changed.connect(self.update)
        bus.language_changed.connect(lambda _: (self.rebuild_menu(), self.update()))
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.update)
        self._timer.start()
        self.rebuild_menu()
        self.update()

    def show(self) -> None:
        self.tray.show()

    def rebuild_menu(self) -> None:
        m = self.menu
        m.clear()
        self.act_open = QAction(self.tr("Open KasirBackup"), m)
        self.act_open.setObjectName("trayOpen")
        self.act_open.triggered.connect(self.window.bring_forward)
        m.addAction(self.act_open)
        m.addSeparator()
        self.backup_actions: dict[str, QAction] = {}
        profiles = self.ctx.profiles()
        for p in profiles:
            text = self.tr("Backup now: {name}").format(name=p.name) if len(profiles) > 1 else self.tr("Backup now")
            a = QAction(text, m)
            a.setObjectName(f"trayBackup:{p.name}")
            a.setEnabled(not self.ctx.is_running(p.name))
            a.triggered.connect(lambda checked=False, name=p.name: self.backup(name))
            m.addAction(a)
            self.backup_actions[p.name] = a
        m.addSeparator()
        app = self.ctx.app_status()
        self.status_lines: list[str] = []
        for p in profiles:
            st = app.of(p.name)
            problems = app.problems_of(p.name)
            lines = [problem_text(x) for x in problems] or [
                self.tr("{name}: {text}").format(name=p.name, text=headline(st, self.ctx.now()))]
            lines.append(self.tr("{name}: next backup {when}").format(name=p.name, when=fmt_datetime(st.next_run))
                         if st.next_run else self.tr("{name}: no backups are scheduled").format(name=p.name))
            self.status_lines.extend(lines)
        self.status_lines.extend(problem_text(x) for x in app.problems if x.kind == ProblemKind.NO_RESTART)
        for text in self.status_lines:
            line = QAction(text, m)
            line.setEnabled(False)
            m.addAction(line)
        m.addSeparator()
        self.act_quit = QAction(self.tr("Quit"), m)
        self.act_quit.setObjectName("trayQuit")
        self.act_quit.triggered.connect(self.window.quit_app)
        m.addAction(self.act_quit)

    def backup(self, name: str) -> None:
        p = self.ctx.profile(name)
        if p is not None:
            self.ctx.backup_now(p)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.window.bring_forward()

    def update(self) -> None:
        profiles = self.ctx.profiles()
        running = any(self.ctx.is_running(p.name) for p in profiles)
        app = self.ctx.app_status()
        self.level = app.level
        self.state = "running" if running else STATES[app.level]
        self.tray.setIcon(icon(f"tray-{self.state}"))
        tip = [self.tr("KasirBackup")]
        if app.problems:
            tip.extend(problem_text(x) for x in app.problems)
        else:
            tip.extend(self.tr("{name}: {text}").format(name=st.profile, text=headline(st, self.ctx.now()))
                       for st in app.profiles)
        self.tray.setToolTip("\n".join(tip))

    def notify(self, title: str, text: str, error: bool = False) -> None:
        self.notifications.append((title, text))
        if QSystemTrayIcon.isSystemTrayAvailable() and self.tray.isVisible():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical if error
                                  else QSystemTrayIcon.MessageIcon.Information, 10_000)

    def _finished(self, name: str, res: RunResult) -> None:
        self.update()
        if res.trigger == Trigger.CONTINUOUS:
            # a snapshot a minute all day: no "finished" each time, and a problem is said
            # when it starts, not again at every retry
            before = self._continuous_results.get(name)
            self._continuous_results[name] = res.result
            if res.result == Result.SUCCESS or res.result == before:
                return
        if res.result == Result.SUCCESS:
            if self.ctx.settings().notify_success:
                self.notify(self.tr("Backup finished"),
                            self.tr("{name}: backup finished and verified.").format(name=name))
        elif res.result == Result.PARTIAL:
            self.notify(self.tr("Off-site copy pending"),
                        self.tr("{name}: the backup is verified on this computer, but the off-site copy could "
                                "not be made. It will be tried again.").format(name=name))
        else:
            self.notify(self.tr("Backup failed"), self.tr("{name}: {reason}").format(
                name=name, reason=outcome_text(res)), error=True)

    def _failed(self, name: str, exc: BaseException) -> None:
        self.update()
        self.notify(self.tr("Backup failed"), self.tr("{name}: {reason}").format(name=name, reason=error_text(exc)),
                    error=True)
