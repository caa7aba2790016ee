"""Start with login (kasirbackup.app.autostart), each platform's code run here: the XDG desktop
entry in a temporary home, the Windows Run key through a fake ``winreg`` module, the macOS
launch agent in a temporary home. The real ~/.config/autostart and registry are never touched.
Also ``ossched.restart_cover``: what starts the schedules after a restart."""

from __future__ import annotations

import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kasirbackup.app import ossched
from kasirbackup.app.autostart import (RUN_KEY, RUN_VALUE, LoginStart, desktop_exec, gui_command,
                                       parse_desktop_exec)
from kasirbackup.app.settings import Profile, Schedule


def entry_of(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(ln.split("=", 1) for ln in lines[1:] if "=" in ln)


# -- Linux and other XDG desktops -------------------------------------------------------------------

def test_desktop_entry_on_and_off(tmp_path):
    login = LoginStart(platform="linux", home=tmp_path / "home")
    assert not login.is_on()
    where = login.set(True)
    path = tmp_path / "home" / ".config" / "autostart" / "kasirbackup.desktop"
    assert where == str(path) == login.where()
    entry = entry_of(path)
    assert entry["Type"] == "Application" and entry["Name"] == "KasirBackup" and entry["Terminal"] == "false"
    assert parse_desktop_exec(entry["Exec"]) == gui_command() == [sys.executable, "-m", "kasirbackup", "gui",
                                                                 "--minimized"]
    assert shlex.split(entry["Exec"]) == gui_command()            # what desktops (GLib) parse it as
    assert login.is_on()
    text = path.read_text(encoding="utf-8")
    login.set(True)                                                # idempotent
    assert path.read_text(encoding="utf-8") == text
    login.set(False)
    assert not path.exists() and not login.is_on()
    login.set(False)                                               # already off: no error


def test_desktop_entry_exec_is_quoted_as_the_spec_says(tmp_path):
    odd = str(tmp_path / "Program Files" / "Kasir \"Backup\" 100%" / "kasir$app`x\\y")
    cmd = [odd, "--minimized"]
    line = desktop_exec(cmd)
    # double quotes around the argument with reserved characters, " ` $ \ escaped inside them,
    # % doubled, and the backslashes doubled once more for the desktop file's string escapes
    assert line.startswith('"') and "'" not in line.split('"')[0]
    assert "%%" in line and "100%%" in line
    assert line == '"' + odd.replace("%", "%%").replace("\\", "\\\\\\\\").replace('"', '\\\\"') \
        .replace("$", "\\\\$").replace("`", "\\\\`") + '" --minimized'
    assert parse_desktop_exec(line) == cmd
    login = LoginStart(platform="linux", home=tmp_path / "home", command=lambda: cmd)
    login.set(True)
    assert parse_desktop_exec(entry_of(Path(login.where()))["Exec"]) == cmd


def test_desktop_entry_follows_xdg_config_home_only_for_the_real_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "realhome"))
    assert LoginStart(platform="linux").desktop_file() == tmp_path / "xdg" / "autostart" / "kasirbackup.desktop"
    assert LoginStart(platform="linux", home=tmp_path / "h").desktop_file() == \
        tmp_path / "h" / ".config" / "autostart" / "kasirbackup.desktop"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert LoginStart(platform="linux").desktop_file() == \
        tmp_path / "realhome" / ".config" / "autostart" / "kasirbackup.desktop"
    assert ossched.set_start_with_login(True) == str(tmp_path / "realhome" / ".config" / "autostart" /
                                                     "kasirbackup.desktop")


def test_an_entry_that_cannot_start_anything_is_off(tmp_path):
    login = LoginStart(platform="linux", home=tmp_path)
    path = login.desktop_file()
    path.parent.mkdir(parents=True)
    path.write_text("[Desktop Entry]\nType=Application\nExec=/nowhere/KasirBackup --minimized\n")
    assert not login.is_on()                                       # the app was moved or removed
    login.set(True)
    assert login.is_on()
    path.write_text(path.read_text() + "Hidden=true\n")
    assert not login.is_on()                                       # the desktop's own "off"


# -- Windows: the Run key ------------------------------------------------------------------------------

