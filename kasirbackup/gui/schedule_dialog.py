"""The schedule dialog: when a database is backed up automatically (daily / weekly /
monthly / off, time, weekdays, day of the month), the next five runs shown live, start with
login, and the optional operating-system task that runs backups while the app is closed."""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QLocale, Qt, QTime
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget)

from ..app import ossched
from ..app.ossched import os_task_installed
from ..app.scheduling import next_fire
from ..app.settings import DEFAULT_CONTINUOUS, Profile, Schedule
from ..core.errors import KasirBackupError
from .context import AppContext
from .dialogs import show_error
from .i18n import fmt_datetime, fmt_in
from .time_edit import TimeEdit

log = logging.getLogger("kasirbackup.gui")

KINDS = ("daily", "weekly", "monthly", "off")
PREVIEW_RUNS = 5
MIN_WIDTH = 560


def upcoming(schedule: Schedule, now: datetime, tz, count: int = PREVIEW_RUNS) -> list[datetime]:
    """The next ``count`` scheduled moments after ``now`` (empty when the schedule is off)."""
    out: list[datetime] = []
    t = now
    while len(out) < count:
        t = next_fire(schedule, t, tz)
        if t is None:
            break
        out.append(t)
    return out


class ScheduleDialog(QDialog):
    def __init__(self, ctx: AppContext, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile = profile
        self.setObjectName("scheduleDialog")
        self._os_installed: bool | None = None      # None: not known yet
        self._job = None
        self._build()
        self._load(profile)
        self.retranslate()
        self._check_os_task()

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)

        self.continuous_box = QGroupBox(self)
        outer = QVBoxLayout(self.continuous_box)
        cl = QHBoxLayout()
        outer.addLayout(cl)
        self.continuous_note = QLabel(self.continuous_box)
        self.continuous_note.setObjectName("continuousNote")
        self.continuous_note.setWordWrap(True)
        self.continuous_note.setIndent(22)
        outer.addWidget(self.continuous_note)
        self.continuous = QCheckBox(self.continuous_box)
        self.continuous.setObjectName("continuousCheck")
        self.within = QSpinBox(self.continuous_box)
        self.within.setObjectName("continuousMinutes")
        self.within.setRange(1, 60)
        self.within_unit = QLabel(self.continuous_box)
        cl.addWidget(self.continuous)
        cl.addWidget(self.within)
        cl.addWidget(self.within_unit)
        cl.addStretch(1)
        self.continuous.toggled.connect(self.within.setEnabled)
        self.continuous.toggled.connect(self._update)
        self.within.valueChanged.connect(self._update)
        lay.addWidget(self.continuous_box)

        self.when_box = QGroupBox(self)
        form = QFormLayout(self.when_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.kind = QComboBox(self.when_box)
        self.kind.setObjectName("scheduleKind")
        for k in KINDS:
            self.kind.addItem("", k)
        self.kind_label = QLabel(self.when_box)
        self.kind_label.setBuddy(self.kind)
        form.addRow(self.kind_label, self.kind)

        self.time = TimeEdit(parent=self.when_box)
        self.time.setObjectName("scheduleTime")
        self.time_label = QLabel(self.when_box)
        self.time_label.setBuddy(self.time)
        form.addRow(self.time_label, self.time)

        self.days_widget = QWidget(self.when_box)
        grid = QGridLayout(self.days_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        self.day_boxes: list[QCheckBox] = []
        for i in range(7):
            box = QCheckBox(self.days_widget)
            box.setObjectName(f"weekday{i}")
            grid.addWidget(box, i // 4, i % 4)
            self.day_boxes.append(box)
        self.days_label = QLabel(self.when_box)
        form.addRow(self.days_label, self.days_widget)

        self.dom_widget = QWidget(self.when_box)
        dl = QHBoxLayout(self.dom_widget)
        dl.setContentsMargins(0, 0, 0, 0)
        self.day_of_month = QSpinBox(self.dom_widget)
        self.day_of_month.setObjectName("dayOfMonth")
        self.day_of_month.setRange(1, 31)
        self.dom_note = QLabel(self.dom_widget)
        self.dom_note.setWordWrap(True)
        dl.addWidget(self.day_of_month)
        dl.addWidget(self.dom_note, 1)
        self.dom_label = QLabel(self.when_box)
        self.dom_label.setBuddy(self.day_of_month)
        form.addRow(self.dom_label, self.dom_widget)
        self.form = form
        lay.addWidget(self.when_box)

        self.next_box = QGroupBox(self)
        nl = QVBoxLayout(self.next_box)
        self.next_labels: list[QLabel] = []
        for i in range(PREVIEW_RUNS):
            label = QLabel(self.next_box)
            label.setObjectName(f"nextRun{i}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            nl.addWidget(label)
            self.next_labels.append(label)
        self.catch_up_note = QLabel(self.next_box)
        self.catch_up_note.setObjectName("catchUpNote")
        self.catch_up_note.setWordWrap(True)
        nl.addWidget(self.catch_up_note)
        lay.addWidget(self.next_box)

        self.options_box = QGroupBox(self)
        ol = QVBoxLayout(self.options_box)
        self.start_login = QCheckBox(self.options_box)
        self.start_login.setObjectName("startWithLogin")
        ol.addWidget(self.start_login)
        self.os_task = QCheckBox(self.options_box)
        self.os_task.setObjectName("osTask")
        self.os_task.setEnabled(False)           # until we know whether one exists
        ol.addWidget(self.os_task)
        self.os_note = QLabel(self.options_box)
        self.os_note.setObjectName("osTaskNote")
        self.os_note.setWordWrap(True)
        self.os_note.setIndent(22)
        ol.addWidget(self.os_note)
        lay.addWidget(self.options_box)

        self.status = QLabel(self)
        self.status.setObjectName("scheduleStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("scheduleButtons")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._update)
        self.time.timeChanged.connect(self._update)
        self.day_of_month.valueChanged.connect(self._update)
        for box in self.day_boxes:
            box.toggled.connect(self._update)

        self.setTabOrder(self.continuous, self.within)
        self.setTabOrder(self.within, self.kind)
        self.setTabOrder(self.kind, self.time)
        prev = self.time
        for box in self.day_boxes:
            self.setTabOrder(prev, box)
            prev = box
        for w in (self.day_of_month, self.start_login, self.os_task, self.buttons):
            self.setTabOrder(prev, w)
            prev = w
        self.resize(MIN_WIDTH, self.sizeHint().height())

    def _load(self, profile: Profile) -> None:
        s = profile.schedule
        self.kind.setCurrentIndex(max(0, self.kind.findData(s.kind)))
        h, m = s.hour_minute
        self.time.setTime(QTime(h, m))
        for i, box in enumerate(self.day_boxes):
            box.setChecked(i in s.weekdays)
        self.day_of_month.setValue(s.day_of_month)
        self._continuous_was = s.continuous
        self.continuous.setChecked(bool(s.continuous))
        self.within.setValue(max(1, min(60, round((s.continuous or DEFAULT_CONTINUOUS) / 60))))
        self.within.setEnabled(bool(s.continuous))
        self._login_was = self.ctx.login.is_on()       # the real state, not only what the settings say
        self.start_login.setChecked(self._login_was)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Schedule — {name}").format(name=self.profile.name))
        self.intro.setText(self.tr("KasirBackup backs up {db} automatically at the time you choose, as long "
                                   "as it is running (it waits in the tray).").format(
            db=Path(self.profile.db_path).name))
        self.continuous_box.setTitle(self.tr("Continuous protection"))
        self.continuous.setText(self.tr("Back up each change within"))
        self.within_unit.setText(self.tr("minute(s)"))
        self.continuous_note.setText(self.tr("Recommended for a cash register: every sale is in a checked backup "
                                             "within a minute. Nothing is done while nothing is sold."))
        self._title_when()
        self.kind_label.setText(self.tr("&Repeat:"))
        for i, text in enumerate((self.tr("Every day"), self.tr("Every week, on chosen days"),
                                  self.tr("Every month, on one day"), self.tr("Off (only when I press Backup now)"))):
            self.kind.setItemText(i, text)
        self.time_label.setText(self.tr("&Time:"))
        self.days_label.setText(self.tr("Days:"))
        loc = QLocale()
        for i, box in enumerate(self.day_boxes):
            box.setText(loc.dayName(i + 1, QLocale.FormatType.LongFormat))    # 1 = Monday
        self.dom_label.setText(self.tr("&Day of the month:"))
        self.dom_note.setText(self.tr("In a shorter month it runs on the last day."))
        self.next_box.setTitle(self.tr("Next backups"))
        self.catch_up_note.setText(self.tr("Missed backups are always made up: if the computer was off or asleep "
                                           "at the scheduled time, the backup runs about a minute after it is "
                                           "back on and KasirBackup is running."))
        self.options_box.setTitle(self.tr("Running in the background"))
        self.start_login.setText(self.tr("Start KasirBackup when I log in"))
        self.start_login.setToolTip(self.tr("KasirBackup starts in the tray, so scheduled backups are not missed."))
        self.os_task.setText(self.tr("Also run backups through the operating system's task scheduler"))
        self.os_note.setText(self.tr("Backups then run even when KasirBackup is not running, at the same times; "
                                     "the system catches up after the computer was off."))
        self._update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- live preview ---------------------------------------------------------------------------
    def schedule(self) -> Schedule:
        """The schedule as the dialog shows it now."""
        t = self.time.time()
        continuous = 0
        if self.continuous.isChecked():
            was = self._continuous_was
            # an interval set in seconds elsewhere (continuous:90) stays as it is unless changed here
            continuous = was if was and max(1, min(60, round(was / 60))) == self.within.value() else \
                self.within.value() * 60
        return Schedule(kind=self.kind.currentData() or "daily", time=f"{t.hour():02d}:{t.minute():02d}",
                        weekdays=[i for i, b in enumerate(self.day_boxes) if b.isChecked()] or
                        list(self.profile.schedule.weekdays),
                        day_of_month=self.day_of_month.value(), continuous=continuous,
                        offsite_every=self.profile.schedule.offsite_every)

    def _no_days(self) -> bool:
        return self.kind.currentData() == "weekly" and not any(b.isChecked() for b in self.day_boxes)

    def next_runs(self) -> list[datetime]:
        if self._no_days():
            return []
        return upcoming(self.schedule(), self.ctx.now(), self.ctx.tz)

    def _title_when(self) -> None:
        self.when_box.setTitle(self.tr("When (the full check and the off-site copy)") if self.continuous.isChecked()
                               else self.tr("When"))

    def _update(self, *_: object) -> None:
        self._title_when()
        kind = self.kind.currentData()
        off = kind == "off"
        self.form.setRowVisible(self.time, not off)
        self.form.setRowVisible(self.days_widget, kind == "weekly")
        self.form.setRowVisible(self.dom_widget, kind == "monthly")
        runs = self.next_runs()
        loc = QLocale()
        now = self.ctx.now()
        # with continuous protection these are the nightly full checks: three are enough (and
        # the dialog keeps within a 1366×768 screen at 125 %)
        shown = 3 if self.continuous.isChecked() else PREVIEW_RUNS
        for i, label in enumerate(self.next_labels):
            if i < min(len(runs), shown):
                t = runs[i]
                text = self.tr("{day}, {when}").format(
                    day=loc.dayName(t.astimezone(self.ctx.tz).isoweekday(), QLocale.FormatType.LongFormat),
                    when=fmt_datetime(t))
                if i == 0:
                    text = self.tr("{when} ({distance})").format(when=text, distance=fmt_in(t, now))
                label.setText(text)
                label.setVisible(True)
            elif i == 0:
                label.setText(self.tr("Choose at least one day.") if self._no_days()
                              else self.tr("No automatic backups. Press “Backup now” in the main window to "
                                           "make one."))
                label.setVisible(True)
            else:
                label.setText("")
                label.setVisible(False)
        self.catch_up_note.setVisible(not off)
        self.os_task.setEnabled(self._os_installed is not None and not off)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            not self._no_days() and (self._job is None or self._job.done))
        self._fit()

    def _fit(self) -> None:
        """Word-wrapped labels need their height for the dialog's width (Qt does not grow a
        window for them by itself)."""
        lay = self.layout()
        if lay is None:
            return
        lay.activate()
        w = max(self.width(), lay.totalMinimumSize().width(), MIN_WIDTH)
        h = lay.totalHeightForWidth(w) if lay.hasHeightForWidth() else lay.totalSizeHint().height()
        if self.width() < w or self.height() != h:
            self.resize(max(self.width(), w), h)

    # -- the operating-system task ----------------------------------------------------------------
    def _check_os_task(self) -> None:
        profile = self.profile

        def done(installed: bool) -> None:
            self._os_installed = bool(installed)
            self.os_task.setChecked(self._os_installed)
            self._update()

        def failed(exc: BaseException) -> None:
            self._os_installed = False
            self._update()
        self._start(lambda progress, cancel: os_task_installed(profile), "os task state",
                       on_finished=done, on_failed=failed)

    def _start(self, fn, name: str, on_finished, on_failed):
        """A job whose results are dropped once this dialog is gone (closed and deleted)."""
        def alive(cb):
            return lambda arg: cb(arg) if shiboken6.isValid(self) else None
        return self.ctx.start(fn, name, on_finished=alive(on_finished), on_failed=alive(on_failed))

    # -- saving -----------------------------------------------------------------------------------
    def save(self) -> None:
        sched = self.schedule()
        try:
            sched.validate()
        except KasirBackupError as exc:
            show_error(self, exc)
            return
        settings = copy.deepcopy(self.ctx.settings())
        prof = next((p for p in settings.profiles if p.id == self.profile.id), None) or \
            next((p for p in settings.profiles if p.name == self.profile.name), None)
        if prof is None:
            show_error(self, self.tr("The database {name} is no longer set up in KasirBackup; nothing was "
                                     "saved.").format(name=self.profile.name))
            return
        schedule_changed = prof.schedule != sched
        if sched.continuous and not prof.schedule.continuous:
            prof.retention.thin_continuous()        # every snapshot of 2 h, hourly for 2 days
        prof.schedule = sched
        login = self.start_login.isChecked()
        if login != self._login_was:
            try:
                self.ctx.login.set(login)
            except Exception as exc:      # OSError from the registry or the file system
                log.warning("could not change start with login", exc_info=True)
                show_error(self, exc)
                self.start_login.setChecked(self._login_was)
                return
            self._login_was = login
        settings.start_with_login = login
        self.ctx.save_settings(settings)
        self.profile = prof

        want = self.os_task.isChecked() and sched.kind != "off"
        had = bool(self._os_installed)
        if want and (not had or schedule_changed):
            self._run_os_job(lambda progress, cancel: ossched.install(prof), installing=True)
        elif had and not want:
            self._run_os_job(lambda progress, cancel: ossched.uninstall(prof), installing=False)
        else:
            self.accept()

    def _run_os_job(self, fn, installing: bool) -> None:
        self.status.setText(self.tr("Setting up the system schedule…") if installing
                            else self.tr("Removing the system schedule…"))
        self.buttons.setEnabled(False)

        def finished(_result) -> None:
            self._os_installed = installing
            self.buttons.setEnabled(True)
            self.status.setText("")
            self.accept()

        def failed(exc: BaseException) -> None:
            # the schedule itself is saved; only the system task could not be changed
            self.buttons.setEnabled(True)
            self.status.setText(self.tr("The schedule is saved; KasirBackup runs it while it is open."))
            self.os_task.setChecked(bool(self._os_installed))
            self._update()
            show_error(self, exc)
        self._job = self._start(fn, "system schedule", on_finished=finished, on_failed=failed)
