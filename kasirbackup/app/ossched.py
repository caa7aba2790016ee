"""Operating-system schedules (for when the app is not running) and start-with-login.

Each definition is generated as text (tested as text, and on Linux by the real tools where
they exist), then installed with the platform's own tool:

* Windows: a Task Scheduler task from XML (``schtasks /Create /XML``), "run as soon as
  possible after a scheduled start is missed"; start-with-login: the ``Run`` registry key.
* Linux: a systemd user timer with ``Persistent=true`` (missed runs are caught up at boot)
  or, without systemd, a crontab line; start-with-login: ``~/.config/autostart/*.desktop``.
* macOS: a launchd agent with ``StartCalendarInterval``; start-with-login: an agent with
  ``RunAtLoad``.

The start-with-login entries themselves are written by ``app/autostart.py``; ``restart_cover``
says whether anything (start with login or a system task) runs the schedules after a restart.
"""

from __future__ import annotations

import logging
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from ..core.errors import KasirBackupError
from . import autostart
from .autostart import LoginStart, sibling
from .settings import WEEKDAYS, Profile, Schedule
from .status import RestartCover

log = logging.getLogger("kasirbackup.ossched")

gui_command = autostart.gui_command                          # what the login entry starts
autostart_desktop_entry = autostart.autostart_desktop_entry

TASK_PREFIX = "KasirBackup"
CRON_TAG = "# kasirbackup:"


class ScheduleInstallFailed(KasirBackupError):
    code = "schedule-install-failed"
    template = "Could not set up the system schedule: {reason}."
    hint = "Keep KasirBackup running in the tray instead, or set up the task by hand with the command shown by 'kasirbackup schedule show'."


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)   # February: its last day, 28 or 29


def late_day_months(day: int) -> tuple[list[int], list[int]]:
    """For a monthly day past the 28th: the months that have that day, and the months that
    run on their last day instead (the app's rule: ``min(day, last day of the month)``)."""
    have = [m for m in range(1, 13) if _MONTH_DAYS[m - 1] >= day and m != 2]
    return have, [m for m in range(1, 13) if m not in have]


def command_for(profile: Profile, only_if_due: bool = False) -> list[str]:
    """The command line that runs a profile (the frozen console CLI, or this Python). It says
    ``--trigger scheduled``: a bare ``run --profile`` is a person's manual run (app/invocation.py)."""
    if getattr(sys, "frozen", False):
        # the console CLI is "kasirbackup" on Linux and "kasirbackup-cli" where file names
        # ignore case (Windows, macOS); the GUI executable also accepts CLI commands
        cli = sibling("kasirbackup-cli", "kasirbackup") or Path(sys.executable)
        cmd = [str(cli), "run", "--profile", profile.name]
    else:
        cmd = [sys.executable, "-m", "kasirbackup", "run", "--profile", profile.name]
    return cmd + ["--trigger", "scheduled"] + (["--only-if-due"] if only_if_due else [])


def _late(s: Schedule) -> bool:
    return s.kind == "monthly" and s.day_of_month > 28


def unit_name(profile: Profile) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", profile.name)[:40].strip("-") or "profile"
    return f"kasirbackup-{safe}-{profile.id}"


# -- generated definitions --------------------------------------------------------------------

def systemd_oncalendar(s: Schedule) -> list[str]:
    h, m = s.hour_minute
    t = f"{h:02d}:{m:02d}:00"
    if s.kind == "daily":
        return [f"*-*-* {t}"]
    if s.kind == "weekly":
        days = ",".join(WEEKDAYS[d].capitalize() for d in s.weekdays)
        return [f"{days} *-*-* {t}"]
    if s.kind == "monthly":
        if s.day_of_month <= 28:
            return [f"*-*-{s.day_of_month:02d} {t}"]
        # a day past the 28th runs on the last day of shorter months, like the app does
        have, short = late_day_months(s.day_of_month)
        return [f"*-{','.join(f'{x:02d}' for x in have)}-{s.day_of_month:02d} {t}",
                f"*-{','.join(f'{x:02d}' for x in short)}~01 {t}"]
    raise ValueError("schedule is off")


def _systemd_escape(text: str) -> str:
    return text.replace("%", "%%").replace("$", "$$")


def systemd_units(profile: Profile) -> dict[str, str]:
    name = unit_name(profile)
    cmd = _systemd_escape(" ".join(shlex.quote(c) for c in command_for(profile)))
    desc = _systemd_escape(profile.name)
    calendars = "".join(f"OnCalendar={c}\n" for c in systemd_oncalendar(profile.schedule))
    service = (f"[Unit]\nDescription=KasirBackup: back up {desc}\n\n"
               f"[Service]\nType=oneshot\nExecStart={cmd}\nNice=10\nIOSchedulingClass=idle\n")
    timer = (f"[Unit]\nDescription=KasirBackup schedule for {desc}\n\n"
             f"[Timer]\n{calendars}Persistent=true\n"
             f"RandomizedDelaySec=30\n\n[Install]\nWantedBy=timers.target\n")
    return {f"{name}.service": service, f"{name}.timer": timer}


