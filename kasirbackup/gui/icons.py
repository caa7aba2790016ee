"""SVG icons (sharp on high-DPI screens) from ``gui/resources/icons``, package data. Action
icons are grey line drawings; on a dark palette they are recoloured light so they stay
visible."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPixmap

try:
    from PySide6.QtSvg import QSvgRenderer
except ImportError:  # pragma: no cover - QtSvg is part of PySide6-Essentials
    QSvgRenderer = None

from . import resources


def icon_path(name: str) -> Path:
    return resources.ICONS / f"{name}.svg"


def _dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:
        return app.palette().window().color().lightness() < 128


@lru_cache(maxsize=64)
def _icon(name: str, dark: bool) -> QIcon:
    path = icon_path(name)
    if not path.exists():
        return QIcon()
    data = path.read_bytes()
    if dark and not name.startswith(("tray-", "kasirbackup")):
        data = data.replace(b"#5f6b7a", b"#c9d1d9")
    if QSvgRenderer is None:
        return QIcon(str(path))
    renderer = QSvgRenderer(QByteArray(data))
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def icon(name: str) -> QIcon:
    return _icon(name, _dark())


def app_icon() -> QIcon:
    return icon("kasirbackup")
