"""The Qt binding we run on must not leak references to None (PySide6 6.12.0 did on Python
3.11: each void call lost one, and a tray app aborts with "none_dealloc" after a few days)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_leak_none(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(5000):
        label.setText("x")
        qapp.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 10000 void Qt calls"


def test_signal_emits_do_not_leak_booleans(qapp):
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        ping = Signal(int)

    e = Emitter()
    got = []
    e.ping.connect(got.append)
    before_true, before_false = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(5000):
        e.ping.emit(i)
    assert len(got) == 5000
    lost = (before_true - sys.getrefcount(True)) + (before_false - sys.getrefcount(False))
    assert lost < 100, f"{lost} references to True/False lost in 5000 emits"
