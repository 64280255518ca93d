"""The 全县 view of a county database's dashboard: a line per township instead of per village.

Twenty townships of fifteen villages make 300 village bars, and every township has its 东山村:
the county's charts compare townships (each its villages added up), and a township picked on
the dashboard shows its own villages as its laptop would. The figures are the village ones of
:func:`desktop_app.services.statistics.dashboard` regrouped, so the county's totals, and each
township's line against that township's own view, agree by construction.
"""

from __future__ import annotations

from dataclasses import replace

from desktop_app.services.statistics import Dashboard, NewbornCount, VillageSummary
from desktop_app.services.townships import townships
from desktop_app.store.models import Region


def by_township(figures: Dashboard) -> Dashboard:
    """``figures`` (the whole ledger's) with :attr:`Dashboard.townships` and the newborns'
    ``townships`` filled: one line per township holding villages in them, in code order."""
    parent = {r.id: r.parent_id for r in Region.select(Region.id, Region.parent).where(Region.level == "village")}
    lines: list[VillageSummary] = []
    newborns: list[NewbornCount] = []
    for town in townships():
        own = [v for v in figures.villages if parent.get(v.village_id) == town.id]
        if own:
            lines.append(VillageSummary.total_of(own, town.name))
        born = [n for n in figures.newborns.villages if parent.get(n.village_id) == town.id]
        if born:
            newborns.append(NewbornCount(town.name, sum(n.born for n in born), sum(n.enrolled for n in born)))
    return replace(figures, townships=tuple(lines),
                   newborns=replace(figures.newborns, townships=tuple(newborns)))
