"""Every center's figures of a month, for headquarters: the single-center KPI rules of
``app.ledgers.kpi`` with each query grouped by ``center_id`` by the database (one statement per
figure for the whole network, never a query per center), read in ``network_view``.

A user is headquarters' when their home center (``users.center_id``) is of the headquarters
kind and their roles allow VIEW_NETWORK.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.centers import network_view
from app.context import Context
from app.errors import N_, PermissionDenied
from app.headquarters.home import is_headquarters as is_headquarters  # where it was
from app.ledgers.kpi import MonthKpi, month_kpis, periods
from app.models import Center, CenterKind
from app.permissions import Permission

# Two valid complaints against one center in a month: a penalty and its yearly review (seed 000).
WARNING_THRESHOLD = 2


@dataclass(frozen=True)
class CenterMonth:
    center_id: int
    code: str
    name: str
    kind: CenterKind
    kpi: MonthKpi

    @property
    def warned(self) -> bool:
        return self.kpi.valid_complaints >= WARNING_THRESHOLD


def month_key(month: date) -> str:
    return f"{month:%Y-%m}"


def require_headquarters(ctx: Context) -> None:
    ctx.require(Permission.VIEW_NETWORK)
    if not is_headquarters(ctx):
        raise PermissionDenied(
            N_("Only a user of headquarters (their home center) sees the network's figures.")
        )


def read_network_month(session: Session, month: date) -> list[CenterMonth]:
    """The figures of every center in ``month`` (the session's view: call ``network_view``
    first for the whole network). Every center but headquarters has a row, zeros included;
    headquarters' own center only when it has activity."""
    first, start, end = next(periods(month, month, "month"))
    figures = month_kpis(session, first, start, end, by_center=True)
    empty = MonthKpi(first, 0, 0, None, None, None, None, None, None, None, 0, 0, None, None)
    rows = []
    for center in session.scalars(select(Center).order_by(Center.code)):
        kpi = figures.get(center.id)
        if kpi is None and (center.kind is CenterKind.HEADQUARTERS or not center.active):
            continue
        rows.append(CenterMonth(center.id, center.code, center.name, center.kind, kpi or empty))
    return rows


def network_month(ctx: Context, month: date) -> list[CenterMonth]:
    """Every center's figures of the month (headquarters only)."""
    require_headquarters(ctx)
    with ctx.db.read() as session:
        network_view(session)
        return read_network_month(session, month)
