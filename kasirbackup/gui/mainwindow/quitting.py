"""Closing and quitting the main window.

Closing the window hides it to the tray, where the scheduled backups go on; the first time it
happens a tray notification says so (once: remembered in the settings). Closing never asks
anything — that is also how the system ends the session.

Quit (the window's Quit action, Ctrl+Q, and the tray menu's Quit) asks first when it would stop
a backup:

* a backup running now: quit when it is done (the default), quit now (the backup is stopped,
  nothing is changed), or cancel;
* a scheduled backup that no system task would run without the app ("Tonight's backup at
  21:00 of Toko will not run until you start KasirBackup again"): quit or cancel. Whether a
  system task exists is asked on a worker (it may run ``crontab`` or ``schtasks``).

Nothing is asked when nothing is scheduled or every schedule has its system task.
Texts in context "MainWindow" (a mixin: lupdate files ``self.tr`` under the class it is in).
"""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from ...app.scheduling import next_fire
from ...app.settings import Profile
from ..dialogs import show_info
from ..i18n import fmt_datetime

EVENING_HOUR = 17        # a backup today from this hour on is "tonight's"


translate = QCoreApplication.translate     # translate("MainWindow", "literal"): lupdate reads it


class Quitting:
    """MainWindow's close and quit (a mixin: the methods stay on the window object). Uses
    ``ctx``, ``keep_in_tray`` and ``quitting`` of the window."""

    def _init_quitting(self) -> None:
        self.tray_notify = None          # set by the app: shows a tray notification (title, text)
        self.quit_question: QMessageBox | None = None
        self._quit_check = None          # the job asking whether system tasks exist
        self._quit_when_done = False     # "Quit when it is done" was chosen
        bus = self.ctx.bus
        for sig in (bus.backup_finished, bus.backup_failed, bus.backup_cancelled):
            sig.connect(self._quit_if_idle)

    # -- closing to the tray ----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.keep_in_tray and not self.quitting:
            event.ignore()
            self.hide()
            self.tell_still_running()
            return
        super().closeEvent(event)

    def tell_still_running(self) -> None:
        """The first time the window goes to the tray: say that the app goes on, and how to stop it."""
        settings = self.ctx.settings()
        if settings.tray_notice_shown:
            return
        nxt = self._next_backup(self.ctx.profiles())
        if nxt is None:
            text = translate("MainWindow", "KasirBackup is still running in the tray. Quit from the tray menu to "
                                           "stop it.")
        elif nxt[0].date() == self.ctx.now().date() and nxt[0].hour >= EVENING_HOUR:
            text = translate("MainWindow", "KasirBackup is still running in the tray and will make tonight's backup "
                                           "at {time}. Quit from the tray menu to stop it.").format(time=_time(nxt[0]))
        elif nxt[0].date() == self.ctx.now().date():
            text = translate("MainWindow", "KasirBackup is still running in the tray and will make today's backup "
                                           "at {time}. Quit from the tray menu to stop it.").format(time=_time(nxt[0]))
        else:
            text = translate("MainWindow", "KasirBackup is still running in the tray and will make the next backup "
                                           "on {when}. Quit from the tray menu to stop it.").format(
                when=fmt_datetime(nxt[0]))
        title = translate("MainWindow", "KasirBackup is still running")
        if self.tray_notify is not None:
            self.tray_notify(title, text)
        else:                       # a tray that cannot show notifications: a message, once
            show_info(self, text, title)
        settings.tray_notice_shown = True
        self.ctx.save_settings(settings)

    # -- quitting ---------------------------------------------------------------------------------
    def quit_app(self) -> None:
        """Quit, after asking when it would stop a backup (see the module's doc)."""
        if self._quit_pending():
            return
        profiles = self.ctx.profiles()
        running = [p for p in profiles if self.ctx.is_running(p.name)]
        if running:
            self._ask_running(running[0])
            return
        scheduled = [p for p in profiles if p.schedule.active]
        if not scheduled:
            self.quit_now()
            return

        def work(progress, cancel) -> list[Profile]:
            from ...app.ossched import os_task_installed

            # (a system task runs the nightly backup; continuous protection needs KasirBackup)
            return [p for p in scheduled if p.schedule.continuous or not os_task_installed(p)]

        def checked(uncovered: list[Profile]) -> None:
            self._quit_check = None
            if uncovered:
                self._ask_scheduled(uncovered)
            else:
                self.quit_now()

        def failed(exc: BaseException) -> None:       # not known: ask, as if none had a system task
            self._quit_check = None
            self._ask_scheduled(scheduled)

        self._quit_check = self.ctx.start(work, "quit: system tasks", on_finished=checked, on_failed=failed)

    def quit_now(self) -> None:
        self.quitting = True
        self.close()
        QApplication.quit()

    def _quit_pending(self) -> bool:
        """A question is open (it comes forward) or being prepared: Quit again does nothing more."""
        box = self.quit_question         # deleted once answered (WA_DeleteOnClose)
        if box is not None and shiboken6.isValid(box) and box.isVisible():
            box.raise_()
            box.activateWindow()
            return True
        return self._quit_check is not None

    def _next_backup(self, profiles: list[Profile]) -> tuple[datetime, Profile] | None:
        now, tz = self.ctx.now(), self.ctx.tz
        times = [(t, p) for p in profiles if (t := next_fire(p.schedule, now, tz)) is not None]
        return min(times, key=lambda x: x[0]) if times else None

    def _question(self, text: str, info: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, translate("MainWindow", "Quit KasirBackup?"), text,
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("quitQuestion")
        box.setInformativeText(info)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._question_answered(box))
        self.quit_question = box
        return box

    def _question_answered(self, box: QMessageBox) -> None:
        if self.quit_question is box:
            self.quit_question = None

    def _ask_scheduled(self, uncovered: list[Profile]) -> None:
        watched = [p for p in uncovered if p.schedule.continuous]
        if watched:
            self._ask_continuous(watched)
            return
        nxt = self._next_backup(uncovered)
        if nxt is None:
            self.quit_now()
            return
        when, p = nxt
        if when.date() == self.ctx.now().date() and when.hour >= EVENING_HOUR:
            text = translate("MainWindow", "Quit KasirBackup? Tonight's backup at {time} of {name} will not run until "
                                           "you start KasirBackup again.").format(time=_time(when), name=p.name)
        elif when.date() == self.ctx.now().date():
            text = translate("MainWindow", "Quit KasirBackup? Today's backup at {time} of {name} will not run until "
                                           "you start KasirBackup again.").format(time=_time(when), name=p.name)
        else:
            text = translate("MainWindow", "Quit KasirBackup? The next backup of {name}, on {when}, will not run "
                                           "until you start KasirBackup again.").format(name=p.name,
                                                                                       when=fmt_datetime(when))
        info = translate("MainWindow", "Scheduled backups run only while KasirBackup runs. To have them run without "
                                       "it, tick “Also run backups through the operating system's task scheduler” "
                                       "in Schedule….")
        others = [x.name for x in uncovered if x.name != p.name]
        if others:
            info = translate("MainWindow", "The scheduled backups of {names} stop too.").format(
                names=", ".join(others)) + " " + info
        box = self._question(text, info)
        quit_button = box.addButton(translate("MainWindow", "Quit"), QMessageBox.ButtonRole.DestructiveRole)
        quit_button.setObjectName("quitConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: self.quit_now() if b is quit_button else None)
        box.open()

    def _ask_continuous(self, watched: list[Profile]) -> None:
        text = translate("MainWindow", "Quit KasirBackup? The sales of {name} are then no longer protected within a "
                                       "minute, until you start KasirBackup again.").format(
            name=", ".join(p.name for p in watched))
        info = translate("MainWindow", "Continuous protection runs only while KasirBackup runs; it waits in the tray "
                                       "when you close the window.")
        box = self._question(text, info)
        quit_button = box.addButton(translate("MainWindow", "Quit"), QMessageBox.ButtonRole.DestructiveRole)
        quit_button.setObjectName("quitConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: self.quit_now() if b is quit_button else None)
        box.open()

    def _ask_running(self, p: Profile) -> None:
        box = self._question(
            translate("MainWindow", "A backup of {name} is running now. Quit KasirBackup anyway?").format(name=p.name),
            translate("MainWindow", "“Quit now” stops the backup: nothing is changed, and the backups made before "
                                    "stay as they are. Or KasirBackup quits by itself as soon as the backup is done."))
        later = box.addButton(translate("MainWindow", "Quit when it is done"), QMessageBox.ButtonRole.AcceptRole)
        later.setObjectName("quitWhenDone")
        now = box.addButton(translate("MainWindow", "Quit now"), QMessageBox.ButtonRole.DestructiveRole)
        now.setObjectName("quitNow")
        box.setDefaultButton(later)

        def answered(button) -> None:
            if button is now:
                self.quit_now()           # the app's shutdown cancels the backup (recorded as cancelled)
            elif button is later:
                self._quit_when_done = True
                self.statusBar().showMessage(translate("MainWindow", "KasirBackup quits when the backup is done."))
                self._quit_if_idle()
        box.buttonClicked.connect(answered)
        box.open()

    def _quit_if_idle(self, *args) -> None:
        """After "Quit when it is done": quit once no backup runs any more."""
        if not self._quit_when_done:
            return
        if any(self.ctx.is_running(p.name) for p in self.ctx.profiles()):
            return
        self._quit_when_done = False
        self.quit_now()


def _time(t: datetime) -> str:
    from PySide6.QtCore import QLocale

    from ..i18n import to_qdatetime

    return QLocale().toString(to_qdatetime(t).time(), QLocale.FormatType.ShortFormat)
