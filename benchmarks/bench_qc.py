"""``qc``: one refresh tick of the QC rack view with 500 units aging — the model recomputes the
countdowns and names the cells whose text changed, then the view repaints those (offscreen,
synchronously). Median and p99 over 200 ticks, the clock moved one second per tick.

Two view sizes: a 1600 × 900 window (the cells a screen shows; what the tester sees every
second) and the whole grid visible at once (every one of the 500 cells repainted: the worst
case). The 500 aging runs are bulk-inserted into a scratch SQLite database in ``work_dir``
with the data set's row builders (10 racks × 50 slots, kept between runs); the slots are read
once through the core's ``rack_view``, as the tab does.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app import schema
from app.clock import ManualClock
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.models import (
    AgingRun,
    Customer,
    InboundBox,
    ProductModel,
    Rack,
    RackSlot,
    RepairOrder,
    RepairState,
    Unit,
)

from . import BenchEnv, Figure, benchmark, percentile
from .dataset import _finish, _insert, _insert_staff, _loader_engine
from .rows import OrderFactory, customer_rows, model_rows

RACKS = 10
SLOTS_PER_RACK = 50
TICKS = 200
WARM_UP = 10
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class _AgingFactory(OrderFactory):
    def state_for(self, when: datetime) -> RepairState:
        return RepairState.IN_QC


def racks_database(work_dir: Path) -> str:
    """A scratch database with every slot of 10 racks × 50 taken by an aging unit."""
    units = RACKS * SLOTS_PER_RACK
    path = work_dir / f"qc-racks-{units}-{schema.head_revision()}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = Database(f"sqlite:///{partial}")
    try:
        schema.upgrade(db)
        loader = _loader_engine(db)
        rng = random.Random(6)
        with loader.begin() as connection:
            staff = _insert_staff(connection, NOW)
            models = model_rows()
            _insert(connection, ProductModel, models)
            _insert(connection, Customer, customer_rows(rng, 100, 1, NOW))
            factory = _AgingFactory(
                rng,
                units,
                100,
                1,
                NOW,
                receivers=staff["receiving_clerk"],
                technicians=staff["technician"],
                supervisor=staff["supervisor"][0],
                models=models,
            )
            boxes: list[dict] = []
            unit_rows: list[dict] = []
            orders = [factory.order(i, boxes, unit_rows) for i in range(units)]
            _insert(connection, InboundBox, boxes)
            _insert(connection, Unit, unit_rows)
            _insert(connection, RepairOrder, orders)
            _insert(
                connection,
                Rack,
                [
                    {"id": r + 1, "code": chr(ord("A") + r), "name": f"老化架 {chr(ord('A') + r)}"}
                    for r in range(RACKS)
                ],
            )
            slots = [
                {
                    "id": r * SLOTS_PER_RACK + n,
                    "rack_id": r + 1,
                    "code": f"{chr(ord('A') + r)}-{n:02d}",
                    "position": n,
                    "active": True,
                }
                for r in range(RACKS)
                for n in range(1, SLOTS_PER_RACK + 1)
            ]
            _insert(connection, RackSlot, slots)
            qc_tester = staff["qc_tester"][0]
            _insert(
                connection,
                AgingRun,
                [
                    {
                        "order_id": order["id"],
                        "slot_id": slot["id"],
                        "technician_id": order.get("technician_id"),
                        "received_at": NOW - timedelta(minutes=number % 240),
                        "received_by_id": qc_tester,
                        "started_at": NOW - timedelta(minutes=number % 240),
                        "required_minutes": 240 + 60 * (number % 3),
                        "checklist": {},
                    }
                    for number, (order, slot) in enumerate(zip(orders, slots, strict=True))
                ],
            )
        _finish(loader)
        loader.dispose()
    finally:
        db.dispose()
    partial.rename(path)
    return url


def tick_ms(url: str, width: int, height: int, ticks: int = TICKS) -> list[float]:
    """Milliseconds of ``ticks`` refresh ticks: the countdowns, then the view repainted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.qc.rack import RackView
    from ui.qc.rack_model import RackModel

    application = QApplication.instance() or QApplication([])
    db = Database(url)
    clock = ManualClock(NOW)
    try:
        model = RackModel(Context(db, SYSTEM_ACTOR, "bench", clock), clock)
        assert sum(slot.order_id is not None for slot in model.slots()) == RACKS * SLOTS_PER_RACK
        view = RackView(model)
        view.resize(width, height)
        view.show()
        application.processEvents()
        samples = []
        for number in range(WARM_UP + ticks):
            clock.advance(seconds=1)
            started = time.perf_counter()
            changed = model.tick()
            application.processEvents()  # the view repaints what the tick marked changed
            elapsed = (time.perf_counter() - started) * 1000
            assert changed > 0
            if number >= WARM_UP:
                samples.append(elapsed)
        view.close()
        view.deleteLater()
        model.deleteLater()
        application.processEvents()
    finally:
        db.dispose()
    return samples


@benchmark("qc")
def rack_tick(env: BenchEnv) -> list[Figure]:
    env.work_dir.mkdir(parents=True, exist_ok=True)
    url = racks_database(env.work_dir)
    figures = []
    for suffix, (width, height) in (
        ("", (1600, 900)),
        ("_all_500_visible", (SLOTS_PER_RACK * 150 + 60, RACKS * 84 + 40)),
    ):
        samples = tick_ms(url, width, height)
        figures += [
            Figure(f"rack_tick_ms{suffix}", statistics.median(samples), "ms"),
            Figure(f"rack_tick_p99_ms{suffix}", percentile(samples, 0.99), "ms"),
        ]
    return figures