class FakeWinreg:
    """The part of ``winreg`` the Run key needs, over a dict (``{(root, path): {name: (value, type)}}``)."""
    HKEY_CURRENT_USER = "HKCU"
    KEY_QUERY_VALUE = 1
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}

    class _Key:
        def __init__(self, values: dict) -> None:
            self.values = values

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            pass

    def OpenKey(self, root, path, reserved=0, access=KEY_QUERY_VALUE):
        if (root, path) not in self.keys:
            raise FileNotFoundError(path)
        return self._Key(self.keys[(root, path)])

    def CreateKeyEx(self, root, path, reserved=0, access=KEY_SET_VALUE):
        return self._Key(self.keys.setdefault((root, path), {}))

    def SetValueEx(self, key, name, reserved, kind, value) -> None:
        key.values[name] = (value, kind)

    def QueryValueEx(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name]

    def DeleteValue(self, key, name) -> None:
        if name not in key.values:
            raise FileNotFoundError(name)
        del key.values[name]


def test_windows_run_key_on_and_off(tmp_path):
    reg = FakeWinreg()
    exe = str(tmp_path / "Program Files" / "KasirBackup" / "KasirBackup.exe")
    Path(exe).parent.mkdir(parents=True)
    Path(exe).write_bytes(b"MZ")
    login = LoginStart(platform="win32", home=tmp_path, winreg=reg, command=lambda: [exe, "--minimized"])
    assert not login.is_on()
    where = login.set(True)
    assert where == r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run\KasirBackup"
    value, kind = reg.keys[("HKCU", RUN_KEY)][RUN_VALUE]
    assert kind == reg.REG_SZ
    assert value == f'"{exe}" --minimized' == subprocess.list2cmdline([exe, "--minimized"])
    assert login.is_on()
    login.set(False)
    assert RUN_VALUE not in reg.keys[("HKCU", RUN_KEY)] and not login.is_on()
    login.set(False)                                               # already off: no error
    assert not (tmp_path / ".config").exists()                     # nothing written to files


def test_windows_run_key_of_a_removed_program_is_off(tmp_path):
    reg = FakeWinreg()
    reg.keys[("HKCU", RUN_KEY)] = {RUN_VALUE: ('"C:\\Old\\KasirBackup.exe" --minimized', 1)}
    assert not LoginStart(platform="win32", winreg=reg).is_on()


# -- macOS: a launch agent ----------------------------------------------------------------------------

def test_macos_launch_agent_on_and_off(tmp_path):
    login = LoginStart(platform="darwin", home=tmp_path)
    assert not login.is_on()
    where = login.set(True)
    path = tmp_path / "Library" / "LaunchAgents" / "id.kasirbackup.app.plist"
    assert where == str(path)
    data = plistlib.loads(path.read_bytes())
    assert data["Label"] == "id.kasirbackup.app"
    assert data["ProgramArguments"] == gui_command()
    assert data["RunAtLoad"] is True
    assert data["LimitLoadToSessionType"] == "Aqua"
    assert "StartCalendarInterval" not in data
    assert login.is_on()
    login.set(False)
    assert not path.exists() and not login.is_on()


# -- what starts the schedules after a restart ------------------------------------------------------

def test_restart_cover(tmp_path):
    toko = Profile("Toko", "/db/t.db", ["/b/t"], schedule=Schedule())
    kop = Profile("Koperasi", "/db/k.db", ["/b/k"], schedule=Schedule())
    manual = Profile("Gudang", "/db/g.db", ["/b/g"], schedule=Schedule(kind="off"))
    login = LoginStart(platform="linux", home=tmp_path)
    asked = []

    def has_task(p):
        asked.append(p.name)
        return p.name == "Toko"

    cover = ossched.restart_cover([toko, kop, manual], login, has_task)
    assert not cover.login_start and cover.os_tasks == {"Toko"} and asked == ["Toko", "Koperasi"]
    assert cover.covers(toko) and not cover.covers(kop) and cover.covers(manual)
    login.set(True)
    asked.clear()
    cover = ossched.restart_cover([toko, kop, manual], login, has_task)
    assert cover.login_start and cover.covers(kop) and asked == []     # no task is asked about then


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux: systemd timer file / crontab")
def test_os_task_installed_finds_a_systemd_timer(tmp_path, monkeypatch):
    empty = tmp_path / "emptybin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))                       # no crontab: the real one is never read
    toko = Profile("Toko", "/db/t.db", ["/b/t"], schedule=Schedule())
    assert not ossched.os_task_installed(toko, home=tmp_path)
    timer = tmp_path / ".config" / "systemd" / "user" / f"{ossched.unit_name(toko)}.timer"
    timer.parent.mkdir(parents=True)
    timer.write_text("[Timer]\n")
    assert ossched.os_task_installed(toko, home=tmp_path)
