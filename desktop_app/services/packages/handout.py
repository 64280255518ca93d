"""Handing a village out (township) and opening it as a work copy (village laptop).

A package is one encrypted file holding the villages' households, persons, categories,
enrollments and payments for a year, the year's policy, the operators allowed to open it (their
password hashes, never a password) and its base: the township ledger's id, when it was cut and
the head of its audit chain. Opening it makes a new, normal ledger marked as a work copy
(setting ``work_copy``), which keeps the snapshot it was made from (setting ``work_copy.base``)
so that a return holds only what changed since.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from pathlib import Path

from desktop_app.services import access, audit
from desktop_app.services.charges import recompute
from desktop_app.services.packages import snapshot
from desktop_app.services.packages.files import (
    make_pairing_code,
    normalize_code,
    read_document,
    write_document,
)
from desktop_app.services.packages.model import (
    PackageBase,
    PackageError,
    PackageReceipt,
    WorkCopyInfo,
)
from desktop_app.services.policy import policy_for_year
from desktop_app.store.db import close_database, open_database
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Operator, Region, Setting, db

LEDGER_ID_SETTING = "ledger.id"
BASE_SETTING = "work_copy.base"
MERGED_PREFIX = "merged."


def ledger_id(*, create: bool = False) -> str:
    """This ledger's own id (a uuid kept in ``setting``), made the first time a package is cut."""
    row = Setting.get_or_none(Setting.key == LEDGER_ID_SETTING)
    if row is not None or not create:
        return row.value if row else ""
    value = uuid.uuid4().hex
    Setting.insert(key=LEDGER_ID_SETTING, value=value).execute()
    audit.record("create", "setting", LEDGER_ID_SETTING, None, value)
    return value


def work_copy_info() -> WorkCopyInfo | None:
    """What the open ledger is a work copy of; None for a township's own ledger (or none open)."""
    if db.obj is None:
        return None
    row = Setting.get_or_none(Setting.key == access.WORK_COPY_SETTING)
    return WorkCopyInfo.from_json(json.loads(row.value)) if row else None


def base_snapshot() -> dict:
    row = Setting.get_or_none(Setting.key == BASE_SETTING)
    return json.loads(row.value) if row else {"households": [], "persons": [], "enrollments": [], "payments": []}


def _operators(village_ids: set[int]) -> list[dict]:
    names = {r.id: r.name for r in Region.select().where(Region.level == "village")}
    found = []
    for op in Operator.select().where(Operator.active == True).order_by(Operator.id):
        theirs = {int(v) for v in op.villages.split(",") if v.strip()}
        if op.role == access.ADMIN or theirs & village_ids:
            found.append({"name": op.name, "role": op.role, "password_hash": op.password_hash,
                          "villages": sorted(names[v] for v in theirs & village_ids if v in names)})
    return found


@friendly_writes(PackageError)
def create_package(villages: Sequence[str], year: int, to: Path, *, password: str | None = None) -> PackageReceipt:
    """Cut a package of ``villages`` for ``year`` into ``to``; without a password, a pairing code
    is made (and returned: it must be given to the doctor, it is kept nowhere)."""
    what = "派发村级工作包"
    access.require_admin(what, table="package")
    names = sorted({v.strip() for v in villages if v.strip()})
    if not names:
        raise PackageError("请至少选择一个村")
    regions = snapshot.village_regions(names)
    missing = sorted(set(names) - {r.name for r in regions})
    if missing:
        raise PackageError(f"台账里没有这个村：{'、'.join(missing)}")
    if policy_for_year(year) is None:
        raise PackageError(f"{year}年度还没有载入政策，不能派发这一年的工作包")
    code = None
    if password is None:
        code = make_pairing_code()
        password = normalize_code(code)
    package_id = uuid.uuid4().hex
    with db.atomic():
        snapshot.assign_missing_uids()
        ident = ledger_id(create=True)
        _entry, head = audit.head(db.connection())
        base = PackageBase(ident, snapshot.now(), head)
        cut = snapshot.cut([r.id for r in regions], year)
        town = Region.select().where(Region.level == "township").first()
        document = {
            "format": "ledgerpack", "version": 1, "package_id": package_id, "year": year, "villages": names,
            "base": base.as_json(), "township": {"name": town.name if town else "", "code": town.code if town else None},
            "village_codes": {r.name: r.code for r in regions},
            "policies": snapshot.policies(year), "operators": _operators({r.id for r in regions}), **cut,
        }
        write_document(document, Path(to), password)
        audit.record("package", "package", package_id, None,
                     {"villages": names, "year": year, "persons": len(cut["persons"]),
                      "payments": len(cut["payments"]), "file": Path(to).name})
    return PackageReceipt(package_id, Path(to), tuple(names), year, len(cut["households"]), len(cut["persons"]),
                          len(cut["payments"]), base, code)


def read_package(path: Path, password: str) -> dict:
    return read_document(Path(path), password, "ledgerpack")


def open_package(path: Path, password: str, work_copy_path: Path) -> WorkCopyInfo:
    """Make ``work_copy_path`` (a new ledger file) from the package and leave it open as the ledger.

    Any ledger open before is closed first. On failure the new file is removed and nothing else
    is touched."""
    document = read_package(path, password)
    target = Path(work_copy_path)
    if target.exists() and target.stat().st_size > 0:
        raise PackageError(f"“{target}”已经存在：工作副本要放在一个新文件里")
    close_database()
    open_database(target)
    try:
        info = _fill_work_copy(document, target)
    except BaseException:
        close_database()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    return info


def _fill_work_copy(document: dict, target: Path) -> WorkCopyInfo:
    info = WorkCopyInfo(document["package_id"], tuple(document["villages"]), int(document["year"]),
                        PackageBase.from_json(document["base"]), target)
    with db.atomic():
        town = Region.create(name=document["township"]["name"] or "未命名乡镇", code=document["township"]["code"],
                             level="township")
        villages = {}
        codes = document.get("village_codes", {})
        for name in info.villages:  # with their codes: household numbers are made from them
            villages[name] = Region.create(name=name, level="village", parent=town, code=codes.get(name))
        _load_operators(document["operators"], villages)
        snapshot.load_policies(document["policies"])
        snapshot.load(document, town)
        if document["policies"]:
            recompute(info.year)
        Setting.insert(key=access.WORK_COPY_SETTING, value=json.dumps(info.as_json(), ensure_ascii=False)).execute()
        keep_base(document)
        audit.record("open_package", "package", info.package_id, None,
                     {"villages": list(info.villages), "year": info.year, "base": info.base.as_json()})
    return info


def keep_base(document: dict) -> None:
    base = {key: document[key] for key in ("households", "persons", "enrollments", "payments")}
    Setting.replace(key=BASE_SETTING, value=json.dumps(base, ensure_ascii=False, separators=(",", ":"))).execute()


def _load_operators(rows: list[dict], villages: dict[str, Region]) -> None:
    for row in rows:
        ids = [str(villages[name].id) for name in row["villages"] if name in villages]
        Operator.insert(name=row["name"], role=row["role"], password_hash=row["password_hash"],
                        villages=",".join(ids)).execute()
