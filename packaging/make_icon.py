"""Draw the app icon with Qt: resources/icons/enrollment-ledger.png (256x256) and .ico (Windows).

    python packaging/make_icon.py            # writes both files into resources/icons/
    python packaging/make_icon.py --out DIR  # somewhere else (the tests use this)

The design: a green rounded square; on it a white ledger page with ruled lines, and on the page
a green medical cross holding the character 保. Drawn in 1/256 units so every size is painted
directly (not scaled down from 256), which keeps the small Windows sizes sharp.

The .ico holds 16, 24, 32, 48, 64 and 128 px as 32-bit BMP entries and 256 px as a PNG entry,
the layout Windows, PyInstaller's icon embedding and Inno Setup's SetupIconFile all accept.
The character needs a CJK font (fonts-noto-cjk); without one the cross is drawn alone.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_NAME = "enrollment-ledger"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

GREEN = "#1e8a4c"
GREEN_DARK = "#13653a"
RULE = "#b9dcc7"


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def _cjk_family() -> str | None:
    from PySide6.QtGui import QFontDatabase

    # here, like PySide6 above: nothing of Qt is imported before the environment is set
    from desktop_app.ui.fonts import CJK_FAMILIES

    families = QFontDatabase.families()
    return next((wanted for wanted in CJK_FAMILIES if wanted in families), None)


def render(size: int):
    """The icon as a QImage of ``size`` x ``size`` (ARGB32, transparent outside the square)."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QFont, QImage, QLinearGradient, QPainter, QPen

    _app()
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(size / 256.0, size / 256.0)

    # The green tile.
    gradient = QLinearGradient(QPointF(0, 0), QPointF(0, 256))
    gradient.setColorAt(0.0, QColor(GREEN))
    gradient.setColorAt(1.0, QColor(GREEN_DARK))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)

    # The ledger page, with a folded corner.
    p.setBrush(QColor("white"))
    p.drawRoundedRect(QRectF(50, 34, 156, 188), 14, 14)
    p.setBrush(QColor(RULE))
    p.drawPolygon([QPointF(170, 34), QPointF(206, 70), QPointF(170, 70)])
    if size >= 48:  # ruled lines only where they can be seen
        p.setPen(QPen(QColor(RULE), 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for y in (176, 198):
            p.drawLine(QPointF(76, y), QPointF(180, y))
        p.setPen(Qt.PenStyle.NoPen)

    # The cross, and 保 in it.
    p.setBrush(QColor(GREEN))
    cx, cy, arm, half = 128.0, 108.0, 56.0, 22.0
    p.drawRoundedRect(QRectF(cx - half, cy - arm, 2 * half, 2 * arm), 8, 8)
    p.drawRoundedRect(QRectF(cx - arm, cy - half, 2 * arm, 2 * half), 8, 8)
    p.drawRoundedRect(QRectF(cx - 34, cy - 34, 68, 68), 12, 12)
    family = _cjk_family()
    if family and size >= 32:
        font = QFont(family)
        font.setPixelSize(54)
        font.setWeight(QFont.Weight.Black)
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(cx - 40, cy - 40, 80, 80), Qt.AlignmentFlag.AlignCenter, "保")
    p.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def bmp_entry(image) -> bytes:
    """A 32-bit BGRA DIB as an .ico entry: header with doubled height, bottom-up rows, AND mask."""
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    w, h = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):  # bottom-up
        row = bytearray()
        for x in range(w):
            argb = image.pixel(x, y)  # 0xAARRGGBB, not premultiplied
            row += struct.pack("<I", argb & 0xFFFFFFFF)  # little-endian = B, G, R, A
        rows.append(bytes(row))
    mask_stride = ((w + 31) // 32) * 4
    mask = b"\x00" * (mask_stride * h)  # all opaque: the alpha channel does the work
    return header + b"".join(rows) + mask


def ico_bytes(images: dict[int, object]) -> bytes:
    entries = []
    for size in sorted(images):
        data = png_bytes(images[size]) if size >= 256 else bmp_entry(images[size])
        entries.append((size, data))
    out = bytearray(struct.pack("<HHH", 0, 1, len(entries)))
    offset = 6 + 16 * len(entries)
    for size, data in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _size, data in entries:
        out += data
    return bytes(out)


def write_icons(out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: render(size) for size in ICO_SIZES}
    png = out_dir / f"{ICON_NAME}.png"
    png.write_bytes(png_bytes(images[256]))
    ico = out_dir / f"{ICON_NAME}.ico"
    ico.write_bytes(ico_bytes(images))
    return png, ico


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "icons")
    args = parser.parse_args(argv)
    _app()
    if _cjk_family() is None:
        print("make_icon: no CJK font found; drawing the cross without 保", file=sys.stderr)
    for path in write_icons(args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
