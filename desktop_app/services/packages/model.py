"""What village work packages are made of: receipts, the work copy's facts, a merge plan, errors.

No database and no files here: the other modules of :mod:`desktop_app.services.packages` fill these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.errors import ServiceError

#: What a package and a return file are called on disk.
PACKAGE_SUFFIX = ".ledgerpack"
RETURN_SUFFIX = ".ledgerreturn"

#: Kinds of change a return file carries, and their Chinese names in a merge preview.
KIND_NAMES = {
    "payment": "新缴费",
    "reversal": "冲正",
    "status": "参保状态",
    "person": "新增人员",
    "household": "新增户",
    "edit": "修改",
}

#: Fields a village may change, in words.
FIELD_NAMES = {
    "name": "姓名",
    "relation": "与户主关系",
    "phone": "电话",
    "household": "所在户",
    "note": "备注",
    "address": "地址",
    "head_name": "户主姓名",
    "status": "参保状态",
}

#: Conflict kinds (issue 17) and what each means.
CONFLICT_NAMES = {
    "both_edited": "两边都改了",
    "paid_but_gone": "乡镇已标记死亡或迁出",
    "same_newborn": "两边都新增了同一人",
    "moved_village": "乡镇已把此人迁到别的村",
}

TOWNSHIP = "township"
VILLAGE = "village"


class PackageError(ServiceError):
    """A work package or return file that could not be made, opened or merged; nothing changed."""


class PackagePasswordError(PackageError):
    """The password or pairing code does not open the file."""


class PackageDamagedError(PackageError):
    """Not a package file, or altered, or cut off."""


class PackageForeignError(PackageError):
    """A file cut from (or returned to) a different township ledger, or for other villages."""


@dataclass(frozen=True)
class PackageBase:
    """The township ledger's state a package was cut from."""

    ledger_id: str
    cut_at: dt.datetime
    audit_head: str

    def as_json(self) -> dict:
        return {"ledger_id": self.ledger_id, "cut_at": self.cut_at.isoformat(" ", "seconds"),
                "audit_head": self.audit_head}

    @classmethod
    def from_json(cls, data: dict) -> PackageBase:
        return cls(str(data["ledger_id"]), dt.datetime.fromisoformat(data["cut_at"]), str(data["audit_head"]))


@dataclass(frozen=True)
class PackageReceipt:
    package_id: str
    path: Path
    villages: tuple[str, ...]
    year: int
    households: int
    persons: int
    payments: int
    base: PackageBase
    pairing_code: str | None  # the password, when none was given

    def summary(self) -> str:
        return (f"package: {'、'.join(self.villages)} {self.year}: {self.households} households, "
                f"{self.persons} persons, {self.payments} payments")


@dataclass(frozen=True)
class WorkCopyInfo:
    package_id: str
    villages: tuple[str, ...]
    year: int
    base: PackageBase
    path: Path | None = None

    def banner(self) -> str:
        """“村级工作副本：东山村 · 2026年度 · 基于12月1日的台账”."""
        cut = self.base.cut_at
        return f"村级工作副本：{'、'.join(self.villages)} · {self.year}年度 · 基于{cut.month}月{cut.day}日的台账"

    def as_json(self) -> dict:
        return {"package_id": self.package_id, "villages": list(self.villages), "year": self.year,
                "base": self.base.as_json()}

    @classmethod
    def from_json(cls, data: dict, path: Path | None = None) -> WorkCopyInfo:
        return cls(str(data["package_id"]), tuple(data["villages"]), int(data["year"]),
                   PackageBase.from_json(data["base"]), path)


@dataclass(frozen=True)
class ReturnReceipt:
    package_id: str
    return_id: str
    path: Path
    changes: int
    counts: dict[str, int]

    def summary(self) -> str:
        return f"return: {self.changes} changes ({counts_words(self.counts)})"


@dataclass(frozen=True)
class Conflict:
    id: str
    kind: str
    id_number: str
    person: str
    field: str
    field_name: str
    township_value: str
    village_value: str
    words: str


@dataclass(frozen=True)
class MergeItem:
    kind: str
    id_number: str
    person: str
    words: str
    conflict_id: str | None = None


@dataclass
class MergePlan:
    package_id: str
    return_id: str
    villages: tuple[str, ...]
    year: int
    operator: str
    returned_at: dt.datetime
    counts: dict[str, int]
    items: list[MergeItem]
    conflicts: list[Conflict]
    already_merged: bool
    changes: list[dict] = field(default_factory=list, repr=False)  # the return's changes, for apply
    work_audit_head: str = ""

    def summary(self) -> str:
        if self.already_merged:
            return "merge: already merged, nothing to do"
        return f"merge: {counts_words(self.counts)}, {len(self.conflicts)} conflicts"


@dataclass(frozen=True)
class MergeReceipt:
    package_id: str
    return_id: str
    applied: dict[str, int]
    skipped: int

    def summary(self) -> str:
        return f"merged: {counts_words(self.applied)}, {self.skipped} skipped"


def counts_words(counts: dict[str, int]) -> str:
    order = ("payment", "reversal", "status", "household", "person", "edit")
    names = {"payment": "payments", "reversal": "reversals", "status": "statuses", "household": "new households",
             "person": "new persons", "edit": "edits"}
    return ", ".join(f"{counts.get(kind, 0)} {names[kind]}" for kind in order)
