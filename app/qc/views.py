"""QC read side: the rack view (every slot, its unit and when it is done), units over their
time, and first-pass yield per model or technician by week. Each read takes a Context and
needs QC; the Excel ledger's query (``aging_ledger_rows``) is checked by ``export_ledgers``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Literal

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from app import formats
from app.context import Context
from app.db import stream
from app.errors import N_, IllegalTransition
from app.ledgers.kpi import periods
from app.localtime import center_zone
from app.models import (
    AgingRun,
    ProductCategory,
    ProductModel,
    QcResult,
    Rack,
    RackSlot,
    RepairOrder,
    RepairState,
    Unit,
    User,
)
from app.permissions import Permission
from app.vocabulary import chinese


class SlotState(Enum):
    """What a rack slot shows: free, a unit aging, or a unit whose time is up (sign it off)."""

    EMPTY = "empty"
    AGING = "aging"
    FINISHED = "finished"


@dataclass(frozen=True)
class SlotView:
    slot_id: int
    slot_code: str
    rack_code: str
    order_id: int | None
    order_no: str | None
    model: str | None
    started_at: datetime | None
    ready_at: datetime | None

    def remaining(self, now: datetime) -> timedelta | None:
        return None if self.ready_at is None else max(self.ready_at - now, timedelta(0))

    def finished(self, now: datetime) -> bool:
        """The unit in the slot has aged its time: it waits to be signed off."""
        return self.ready_at is not None and self.ready_at <= now

    def state(self, now: datetime) -> SlotState:
        if self.order_id is None:
            return SlotState.EMPTY
        return SlotState.FINISHED if self.finished(now) else SlotState.AGING


@dataclass(frozen=True)
class YieldRow:
    key: str
    week: date  # Monday of the week
    first_runs: int
    first_pass: int

    @property
    def rate(self) -> float:
        return self.first_pass / self.first_runs if self.first_runs else 0.0


@dataclass(frozen=True)
class SignOffForm:
    """What the sign-off dialog shows and asks: the unit, its time, and the model's checklists."""

    order_id: int
    order_no: str
    serial: str
    model: str
    technician: str | None
    slot_code: str | None
    rework_count: int
    started_at: datetime
    ready_at: datetime
    functions: tuple[str, ...]
    appearance: tuple[str, ...]

    def remaining(self, now: datetime) -> timedelta:
        return max(self.ready_at - now, timedelta(0))


@dataclass(frozen=True)
class SlotStatus:
    """A scanned slot code: the slot, and the order aging in it (None when free)."""

    slot_id: int
    slot_code: str
    order_id: int | None


def find_slot(ctx: Context, code: str) -> SlotStatus | None:
    """The active slot with this code (as scanned, any case), or None when it is no slot code."""
    ctx.require(Permission.QC)
    with ctx.db.read() as session:
        return slot_status(session, code)


def slot_status(session: Session, code: str) -> SlotStatus | None:
    """``find_slot`` in a session of the caller's (who checked QC): one statement."""
    row = session.execute(
        select(RackSlot.id, RackSlot.code, AgingRun.order_id)
        .outerjoin(AgingRun, and_(AgingRun.slot_id == RackSlot.id, AgingRun.result.is_(None)))
        .where(RackSlot.code == formats.clean_scan(code), RackSlot.active.is_(True))
        .limit(1)
    ).first()
    return None if row is None else SlotStatus(row.id, row.code, row.order_id)


def sign_off_form(ctx: Context, order_id: int) -> SignOffForm:
    """The open aging run of an order, for signing off; refused when it is not aging."""
    ctx.require(Permission.QC)
    with ctx.db.read() as session:
        return read_sign_off_form(session, order_id)


def read_sign_off_form(session: Session, order_id: int) -> SignOffForm:
    """``sign_off_form`` in a session of the caller's (who checked QC): one statement (two when
    the order is not aging, to name it in the refusal)."""
    technician = aliased(User)
    row = session.execute(
        select(
            AgingRun.started_at,
            AgingRun.required_minutes,
            RepairOrder.id,
            RepairOrder.order_no,
            RepairOrder.rework_count,
            Unit.serial,
            ProductModel.name,
            ProductModel.qc_checklist,
            ProductModel.appearance_checklist,
            ProductCategory.appearance_checklist,
            technician.display_name,
            RackSlot.code,
        )
        .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .outerjoin(ProductCategory, ProductCategory.code == ProductModel.category)
        .outerjoin(technician, technician.id == AgingRun.technician_id)
        .outerjoin(RackSlot, RackSlot.id == AgingRun.slot_id)
        .where(AgingRun.order_id == order_id, AgingRun.result.is_(None))
        .order_by(AgingRun.id.desc())
        .limit(1)
    ).first()
    if row is None:
        order_no = session.scalar(select(RepairOrder.order_no).where(RepairOrder.id == order_id))
        raise IllegalTransition(
            N_("Order {order_no} is not on an aging rack."), order_no=order_no or order_id
        )
    (started, minutes, the_id, order_no, rework, serial, model, functions) = row[:8]
    model_appearance, category_appearance, technician_name, slot_code = row[8:]
    # The model's own appearance checklist, else its category's.
    appearance = list(model_appearance or []) or list(category_appearance or [])
    return SignOffForm(
        order_id=the_id,
        order_no=order_no,
        serial=serial,
        model=model,
        technician=technician_name,
        slot_code=slot_code,
        rework_count=rework,
        started_at=started,
        ready_at=started + timedelta(minutes=minutes),
        functions=tuple(functions or ()),
        appearance=tuple(appearance),
    )


