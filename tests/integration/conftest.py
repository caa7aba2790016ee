"""Fixtures of the reliability tests; the helpers themselves are in kbhelpers.py.

Makes the repository root (``tests.support.dbgen``) and this folder (``kbhelpers``,
``invariant_writer``) importable whatever pytest's import mode.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (_HERE.parents[1], _HERE):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from kbhelpers import KB, WriterProcess, make_kb  # noqa: E402
from tests.support.privileges import need_mounts  # noqa: E402


@pytest.fixture
def kb(tmp_path) -> KB:
    """The real command line, with its log and TMPDIR inside the test's folder."""
    return make_kb(tmp_path)


@pytest.fixture
def writers():
    """Start writers with ``writers.append(WriterProcess(...))``; any still running at the
    end of the test are killed (by their own pid)."""
    started: list[WriterProcess] = []
    yield started
    for w in started:
        w.kill()


@pytest.fixture
def mount_tmpfs(tmp_path):
    """``mount(name, size, mode)`` mounts a small tmpfs under tmp_path (a real small or
    read-only disk: tests/support/privileges.py) and unmounts it afterwards."""
    mounted: list[Path] = []

    def mount(name: str, size: str, mode: str = "0700") -> Path:
        need_mounts()
        mnt = tmp_path / name
        mnt.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode={mode}", "tmpfs", str(mnt)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        mounted.append(mnt)
        return mnt

    yield mount
    for mnt in mounted:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
