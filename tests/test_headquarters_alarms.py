"""Headquarters' early warning: every center's alarms in one list (with the center), and the
check over the whole network's returns — a defect whose returns are spread over two stations is
counted whole at headquarters, while each station counts its own. PostgreSQL with row-level
security: each station as its own role; SQLite: one center, headquarters is that center."""

from __future__ import annotations

from datetime import date

import pytest
from quality_data import Return, Shop, on
from test_center_isolation import _people, network  # noqa: F401  (a fixture)
from test_headquarters import _center_is
from test_quality_alarms import AS_OF, history

from app.centers import FIRST_CENTER_CODE, FIRST_CENTER_NAME
from app.errors import PermissionDenied
from app.headquarters.alarms import check_network_alarms, network_alarms
from app.models import CenterKind, Role
from app.quality import alarms


def test_one_center_headquarters_lists_and_checks_its_alarms(db, make_user) -> None:
    boss = make_user(Role.SUPERVISOR, username="boss")
    history(Shop(db, boss.actor.user_id), defective_month=5)
    with pytest.raises(PermissionDenied):  # center 1 is a center of its own, not headquarters
        check_network_alarms(boss, AS_OF)
    with pytest.raises(PermissionDenied):
        network_alarms(boss)
    _center_is(db, CenterKind.HEADQUARTERS)
    with pytest.raises(PermissionDenied):  # headquarters, but a technician
        check_network_alarms(make_user(Role.TECHNICIAN, username="tech"), AS_OF)
    new = check_network_alarms(boss, AS_OF)
    [row] = network_alarms(boss)
    assert new == [row.alarm.id]
    assert (row.center_code, row.center_name) == (FIRST_CENTER_CODE, FIRST_CENTER_NAME)
    assert (row.alarm.model_code, row.alarm.sale_month) == ("X1", date(2026, 5, 1))
    assert row.alarm.observed == 80
    assert check_network_alarms(boss, AS_OF) == []  # found again: the same alarm
    assert [a.id for a in alarms.alarm_list(boss)] == [row.alarm.id]


def _split_history(shops: dict[str, Shop]) -> None:
    """``history``'s returns of model X1 (defective May cohort), every other unit returned to
    station A, the rest to B; the register sold them all."""
    seller = shops["owner"]
    for month in range(1, 9):
        serials = seller.sell("X1", date(2026, month, 1), 2500)
        per_month = 20 if month == 5 else 5
        used = 0
        split: dict[str, list[Return]] = {"A": [], "B": []}
        for received in range(month, 9):
            for n in range(per_month):
                station = "A" if n % 2 == 0 else "B"
                split[station].append(Return(serials[used], on(date(2026, received, 10)), "F01"))
                used += 1
        for station, returns in split.items():
            shops[station].returns("X1", returns)


def test_headquarters_counts_every_stations_returns_and_lists_every_stations_alarms(
    db,
    network,  # noqa: F811
    clock,
) -> None:
    people = {code: _people(network[code], clock) for code in ("A", "B", "HQ")}
    boss = {code: people[code](Role.SUPERVISOR, f"boss-{code.lower()}") for code in people}
    shops = {  # the shared register and models written by the owner
        "owner": Shop(db, boss["HQ"].actor.user_id),
        "A": Shop(network["A"].db, boss["A"].actor.user_id),
        "B": Shop(network["B"].db, boss["B"].actor.user_id),
    }
    shops["owner"].model("X1")
    for code in ("A", "B"):
        shops[code].models["X1"] = shops["owner"].models["X1"]
    _split_history(shops)

    [a_alarm_id] = alarms.check_for_alarms(boss["A"], AS_OF)  # A sees half the returns
    (a_alarm,) = alarms.alarm_list(boss["A"])
    assert a_alarm.id == a_alarm_id and a_alarm.observed == 40
    assert alarms.alarm_list(boss["B"]) == []  # B's own list: not A's alarm

    with pytest.raises(PermissionDenied):  # A's supervisor is no headquarters
        network_alarms(boss["A"])
    [hq_alarm_id] = check_network_alarms(boss["HQ"], AS_OF)
    listed = {
        (row.center_code, row.alarm.id, row.alarm.observed) for row in network_alarms(boss["HQ"])
    }
    assert listed == {("A", a_alarm_id, 40), ("HQ", hq_alarm_id, 80)}
    assert [a.id for a in alarms.alarm_list(boss["HQ"])] == [hq_alarm_id]  # its own page
    assert check_network_alarms(boss["HQ"], AS_OF) == []  # A's alarm is not taken for its own
