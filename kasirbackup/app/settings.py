"""Profiles and settings: which database goes to which repositories, when, and what is kept.

Stored as ``settings.json`` in the per-user config folder, with a schema version. Before a
file written by an older version is migrated, a copy of it is kept beside it
(``settings.json.v<N>.bak``). The file is untrusted input: it is validated and a damaged
file gives a clear error instead of silently losing the user's profiles.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..core.errors import KasirBackupError
from ..core.retention.policy import Duration, Policy
from .paths import config_dir

SETTINGS_VERSION = 1
MAX_SETTINGS_BYTES = 4 * 1024 * 1024
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXPORT_FORMATS = ("csv", "json", "xlsx", "sql")    # = core.exports.FORMATS (not imported: it loads openpyxl)


class SettingsDamaged(KasirBackupError):
    code = "settings-damaged"
    template = "The settings file {path} cannot be read: {reason}."
    hint = "A copy was kept as {backup}; fix or remove the file and set up the profile again."


class SettingsTooNew(KasirBackupError):
    code = "settings-too-new"
    template = "The settings file {path} was written by a newer version of KasirBackup (settings version {version})."
    hint = "Update KasirBackup."


class ProfileNotFound(KasirBackupError):
    code = "profile-not-found"
    template = "There is no profile named {name}."
    hint = "Profiles: {names}."


class ProfileExists(KasirBackupError):
    code = "profile-exists"
    template = "A profile named {name} exists already."
    hint = "Choose another name, or remove the old profile first."


class BadSchedule(KasirBackupError):
    code = "bad-schedule"
    template = "{text} is not a schedule."
    hint = "Examples: continuous, continuous:120, daily@23:00, weekly:mon,thu@22:30, monthly:1@23:00, off."


CONTINUOUS_WITHIN = "2h"
CONTINUOUS_HOURLY = 48
DEFAULT_CONTINUOUS = 60        # seconds: "every sale protected within a minute"
MIN_CONTINUOUS = 10
MAX_CONTINUOUS = 86400


@dataclass(slots=True)
class Schedule:
    """When a profile runs: daily at a time, weekly on chosen weekdays, monthly on a day."""

    kind: str = "daily"                   # daily | weekly | monthly | off
    time: str = "23:00"                   # HH:MM, local time
    weekdays: list[int] = field(default_factory=lambda: list(range(7)))   # 0 = Monday
    day_of_month: int = 1                 # 1..31 (a short month runs on its last day)
    #: continuous protection: a snapshot at most this many seconds after a change (0: off).
    #: The daily/weekly/monthly run above stays: the full check and the off-site copies.
    continuous: int = 0
    #: how often off-site places follow a continuous snapshot, in seconds (0: 15 minutes for
    #: online storage, with every snapshot for a folder)
    offsite_every: int = 0

    def validate(self) -> None:
        if self.kind not in ("daily", "weekly", "monthly", "off"):
            raise BadSchedule(text=self.kind)
        if not isinstance(self.continuous, int) or not (self.continuous == 0 or
                                                        MIN_CONTINUOUS <= self.continuous <= MAX_CONTINUOUS):
            raise BadSchedule(text=f"continuous:{self.continuous}")
        if not isinstance(self.offsite_every, int) or not 0 <= self.offsite_every <= MAX_CONTINUOUS:
            raise BadSchedule(text=f"off-site every {self.offsite_every} s")
        m = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", self.time)
        if not m:
            raise BadSchedule(text=self.time)
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise BadSchedule(text=str(self.weekdays))
        if not 1 <= self.day_of_month <= 31:
            raise BadSchedule(text=str(self.day_of_month))

    @property
    def active(self) -> bool:
        """Does anything run on its own (a nightly run or continuous protection)?"""
        return self.kind != "off" or self.continuous > 0

    @property
    def hour_minute(self) -> tuple[int, int]:
        h, m = self.time.split(":")
        return int(h), int(m)

    @classmethod
    def parse(cls, text: str) -> "Schedule":
        """``daily@HH:MM``, ``weekly:DAYS@HH:MM``, ``monthly:DAY@HH:MM``, ``off``, or
        ``continuous[:SECONDS]`` optionally followed by ``+`` and the nightly schedule
        (default ``daily@23:00``: the full check and the off-site copy)."""
        t = text.strip().lower()
        m = re.fullmatch(r"continuous(?::(\d{1,6}))?(?:\+(.+))?", t)
        if m:
            s = cls.parse(m.group(2)) if m.group(2) else cls()
            if m.group(2) and m.group(2).startswith("continuous"):
                raise BadSchedule(text=text)
            s.continuous = int(m.group(1)) if m.group(1) else DEFAULT_CONTINUOUS
            if s.continuous < MIN_CONTINUOUS:       # (0 in settings.json means "off"; here it is a mistake)
                raise BadSchedule(text=text)
            try:
                s.validate()
            except BadSchedule:
                raise BadSchedule(text=text) from None
            return s
        if t in ("off", "none", "manual"):
            return cls(kind="off")
        m = re.fullmatch(r"daily@(\d{1,2}:\d{2})", t)
        if m:
            s = cls("daily", _hhmm(m.group(1)))
        elif (m := re.fullmatch(r"weekly:([a-z,]+)@(\d{1,2}:\d{2})", t)):
            days = [d.strip()[:3] for d in m.group(1).split(",") if d.strip()]
            if any(d not in WEEKDAYS for d in days):
                raise BadSchedule(text=text)
            s = cls("weekly", _hhmm(m.group(2)), sorted({WEEKDAYS.index(d) for d in days}))
        elif (m := re.fullmatch(r"monthly:(\d{1,2})@(\d{1,2}:\d{2})", t)):
            s = cls("monthly", _hhmm(m.group(2)), day_of_month=int(m.group(1)))
        else:
            raise BadSchedule(text=text)
        s.validate()
        return s

    def describe(self) -> str:
        if self.continuous:
            nightly = Schedule(self.kind, self.time, self.weekdays, self.day_of_month).describe()
            return f"continuous:{self.continuous}" + ("" if nightly == "daily@23:00" else f"+{nightly}")
        if self.kind == "off":
            return "off"
        if self.kind == "daily":
            return f"daily@{self.time}"
        if self.kind == "weekly":
            return f"weekly:{','.join(WEEKDAYS[d] for d in self.weekdays)}@{self.time}"
        return f"monthly:{self.day_of_month}@{self.time}"


def _hhmm(text: str) -> str:
    h, m = text.split(":")
    return f"{int(h):02d}:{m}"


@dataclass(slots=True)
class Retention:
    keep_last: int = 10
    keep_hourly: int = 0
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    keep_yearly: int = 0
    keep_within: str = ""

    def thin_continuous(self) -> None:
        """The rules continuous protection adds unless they were set: every snapshot of the
        last 2 hours, then one per hour for 2 days; the daily/weekly/monthly rules go on
        from there (a minutely snapshot is otherwise only ``keep_last``)."""
        if not self.keep_within:
            self.keep_within = CONTINUOUS_WITHIN
        if not self.keep_hourly:
            self.keep_hourly = CONTINUOUS_HOURLY

    def policy(self) -> Policy:
        return Policy(self.keep_last, self.keep_hourly, self.keep_daily, self.keep_weekly, self.keep_monthly,
                      self.keep_yearly, Duration.parse(self.keep_within) if self.keep_within else None)


@dataclass(slots=True)
class Profile:
    name: str
    db_path: str
    repos: list[str]
    schedule: Schedule = field(default_factory=Schedule)
    retention: Retention = field(default_factory=Retention)
    prune_after_backup: bool = True
    plain_copy: bool = False
    id: str = field(default_factory=lambda: secrets.token_hex(6))
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    exports: list[str] = field(default_factory=list)   # formats exported after each scheduled backup
    #: folders of files that belong to the database (product photos, receipts), stored in
    #: the same snapshots (core/attachments)
    attachments: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, d: dict) -> "Profile":
        p = cls(name=str(d["name"]), db_path=str(d["db_path"]), repos=[str(r) for r in d["repos"]],
                schedule=Schedule(**d.get("schedule", {})), retention=Retention(**d.get("retention", {})),
                prune_after_backup=bool(d.get("prune_after_backup", True)),
                plain_copy=bool(d.get("plain_copy", False)), id=str(d.get("id") or secrets.token_hex(6)),
                created_at=str(d.get("created_at") or ""), exports=_export_list(d.get("exports", [])),
                attachments=_folder_list(d.get("attachments", [])))
        p.validate()
        return p

    def validate(self) -> None:
        if not self.name.strip() or len(self.name) > 100:
            raise ValueError("a profile needs a name of 1 to 100 characters")
        if any(ord(c) < 32 or ord(c) == 127 for c in self.name):
            raise ValueError("a profile name cannot contain control characters")
        if self.created_at:
            datetime.fromisoformat(self.created_at)
        if not self.repos:
            raise ValueError(f"profile {self.name} has no backup location")
        self.schedule.validate()
        self.retention.policy()
        if any(f not in EXPORT_FORMATS for f in self.exports):
            raise ValueError(f"unknown export format in {self.exports} (known: {', '.join(EXPORT_FORMATS)})")


def _folder_list(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(f, str) and f.strip() for f in value):
        raise ValueError("attachments must be a list of folders")
    return list(dict.fromkeys(value))


def _export_list(value: object) -> list[str]:
    if not isinstance(value, list):
        raise ValueError("exports must be a list of formats")
    return list(dict.fromkeys(str(f).lower() for f in value))


@dataclass(slots=True)
class UnusableProfile:
    """A profile in settings.json that does not load (a schedule that does not parse, a
    missing field): kept exactly as written, so that saving the settings loses nothing, and
    never a reason for the other profiles to stop."""
    name: str
    raw: object
    reason: str                                 # one line, without a final full stop
    error: KasirBackupError | None = None       # the cause, for a window to say in its language


class ProfileUnusable(KasirBackupError):
    code = "profile-unusable"
    template = "The profile {name} in the settings cannot be used: {reason}."
    hint = ("Fix it in the settings file, or remove it with 'kasirbackup profile remove {name}' and add it "
            "again; the other profiles work as usual.")


def _profiles(items: object) -> tuple[list[Profile], list[UnusableProfile]]:
    if not isinstance(items, list):
        raise ValueError("profiles must be a list")
    good: list[Profile] = []
    bad: list[UnusableProfile] = []
    for raw in items:
        name = str(raw.get("name", "")) if isinstance(raw, dict) else ""
        try:
            good.append(Profile.from_json(raw))
        except KasirBackupError as exc:
            bad.append(UnusableProfile(name or "?", raw, exc.message().rstrip(". "), exc))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            bad.append(UnusableProfile(name or "?", raw, (str(exc) or type(exc).__name__).rstrip(". ")))
    return good, bad


@dataclass(slots=True)
class Settings:
    profiles: list[Profile] = field(default_factory=list)
    language: str = ""              # "" follows the system; "id" or "en"
    start_with_login: bool = False
    notify_success: bool = False
    tray_notice_shown: bool = False     # "still running in the tray" was said once, on the first close
    unusable: list[UnusableProfile] = field(default_factory=list)

    def profile(self, name: str) -> Profile:
        for p in self.profiles:
            if p.name == name:
                return p
        for u in self.unusable:
            if u.name == name:
                raise ProfileUnusable(name=name, reason=u.reason)
        raise ProfileNotFound(name=name, names=", ".join(p.name for p in self.profiles) or "none yet")

    def forget_unusable(self, name: str) -> bool:
        before = len(self.unusable)
        self.unusable = [u for u in self.unusable if u.name != name]
        return len(self.unusable) != before


class SettingsStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or config_dir()
        self.path = self.folder / "settings.json"

    def load(self) -> Settings:
        try:
            if self.path.stat().st_size > MAX_SETTINGS_BYTES:
                raise SettingsDamaged(path=str(self.path), reason="the file is far too large",
                                      backup=str(self.path))
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Settings()
        try:
            d = json.loads(raw.decode("utf-8"))
            if not isinstance(d, dict):
                raise ValueError("not a JSON object")
            version = d.get("version", 0)
            if not isinstance(version, int):
                raise ValueError("no version number")
            if version > SETTINGS_VERSION:
                raise SettingsTooNew(path=str(self.path), version=version)
            if version < SETTINGS_VERSION:
                self._keep_copy(raw, version)
                d = migrate(d)
            profiles, unusable = _profiles(d.get("profiles", []))
            settings = Settings(profiles=profiles, unusable=unusable,
                                language=str(d.get("language", "")),
                                start_with_login=bool(d.get("start_with_login", False)),
                                notify_success=bool(d.get("notify_success", False)),
                                tray_notice_shown=bool(d.get("tray_notice_shown", False)))
            names = [p.name for p in settings.profiles]
            if len(names) != len(set(names)):
                raise ValueError("two profiles have the same name")
            return settings
        except SettingsTooNew:
            raise
        except KasirBackupError as exc:        # e.g. a schedule or duration that does not parse
            backup = self._keep_copy(raw, "damaged")
            raise SettingsDamaged(path=str(self.path), reason=exc.message(), backup=str(backup)) from None
        except RecursionError:
            backup = self._keep_copy(raw, "damaged")
            raise SettingsDamaged(path=str(self.path), reason="its values are nested far too deeply",
                                  backup=str(backup)) from None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            backup = self._keep_copy(raw, "damaged")
            raise SettingsDamaged(path=str(self.path), reason=str(exc), backup=str(backup)) from None

    def _keep_copy(self, raw: bytes, tag) -> Path:
        """Keep the bytes as they are before anything is changed; never overwrite an
        older copy with different content (each different content gets its own name)."""
        dest = self.path.with_name(f"settings.json.v{tag}.bak")
        n = 1
        while dest.exists() and dest.read_bytes() != raw:
            n += 1
            dest = self.path.with_name(f"settings.json.v{tag}.{n}.bak")
        if not dest.exists():
            dest.write_bytes(raw)
        return dest

    def save(self, settings: Settings) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = {"version": SETTINGS_VERSION, "language": settings.language,
                "start_with_login": settings.start_with_login, "notify_success": settings.notify_success,
                "tray_notice_shown": settings.tray_notice_shown,
                "profiles": [asdict(p) for p in settings.profiles] + [u.raw for u in settings.unusable]}
        tmp = self.path.with_suffix(".json.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


def migrate(d: dict) -> dict:
    """Bring an older settings document up to SETTINGS_VERSION, one step at a time."""
    version = d.get("version", 0)
    if version == 0:
        # before versioning: a single profile was stored flat as {"db": ..., "repo": ...}
        if "db" in d and "repo" in d:
            d = {"profiles": [{"name": Path(str(d["db"])).stem or "default", "db_path": d["db"],
                               "repos": [d["repo"]]}]}
        d["version"] = 1
    return d
