"""The 操作日志's hash chain: the recipe, and checking a run of entries against it.

Each audit entry carries ``entry_hash``, the SHA-256 of its own canonical fields, among them
``prev_hash``, the entry_hash of the entry before it (the first entry's prev_hash is 64 zeros).
Changing any field of an entry changes its hash; deleting or inserting an entry breaks the next
entry's link. The recipe, exactly (anyone can re-verify a ledger or an exported trail with it):

1. Take the ten fields in this order: ``id`` (an integer), ``at`` (the text as stored, e.g.
   ``2026-12-03 09:30:00``), ``operator``, ``source`` (``gui``, ``cli``, ``migration`` for an
   upgrade step, or empty for entries written before schema version 5), ``action``, ``table``, ``record_id``, ``old_value``,
   ``new_value``, ``prev_hash`` — all text except ``id``; an empty value is the empty string.
2. Write them as a JSON array with no spaces and non-ASCII characters as themselves:
   Python ``json.dumps(fields, ensure_ascii=False, separators=(",", ":"))``, e.g.
   ``[7,"2026-12-03 09:30:00","王站长","gui","create","payment","12","","{\\"amount_fen\\": 40000}","ab12…"]``.
3. Encode that text as UTF-8 and take its SHA-256, written as 64 lowercase hex digits.

This recipe is a published format: changing it would make every existing chain look broken.
Pure functions only (no database): the store's migration 5 and the services' verifier share it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: prev_hash of the first entry of a ledger.
GENESIS = "0" * 64

#: The stored columns hashed, in the recipe's order (``table`` is quoted in SQL).
CANONICAL_COLUMNS = (
    "id", "at", "operator", "source", "action", "table", "record_id", "old_value", "new_value",
    "prev_hash",
)


def entry_hash(fields: Sequence[object]) -> str:
    """SHA-256 (hex) of one entry's canonical fields, given in :data:`CANONICAL_COLUMNS` order."""
    text = json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain does not hold, and why, in words staff understand."""

    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"操作日志第{self.entry_id}条：{self.reason}"


def first_break(rows: Iterable[Sequence[object]]) -> ChainBreak | None:
    """Walk entries oldest first; ``rows`` are the canonical fields followed by entry_hash.

    Returns the first entry that is altered (its hash does not match its fields), unhashed, or
    whose link to the entry before does not match (an entry before it deleted or inserted, or
    the one before rewritten together with its hash); None when the whole run holds.
    """
    expected_prev = GENESIS
    last_id: int | None = None
    for row in rows:
        *fields, stored = row
        entry_id = fields[0]
        if not isinstance(entry_id, int) or (last_id is not None and entry_id <= last_id):
            return ChainBreak(int(last_id or 0), f"后面的记录序号“{entry_id}”没有按顺序递增")
        if not stored:
            return ChainBreak(entry_id, "没有校验值，不是本程序写入的记录（可能被人为插入）")
        if fields[-1] != expected_prev:
            where = "最早的记录之前" if last_id is None else f"第{last_id}条与这一条之间"
            return ChainBreak(entry_id, f"与前一条记录接不上：{where}有记录被删除、插入或改写")
        if entry_hash(fields) != stored:
            return ChainBreak(entry_id, "内容与校验值不符，这条记录写入后被改动过")
        expected_prev = str(stored)
        last_id = entry_id
    return None