def cron_line(profile: Profile) -> str:
    s = profile.schedule
    h, m = s.hour_minute
    if s.kind == "daily":
        spec = f"{m} {h} * * *"
    elif s.kind == "weekly":
        spec = f"{m} {h} * * " + ",".join(str((d + 1) % 7) for d in s.weekdays)   # cron: 0 = Sunday
    elif s.kind == "monthly":
        # cron cannot say "last day": fire on 28-31 and let the run decide (--only-if-due)
        spec = f"{m} {h} {s.day_of_month if s.day_of_month <= 28 else '28-31'} * *"
    else:
        raise ValueError("schedule is off")
    # cron ends the command at an unescaped %
    cmd = " ".join(shlex.quote(c) for c in command_for(profile, only_if_due=_late(s))).replace("%", "\\%")
    return f"{spec} {cmd} {CRON_TAG}{profile.id}"


def windows_task_xml(profile: Profile) -> str:
    s = profile.schedule
    h, m = s.hour_minute
    start = f"2025-01-01T{h:02d}:{m:02d}:00"
    if s.kind == "daily":
        sched = "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>"
    elif s.kind == "weekly":
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        days = "".join(f"<{names[d]} />" for d in s.weekdays)
        sched = f"<ScheduleByWeek><DaysOfWeek>{days}</DaysOfWeek><WeeksInterval>1</WeeksInterval></ScheduleByWeek>"
    elif s.kind == "monthly":
        names = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")

        def by_month(day: str, months: list[int]) -> str:
            ms = "".join(f"<{names[x - 1]} />" for x in months)
            return f"<ScheduleByMonth><DaysOfMonth><Day>{day}</Day></DaysOfMonth><Months>{ms}</Months></ScheduleByMonth>"
        if s.day_of_month <= 28:
            sched = by_month(str(s.day_of_month), list(range(1, 13)))
        else:
            have, short = late_day_months(s.day_of_month)
            sched = by_month(str(s.day_of_month), have)
            extra = by_month("Last", short)
    else:
        raise ValueError("schedule is off")
    triggers = [sched] + ([extra] if _late(s) else [])
    trigger_xml = "".join(f"""
    <CalendarTrigger>
      <StartBoundary>{start}</StartBoundary>
      <Enabled>true</Enabled>
      {t}
    </CalendarTrigger>""" for t in triggers)
    cmd = command_for(profile)
    args = subprocess.list2cmdline(cmd[1:])
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{escape(f"KasirBackup: back up {profile.name}")}</Description>
  </RegistrationInfo>
  <Triggers>{trigger_xml}
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT4H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(cmd[0])}</Command>
      <Arguments>{escape(args)}</Arguments>
    </Exec>
  </Actions>
