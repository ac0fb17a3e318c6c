"""A change made at another station refreshes this station's views (LISTEN/NOTIFY on
PostgreSQL, change marks on SQLite), observed through the window's change signal."""

from __future__ import annotations

from factories import add_customer, add_model, imei

from app.db import Database
from app.receiving import Intake, receive_unit
from ui.changes import ChangeBridge


def test_another_stations_commit_arrives_as_a_change_signal(qtbot, database_url, admin) -> None:
    add_model(admin.db)
    customer = add_customer(admin.db, admin)
    this_station = Database(database_url)
    bridge = ChangeBridge(this_station)
    try:
        assert bridge.watching(5.0), "the change watcher never started"
        with qtbot.waitSignal(bridge.tables_changed, timeout=5000) as changed:
            receive_unit(admin, Intake(serial=imei(5), customer_id=customer, model_code="X1"))
        assert "repair_orders" in changed.args[0]
    finally:
        bridge.close()
        this_station.dispose()
