"""Fixtures of the reliability tests; the helpers themselves are in kbhelpers.py.

Makes the repository root (``tests.support.dbgen``) and this folder (``kbhelpers``,
``invariant_writer``) importable whatever pytest's import mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (_HERE.parents[1], _HERE):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from kbhelpers import KB, WriterProcess, make_kb  # noqa: E402


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
