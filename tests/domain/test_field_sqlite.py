"""The field build's SQLite is older than this machine's: the Debian 11 bundle
(packaging/build-bullseye.sh) carries Debian 11's libsqlite3 3.34.1, so SQL the ledger sends to a
file must not need a newer SQLite. Found by tests/packaging/test_bullseye.py: an import in
Debian 11 stopped at ``near "RETURNING": syntax error`` (RETURNING came in 3.35)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "desktop_app"
#: Files whose SQL runs only on PostgreSQL (or only names these words in prose).
POSTGRES_ONLY = {"store/postgres.py", "store/schema_check_pg.py", "store/dialect.py", "store/migrations/dialect.py"}
#: SQL newer than SQLite 3.34: RETURNING, ALTER TABLE … DROP COLUMN (3.35), the JSON ->> operator
#: (3.38), STRICT tables (3.37), unixepoch() (3.38).
NEWER = re.compile(r"\bRETURNING\b|\bDROP\s+COLUMN\b|->>|\)\s*STRICT\b|\bunixepoch\s*\(|\bUNIXEPOCH\s*\(")  # the code writes SQL keywords in capitals


def test_no_sql_newer_than_the_field_builds_sqlite() -> None:
    found = []
    for path in ROOT.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        if name in POSTGRES_ONLY:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if NEWER.search(code):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "SQL that Debian 11's SQLite 3.34 cannot run:\n" + "\n".join(found)
