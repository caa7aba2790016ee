"""The words for the app's problems (``app.status.Problem``), shared by the banner and the tray:
each names its database and, where one is known, its backup place ("Toko: copy to USB-BACKUP
failing since Dec 4, 2026 4:32 PM — the folder is read-only")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..app.places import place_name
from ..app.status import Problem, ProblemKind
from .i18n import fmt_datetime


def reason_text(code: str, message: str) -> str:
    """Why a place fails, short: a few known causes in plain words, else the first sentence of
    the recorded message (the whole message is in History)."""
    if code == "repo-write-protected":
        return QCoreApplication.translate("StatusBanner", "the folder is read-only")
    if code == "repo-read-only":
        return QCoreApplication.translate("StatusBanner", "KasirBackup may not write to the folder")
    if code == "backup-disk-missing":
        return QCoreApplication.translate("StatusBanner", "the disk is not connected")
    if code == "disk-full":
        return QCoreApplication.translate("StatusBanner", "the disk is full")
    if code == "repo-is-file":
        return QCoreApplication.translate("StatusBanner", "there is a file where the folder should be")
    first = message.strip().split(". ", 1)[0].rstrip(". ")
    return first or QCoreApplication.translate("StatusBanner", "the reason is in History")


def problem_text(p: Problem) -> str:
    """One line for one problem."""
    since = fmt_datetime(p.since)
    place = place_name(p.place) if p.place else ""
    if p.kind == ProblemKind.NO_RESTART:
        return QCoreApplication.translate(
            "StatusBanner", "Scheduled backups stop when this computer restarts: nothing starts KasirBackup. "
                            "Turn on 'Start when I log in' in Settings.")
    if p.kind == ProblemKind.NEVER:
        return QCoreApplication.translate(
            "StatusBanner", "{db}: not protected yet — no backup has been made. Press Backup now.").format(db=p.profile)
    if p.kind == ProblemKind.OVERDUE:
        return QCoreApplication.translate(
            "StatusBanner", "{db}: a scheduled backup is overdue (it was due {when}).").format(db=p.profile, when=since)
    reason = reason_text(p.code, p.message)
    if p.kind == ProblemKind.FAILED:
        if place:
            return QCoreApplication.translate(
                "StatusBanner", "{db}: backup to {place} failing since {since} — {reason}").format(
                db=p.profile, place=place, since=since, reason=reason)
        return QCoreApplication.translate(
            "StatusBanner", "{db}: backups failing since {since} — {reason}").format(
            db=p.profile, since=since, reason=reason)
    if place:
        return QCoreApplication.translate(
            "StatusBanner", "{db}: copy to {place} failing since {since} — {reason}").format(
            db=p.profile, place=place, since=since, reason=reason)
    return QCoreApplication.translate(
        "StatusBanner", "{db}: the off-site copy is pending since {since}.").format(db=p.profile, since=since)


def more_text(n: int) -> str:
    """The "(2 more problems)" after the worst problem."""
    if n == 1:
        return QCoreApplication.translate("StatusBanner", "(1 more problem)")
    return QCoreApplication.translate("StatusBanner", "({n} more problems)").format(n=n)
