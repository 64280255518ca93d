"""Searchable Chinese in the PDFs Qt writes: the ToUnicode maps rewritten in place."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from PySide6.QtGui import QRawFont

from desktop_app.ui.fonts import page_font

# Qt writes each font's ToUnicode map by scanning code points upwards and keeping the first one
# that gives a glyph. CJK fonts (Noto Sans CJK, Source Han, Meiryo…) give the Kangxi radical
# U+2F3E the same glyph as 户 U+6237, so 户 人 方 高 … come out of the PDF (copy, search,
# pdftotext) as look-alike radicals although they print correctly (wkhtmltopdf#4414, same Qt
# code). :func:`fix_pdf_text` rewrites those entries to the ideograph the font draws with the
# same glyph. Every entry is four hex digits either way, so the file keeps its length and its
# cross-reference offsets stay right.
_LOOKALIKE_RANGES = (range(0x2E80, 0x2FE0), range(0x3400, 0x4DC0))
_IDEOGRAPHS = range(0x4E00, 0xA000)
_lookalikes: dict[int, int] | None = None
_lookalike_lock = threading.Lock()


def _lookalike_map() -> dict[int, int]:
    """Radical (or rare look-alike) code point -> the CJK ideograph with the same glyph."""
    global _lookalikes
    with _lookalike_lock:
        if _lookalikes is None:
            found: dict[int, int] = {}
            for bold in (False, True):
                raw = QRawFont.fromFont(page_font(10.5, bold))
                if not raw.isValid():
                    continue
                by_glyph: dict[int, int] = {}
                glyphs = raw.glyphIndexesForString("".join(map(chr, _IDEOGRAPHS)))
                for code, glyph in zip(_IDEOGRAPHS, glyphs):
                    if glyph:
                        by_glyph.setdefault(glyph, code)
                for codes in _LOOKALIKE_RANGES:
                    for code, glyph in zip(codes, raw.glyphIndexesForString("".join(map(chr, codes)))):
                        if glyph in by_glyph:
                            found.setdefault(code, by_glyph[glyph])
            _lookalikes = found
        return _lookalikes


_TO_UNICODE_REF = re.compile(rb"/ToUnicode (\d+) 0 R")
_SECTION = re.compile(rb"begin(bfrange|bfchar)(.*?)end\1", re.DOTALL)
_ARRAY = re.compile(rb"\[([^\]]*)\]")
_SINGLE_RANGE = re.compile(rb"<([0-9A-Fa-f]{4})>\s+<\1>\s+<([0-9A-Fa-f]{4})>")
_CHAR = re.compile(rb"(<[0-9A-Fa-f]{4}>\s+)<([0-9A-Fa-f]{4})>")
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")


def fix_pdf_text(path: Path | str) -> int:
    """Make the Chinese text of a PDF we wrote extract as written; returns entries corrected.

    Touches only the ToUnicode maps, in place and byte for byte the same length; a file that
    does not look like Qt's output is left alone.
    """
    path = Path(path)
    data = bytearray(path.read_bytes())
    mapping = _lookalike_map()
    if not mapping:
        return 0
    fixed = 0

    def swap(hex_code: bytes) -> bytes:
        nonlocal fixed
        code = int(hex_code, 16)
        if code not in mapping:
            return b"<" + hex_code + b">"
        fixed += 1
        return b"<%04X>" % mapping[code]

    def fix_section(kind: bytes, body: bytes) -> bytes:
        if kind == b"bfchar":  # <glyph> <unicode>
            return _CHAR.sub(lambda m: m.group(1) + swap(m.group(2)), body)
        # <first> <last> [<unicode> …], or <glyph> <glyph> <unicode> for a single glyph
        body = _ARRAY.sub(lambda m: b"[" + _HEX.sub(lambda h: swap(h.group(1)), m.group(1)) + b"]", body)
        return _SINGLE_RANGE.sub(lambda m: m.group(0)[:-6] + swap(m.group(2)), body)

    for number in sorted(set(_TO_UNICODE_REF.findall(data))):
        start = data.find(b"\n" + number + b" 0 obj")
        begin = data.find(b"stream", start) if start >= 0 else -1
        end = data.find(b"endstream", begin) if begin >= 0 else -1
        if end < 0:
            continue
        stream = bytes(data[begin:end])
        out = _SECTION.sub(lambda m: b"begin" + m.group(1) + fix_section(m.group(1), m.group(2))
                           + b"end" + m.group(1), stream)
        if len(out) == len(stream):  # always, by construction; never shift an offset
            data[begin:end] = out
    if fixed:
        path.write_bytes(bytes(data))
    return fixed
