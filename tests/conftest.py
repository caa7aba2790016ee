"""Fixtures shared by the unit and integration tests.

* makes the repository root importable, so tests can use ``tests.support.dbgen``;
* ``pos_db``: a small point-of-sale database (rollback-journal mode, ~200 KB) made by
  ``tests.support.dbgen.make_pos_db``;
* ``repo_dir``: a path for a backup repository that does not exist yet;
* every test has its own config, data and log folders (``KASIRBACKUP_*_DIR``).

The ``kb`` fixture (the real command line in a subprocess, with a private log folder
and TMPDIR) lives in ``tests/integration/conftest.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POS_DB_BYTES = 200_000


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's settings, history, remembered captures or
    logs: each test gets its own (a test may point them elsewhere itself)."""
    base = tmp_path_factory.mktemp("user")
    for var, sub in (("KASIRBACKUP_CONFIG_DIR", "config"), ("KASIRBACKUP_DATA_DIR", "data"),
                     ("KASIRBACKUP_LOG_DIR", "logs")):
        monkeypatch.setenv(var, str(base / sub))


@pytest.fixture
def pos_db(tmp_path) -> Path:
    """A small POS database ``kasir.db`` in rollback-journal mode, nobody connected."""
    from tests.support.dbgen import make_pos_db

    path = tmp_path / "kasir.db"
    make_pos_db(str(path), POS_DB_BYTES, seed=0)
    return path


@pytest.fixture
def repo_dir(tmp_path) -> Path:
    """Where a repository may be created (missing for now)."""
    return tmp_path / "backups" / "kasir-repo"


def pytest_report_header(config):
    from tests.support.privileges import EVERYTHING, describe

    import os

    return [f"privileges: {describe()}" + (" (required by scripts/test.sh)" if os.environ.get(EVERYTHING) else "")]
