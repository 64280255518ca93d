"""What an import found in a file, before anything is written: the dry run's result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class ImportKind(str, Enum):
    ROSTER = "roster"  # 花名册 / 参保台账: households and persons
    CATEGORIES = "categories"  # a civil-affairs or rural-revitalisation list
    PAYMENTS = "payments"  # the tax bureau's payment feedback


class ImportCancelled(Exception):
    """The person pressed cancel; nothing was written."""


@dataclass(frozen=True)
class RowIssue:
    """A row that was refused (or accepted with a warning), and why, in plain Chinese."""

    sheet: str
    row_number: int  # as Excel shows it
    column: str  # the column's header in the file, or "" when the row as a whole is at fault
    reason: str
    raw: tuple[Any, ...] = ()
    id_number: str = ""

    @property
    def location(self) -> str:
        where = f"{self.sheet} 第{self.row_number}行"
        return f"{where}“{self.column}”列" if self.column else where

    def __str__(self) -> str:
        return f"{self.location}：{self.reason}"


@dataclass(frozen=True)
class TableInfo:
    """A sheet that was read: its header as written, where it is, and what each column holds."""

    sheet: str
    headers: tuple[str, ...]
    header_row_number: int
    layout_signature: str
    mapping: dict[int, str]  # column → field value
    rows: int = 0


@dataclass(slots=True)
class PersonRow:
    """A roster row ready to write."""

    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    relation: str
    phone: str
    village: str
    household_number: str
    head_name: str
    address: str
    categories: tuple[str, ...] = ()
    recorded_status: str | None = None
    status_reason: str = ""
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    person_id: int | None = None  # set for a person already in the ledger
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class CategoryRow:
    person_id: int
    id_number: str
    name: str
    codes: tuple[str, ...]
    identified_on: dt.date | None
    new_codes: tuple[str, ...] = ()  # those the person does not hold yet


@dataclass(slots=True)
class PaymentRow:
    person_id: int
    id_number: str
    name: str
    amount_fen: int
    paid_on: dt.date
    channel: str
    voucher: str


@dataclass
class EndedCategory:
    """取消: held this year, absent from a full list of that category."""

    person_id: int
    id_number: str
    name: str
    code: str


@dataclass
class ImportPlan:
    kind: ImportKind
    path: Path
    year: int
    tables: list[TableInfo] = field(default_factory=list)
    sheets_without_header: list[str] = field(default_factory=list)
    new: list[Any] = field(default_factory=list)
    updated: list[Any] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    unmatched: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    ended: list[EndedCategory] = field(default_factory=list)
    full_list: bool = False
    source: str = ""
    rows_read: int = 0
    sha256: str = ""  # of the file as it was read, for the audit entry

    @property
    def accepted(self) -> int:
        return len(self.new) + len(self.updated) + self.unchanged

    def summary_line(self) -> str:
        parts = [f"{len(self.new)} new", f"{len(self.updated)} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        line = (
            f"{self.kind.value}: {self.accepted} accepted ({', '.join(parts)}), "
            f"{len(self.rejected)} rejected, {len(self.unmatched)} unmatched"
        )
        if self.ended:
            line += f", {len(self.ended)} ended"
        return line


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    written: bool
    recomputed: int = 0
    backup: Path | None = None
    seconds: float = 0.0
