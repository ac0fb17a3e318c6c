"""Failure rates with the right denominator, computed in the database and checked against a
direct count of the rows written: per sale month and month in service, fault code, part, TAC;
reworks left out; returns of units not in the sales register counted apart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from factories import imei
from quality_data import Return, Shop, on

from app.context import Context
from app.db import Database
from app.localtime import center_zone, use_center_zone
from app.models import Role
from app.quality import rates

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
UNTIL = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def shop(db: Database, make_user: Callable[..., Context]) -> tuple[Shop, Context]:
    boss = make_user(Role.SUPERVISOR, username="boss")
    return Shop(db, boss.actor.user_id), boss


def test_rates_per_cohort_fault_part_and_tac_equal_a_direct_count(shop) -> None:
    shop, boss = shop
    jan = shop.sell("X1", JAN, 40, tac="86012345")
    feb = shop.sell("X1", FEB, 60, tac="86099999")
    shop.sell("Y2", JAN, 30)  # another model: not in X1's figures
    returns = [
        Return(jan[0], on(date(2026, 1, 20)), "F01", "P-LCD"),  # month in service 0
        Return(jan[1], on(date(2026, 2, 3)), "F01", "P-LCD"),  # 1
        Return(jan[1], on(date(2026, 4, 3)), "F02"),  # the same unit again, later: once a cohort
        Return(jan[2], on(date(2026, 3, 9)), "F02", "P-BAT"),  # 2
        Return(jan[3], on(date(2026, 3, 9)), None),  # no fault code: a return all the same
        Return(jan[4], on(date(2026, 3, 10)), "F01", rework=True),  # our own repair: not counted
        Return(feb[0], on(date(2026, 2, 27)), "F01", "P-LCD"),
        Return(feb[1], on(date(2026, 5, 2)), "F03"),
        Return(feb[2], on(date(2026, 6, 2)), "F03"),  # after ``until``: not yet
        Return(imei(900_001), on(date(2026, 2, 2)), "F01"),  # not in the register
        Return(imei(900_002), on(date(2026, 3, 2)), "F02"),  # not in the register
    ]
    shop.returns("X1", returns)
    figures = rates.model_rates(boss, "X1", JAN, MAR, UNTIL)

    counted = [r for r in returns if not r.rework and r.received < UNTIL and r.serial in jan + feb]
    assert figures.sold == 100 and [c.sold for c in figures.cohorts] == [40, 60]
    assert (
        [c.returned for c in figures.cohorts]
        == [
            len({r.serial for r in counted if r.serial in jan}),
            len({r.serial for r in counted if r.serial in feb}),
        ]
        == [4, 2]
    )
    assert figures.cohorts[0].by_month_in_service == (1, 1, 2, 1)  # Jan, Feb, Mar, Apr
    assert figures.cohorts[1].by_month_in_service == (1, 0, 0, 1)
    assert figures.rate == pytest.approx(6 / 100)
    faults = Counter()
    for code in {"F01", "F02", "F03"}:
        faults[code] = len({r.serial for r in counted if r.fault_code == code})
    assert {s.key: s.returned for s in figures.faults} == dict(faults)
    assert figures.faults[0].key == "F01" and figures.faults[0].rate == pytest.approx(3 / 100)
    assert {s.key: s.returned for s in figures.parts} == {"P-LCD": 3, "P-BAT": 1}
    assert {s.key: (s.returned, s.sold) for s in figures.tacs} == {
        "86012345": (4, 40),
        "86099999": (2, 60),
    }
    assert figures.unknown_population == 2  # shown apart, never in a rate


def test_overview_gives_each_model_its_population_and_its_unknown_returns(shop) -> None:
    shop, boss = shop
    x1 = shop.sell("X1", JAN, 10)
    shop.sell("Y2", FEB, 5)
    shop.returns("X1", [Return(x1[0], on(date(2026, 2, 1)), "F01")])
    shop.returns("Z3", [Return(imei(700_001), on(date(2026, 2, 1)), "F01")])
    rows = {row.model_code: row for row in rates.overview(boss, JAN, MAR)}
    assert (rows["X1"].sold, rows["X1"].returned, rows["X1"].rate) == (10, 1, 0.1)
    assert (rows["Y2"].sold, rows["Y2"].returned) == (5, 0)
    assert (rows["Z3"].sold, rows["Z3"].unknown_population, rows["Z3"].rate) == (0, 1, None)


def test_a_return_falls_in_the_month_of_the_centers_clock_not_of_utc(shop) -> None:
    """23:30 on 31 March in Beijing is 15:30 UTC (still March either way); 00:30 on 1 April in
    Beijing is 16:30 UTC on 31 March: the center's calendar says April, UTC would say March."""
    shop, boss = shop
    jan = shop.sell("X1", JAN, 10)
    beijing = ZoneInfo("Asia/Shanghai")
    previous = center_zone()
    use_center_zone(beijing)
    march_night = datetime(2026, 3, 31, 23, 30, tzinfo=beijing)
    april_morning = datetime(2026, 4, 1, 0, 30, tzinfo=beijing)
    assert april_morning.astimezone(UTC).month == 3
    shop.returns("X1", [Return(jan[0], march_night, "F01"), Return(jan[1], april_morning, "F01")])
    try:
        figures = rates.model_rates(boss, "X1", JAN, date(2026, 1, 31), UNTIL)
    finally:
        use_center_zone(previous)
    assert figures.cohorts[0].by_month_in_service == (0, 0, 1, 1)  # Jan, Feb, Mar, Apr