def rack_view(ctx: Context) -> Sequence[SlotView]:
    """Every active slot, in rack order, with the unit aging in it (if any)."""
    ctx.require(Permission.QC)
    open_run = (
        select(AgingRun.slot_id, AgingRun.order_id, AgingRun.started_at, AgingRun.required_minutes)
        .where(AgingRun.result.is_(None), AgingRun.slot_id.is_not(None))
        .subquery()
    )
    with ctx.db.read() as session:
        rows = session.execute(
            select(
                RackSlot.id,
                RackSlot.code,
                Rack.code,
                open_run.c.order_id,
                RepairOrder.order_no,
                ProductModel.name,
                open_run.c.started_at,
                open_run.c.required_minutes,
            )
            .join(Rack, Rack.id == RackSlot.rack_id)
            .outerjoin(open_run, open_run.c.slot_id == RackSlot.id)
            .outerjoin(RepairOrder, RepairOrder.id == open_run.c.order_id)
            .outerjoin(Unit, Unit.id == RepairOrder.unit_id)
            .outerjoin(ProductModel, ProductModel.id == Unit.product_model_id)
            .where(RackSlot.active.is_(True))
            .order_by(Rack.code, RackSlot.position, RackSlot.id)
        ).all()
    views = []
    for slot_id, slot_code, rack_code, order_id, order_no, model, started, minutes in rows:
        ready = started + timedelta(minutes=minutes) if started is not None else None
        views.append(
            SlotView(slot_id, slot_code, rack_code, order_id, order_no, model, started, ready)
        )
    return views


def over_time(ctx: Context) -> Sequence[SlotView]:
    """Units whose aging time is up but that are not signed off yet (they block a slot)."""
    now = ctx.now()
    return [view for view in rack_view(ctx) if view.finished(now)]


def _week_starts(start: datetime, end: datetime) -> list[tuple[date, datetime]]:
    """The center's weeks that meet [start, end): each Monday and the moment its day begins."""
    zone = center_zone()
    last_day = (end - timedelta(microseconds=1)).astimezone(zone).date()
    weeks = periods(start.astimezone(zone).date(), last_day, "week")
    return [(monday, begins) for monday, begins, _ in weeks]


def first_pass_yield(
    ctx: Context, start: datetime, end: datetime, by: Literal["model", "technician"] = "model"
) -> Sequence[YieldRow]:
    """Share of orders whose first aging run in [start, end) passed, by week.

    An order's first run is its first with a result (the lowest id); it counts in the center's
    week it was signed in. Read from the runs signed in [start, end) (their index), each kept
    when its order has no finished run before it (a look-up on (order_id, id)), not by grouping
    every run ever; counted per key and week by the database (a row per week and key comes back,
    not a row per run).
    """
    ctx.require(Permission.QC)
    weeks = _week_starts(start, end)
    if not weeks:
        return []
    earlier = aliased(AgingRun)
    finished_before = (
        select(earlier.id)
        .where(
            earlier.order_id == AgingRun.order_id,
            earlier.id < AgingRun.id,
            earlier.result.is_not(None),
        )
        .exists()
    )
    # The index of the week each run was signed in: the last week begun before it was.
    bounds = [(AgingRun.signed_at < moment, index) for index, (_, moment) in enumerate(weeks[1:])]
    last = literal(len(weeks) - 1)
    week = (case(*bounds, else_=last) if bounds else last).label("week")
    if by == "model":
        keyed = (
            select(ProductModel.name.label("key"), week, AgingRun.result)
            .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
        )
    else:
        technician = aliased(User)
        keyed = (
            select(func.coalesce(technician.display_name, "-").label("key"), week, AgingRun.result)
            .select_from(AgingRun)
            .outerjoin(technician, technician.id == AgingRun.technician_id)
        )
    runs = keyed.where(
        AgingRun.signed_at >= start,
        AgingRun.signed_at < end,
        AgingRun.result.is_not(None),
        ~finished_before,
    ).subquery()
    passed = func.sum(case((runs.c.result == QcResult.PASS, 1), else_=0))
    with ctx.db.read() as session:
        rows = session.execute(
            select(runs.c.key, runs.c.week, func.count(), passed).group_by(runs.c.key, runs.c.week)
        ).all()
    counted = [
        YieldRow(name, weeks[index][0], int(first), int(ok)) for name, index, first, ok in rows
    ]
    return sorted(counted, key=lambda row: (row.week, row.key))


def aging_ledger_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    """Every unit received on the aging racks in [start, end): slot, hours, result and
    signature (the Excel ledger; its caller checks VIEW_LEDGERS)."""
    _technician, _signer = aliased(User), aliased(User)
    query = (
        select(
            AgingRun.received_at,
            RepairOrder.order_no,
            ProductModel.name,
            _technician.display_name,
            RackSlot.code,
            AgingRun.started_at,
            AgingRun.required_minutes,
            AgingRun.result,
            AgingRun.fail_reason,
            _signer.display_name,
            AgingRun.signed_at,
            AgingRun.override_reason,
        )
        .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .outerjoin(_technician, _technician.id == AgingRun.technician_id)
        .outerjoin(RackSlot, RackSlot.id == AgingRun.slot_id)
        .outerjoin(_signer, _signer.id == AgingRun.signed_by_id)
        .where(AgingRun.received_at >= start, AgingRun.received_at < end)
        .order_by(AgingRun.received_at, AgingRun.id)
    )
    for row in stream(session, query):
        result = chinese(row[7]) if row[7] is not None else chinese(RepairState.IN_QC)
        yield (*row[:6], round(row[6] / 60, 2), result, *row[8:])
