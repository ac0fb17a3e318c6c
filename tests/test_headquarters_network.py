"""Headquarters' figures on PostgreSQL with two centers: the owner and a headquarters role read a
row per center, grouped by the database; a center's role reads only its own; the warning fires for
the center with two valid complaints and the month they came in. (SQLite: one center, skipped.)"""

from __future__ import annotations

from datetime import date

from test_center_isolation import _people, network, two_floors  # noqa: F401  (fixtures)

from app.centers import network_view
from app.context import SYSTEM_ACTOR, Context
from app.headquarters.figures import read_network_month
from app.headquarters.warnings import network_month_with_warnings
from app.localtime import center_zone
from app.models import ComplaintCategory, ComplaintChannel, ComplaintGrade, Role


def _month(clock) -> date:
    return clock.now().astimezone(center_zone()).date().replace(day=1)


def _figures(db, month: date, *, everyone: bool) -> dict[str, tuple[int, int, int]]:
    with db.read() as session:
        if everyone:
            network_view(session)
        return {
            row.code: (row.kpi.received, row.kpi.shipped, row.kpi.valid_complaints)
            for row in read_network_month(session, month)
            if row.kpi.received or row.kpi.complaints
        }


def test_each_role_reads_the_centers_it_may(db, two_floors, network, clock) -> None:  # noqa: F811
    from app import complaints

    b = two_floors["B"]
    for category in (ComplaintCategory.REPAIR_QUALITY, ComplaintCategory.TURNAROUND):
        complaints.register_complaint(
            b["boss"],
            customer_id=b["customer"],
            channel=ComplaintChannel.PHONE,
            description="修了两次还坏",
            customer_request=None,
            grade=ComplaintGrade.A,
            category=category,
        )
    month = _month(clock)
    owner = Context(db, SYSTEM_ACTOR, "owner", clock)
    both = {"A": (1, 1, 0), "B": (1, 0, 2)}
    assert _figures(owner.db, month, everyone=False) == both  # the owner sees every row
    assert _figures(network["HQ"].db, month, everyone=True) == both
    assert _figures(network["HQ"].db, month, everyone=False) == {}  # not asked: its own only
    assert _figures(network["A"].db, month, everyone=True) == {"A": (1, 1, 0)}
    assert _figures(network["B"].db, month, everyone=True) == {"B": (1, 0, 2)}

    hq = _people(network["HQ"], clock)(Role.SUPERVISOR, "hq-boss")
    seen = network_month_with_warnings(hq, month)
    [warning] = seen.warnings
    assert warning.station_id == network["B"].center_id and warning.valid_complaints == 2
    assert warning.month == f"{month:%Y-%m}"
    next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    assert network_month_with_warnings(hq, next_month).warnings == []
    with network["B"].db.engine.connect() as connection:  # headquarters' own decision row
        assert connection.exec_driver_sql("SELECT count(*) FROM center_warnings").scalar() == 0
