"""Two stations on one database: a commit at one reaches the other's views by itself."""

from __future__ import annotations

import threading
import time

import pytest
from factories import add_customer, add_model, imei

from app.context import Context
from app.db import Database
from app.livesync import ChangeWatcher
from app.receiving import Intake, receive_unit

WAIT_S = 5.0


class Heard:
    def __init__(self) -> None:
        self.tables: list[frozenset[str]] = []
        self.event = threading.Event()

    def __call__(self, tables: frozenset[str]) -> None:
        self.tables.append(tables)
        self.event.set()


@pytest.fixture
def stations(database_url, admin):
    """Station A (the admin's context) and a second Database object on the same URL (station B)."""
    add_model(admin.db)
    customer = add_customer(admin.db, admin)
    other = Database(database_url)
    watcher = ChangeWatcher(other, poll_seconds=0.1).start()
    heard = Heard()
    other.subscribe(heard)
    assert watcher.ready.wait(WAIT_S), "the watcher never started"
    yield admin, other, heard, customer
    watcher.stop()
    other.dispose()


def test_a_commit_at_one_station_reaches_the_other(stations) -> None:
    station_a, _, heard, customer = stations
    receive_unit(station_a, Intake(serial=imei(1), customer_id=customer, model_code="X1"))
    assert heard.event.wait(WAIT_S), "station B never heard of the new order"
    assert "repair_orders" in set().union(*heard.tables)


def test_a_station_does_not_hear_its_own_commits_twice(stations, clock) -> None:
    station_a, other, heard, customer = stations
    b = Context(other, station_a.actor, "station-b", clock)
    receive_unit(b, Intake(serial=imei(2), customer_id=customer, model_code="X1"))
    assert len(heard.tables) == 1  # its own broadcast, at once
    time.sleep(0.6)
    assert len(heard.tables) == 1  # and not again from the watcher


def test_a_station_never_hears_its_own_commits_from_a_watcher_polling_without_pause(
    database_url, admin, clock
) -> None:
    """The watcher may read the marks between a commit and the station noting them as its own."""
    add_model(admin.db)
    customer = add_customer(admin.db, admin)
    station = Database(database_url)
    watcher = ChangeWatcher(station, poll_seconds=0).start()
    heard = Heard()
    station.subscribe(heard)
    try:
        assert watcher.ready.wait(WAIT_S)
        ctx = Context(station, admin.actor, "station-b", clock)
        for number in range(20):
            receive_unit(
                ctx, Intake(serial=imei(100 + number), customer_id=customer, model_code="X1")
            )
        time.sleep(0.3)
        assert len(heard.tables) == 20  # one broadcast per commit, none heard back
    finally:
        watcher.stop()
        station.dispose()
