#!/usr/bin/env python3
"""Render the app icon (kasirbackup/gui/resources/icons/kasirbackup.svg) to the raster
formats the platforms want: kasirbackup.png (256 px, Linux and the window icon),
kasirbackup.ico (Windows: 16–256 px in one file) and kasirbackup.icns (macOS, only when Qt
can write it).

    python packaging/make_icons.py OUT_DIR [--svg PATH]

Uses Qt's QSvgRenderer (no display needed: QGuiApplication runs on the ``offscreen``
platform). The .ico is written with Pillow when it is installed (several sizes in one
file), otherwise written here as an ICO of PNG entries (Windows Vista and later read it). Prints the
files it wrote; the PyInstaller spec calls ``make_icons()`` at build time."""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "kasirbackup" / "gui" / "resources" / "icons" / "kasirbackup.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["make_icons"])


def render(svg: Path, size: int):
    from PySide6.QtCore import QByteArray, QSize, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.read_bytes()))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def _write_ico(svg: Path, out: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        big = out.with_suffix(".ico.png")
        render(svg, 256).save(str(big), "PNG")
        with Image.open(big) as im:
            im.save(out, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
        big.unlink()
        return
    # no Pillow: an ICO whose entries are PNG images (read by Windows Vista and later)
    pngs = [_png_bytes(render(svg, size)) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries = b""
    for size, data in zip(ICO_SIZES, pngs):
        dim = 0 if size >= 256 else size          # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    out.write_bytes(header + entries + b"".join(pngs))


def _png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def _write_icns(svg: Path, out: Path) -> bool:
    from PySide6.QtGui import QImageWriter

    if b"icns" not in [bytes(f) for f in QImageWriter.supportedImageFormats()]:
        return False      # Qt's icns plugin ships with the macOS wheels only
    return render(svg, 1024).save(str(out), "ICNS")


def make_icons(out_dir: str | os.PathLike, svg: str | os.PathLike = SVG) -> dict[str, Path]:
    """Write the icons into ``out_dir``; returns {"png": path, "ico": path[, "icns": path]}."""
    svg, out = Path(svg), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _app()
    made: dict[str, Path] = {}
    png = out / "kasirbackup.png"
    if not render(svg, 256).save(str(png), "PNG"):
        raise SystemExit(f"make_icons: could not write {png}")
    made["png"] = png
    ico = out / "kasirbackup.ico"
    _write_ico(svg, ico)
    made["ico"] = ico
    icns = out / "kasirbackup.icns"
    if _write_icns(svg, icns):
        made["icns"] = icns
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--svg", default=str(SVG))
    args = ap.parse_args(argv)
    for kind, path in make_icons(args.out_dir, args.svg).items():
        print(f"{kind}: {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
