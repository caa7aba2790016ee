"""The two front doors stay apart: the desktop app starts without loading the command line,
and the command line loads neither Qt nor the GUI unless ``kasirbackup gui`` is run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, display: bool = True) -> dict:
    env = dict(os.environ)
    env.update(KASIRBACKUP_CONFIG_DIR=str(tmp_path / "config"), KASIRBACKUP_DATA_DIR=str(tmp_path / "data"),
               KASIRBACKUP_LOG_DIR=str(tmp_path / "logs"), PYTHONPATH=str(ROOT))
    if display:
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:
        for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
            env.pop(var, None)
    return env


LOADED = ("import sys\n"
          "loaded = sorted({m.split('.')[1] for m in sys.modules if m.startswith('kasirbackup.') and m.count('.') >= 1})\n"
          "print('layers:', ','.join(loaded)); print('qt:', any(m.startswith('PySide6') for m in sys.modules))\n")


def test_gui_entry_smoke_runs_without_the_command_line(tmp_path):
    code = ("import sys\nsys.argv = ['kasirbackup-gui', '--smoke']\n"
            "from kasirbackup.gui.__main__ import main\nrc = main()\n" + LOADED + "sys.exit(rc)\n")
    r = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "smoke: main window built" in r.stdout
    layers = next(line for line in r.stdout.splitlines() if line.startswith("layers:"))
    assert "gui" in layers and "cli" not in layers, layers


def test_gui_entry_without_a_display_points_to_the_command_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kasirbackup.gui"], env=_env(tmp_path, display=False),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "no display was found" in r.stderr and "kasirbackup --help" in r.stderr
    assert "Traceback" not in r.stderr


def test_command_line_loads_no_gui_and_no_qt(tmp_path):
    code = ("from kasirbackup.cli import build_parser, main\nbuild_parser()\n"
            "main(['history', '--json'])\n" + LOADED)
    r = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "layers: app,cli,core" in r.stdout
    assert "qt: False" in r.stdout
