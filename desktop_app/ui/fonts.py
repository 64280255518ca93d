"""Fonts with Chinese glyphs: one list of families, best first, for the screen and for paper.

The dashboard's charts take the application's font with these as fallbacks (:func:`screen_font`);
the printed notices and tables take them at a size in 96-dpi pixels (:func:`page_font`), and the
notice's HTML names them in CSS (:func:`css_families`).
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

# Fonts with Chinese glyphs, best first: Linux (Noto/Source Han, WenQuanYi on UOS/Kylin),
# Windows (Microsoft YaHei, SimSun), macOS (PingFang). Qt falls back along this list.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "微软雅黑", "PingFang SC",
    "WenQuanYi Micro Hei", "Noto Sans SC", "SimSun", "宋体", "SimHei", "sans-serif",
)
PAGE_DPI = 96.0  # the print layouts' unit: CSS pixels


def page_font(point_size: float, bold: bool = False) -> QFont:
    """A font with Chinese glyphs at ``point_size``, sized in 96-dpi pixels for our layouts."""
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    font.setPixelSize(max(1, round(point_size * PAGE_DPI / 72.0)))
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def screen_font(point_delta: float = 0.0, bold: bool = False) -> QFont:
    """The application's font with Chinese fallbacks, ``point_delta`` points larger; sized in
    points so that 125% and 150% display scaling enlarge the text with the rest."""
    font = QFont(QApplication.font())
    font.setFamilies([font.family(), *CJK_FAMILIES])
    if point_delta:
        font.setPointSizeF(max(font.pointSizeF(), 9.0) + point_delta)
    font.setBold(bold)
    return font


def css_families() -> str:
    """The families as a CSS ``font-family`` value."""
    return ", ".join(f"'{f}'" if " " in f or not f.isascii() else f for f in CJK_FAMILIES)
