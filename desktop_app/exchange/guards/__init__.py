"""Checks made on a workbook's bytes before python-calamine sees them (limits in :mod:`.limits`).

calamine is fast and safe against XML entity tricks (quick-xml expands no DTD entities), but it
keeps each sheet as a dense grid from A1-ish to the last used cell, and a failed allocation in Rust
aborts the process. So, before calamine opens a file, this module works out from the file itself
how much it would have to hold, cheaply and without holding it:

- **zip packages** (.xlsx, .xlsm, .xlsb, .ods): the central directory is read (entry count, declared
  sizes, compression ratios, encryption), then every part calamine parses is inflated in a stream,
  piece by piece, with our own inflater that stops at the declared size (a part that inflates to
  more than it declares is refused), and scanned: the last row and column of every cell
  (``<c r="…">`` in .xlsx, records in .xlsb, repeated rows and cells in .ods), the number of shared
  strings, the longest run of text between two tags. For .xlsx written the usual way, a few regex
  searches per 4 MB that find nothing prove the last row and column; anything else is read cell
  by cell;
- **OLE compound files** (.xls, and .xlsx with an opening password): the sector chains are followed
  with loop detection, an encrypted package is recognised, and the BIFF records of the workbook
  stream are walked for the last row and column of every cell and the number of shared strings.

One module per format: :mod:`.archive` (the zip package: its directory and inflating) with
:mod:`.xlsx`, :mod:`.ods` and :mod:`.xlsb` for the parts inside it, :mod:`.markup` for what the
XML formats share, :mod:`.ole` for compound files; :mod:`.refusal` has the errors and the cell
budget every format counts against.

Any check that fails raises :class:`Refusal` (code and Chinese message); :mod:`.reading` turns it
into ``UnreadableFileError``. A check never raises anything else for a bad file.
"""

from desktop_app.exchange.guards.archive import check_zip
from desktop_app.exchange.guards.ole import check_ole
from desktop_app.exchange.guards.refusal import (
    MSG_CRAFTED,
    MSG_DAMAGED,
    MSG_PASSWORD,
    Refusal,
    crafted,
    msg_too_large,
)

__all__ = [
    "MSG_CRAFTED",
    "MSG_DAMAGED",
    "MSG_PASSWORD",
    "Refusal",
    "check_ole",
    "check_zip",
    "crafted",
    "msg_too_large",
]
