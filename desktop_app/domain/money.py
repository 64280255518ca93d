"""Money is whole fen (分) as int; never a float (DOMAIN.md section 2)."""

from __future__ import annotations

FEN_PER_YUAN = 100


def yuan_to_fen(yuan: int) -> int:
    """Whole yuan (as written in policy files) to fen."""
    if isinstance(yuan, bool) or not isinstance(yuan, int):
        raise TypeError(f"yuan must be an int, not {type(yuan).__name__}")
    return yuan * FEN_PER_YUAN


def format_yuan(fen: int) -> str:
    """Fen as yuan with two decimals: 18000 -> '180.00', -5 -> '-0.05'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"
