"""Text files' bytes to text: UTF-8 (with or without BOM), GB18030, UTF-16 and UTF-32, refusing
binary content and a file whose encoding changes half-way."""

from __future__ import annotations

import codecs
import os

from desktop_app.exchange.reading.sheet import UnreadableFileError

MSG_NOT_TEXT = (
    "文件不是文本格式的CSV表格，或者已经损坏，无法读取。"
    "请用Excel或WPS打开原表格，另存为“Excel工作簿(*.xlsx)”后再导入。"
)

_MSG_MIXED_ENCODING = (
    "文件的编码前后不一致：前面是UTF-8，从第{line:,}行起却不是（可能是两个文件拼在了一起，"
    "或中途被别的软件改过），读出来会是乱码，无法导入。请用WPS或记事本打开，"
    "另存为“UTF-8”编码或Excel工作簿后再导入。"
)


def decode_text(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str]:
    """Decode CSV bytes: UTF-32/UTF-16 by their BOM, UTF-16 without a BOM by its zero bytes,
    else strict UTF-8 (BOM optional), else GB18030. A file that is UTF-8 for a while and then
    not is refused: both decodings would give mojibake somewhere."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        candidates: tuple[str, ...] = ("utf-32",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in data[:65536] and _utf16_without_bom(data):
        candidates = (_utf16_without_bom(data) or "utf-16-le",)
    else:
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            return _checked(body.decode("utf-8"), "utf-8-sig", path)
        except UnicodeDecodeError as exc:
            valid = body[:exc.start].decode("utf-8", "ignore")
            if sum(1 for ch in valid[-4096:] if ord(ch) > 0x7F) >= 8:
                line = body[:exc.start].count(b"\n") + 1
                raise UnreadableFileError(
                    "not_text", _MSG_MIXED_ENCODING.format(line=line), path=path
                ) from None
            data = body
        candidates = ("gb18030",)
    for candidate in candidates:
        try:
            return _checked(data.decode(candidate), candidate, path)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError("not_text", MSG_NOT_TEXT, path=path)


def head_text(data: bytes, size: int = 4096) -> str:
    """The first ``size`` bytes as text good enough to recognise markup in: UTF-32/UTF-16 by BOM
    or zero bytes, else Latin-1 (ASCII tags read the same in UTF-8, GBK and GB18030), from the
    first non-blank character on."""
    head = data[:size]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head[:256]:
        encoding = _utf16_without_bom(head) or "latin-1"
    else:
        head, encoding = head.removeprefix(codecs.BOM_UTF8), "latin-1"
    return head.decode(encoding, "ignore").lstrip("\ufeff \t\r\n")


def _checked(text: str, encoding: str, path: str | os.PathLike[str]) -> tuple[str, str]:
    if not _looks_like_text(text):
        raise UnreadableFileError("not_text", MSG_NOT_TEXT, path=path)
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the zero bytes say so (ASCII digits, commas and line ends
    have a zero high byte), else None."""
    sample = data[:65536]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > half // 5 and even < half // 50:
        return "utf-16-le"
    if even > half // 5 and odd < half // 50:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    """False for binary content that happened to decode (NULs, many control characters)."""
    if "\x00" in text:
        return False
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\x0c")
    return controls <= len(sample) // 1000
