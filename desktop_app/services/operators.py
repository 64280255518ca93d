"""操作员: accounts, passwords (scrypt hashes, never stored plain), logging in, slowing guessing.

At first start the window asks for an administrator. Staff log in with a name and password.
Five wrong passwords in a row lock the account for a while, longer after every further five.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import ADMIN, CLERK, Session, require_admin, start_session
from desktop_app.services.townships import only_village
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Operator, Region, db

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 6
FREE_ATTEMPTS = 5
LOCK_SECONDS = 30  # after 5 wrong passwords; doubles with every further 5


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(digest) // 2)
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass(frozen=True)
class OperatorInfo:
    id: int
    name: str
    role: str
    active: bool
    villages: tuple[str, ...]


def needs_first_administrator() -> bool:
    return not Operator.select().where(Operator.password_hash != "").exists()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ServiceError(f"密码至少{MIN_PASSWORD}位")


def _village_ids(names: list[str]) -> list[int]:
    ids = []
    for name in names:
        region = only_village(name)  # a county database: a name several townships hold is refused
        if region is None:
            raise ServiceError(f"台账里没有“{name}”这个村")
        ids.append(region.id)
    return ids


@friendly_writes(ServiceError)
def create_operator(name: str, password: str, role: str = CLERK, villages: list[str] | None = None) -> int:
    """A new account. The first one must be an administrator and needs no one logged in."""
    first = needs_first_administrator()
    if first and role != ADMIN:
        raise ServiceError("第一个账号必须是管理员")
    if not first:
        require_admin("添加操作员")
    name = name.strip()
    if not name:
        raise ServiceError("操作员姓名不能为空")
    if role not in (ADMIN, CLERK):
        raise ServiceError(f"不认识的角色“{role}”")
    _check_password(password)
    if Operator.select().where(Operator.name == name).exists():
        raise ServiceError(f"已经有名为“{name}”的操作员")
    village_ids = _village_ids(villages or [])
    with db.atomic():
        operator = Operator.create(name=name, role=role, password_hash=hash_password(password),
                                   villages=",".join(map(str, village_ids)))
        audit.record("create", "operator", operator.id, None, {"name": name, "role": role, "villages": villages or []})
    return operator.id


class LoginRefused(ServiceError):
    """Wrong name or password, or too many tries; ``wait_seconds`` says how long to wait."""

    def __init__(self, message: str, wait_seconds: int = 0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def _lock_for(failures: int) -> int:
    rounds = failures // FREE_ATTEMPTS
    return LOCK_SECONDS * 2 ** (rounds - 1) if rounds else 0


@friendly_writes(ServiceError)
def log_in(name: str, password: str, *, now: dt.datetime | None = None) -> Session:
    """Check the password, start the session, and reset the count of wrong tries."""
    now = now or dt.datetime.now()
    operator = Operator.get_or_none((Operator.name == name.strip()) & (Operator.active == True))  # noqa: E712
    if operator is None or not operator.password_hash:
        raise LoginRefused("姓名或密码不对")
    if operator.locked_until is not None and operator.locked_until > now:
        wait = int((operator.locked_until - now).total_seconds()) + 1
        raise LoginRefused(f"密码错误次数太多，请{wait}秒后再试", wait)
    if not verify_password(password, operator.password_hash):
        failures = operator.failed_attempts + 1
        lock = _lock_for(failures) if failures % FREE_ATTEMPTS == 0 else 0
        with db.atomic():
            Operator.update(
                failed_attempts=failures,
                locked_until=now + dt.timedelta(seconds=lock) if lock else operator.locked_until,
            ).where(Operator.id == operator.id).execute()
            audit.record("login-failed", "operator", operator.id, None, {"failures": failures})
        if lock:
            raise LoginRefused(f"密码连续错误{failures}次，请{lock}秒后再试", lock)
        raise LoginRefused("姓名或密码不对")
    if operator.failed_attempts:  # a write like any other, audited (before the session starts)
        with db.atomic():
            Operator.update(failed_attempts=0, locked_until=None).where(Operator.id == operator.id).execute()
            audit.record("login-reset", "operator", operator.id, {"failures": operator.failed_attempts},
                         {"failures": 0})
    session = Session(operator.id, operator.name, operator.role,
                      frozenset(int(v) for v in operator.villages.split(",") if v))
    start_session(session)
    return session


def check_password_again(session: Session, password: str) -> bool:
    """For the idle lock: the same operator types the password again (wrong tries count too)."""
    try:
        log_in(session.name, password)
    except LoginRefused:
        return False
    return True


def operators() -> list[OperatorInfo]:
    names = {r.id: r.name for r in Region.select().where(Region.level == "village")}
    return [
        OperatorInfo(o.id, o.name, o.role, o.active,
                     tuple(names.get(int(v), v) for v in o.villages.split(",") if v))
        for o in Operator.select().order_by(Operator.id)
    ]


@friendly_writes(ServiceError)
def set_password(operator_id: int, password: str) -> None:
    require_admin("重设密码")
    _check_password(password)
    with db.atomic():
        Operator.update(password_hash=hash_password(password), failed_attempts=0, locked_until=None).where(
            Operator.id == operator_id).execute()
        audit.record("password", "operator", operator_id, None, {"reset": True})


def _is_last_active_admin(operator: Operator) -> bool:
    """Whether ``operator`` is the only active administrator who can log in: without one, nobody
    can import, load a policy, restore or manage operators from the window any more."""
    if operator.role != ADMIN or not operator.active or not operator.password_hash:
        return False
    others = Operator.select().where((Operator.role == ADMIN) & (Operator.active == True)
                                     & (Operator.password_hash != "") & (Operator.id != operator.id))
    return not others.exists()


def _to_change(operator_id: int, what: str, *, ends_admin: bool) -> Operator:
    """The operator about to be changed by ``what`` (停用, 改为经办员). Refused when there is no
    such operator, or when the change ``ends_admin`` rights and would leave the ledger without an
    active administrator; that refusal is in the audit trail although nothing changed."""
    operator = Operator.get_or_none(Operator.id == operator_id)
    if operator is None:
        raise ServiceError(f"找不到编号为{operator_id}的操作员")
    if ends_admin and _is_last_active_admin(operator):
        reason = (f"“{operator.name}”是唯一在用的管理员，不能{what}：那样就没有人能导入、载入政策、恢复备份"
                  f"和管理操作员了。请先添加或启用另一个管理员")
        with db.atomic():
            audit.record("denied", "operator", operator.id, None, {"what": what, "reason": reason})
        raise ServiceError(reason)
    return operator


@friendly_writes(ServiceError)
def set_active(operator_id: int, active: bool) -> None:
    """Stop (停用) or restart an account; the last active administrator cannot be stopped."""
    require_admin("停用操作员")
    old = _to_change(operator_id, "停用", ends_admin=not active)
    with db.atomic():
        Operator.update(active=active).where(Operator.id == operator_id).execute()
        audit.record("update", "operator", operator_id, {"active": old.active}, {"active": active})


@friendly_writes(ServiceError)
def set_role(operator_id: int, role: str) -> None:
    """Make an account an administrator or a clerk; the last active administrator stays one."""
    require_admin("修改操作员角色")
    if role not in (ADMIN, CLERK):
        raise ServiceError(f"不认识的角色“{role}”")
    old = _to_change(operator_id, "改为经办员", ends_admin=role != ADMIN)
    with db.atomic():
        Operator.update(role=role).where(Operator.id == operator_id).execute()
        audit.record("update", "operator", operator_id, {"role": old.role}, {"role": role})


@dataclass(frozen=True)
class AdminReset:
    name: str
    created: bool
    reactivated: bool
    unlocked: bool


@friendly_writes(ServiceError)
def reset_admin(password: str, name: str | None = None) -> AdminReset:
    """The way back for whoever holds the ledger file (``operators reset-admin``): the
    administrator ``name`` (or the only administrator) gets ``password``, is started again and
    unlocked; a ``name`` no operator has becomes a new administrator. Audited."""
    require_admin("重设管理员")  # the command line has no session; a clerk at the window may not
    _check_password(password)
    admins = list(Operator.select().where(Operator.role == ADMIN).order_by(Operator.id))
    if name is not None and name.strip():
        name = name.strip()
        operator = Operator.get_or_none(Operator.name == name)
        if operator is not None and operator.role != ADMIN:
            raise ServiceError(f"“{name}”是经办员，不是管理员；要新建管理员请换一个名字")
    elif len(admins) == 1:
        operator, name = admins[0], admins[0].name
    elif admins:
        raise ServiceError(f"台账里有{len(admins)}个管理员（{'、'.join(a.name for a in admins)}），请用 --name 指明哪一个")
    else:
        raise ServiceError("台账里没有管理员账号：请用 --name 姓名 新建一个")
    with db.atomic():
        if operator is None:
            operator = Operator.create(name=name, role=ADMIN, password_hash=hash_password(password))
            result = AdminReset(name, created=True, reactivated=False, unlocked=False)
        else:
            locked = operator.failed_attempts > 0 or operator.locked_until is not None
            result = AdminReset(name, created=False, reactivated=not operator.active, unlocked=locked)
            Operator.update(password_hash=hash_password(password), active=True, failed_attempts=0,
                            locked_until=None).where(Operator.id == operator.id).execute()
        audit.record("reset-admin", "operator", operator.id, None,
                     {"name": name, "created": result.created, "reactivated": result.reactivated,
                      "unlocked": result.unlocked, "password": "reset"})
    return result
