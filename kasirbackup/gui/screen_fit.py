"""Windows open no larger than the screen they open on.

A shop's PC often has a 1366×768 screen, and at 125 % scaling that is 1093×614 points: a
main window of 1100×720 would open with its bottom rows (the details, the progress, the
buttons) below the taskbar. Every main window and dialog is shrunk, the first time it is
shown, to the screen's free area (never below what its layout needs) and moved onto it.
Qt's own file dialog (where the system offers none) also opens wide enough for long file
names. Installed once for the whole application (gui/app.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QTreeView, QWidget

#: room left for the window's title bar and frame, which the window's size does not include
FRAME = QSize(16, 40)
_FITTED = "_kasirbackup_fitted"


def fit_to_screen(w: QWidget) -> None:
    """Shrink ``w`` to its screen's available area (keeping its layout's minimum) and move
    it onto that area."""
    screen = w.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    avail = screen.availableGeometry()
    room = QSize(max(avail.width() - FRAME.width(), 1), max(avail.height() - FRAME.height(), 1))
    size = w.size().boundedTo(room).expandedTo(w.minimumSizeHint().boundedTo(room))
    if size != w.size():
        w.resize(size)
    pos = w.pos()
    x = min(max(pos.x(), avail.left()), max(avail.left(), avail.right() - size.width() - FRAME.width() + 1))
    y = min(max(pos.y(), avail.top()), max(avail.top(), avail.bottom() - size.height() - FRAME.height() + 1))
    if QPoint(x, y) != pos:
        w.move(x, y)


#: Qt's own file dialog (used where the system has none) opens this large, so the file
#: names are not cut off in its name column
FILE_DIALOG = QSize(900, 560)


def widen_file_dialog(dlg: QFileDialog) -> None:
    """Qt's own file dialog: room for long file names (the name column follows the names
    as each folder is read). A native dialog has no such view and is left alone."""
    view = dlg.findChild(QTreeView, "treeView")
    if view is None:
        return
    dlg.resize(dlg.size().expandedTo(FILE_DIALOG))

    def names_fit(*_: object) -> None:
        view.resizeColumnToContents(0)
    model = dlg.findChild(QFileSystemModel)
    if model is not None:
        model.directoryLoaded.connect(names_fit)
    names_fit()


class _FitOnFirstShow(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow() \
                and obj.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog) and not obj.property(_FITTED):
            obj.setProperty(_FITTED, True)
            if isinstance(obj, QFileDialog):
                widen_file_dialog(obj)
            fit_to_screen(obj)
        return False


def install(app: QApplication) -> None:
    """Fit every main window and dialog of ``app`` the first time it is shown (once per app)."""
    if app.property(_FITTED):
        return
    app.setProperty(_FITTED, True)
    filt = _FitOnFirstShow(app)
    filt.setObjectName(_FITTED)
    app.installEventFilter(filt)


def uninstall(app: QApplication) -> None:
    """Undo install() (tests share one application)."""
    filt = app.findChild(_FitOnFirstShow, _FITTED)
    if filt is not None:
        app.removeEventFilter(filt)
        filt.deleteLater()
    app.setProperty(_FITTED, False)
