"""Reading the Excel/CSV files counties send and writing the export workbooks they ask for.

File formats only: no database and no Qt. The import and export *services* build on this API:

- :mod:`~desktop_app.exchange.reading`  ``read_tables(path)`` → visible sheets, cells untouched
- :mod:`~desktop_app.exchange.headers`  ``find_header(rows)`` → header row(s) and column mapping
- :mod:`~desktop_app.exchange.rows`     ``locate_tables(sheets)`` and ``DataRows``: data rows
- :mod:`~desktop_app.exchange.cells`    one cell → amount in fen, date, ID number, phone, text
- :mod:`~desktop_app.exchange.writing`  ``write_xlsx(...)`` / ``XlsxExport``: styled workbooks
- :mod:`~desktop_app.exchange.fields`   the fields a column can hold and their header synonyms
"""

from __future__ import annotations

from desktop_app.exchange.cells import (
    CellError,
    clean_name,
    clean_text,
    id_warning,
    is_blank,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    split_multi,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.headers import (
    HeaderMatch,
    find_header,
    find_sheet_header,
    header_at,
    layout_signature,
    normalize_header,
)
from desktop_app.exchange.reading import RawSheet, UnreadableFileError, read_tables
from desktop_app.exchange.rows import (
    DataRow,
    DataRows,
    NoHeaderError,
    Table,
    Tables,
    locate_tables,
    village_from_sheet_name,
)
from desktop_app.exchange.writing import (
    Column,
    ExportError,
    Kind,
    TableSummary,
    XlsxExport,
    mask_phone,
    write_xlsx,
)

__all__ = [
    "CellError",
    "Column",
    "DataRow",
    "DataRows",
    "ExportError",
    "Field",
    "HeaderMatch",
    "Kind",
    "NoHeaderError",
    "RawSheet",
    "Table",
    "TableSummary",
    "Tables",
    "UnreadableFileError",
    "XlsxExport",
    "clean_name",
    "clean_text",
    "find_header",
    "find_sheet_header",
    "header_at",
    "id_warning",
    "is_blank",
    "layout_signature",
    "locate_tables",
    "mask_phone",
    "normalize_header",
    "parse_amount_fen",
    "parse_code",
    "parse_date",
    "parse_id_cell",
    "parse_phone",
    "read_tables",
    "split_multi",
    "village_from_sheet_name",
    "write_xlsx",
]
