"""How much of a file an import will read: every limit in one place.

Counties send what their systems and clerks make, and now and then a damaged or malicious file.
The reader refuses, with a Chinese message and before the spreadsheet library is handed the file,
anything that would take more memory or time than a laptop in a township office can give. The
limits are set well above real files: a township roster has up to ~100,000 rows × ~30 columns; a
county file may have 1,000,000 rows (Excel's own maximum, 1,048,576, is accepted).

Why the reader must check *before* parsing: python-calamine (the Rust calamine library) keeps a
sheet as one dense grid from its first to its last used cell, 32 bytes per cell even when empty,
and a failed allocation in Rust aborts the whole program (no exception). A 600-byte .xlsx with one
cell at XFD1048576 asks for 17 billion cells; an 800-byte .ods with a repeated row asks for 94
million. So the reader scans the XML itself (streamed, never held whole) for the used area of each
sheet, and checks the zip's declared sizes and compression ratios. Measured on the project's
two-core machine: the scan costs about 15 % of calamine's own parse (0.4 s for a 100,000 × 30
roster).
"""

from __future__ import annotations

MIB = 1 << 20
GIB = 1 << 30

#: Largest file read at all. A full 1,048,576-row county sheet is ~100 MB as .xlsx and 300–400 MB
#: as CSV; the whole file is held in memory while it is read.
MAX_FILE_BYTES = 512 * MIB

#: Rows and columns of a sheet: Excel's own maximum (1,048,576 rows, 16,384 columns = XFD).
#: A cell beyond them was not written by Excel or WPS: the file is damaged or crafted.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

#: Cells held in memory for one file: for each sheet read, (last used row) × (last used column),
#: summed over the sheets, plus a workbook's shared strings. calamine spends 32 bytes per cell of
#: that area even when it is empty, so 2^25 cells is about 1 GiB: a full 1,048,576-row sheet 32
#: columns wide, or a 100,000-row roster 335 columns wide. A larger file must be split.
MAX_CELLS = 1 << 25

#: Characters in one cell: Excel's own limit. A longer cell was not typed in Excel or WPS.
MAX_CELL_CHARS = 32_767
#: The same limit as bytes of XML between two tags (a character is up to 4 bytes of UTF-8, and
#: an escaped "&amp;" is 5), with room for the tag's own attributes.
MAX_XML_RUN_BYTES = 6 * MAX_CELL_CHARS + 4096

#: Elements open inside one another in an XML Spreadsheet 2003 document (a web platform's ".xls").
#: The format nests six deep (Workbook, Worksheet, Table, Row, Cell, Data) and rich text inside a
#: cell a few more; expat keeps every open element, and ten million nested tags (30 MB of file)
#: took it 1.3 GB here.
MAX_MARKUP_DEPTH = 100

#: Uncompressed XML a workbook may hold in all (what calamine would parse). A full 1,048,576 × 32
#: sheet as Excel saves it is ~1.3 GB of XML; parsing 1.5 GiB takes calamine about 30 s here.
MAX_XML_BYTES = 3 * GIB // 2
#: Uncompressed size of any other part calamine parses (workbook.xml, styles.xml, ...): real ones
#: are a few kilobytes to a megabyte.
MAX_SMALL_PART_BYTES = 64 * MIB
#: Entries in a zip package: a workbook has a dozen, a large one with pictures a few hundred.
MAX_ZIP_ENTRIES = 10_000
#: How much smaller a large part may be compressed than it is. Real sheet XML compresses 8–30
#: times (the cell references change on every cell); a zip bomb 1,000 times. Checked only for
#: parts larger than :data:`RATIO_CHECK_BYTES`.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_BYTES = 16 * MIB

#: Characters of a sheet name kept (Excel allows 31); a longer name is cut, with "…".
MAX_SHEET_NAME_CHARS = 100
#: Characters of a header cell compared against the known headers: the longest known header with
#: a note ("身份证号码（18位，请勿以数字格式填写）") is ~25; longer text names no field.
MAX_HEADER_CHARS = 200
#: Characters of a code such as a household number (户编号): real ones are 4–20 (an 18-character
#: ID number at most, when a household is keyed by its head).
MAX_CODE_CHARS = 64
#: Characters of a cell quoted back in a rejection reason; the rest is shown as "…".
MAX_SHOWN_CHARS = 40

#: Largest amount accepted, in fen: 10^15 fen (10 trillion yuan). Not a judgement on what a person
#: pays (the services check that); the bound past which a number cannot be an amount at all: a
#: float cell stops holding whole fen exactly near 2^53 ≈ 9 × 10^15, and a million-digit "amount"
#: must not become a Decimal, nor an integer too large for SQLite.
MAX_AMOUNT_FEN = 10**15
