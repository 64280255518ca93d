"""``policy load FILE`` and the policy page's 载入: check a policy file, store its year, then make
and recompute that year's enrollments (:mod:`~desktop_app.services.policy` stores,
:mod:`~desktop_app.services.charges` computes; this use case is the one place both meet)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.policy import Policy, parse_policy, read_policy_text
from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import require_admin
from desktop_app.services.backup import backup_before
from desktop_app.services.charges import ensure_enrollments, recompute
from desktop_app.services.policy import store_policy
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import PolicyYear, db


@dataclass(frozen=True)
class PolicyLoadResult:
    year: int
    replaced: bool
    enrollments_created: int
    enrollments_changed: int
    #: What the file's reading warned of without refusing it (a fixed subsidy above the
    #: standard, DOMAIN.md §10), each once, as "第8行：…"; shown by ``policy load`` and the page.
    warnings: tuple[str, ...] = ()


@friendly_writes(ServiceError)
def load_policy(path: Path) -> PolicyLoadResult:
    """``policy load FILE``: check the file, store its year, make and recompute that year's enrollments.

    All in one transaction with its audit entry: a refused file (``PolicyError`` naming the line)
    changes nothing, and no other year's numbers are touched.
    """
    require_admin("载入年度政策")
    text = read_policy_text(path)
    policy = parse_policy(text, source=str(path))
    return _store(policy, text, {"file": str(path), "sha256": audit.file_sha256(path)})


@friendly_writes(ServiceError)
def load_policy_text(text: str, source: str = "下一年度政策") -> PolicyLoadResult:
    """The same load from a policy file's text (the window's next-year form builds one): the same
    check (:func:`~desktop_app.domain.policy.parse_policy`), the same transaction and entry."""
    require_admin("载入年度政策")
    policy = parse_policy(text, source=source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _store(policy, text, {"file": source, "sha256": digest})


def _store(policy: Policy, text: str, origin: dict[str, str]) -> PolicyLoadResult:
    backup_before("policy")  # a refused file costs no backup; a failed backup stops the load
    with db.atomic():
        old = PolicyYear.get_or_none(PolicyYear.year == policy.year)
        store_policy(policy, source_text=text, audited=False)
        created = ensure_enrollments(policy.year)
        changed = recompute(policy.year)
        audit.record(  # one entry: the file by name and fingerprint, what it did, and its text
            "replace" if old else "create", "policy_year", policy.year, old.source_text if old else None,
            {**origin, "enrollments_created": created, "enrollments_changed": changed, "warnings": list(policy.warnings),
             "text": text},
        )
        replaced = old is not None
    return PolicyLoadResult(policy.year, replaced, created, changed, policy.warnings)
