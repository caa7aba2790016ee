"""The status banner a shop owner reads at a glance, and the small size chart.

The banner shows the one status of the whole app (``show_app``): the worst problem of any
database or backup place, in its colour, naming the database and the place, with "(n more
problems)", the others below it, a button that selects the database it is about and a button
that turns on start with login when nothing would start KasirBackup after a restart."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ..app.status import AppStatus, Level, ProblemKind, ProfileStatus, Reason
from ..core.repo.manifest import Snapshot
from .i18n import fmt_ago, fmt_datetime, fmt_size, fmt_time_of
from .status_text import more_text, problem_text, reason_text

#: problems listed under the worst one (the tooltip lists them all)
MORE_LINES = 3

COLORS = {  # background, border, text: readable in light and dark palettes alike
    Level.OK: ("#e6f4ea", "#1b7f3b", "#0d4f22"),
    Level.WARNING: ("#fff4e0", "#c77700", "#6b3f00"),
    Level.ERROR: ("#fde7e6", "#b3261e", "#7a1711"),
}


def headline(st: ProfileStatus, now: datetime) -> str:
    """The one sentence of the banner."""
    if st.reason == Reason.RUNNING:
        return QCoreApplication.translate("StatusBanner", "Backing up now…")
    if st.reason == Reason.NEVER:
        return QCoreApplication.translate(
            "StatusBanner", "Not protected yet: no backup has been made. Press Backup now.")
    if st.reason == Reason.FAILED:
        return QCoreApplication.translate(
            "StatusBanner", "The last backup failed ({when}). Your older backups are still safe.").format(
            when=fmt_ago(st.last_attempt.started_at if st.last_attempt else None, now))
    if st.reason == Reason.OVERDUE:
        return QCoreApplication.translate(
            "StatusBanner", "A scheduled backup is overdue (it was due {when}). Last backup {ago}.").format(
            when=fmt_datetime(st.overdue_since), ago=fmt_ago(st.last_success, now))
    if st.reason == Reason.OFFSITE_PENDING:
        return QCoreApplication.translate(
            "StatusBanner", "Last backup {ago}, verified. The off-site copy is pending since {since}.").format(
            ago=fmt_ago(st.last_attempt.started_at if st.last_attempt else st.last_success, now),
            since=fmt_datetime(st.offsite_pending_since))
    if st.protected_up_to is not None:
        return QCoreApplication.translate(
            "StatusBanner", "Protected up to {time} ({ago}): every sale until then is in a checked backup.").format(
            time=fmt_time_of(st.protected_up_to, now), ago=fmt_ago(st.protected_up_to, now))
    return QCoreApplication.translate(
        "StatusBanner", "You are protected. Last backup {ago}, verified.").format(ago=fmt_ago(st.last_success, now))


def subline(st: ProfileStatus, space_used: int | None, with_message: bool = True) -> str:
    parts = []
    if st.next_run is not None:
        parts.append(QCoreApplication.translate(
            "StatusBanner", "Next backup: {when}").format(when=fmt_datetime(st.next_run)))
    else:
        parts.append(QCoreApplication.translate("StatusBanner", "No backups are scheduled"))
    if space_used is not None:
        parts.append(QCoreApplication.translate(
            "StatusBanner", "Space used: {size}").format(size=fmt_size(space_used)))
    if with_message and st.reason == Reason.FAILED and st.message:
        parts.append(st.message)
    return " · ".join(parts)


class StatusBanner(QFrame):
    profile_requested = Signal(str)         # "Show Toko": select the database the problem is about
    login_start_requested = Signal()        # "Start KasirBackup when I log in"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        self.title = QLabel()
        self.title.setObjectName("bannerTitle")
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.detail = QLabel()
        self.detail.setObjectName("bannerDetail")
        self.detail.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.detail)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.show_button = QPushButton()
        self.show_button.setObjectName("bannerShowDatabase")
        self.show_button.clicked.connect(lambda: self.profile_requested.emit(self._about))
        self.login_button = QPushButton()
        self.login_button.setObjectName("bannerStartWithLogin")
        self.login_button.clicked.connect(self.login_start_requested.emit)
        row.addWidget(self.show_button)
        row.addWidget(self.login_button)
        row.addStretch(1)
        self.buttons = QWidget()
        self.buttons.setObjectName("bannerButtons")
        self.buttons.setLayout(row)
        lay.addWidget(self.buttons)
        self.level = Level.OK
        self._about = ""                     # the database the worst problem is about
        self._buttons(False, False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _buttons(self, show: bool, login: bool) -> None:
        self.show_button.setVisible(show)
        self.login_button.setVisible(login)
        self.buttons.setVisible(show or login)

    def show_status(self, st: ProfileStatus | None, now: datetime, space_used: int | None = None) -> None:
        """One database on its own (or none chosen yet)."""
        self._buttons(False, False)
        self.setToolTip("")
        if st is None:
            self.level = Level.WARNING
            self.title.setText(QCoreApplication.translate(
                "StatusBanner", "No database chosen yet. Add the database you want to protect."))
            self.detail.setText("")
        else:
            self.level = st.level
            self.title.setText(headline(st, now))
            self.detail.setText(subline(st, space_used))
        self._paint()

    def show_app(self, app: AppStatus, selected: str | None, now: datetime, space_used: int | None = None) -> None:
        """The whole app: the worst problem of any database or place, else the selected database."""
        sel = app.of(selected) if selected else None
        if sel is None and app.profiles:
            sel = app.profiles[0]
        if sel is None or not app.problems:
            self.show_status(sel, now, space_used)
            return
        worst = app.problems[0]
        title = problem_text(worst)
        if len(app.problems) > 1:
            title = f"{title} {more_text(len(app.problems) - 1)}"
        lines = []
        if worst.message and reason_text(worst.code, worst.message) != worst.message.strip():
            lines.append(worst.message.strip())            # the whole reason, what to do included
        lines.extend(problem_text(p) for p in app.problems[1:1 + MORE_LINES])
        mine = [p for p in app.problems if p.profile == sel.profile]
        own = subline(sel, space_used, with_message=False)
        if not mine:
            own = f"{headline(sel, now)} · {own}"
        if len(app.profiles) > 1 or not mine:
            own = QCoreApplication.translate("StatusBanner", "{db}: {text}").format(db=sel.profile, text=own)
        lines.append(own)
        self.level = app.level
        self.title.setText(title)
        self.detail.setText("\n".join(lines))
        self.setToolTip("\n".join(problem_text(p) for p in app.problems))
        self._about = worst.profile
        self.show_button.setText(QCoreApplication.translate("StatusBanner", "Show {db}").format(db=worst.profile))
        self.login_button.setText(QCoreApplication.translate("StatusBanner", "Start KasirBackup when I log in"))
        self._buttons(bool(worst.profile) and worst.profile != sel.profile,
                      any(p.kind == ProblemKind.NO_RESTART for p in app.problems))
        self._paint()

    def _paint(self) -> None:
        bg, border, fg = COLORS[self.level]
        self.setStyleSheet(f"QFrame#statusBanner {{ background: {bg}; border: 2px solid {border}; "
                           f"border-radius: 6px; }} QLabel {{ color: {fg}; background: transparent; }}")


class SizeChart(QWidget):
    """Database size (line) and what each backup added (bars) over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sizeChart")
        self._snaps: list[Snapshot] = []
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_snapshots(self, snaps: list[Snapshot]) -> None:
        self._snaps = sorted(snaps, key=lambda s: s.created_utc)[-60:]
        self.setToolTip(QCoreApplication.translate("SizeChart", "Line: database size. Bars: data each backup added."))
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        r = QRectF(self.rect()).adjusted(6, 18, -6, -6)
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        p.drawText(QRectF(6, 0, self.width() - 12, 16), Qt.AlignmentFlag.AlignLeft,
                   QCoreApplication.translate("SizeChart", "Size over time"))
        if len(self._snaps) < 1:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, QCoreApplication.translate("SizeChart", "No backups yet"))
            return
        top = max(max(s.image_bytes for s in self._snaps), 1)
        n = len(self._snaps)
        step = r.width() / max(n, 1)
        bar = QColor("#2f81f7")
        bar.setAlpha(110)
        for i, s in enumerate(self._snaps):
            h = r.height() * min(1.0, s.added_bytes / top)
            p.fillRect(QRectF(r.left() + i * step + 1, r.bottom() - max(h, 1), max(step - 2, 1), max(h, 1)), bar)
        path = QPainterPath()
        for i, s in enumerate(self._snaps):
            pt = QPointF(r.left() + i * step + step / 2, r.bottom() - r.height() * s.image_bytes / top)
            path.moveTo(pt) if i == 0 else path.lineTo(pt)
        p.setPen(QPen(QColor("#1b7f3b"), 2))
        p.drawPath(path)
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        p.drawText(QRectF(6, 0, self.width() - 12, 16), Qt.AlignmentFlag.AlignRight, fmt_size(top))