</Task>
"""


def launchd_plist(profile: Profile) -> bytes:
    s = profile.schedule
    h, m = s.hour_minute
    if s.kind == "daily":
        intervals = [{"Hour": h, "Minute": m}]
    elif s.kind == "weekly":
        intervals = [{"Weekday": (d + 1) % 7, "Hour": h, "Minute": m} for d in s.weekdays]
    elif s.kind == "monthly":
        days = [s.day_of_month] if s.day_of_month <= 28 else [28, 29, 30, 31]
        intervals = [{"Day": d, "Hour": h, "Minute": m} for d in days]
    else:
        raise ValueError("schedule is off")
    return plistlib.dumps({"Label": f"id.kasirbackup.{profile.id}",
                           "ProgramArguments": command_for(profile, only_if_due=_late(s)),
                           "StartCalendarInterval": intervals, "ProcessType": "Background"})


# -- installing ---------------------------------------------------------------------------------

@dataclass(slots=True)
class Installed:
    method: str
    where: str


def _run(cmd: list[str], input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, input=input_text, capture_output=True, text=True)


def _systemd_user_available() -> bool:
    if not shutil.which("systemctl"):
        return False
    return _run(["systemctl", "--user", "show-environment"]).returncode == 0


def install(profile: Profile, home: Path | None = None) -> Installed:
    if profile.schedule.kind == "off":
        raise ScheduleInstallFailed(reason=f"profile {profile.name} has no schedule (it is off)")
    home = home or Path.home()
    if sys.platform == "win32":
        xml = home / "AppData" / "Local" / "kasirbackup" / f"{unit_name(profile)}.xml"
        xml.parent.mkdir(parents=True, exist_ok=True)
        xml.write_text(windows_task_xml(profile), encoding="utf-16")
        r = _run(["schtasks", "/Create", "/XML", str(xml), "/TN", f"{TASK_PREFIX}\\{unit_name(profile)}", "/F"])
        if r.returncode:
            raise ScheduleInstallFailed(reason=(r.stderr or r.stdout).strip())
        return Installed("windows-task", f"{TASK_PREFIX}\\{unit_name(profile)}")
    if sys.platform == "darwin":
        path = home / "Library" / "LaunchAgents" / f"id.kasirbackup.{profile.id}.plist"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(launchd_plist(profile))
        _run(["launchctl", "unload", str(path)])
        r = _run(["launchctl", "load", str(path)])
        if r.returncode:
            raise ScheduleInstallFailed(reason=(r.stderr or r.stdout).strip())
        return Installed("launchd", str(path))
    if _systemd_user_available():
        folder = home / ".config" / "systemd" / "user"
        folder.mkdir(parents=True, exist_ok=True)
        for fname, text in systemd_units(profile).items():
            (folder / fname).write_text(text, encoding="utf-8")
        r = _run(["systemctl", "--user", "daemon-reload"])
        r = r if r.returncode else _run(["systemctl", "--user", "enable", "--now", f"{unit_name(profile)}.timer"])
        if r.returncode:
            raise ScheduleInstallFailed(reason=(r.stderr or r.stdout).strip())
        return Installed("systemd-timer", str(folder / f"{unit_name(profile)}.timer"))
    if shutil.which("crontab"):
        current = _run(["crontab", "-l"])
        lines = [ln for ln in (current.stdout.splitlines() if current.returncode == 0 else [])
                 if not ln.endswith(f"{CRON_TAG}{profile.id}")]
        lines.append(cron_line(profile))
        r = _run(["crontab", "-"], "\n".join(lines) + "\n")
        if r.returncode:
            raise ScheduleInstallFailed(reason=(r.stderr or r.stdout).strip())
        return Installed("crontab", "the user's crontab")
    raise ScheduleInstallFailed(reason="neither systemd (user session) nor crontab is available")


def uninstall(profile: Profile, home: Path | None = None) -> list[str]:
    """Remove whatever system schedule exists for the profile; returns what was removed."""
    home = home or Path.home()
    removed = []
    if sys.platform == "win32":
        r = _run(["schtasks", "/Delete", "/TN", f"{TASK_PREFIX}\\{unit_name(profile)}", "/F"])
        if r.returncode == 0:
            removed.append("windows-task")
        return removed
    if sys.platform == "darwin":
        path = home / "Library" / "LaunchAgents" / f"id.kasirbackup.{profile.id}.plist"
        if path.exists():
            _run(["launchctl", "unload", str(path)])
            path.unlink()
            removed.append(str(path))
        return removed
    folder = home / ".config" / "systemd" / "user"
    timer = folder / f"{unit_name(profile)}.timer"
    if timer.exists():
        if shutil.which("systemctl"):
            _run(["systemctl", "--user", "disable", "--now", timer.name])
        for fname in systemd_units(profile):
            (folder / fname).unlink(missing_ok=True)
        removed.append(str(timer))
    if shutil.which("crontab"):
        current = _run(["crontab", "-l"])
        if current.returncode == 0 and CRON_TAG + profile.id in current.stdout:
            lines = [ln for ln in current.stdout.splitlines() if not ln.endswith(f"{CRON_TAG}{profile.id}")]
            _run(["crontab", "-"], "\n".join(lines) + "\n")
            removed.append("crontab line")
    return removed


# -- start with login ---------------------------------------------------------------------------

def set_start_with_login(enabled: bool, home: Path | None = None) -> str:
    """Create or remove the autostart entry (app/autostart.py); returns where it lives."""
    return LoginStart(home=home).set(enabled)


def os_task_installed(profile: Profile, home: Path | None = None) -> bool:
    """Whether a system schedule made by ``install`` exists for the profile. On a worker: it may
    ask ``schtasks`` or ``crontab``."""
    home = home or Path.home()
    try:
        if sys.platform == "win32":
            r = _run(["schtasks", "/Query", "/TN", f"{TASK_PREFIX}\\{unit_name(profile)}"])
            return r.returncode == 0
        if sys.platform == "darwin":
            return (home / "Library" / "LaunchAgents" / f"id.kasirbackup.{profile.id}.plist").exists()
        if (home / ".config" / "systemd" / "user" / f"{unit_name(profile)}.timer").exists():
            return True
        if shutil.which("crontab"):
            r = _run(["crontab", "-l"])
            return r.returncode == 0 and f"{CRON_TAG}{profile.id}" in r.stdout
    except OSError:
        log.warning("could not find out whether a system schedule exists", exc_info=True)
    return False


def restart_cover(profiles: list[Profile], login: LoginStart,
                  has_task: Callable[[Profile], bool] = os_task_installed) -> RestartCover:
    """What starts scheduled backups again after the computer restarts: start with login, else
    each scheduled profile's system task (asked only when start with login is off). On a worker."""
    if login.is_on():
        return RestartCover(login_start=True)
    return RestartCover(login_start=False, os_tasks=frozenset(
        p.name for p in profiles if p.schedule.kind != "off" and has_task(p)))
