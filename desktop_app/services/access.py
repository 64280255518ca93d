"""Who is working, and what they may do: administrators everything, clerks their own villages.

The window logs an operator in (:mod:`desktop_app.services.operators`) and sets the session
here; services that need a role ask :func:`require_admin` or :func:`require_village`. With no
session (the command line, run by whoever can read the ledger file anyway) nothing is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.services import audit
from desktop_app.services.ledger import ServiceError

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


def require_admin(what: str) -> None:
    if _session is not None and not _session.is_admin:
        raise AccessDenied(f"{what}只能由管理员操作，请让管理员登录后再做")


def require_village(village_id: int | None, what: str = "修改") -> None:
    """A clerk may change only households and persons of the villages assigned to them."""
    if _session is None or _session.is_admin or village_id is None:
        return
    if village_id not in _session.village_ids:
        raise AccessDenied(f"您只负责分配给您的村，不能{what}其他村的人员")


def require_person_village(person_id: int, what: str = "修改") -> None:
    """:func:`require_village` for the village of a person's household."""
    if _session is None or _session.is_admin:
        return
    from desktop_app.store.models import Household, Person

    row = Household.select(Household.village).join(Person).where(Person.id == person_id).first()
    require_village(row.village_id if row else None, what)
