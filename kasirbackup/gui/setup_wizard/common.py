"""Shared pieces of the setup wizard's pages: constants, small widget and job helpers, and the
new profile's name."""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

log = logging.getLogger("kasirbackup.gui")

DB_FILTER_PATTERNS = "*.db *.sqlite *.sqlite3 *.db3"
GENERIC_STEMS = {"database", "db", "data", "app", "main", "store", "sqlite"}
MIN_PASSPHRASE = 8
ERROR_STYLE = "color: #b3261e;"
WARN_STYLE = "color: #8a5300;"
OK_STYLE = "color: #1e7b34;"


def _alive(obj, fn):
    """A callback that does nothing once ``obj``'s widget is gone (the wizard closed while a
    job was still running)."""
    def call(*args):
        if shiboken6.isValid(obj):
            fn(*args)
    return call


def _debouncer(parent: QWidget, fn) -> QTimer:
    """Check a typed path once the typing pauses (textEdited: only the user's own typing)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(500)
    timer.timeout.connect(fn)
    return timer


def _wrapping(text: str = "", name: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMinimumWidth(200)     # else a long (translated) text widens the whole wizard
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    if style:
        label.setStyleSheet(style)
    return label


def profile_name_for(db_path: str, taken: set[str]) -> str:
    """A unique profile name from the database's file name ("kasir", "kasir 2", …); a generic
    name like database.db takes its folder's name too ("instance database")."""
    p = Path(db_path)
    base = p.stem.strip() or "database"
    if base.lower() in GENERIC_STEMS and p.parent.name:
        base = f"{p.parent.name} {base}"
    base = "".join(c for c in base if ord(c) >= 32)[:90] or "database"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} {n}"
    return name
