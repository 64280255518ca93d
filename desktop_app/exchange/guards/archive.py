"""The zip package (.xlsx, .xlsm, .xlsb, .ods): its central directory, each part inflated in a
stream that stops at the declared size, and the parts calamine parses handed to their format's
scanner."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

from desktop_app.exchange.guards.ods import scan_ods_part
from desktop_app.exchange.guards.refusal import (
    MSG_DAMAGED,
    MSG_PASSWORD,
    Budget,
    Refusal,
    crafted,
    msg_too_large,
)
from desktop_app.exchange.guards.xlsb import scan_xlsb_part
from desktop_app.exchange.guards.xlsx import scan_xlsx_part
from desktop_app.exchange.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_SMALL_PART_BYTES,
    MAX_XML_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_CHECK_BYTES,
)

_CHUNK = 4 << 20


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in pieces of at most ``_CHUNK``, never more than it declares."""
    if info.flag_bits & 0x1:
        raise Refusal("password", MSG_PASSWORD)
    start = info.header_offset
    if data[start:start + 4] != b"PK\x03\x04" or len(data) < start + 30:
        raise Refusal("damaged", MSG_DAMAGED)
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_len + extra_len
    end = begin + info.compress_size
    if end > len(data):
        raise Refusal("damaged", MSG_DAMAGED)
    declared = info.file_size
    produced = 0
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != declared:
            raise Refusal("damaged", MSG_DAMAGED)
        for at in range(begin, end, _CHUNK):
            piece = data[at:min(at + _CHUNK, end)]
            crc = zlib.crc32(piece, crc)
            yield piece
        produced = declared
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        view = memoryview(data)[begin:end]
        at = 0
        try:
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                elif at < len(view):
                    piece = inflater.decompress(view[at:at + _CHUNK], _CHUNK)
                    at += _CHUNK
                else:
                    break
                if not piece:
                    continue
                produced += len(piece)
                if produced > declared:
                    raise crafted(f"压缩包中的“{info.filename[:60]}”解压后比它声明的{declared:,}字节更大")
                crc = zlib.crc32(piece, crc)
                yield piece
        except zlib.error:
            raise Refusal("damaged", MSG_DAMAGED) from None
    else:
        raise Refusal("damaged", MSG_DAMAGED)  # deflate64, bzip2…: not what Excel or WPS write
    if produced != declared or crc != info.CRC:
        raise Refusal("damaged", MSG_DAMAGED)


def _norm(name: str) -> str:
    return posixpath.normpath(name.replace("\\", "/").lstrip("/"))


_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s([^>]*)>")
_REL_TYPE = re.compile(rb"""\sType\s*=\s*["']([^"']*)["']""")
_REL_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")


def _workbook_parts(archive: zipfile.ZipFile, data: bytes) -> dict[str, str]:
    """Part → relationship type ("worksheet", "sharedStrings", …) for what the workbook's
    relationships point at: calamine finds its sheets this way, whatever they are named."""
    parts: dict[str, str] = {}
    for info in archive.infolist():
        name = _norm(info.filename)
        if not name.endswith("_rels/workbook.xml.rels") and not name.endswith("_rels/workbook.bin.rels"):
            continue
        if info.file_size > MAX_SMALL_PART_BYTES:
            raise Refusal("too_large", msg_too_large(f"其中“{info.filename[:60]}”过大"))
        folder = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/workbook.xml.rels → xl
        for match in _RELATIONSHIP.finditer(b"".join(_inflate(data, info))):
            kind = _REL_TYPE.search(match.group(1))
            target = _REL_TARGET.search(match.group(1))
            if kind is None or target is None:
                continue
            path = target.group(1).decode("utf-8", "replace")
            if "://" in path:
                continue
            path = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
            parts[_norm(path)] = kind.group(1).decode("ascii", "replace").rsplit("/", 1)[-1]
    return parts


_SHEET_TYPES = frozenset({"worksheet", "macrosheet", "dialogsheet", "chartsheet", "xlMacrosheet",
                          "xlIntlMacrosheet"})


def check_zip(data: bytes) -> dict[str, tuple[int, int]]:
    """Refuse a zip package calamine must not open; otherwise give each .xlsx sheet part's extent
    (part name as in the zip, normalised: ``(last row, last column)``, 1-based)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if not infos:
            raise Refusal("damaged", MSG_DAMAGED)
        if len(infos) > MAX_ZIP_ENTRIES:
            raise crafted(f"压缩包里有{len(infos):,}个部件")
        names = {_norm(info.filename) for info in infos}
        is_ods = "content.xml" in names and "xl/workbook.xml" not in names
        is_xlsb = "xl/workbook.bin" in names
        if is_ods:
            _check_ods_encryption(archive, data)
        related = {} if is_ods else _workbook_parts(archive, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, UnicodeDecodeError, NotImplementedError, KeyError):
        raise Refusal("damaged", MSG_DAMAGED) from None
    budget = Budget()
    extents: dict[str, tuple[int, int]] = {}
    xml_total = 0
    for info in infos:
        name = _norm(info.filename)
        lower = name.lower()
        kind = related.get(name, "")
        sheet = kind in _SHEET_TYPES or "worksheets/" in lower
        shared = kind == "sharedStrings" or "sharedstrings" in lower
        if is_ods:
            scan = "ods" if lower.endswith(".xml") else ""
        elif is_xlsb:
            scan = "xlsb" if sheet or shared else ("size" if lower.endswith((".xml", ".rels", ".bin")) else "")
        else:
            scan = "xlsx" if sheet or shared or lower.endswith((".xml", ".rels")) else ("size" if kind else "")
        if not scan:
            continue  # pictures and the like: calamine never inflates them
        big_allowed = sheet or shared or lower == "content.xml"
        limit = MAX_XML_BYTES if big_allowed else MAX_SMALL_PART_BYTES
        if info.file_size > limit:
            raise Refusal("too_large", msg_too_large(
                f"其中“{info.filename[:60]}”解压后有{info.file_size / (1 << 20):,.0f} MB"))
        if (info.file_size > RATIO_CHECK_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            raise crafted(
                f"“{info.filename[:60]}”压缩了{info.file_size // max(info.compress_size, 1):,}倍，"
                "正常表格只有几倍到几十倍")
        xml_total += info.file_size
        if xml_total > MAX_XML_BYTES:
            raise Refusal("too_large", msg_too_large(
                f"解压后共有{xml_total / (1 << 20):,.0f} MB，本程序一次最多读取"
                f"{MAX_XML_BYTES / (1 << 20):,.0f} MB"))
        if scan == "ods":
            scan_ods_part(_inflate(data, info), budget)
        elif scan == "xlsb":
            scan_xlsb_part(_inflate(data, info), budget, shared=shared)
        elif scan == "xlsx":
            extent = scan_xlsx_part(_inflate(data, info), budget, shared=shared, sheet=sheet)
            if sheet:
                extents[name] = extent
        else:
            for _piece in _inflate(data, info):
                pass  # declared size and checksum checked
    return extents


_ODS_ENCRYPTED = re.compile(rb"encryption-data")


def _check_ods_encryption(archive: zipfile.ZipFile, data: bytes) -> None:
    for info in archive.infolist():
        if (_norm(info.filename) == "META-INF/manifest.xml" and info.file_size <= MAX_SMALL_PART_BYTES
                and _ODS_ENCRYPTED.search(b"".join(_inflate(data, info)))):
            raise Refusal("password", MSG_PASSWORD)

