"""PostgreSQL: a commit wakes the stations of its own center only (each center has its own
NOTIFY channel), and a restore or move still reaches every station (the network's channel)."""

from __future__ import annotations

import pytest
from factories import add_model, imei
from test_center_isolation import Station, _floor, network  # noqa: F401 - the fixture
from test_livesync import WAIT_S, Heard

from app.context import Context
from app.db import Database
from app.livesync import ChangeWatcher
from app.receiving import Intake, receive_unit

QUIET_S = 1.0  # long enough for a NOTIFY on a local server (the watcher polls every 0.1 s)


@pytest.fixture
def watching_a(db, network: dict[str, Station], clock):  # noqa: F811 - the imported fixture
    """A second station of center A (its own Database, connected as A's role) that listens."""
    add_model(db)
    floors = {code: _floor(db, network[code], clock) for code in ("A", "B")}
    a = network["A"]
    station = Database(a.db.url.render_as_string(hide_password=False))
    watcher = ChangeWatcher(station, poll_seconds=0.1).start()
    heard = Heard()
    station.subscribe(heard)
    assert watcher.ready.wait(WAIT_S), "the watcher never started"
    yield floors, heard
    watcher.stop()
    station.dispose()


def _receive(floor: dict, number: int) -> None:
    clerk: Context = floor["clerk"]
    receive_unit(clerk, Intake(serial=imei(number), customer_id=floor["customer"], model_code="X1"))


def test_a_station_does_not_wake_for_another_centers_commit(watching_a) -> None:
    floors, heard = watching_a
    _receive(floors["B"], 1)
    assert not heard.event.wait(QUIET_S), heard.tables


def test_a_station_hears_its_own_centers_commit(watching_a) -> None:
    floors, heard = watching_a
    _receive(floors["A"], 2)
    assert heard.event.wait(WAIT_S), "center A's station never heard of A's new order"
    assert "repair_orders" in set().union(*heard.tables)
