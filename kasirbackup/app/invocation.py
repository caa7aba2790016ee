"""Who started ``kasirbackup run --profile NAME``: a person, or a system scheduler.

The run is recorded (in the history and as the backup's kind) by what the command line says:

* ``--trigger scheduled`` (or ``catch-up``, ``retry``, ``manual``) is always believed. The system
  tasks that ``kasirbackup schedule install`` writes pass ``--trigger scheduled``
  (``ossched.command_for``).
* Without ``--trigger`` the run is **manual** — a person typed it — except for the tasks that
  older versions installed, which run ``run --profile NAME`` alone. Those are still told
  apart where that is certain enough:

  - ``--only-if-due``: only system timers pass it (it exists for their "last day of the month");
  - the process was started by a system scheduler: the first of its ancestors that is not a
    shell (``sh -c``, ``cmd /c``) is cron, systemd or launchd (a system timer's service), or
    Windows' Task Scheduler (``svchost.exe``, ``taskeng.exe``). A person's command has a
    terminal, ``sshd``, ``login`` or Explorer there instead.

Whether standard input is a terminal is *not* used: a person's run from a script or a remote
session has none either. Reinstalling the task (``kasirbackup schedule install``) adds the flag.
"""

from __future__ import annotations

import logging
import os

from .history import Trigger

log = logging.getLogger("kasirbackup.invocation")

#: processes that start scheduled tasks (lower case; Windows names with .exe)
SCHEDULERS = frozenset({"cron", "crond", "anacron", "fcron", "systemd", "launchd",
                        "svchost.exe", "taskeng.exe", "taskhostw.exe"})
#: wrappers a task may run the command through; looked past
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox", "fish", "env",
                    "cmd.exe", "powershell.exe", "pwsh", "pwsh.exe"})


def started_by_scheduler(pid: int | None = None) -> bool:
    """Whether the process ``pid`` (default: this one) was started by a system scheduler."""
    try:
        import psutil

        proc = psutil.Process(pid or os.getpid())
        for _ in range(8):
            proc = proc.parent()
            if proc is None:
                return False
            name = proc.name().lower()
            if name not in SHELLS:
                return name in SCHEDULERS
    except Exception:            # psutil.Error, an unreadable /proc: not known, so a person's run
        log.debug("cannot tell who started this run", exc_info=True)
    return False


def run_trigger(given: str | None, only_if_due: bool = False) -> Trigger:
    """The trigger of ``kasirbackup run``: ``given`` (``--trigger``) if any, else manual unless
    an old system task can be recognised (see the module's description)."""
    if given:
        return Trigger(given)
    if only_if_due or started_by_scheduler():
        return Trigger.SCHEDULED
    return Trigger.MANUAL
