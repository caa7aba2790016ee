"""Page 3 of the setup wizard: when the backup runs (daily or weekly, at a time), and start
with login — ticked by default, since a schedule only runs while KasirBackup runs; the wizard
applies it when it finishes."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QRadioButton,
                               QVBoxLayout, QWizard, QWizardPage)

from ...app.scheduling import next_fire
from ...app.settings import DEFAULT_CONTINUOUS, Schedule
from ..i18n import fmt_datetime, fmt_in
from ..time_edit import TimeEdit
from .common import _wrapping


class SchedulePage(QWizardPage):
    def __init__(self, wiz: QWizard) -> None:     # the SetupWizard (not imported: it imports the pages)
        super().__init__(wiz)
        self.wiz = wiz
        self.setObjectName("schedulePage")
        self.setCommitPage(True)
        lay = QVBoxLayout(self)
        self.continuous = QCheckBox()
        self.continuous.setObjectName("continuousCheck")
        self.continuous.setChecked(True)          # the recommended choice for a cash register
        self.continuous.toggled.connect(self._update_next)
        lay.addWidget(self.continuous)
        self.continuous_note = _wrapping(name="continuousNote")
        self.continuous_note.setIndent(22)
        lay.addWidget(self.continuous_note)
        self.intro = _wrapping(name="scheduleIntro")
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.time = TimeEdit(QTime(21, 0))
        self.time.setObjectName("timeEdit")
        self.time.timeChanged.connect(self._update_next)
        self.time.setMinimumWidth(90)
        trow = QHBoxLayout()
        trow.addWidget(self.time)
        trow.addStretch(1)
        self.time_label = QLabel()
        form.addRow(self.time_label, trow)
        often = QVBoxLayout()
        self.daily = QRadioButton()
        self.daily.setObjectName("dailyRadio")
        self.daily.setChecked(True)
        wrow = QHBoxLayout()
        self.weekly = QRadioButton()
        self.weekly.setObjectName("weeklyRadio")
        self.weekday = QComboBox()
        self.weekday.setObjectName("weekdayCombo")
        self.weekday.addItems([""] * 7)
        self.weekday.setCurrentIndex(5)      # Saturday: the end of the shop's week
        self.weekday.setEnabled(False)
        wrow.addWidget(self.weekly)
        wrow.addWidget(self.weekday)
        wrow.addStretch(1)
        group = QButtonGroup(self)
        group.addButton(self.daily)
        group.addButton(self.weekly)
        self.weekly.toggled.connect(self.weekday.setEnabled)
        self.weekly.toggled.connect(self._update_next)
        self.weekday.currentIndexChanged.connect(self._update_next)
        often.addWidget(self.daily)
        often.addLayout(wrow)
        self.often_label = QLabel()
        form.addRow(self.often_label, often)
        lay.addLayout(form)
        self.next = _wrapping(name="nextLabel")
        self.next.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.next)
        self.note = _wrapping(name="scheduleNote")
        lay.addWidget(self.note)
        self.start_login = QCheckBox()
        self.start_login.setObjectName("startWithLogin")
        self.start_login.setChecked(True)        # the schedule dies with the next restart otherwise
        self.start_login.toggled.connect(self._update_login_note)
        lay.addWidget(self.start_login)
        self.login_note = _wrapping(name="startWithLoginNote")
        self.login_note.setIndent(22)
        lay.addWidget(self.login_note)
        lay.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        from PySide6.QtCore import QLocale

        self.setTitle(self.tr("When should the backup run?"))
        self.setSubTitle(self.tr("Choose a time after the shop closes, when the computer is usually still on."))
        self.continuous.setText(self.tr("Protect every sale within a minute (recommended for a cash register)"))
        self.continuous_note.setText(self.tr("A minute after each change KasirBackup keeps a checked copy of what "
                                             "changed. When nothing is sold, nothing is done."))
        self.intro.setText(self.tr("Once a day, at this time, KasirBackup also checks a whole backup and makes the "
                                   "off-site copy, even while the cash register program is open."))
        self.time_label.setText(self.tr("Time:"))
        self.often_label.setText(self.tr("How often:"))
        self.daily.setText(self.tr("Every day"))
        self.weekly.setText(self.tr("Once a week, on"))
        loc = QLocale()
        for i in range(7):
            self.weekday.setItemText(i, loc.dayName(i + 1))
        self.note.setText(self.tr("If the computer is off at that time, the backup runs a minute after "
                                  "KasirBackup starts again. The first backup is made now."))
        self.start_login.setText(self.tr("Start KasirBackup when I log in to this computer"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Make the first backup"))
        self._update_next()
        self._update_login_note()

    def _update_login_note(self, *args) -> None:
        if self.start_login.isChecked():
            self.login_note.setText(self.tr("KasirBackup waits in the tray next to the clock, so the backups also "
                                            "run after the computer restarts."))
        else:
            self.login_note.setText(self.tr("Without this, the scheduled backups stop when the computer restarts, "
                                            "until you start KasirBackup yourself."))

    def schedule(self) -> Schedule:
        t = self.time.time()
        hhmm = "{:02d}:{:02d}".format(t.hour(), t.minute())
        continuous = DEFAULT_CONTINUOUS if self.continuous.isChecked() else 0
        if self.weekly.isChecked():
            return Schedule("weekly", hhmm, [self.weekday.currentIndex()], continuous=continuous)
        return Schedule("daily", hhmm, continuous=continuous)

    def _update_next(self, *args) -> None:
        ctx = self.wiz.ctx
        now = ctx.now()
        when = next_fire(self.schedule(), now, ctx.tz)
        if self.continuous.isChecked():
            self.next.setText(self.tr("Sales are protected within a minute. Next full check: {when} ({distance})").format(
                when=fmt_datetime(when), distance=fmt_in(when, now)) if when else "")
            return
        self.next.setText(self.tr("Next backup: {when} ({distance})").format(
            when=fmt_datetime(when), distance=fmt_in(when, now)) if when else "")

    def initializePage(self) -> None:
        self._update_next()
