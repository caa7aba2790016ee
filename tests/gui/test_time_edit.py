"""The schedule's time field: the window's own time format, and Home / End then digits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt, QTime

from kasirbackup.gui.i18n import fmt_datetime
from kasirbackup.gui.time_edit import TimeEdit

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
INDONESIAN = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


@pytest.fixture
def locale():
    before = QLocale()
    yield QLocale.setDefault
    QLocale.setDefault(before)


@pytest.mark.parametrize("loc, typed, expected, shown", [
    (INDONESIAN, ("07", "30"), QTime(7, 30), "07.30"),
    (ENGLISH, ("7", "30"), QTime(19, 30), "7:30"),          # 12-hour clock: the hour keeps its PM
])
def test_home_selects_the_hour_and_end_the_minutes_so_typing_replaces_them(qtbot, locale, loc, typed, expected,
                                                                          shown):
    locale(loc)
    edit = TimeEdit(QTime(21, 0))
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClicks(edit, typed[0])
    qtbot.keyClick(edit, Qt.Key.Key_End)
    qtbot.keyClicks(edit, typed[1])
    assert edit.time() == expected
    assert edit.text().startswith(shown)


def test_the_field_reads_like_the_sentence_beside_it(qtbot, locale):
    from datetime import datetime, timezone

    from PySide6.QtCore import QDate, QDateTime, QTimeZone
    nine_pm = QDateTime(QDate(2026, 12, 4), QTime(21, 0), QTimeZone.systemTimeZone())   # the app's clock
    at = datetime.fromtimestamp(nine_pm.toSecsSinceEpoch(), timezone.utc)
    for loc, field in ((ENGLISH, "9:00"), (INDONESIAN, "21.00")):
        locale(loc)
        edit = TimeEdit(QTime(21, 0))
        qtbot.addWidget(edit)
        assert edit.text().startswith(field)
        assert field in fmt_datetime(at)                     # the "next backup" sentence's time
