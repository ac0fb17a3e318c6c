"""Failure rates with the right denominator: the units sold (the sales register, the population
at risk) and the units of them returned for repair, per model, sale month, month in service,
fault code, part replaced and TAC (the first eight digits of the IMEI: the production batch).

Every figure is one GROUP BY in the database (never every order loaded into Python). A return
is a repair order that is not a rework (a rework is our own repair failing, not the product),
counted once per unit and cell. A returned unit whose serial is not in the sales register has
no population to be a rate of: it is counted apart, as "unknown population".

Months are calendar months of the center's time zone (app/localtime): a time column is put in
its month by comparing it with the months' first instants there (a CASE over indexed-comparable
bounds, the same on SQLite and PostgreSQL), never by the UTC date the database stores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Integer, and_, case, cast, distinct, extract, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.context import Context
from app.localtime import center_zone
from app.models import (
    FaultCode,
    MoveKind,
    Part,
    PartMaster,
    ProductModel,
    RepairOrder,
    RepairRecord,
    SalesRecord,
    StockMove,
    Unit,
)
from app.permissions import Permission
from app.quality.detector import month_index, month_start

TAC_LENGTH = 8


def month_of(column: Any) -> ColumnElement[int]:
    """The month index (year × 12 + month − 1) of a date or time column, in SQL."""
    return cast(extract("year", column), Integer) * 12 + cast(extract("month", column), Integer) - 1


def local_month_of(column: Any, since: date | datetime, until: datetime) -> ColumnElement[int]:
    """The month index of a time column in the center's time zone, for times from the month of
    ``since`` up to ``until`` (earlier times get the first month, later ones the last)."""
    zone = center_zone()
    first = since.astimezone(zone).date() if isinstance(since, datetime) else since
    last = until.astimezone(zone).date()
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    bounds = [
        (column < datetime.combine(month_start(m + 1), time(), zone), literal(m))
        for m in months[:-1]
    ]
    if not bounds:
        return literal(months[-1] if months else first.year * 12 + first.month - 1)
    return case(*bounds, else_=literal(months[-1]))


def _returns(first: date, last: date, until: datetime) -> Any:
    """Returns (not reworks) of units in the sales register sold from ``first`` to ``last``."""
    return (
        select()
        .select_from(RepairOrder)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(SalesRecord, SalesRecord.serial == Unit.serial)
        .where(
            RepairOrder.is_rework.is_(False),
            RepairOrder.received_at < until,
            SalesRecord.sale_date >= first,
            SalesRecord.sale_date <= last,
        )
    )


def cohort_sizes(
    session: Session, first: date, last: date, model_code: str | None = None
) -> dict[tuple[str, int], int]:
    """Units sold per (model code, sale month index)."""
    sold_in = month_of(SalesRecord.sale_date)
    query = (
        select(SalesRecord.model_code, sold_in, func.count())
        .where(SalesRecord.sale_date >= first, SalesRecord.sale_date <= last)
        .group_by(SalesRecord.model_code, sold_in)
    )
    if model_code is not None:
        query = query.where(SalesRecord.model_code == model_code)
    return {(code, int(month)): int(count) for code, month, count in session.execute(query)}


def return_counts(
    session: Session,
    first: date,
    last: date,
    until: datetime,
    model_code: str | None = None,
    *,
    by_fault: bool = True,
) -> dict[tuple[str, int, int, str], int]:
    """Units returned per (model code, sale month, month in service, fault code); with
    ``by_fault`` False, every return under the code ``""`` (also those without a fault code)."""
    sold_in = month_of(SalesRecord.sale_date)
    received_in = local_month_of(RepairOrder.received_at, first, until)
    columns: list[Any] = [SalesRecord.model_code, sold_in, received_in]
    query = _returns(first, last, until)
    if by_fault:
        columns.append(RepairRecord.fault_code)
        query = query.join(RepairRecord, RepairRecord.order_id == RepairOrder.id).where(
            RepairRecord.fault_code.is_not(None)
        )
    query = query.add_columns(*columns, func.count(distinct(RepairOrder.unit_id))).group_by(
        *columns
    )
    if model_code is not None:
        query = query.where(SalesRecord.model_code == model_code)
    counts: dict[tuple[str, int, int, str], int] = defaultdict(int)
    for row in session.execute(query):
        code = row[3] if by_fault else ""
        counts[(row[0], int(row[1]), int(row[2]) - int(row[1]), code)] += int(row[-1])
    return dict(counts)


@dataclass(frozen=True)
class CohortRate:
    sale_month: date
    sold: int
    returned: int
    by_month_in_service: tuple[int, ...]  # units returned in months in service 0, 1, 2...

    @property
    def rate(self) -> float | None:
        return self.returned / self.sold if self.sold else None


@dataclass(frozen=True)
class Share:
    """Units returned with one fault code, one part replaced, or of one TAC."""

    key: str
    name: str
    returned: int
    sold: int

    @property
    def rate(self) -> float | None:
        return self.returned / self.sold if self.sold else None


@dataclass(frozen=True)
class ModelRates:
    model_code: str
    model_name: str
    first_month: date
    last_month: date
    cohorts: tuple[CohortRate, ...]
    faults: tuple[Share, ...]
    parts: tuple[Share, ...]
    tacs: tuple[Share, ...]
    unknown_population: int  # returns of units not in the sales register, in the same months

    @property
    def sold(self) -> int:
        return sum(c.sold for c in self.cohorts)

    @property
    def returned(self) -> int:
        return sum(c.returned for c in self.cohorts)

    @property
    def rate(self) -> float | None:
        return self.returned / self.sold if self.sold else None


def model_rates(
    ctx: Context, model_code: str, first: date, last: date, until: datetime | None = None
) -> ModelRates:
    """One model's rates for the units sold from ``first`` to ``last``, returned before
    ``until`` (default: now)."""
    ctx.require(Permission.VIEW_LEDGERS)
    with ctx.db.read() as session:
        return read_model_rates(session, model_code, first, last, until or ctx.now())


def read_model_rates(
    session: Session, model_code: str, first: date, last: date, until: datetime
) -> ModelRates:
    name = session.scalar(select(ProductModel.name).where(ProductModel.code == model_code))
    sold = cohort_sizes(session, first, last, model_code)
    returned = return_counts(session, first, last, until, model_code, by_fault=False)
    per_mis: dict[int, dict[int, int]] = defaultdict(dict)
    for (_, sold_in, mis, _), count in returned.items():
        per_mis[sold_in][mis] = count
    totals = _units_per_cohort(session, first, last, until, model_code)
    cohorts = []
    for month in range(month_index(first), month_index(last) + 1):
        cells = per_mis.get(month, {})
        ages = tuple(cells.get(mis, 0) for mis in range(max(cells, default=-1) + 1))
        if sold.get((model_code, month)) or cells:
            cohorts.append(
                CohortRate(
                    month_start(month), sold.get((model_code, month), 0), totals.get(month, 0), ages
                )
            )
    total_sold = sum(sold.values())
    return ModelRates(
        model_code,
        name or model_code,
        first,
        last,
        tuple(cohorts),
        _faults(session, first, last, until, model_code, total_sold),
        _parts(session, first, last, until, model_code, total_sold),
        _tacs(session, first, last, until, model_code),
        unknown_population(session, first, last, until).get(model_code, 0),
    )


def _units_per_cohort(
    session: Session, first: date, last: date, until: datetime, model_code: str
) -> dict[int, int]:
    """Units returned at least once, per sale month (a unit back twice counts once)."""
    sold_in = month_of(SalesRecord.sale_date)
    query = (
        _returns(first, last, until)
        .add_columns(sold_in, func.count(distinct(RepairOrder.unit_id)))
        .where(SalesRecord.model_code == model_code)
        .group_by(sold_in)
    )
    return {int(month): int(count) for month, count in session.execute(query)}


def _faults(
    session: Session, first: date, last: date, until: datetime, model_code: str, sold: int
) -> tuple[Share, ...]:
    query = (
        _returns(first, last, until)
        .join(RepairRecord, RepairRecord.order_id == RepairOrder.id)
        .outerjoin(FaultCode, FaultCode.code == RepairRecord.fault_code)
        .add_columns(
            RepairRecord.fault_code,
            func.max(FaultCode.description),
            func.count(distinct(RepairOrder.unit_id)),
        )
        .where(SalesRecord.model_code == model_code, RepairRecord.fault_code.is_not(None))
        .group_by(RepairRecord.fault_code)
    )
    rows = [Share(code, text or code, int(n), sold) for code, text, n in session.execute(query)]
    return tuple(sorted(rows, key=lambda s: (-s.returned, s.key)))


def _parts(
    session: Session, first: date, last: date, until: datetime, model_code: str, sold: int
) -> tuple[Share, ...]:
    query = (
        _returns(first, last, until)
        .join(
            StockMove, and_(StockMove.order_id == RepairOrder.id, StockMove.kind == MoveKind.ISSUE)
        )
        .join(Part, Part.id == StockMove.part_id)
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .add_columns(Part.part_no, PartMaster.name, func.count(distinct(RepairOrder.unit_id)))
        .where(SalesRecord.model_code == model_code)
        .group_by(Part.part_no, PartMaster.name)
    )
    rows = [Share(no, name, int(n), sold) for no, name, n in session.execute(query)]
    return tuple(sorted(rows, key=lambda s: (-s.returned, s.key)))


def _tacs(
    session: Session, first: date, last: date, until: datetime, model_code: str
) -> tuple[Share, ...]:
    """Sold and returned per TAC (the serial's first eight characters) where serials are IMEIs."""
    tac = func.substr(SalesRecord.serial, 1, TAC_LENGTH)
    sold_query = (
        select(tac, func.count())
        .where(
            SalesRecord.model_code == model_code,
            SalesRecord.sale_date >= first,
            SalesRecord.sale_date <= last,
        )
        .group_by(tac)
    )
    sold = {key: int(n) for key, n in session.execute(sold_query)}
    if len(sold) < 2:
        return ()  # one batch (or free-form serials): nothing to tell apart
    returned_query = (
        _returns(first, last, until)
        .add_columns(tac, func.count(distinct(RepairOrder.unit_id)))
        .where(SalesRecord.model_code == model_code)
        .group_by(tac)
    )
    returned = {key: int(n) for key, n in session.execute(returned_query)}
    rows = [Share(key, key, returned.get(key, 0), n) for key, n in sold.items()]
    return tuple(sorted(rows, key=lambda s: (-(s.rate or 0), s.key)))


def unknown_population(
    session: Session, first: date, last: date, until: datetime
) -> dict[str, int]:
    """Per model code: units returned (received from ``first`` to ``until``) whose serial is not
    in the sales register, so no population is known for them."""
    query = (
        select(ProductModel.code, func.count(distinct(RepairOrder.unit_id)))
        .select_from(RepairOrder)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .outerjoin(SalesRecord, SalesRecord.serial == Unit.serial)
        .where(
            SalesRecord.id.is_(None),
            RepairOrder.is_rework.is_(False),
            RepairOrder.received_at >= datetime.combine(first, datetime.min.time(), until.tzinfo),
            RepairOrder.received_at < until,
        )
        .group_by(ProductModel.code)
    )
    return {code: int(n) for code, n in session.execute(query)}


@dataclass(frozen=True)
class ModelSummary:
    model_code: str
    sold: int
    returned: int
    unknown_population: int

    @property
    def rate(self) -> float | None:
        return self.returned / self.sold if self.sold else None


def overview(ctx: Context, first: date, last: date) -> list[ModelSummary]:
    """Every model sold from ``first`` to ``last``: units sold, returned, and returns of unknown
    population, one row a model."""
    ctx.require(Permission.VIEW_LEDGERS)
    until = ctx.now()
    with ctx.db.read() as session:
        sold: dict[str, int] = defaultdict(int)
        for (code, _), n in cohort_sizes(session, first, last).items():
            sold[code] += n
        query = (
            _returns(first, last, until)
            .add_columns(SalesRecord.model_code, func.count(distinct(RepairOrder.unit_id)))
            .group_by(SalesRecord.model_code)
        )
        returned = {code: int(n) for code, n in session.execute(query)}
        unknown = unknown_population(session, first, last, until)
    codes = sorted(set(sold) | set(returned) | set(unknown))
    return [
        ModelSummary(code, sold.get(code, 0), returned.get(code, 0), unknown.get(code, 0))
        for code in codes
    ]
