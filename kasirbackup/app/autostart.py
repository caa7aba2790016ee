"""Start with login: what makes the desktop app start (in the tray) when the user logs in, so
that scheduled backups survive a restart of the computer.

One ``LoginStart`` per platform, each testable on any system (the home folder, the XDG config
folder and the ``winreg`` module are passed in):

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/kasirbackup.desktop``
  (``~/.config/autostart``), its ``Exec`` line quoted as the Desktop Entry spec says;
* Windows: the value ``KasirBackup`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``;
* macOS: the launch agent ``~/Library/LaunchAgents/id.kasirbackup.app.plist`` with ``RunAtLoad``
  (launchd loads it at the next login; it is not started now, the app is running already).

``is_on`` reports the real state (an entry that starts a program which no longer exists is
off), not what the settings file remembers.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "KasirBackup"
AGENT_LABEL = "id.kasirbackup.app"
DESKTOP_NAME = "kasirbackup.desktop"

#: characters that make the Desktop Entry spec require a quoted argument
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def sibling(*names: str) -> Path | None:
    """An executable of the frozen one-folder app, next to the running one."""
    exe = Path(sys.executable)
    for name in names:
        for candidate in (exe.with_name(name + ".exe"), exe.with_name(name)) if os.name == "nt" else (exe.with_name(name),):
            if candidate.exists() and candidate.is_file():
                return candidate
    return None


def gui_command() -> list[str]:
    """What starts the desktop app in the tray at login (also when the CLI writes it)."""
    if getattr(sys, "frozen", False):
        gui = sibling("KasirBackup") or Path(sys.executable)
        return [str(gui), "--minimized"]
    return [sys.executable, "-m", "kasirbackup", "gui", "--minimized"]


# -- the Desktop Entry Exec key ------------------------------------------------------------------

def _exec_arg(arg: str) -> str:
    arg = arg.replace("%", "%%")                     # a lone % starts a field code
    if arg and not (set(arg) & _RESERVED):
        return arg
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{quoted}"'


def desktop_exec(args: list[str]) -> str:
    """The value of ``Exec=`` for ``args``: arguments quoted with double quotes where the spec
    requires it, then escaped as a desktop-file string (a backslash is written twice)."""
    line = " ".join(_exec_arg(a) for a in args)
    return line.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def parse_desktop_exec(value: str) -> list[str]:
    """The arguments of an ``Exec=`` value (the inverse of ``desktop_exec``): the desktop-file
    string escapes first, then the spec's quoting (double quotes, ``\\`` before ``" ` $ \\``)."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    line, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            line.append(escapes.get(value[i + 1], "\\" + value[i + 1]))
            i += 2
        else:
            line.append(value[i])
            i += 1
    text = "".join(line)
    args: list[str] = []
    cur: list[str] | None = None          # the argument being read (None: between arguments)
    quoted, i = False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            cur.append(text[i + 1])
            i += 1
        elif c == '"':
            quoted = not quoted
            cur = cur if cur is not None else []
        elif c == " " and not quoted:
            if cur is not None:
                args.append("".join(cur))
            cur = None
        else:
            cur = cur if cur is not None else []
            cur.append(c)
        i += 1
    if cur is not None:
        args.append("".join(cur))
    return [a.replace("%%", "%") for a in args]


def autostart_desktop_entry(command: list[str] | None = None) -> str:
    cmd = desktop_exec(command or gui_command())
    return ("[Desktop Entry]\nType=Application\nName=KasirBackup\nComment=Backups of the shop database\n"
            f"Exec={cmd}\nIcon=kasirbackup\nTerminal=false\nX-GNOME-Autostart-enabled=true\n")


def launch_agent_plist(command: list[str] | None = None) -> bytes:
    return plistlib.dumps({"Label": AGENT_LABEL, "ProgramArguments": command or gui_command(),
                           "RunAtLoad": True, "LimitLoadToSessionType": "Aqua", "ProcessType": "Interactive"})


