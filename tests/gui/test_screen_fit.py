"""Windows no larger than the screen; Qt's own file dialog wide enough for long names."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QTreeView

from kasirbackup.gui import screen_fit


@pytest.fixture
def fitting(qapp):
    """The app-wide fit, for this test only (the other tests size windows themselves)."""
    screen_fit.install(qapp)
    yield
    screen_fit.uninstall(qapp)


def test_a_window_larger_than_the_screen_opens_inside_it(qtbot, qapp, fitting):
    avail = qapp.primaryScreen().availableGeometry()
    win = QMainWindow()
    qtbot.addWidget(win)
    win.resize(avail.width() + 400, avail.height() + 300)
    win.move(avail.left() + 200, avail.top() + 100)
    win.show()
    assert win.width() <= avail.width() and win.height() <= avail.height()
    assert win.x() >= avail.left() and win.x() + win.width() <= avail.right() + 1
    assert win.y() >= avail.top() and win.y() + win.height() <= avail.bottom() + 1


def test_qt_file_dialog_shows_long_file_names_whole(qtbot, qapp, tmp_path, fitting):
    name = "laporan-penjualan-toko-contoh-desember-2026-untuk-akuntan.xlsx"
    (tmp_path / name).write_text("x")
    dlg = QFileDialog(None, "Pilih file", str(tmp_path))
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dlg)
    dlg.show()
    view = dlg.findChild(QTreeView, "treeView")
    need = view.fontMetrics().horizontalAdvance(name)
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) >= 1, timeout=10000)
    qtbot.waitUntil(lambda: view.header().sectionSize(0) >= need, timeout=10000)
    assert dlg.width() >= min(screen_fit.FILE_DIALOG.width(), qapp.primaryScreen().availableGeometry().width()
                              - screen_fit.FRAME.width())
