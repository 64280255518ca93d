"""Writing a :class:`~desktop_app.domain.policy.Policy` back as a policy file (TOML).

:func:`desktop_app.domain.policy.parse_policy` reads the text back to an equal Policy; the ledger
stores it for a policy that came from no file (a shipped default stored by an import).
"""

from __future__ import annotations

import json

from desktop_app.domain.money import FEN_PER_YUAN, format_yuan
from desktop_app.domain.policy import Policy

#: The ``[waiting]`` numbers in the order a file writes them.
_WAITING_NUMBERS = (
    "fixed_months",
    "months_per_break_year",
    "months_repaid_per_year",
    "floor_after_years",
    "floor_months",
)


def policy_to_toml(policy: Policy) -> str:
    """The policy as a policy file; :func:`~desktop_app.domain.policy.parse_policy` reads it
    back to an equal Policy."""
    out = [
        f"year = {policy.year}",
        f"standard = {_yuan_text(policy.standard_fen)}",
        f"collection_start = {policy.collection_start.isoformat()}",
        f"collection_end = {policy.collection_end.isoformat()}",
    ]
    for code, rule in policy.categories.items():
        out += ["", f"[categories.{code}]", f"name = {_string(rule.name)}", f'mode = "{rule.mode}"']
        if rule.amount_fen is not None:
            out.append(f"amount = {_yuan_text(rule.amount_fen)}")
        if rule.percent is not None:
            out.append(f"percent = {rule.percent}")
    waiting = policy.waiting
    out += ["", "[waiting]"]
    out += [f"{key} = {getattr(waiting, key)}" for key in _WAITING_NUMBERS]
    out.append(f"exempt_categories = [{', '.join(_string(c) for c in waiting.exempt_categories)}]")
    return "\n".join(out) + "\n"


def _yuan_text(fen: int) -> str:
    return str(fen // FEN_PER_YUAN) if fen % FEN_PER_YUAN == 0 else format_yuan(fen)


def _string(text: str) -> str:
    """A TOML basic string: JSON escapes are valid TOML escapes; TOML also forbids a raw DEL."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