def _windows_program(value: str) -> str:
    """The program of a Windows command line (quoted, or up to the first space)."""
    value = value.strip()
    if value.startswith('"'):
        return value[1:].split('"', 1)[0]
    return value.split(" ", 1)[0]


def _exists(program: str) -> bool:
    try:
        return bool(program) and Path(program).is_file()
    except OSError:
        return False


# -- the switch ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LoginStart:
    """Start-with-login on one platform. ``home`` None: the user's home folder at the time of the
    call; ``config_home`` None: ``$XDG_CONFIG_HOME`` when ``home`` is not given, else
    ``home/.config``; ``winreg`` None: the real module (imported on Windows only)."""

    platform: str = sys.platform
    home: Path | None = None
    config_home: Path | None = None
    winreg: Any = None
    command: Callable[[], list[str]] = gui_command

    # -- where --------------------------------------------------------------------------------
    def _home(self) -> Path:
        return Path(self.home) if self.home is not None else Path.home()

    def desktop_file(self) -> Path:
        if self.config_home is not None:
            base = Path(self.config_home)
        elif self.home is None and os.path.isabs(os.environ.get("XDG_CONFIG_HOME", "")):
            base = Path(os.environ["XDG_CONFIG_HOME"])
        else:
            base = self._home() / ".config"
        return base / "autostart" / DESKTOP_NAME

    def agent_file(self) -> Path:
        return self._home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"

    def where(self) -> str:
        if self.platform == "win32":
            return "HKCU\\" + RUN_KEY + "\\" + RUN_VALUE
        return str(self.agent_file() if self.platform == "darwin" else self.desktop_file())

    def _reg(self):
        if self.winreg is not None:
            return self.winreg
        import winreg      # Windows only; never reached elsewhere

        return winreg

    # -- state --------------------------------------------------------------------------------
    def is_on(self) -> bool:
        """Does something start KasirBackup at the next login (a program that exists)?"""
        try:
            if self.platform == "win32":
                reg = self._reg()
                with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_QUERY_VALUE) as key:
                    value, _kind = reg.QueryValueEx(key, RUN_VALUE)
                return _exists(_windows_program(str(value)))
            if self.platform == "darwin":
                data = plistlib.loads(self.agent_file().read_bytes())
                args = data.get("ProgramArguments") or []
                return bool(data.get("RunAtLoad")) and not data.get("Disabled") and bool(args) and _exists(args[0])
            return self._desktop_entry_on()
        except (OSError, ValueError, plistlib.InvalidFileException, AttributeError, TypeError):
            return False

    def _desktop_entry_on(self) -> bool:
        entry: dict[str, str] = {}
        section = ""
        for line in self.desktop_file().read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("["):
                section = line
            elif section == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                entry[k.strip()] = v.strip()
        if entry.get("Hidden", "").lower() == "true" or entry.get("X-GNOME-Autostart-enabled", "").lower() == "false":
            return False
        args = parse_desktop_exec(entry.get("Exec", ""))
        return bool(args) and _exists(args[0])

    def set(self, enabled: bool) -> str:
        """Create or remove the entry; returns where it lives. Raises OSError."""
        if self.platform == "win32":
            reg = self._reg()
            with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                if enabled:
                    reg.SetValueEx(key, RUN_VALUE, 0, reg.REG_SZ, subprocess.list2cmdline(self.command()))
                else:
                    try:
                        reg.DeleteValue(key, RUN_VALUE)
                    except FileNotFoundError:
                        pass
            return self.where()
        path = self.agent_file() if self.platform == "darwin" else self.desktop_file()
        if enabled:
            data = launch_agent_plist(self.command()) if self.platform == "darwin" else \
                autostart_desktop_entry(self.command()).encode("utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        else:
            path.unlink(missing_ok=True)
        return str(path)
