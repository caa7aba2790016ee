"""What a user can read on a window: every visible text of a widget tree, in reading order.

Used by screenshots.py (``--texts FILE``) so that a test can walk every screen in one
language and look for words of another (tests/gui/test_screen_language.py).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel, QLineEdit,
                               QMenu, QPlainTextEdit, QTabWidget, QTextEdit, QWidget, QWizard)

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", text)
    return text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _model_texts(view: QAbstractItemView, limit: int = 400) -> list[str]:
    model = view.model()
    if model is None:
        return []
    out: list[str] = []

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:            # list models: one column, and a private columnCount
            return 1

    for c in range(columns(QModelIndex())):
        h = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if h:
            out.append(str(h))

    def walk(parent, depth: int) -> None:
        for r in range(model.rowCount(parent)):
            if len(out) >= limit:
                return
            for c in range(columns(parent)):
                idx = model.index(r, c, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    v = model.data(idx, role)
                    if v:
                        out.append(str(v))
            first = model.index(r, 0, parent)
            if depth < 3 and columns(QModelIndex()) > 1 and model.rowCount(first):
                walk(first, depth + 1)

    walk(QModelIndex(), 0)
    return out


def visible_texts(window: QWidget) -> list[str]:
    """Texts shown by ``window`` and its visible children (titles, labels, buttons, tabs,
    tables, combo boxes, text panes, tool tips of visible widgets)."""
    out: list[str] = [window.windowTitle()]
    if isinstance(window, QWizard):
        page = window.currentPage()
        if page is not None:
            out += [page.title(), page.subTitle()]
    for w in [window, *window.findChildren(QWidget)]:
        if w is not window and not w.isVisibleTo(window):
            continue
        if w.toolTip():
            out.append(w.toolTip())
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QLineEdit):
            out += [w.placeholderText(), w.text()]
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractItemView):
            out += _model_texts(w)
        elif isinstance(w, QMenu):
            out += [a.text() for a in w.actions()]
    return [t for t in (_plain(x).strip() for x in out if x) if t]


def menu_texts(menu: QMenu) -> list[str]:
    """The entries of a menu and its sub-menus (e.g. the tray menu)."""
    out: list[str] = []
    for a in menu.actions():
        if a.text():
            out.append(_plain(a.text()).strip())
        if a.menu() is not None:
            out += menu_texts(a.menu())
    return out
