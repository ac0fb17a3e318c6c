"""``scan``: a receiving scan, from the serial typed by the scanner to the repair order
committed (``receive_unit``: checks, repeat-repair and warranty look-ups, order number, audit),
then the same with the label PDF built as the desk does — on the full data set, beside a bare
insert + commit on the same file.

SQLite runs on a copy of the data set (scans add orders); PostgreSQL runs on the data set and
removes what it added.
"""

from __future__ import annotations

import random
import shutil
import time

from sqlalchemy import delete, func, select

from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.formats import luhn_check_digit
from app.models import Customer, ProductModel, RepairOrder, SerialKind, Unit
from app.receiving import Intake, receive_unit
from app.receiving.order_labels import order_labels_pdf
from app.users import actor_for_username

from . import BenchEnv, Figure, benchmark, percentile
from .bench_commit import bare_commit

SCANS = 1_000
WARM_UP = 30
BENCH_TAC = "35999999"  # a TAC no generated model uses: every scan is a unit never seen before


def _database(env: BenchEnv) -> tuple[Database, bool]:
    if env.url.startswith("sqlite"):
        source = env.url.removeprefix("sqlite:///")
        copy = env.work_dir / "scan.db"
        shutil.copyfile(source, copy)
        return Database(f"sqlite:///{copy}"), True
    return Database(env.url), False


@benchmark("scan")
def scan(env: BenchEnv) -> list[Figure]:
    db, is_copy = _database(env)
    try:
        ctx = Context(db, actor_for_username(db, None), "bench-receiving", SystemClock())
        with db.read() as session:
            model = session.scalar(
                select(ProductModel.code).where(ProductModel.serial_kind == SerialKind.IMEI)
            )
            customer = session.scalar(select(Customer.id).order_by(Customer.id))
            first_new_id = (session.scalar(select(func.max(RepairOrder.id))) or 0) + 1
        rng = random.Random(7)
        numbers = rng.sample(range(1_000_000), WARM_UP + 2 * SCANS)
        serials = [f"{BENCH_TAC}{n:06d}" for n in numbers]
        serials = [body + luhn_check_digit(body) for body in serials]
        saved: list[float] = []
        with_label: list[float] = []
        for index, serial in enumerate(serials):
            started = time.perf_counter()
            received = receive_unit(
                ctx,
                Intake(
                    serial=serial,
                    customer_id=customer,
                    model_code=model,
                    fault_description="不开机,充电无反应",
                ),
            )
            committed = time.perf_counter()
            if index >= WARM_UP + SCANS:
                order_labels_pdf(ctx, [received.order_id])
                with_label.append((time.perf_counter() - started) * 1000)
            elif index >= WARM_UP:
                saved.append((committed - started) * 1000)
        if not is_copy:
            _remove_added(db, first_new_id)
    finally:
        db.dispose()
    bare = {figure.name: figure for figure in bare_commit(env)}
    return [
        Figure("scan_to_saved_p50_ms", percentile(saved, 0.50), "ms"),
        Figure("scan_to_saved_p99_ms", percentile(saved, 0.99), "ms"),
        Figure("scan_with_label_p50_ms", percentile(with_label, 0.50), "ms"),
        Figure("scan_with_label_p99_ms", percentile(with_label, 0.99), "ms"),
        bare["bare_commit_p50_ms"],
        bare["bare_commit_p99_ms"],
    ]


def _remove_added(db: Database, first_new_id: int) -> None:
    with db.transaction() as session:
        unit_ids = select(RepairOrder.unit_id).where(RepairOrder.id >= first_new_id)
        # The audit rows stay: the audit log is append-only (a trigger refuses DELETE).
        new_units = list(session.scalars(unit_ids))
        session.execute(delete(RepairOrder).where(RepairOrder.id >= first_new_id))
        session.execute(delete(Unit).where(Unit.id.in_(new_units)))
