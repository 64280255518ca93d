"""Who is working, and what they may do: administrators everything, clerks their own villages.

The window logs an operator in (:mod:`desktop_app.services.operators`) and sets the session
here; services that need a role ask :func:`require_admin` or :func:`require_village`. With no
session (the command line, run by whoever can read the ledger file anyway) nothing is refused.

Every refusal leaves an audit entry (action ``denied``: what was asked, who asked, why it was
refused) that survives although the work itself is not done. Services ask before they open a
transaction, so the entry is written and committed at once. A refusal inside a transaction (a
service called inside another's transaction) cannot commit there without committing the caller's
half-done work, and its rollback would take the entry with it: the entry waits until the
outermost transaction is over (committed or rolled back) and is written then
(:meth:`desktop_app.store.db.LedgerDatabase.after_transaction`; on a database without that hook,
at the next role check).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import peewee

from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.store.models import Household, Person, Setting, db

ADMIN = "admin"
CLERK = "clerk"
ROLE_NAMES = {ADMIN: "管理员", CLERK: "经办员"}


@dataclass(frozen=True)
class Session:
    operator_id: int
    name: str
    role: str
    village_ids: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


_session: Session | None = None


def start_session(session: Session) -> None:
    global _session
    _session = session
    audit.set_current_operator(session.name)


def end_session() -> None:
    global _session
    _session = None
    audit.set_current_operator("")  # entries after a log-out name nobody, not the last operator


def current() -> Session | None:
    return _session


class AccessDenied(ServiceError):
    """The logged-in operator's role does not allow this."""


@dataclass(frozen=True)
class _Refusal:
    operator: str
    role: str
    what: str
    table: str
    record_id: str
    reason: str


#: Refusals made inside a transaction, written once it is over.
_pending: list[_Refusal] = []


def _write_pending() -> None:
    if not _pending or db.obj is None or db.in_transaction():
        return
    refusals = list(_pending)
    _pending.clear()
    try:
        with db.atomic():
            for refusal in refusals:
                audit.record("denied", refusal.table, refusal.record_id, None,
                             {"what": refusal.what, "operator": refusal.operator,
                              "role": ROLE_NAMES.get(refusal.role, refusal.role), "reason": refusal.reason})
    except (peewee.OperationalError, peewee.InternalError, sqlite3.OperationalError):
        # a ledger that cannot be written now (opened read-only, disk full; on PostgreSQL a
        # read-only transaction is an InternalError) cannot keep the entry either; the refusal
        # itself still stands and is shown to the operator
        pass


def _refuse(session: Session, reason: str, what: str, table: str, record_id: object) -> None:
    _pending.append(_Refusal(session.name, session.role, what, table, str(record_id), reason))
    after_transaction = getattr(db.obj, "after_transaction", None)  # a LedgerDatabase has it
    if db.in_transaction() and after_transaction is not None:
        after_transaction(_write_pending)
    else:
        _write_pending()
    raise AccessDenied(reason)


#: The setting that marks a ledger as a village work copy (issue 17; its value says which package).
WORK_COPY_SETTING = "work_copy"

#: What only the township's own ledger does. A village work copy refuses these to everyone, an
#: administrator and the command line included: the county's files, the year's policy and the
#: operators are the township's, and a restore would put a whole ledger in the work copy's place.
TOWNSHIP_ONLY = frozenset({
    "导入县里的表格", "载入年度政策", "添加操作员", "重设密码", "停用操作员", "修改操作员角色", "重设管理员",
    "恢复备份", "派发村级工作包", "合并村里交回的工作包", "更正身份证号", "登记资助类别", "取消资助类别",
    "修改乡镇名称和代码",
})


def is_work_copy() -> bool:
    """Is the open ledger a village work copy (made by opening a work package)? A ledger that
    cannot be read (damaged: about to be restored over) is not, nor a closed one: asking would
    open it again (peewee connects on first use), and a restore that closed the ledger must find
    its file exactly as it was, no ``-wal`` beside it."""
    if db.obj is None or db.obj.is_closed():
        return False
    try:
        return Setting.select().where(Setting.key == WORK_COPY_SETTING).exists()
    except (peewee.DatabaseError, sqlite3.DatabaseError):
        return False


def require_township_ledger(what: str, *, table: str = "", record_id: object = "") -> None:
    """``what`` is done only in the township's ledger, never in a village work copy."""
    if is_work_copy():
        who = _session or Session(0, audit.current_operator(), "")
        _refuse(who, f"这是村级工作副本，不能{what}：请在乡镇的台账上做", what, table, record_id)


def require_admin(what: str, *, table: str = "", record_id: object = "") -> None:
    """Only an administrator may do ``what`` (载入年度政策, 修改乡镇名称…); what is in
    :data:`TOWNSHIP_ONLY` is refused in a village work copy to everyone."""
    _write_pending()
    if what in TOWNSHIP_ONLY:
        require_township_ledger(what, table=table, record_id=record_id)
    if _session is not None and not _session.is_admin:
        _refuse(_session, f"{what}只能由管理员操作，请让管理员登录后再做", what, table, record_id)


def require_village(
    village_id: int | None, what: str = "修改", *, thing: str = "人员", table: str = "", record_id: object = ""
) -> None:
    """A clerk may change only households and persons of the villages assigned to them.

    ``village_id`` None means no village is concerned (nothing to refuse); a service that makes
    a new village asks :func:`require_admin` instead.
    """
    _write_pending()
    if _session is None or _session.is_admin or village_id is None:
        return
    if village_id not in _session.village_ids:
        _refuse(_session, f"您只负责分配给您的村，不能{what}其他村的{thing}", f"{what}{thing}", table, record_id)


def person_village(person_id: int) -> int | None:
    """The village of a person's household (None for no such person)."""
    row = Household.select(Household.village).join(Person).where(Person.id == person_id).first()
    return row.village_id if row else None


def require_person_village(person_id: int, what: str = "修改") -> None:
    """:func:`require_village` for the village of a person's household."""
    if _session is None or _session.is_admin:
        return
    require_village(person_village(person_id), what, table="person", record_id=person_id)
