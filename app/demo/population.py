"""The demo's sales register beyond the units it repairs. A maker's register lists every unit it
sold, not only those that come back: without them the field-quality page would divide the month's
returns by the returned units alone and show every model returning 100 % of its sales. Here each
model sells a believable number of units a month over the months the demo's sales reach back, so a
cohort returns a few per mille a month, as phones and watches do in warranty.

Serials come from a numbering of their own (IMEI bodies from 500000 up; ``Q`` plus seven digits
for free-form serials), never one the floor's plans draw; sale days from the demo's own generator,
so the floor's month is the same with or without them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import insert

from app.db import Database
from app.demo.data import MODELS, DemoModel
from app.demo.plans import imei_for
from app.models import SalesRecord

UNITS_PER_ORDER = 20  # units sold a month, all models together, per order of the demo month
MONTHS = 30  # the oldest sale the floor's plans register: out of warranty, 13–30 months ago
FIRST_NUMBER = 500_000  # IMEI bodies the floor's plans never reach (they stay below 200,000)
MAX_UNITS = 499_999  # the numbering's room
DEALERS = ("华强北鑫泰通讯", "京东自营", "天猫旗舰店", "苏宁易购", "东莞星联手机连锁")
BATCH = 10_000


def _serial(model: DemoModel, number: int) -> str:
    if model.tac_prefixes:
        return imei_for(model, FIRST_NUMBER + number)
    return f"{model.serial_prefix}Q{number:07d}"


def _month_starts(today: date, months: int) -> Iterator[date]:
    month = today.replace(day=1)
    for _ in range(months):
        month = (month - timedelta(days=1)).replace(day=1)
        yield month


def _rows(rng: random.Random, today: date, orders: int) -> Iterator[dict[str, object]]:
    per_model = UNITS_PER_ORDER * orders / len(MODELS)
    number = 0
    for month in [today.replace(day=1), *_month_starts(today, MONTHS)]:
        days = ((month + timedelta(days=32)).replace(day=1) - month).days
        if month.year == today.year and month.month == today.month:
            days = today.day - 1  # this month: sold up to yesterday
        for model in MODELS:
            units = int(per_model * rng.uniform(0.7, 1.3) * days / 30)
            for _ in range(min(units, MAX_UNITS - number)):
                yield {
                    "serial": _serial(model, number),
                    "model_code": model.code,
                    "sale_date": month + timedelta(days=rng.randrange(days)),
                    "dealer": rng.choice(DEALERS),
                }
                number += 1


def register_population(db: Database, rng: random.Random, today: date, orders: int) -> int:
    """Write the units sold beside the repaired ones; returns how many."""
    written = 0
    batch: list[dict[str, object]] = []
    with db.transaction() as session:
        for row in _rows(rng, today, orders):
            batch.append(row)
            if len(batch) == BATCH:
                session.execute(insert(SalesRecord), batch)
                written, batch = written + len(batch), []
        if batch:
            session.execute(insert(SalesRecord), batch)
            written += len(batch)
    return written
