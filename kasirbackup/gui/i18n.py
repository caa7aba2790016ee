"""Language glue: which language to show, the translators (kept referenced for the life of
the application), and locale-aware formatting of sizes, dates and numbers.

English is the source language. Indonesian comes from ``kasirbackup_id.qm`` and
``qtbase_id.qm`` (ours: Qt ships no Indonesian translation of its standard buttons), package
data in ``gui/resources/translations``.
Engine errors carry English templates; they are translated here, in context ``errors``."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, QLibraryInfo, QLocale, QTimeZone, QTranslator

from . import resources

log = logging.getLogger("kasirbackup.gui")

LANGUAGES = ("", "id", "en")      # "" follows the system

_translators: list[QTranslator] = []   # QCoreApplication does not own them: keep them alive
_current = "en"


def translations_dir() -> Path:
    """Where the compiled .qm files are: package data, next to the code in a wheel, a checkout
    and the PyInstaller bundle alike."""
    return resources.TRANSLATIONS


def system_language() -> str:
    name = QLocale.system().name()          # e.g. "id_ID", "en_US", "C"
    return "id" if name.lower().startswith(("id", "in_")) else "en"


def resolve(choice: str) -> str:
    """The language to show for a Settings choice ("" = the system's)."""
    return choice if choice in ("id", "en") else system_language()


def current() -> str:
    return _current


def install(choice: str = "", app: QCoreApplication | None = None) -> str:
    """Load the translators for ``choice`` (replacing earlier ones) and set the default locale
    for formatting. Widgets get a LanguageChange event and retranslate themselves."""
    global _current
    app = app or QCoreApplication.instance()
    lang = resolve(choice)
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia) if lang == "id"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
                       if QLocale.system().language() in (QLocale.Language.C, QLocale.Language.Indonesian)
                       else QLocale.system())
    folder = translations_dir()
    # English is the source language; its file only supplies plural forms ("1 minute ago")
    for base in (("qtbase", "kasirbackup") if lang != "en" else ("kasirbackup",)):
        t = QTranslator()
        if t.load(f"{base}_{lang}", str(folder)) or (
                base == "qtbase" and t.load(f"qtbase_{lang}",
                                            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
            app.installTranslator(t)
            _translators.append(t)
        else:
            log.warning("no %s translation for %r in %s", base, lang, folder)
    _current = lang
    return lang


def error_text(exc: BaseException) -> str:
    """A user error in the current language; anything else as a plain sentence (the
    technical detail belongs in the log, not in a dialog)."""
    from ..core.errors import KasirBackupError

    if isinstance(exc, KasirBackupError):
        return exc.message(lambda s: QCoreApplication.translate("errors", s))
    if isinstance(exc, OSError):
        from ..core.errors import os_error_to_user

        try:
            return error_text(os_error_to_user(exc, exc.filename or ""))
        except Exception:
            pass
    return QCoreApplication.translate("errors", "Something unexpected went wrong. The details are in the log file.")


def phase_text(phase: str) -> str:
    """What a long operation is doing, from the engine's progress phase key."""
    translate = QCoreApplication.translate
    return {
        "copy": translate("phase", "Copying the database"),
        "capture": translate("phase", "Copying the database"),
        "catch-up": translate("phase", "Copying the database"),
        "store": translate("phase", "Storing new data"),
        "verify": translate("phase", "Checking the backup by a test restore"),
        "drill": translate("phase", "Checking the backup by a test restore"),
        "prune": translate("phase", "Removing old backups"),
        "upload": translate("phase", "Copying off-site"),
        "mark": translate("phase", "Removing old backups"),
        "repack": translate("phase", "Removing old backups"),
        "restore": translate("phase", "Restoring"),
        "undo": translate("phase", "Putting the database back as it was"),
        "export": translate("phase", "Exporting"),
        "read": translate("phase", "Reading the file"),
        "import": translate("phase", "Importing"),
        "wait": translate("phase", "Waiting for the backup that is running to finish"),
        "structure": translate("phase", "Checking the backups' structure"),
    }.get(phase, translate("phase", "Working"))


# -- formatting ------------------------------------------------------------------------------

def fmt_size(n: int | None) -> str:
    if n is None:
        return "–"
    return QLocale().formattedDataSize(int(n), 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def fmt_number(n: int | None) -> str:
    return "–" if n is None else QLocale().toString(int(n))


def to_qdatetime(t: datetime) -> QDateTime:
    if t.tzinfo is None:
        t = t.astimezone()
    return QDateTime.fromSecsSinceEpoch(int(t.timestamp()), QTimeZone.systemTimeZone())


def fmt_datetime(t: datetime | None, seconds: bool = False) -> str:
    """E.g. "21 Nov 2026 23.00" in Indonesian, "Nov 21, 2026 11:00 PM" in English; with
    ``seconds`` "21 Nov 2026 23.00.07" (two backups in one minute must not read alike)."""
    if t is None:
        return "–"
    loc = QLocale()
    q = to_qdatetime(t)
    return "{} {}".format(loc.toString(q.date(), _date_fmt(loc)), loc.toString(q.time(), time_format(loc, seconds)))


def fmt_time_of(t: datetime, now: datetime) -> str:
    """The time of day alone ("14.32", "2:32 PM") when ``t`` is today, else date and time."""
    if t.astimezone(now.tzinfo).date() == now.date():
        loc = QLocale()
        return loc.toString(to_qdatetime(t).time(), time_format(loc))
    return fmt_datetime(t)


def time_format(loc: QLocale | None = None, seconds: bool = False) -> str:
    """The locale's short time format ("HH.mm", "h:mm AP"), with seconds if asked."""
    fmt = (loc or QLocale()).timeFormat(QLocale.FormatType.ShortFormat)
    if seconds and "ss" not in fmt:
        i = fmt.find("mm")
        if i > 0:
            fmt = fmt[:i + 2] + fmt[i - 1] + "ss" + fmt[i + 2:]
    return fmt


def fmt_seconds(x: float) -> str:
    """A duration in seconds with the locale's decimal mark: "8,0 dtk", "8.0 s"."""
    return QCoreApplication.translate("time", "{seconds} s").format(seconds=QLocale().toString(float(x), "f", 1))


def _date_fmt(loc: QLocale) -> str:
    return "d MMM yyyy" if loc.language() != QLocale.Language.English else "MMM d, yyyy"


def fmt_ago(t: datetime | None, now: datetime | None = None) -> str:
    """A friendly distance: "5 minutes ago", "2 hours ago", "3 days ago"."""
    if t is None:
        return QCoreApplication.translate("time", "never")
    now = now or datetime.now(t.tzinfo)
    s = int((now - t).total_seconds())
    if s < 60:
        return QCoreApplication.translate("time", "just now")
    if s < 3600:
        return _plural("%n minute(s) ago", s // 60)
    if s < 86400:
        return _plural("%n hour(s) ago", s // 3600)
    return _plural("%n day(s) ago", s // 86400)


def fmt_in(t: datetime, now: datetime | None = None) -> str:
    """A friendly distance into the future: "in 5 minutes", "in 3 hours", "in 2 days"."""
    now = now or datetime.now(t.tzinfo)
    s = max(0, int((t - now).total_seconds()))
    if s < 3600:
        return _plural("in %n minute(s)", max(1, s // 60))
    if s < 86400:
        return _plural("in %n hour(s)", s // 3600)
    return _plural("in %n day(s)", s // 86400)


def _plural(text: str, n: int) -> str:
    return QCoreApplication.translate("time", text, None, n)


# lupdate collects these (the texts are passed through variables above)
def _collect() -> None:   # pragma: no cover - never called
    QCoreApplication.translate("time", "%n minute(s) ago", None, 1)
    QCoreApplication.translate("time", "%n hour(s) ago", None, 1)
    QCoreApplication.translate("time", "%n day(s) ago", None, 1)
    QCoreApplication.translate("time", "in %n minute(s)", None, 1)
    QCoreApplication.translate("time", "in %n hour(s)", None, 1)
    QCoreApplication.translate("time", "in %n day(s)", None, 1)
    QCoreApplication.translate("time", "{seconds} s")
