"""The packaged app: build it once with PyInstaller (packaging/kasirbackup.spec) into a
temporary folder, then use it the way CI and a shop owner do — the GUI's ``--smoke`` run on
the offscreen platform, and a real backup → verify → restore with the frozen command line.

The build takes about half a minute here (a few minutes on a cold CI machine); it runs
once per session. Skipped only when PyInstaller is not installed (it is part of the
``test`` extra that ``./scripts/test.sh`` installs)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -e '.[package]')")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "kasirbackup.spec"
WINDOWS = sys.platform == "win32"
MACOS = sys.platform == "darwin"
EXE_SUFFIX = ".exe" if WINDOWS else ""
GUI_NAME = "KasirBackup" + EXE_SUFFIX
CLI_NAME = ("kasirbackup-cli" if WINDOWS or MACOS else "kasirbackup") + EXE_SUFFIX
SMOKE_LINE = "smoke: main window built"


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory) -> Path:
    """dist/KasirBackup of a fresh build of the spec (one build per test session)."""
    work = tmp_path_factory.mktemp("pyinstaller")
    log = work / "build.log"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with open(log, "w") as out:
        proc = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                               "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
                              cwd=str(ROOT), env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1800)
    if proc.returncode != 0:
        pytest.fail(f"pyinstaller exited {proc.returncode}; last lines of {log}:\n"
                    + "\n".join(log.read_text(errors="replace").splitlines()[-40:]))
    folder = work / "dist" / "KasirBackup"
    assert (folder / GUI_NAME).is_file() and (folder / CLI_NAME).is_file(), sorted(os.listdir(folder))
    return folder


@pytest.fixture
def user_env(tmp_path) -> dict:
    """Private settings, data, log and temporary folders; the offscreen Qt platform."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "LOG"):
        folder = tmp_path / f"_{name.lower()}"
        folder.mkdir()
        env[f"KASIRBACKUP_{name}_DIR"] = str(folder)
    (tmp_path / "_tmp").mkdir()
    env["TMPDIR"] = str(tmp_path / "_tmp")
    env.pop("PYTHONPATH", None)          # the frozen app must not need the source tree
    return env


def run(exe: Path, *args, env: dict, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(exe), *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=str(cwd) if cwd else None)
    return proc


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"{proc.args} exited {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    return proc


def table_rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


# -- what is in the folder -----------------------------------------------------------------

def test_folder_has_resources_translations_and_no_excluded_modules(app_dir):
    internal = app_dir / "_internal"
    resources = internal / "kasirbackup" / "gui" / "resources"       # where the code looks, frozen or not
    source = ROOT / "kasirbackup" / "gui" / "resources"
    assert (resources / "icons" / "kasirbackup.png").is_file()
    svgs = sorted(p.name for p in (source / "icons").glob("*.svg"))
    assert "kasirbackup.svg" in svgs and "tray-idle.svg" in svgs
    for name in svgs:
        assert (resources / "icons" / name).is_file(), f"{name} is not in the bundle"
    qms = sorted(p.name for p in (source / "translations").glob("*.qm"))
    assert {"kasirbackup_id.qm", "qtbase_id.qm"} <= set(qms)
    for name in qms:
        assert (resources / "translations" / name).is_file(), f"{name} is not in the bundle"
    metadata = [p.name.lower() for p in internal.glob("*.dist-info")]
    assert any(m.startswith("apscheduler-") for m in metadata), "APScheduler's metadata (its entry points) is missing"
    assert any(m.startswith("keyring-") for m in metadata), "keyring's metadata (its backend entry points) is missing"

    from PyInstaller.archive.readers import CArchiveReader

    pkg = CArchiveReader(str(app_dir / CLI_NAME))
    pyz_name = next(n for n in pkg.toc if n.endswith(".pyz"))
    modules = set(pkg.open_embedded_archive(pyz_name).toc)
    for needed in ("kasirbackup.gui.mainwindow", "kasirbackup.core.storage.s3", "keyring.backends.SecretService",
                   "keyring.backends.Windows", "keyring.backends.macOS", "apscheduler.triggers.cron",
                   "apscheduler.triggers.date", "apscheduler.triggers.interval", "apscheduler.executors.pool",
                   "apscheduler.jobstores.memory", "apscheduler.schedulers.qt", "openpyxl", "zstandard",
                   "cryptography.hazmat.primitives.kdf.argon2"):
        assert needed in modules, f"{needed} is not in the frozen app"
    for unwanted in ("sqlalchemy", "tkinter", "keyrings", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtPdf",
                     "PyQt5", "pytest", "moto"):
        assert not any(m == unwanted or m.startswith(unwanted + ".") for m in modules), f"{unwanted} was bundled"
    qt = [p.name for p in internal.rglob("*") if "Qt6Qml" in p.name or "Qt6Quick" in p.name or "Qt6Pdf" in p.name
          or "WebEngine" in p.name or "VirtualKeyboard" in p.name]
    assert not qt, f"unused Qt libraries were bundled: {qt}"


