"""Hostile files for the import fuzz tests, written on the spot into a temp folder.

Nothing large is committed: every file is generated at test time from a few small builders, and the
big ones (a 1 GiB zip bomb, a sheet of 1,048,576 rows) are made in a second or two by writing the
package by hand: the sheet XML streamed into the zip, and a bomb's deflate stream made of one
compressed megabyte repeated (each piece ends with a full flush, so the pieces can be joined).

:data:`CASES` lists every case: a file name (its suffix matters, the importer looks at it), a builder,
and what the importer must do with it:

- ``"refused"``: ``UnreadableFileError`` (or ``ServiceError``) with a Chinese message, nothing written;
- ``"read"``: a plan, every rejected row with a Chinese reason;
- ``"either"``: one or the other (random damage may or may not leave a readable file).

In every case the process must end normally within the time limit and the memory cap.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from desktop_app.domain.idnumber import make_id_number

ROOT = Path(__file__).resolve().parents[2]
XLS_FIXTURE = ROOT / "tests" / "exchange" / "fixtures" / "county_roster.xls"

HEAD = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "联系电话", "人员类别",
        "缴费金额", "缴费日期"]
GIB = 1 << 30
MIB = 1 << 20


def pid(n: int) -> str:
    """A valid ID number that the demo ledger does not hold (region 431199, born 1970 + n days)."""
    return make_id_number("431199", dt.date(1970, 1, 1) + dt.timedelta(days=n % 15000), 101 + n % 800)


def roster_rows(count: int = 6, *, title: bool = True) -> list[list[object]]:
    rows: list[list[object]] = []
    if title:
        rows.append(["青山镇2025年度城乡居民医保参保花名册"])
    rows.append(list(HEAD))
    for n in range(count):
        relation = "户主" if n % 3 == 0 else "子"
        rows.append([n + 1, f"测试{n}", pid(n), f"F{n // 3:04d}", relation, "东山村",
                     f"138{n:08d}", "低保" if n % 4 == 0 else "", 400, "2025-01-02"])
    return rows


# --------------------------------------------------------------------------- xlsx by hand


def col_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (any size: hostile files go past XFD)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref: str, value: object) -> str:
    """One ``<c>``: text as an inline string, numbers as numbers, a ``("raw", xml)`` as given."""
    if isinstance(value, tuple) and value and value[0] == "raw":
        return str(value[1]).replace("{ref}", ref)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: Iterable[Iterable[object]], start_row: int = 1) -> Iterator[str]:
    for r, values in enumerate(rows, start=start_row):
        cells = "".join(cell_xml(f"{col_letters(c)}{r}", v) for c, v in enumerate(values))
        yield f'<row r="{r}">{cells}</row>'


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def sheet_head(dimension: str | None = None, prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f"<worksheet {_NS} {_NS_R}>{dim}<sheetData>")


SHEET_TAIL = "</sheetData></worksheet>"


def sheet_xml(rows: Iterable[Iterable[object]] = (), *, body: str = "", dimension: str | None = None,
              prolog: str = "", after: str = "") -> str:
    return sheet_head(dimension, prolog) + "".join(rows_xml(rows)) + body + SHEET_TAIL + after


def _content_types(sheets: int, shared: bool) -> str:
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheets + 1)
    )
    if shared:
        parts += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + parts + "</Types>"
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
        for i, name in enumerate(names, start=1)
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS} {_NS_R}>'
            f"<sheets>{sheets}</sheets></workbook>")


def _workbook_rels(count: int, shared: bool) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    if shared:
        rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
                 '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels + "</Relationships>")


def package_parts(sheets: list[tuple[str, object]], shared: str | None = None) -> dict[str, object]:
    """The parts of a minimal workbook; a sheet's XML is ``str``, ``bytes`` or an iterable of
    ``bytes`` chunks (streamed into the zip)."""
    parts: dict[str, object] = {
        "[Content_Types].xml": _content_types(len(sheets), shared is not None),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _workbook([name for name, _ in sheets]),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets), shared is not None),
    }
    for i, (_, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def write_zip(path: Path, parts: dict[str, object], compression: int = zipfile.ZIP_DEFLATED,
              level: int | None = 6) -> Path:
    with zipfile.ZipFile(path, "w", compression, compresslevel=level) as archive:
        for name, content in parts.items():
            if isinstance(content, str):
                archive.writestr(name, content.encode("utf-8"))
            elif isinstance(content, (bytes, bytearray)):
                archive.writestr(name, bytes(content))
            else:  # chunks: stream them
                with archive.open(name, "w", force_zip64=True) as out:
                    for chunk in content:  # type: ignore[attr-defined]
                        out.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
    return path


def write_xlsx(path: Path, sheet: object, *, name: str = "东山村", shared: str | None = None,
               compression: int = zipfile.ZIP_DEFLATED) -> Path:
    return write_zip(path, package_parts([(name, sheet)], shared), compression)


def openpyxl_roster(path: Path, rows: list[list[object]] | None = None) -> Path:
    """A workbook as Excel-like tools save it: shared strings, styles, merged title."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "东山村"
    for values in rows if rows is not None else roster_rows(8):
        sheet.append(values)
    sheet.merge_cells("A1:J1")
    book.save(path)
    return path


# --------------------------------------------------------------------------- hand-made zips


@dataclass
class RawEntry:
    """A zip entry written byte for byte: ``data`` is already compressed (or stored)."""

    name: str
    data: bytes
    method: int  # 0 stored, 8 deflated
    crc: int
    size: int  # uncompressed size as declared (may lie)


def deflate_raw(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_entry(name: str, data: bytes) -> RawEntry:
    return RawEntry(name, deflate_raw(data), 8, zlib.crc32(data), len(data))


def repeated_entry(name: str, prefix: bytes, unit: bytes, times: int, suffix: bytes,
                   declared: int | None = None) -> RawEntry:
    """An entry whose content is ``prefix + unit * times + suffix``, built without ever holding
    it: ``unit`` (1 MiB) is compressed once and its deflate blocks repeated."""

    def piece(data: bytes, final: bool) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    stream = piece(prefix, False) + piece(unit, False) * times + piece(suffix, True)
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + len(unit) * times + len(suffix)
    return RawEntry(name, stream, 8, crc, size if declared is None else declared)


def write_raw_zip(path: Path, entries: list[RawEntry]) -> Path:
    out = io.BytesIO()
    central = []
    for entry in entries:
        offset = out.tell()
        name = entry.name.encode("utf-8")
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, entry.method, 0, 0x21,
                              entry.crc, len(entry.data), entry.size, len(name), 0))
        out.write(name)
        out.write(entry.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, entry.method,
                                   0, 0x21, entry.crc, len(entry.data), entry.size, len(name), 0,
                                   0, 0, 0, 0, offset) + name)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          out.tell() - start, start, 0))
    path.write_bytes(out.getvalue())
    return path


