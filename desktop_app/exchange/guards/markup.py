"""What the XML formats share: a part cut at tag starts, with no run of text between two tags
longer than any cell can hold."""

from __future__ import annotations

from collections.abc import Iterator

from desktop_app.exchange.guards.refusal import crafted
from desktop_app.exchange.limits import (
    MAX_XML_RUN_BYTES,
)

_RUN_WINDOW = MAX_XML_RUN_BYTES // 2
_MSG_LONG_CELL = "有一段内容（单元格、表名或其他）比Excel允许的32767个字符还长"


def _has_long_run(text: bytes, end: int) -> bool:
    """Whether some text between two tags in ``text[:end]`` is about :data:`MAX_XML_RUN_BYTES`
    long: a run of twice the window covers a whole aligned window, so one ``find`` per window
    tells."""
    w = _RUN_WINDOW
    return any(text.find(b"<", k, k + w) < 0 for k in range(0, end - w + 1, w))


def spans(pieces: Iterator[bytes]) -> Iterator[tuple[bytes, int]]:
    """The part cut at tag starts (no tag is split between two segments), each checked for a
    run of text longer than any cell can be. A segment is given as ``(text, end)``, the segment
    being ``text[:end]``: a sheet's scan reads it in place rather than copy 4 MB each time."""
    carry = b""
    for piece in pieces:
        text = carry + piece if carry else piece
        cut = text.rfind(b"<")
        if cut <= 0:
            if len(text) > MAX_XML_RUN_BYTES:
                raise crafted(_MSG_LONG_CELL)
            carry = text
            continue
        carry = text[cut:]
        if len(carry) > MAX_XML_RUN_BYTES or _has_long_run(text, cut):
            raise crafted(_MSG_LONG_CELL)
        yield text, cut
    if carry:
        if len(carry) > MAX_XML_RUN_BYTES:
            raise crafted(_MSG_LONG_CELL)
        yield carry, len(carry)


def segments(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The segments of :func:`spans` as bytes."""
    for text, end in spans(pieces):
        yield text if end == len(text) else text[:end]

