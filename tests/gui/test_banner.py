"""What the status banner draws, not only what it says about itself (issue 18): each state
is painted in its own colours, so a banner stuck on green is caught."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtGui import QColor

from kasirbackup.app.status import Level, ProfileStatus, Reason
from kasirbackup.gui.banner import COLORS, StatusBanner

NOW = datetime(2026, 12, 4, 16, 32, tzinfo=timezone(timedelta(hours=7)))


def status(level: Level, reason: Reason) -> ProfileStatus:
    return ProfileStatus(profile="Toko", level=level, reason=reason, last_success=NOW - timedelta(hours=3),
                         last_attempt=None, next_run=NOW + timedelta(hours=5),
                         overdue_since=NOW - timedelta(hours=1), offsite_pending_since=NOW - timedelta(hours=2))


def drawn(qtbot, st: ProfileStatus | None) -> tuple[QColor, QColor]:
    """(the colour most of the banner is painted in, the colour of its left edge)."""
    banner = StatusBanner()
    qtbot.addWidget(banner)
    banner.resize(700, 90)
    banner.show_status(st, NOW, space_used=1_234_567)
    img = banner.grab().toImage()
    counts = Counter(img.pixel(x, y) for x in range(0, img.width(), 3) for y in range(0, img.height(), 3))
    fill = QColor.fromRgb(counts.most_common(1)[0][0])
    edge = QColor.fromRgb(img.pixel(0, img.height() // 2))
    return fill, edge


def close(a: QColor, b: str) -> bool:
    c = QColor(b)
    return max(abs(a.red() - c.red()), abs(a.green() - c.green()), abs(a.blue() - c.blue())) <= 6


@pytest.mark.parametrize("level, reason", [
    (Level.OK, Reason.PROTECTED), (Level.OK, Reason.RUNNING), (Level.WARNING, Reason.OVERDUE), (Level.WARNING, Reason.OFFSITE_PENDING),
    (Level.ERROR, Reason.FAILED), (Level.ERROR, Reason.NEVER)])
def test_each_state_is_painted_in_its_own_colours(qtbot, level, reason):
    fill, edge = drawn(qtbot, status(level, reason))
    bg, border, _ = COLORS[level]
    assert close(fill, bg), (level, fill.name(), bg)
    assert close(edge, border), (level, edge.name(), border)
    for other, (obg, _, _) in COLORS.items():
        if other != level:
            assert not close(fill, obg) and not close(edge, COLORS[other][1]), f"{level} is painted like {other}"


def test_no_database_chosen_is_painted_amber(qtbot):
    fill, _ = drawn(qtbot, None)
    assert close(fill, COLORS[Level.WARNING][0]), fill.name()


def test_continuous_protection_says_up_to_when(qtbot):
    from kasirbackup.gui.banner import headline

    up_to = NOW - timedelta(minutes=1)
    st = ProfileStatus(profile="Toko", level=Level.OK, reason=Reason.PROTECTED, last_success=NOW - timedelta(minutes=3),
                       last_attempt=None, next_run=None, protected_up_to=up_to)
    text = headline(st, NOW)
    assert text.startswith("Protected up to ") and "1 minute ago" in text
    assert "2026" not in text                          # today: the time of day alone
    plain = ProfileStatus(profile="Toko", level=Level.OK, reason=Reason.PROTECTED, last_success=NOW - timedelta(minutes=3),
                          last_attempt=None, next_run=None)
    assert headline(plain, NOW).startswith("You are protected.")
