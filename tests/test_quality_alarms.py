"""The early warning over the database: a check raises one alarm for the cohort returning a
fault code at four times its history, none for the others, and not twice; a supervisor
acknowledges it with a note and closes it, each step audited, over the version loaded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from factories import audit_count
from quality_data import Return, Shop, on

from app.context import Context
from app.db import Database
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.models import AlarmStatus, Role
from app.quality import alarms

AS_OF = datetime(2026, 8, 31, 20, tzinfo=UTC)


def history(shop: Shop, *, defective_month: int | None) -> None:
    """Model X1 sold 2,500 units a month from January to August; each cohort returns F01 from
    five units a month in service (twenty when defective), on the 10th of the month."""
    for month in range(1, 9):
        serials = shop.sell("X1", date(2026, month, 1), 2500)
        per_month = 20 if month == defective_month else 5
        returns, used = [], 0
        for received in range(month, 9):
            for _ in range(per_month):
                returns.append(Return(serials[used], on(date(2026, received, 10)), "F01"))
                used += 1
        shop.returns("X1", returns)


@pytest.fixture
def people(db: Database, make_user: Callable[..., Context]) -> dict[str, Context]:
    return {
        "boss": make_user(Role.SUPERVISOR, username="boss"),
        "tech": make_user(Role.TECHNICIAN, username="tech"),
    }


def test_a_defective_sale_month_raises_one_alarm_followed_to_closure(db, people) -> None:
    boss = people["boss"]
    history(Shop(db, boss.actor.user_id), defective_month=5)
    with pytest.raises(PermissionDenied):
        alarms.check_for_alarms(people["tech"], AS_OF)
    new = alarms.check_for_alarms(boss, AS_OF)
    (alarm,) = alarms.alarm_list(boss)
    assert new == [alarm.id]
    assert (alarm.model_code, alarm.sale_month, alarm.fault_code) == ("X1", date(2026, 5, 1), "F01")
    assert alarm.observed == 20 * 4 and alarm.basis == "model"
    assert alarm.expected == pytest.approx(5 * 4 * 2500 / 2500, rel=0.15)
    assert alarm.status is AlarmStatus.OPEN and alarm.since == AS_OF
    assert alarms.check_for_alarms(boss, AS_OF) == []  # found again: the same alarm
    assert len(alarms.alarm_list(boss)) == 1

    loaded = alarms.alarm_version(boss, alarm.id)
    with pytest.raises(InvalidInput):
        alarms.acknowledge_alarm(boss, alarm.id, "  ", expected_version=loaded)
    with pytest.raises(PermissionDenied):
        alarms.acknowledge_alarm(people["tech"], alarm.id, "看过了", expected_version=loaded)
    version = alarms.acknowledge_alarm(
        boss, alarm.id, "已通知工程部,抽检5月批次", expected_version=loaded
    )
    before = audit_count(db)
    with pytest.raises(Conflict):  # a second note over the old version
        alarms.acknowledge_alarm(boss, alarm.id, "再看", expected_version=loaded)
    assert audit_count(db) == before
    version = alarms.acknowledge_alarm(
        boss, alarm.id, "工程部已确认电容批次", expected_version=version
    )
    alarms.close_alarm(boss, alarm.id, "供应商更换电容批次,已验证", expected_version=version)
    with pytest.raises(Conflict):
        alarms.acknowledge_alarm(boss, alarm.id, "再看", expected_version=version + 1)
    assert alarms.alarm_list(boss) == []
    (closed,) = alarms.alarm_list(boss, include_closed=True)
    assert closed.status is AlarmStatus.CLOSED and closed.acknowledge_note.startswith("工程部")
    assert alarms.check_for_alarms(boss, AS_OF) == []  # a closed alarm is not raised again


def test_a_history_without_defect_raises_nothing(db, people) -> None:
    history(Shop(db, people["boss"].actor.user_id), defective_month=None)
    assert alarms.check_for_alarms(people["boss"], AS_OF) == []
    assert alarms.alarm_list(people["boss"]) == []
