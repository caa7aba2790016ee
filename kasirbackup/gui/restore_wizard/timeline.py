"""Choosing a moment instead of scrolling hundreds of backups: a day, then a time on that
day's timeline; the newest checked backup at or before it is chosen (the same rule as
``restore --at``, core/repo/pointintime.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QWidget

from ...core.errors import KasirBackupError
from ...core.repo.manifest import Snapshot
from ...core.repo.pointintime import snapshot_at
from ..i18n import fmt_number, time_format, to_qdatetime

translate = QCoreApplication.translate
STEP_S = 60                    # the slider moves by minutes


def days_of(snaps: list[Snapshot]) -> list[tuple[date, int]]:
    """The local days that have checked backups, newest first, with how many."""
    counts: dict[date, int] = {}
    for s in snaps:
        if s.verification.ok:
            d = s.created_at.astimezone().date()
            counts[d] = counts.get(d, 0) + 1
    return sorted(counts.items(), reverse=True)


class Timeline(QWidget):
    """Day combo + slider over the chosen day's checked backups. ``chosen`` carries the
    backup for the moment the slider points at (or None)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.day_label = QLabel(self)
        self.day = QComboBox(self)
        self.day.setObjectName("timelineDay")
        self.day.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("timelineSlider")
        self.slider.setPageStep(15)
        self.at_label = QLabel(self)
        self.at_label.setObjectName("timelineAt")
        self.at_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00:00 PM") + 8)
        lay.addWidget(self.day_label)
        lay.addWidget(self.day)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.at_label)
        self.snaps: list[Snapshot] = []
        self.source: str | None = None           # the database restored into (a place may hold several)
        self._start: datetime | None = None
        self.day.currentIndexChanged.connect(self._day_changed)
        self.slider.valueChanged.connect(self._moved)
        self.retranslate()

    def retranslate(self) -> None:
        self.day_label.setText(translate("RestoreWizard", "As of:"))
        self.slider.setToolTip(translate("RestoreWizard", "Move to the moment to go back to: the newest checked "
                                                          "backup at or before it is chosen."))
        self._fill_days()

    def set_snapshots(self, snaps: list[Snapshot], source: str | None = None) -> None:
        """``source``: the database restored into; only its backups are on the timeline
        when the place holds any of it."""
        import os

        self.source = source
        if source is not None:
            real = os.path.realpath(source)
            mine = [s for s in snaps if s.source_path in (source, real)]
            snaps = mine or snaps
        self.snaps = list(snaps)
        self._fill_days()

    def _fill_days(self) -> None:
        keep = self.day.currentData()
        self.day.blockSignals(True)
        self.day.clear()
        loc = QLocale()
        today = datetime.now().astimezone().date()
        for d, n in days_of(self.snaps):
            name = translate("RestoreWizard", "Today") if d == today else \
                translate("RestoreWizard", "Yesterday") if d == today - timedelta(days=1) else \
                loc.toString(d, QLocale.FormatType.LongFormat)
            count = _count(n)
            self.day.addItem(translate("RestoreWizard", "{day} ({count})").format(day=name, count=count), d)
        self.day.blockSignals(False)
        i = self.day.findData(keep) if keep is not None else -1
        self.day.setCurrentIndex(max(0, i) if self.day.count() else -1)
        self._day_changed()
        self.setEnabled(self.day.count() > 0)

    def _day_changed(self, *_: object) -> None:
        d = self.day.currentData()
        if d is None:
            self._start = None
            return
        on_day = [s.created_at.astimezone() for s in self.snaps
                  if s.verification.ok and s.created_at.astimezone().date() == d]
        first, last = min(on_day), max(on_day)
        self._start = datetime.combine(d, time(first.hour, first.minute), tzinfo=first.tzinfo)
        steps = max(0, int((last - self._start).total_seconds() // STEP_S))
        self.slider.blockSignals(True)
        self.slider.setRange(0, steps)
        self.slider.setValue(steps)              # the newest of that day
        self.slider.blockSignals(False)
        self._moved()

    def moment(self) -> datetime | None:
        if self._start is None:
            return None
        # the end of the minute the slider points at: "14:30" means everything until 14:30:59
        return self._start + timedelta(seconds=self.slider.value() * STEP_S + STEP_S - 1)

    def set_moment(self, when: datetime) -> None:
        """Point the timeline at ``when`` (its day and minute)."""
        i = self.day.findData(when.astimezone().date())
        if i >= 0:
            self.day.setCurrentIndex(i)
            if self._start is not None:
                self.slider.setValue(int((when.astimezone() - self._start).total_seconds() // STEP_S))

    def _moved(self, *_: object) -> None:
        when = self.moment()
        if when is None:
            self.at_label.setText("")
            return
        loc = QLocale()
        self.at_label.setText(loc.toString(to_qdatetime(when).time(), time_format(loc)))
        try:
            snap = snapshot_at(self.snaps, when)
        except KasirBackupError:
            snap = None
        self.chosen.emit(snap)


def _count(n: int) -> str:
    if n == 1:
        return translate("RestoreWizard", "1 backup")
    return translate("RestoreWizard", "{n} backups").format(n=fmt_number(n))
