"""OLE compound files (.xls, and .xlsx with an opening password): sector chains followed with
loop detection, an encrypted package recognised, the workbook stream's BIFF8 records walked for
each sheet's last row and column."""

from __future__ import annotations

import struct

from desktop_app.exchange.guards.refusal import (
    MSG_DAMAGED,
    MSG_PASSWORD,
    Budget,
    Refusal,
    crafted,
)

_OLE_FREE, _OLE_END = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA


def _ole_streams(data: bytes) -> dict[str, bytes]:
    """The workbook stream of a compound file, read the way calamine's cfb reader would, but
    refusing sector chains that loop or run off the file. An encrypted package (an .xlsx saved
    with an opening password) is refused at once."""
    if len(data) < 512:
        raise Refusal("damaged", MSG_DAMAGED)
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise Refusal("damaged", MSG_DAMAGED)
    sector = 1 << shift
    sectors = (len(data) - 512 + sector - 1) // sector
    fat_count, first_dir = struct.unpack_from("<II", data, 44)
    cutoff = struct.unpack_from("<I", data, 56)[0]
    minifat_start, minifat_count, difat_start, difat_count = struct.unpack_from("<IIII", data, 60)
    if fat_count > sectors or difat_count > sectors or minifat_count > sectors:
        raise Refusal("damaged", MSG_DAMAGED)

    def read_sector(index: int) -> bytes:
        if index >= sectors:
            raise Refusal("damaged", MSG_DAMAGED)
        at = 512 + index * sector
        return data[at:at + sector].ljust(sector, b"\0")

    difat = list(struct.unpack_from("<109I", data, 76))
    seen: set[int] = set()
    at = difat_start
    while at <= _MAX_REGULAR and len(seen) < difat_count:
        if at in seen:
            raise crafted("文件内部的扇区链首尾相接，形成了死循环")
        seen.add(at)
        block = struct.unpack(f"<{sector // 4}I", read_sector(at))
        difat.extend(block[:-1])
        at = block[-1]
    fat: list[int] = []
    for index in [s for s in difat if s <= _MAX_REGULAR][:fat_count]:
        fat.extend(struct.unpack(f"<{sector // 4}I", read_sector(index)))

    def chain(start: int, limit: int | None = None) -> bytes:
        out: list[bytes] = []
        visited: set[int] = set()
        at = start
        while at <= _MAX_REGULAR:
            if at >= len(fat):
                raise Refusal("damaged", MSG_DAMAGED)
            if at in visited:
                raise crafted("文件内部的扇区链首尾相接，形成了死循环")
            visited.add(at)
            out.append(read_sector(at))
            if limit is not None and len(out) * sector >= limit:
                break
            at = fat[at]
        return b"".join(out)

    directory = chain(first_dir)
    if len(directory) < 128:
        raise Refusal("damaged", MSG_DAMAGED)
    root_start, root_size = struct.unpack_from("<II", directory, 116)
    mini_stream = b""
    minifat: list[int] = []
    streams: dict[str, bytes] = {}
    for i in range(1, len(directory) // 128):
        entry = directory[i * 128:(i + 1) * 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        if entry[66] != 2 or not 2 <= length <= 64:
            continue
        name = entry[:length - 2].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", entry, 116)
        if name in ("EncryptedPackage", "EncryptionInfo"):
            raise Refusal("password", MSG_PASSWORD)
        if name not in ("Workbook", "Book"):
            continue
        if size < cutoff:
            if not mini_stream:
                mini_stream = chain(root_start, root_size) if root_start <= _MAX_REGULAR else b""
                if minifat_start <= _MAX_REGULAR:
                    raw = chain(minifat_start)
                    minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
            parts: list[bytes] = []
            visited: set[int] = set()
            at = start
            while at <= _MAX_REGULAR and len(parts) * 64 < size:
                if at >= len(minifat):
                    raise Refusal("damaged", MSG_DAMAGED)
                if at in visited:
                    raise crafted("文件内部的扇区链首尾相接，形成了死循环")
                visited.add(at)
                parts.append(mini_stream[at * 64:(at + 1) * 64])
                at = minifat[at]
            streams[name] = b"".join(parts)[:size]
        else:
            streams[name] = chain(start, size)[:size]
    return streams


# BIFF8 cell records: LABELSST, LABEL, NUMBER, RK, BLANK, BOOLERR, FORMULA, RSTRING; MULRK and
# MULBLANK span columns (the last column is in their last two bytes before the end).
_BIFF_CELLS = frozenset({0x00FD, 0x0204, 0x0203, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6})
_BIFF_MULTI = frozenset({0x00BD, 0x00BE})
_BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS = 0x0809, 0x000A, 0x002F


def check_ole(data: bytes) -> None:
    """Refuse an OLE file calamine must not open (or cannot: an encrypted .xlsx)."""
    try:
        streams = _ole_streams(data)
    except (struct.error, IndexError, ValueError):
        raise Refusal("damaged", MSG_DAMAGED) from None
    stream = streams.get("Workbook") or streams.get("Book")
    if not stream:
        raise Refusal("damaged", MSG_DAMAGED)
    budget = Budget()
    pos = 0
    end = len(stream)
    max_row = max_col = 0
    in_sheet = False
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + size
        if kind == _BIFF_FILEPASS:
            raise Refusal("password", MSG_PASSWORD)
        if kind == _BIFF_BOF:
            in_sheet = True  # a chart inside a sheet nests a BOF…EOF: keep counting
        elif kind == _BIFF_EOF:
            if in_sheet and max_row and max_col:
                budget.add_sheet(max_row, max_col)
            in_sheet = False
            max_row = max_col = 0
        elif kind in _BIFF_CELLS and size >= 4 and body + 4 <= end:
            row, col = struct.unpack_from("<HH", stream, body)
            max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
        elif kind in _BIFF_MULTI and size >= 6 and pos <= end:
            row, _first = struct.unpack_from("<HH", stream, body)
            last = struct.unpack_from("<H", stream, pos - 2)[0]
            max_row, max_col = max(max_row, row + 1), max(max_col, last + 1)
    if in_sheet and max_row and max_col:
        budget.add_sheet(max_row, max_col)
