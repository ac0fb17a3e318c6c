"""The benchmark data set: N repair orders with their units, customers and boxes, and what
they leave behind on a real floor (audit rows, QC runs, stock moves, shipments, complaints and
follow-ups: :mod:`benchmarks.history`), bulk-inserted.

SQLite data sets are cached as ``<cache>/orders-<N>-<schema head>-v<generator>.db`` and reused;
a PostgreSQL URL (``--db``) is filled once when empty and reused when it holds the same count.
The schema comes from :func:`app.schema.upgrade`, like the application's own database.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, insert, select, text

from app import schema
from app.clock import SystemClock
from app.context import SYSTEM_ACTOR, Context
from app.day_keeping import rebuild
from app.db import Database
from app.models import (
    Base,
    Customer,
    InboundBox,
    Part,
    PartMaster,
    ProductModel,
    RepairOrder,
    Role,
    Unit,
    User,
    UserRole,
)
from app.users import create_user, hash_password

from .history import MODELS as HISTORY_MODELS
from .history import HistoryFactory, part_master_rows, part_rows
from .rows import STAFF, OrderFactory, Row, customer_rows, model_rows

GENERATOR_VERSION = 3  # 3: each order's history (audit, QC, parts, shipment, complaints)
CHUNK = 20_000
SEED = 20261124
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin123"
STAFF_PASSWORD = "demo1234"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / ".benchmarks-cache"

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cache_path(cache_dir: Path, orders: int) -> Path:
    return cache_dir / f"orders-{orders}-{schema.head_revision()}-v{GENERATOR_VERSION}.db"


def ensure_dataset(
    orders: int, *, url: str | None = None, cache_dir: Path = DEFAULT_CACHE_DIR, log: Log = _stderr
) -> str:
    """The URL of a database holding the data set of ``orders`` orders, generated if needed."""
    if url:
        db = Database(url)
        try:
            schema.upgrade(db)
            with db.read() as session:
                present = session.scalar(select(func.count()).select_from(RepairOrder)) or 0
        finally:
            db.dispose()
        if present == orders:
            log(f"data set: {db.display_name} already holds {orders:,} orders")
            return url
        if present:
            raise SystemExit(
                f"{db.display_name} holds {present:,} orders, not {orders:,}: "
                "give an empty database or the same --orders"
            )
        generate(url, orders, log)
        return url
    path = cache_path(cache_dir, orders)
    if path.exists():
        log(f"data set: cached {path}")
        return f"sqlite:///{path}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    upgraded = _upgrade_older(cache_dir, orders, path, log)
    if upgraded:
        return upgraded
    # Files of this size made for an older generator, or an interrupted generation.
    for stale in cache_dir.glob(f"orders-{orders}-*"):
        log(f"data set: removing {stale.name}")
        stale.unlink()
    partial = path.with_suffix(".partial")
    generate(f"sqlite:///{partial}", orders, log)
    partial.rename(path)  # only a complete data set gets the cache's name
    return f"sqlite:///{path}"


def _upgrade_older(cache_dir: Path, orders: int, path: Path, log: Log) -> str | None:
    """A data set of this generator made at an older schema, brought to the head by the
    application's migrations (as a center's database is) and renamed: generating 1,000,000
    orders again takes an hour. None when there is none, or its upgrade failed."""
    for older in sorted(cache_dir.glob(f"orders-{orders}-*-v{GENERATOR_VERSION}.db")):
        if older == path:
            continue
        log(f"data set: upgrading {older.name} to schema {schema.head_revision()}")
        db = Database(f"sqlite:///{older}")
        try:
            schema.upgrade(db)
        except Exception as error:  # noqa: BLE001 - then it is generated again
            log(f"data set: upgrade failed ({error}); generating again")
            return None
        finally:
            db.dispose()
        for suffix in ("-wal", "-shm"):  # left only if a connection was not closed cleanly
            side = Path(f"{older}{suffix}")
            if side.exists():
                side.rename(f"{path}{suffix}")
        older.rename(path)
        return f"sqlite:///{path}"
    return None


def generate(
    url: str,
    orders: int,
    log: Log = _stderr,
    factory_class: type[OrderFactory] = OrderFactory,
    seed: int = SEED,
    with_history: bool = True,
) -> None:
    """Fill the database at ``url`` with ``orders`` repair orders made by ``factory_class``
    (another benchmark may choose another state mix), and their history unless told not to."""
    started = time.perf_counter()
    db = Database(url)
    try:
        schema.upgrade(db)
        now = datetime.now(UTC).replace(microsecond=0)
        ctx = Context(db, SYSTEM_ACTOR, "benchmarks", SystemClock())
        create_user(ctx, ADMIN_USERNAME, ADMIN_PASSWORD, {Role.ADMIN}, display_name="管理员")
        rng = random.Random(seed)
        customers = max(1, orders // 5)
        dealers = max(1, customers // 100)
        loader = _loader_engine(db)
        with loader.begin() as connection:
            staff = _insert_staff(connection, now)
            models = model_rows()
            _insert(connection, ProductModel, models)
            _insert(connection, Customer, customer_rows(rng, customers, dealers, now))
            if with_history:
                _insert(connection, PartMaster, part_master_rows())
                _insert(connection, Part, part_rows())
            usernames = dict(connection.execute(select(User.id, User.username)).all())
            next_ids = {  # after the rows already there (the admin's creation is audited)
                model: (connection.scalar(select(func.max(model.__table__.c.id))) or 0) + 1
                for model in HISTORY_MODELS
            }
        history = HistoryFactory(random.Random(seed + 1), staff, usernames, next_ids)
        factory = factory_class(
            rng,
            orders,
            customers,
            dealers,
            now,
            receivers=staff["receiving_clerk"],
            technicians=staff["technician"],
            supervisor=staff["supervisor"][0],
            models=models,
        )
        for first in range(0, orders, CHUNK):
            boxes: list[Row] = []
            units: list[Row] = []
            chunk = [
                factory.order(i, boxes, units) for i in range(first, min(first + CHUNK, orders))
            ]
            with loader.begin() as connection:
                _insert(connection, InboundBox, boxes)
                _insert(connection, Unit, units)
                _insert(connection, RepairOrder, chunk)
                if with_history:
                    for model, rows in history.rows(chunk).items():
                        _insert(connection, model, rows)
            done = first + len(chunk)
            if done % (CHUNK * 10) == 0 or done == orders:
                log(
                    f"data set: {done:,} / {orders:,} orders ({time.perf_counter() - started:.0f} s)"
                )
        if with_history:
            with loader.begin() as connection:
                part = Part.__table__.c
                for part_id, balance in history.part_balances().items():
                    connection.execute(
                        Part.__table__.update().where(part.id == part_id).values(on_hand=balance)
                    )
        _finish(loader)
        loader.dispose()
    finally:
        db.dispose()
    log(
        f"data set: {orders:,} orders generated in {time.perf_counter() - started:.1f} s "
        f"({db.display_name})"
    )


def _loader_engine(db: Database) -> Engine:
    """The engine for the bulk load: on SQLite, one that does not wait for the disk (a data set
    that a crash spoils is generated again) and keeps a large page cache."""
    if not db.is_sqlite:
        return db.engine
    engine = create_engine(db.url)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")
        dbapi_connection.execute("PRAGMA cache_size = -262144")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    return engine


def _insert(connection: Connection, model: type[Base], rows: Iterable[Row]) -> None:
    rows = list(rows)
    if rows:
        table = model.__table__
        assert isinstance(table, Table)
        connection.execute(insert(table), rows)


def _insert_staff(connection: Connection, now: datetime) -> dict[str, list[int]]:
    first_id = (connection.scalar(select(func.max(User.id))) or 0) + 1
    password_hash = hash_password(STAFF_PASSWORD)
    users, roles = [], []
    by_role: dict[str, list[int]] = {}
    for user_id, (username, display_name, role) in enumerate(STAFF, start=first_id):
        users.append(
            {
                "id": user_id,
                "username": username,
                "display_name": display_name,
                "password_hash": password_hash,
                "created_at": now,
            }
        )
        roles.append({"user_id": user_id, "role": role})
        by_role.setdefault(role.value, []).append(user_id)
    _insert(connection, User, users)
    _insert(connection, UserRole, roles)
    return by_role


def _finish(engine: Engine) -> None:
    """Make the database as the application expects it after a bulk load with explicit ids, and
    count the KPI dashboard's per-day figures of the rows the load bypassed the ORM for."""
    with engine.begin() as connection:
        rebuild(connection)
        if connection.dialect.name == "postgresql":
            for model in (
                User,
                ProductModel,
                Customer,
                InboundBox,
                Unit,
                RepairOrder,
                *HISTORY_MODELS,
            ):
                table = model.__tablename__
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )
        connection.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "sqlite":
        # Fold the bulk load's write-ahead log into the file: a huge WAL (and its mapped index)
        # would be read through by every benchmark and counted in their memory figures.
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