# -- the desktop app ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [("--smoke",), ("gui", "--smoke")], ids=["KasirBackup --smoke", "KasirBackup gui --smoke"])
def test_gui_smoke_run_builds_the_main_window_and_exits_0(app_dir, user_env, args):
    proc = ok(run(app_dir / GUI_NAME, *args, env=user_env, timeout=120))
    assert SMOKE_LINE in proc.stdout
    assert "Traceback" not in proc.stderr
    log = Path(user_env["KASIRBACKUP_LOG_DIR"]) / "kasirbackup.log"
    assert log.is_file() and "Traceback" not in log.read_text(errors="replace")


def test_gui_finds_its_translations_in_an_indonesian_session(app_dir, user_env):
    """Frozen, the code finds the .qm next to its own __file__ (_internal/kasirbackup/gui/
    resources/translations); a missing catalogue is logged as "no … translation for 'id'"."""
    env = dict(user_env, LANG="id_ID.UTF-8", LANGUAGE="id")
    for var in ("LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    assert SMOKE_LINE in ok(run(app_dir / GUI_NAME, "--smoke", env=env, timeout=120)).stdout
    log = (Path(env["KASIRBACKUP_LOG_DIR"]) / "kasirbackup.log").read_text(errors="replace")
    assert "translation for 'id'" not in log, log


def test_cli_smoke_through_the_console_executable(app_dir, user_env):
    proc = ok(run(app_dir / CLI_NAME, "gui", "--smoke", env=user_env, timeout=120))
    assert SMOKE_LINE in proc.stdout


# -- the command line: backup → verify → restore ----------------------------------------------

def test_frozen_cli_backup_verify_restore(app_dir, user_env, pos_db, tmp_path):
    cli = app_dir / CLI_NAME
    repo = tmp_path / "repo"
    out = ok(run(cli, "backup", "--db", pos_db, "--repo", repo, env=user_env))
    assert "verified" in out.stdout
    ok(run(cli, "list", "--repo", repo, env=user_env))
    verify = ok(run(cli, "verify", "--repo", repo, "--all", env=user_env))
    assert verify.stdout.startswith("OK")
    restored = tmp_path / "restored.db"
    ok(run(cli, "restore", "--repo", repo, "--snapshot", "latest", "--to", restored, env=user_env))
    assert table_rows(restored) == table_rows(pos_db)
    assert sqlite3.connect(restored).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_frozen_cli_encrypted_repository_and_xlsx_export(app_dir, user_env, pos_db, tmp_path):
    """cryptography (AES-GCM, Argon2id) and openpyxl work inside the bundle."""
    cli = app_dir / CLI_NAME
    repo, secret = tmp_path / "enc", tmp_path / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    ok(run(cli, "init", "--repo", repo, "--encrypt", "--passphrase-file", secret, env=user_env))
    ok(run(cli, "backup", "--db", pos_db, "--repo", repo, "--passphrase-file", secret, env=user_env))
    restored = tmp_path / "restored.db"
    ok(run(cli, "restore", "--repo", repo, "--snapshot", "latest", "--to", restored, "--passphrase-file", secret,
           env=user_env))
    assert table_rows(restored) == table_rows(pos_db)
    xlsx = tmp_path / "laporan.xlsx"
    ok(run(cli, "export", "--db", pos_db, "--format", "xlsx", "--out", xlsx, env=user_env))
    assert xlsx.read_bytes()[:2] == b"PK"


def test_frozen_daemon_schedules_with_apscheduler(app_dir, user_env, pos_db, tmp_path):
    """APScheduler (triggers, executors, job store) starts inside the bundle."""
    cli = app_dir / CLI_NAME
    ok(run(cli, "profile", "add", "--name", "toko", "--db", pos_db, "--repo", tmp_path / "repo",
           "--schedule", "daily@23:00", env=user_env))
    proc = subprocess.Popen([str(cli), "daemon"], env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and not line.startswith("next:"):
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
        assert line.startswith("next: toko"), f"no schedule printed; stderr: {proc.stderr.read() if proc.poll() is not None else ''}"
        time.sleep(1.0)
        assert proc.poll() is None, f"the daemon stopped: {proc.stderr.read()}"
    finally:
        if proc.poll() is None:
            if WINDOWS:
                proc.terminate()
            else:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert WINDOWS or proc.returncode == 0


# -- platform files ------------------------------------------------------------------------------

def test_platform_files_carry_the_app_version():
    """The Windows version resource, the installer and the AppStream release name the version
    in kasirbackup/__init__.py (a release bumps them together)."""
    import re
    import xml.etree.ElementTree as ET

    from kasirbackup import __version__

    major, minor, patch = (int(x) for x in __version__.split(".")[:3])
    info = (ROOT / "packaging" / "windows" / "version_info.txt").read_text()
    assert f"filevers=({major}, {minor}, {patch}, 0)" in info and f"u'FileVersion', u'{__version__}'" in info
    iss = (ROOT / "packaging" / "windows" / "KasirBackup.iss").read_text()
    assert re.search(rf'#define AppVersion "{re.escape(__version__)}"', iss)
    meta = ET.parse(ROOT / "packaging" / "linux" / "id.kasirbackup.KasirBackup.metainfo.xml").getroot()
    assert meta.find("id").text == "id.kasirbackup.KasirBackup"
    assert __version__ in [r.get("version") for r in meta.iter("release")]
    desktop = (ROOT / "packaging" / "linux" / "kasirbackup.desktop").read_text()
    assert meta.find("launchable").text == "kasirbackup.desktop" and "\nExec=KasirBackup" in desktop
