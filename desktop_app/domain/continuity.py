"""连续参保年数 and its incentive (连续参保激励), as DOMAIN.md section 10 decides.

- **Continuous enrollment**: the number of consecutive insured years ending with the year
  shown; a repaired year (补缴, a missed year paid back) counts. A break resets the count.
- **Incentive**: "from 4 years on, each further year earns the 大病保险 incentive" — after 4
  consecutive years (国办发〔2024〕38号: 连续参保满4年的，之后每连续参保1年…), so the 5th
  consecutive year is the first that earns it. The ledger shows the count and whether the
  incentive applies, never an amount: the cap belongs to the province.

"Insured" is DOMAIN.md section 5's: paid, fully subsidised, employee scheme, insured elsewhere;
the caller passes those years (and the repaired ones) in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from desktop_app.domain.waiting import continuous_years

#: Consecutive years to complete before further years earn the incentive (§10: "from 4 years on").
INCENTIVE_AFTER_YEARS = 4


@dataclass(frozen=True)
class Continuity:
    """A person's 连续参保年数 ending with ``year``, and what it earns."""

    year: int
    years: int

    @property
    def incentive(self) -> bool:
        """Whether ``year`` earns the 大病保险 incentive: it is a year beyond the first four."""
        return self.years > INCENTIVE_AFTER_YEARS

    @property
    def incentive_years(self) -> int:
        """How many consecutive years beyond the first four (each raises the province's cap)."""
        return max(0, self.years - INCENTIVE_AFTER_YEARS)

    def words(self) -> str:
        """In a sentence a village doctor reads: “连续参保5年，享受大病保险连续参保激励”."""
        if not self.years:
            return f"{self.year}年度未参保，连续参保年数为0"
        if self.incentive:
            return f"连续参保{self.years}年，享受大病保险连续参保激励（满4年后第{self.incentive_years}年）"
        return f"连续参保{self.years}年（满4年后每多参保1年享受大病保险激励）"


def continuity(insured_years: Collection[int], repaired_years: Collection[int], year: int) -> Continuity:
    """连续参保年数 ending with ``year``: the insured years and the repaired years both count."""
    return Continuity(year, continuous_years(set(insured_years) | set(repaired_years), year))


def run_at_risk(
    insured_years: Collection[int], repaired_years: Collection[int], year: int,
    *, at_least: int = INCENTIVE_AFTER_YEARS,
) -> int:
    """The run a break in ``year`` would reset: the consecutive years up to ``year - 1`` when they
    are ``at_least`` (4) and ``year`` itself is not (yet) insured or repaired; 0 otherwise.

    These are the people a clerk should call first: one unpaid year throws away a long run.
    """
    held = set(insured_years) | set(repaired_years)
    if year in held:
        return 0
    run = continuous_years(held, year - 1)
    return run if run >= at_least else 0
