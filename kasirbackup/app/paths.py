"""Per-user folders (platformdirs, no vendor folder), overridable for tests and portable use."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "kasirbackup"


def config_dir() -> Path:
    override = os.environ.get("KASIRBACKUP_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("KASIRBACKUP_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
