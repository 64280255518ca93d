"""Merge translations kept as TSV (context<TAB>source<TAB>translation) into the zh_CN .ts.

Engineers who work beside the .ts write their strings into resources/translations/pending/*.tsv;
this fills the matching unfinished entries (run scripts/update_translations.sh first so the .ts
has them, and again after, to compile the .qm). Merged files are removed.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "enrollment_ledger_zh_CN.ts"
PENDING = ROOT / "resources" / "translations" / "pending"


def main() -> int:
    wanted: dict[tuple[str, str], str] = {}
    files = sorted(PENDING.glob("*.tsv"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                context, source, translation = line.split("\t")
                wanted[(context, source.replace("\\n", "\n"))] = translation.replace("\\n", "\n")
    tree = ET.parse(TS)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"))
            translation = message.find("translation")
            if key in wanted and translation is not None:
                translation.text = wanted[key]
                translation.attrib.pop("type", None)
                filled += 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"filled {filled} of {len(wanted)} pending translations from {len(files)} files")
    if filled == len(wanted):
        for path in files:
            path.unlink()
    return 0 if filled == len(wanted) else 1


if __name__ == "__main__":
    sys.exit(main())
