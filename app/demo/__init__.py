"""Demo data: a Shenzhen phone repair center's last month, replayed through the real services.

``load_demo`` sets up the catalogues and one user per role, then plays the month: every order is
received, allocated, repaired, aged and shipped by the person at that desk, at a believable time,
so the audit log tells a true story. Deterministic for a given ``seed`` (only the dates move with
today). It loads into an empty database only: a second run is refused and writes nothing.
"""

from __future__ import annotations

import random
import time as timer
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from app.clock import ManualClock, SystemClock
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.demo import care, catalog, desks, people, plans, population, stories
from app.demo.data import DEMO_USERS
from app.demo.floor import Floor
from app.demo.summary import summarise
from app.errors import N_, Conflict, InvalidInput
from app.localtime import center_zone
from app.models import ProductModel, RepairOrder, RepairState, SalesRecord
from app.parts import issuing as parts
from app.workcal import WorkCalendar

__all__ = ["MIN_ORDERS", "load_demo"]

MIN_ORDERS = 24
DEMO_DAYS = 30


def _refuse_if_loaded(db: Database) -> None:
    with db.read() as session:
        orders = session.scalar(select(func.count()).select_from(RepairOrder)) or 0
        models = session.scalar(select(func.count()).select_from(ProductModel)) or 0
    if orders or models:
        raise Conflict(
            N_(
                "This database already holds {orders} repair orders and {models} product models: "
                "the demo loads only into a new, empty database. Nothing was changed."
            ),
            orders=orders,
            models=models,
        )


def load_demo(
    db: Database,
    *,
    station: str,
    orders: int = 300,
    seed: int = 20261102,
    now: datetime | None = None,
) -> str:
    """Load the demo month ending ``now`` (default: this moment); returns a printable summary."""
    if orders < MIN_ORDERS:
        raise InvalidInput(
            N_("The demo needs at least {count} orders to show every state."), count=MIN_ORDERS
        )
    _refuse_if_loaded(db)
    began = timer.perf_counter()
    rng = random.Random(seed)
    end = now or SystemClock().now()
    first_day = (end - timedelta(days=DEMO_DAYS)).astimezone(center_zone())
    start = datetime.combine(first_day.date(), time(8, 30), center_zone())
    clock = ManualClock(start - timedelta(days=2))
    system = Context(db, SYSTEM_ACTOR, station, clock)

    catalog.load_catalogues(system)
    created = people.ensure_users(system)
    people_at_desks = people.contexts_by_username(system)
    customers = people.add_customers(system, rng, consumers=max(40, orders // 3))
    care_rng = random.Random(seed + 25)  # customer care's own draws (app.demo.care)
    care.record_consents(people_at_desks["service"], [c.id for c in customers], care_rng)
    planner = plans.Planner(rng, customers, start, end)
    order_plans = planner.plans(orders)
    with db.transaction() as session:
        session.add_all(planner.sales)
    population.register_population(
        db, random.Random(seed + 24), end.astimezone(center_zone()).date(), orders
    )

    clock.set(start - timedelta(days=1))
    _first_delivery(people_at_desks["parts"])

    with db.read() as session:
        calendar = WorkCalendar.load(session)
    floor = Floor(people_at_desks, clock, calendar, rng, end)
    floor.care_rng = care_rng
    for plan in order_plans:
        floor.start(plan.received_at, stories.order_story(floor, plan))
    floor.start(start, desks.shipping_rounds(floor, start))
    floor.start(start, desks.follow_up_rounds(floor, start))
    # Every kind of complaint once, and one more per 150 orders: a center that is well run,
    # with a few problems for the supervisor to see.
    _schedule_complaints(floor, rng, start, end, count=len(desks.COMPLAINTS) + orders // 150)
    with people.quick_signatures(db, created):
        floor.run()

    missing = set(RepairState) - set(stories.order_states(floor))
    if missing:  # a bug in the plans, not a user error
        raise RuntimeError(f"demo orders missing states: {sorted(missing)}")
    return summarise(
        db,
        end,
        users_created=len(created),
        users_kept=len(DEMO_USERS) - len(created),
        seconds=timer.perf_counter() - began,
        sales_records=_count(db, SalesRecord),
    )


def _first_delivery(keeper: Context) -> None:
    """The month's opening stock, delivered by the supplier the day before."""
    with keeper.db.read() as session:
        ids = dict(session.execute(select(catalog.Part.part_no, catalog.Part.id)).all())
    for part_no, quantity in catalog.initial_stock().items():
        if quantity > 0:
            parts.receive_stock(keeper, ids[part_no], quantity, document_no="PO-OPENING-STOCK")


def _schedule_complaints(
    floor: Floor, rng: random.Random, start: datetime, end: datetime, count: int
) -> None:
    contact_modes = (
        "in_time",
        "in_time",
        "never",
        "in_time",
        "late",
        "in_time",
        "in_time",
        "in_time",
    )
    for index in range(count):
        spec = desks.COMPLAINTS[index % len(desks.COMPLAINTS)]
        if index < len(desks.COMPLAINTS):  # the first round: every kind, old enough to be late
            days_ago = rng.uniform(3, 14)
        else:
            days_ago = rng.uniform(0.1, (end - start).days - 3)
        at = floor.open_hours(end - timedelta(days=days_ago))
        mode = contact_modes[index % len(contact_modes)]
        floor.start(
            min(at, end - timedelta(minutes=30)), desks.complaint_story(floor, spec, contact=mode)
        )


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0
