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


def cache_dir() -> Path:
    """Copies that only save time (never needed to restore): with a data folder set by
    ``KASIRBACKUP_DATA_DIR`` they live under it, so that a portable or test setup keeps
    everything together."""
    override = os.environ.get("KASIRBACKUP_CACHE_DIR")
    if override:
        return Path(override)
    if os.environ.get("KASIRBACKUP_DATA_DIR"):
        return data_dir() / "cache"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
