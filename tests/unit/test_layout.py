"""The shape of the package (issue: "a house a newcomer reads in ten minutes"): no import
circles, imports in the allowed directions, no module over 500 lines — checked by
``scripts/check_imports.py`` on the real tree, and that script checked on small trees that
break each rule, so a checker that sees nothing cannot pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import check_imports  # noqa: E402


def test_kasirbackup_has_no_circles_wrong_directions_or_long_modules():
    assert check_imports.problems(ROOT / "kasirbackup") == []


def test_script_exits_zero_on_the_real_tree():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no import circles" in out.stdout


def test_every_core_subpackage_says_what_it_owns():
    core = ROOT / "kasirbackup" / "core"
    subs = sorted(p.parent.name for p in core.glob("*/__init__.py"))
    assert set(subs) == set(check_imports.CORE_ALLOWED), "a core sub-package without import rules (or the reverse)"
    for name in subs:
        doc = (core / name / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and "Never" in doc, f"core/{name}/__init__.py: say what it owns and must never do"
    leaves = {p.stem for p in core.glob("*.py")} - {"__init__"}
    assert leaves == check_imports.CORE_LEAVES


# -- the checker itself, on trees made to break one rule each ---------------------------------

def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    pkg = tmp_path / "kasirbackup"
    for rel, text in {"__init__.py": "", "core/__init__.py": "", "app/__init__.py": "", "gui/__init__.py": "",
                      "cli/__init__.py": "", **files}.items():
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.parent / "__init__.py").exists() and path.parent != pkg:
            (path.parent / "__init__.py").write_text("")
        path.write_text(text)
    return pkg


def test_a_clean_tree_passes(tmp_path):
    pkg = make_tree(tmp_path, {
        "core/errors.py": "",
        "core/storage/base.py": "from ..errors import x\n",
        "core/repo/repository.py": "from ..storage.base import Storage\nfrom .. import errors\n",
        "app/runner.py": "from ..core.repo.repository import Repository\n",
        "cli/parser.py": "def gui():\n    from ..gui.app import run_gui\n",
        "gui/app.py": "from PySide6.QtWidgets import QApplication\nfrom ..app.runner import run\n",
    })
    assert check_imports.problems(pkg) == []


@pytest.mark.parametrize("files, expected", [
    ({"core/a.py": "from . import b\n", "core/b.py": "from .a import x\n"},
     "import circle: kasirbackup.core.a <-> kasirbackup.core.b"),
    ({"gui/app.py": "from ..cli.parser import build_parser\n",
      "cli/parser.py": "def gui():\n    from ..gui.app import run_gui\n"},
     "gui may import only app, core, gui"),
    ({"app/x.py": "def f():\n    import kasirbackup.app.y\n", "app/y.py": "import kasirbackup.app.x\n"},
     "import circle: kasirbackup.app.x <-> kasirbackup.app.y"),
    ({"core/restore/live.py": "from ..snapshot.backup import backup\n", "core/snapshot/backup.py": "",
      "core/repo/check.py": "from ..restore.live import x\n"},
     "core/repo may import storage"),
    ({"core/errors.py": "from .repo.lock import pid_alive\n", "core/repo/lock.py": ""},
     "a shared leaf of core imports only other leaves"),
    ({"core/sqlitefile.py": "from PySide6.QtCore import QObject\n"}, "imports Qt (PySide6.QtCore)"),
    ({"app/status.py": "import PySide6\n"}, "app must stay Qt-free"),
    ({"core/backup.py": "from ..app.settings import Profile\n", "app/settings.py": ""},
     "core may import only core"),
    ({"cli/parser.py": "from ..gui.app import run_gui\n", "gui/app.py": ""},
     "the CLI loads the GUI only inside a function"),
    ({"cli/backups.py": "def verify():\n    from .core.repo.check import Subset\n"},
     "imports kasirbackup.cli.core.repo.check, which does not exist"),
    ({"core/newthing/x.py": "from ..repo.packs import y\n", "core/repo/packs.py": ""},
     "core/newthing is not in CORE_ALLOWED"),
    ({"gui/big.py": "x = 1\n" * 501}, "kasirbackup.gui.big: 501 lines"),
])
def test_each_broken_rule_is_reported(tmp_path, files, expected):
    found = check_imports.problems(make_tree(tmp_path, files))
    assert any(expected in line for line in found), found


def test_a_circle_through_a_package_init_is_found(tmp_path):
    pkg = make_tree(tmp_path, {
        "cli/__init__.py": "from .parser import main\n",
        "cli/parser.py": "from .backups import register\n",
        "cli/backups.py": "def f():\n    from kasirbackup.cli import main\n",
    })
    found = check_imports.problems(pkg)
    assert "import circle: kasirbackup.cli <-> kasirbackup.cli.backups <-> kasirbackup.cli.parser" in found


def test_script_exits_one_and_names_the_problem(tmp_path):
    pkg = make_tree(tmp_path, {"core/a.py": "from .b import x\n", "core/b.py": "from .a import y\n"})
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), str(pkg)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "import circle" in out.stdout