def minimal_parts_raw(sheet_entry: RawEntry | None = None, shared_entry: RawEntry | None = None,
                      sheet: str | None = None) -> list[RawEntry]:
    parts = package_parts([("东山村", sheet or sheet_xml(roster_rows(3)))],
                          "" if shared_entry is not None else None)
    entries = []
    for name, content in parts.items():
        if name == "xl/worksheets/sheet1.xml" and sheet_entry is not None:
            entries.append(sheet_entry)
        elif name == "xl/sharedStrings.xml":
            entries.append(shared_entry)  # type: ignore[arg-type]
        else:
            entries.append(raw_entry(name, str(content).encode("utf-8")))
    return entries


# --------------------------------------------------------------------------- OLE (CFB) files

_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def cfb_streams(data: bytes) -> dict[str, bytes]:
    """The streams of a compound file (version 3, regular sectors only: enough for the fixture)."""
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    first_dir = struct.unpack_from("<I", data, 48)[0]
    cutoff = struct.unpack_from("<I", data, 56)[0]
    difat = [s for s in struct.unpack_from("<109I", data, 76) if s < _FATSECT]
    fat: list[int] = []
    for s in difat:
        fat += struct.unpack_from(f"<{sector // 4}I", data, 512 + s * sector)

    def chain(start: int) -> bytes:
        out, s = [], start
        while s < _FATSECT and len(out) < len(fat):
            out.append(data[512 + s * sector: 512 + (s + 1) * sector])
            s = fat[s]
        return b"".join(out)

    directory = chain(first_dir)
    root_start = struct.unpack_from("<I", directory, 116)[0]
    mini = chain(root_start)
    minifat_start = struct.unpack_from("<I", data, 60)[0]
    minifat = list(struct.unpack_from(f"<{len(chain(minifat_start)) // 4}I", chain(minifat_start))) \
        if minifat_start < _FATSECT else []
    streams = {}
    for i in range(1, len(directory) // 128):
        entry = directory[i * 128:(i + 1) * 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        if entry[66] != 2 or length < 2:
            continue
        name = entry[:length - 2].decode("utf-16-le")
        start, size = struct.unpack_from("<II", entry, 116)
        if size < cutoff:
            parts, s = [], start
            while s < _FATSECT and len(parts) <= len(minifat):
                parts.append(mini[s * 64:(s + 1) * 64])
                s = minifat[s]
            streams[name] = b"".join(parts)[:size]
        else:
            streams[name] = chain(start)[:size]
    return streams


def cfb_build(streams: dict[str, bytes], *, declared_sizes: dict[str, int] | None = None,
              fat_patch: Callable[[list[int], list[int]], None] | None = None) -> bytes:
    """A version-3 compound file holding ``streams`` (each padded to 4096 bytes so that no mini
    stream is needed). ``declared_sizes`` lies about sizes; ``fat_patch`` damages the FAT."""
    sector = 512
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    blobs = []
    for name in names:
        blob = streams[name]
        if len(blob) < 4096:
            blob = blob + b"\0" * (4096 - len(blob))
        blob += b"\0" * (-len(blob) % sector)
        blobs.append(blob)
    dir_entries = 1 + len(names)
    dir_sectors = -(-dir_entries * 128 // sector)
    data_sectors = sum(len(b) // sector for b in blobs)
    fat_sectors = 1
    while fat_sectors * (sector // 4) < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    fat = [_FREE] * (fat_sectors * (sector // 4))
    for i in range(fat_sectors):
        fat[i] = _FATSECT
    pos = fat_sectors
    first_dir = pos
    for i in range(dir_sectors):
        fat[pos] = pos + 1 if i < dir_sectors - 1 else _END
        pos += 1
    starts = []
    for blob in blobs:
        count = len(blob) // sector
        starts.append(pos)
        for i in range(count):
            fat[pos] = pos + 1 if i < count - 1 else _END
            pos += 1
    if fat_patch is not None:
        fat_patch(fat, starts)

    def dir_entry(name: str, kind: int, start: int, size: int, child: int = _FREE,
                  right: int = _FREE) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", _FREE, right, child) + b"\0" * 16 + b"\0" * 4
                + b"\0" * 16 + struct.pack("<III", start, size, 0))

    directory = [dir_entry("Root Entry", 5, _END, 0, child=1 if names else _FREE)]
    sizes = declared_sizes or {}
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _FREE
        # a stream under 4096 bytes would belong in the mini stream: declare the padded size
        size = sizes.get(name, max(len(streams[name]), 4096))
        directory.append(dir_entry(name, 2, starts[i], size, right=right))
    dir_blob = b"".join(directory).ljust(dir_sectors * sector, b"\0")
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", *difat))
    fat_blob = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_blob + dir_blob + b"".join(blobs)


def biff_records(stream: bytes) -> list[tuple[int, bytes]]:
    records, pos = [], 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        records.append((kind, stream[pos + 4: pos + 4 + size]))
        pos += 4 + size
        if kind == 0x000A and len(records) > 1 and records[0][0] == 0x0809 and pos >= len(stream):
            break
    return records


def biff_join(records: list[tuple[int, bytes]]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)


def xls_fixture_stream() -> tuple[dict[str, bytes], str]:
    streams = cfb_streams(XLS_FIXTURE.read_bytes())
    name = "Workbook" if "Workbook" in streams else "Book"
    return streams, name


_CELL_RECORDS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x0006, 0x0201, 0x0205}


def xls_with(edit: Callable[[list[tuple[int, bytes]]], list[tuple[int, bytes]]], **cfb) -> bytes:
    streams, name = xls_fixture_stream()
    records = biff_records(streams[name])
    streams = dict(streams)
    streams[name] = biff_join(edit(records))
    return cfb_build(streams, **cfb)


def _move_first_cell(row: int, col: int) -> Callable[[list[tuple[int, bytes]]], list[tuple[int, bytes]]]:
    def edit(records: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
        out, done = [], False
        for kind, body in records:
            if not done and kind in _CELL_RECORDS and len(body) >= 4:
                body = struct.pack("<HH", row, col) + body[4:]
                done = True
            out.append((kind, body))
        return out
    return edit


def _add_filepass(records: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    # FILEPASS, RC4 CryptoAPI header (what Excel writes for "Encrypt with password")
    filepass = struct.pack("<HHH", 1, 4, 2) + os.urandom(48)
    return [records[0], (0x002F, filepass), *records[1:]]


# --------------------------------------------------------------------------- ODS


def ods_content(tables_xml: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + tables_xml
        + "</office:spreadsheet></office:body></office:document-content>"
    )


def ods_cell(value: object, attrs: str = "") -> str:
    if value is None or value == "":
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return (f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def ods_table(name: str, rows: Iterable[Iterable[object]], extra: str = "") -> str:
    body = "".join("<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
                   for row in rows)
    return f"<table:table table:name={quoteattr(name)}>{body}{extra}</table:table>"


_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest manifest:version="1.2" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def write_ods(path: Path, content: str | RawEntry) -> Path:
    if isinstance(content, RawEntry):
        return write_raw_zip(path, [
            RawEntry("mimetype", _ODS_MIME.encode(), 0, zlib.crc32(_ODS_MIME.encode()), len(_ODS_MIME)),
            raw_entry("META-INF/manifest.xml", _ODS_MANIFEST.encode()),
            content,
        ])
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_roster(path: Path) -> Path:
    return write_ods(path, ods_content(ods_table("东山村", roster_rows(6))))


# --------------------------------------------------------------------------- CSV


def csv_text(rows: list[list[object]], sep: str = ",", newline: str = "\r\n") -> str:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def write_bytes(data: bytes) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return build


# --------------------------------------------------------------------------- damage


def truncated(make: Callable[[Path], Path], cut: float) -> Callable[[Path], Path]:
    """The file ``make`` writes, cut after ``cut`` bytes (an int) or that fraction of it."""

    def build(path: Path) -> Path:
        make(path)
        data = path.read_bytes()
        keep = cut if isinstance(cut, int) else int(len(data) * cut)
        keep = keep if keep >= 0 else len(data) + keep
        path.write_bytes(data[:max(1, min(keep, len(data) - 1))])
        return path
    return build


def flipped(make: Callable[[Path], Path], seed: int, flips: int = 8) -> Callable[[Path], Path]:
    """The file ``make`` writes with ``flips`` random bytes replaced (seeded: reproducible)."""

    def build(path: Path) -> Path:
        make(path)
        data = bytearray(path.read_bytes())
        rng = random.Random(seed)
        for _ in range(flips):
            at = rng.randrange(len(data))
            data[at] = rng.randrange(256) if rng.random() < 0.5 else data[at] ^ (1 << rng.randrange(8))
        path.write_bytes(bytes(data))
        return path
    return build


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], object]
    expect: str = "either"  # "refused", "read" or "either"
    slow: bool = False
    what: str = ""
    #: The kinds of import tried (a million rejected rows takes ~20 s per kind: one is enough).
    kinds: tuple[str, ...] = ("roster", "categories", "payments")

    @property
    def id(self) -> str:
        return self.name


def _valid_xlsx(path: Path) -> Path:
    return openpyxl_roster(path)


def _stored_xlsx(path: Path) -> Path:
    """The roster with every part stored, not deflated: random flips land in the XML itself."""
    return write_xlsx(path, sheet_xml(roster_rows(8)), compression=zipfile.ZIP_STORED)


def _valid_xls(path: Path) -> Path:
    path.write_bytes(XLS_FIXTURE.read_bytes())
    return path


def _laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">']
    for i in range(1, levels):
        entities.append(f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">')
    return "<!DOCTYPE lolz [" + "".join(entities) + "]>"


def _laughs_sheet(path: Path) -> Path:
    body = sheet_xml(roster_rows(2), body='<row r="20"><c r="B20" t="inlineStr"><is><t>&a9;</t></is></c></row>',
                     prolog=_laughs())
    return write_xlsx(path, body)


def _laughs_shared(path: Path) -> Path:
    shared = ('<?xml version="1.0" encoding="UTF-8"?>' + _laughs()
              + f'<sst {_NS} count="2" uniqueCount="2"><si><t>公民身份号码</t></si><si><t>&a9;</t></si></sst>')
    sheet = sheet_xml(body='<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>')
    return write_xlsx(path, sheet, shared=shared)


def _external_entity(path: Path) -> Path:
    prolog = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = sheet_xml(roster_rows(2), body='<row r="9"><c r="B9" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                     prolog=prolog)
    return write_xlsx(path, body)


def _laughs_ods(path: Path) -> Path:
    table = ods_table("东山村", roster_rows(2)).replace("</table:table>",
            '<table:table-row><table:table-cell office:value-type="string"><text:p>&a9;</text:p>'
            "</table:table-cell></table:table-row></table:table>")
    return write_ods(path, ods_content(table, prolog=_laughs()))


def _zip_bomb(part: str) -> Callable[[Path], Path]:
    """A 1 GiB entry in a 1 MB file: zeros, or a cell whose text is 1 GiB of "A"."""

    def build(path: Path) -> Path:
        if part == "zeros":
            entry = repeated_entry("xl/worksheets/sheet1.xml", b"", b"\0" * MIB, 1024, b"")
            return write_raw_zip(path, minimal_parts_raw(sheet_entry=entry))
        if part == "sheet_text":
            prefix = (sheet_head() + "".join(rows_xml(roster_rows(2)))
                      + '<row r="9"><c r="B9" t="inlineStr"><is><t>').encode()
            entry = repeated_entry("xl/worksheets/sheet1.xml", prefix, b"A" * MIB, 1024,
                                   ("</t></is></c></row>" + SHEET_TAIL).encode())
            return write_raw_zip(path, minimal_parts_raw(sheet_entry=entry))
        if part == "lying_size":
            prefix = (sheet_head() + "".join(rows_xml(roster_rows(2)))
                      + '<row r="9"><c r="B9" t="inlineStr"><is><t>').encode()
            entry = repeated_entry("xl/worksheets/sheet1.xml", prefix, b"A" * MIB, 1024,
                                   ("</t></is></c></row>" + SHEET_TAIL).encode(), declared=4096)
            return write_raw_zip(path, minimal_parts_raw(sheet_entry=entry))
        if part == "shared":
            prefix = (f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}><si><t>公民身份号码</t></si>'
                      "<si><t>").encode()
            entry = repeated_entry("xl/sharedStrings.xml", prefix, b"A" * MIB, 1024, b"</t></si></sst>")
            sheet = sheet_xml(body='<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                                   '<row r="2"><c r="A2" t="s"><v>1</v></c></row>')
            return write_raw_zip(path, minimal_parts_raw(shared_entry=entry, sheet=sheet))
        if part == "shared_many":  # 100 million empty shared strings: a vector of 100M Strings
            prefix = f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}><si><t>公民身份号码</t></si>'.encode()
            unit = b"<si><t/></si>" * (MIB // 13)
            entry = repeated_entry("xl/sharedStrings.xml", prefix, unit, 1300, b"</sst>")
            sheet = sheet_xml(body='<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
            return write_raw_zip(path, minimal_parts_raw(shared_entry=entry, sheet=sheet))
        if part == "many_cells":  # 60 million real cells in one column: dense and legal, too many
            head = sheet_head() + "".join(rows_xml([["公民身份号码"]]))
            unit = b"<row><c><v>1</v></c></row>" * (MIB // 25)
            entry = repeated_entry("xl/worksheets/sheet1.xml", head.encode(), unit, 1500,
                                   SHEET_TAIL.encode())
            return write_raw_zip(path, minimal_parts_raw(sheet_entry=entry))
        if part == "ods_text":
            marker = "@@BOMB@@"
            table = ods_table("东山村", roster_rows(2) + [[marker]])
            head, tail = ods_content(table).split(marker)
            entry = repeated_entry("content.xml", head.encode(), b"A" * MIB, 1024, tail.encode())
            return write_ods(path, entry)
        raise ValueError(part)
    return build


def _far_cell(ref: str) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        row = int("".join(ch for ch in ref if ch.isdigit()))
        return write_xlsx(path, sheet_xml(roster_rows(3), body=f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'))
    return build


def _far_cell_no_refs(path: Path) -> Path:
    """Cells without an ``r`` attribute: positions come from counting. 20,000 of them in one row
    under a row numbered 1,048,576."""
    cells = "<c><v>1</v></c>" * 20000
    return write_xlsx(path, sheet_xml(roster_rows(3), body=f'<row r="1048576">{cells}</row>'))


def _far_cell_prefixed(path: Path) -> Path:
    """The far cell written with a namespace prefix and its ``r`` not first, as some tools do."""
    sheet = sheet_xml(roster_rows(3)).replace("<worksheet ", "<x:worksheet xmlns:x="
                                              '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
    sheet = sheet.replace("</sheetData></worksheet>",
                          '<x:row r="1048576"><x:c s="0" r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
                          "</sheetData></worksheet>")
    return write_xlsx(path, sheet)


def _duplicate_r(path: Path) -> Path:
    """A cell naming two positions (XML forbids it; a lax parser keeps the last)."""
    return write_xlsx(path, sheet_xml(roster_rows(3), body='<row r="9"><c r="A9" r="XFD1048576"><v>1</v></c></row>'))


def _dimension_claim(path: Path) -> Path:
    return write_xlsx(path, sheet_xml(roster_rows(4), dimension="A1:XFD1048576"))


def _million_rows(kind: str) -> Callable[[Path], Path]:
    """1,048,576 rows, streamed: a header, then rows that are blank, or each with a bad ID."""

    def chunks() -> Iterator[bytes]:
        yield (sheet_head("A1:C1048576") + "".join(rows_xml([HEAD[:4]]))).encode()
        batch = []
        for r in range(2, 1_048_577):
            if kind == "blank":
                batch.append(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t> </t></is></c></row>')
            else:
                batch.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="C{r}" t="inlineStr">'
                             f"<is><t>43{r:016d}</t></is></c></row>")
            if len(batch) == 20000:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + SHEET_TAIL).encode()

    def build(path: Path) -> Path:
        return write_xlsx(path, chunks())
    return build


def _million_char_cell(path: Path) -> Path:
    rows = roster_rows(3)
    rows[2][1] = "张" * 1_000_000  # the name
    rows[3][2] = "4" * 1_000_000  # the ID number
    rows[4][8] = "9" * 1_000_000  # the amount
    return write_xlsx(path, sheet_xml(rows))


def _long_header_cell(size: int) -> Callable[[Path], Path]:
    """A header row whose cells are ``size`` characters of "()" pairs, which a header matcher
    that strips one trailing note at a time would take quadratic time over."""

    def build(path: Path) -> Path:
        rows = roster_rows(3, title=False)
        rows[0][1] = "姓名" + "()" * (size // 2)
        rows[0][3] = "户编号" + "（注）" * (size // 3)
        return write_xlsx(path, sheet_xml(rows))
    return build


def _long_cells(path: Path) -> Path:
    """Cells just under Excel's 32,767 characters in the name, ID, amount, date and phone."""
    rows = roster_rows(4)
    rows[2][1] = "张" * 30_000
    rows[3][2] = "4" * 30_000
    rows[4][8] = "9" * 30_000
    rows[4][9] = "2025年" * 6000
    rows[5][6] = "13812345678/" * 2500
    return write_xlsx(path, sheet_xml(rows))


def _long_sheet_name(path: Path) -> Path:
    return write_xlsx(path, sheet_xml(roster_rows(3)), name="表" * 200_000)


def _formulas(path: Path) -> Path:
    """Formulas with cached values, formulas without, DDE, hyperlinks and every error value."""
    rows = roster_rows(0)
    body = []
    errors = ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!"]
    r = 3
    for i, error in enumerate(errors):
        body.append(
            f'<row r="{r}"><c r="A{r}"><v>{i}</v></c>'
            f'<c r="B{r}" t="str"><f>HYPERLINK("http://example.invalid/","点我")</f><v>点我</v></c>'
            f'<c r="C{r}" t="e"><f>1/0</f><v>{error}</v></c>'
            f'<c r="D{r}" t="str"><f>cmd|\' /C calc\'!A0</f><v>0</v></c>'
            f'<c r="E{r}" t="inlineStr"><is><t>=cmd|\' /C calc\'!A0</t></is></c>'
            f'<c r="F{r}" t="inlineStr"><is><t>@SUM(1+1)*cmd|\' /C calc\'!A0</t></is></c>'
            f'<c r="G{r}" t="e"><v>{error}</v></c>'
            f'<c r="H{r}"><f>1+1</f></c>'
            f'<c r="I{r}" t="e"><f>1/0</f><v>{error}</v></c>'
            f'<c r="J{r}" t="e"><v>{error}</v></c></row>'
        )
        r += 1
    # a good ID with formula-looking name and amounts; an array formula over the whole sheet
    body.append(
        f'<row r="{r}"><c r="A{r}"><v>99</v></c><c r="B{r}" t="inlineStr"><is><t>+SUM(A1)</t></is></c>'
        f'<c r="C{r}" t="str"><f>"{pid(900)}"</f><v>{pid(900)}</v></c><c r="D{r}" t="str"><f>"F9"</f><v>F9</v></c>'
        f'<c r="E{r}" t="inlineStr"><is><t>户主</t></is></c><c r="F{r}" t="inlineStr"><is><t>-东山村</t></is></c>'
        f'<c r="G{r}"><f t="shared" ref="G{r}:XFD1048576" si="0">1+1</f><v>2</v></c>'
        f'<c r="I{r}"><f t="array" ref="A1:XFD1048576">1/0</f><v>400</v></c>'
        f'<c r="J{r}" t="e"><f>NA()</f><v>#N/A</v></c></row>'
    )
    return write_xlsx(path, sheet_xml(rows, body="".join(body)))


def _modern_errors(path: Path) -> Path:
    """Error values of Excel 365 (dynamic arrays, data types) that python-calamine refuses."""
    rows = roster_rows(2)
    body = "".join(
        f'<row r="{r}"><c r="C{r}" t="e"><f>SEQUENCE(2)</f><v>{error}</v></c></row>'
        for r, error in enumerate(["#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!"], start=10)
    )
    return write_xlsx(path, sheet_xml(rows, body=body))


def _odd_values(path: Path) -> Path:
    """Numbers and types a cell parser may choke on: huge, tiny, negative, NaN text, dates as
    numbers far outside any calendar, booleans where text is wanted, ISO dates (t="d")."""
    rows = roster_rows(0)
    odd = ["1e308", "-1e308", "1e-320", "-0", "4.9e-324", "9" * 300, "1.7976931348623157e308",
           "2958466", "-693594", "99999999999999999999", "0.30000000000000004"]
    body = []
    r = 3
    for value in odd:
        body.append(
            f'<row r="{r}"><c r="A{r}"><v>{value}</v></c><c r="B{r}"><v>{value}</v></c>'
            f'<c r="C{r}"><v>{value}</v></c><c r="D{r}"><v>{value}</v></c><c r="E{r}" t="b"><v>1</v></c>'
            f'<c r="F{r}" t="d"><v>2025-13-45T99:99:99</v></c><c r="G{r}"><v>{value}</v></c>'
            f'<c r="H{r}" t="inlineStr"><is><t>NaN</t></is></c><c r="I{r}"><v>{value}</v></c>'
            f'<c r="J{r}" s="1"><v>{value}</v></c></row>'
        )
        r += 1
    body.append(f'<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>{pid(901)}</t></is></c>'
                f'<c r="B{r}" t="inlineStr"><is><t>正常</t></is></c><c r="F{r}" t="inlineStr"><is><t>东山村</t></is></c>'
                f'<c r="I{r}" t="inlineStr"><is><t>1e999999999</t></is></c>'
                f'<c r="G{r}" t="inlineStr"><is><t>1e999999999</t></is></c>'
                f'<c r="J{r}" t="inlineStr"><is><t>99999-99-99</t></is></c></row>')
    return write_xlsx(path, sheet_xml(rows, body="".join(body)))


def _many_merges(path: Path) -> Path:
    merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(5, 300_005))
    after = f'<mergeCells count="300000">{merges}</mergeCells>'
    sheet = sheet_xml(roster_rows(3)).replace(SHEET_TAIL, "</sheetData>" + after + "</worksheet>")
    return write_xlsx(path, sheet)


def _many_sheets(path: Path) -> Path:
    sheets = [(f"{i}村", sheet_xml(roster_rows(1))) for i in range(1500)]
    return write_zip(path, package_parts(sheets))


def _many_entries(path: Path) -> Path:
    parts = package_parts([("东山村", sheet_xml(roster_rows(3)))])
    for i in range(30_000):
        parts[f"xl/media/junk{i}.bin"] = b""
    return write_zip(path, parts, zipfile.ZIP_STORED)


def _wide_row(path: Path) -> Path:
    rows = roster_rows(2)
    rows[1] = rows[1] + [f"列{i}" for i in range(16384 - len(rows[1]))]
    return write_xlsx(path, sheet_xml(rows))


def _missing_sheet_part(path: Path) -> Path:
    parts = package_parts([("东山村", sheet_xml(roster_rows(3)))])
    del parts["xl/worksheets/sheet1.xml"]
    return write_zip(path, parts)


def _docx(path: Path) -> Path:
    return write_zip(path, {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": _ROOT_RELS.replace("xl/workbook.xml", "word/document.xml"),
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>公民身份号码</w:t></w:r></w:p></w:body></w:document>',
    })


def _empty_zip(path: Path) -> Path:
    path.write_bytes(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0, 0, 0, 0, 0))
    return path


def _ods_repeat(rows: int, cols: int, *, empty: bool = False) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        cell = (f'<table:table-cell table:number-columns-repeated="{cols}"/>' if empty else
                f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="string">'
                "<text:p>x</text:p></table:table-cell>")
        extra = f'<table:table-row table:number-rows-repeated="{rows}">{cell}</table:table-row>'
        return write_ods(path, ods_content(ods_table("东山村", roster_rows(3), extra)))
    return build


def _ods_spaces(path: Path) -> Path:
    """``<text:s text:c="N"/>`` stands for N spaces: 100,000 of them asking for 30,000 each."""
    cell = ('<table:table-row><table:table-cell office:value-type="string"><text:p>'
            + '<text:s text:c="30000"/>' * 100_000 + "</text:p></table:table-cell></table:table-row>")
    return write_ods(path, ods_content(ods_table("东山村", roster_rows(3), cell)))


def _ods_long_name(path: Path) -> Path:
    return write_ods(path, ods_content(ods_table("村" * 300_000, roster_rows(3))))


def _encrypted_xlsx(path: Path) -> Path:
    """What Excel writes for "Encrypt with Password" on an .xlsx: an OLE file, not a zip."""
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption '
        b'xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
        b'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
        b'hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    package = struct.pack("<Q", 9000) + random.Random(5).randbytes(9008)
    path.write_bytes(cfb_build({"EncryptionInfo": info, "EncryptedPackage": package}))
    return path


def _ole_word(path: Path) -> Path:
    path.write_bytes(cfb_build({"WordDocument": b"\xec\xa5" + b"\0" * 5000, "1Table": b"\0" * 5000}))
    return path


def _xls_far_cell(row: int, col: int) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        path.write_bytes(xls_with(_move_first_cell(row, col)))
        return path
    return build


def _xls_filepass(path: Path) -> Path:
    path.write_bytes(xls_with(_add_filepass))
    return path


def _xls_fat_cycle(path: Path) -> Path:
    """A FAT chain that points back at itself: a reader that follows it never stops."""

    def patch(fat: list[int], starts: list[int]) -> None:
        fat[starts[0] + 2] = starts[0]  # the third sector of the stream leads back to its first

    path.write_bytes(xls_with(lambda r: r, fat_patch=patch))
    return path


def _xls_huge_size(path: Path) -> Path:
    streams, name = xls_fixture_stream()
    path.write_bytes(cfb_build(streams, declared_sizes={name: 0x7FFFFFF0}))
    return path


def _xls_bad_record_size(path: Path) -> Path:
    """A record claiming more bytes than the stream has, and one SST claiming 2^31 strings."""

    def edit(records: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
        out = []
        for kind, body in records:
            if kind == 0x00FC and len(body) >= 8:  # SST: total and unique counts
                body = struct.pack("<II", 0x7FFFFFFF, 0x7FFFFFFF) + body[8:]
            out.append((kind, body))
        return out

    path.write_bytes(xls_with(edit))
    return path


def _csv(text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    return write_bytes(text.encode(encoding))


def _csv_mixed_gbk(path: Path) -> Path:
    rows = roster_rows(4)
    lines = csv_text(rows).split("\r\n")
    data = "\r\n".join(lines[:3]).encode("utf-8") + b"\r\n" + "\r\n".join(lines[3:]).encode("gbk")
    path.write_bytes(data)
    return path


def _csv_surrogate(path: Path) -> Path:
    text = csv_text(roster_rows(3))
    # a lone surrogate as CESU/"WTF-8" bytes in the name, and one passed through surrogateescape
    data = text.replace("测试1", "测\udce9试1").encode("utf-8", "surrogatepass")
    data = data.replace("测试2".encode(), b"\xed\xa0\x80" + "试2".encode())
    path.write_bytes(data)
    return path


def _csv_nul(path: Path) -> Path:
    data = csv_text(roster_rows(3)).encode("utf-8")
    path.write_bytes(data[:60] + b"\0" * 10 + data[60:])
    return path


def _csv_one_line(size: int) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        head = csv_text([HEAD]).encode("utf-8")
        path.write_bytes(head + b"1,".ljust(size, b"x"))
        return path
    return build


def _csv_many_columns(path: Path) -> Path:
    rows = roster_rows(3)
    rows[1] = rows[1] + [f"c{i}" for i in range(100_000)]
    path.write_bytes(csv_text(rows).encode("utf-8"))
    return path


def _csv_unclosed_quote(size: int) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        text = csv_text(roster_rows(3)) + '1,"张三,' + "测试数据，引号没有结束\r\n" * (size // 40)
        path.write_bytes(text.encode("utf-8"))
        return path
    return build


def _csv_million_rows(path: Path) -> Path:
    with open(path, "wb") as out:
        out.write(csv_text([HEAD[:4]]).encode())
        out.writelines("".join(f"{r},x,43{r:016d},\r\n" for r in range(start, min(start + 50_000, 1_048_575))).encode() for start in range(0, 1_048_575, 50_000))
    return path


def _csv_blank_lines(path: Path) -> Path:
    path.write_bytes(csv_text(roster_rows(2)).encode() + b",,,,\r\n" * 2_000_000 + b"\n" * 2_000_000)
    return path


def _sparse_huge(size: int) -> Callable[[Path], Path]:
    """A file of ``size`` bytes that takes no disk space (a hole)."""

    def build(path: Path) -> Path:
        with open(path, "wb") as out:
            out.write(csv_text(roster_rows(2)).encode())
            out.truncate(size)
        return path
    return build


def _symlink(target: str | None) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        if target is None:  # to a good roster next to it
            real = path.with_name("real_" + path.name.replace(".xlsx", ".xlsx"))
            openpyxl_roster(real)
            os.symlink(real, path)
        else:
            os.symlink(target, path)
        return path
    return build


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    (path / "xl").mkdir()
    return path


def _truncated_cases() -> list[Case]:
    cases = []
    fixed = [1, 2, 4, 22, 30, 64, 100, 512, 1024, 0.1, 0.25, 0.5, 0.75, 0.9, -100, -23, -22, -2]
    rng = random.Random(8)
    points: list[float | int] = [*fixed, *(round(rng.random(), 4) for _ in range(12))]
    for cut in points:
        cases.append(Case(f"truncated_{cut}.xlsx", truncated(_valid_xlsx, cut), "refused",
                          what="an .xlsx cut short (a download or USB copy that stopped)"))
    for cut in [8, 512, 0.3, 0.6, 0.95, -1]:
        cases.append(Case(f"truncated_{cut}.xls", truncated(_valid_xls, cut), "either"))
    for cut in [30, 0.2, 0.5, 0.8, -22]:
        cases.append(Case(f"truncated_{cut}.ods", truncated(ods_roster, cut), "refused"))
    return cases


def _flip_cases() -> list[Case]:
    cases = []
    for seed in range(10):
        cases.append(Case(f"flipped_{seed}.xlsx", flipped(_valid_xlsx, seed), what="random bytes changed"))
    for seed in range(10):
        cases.append(Case(f"flipped_stored_{seed}.xlsx", flipped(_stored_xlsx, 100 + seed, flips=20)))
    for seed in range(10):
        cases.append(Case(f"flipped_{seed}.xls", flipped(_valid_xls, 200 + seed)))
    for seed in range(6):
        cases.append(Case(f"flipped_{seed}.ods", flipped(ods_roster, 300 + seed)))
    for seed in range(4):
        cases.append(Case(f"flipped_{seed}.csv", flipped(_csv(csv_text(roster_rows(6))), 400 + seed, 30)))
    return cases


CASES: list[Case] = [
    # controls: the harness must see these as readable
    Case("valid.xlsx", _valid_xlsx, "read", what="a good roster (control)"),
    Case("valid.csv", _csv(csv_text(roster_rows(6))), "read", what="a good CSV (control)"),
    Case("valid.xls", _valid_xls, "read", what="the .xls fixture (control)"),
    Case("valid.ods", ods_roster, "read", what="a good .ods (control)"),
    *_truncated_cases(),
    *_flip_cases(),
    # XML bombs and zip bombs
    Case("laughs_sheet.xlsx", _laughs_sheet, what="billion laughs in sheet1.xml"),
    Case("laughs_shared.xlsx", _laughs_shared, what="billion laughs in sharedStrings.xml"),
    Case("laughs.ods", _laughs_ods, what="billion laughs in content.xml"),
    Case("external_entity.xlsx", _external_entity, what="an external entity naming /etc/passwd"),
    Case("zipbomb_zeros.xlsx", _zip_bomb("zeros"), "refused", what="sheet1.xml: 1 GiB of zeros in 1 MB"),
    Case("zipbomb_cell.xlsx", _zip_bomb("sheet_text"), "refused", what="a 1 GiB cell in 1 MB"),
    Case("zipbomb_lying_size.xlsx", _zip_bomb("lying_size"), "refused",
         what="a 1 GiB cell whose zip entry claims 4 KB"),
    Case("zipbomb_shared.xlsx", _zip_bomb("shared"), "refused", what="a 1 GiB shared string"),
    Case("zipbomb_shared_many.xlsx", _zip_bomb("shared_many"), "refused",
         what="100 million empty shared strings"),
    Case("zipbomb_cells.xlsx", _zip_bomb("many_cells"), "refused", what="63 million cells, 1.5 GB of XML"),
    Case("zipbomb.ods", _zip_bomb("ods_text"), "refused", what="content.xml: a 1 GiB cell"),
    # dimensions
    Case("dimension_claims_xfd1048576.xlsx", _dimension_claim, "read",
         what="<dimension ref=A1:XFD1048576> over four rows"),
    Case("far_cell_xfd1048576.xlsx", _far_cell("XFD1048576"), "refused",
         what="one cell at XFD1048576: 17 billion cells for a dense reader"),
    Case("far_cell_zz1048576.xlsx", _far_cell("ZZ1048576"), "refused"),
    Case("far_cell_af1048576.xlsx", _far_cell("AF1048576"), "read",
         what="the largest sheet accepted: 1,048,576 rows × 32 columns, nearly all empty", kinds=("payments",)),
    Case("far_row_beyond_excel.xlsx", _far_cell("A99999999"), "refused"),
    Case("far_row_4e9.xlsx", _far_cell("B4000000000"), "refused"),
    Case("far_col_beyond_excel.xlsx", _far_cell("ZZZZ2"), "refused"),
    Case("far_cell_no_refs.xlsx", _far_cell_no_refs, "refused",
         what="20,000 cells without positions on row 1,048,576"),
    Case("far_cell_prefixed.xlsx", _far_cell_prefixed, "refused",
         what="x:c with r after another attribute"),
    Case("rows_1048576_blank.xlsx", _million_rows("blank"), "read", slow=True,
         what="a sheet of 1,048,576 rows (all blank under the header)", kinds=("roster",)),
    Case("rows_1048576_bad_ids.xlsx", _million_rows("bad"), "read", slow=True,
         what="a sheet of 1,048,576 rows, every ID number wrong", kinds=("payments",)),
    Case("wide_row_16384.xlsx", _wide_row, "read", what="a header 16,384 columns wide"),
    Case("many_merges.xlsx", _many_merges, "read", what="300,000 merged ranges"),
    Case("many_sheets.xlsx", _many_sheets, "either", what="1,500 sheets"),
    Case("many_entries.xlsx", _many_entries, "either", what="30,000 zip entries"),
    # cells
    Case("million_char_cells.xlsx", _million_char_cell, "either", what="cells of 1,000,000 characters"),
    Case("long_header_cells.xlsx", _long_header_cell(1_000_000), "refused",
         what="header cells of a million characters"),
    Case("long_header_cells_30000.xlsx", _long_header_cell(30_000), "read",
         what="header cells of 30,000 characters of \"()\""),
    Case("long_cells_30000.xlsx", _long_cells, "read", what="cells of 30,000 characters"),
    Case("long_sheet_name.xlsx", _long_sheet_name, "either", what="a sheet name of 200,000 characters"),
    Case("formulas_and_errors.xlsx", _formulas, "read", what="=1/0, HYPERLINK, DDE, every error value"),
    Case("modern_errors.xlsx", _modern_errors, "refused", what="#SPILL!, #CALC!, #GETTING_DATA cached values"),
    Case("odd_numbers.xlsx", _odd_values, "read", what="1e308, NaN, 300-digit numbers, 1e999999999"),
    Case("duplicate_r_attribute.xlsx", _duplicate_r, "either", what='<c r="A5" r="XFD1048576">'),
    # ODS specials
    Case("ods_rows_repeated.ods", _ods_repeat(1_048_000, 1), "read", slow=True, kinds=("roster",),
         what="a row repeated 1,048,000 times"),
    Case("ods_repeat_90x1m.ods", _ods_repeat(1_048_000, 90), "refused",
         what="815 bytes asking for 94 million cells"),
    Case("ods_repeat_huge.ods", _ods_repeat(4_000_000_000, 4_000_000_000), "refused"),
    Case("ods_repeat_empty.ods", _ods_repeat(1_048_000, 16384, empty=True), "read",
         what="LibreOffice's trailing empty rows"),
    Case("ods_space_bomb.ods", _ods_spaces, "refused", what="text:s asking for 3 billion spaces"),
    Case("ods_long_sheet_name.ods", _ods_long_name, "either"),
    # wrong containers and OLE oddities
    Case("docx_renamed.xlsx", _docx, "refused", what="a Word document named .xlsx"),
    Case("empty_zip.xlsx", _empty_zip, "refused"),
    Case("missing_sheet_part.xlsx", _missing_sheet_part, "refused"),
    Case("encrypted.xlsx", _encrypted_xlsx, "refused", what="an .xlsx with an opening password"),
    Case("encrypted.xls", _xls_filepass, "refused", what="an .xls with an opening password"),
    Case("word_document.xls", _ole_word, "refused", what="an old Word .doc named .xls"),
    Case("xls_far_cell.xls", _xls_far_cell(0xFFFF, 0xFFFF), "either", what="a BIFF cell at 65535/65535"),
    Case("xls_fat_cycle.xls", _xls_fat_cycle, "either", what="an OLE sector chain that loops"),
    Case("xls_huge_stream.xls", _xls_huge_size, "either", what="a stream claiming 2 GB"),
    Case("xls_huge_sst.xls", _xls_bad_record_size, "either", what="an SST claiming 2^31 strings"),
    Case("random_bytes.xlsx", write_bytes(random.Random(1).randbytes(5000)), "refused"),
    Case("zip_magic_only.xlsx", write_bytes(b"PK\x03\x04" + b"\0" * 100), "refused"),
    Case("ole_magic_only.xls", write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600), "refused"),
    Case("empty.xlsx", write_bytes(b""), "refused"),
    Case("empty.csv", write_bytes(b""), "refused"),
    # CSV: every encoding mistake
    Case("gbk_in_utf8.csv", _csv_mixed_gbk, "either", what="UTF-8 lines, then GBK lines"),
    Case("utf16le_no_bom.csv", _csv(csv_text(roster_rows(4)), "utf-16-le"), "either"),
    Case("utf16be_no_bom.csv", _csv(csv_text(roster_rows(4)), "utf-16-be"), "either"),
    Case("utf16_bom.csv", _csv(csv_text(roster_rows(4)), "utf-16"), "read"),
    Case("utf32.csv", _csv(csv_text(roster_rows(4)), "utf-32"), "either"),
    Case("big5.csv", _csv(csv_text([["姓名", "身分證號碼", "戶號", "村別"], ["陳大文", pid(3), "F1", "東山村"]]),
                          "big5"), "either", what="Traditional Chinese in Big5"),
    Case("gb18030.csv", _csv(csv_text(roster_rows(4)), "gb18030"), "read"),
    Case("shift_jis.csv", _csv(csv_text([["氏名", "身分証番号"], ["山田", pid(3)]]), "shift_jis"), "either"),
    Case("nul_bytes.csv", _csv_nul, "either"),
    Case("lone_surrogate.csv", _csv_surrogate, "either"),
    Case("bom_only.csv", write_bytes(codecs.BOM_UTF8), "refused"),
    Case("bom_then_gbk.csv", write_bytes(codecs.BOM_UTF8 + csv_text(roster_rows(3)).encode("gbk")), "either"),
    Case("latin1.csv", write_bytes(bytes(range(128, 256)) * 40), "either"),
    Case("cr_only.csv", _csv(csv_text(roster_rows(5), newline="\r")), "read"),
    Case("mixed_line_ends.csv", _csv(csv_text(roster_rows(5)).replace("\r\n", "\n", 3)), "read"),
    Case("cr_and_lf_mixed.csv", _csv(csv_text(roster_rows(5), newline="\r") + csv_text(roster_rows(2), newline="\n")),
         "read", what="old-Mac CR lines, then LF lines"),
    Case("tab_and_semicolon.csv", _csv(csv_text(roster_rows(3), sep="\t") + csv_text(roster_rows(3), sep=";")), "either"),
    Case("unclosed_quote.csv", _csv_unclosed_quote(2 * MIB), "either", what="a quote never closed"),
    Case("unclosed_quote_small.csv", _csv_unclosed_quote(2000), "either"),
    Case("one_line_10mb.csv", _csv_one_line(10 * MIB), "either", what="a 10 MB line"),
    Case("many_columns.csv", _csv_many_columns, "either", what="a header of 100,000 columns"),
    Case("million_char_cells.csv", lambda path: _csv(csv_text(
        [HEAD, [1, "张" * 1_000_000, pid(5), "F1", "户主", "东山村"], [2, "李四", "4" * 1_000_000]]))(path), "either"),
    Case("formulas.csv", _csv(csv_text([HEAD, [1, "=cmd|' /C calc'!A0", "=1/0", "+1", "@SUM(1)", "#N/A",
                                               "#REF!", "-1", "=HYPERLINK(\"x\")", "#DIV/0!"]])), "read"),
    Case("blank_lines_4m.csv", _csv_blank_lines, "read", what="4 million empty lines"),
    Case("rows_1048576.csv", _csv_million_rows, "read", slow=True, what="1,048,575 data rows", kinds=("categories",)),
    Case("sparse_600mb.csv", _sparse_huge(600 * MIB), "refused", what="a 600 MB file (a hole on disk)"),
    # not a regular file
    Case("symlink_to_roster.xlsx", _symlink(None), "read"),
    Case("dangling_symlink.xlsx", _symlink("/nonexistent/nowhere.xlsx"), "refused"),
    Case("dev_zero.csv", _symlink("/dev/zero"), "refused", what="a link to /dev/zero: endless"),
    Case("dev_urandom.xlsx", _symlink("/dev/urandom"), "refused"),
    Case("fifo.csv", _fifo, "refused", what="a named pipe nobody writes to"),
    Case("directory.xlsx", _directory, "refused", what="a folder named x.xlsx"),
]

assert len({case.name for case in CASES}) == len(CASES), "case names must be unique"
