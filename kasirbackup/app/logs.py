"""Log file under the per-user log directory; details of every failure go here."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

APP_NAME = "kasirbackup"
_log_path: Path | None = None


def log_dir() -> Path:
    override = os.environ.get("KASIRBACKUP_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``kasirbackup`` loggers to a rotating file. Returns its path, or None when
    the folder cannot be written (logging must never stop a backup)."""
    global _log_path
    root = logging.getLogger("kasirbackup")
    if _log_path is not None:
        return _log_path
    root.setLevel(level)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "kasirbackup.log"
        handler = RotatingFileHandler(path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8")
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _log_path = path
    return path


def log_path() -> Path | None:
    return _log_path
