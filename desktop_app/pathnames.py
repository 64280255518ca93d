"""File names the operating system gives that are not valid UTF-8, shown safely.

On Linux a file name is bytes. A stick or a zip from a Windows computer often holds names in
GBK (``花名册.xlsx`` as ``b'\\xbb\\xa8\\xc3\\xfb\\xb2\\xe1.xlsx'``); Python hands such a name over as a
``str`` with each undecodable byte escaped as a lone surrogate (``os.fsdecode``). That ``str``
opens the file fine (``open``, ``os.replace``, ``sqlite3.connect``: they turn it back into the
same bytes), but it cannot be encoded as UTF-8: printing it, storing it in the ledger or in
JSON, or showing it in the window raised ``UnicodeEncodeError``.

So paths are used as the OS gave them, and only *shown* through :func:`shown`: undecodable
bytes are read as GBK (what a Chinese Windows computer wrote), and what is not GBK either
becomes "�". :func:`install_on_streams` makes stdout and stderr show everything printed that
way, so no message about such a file can end in a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, TextIO

#: A run of escaped bytes, with the characters around it that may be GBK bytes that happened to
#: form valid two-byte UTF-8 ("台" is CC A8 in GBK, which UTF-8 reads as U+0328).
_ESCAPED = re.compile("[\u0080-\u07ff\udc80-\udcff]*[\udc80-\udcff][\u0080-\u07ff\udc80-\udcff]*")


def _as_gbk(match: re.Match[str]) -> str:
    # what a Chinese Windows computer wrote; what is not GBK either becomes "�"
    return match.group().encode("utf-8", "surrogateescape").decode("gbk", "replace")


def shown(name: Any) -> str:
    """``name`` (a path, or a text holding one) as text that can be printed, stored and shown."""
    text = os.fspath(name) if isinstance(name, os.PathLike) else name
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    text = _ESCAPED.sub(_as_gbk, str(text))
    return text.encode("utf-8", "replace").decode("utf-8")  # any other lone surrogate: "?"


class _ShownStream:
    """A text stream that writes everything through :func:`shown`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(shown(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def install_on_streams() -> None:
    """stdout and stderr show undecodable file-name bytes as :func:`shown` does, never raise."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _ShownStream):
            setattr(sys, name, _ShownStream(stream))
