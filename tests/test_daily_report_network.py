"""Daily reports on PostgreSQL with two centers: a station's report counts its own center only,
headquarters reads one report per center in its network view. (SQLite: one center, skipped.)"""

from __future__ import annotations

from test_center_isolation import _people, network, two_floors  # noqa: F401  (fixtures)

from app.headquarters.daily_report import network_reports, station_report
from app.models import Role


def test_each_center_reports_its_own_day(two_floors, network, clock) -> None:  # noqa: F811
    a, b = two_floors["A"], two_floors["B"]
    mine = station_report(a["boss"])
    assert (mine.code, mine.figures.received, mine.figures.shipped) == ("A", 1, 1)
    assert station_report(b["boss"]).figures.received == 1
    assert station_report(b["boss"]).figures.shipped == 0
    hq = _people(network["HQ"], clock)(Role.SUPERVISOR, "hq-boss")
    reports = {report.code: report.figures for report in network_reports(hq)}
    assert (reports["A"].received, reports["A"].shipped) == (1, 1)
    assert (reports["B"].received, reports["B"].shipped) == (1, 0)
    assert reports["HQ"].received == 0
