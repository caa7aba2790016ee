"""``pip install`` of a wheel, not a checkout: build a wheel from the repository, install it
with its dependencies into a fresh virtualenv outside the checkout, and start the app there
in an Indonesian session. It must speak Indonesian (our catalogue and our ``qtbase_id``)
and have its icons: the translations and icons are package data of
``kasirbackup.gui.resources`` (pyproject.toml), found next to the installed code.

The wheel is built from a copy of the sources (pip builds in the source folder; the shared
checkout gets no build/ or egg-info from here). Installing into the fresh virtualenv uses
pip's configured sources (offline wheels on the test machine) and takes about half a
minute; it runs once per module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "kasirbackup" / "gui" / "resources"
WINDOWS = sys.platform == "win32"
SMOKE_LINE = "smoke: main window built"

# (context, source) pairs that must come out in Indonesian: ours and Qt's own (qtbase_id)
OURS = [("MainWindow", "Backup now"), ("Tray", "Backup now")]
QTBASE = [("QPlatformTheme", "Cancel"), ("QWizard", "Cancel")]
ICONS = ["kasirbackup", "tray-idle", "tray-running", "tray-error", "backup", "restore"]

# Run by the virtualenv's Python: the app's real start-up (``kasirbackup-gui --smoke``:
# settings, language, window icon, main window), then what it left installed.
PROBE = r"""
import json, sys
import kasirbackup
from kasirbackup.gui import i18n, icons
from kasirbackup.gui.app import run_gui
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

checks, names = json.loads(sys.argv[1]), json.loads(sys.argv[2])
code = run_gui(smoke=True)
app = QApplication.instance()


def sizes(ic):
    return sorted(s.width() for s in ic.availableSizes())


print(json.dumps({
    "code": code,
    "kasirbackup": kasirbackup.__file__,
    "system_locale": QLocale.system().name(),
    "language": i18n.current(),
    "translations_dir": str(i18n.translations_dir()),
    "texts": [QCoreApplication.translate(c, s) for c, s in checks],
    "window_icon": sizes(app.windowIcon()),
    "icons": {n: {"path": str(icons.icon_path(n)), "null": icons.icon(n).isNull(), "sizes": sizes(icons.icon(n))}
              for n in names},
}))
"""


def indonesian(ts: str, pairs: list[tuple[str, str]]) -> list[str]:
    """The translations of ``pairs`` in translations/<ts> (the .ts sources in git)."""
    found = {}
    for ctx in ET.parse(ROOT / "translations" / ts).getroot().iter("context"):
        for m in ctx.iter("message"):
            found[(ctx.findtext("name"), m.findtext("source"))] = m.find("translation").text
    return [found[p] for p in pairs]


def run(args: list, cwd: Path, env: dict, timeout: float = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=str(cwd), env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, (f"{args} exited {proc.returncode}\nstdout: {proc.stdout[-4000:]}\n"
                                  f"stderr: {proc.stderr[-4000:]}")
    return proc


def clean_env(**extra: str) -> dict:
    """This process's environment without anything that would lead Python to the checkout or
    to the development virtualenv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel-install")
    assert not folder.resolve().is_relative_to(ROOT), f"{folder} is inside the checkout"
    return folder


@pytest.fixture(scope="module")
def wheel(outside) -> Path:
    """A wheel of the repository's sources, built the way ``pip install .`` builds one."""
    src = outside / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "setup.cfg", "setup.py", "MANIFEST.in"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, src / name)
    for lic in ROOT.glob("LICEN[CS]E*"):
        shutil.copy2(lic, src / lic.name)
    shutil.copytree(ROOT / "kasirbackup", src / "kasirbackup", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = outside / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src], cwd=outside, env=clean_env())
    wheels = sorted(dist.glob("kasirbackup-*.whl"))
    assert len(wheels) == 1, sorted(os.listdir(dist))
    return wheels[0]


@pytest.fixture(scope="module")
def venv(outside, wheel) -> Path:
    """A fresh virtualenv (no system or development site-packages) with the wheel and its
    dependencies installed by pip."""
    env_dir = outside / "venv"
    run([sys.executable, "-m", "venv", env_dir], cwd=outside, env=clean_env())
    py = env_dir / ("Scripts/python.exe" if WINDOWS else "bin/python")
    run([py, "-m", "pip", "install", "-q", wheel], cwd=outside, env=clean_env())
    return env_dir


@pytest.fixture
def session_env(tmp_path) -> dict:
    """An Indonesian desktop session: offscreen Qt, private settings/data/log folders."""
    env = clean_env(QT_QPA_PLATFORM="offscreen", LANG="id_ID.UTF-8", LANGUAGE="id")
    for var in ("LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    for name in ("CONFIG", "DATA", "LOG"):
        env[f"KASIRBACKUP_{name}_DIR"] = str(tmp_path / name.lower())
    return env


def bin_path(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if WINDOWS else "bin") / (name + (".exe" if WINDOWS else ""))


def test_wheel_carries_the_translations_and_icons(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    qms = sorted(p.name for p in (RESOURCES / "translations").glob("*.qm"))
    svgs = sorted(p.name for p in (RESOURCES / "icons").glob("*.svg"))
    assert {"kasirbackup_id.qm", "kasirbackup_en.qm", "qtbase_id.qm"} <= set(qms)
    assert {f"{n}.svg" for n in ICONS} <= set(svgs)
    missing = ([f"kasirbackup/gui/resources/translations/{q}" for q in qms]
               + [f"kasirbackup/gui/resources/icons/{s}" for s in svgs])
    missing = [m for m in missing if m not in names]
    assert not missing, f"not in {wheel.name}: {missing}"
    assert not any(n.endswith(".ts") for n in names), "the .ts sources do not belong in the wheel"


def test_installed_wheel_starts_in_indonesian_with_icons(venv, session_env, tmp_path):
    py = bin_path(venv, "python")
    proc = run([py, "-c", PROBE, json.dumps(OURS + QTBASE), json.dumps(ICONS)], cwd=tmp_path, env=session_env,
               timeout=300)
    assert SMOKE_LINE in proc.stdout
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["code"] == 0

    site = venv.resolve()
    assert Path(got["kasirbackup"]).resolve().is_relative_to(site), f"kasirbackup came from {got['kasirbackup']}"
    assert Path(got["translations_dir"]).resolve().is_relative_to(site)

    assert got["system_locale"] == "id_ID" and got["language"] == "id"
    expected = indonesian("kasirbackup_id.ts", OURS) + indonesian("qtbase_id.ts", QTBASE)
    assert got["texts"] == expected
    assert all(text != source for text, (_, source) in zip(got["texts"], OURS + QTBASE))

    assert got["window_icon"], "the application has no window icon"
    for name, info in got["icons"].items():
        assert Path(info["path"]).resolve().is_relative_to(site), (name, info["path"])
        assert not info["null"] and 16 in info["sizes"] and 256 in info["sizes"], (name, info)


def test_console_scripts_of_the_wheel_run(venv, session_env, tmp_path):
    from kasirbackup import __version__

    out = run([bin_path(venv, "kasirbackup"), "--version"], cwd=tmp_path, env=session_env, timeout=120)
    assert out.stdout.strip() == f"kasirbackup {__version__}"
    gui = run([bin_path(venv, "kasirbackup-gui"), "--smoke"], cwd=tmp_path, env=session_env, timeout=300)
    assert SMOKE_LINE in gui.stdout
    assert "Traceback" not in gui.stderr
