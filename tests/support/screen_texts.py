"""What a user can read on a window: every visible text of a widget tree, in reading order.

Used by scripts/screenshots.py (``--texts FILE``) so that a test can walk every screen in
one language and look for words of another, and see whether anything is cut off
(tests/gui/test_screen_language.py, tests/gui/test_translations.py).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QCheckBox, QComboBox, QGroupBox, QLabel,
                               QLineEdit, QMenu, QPlainTextEdit, QPushButton, QRadioButton, QTabBar, QTabWidget,
                               QTextEdit, QToolBar, QToolButton, QWidget, QWizard)

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


def clipped_widgets(root: QWidget) -> list[str]:
    """Buttons whose text does not fit, single-line labels wider than their room, tabs elided,
    toolbar actions pushed into the overflow menu."""
    out = []
    for w in [root] + root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() <= 0:
            continue
        text = QLabel.text(w) if isinstance(w, QLabel) else QAbstractButton.text(w) \
            if isinstance(w, QAbstractButton) else ""
        name = f"{type(w).__name__}#{w.objectName() or '?'} {text!r}"
        if isinstance(w, (QPushButton, QCheckBox, QRadioButton)) and w.text():
            if w.sizeHint().width() > w.width() + 1:
                out.append(f"{name}: needs {w.sizeHint().width()} px, has {w.width()}")
        elif isinstance(w, QToolButton) and w.text() and type(w.parentWidget()).__name__ != "QTabBar":
            if w.sizeHint().width() > w.width() + 1 and w.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly:
                out.append(f"{name}: needs {w.sizeHint().width()} px, has {w.width()}")
        elif isinstance(w, QLabel) and not w.wordWrap() and w.text() and not w.pixmap() \
                and "<" not in w.text() and "\n" not in w.text():
            need = w.fontMetrics().horizontalAdvance(w.text().replace("&", ""))
            room = w.contentsRect().width() - 2 * w.margin() - w.indent() if w.indent() > 0 else \
                w.contentsRect().width() - 2 * w.margin()
            if need > room + 1:
                out.append(f"{name}: needs {need} px, has {room}")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.tabRect(i).width() + 1 < w.tabSizeHint(i).width():
                    out.append(f"QTabBar tab {w.tabText(i)!r} elided")
        elif isinstance(w, QGroupBox) and w.title():
            need = w.fontMetrics().horizontalAdvance(w.title()) + 20
            if need > w.width():
                out.append(f"QGroupBox {w.title()!r}: title needs {need} px, has {w.width()}")
        if isinstance(w, QToolBar):
            for a in w.actions():
                bw = w.widgetForAction(a)
                if a.isVisible() and not a.isSeparator() and bw is not None and not bw.isVisible():
                    out.append(f"toolbar action {a.text()!r} pushed into the overflow menu")
    return out
