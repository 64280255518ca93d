"""A work copy takes a newer package of the same villages and keeps its own unreturned changes.

The village's changes since the old base are collected first (as a return would hold them), the
work copy's rows are replaced by the newer package's, and the changes are written again on top
(the village's value wins: nothing typed in the village is lost). What the township has merged
already is in the newer package, so writing it again changes nothing. One transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.services import access, audit
from desktop_app.services.charges import recompute
from desktop_app.services.packages import snapshot
from desktop_app.services.packages.handout import keep_base, read_package, work_copy_info
from desktop_app.services.packages.merge import write_changes
from desktop_app.services.packages.model import (
    VILLAGE,
    PackageBase,
    PackageError,
    PackageForeignError,
    WorkCopyInfo,
)
from desktop_app.services.packages.returns import collect_changes
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import (
    CategoryMembership,
    CategoryRule,
    Enrollment,
    Household,
    Payment,
    Person,
    PolicyYear,
    Region,
    Setting,
    db,
)


@friendly_writes(PackageError)
def refresh_work_copy(newer_package: Path, password: str) -> WorkCopyInfo:
    info = work_copy_info()
    if info is None:
        raise PackageError("这不是村级工作副本：只有工作副本才能换用新的工作包")
    document = read_package(Path(newer_package), password)
    base = PackageBase.from_json(document["base"])
    if base.ledger_id != info.base.ledger_id:
        raise PackageForeignError("这个工作包来自另一个乡镇的台账，不能用来更新这个工作副本")
    if tuple(document["villages"]) != info.villages or int(document["year"]) != info.year:
        raise PackageForeignError(
            f"这个工作包是{'、'.join(document['villages'])}{document['year']}年度的，"
            f"这个工作副本是{'、'.join(info.villages)}{info.year}年度的，不能换用")
    if base.cut_at < info.base.cut_at:
        raise PackageError("这个工作包比工作副本现在用的还旧，不能换用")
    fresh = WorkCopyInfo(document["package_id"], info.villages, info.year, base, info.path)
    with db.atomic():
        changes = collect_changes(info)
        _empty()
        town = Region.get(Region.level == "township")
        snapshot.load_policies(document["policies"])
        snapshot.load(document, town)
        write_changes(changes, info.villages, info.year, {}, VILLAGE, fresh.package_id)
        if document["policies"]:
            recompute(info.year)
        Setting.replace(key=access.WORK_COPY_SETTING, value=json.dumps(fresh.as_json(), ensure_ascii=False)).execute()
        keep_base(document)
        audit.record("refresh_package", "package", fresh.package_id, {"package_id": info.package_id},
                     {"base": base.as_json(), "kept_changes": len(changes)})
    return fresh


def _empty() -> None:
    """The work copy's village rows gone (villages, operators and the audit trail stay)."""
    Payment.delete().where(Payment.reverses.is_null(False)).execute()
    Payment.delete().execute()
    Enrollment.delete().execute()
    CategoryMembership.delete().execute()
    Person.delete().execute()
    Household.delete().execute()
    CategoryRule.delete().execute()
    PolicyYear.delete().execute()
