"""The files the desktop app reads at run time, shipped inside the package (package data in
pyproject.toml), so a wheel, an editable install, a source checkout and the PyInstaller
bundle all find them next to this file:

    icons/          SVG icons: the app, the tray states, the actions (``gui/icons.py``)
    translations/   compiled .qm catalogues (``gui/i18n.py``); ``scripts/translations.sh
                    compile`` writes them from the .ts sources in translations/ at the
                    repository root

Plain paths, not ``importlib.resources`` traversables: Qt opens the files itself by name, and
the package is never imported from a zip (PyInstaller puts data files on disk under
``sys._MEIPASS/kasirbackup/gui/resources``, where ``__file__`` points too)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ICONS = HERE / "icons"
TRANSLATIONS = HERE / "translations"
