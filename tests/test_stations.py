"""Several stations on one database: no lost update, unique numbers under concurrent receiving."""

from __future__ import annotations

import threading

import pytest
from factories import add_customer, add_model, imei, receive
from sqlalchemy import func, select

from app.context import Context
from app.db import Database
from app.errors import Conflict
from app.models import RepairOrder, Role
from app.receiving import Intake, receive_unit


def test_two_stations_saving_the_same_order_the_second_is_refused(db, database_url, admin):
    add_model(db)
    order_id = receive(admin, add_customer(db, admin), 1).order_id
    station_a, station_b = Database(database_url), Database(database_url)
    try:
        with station_a.read() as session:
            copy_a = session.get(RepairOrder, order_id)
        with station_b.read() as session:
            copy_b = session.get(RepairOrder, order_id)
        with station_a.transaction() as session:
            mine = session.merge(copy_a)
            mine.fault_description = "不开机(客户补充:进水)"
        with pytest.raises(Conflict, match="Another station changed"):
            with station_b.transaction() as session:
                theirs = session.merge(copy_b, load=False)
                theirs.fault_description = "屏幕碎裂"
        with db.read() as session:
            assert session.get(RepairOrder, order_id).fault_description == "不开机(客户补充:进水)"
    finally:
        station_a.dispose()
        station_b.dispose()


@pytest.mark.parametrize("rounds", [3])
def test_order_numbers_stay_unique_when_stations_receive_at_the_same_moment(
    db, database_url, admin, clock, rounds
):
    add_model(db)
    customer = add_customer(db, admin)
    stations = [Database(database_url) for _ in range(4)]
    errors: list[BaseException] = []
    try:
        serial = iter(range(1, 10_000))
        lock = threading.Lock()

        def station_work(station: Database, count: int) -> None:
            ctx = Context(station, admin.actor, "station", clock)
            for _ in range(count):
                with lock:
                    number = next(serial)
                try:
                    receive_unit(
                        ctx, Intake(serial=imei(number), customer_id=customer, model_code="X1")
                    )
                except BaseException as error:  # collected: a thread's failure fails the test
                    errors.append(error)

        for _ in range(rounds):
            threads = [
                threading.Thread(target=station_work, args=(station, 8)) for station in stations
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        for station in stations:
            station.dispose()
    assert errors == []
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(RepairOrder))
        distinct = session.scalar(select(func.count(func.distinct(RepairOrder.order_no))))
    assert total == distinct == rounds * 4 * 8


def test_an_unreachable_server_is_a_clear_refusal_not_a_crash(admin) -> None:
    from app.errors import Unavailable
    from app.users import create_user

    gone = Database("postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2")
    try:
        with pytest.raises(Unavailable, match="nothing was saved"):
            create_user(
                Context(gone, admin.actor, "s", admin.clock),
                "newbie",
                "secret-123",
                {Role.TECHNICIAN},
            )
    finally:
        gone.dispose()
