"""Receiving (收货): each scanned unit becomes a repair order at once.

The rules of DOMAIN.md step 1 live here: the serial is checked against its model's kind (IMEI
with its Luhn digit, or the model's pattern); a unit with an open order is refused; a unit seen
before is a repeat repair (返修), a rework of ours within 90 days of our shipment; warranty runs
from the sale (sales register), the purchase date, or our last repair.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, formats, numbering, states, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.models import (
    ProductModel,
    RepairOrder,
    RepairState,
    SerialKind,
    Unit,
)
from app.permissions import Permission
from app.receiving.condition import missing_items
from app.receiving.scan_facts import (
    CALENDAR_DAYS_AHEAD,
    ModelCandidates,
    Sale,
    ScanFacts,
    read_facts,
    read_unit_orders,
)
from app.receiving.warranty import warranty_from
from app.workcal import WorkCalendar


@dataclass(frozen=True)
class Intake:
    serial: str
    customer_id: int | None  # None: the box's sender
    model_code: str | None = None  # None: from the unit's history or its IMEI's TAC
    box_id: int | None = None
    fault_description: str = ""
    capacity: str | None = None
    colour: str | None = None
    accessories: list[str] = field(default_factory=list)
    appearance: dict[str, Any] = field(default_factory=dict)
    appearance_notes: str | None = None
    purchase_date: date | None = None
    # The clerk was asked and confirmed ``model_code`` against the model the sales register or
    # the IMEI's TAC gives (a unit's own history is never overruled by a scan).
    confirm_model: bool = False


class ModelDisagreement(Conflict):
    """The panel's model is not the one the sales register or the TAC gives: the clerk must
    confirm (``Intake.confirm_model``) before the unit is received as the panel's model."""

    def __init__(self, serial: str, known: str, chosen: str, source: str) -> None:
        super().__init__(
            N_(
                "{serial} is a {known} according to {source}, but the intake panel says "
                "{chosen}. Nothing was received: check the unit, then confirm {chosen} or set "
                "the panel's model back."
            ),
            serial=serial,
            known=known,
            chosen=chosen,
            source=source,
        )
        self.serial, self.known, self.chosen = serial, known, chosen


@dataclass(frozen=True)
class Received:
    order_id: int
    order_no: str
    serial: str
    model_code: str
    is_repeat: bool
    is_rework: bool
    in_warranty: bool
    warranty_until: date | None
    warranty_basis: str
    # The customer is under the watch after a complaint (seed 000) until then: flagged at once.
    watched_until: datetime | None = None


def known_model(
    candidates: ModelCandidates, serial: str, unit: Unit | None, sale: Sale | None
) -> tuple[ProductModel, str] | None:
    """(model, source) from what the floor knows of the serial, first wins: the unit's own
    history, the maker's sales register, the IMEI's TAC. None: nobody knows it."""
    if unit is not None:
        return unit.product_model, N_("its own repair history")
    if sale is not None and sale.model_code:
        model = candidates.by_code(sale.model_code)
        if model is not None:
            return model, N_("the sales register")
    model = candidates.by_tac(serial)
    if model is not None:
        return model, N_("its IMEI (TAC)")
    return None


def model_of_code(session: Session, code: str) -> ProductModel:
    return _active_model(
        session.scalar(select(ProductModel).where(ProductModel.code == code)), code
    )


def _active_model(model: ProductModel | None, code: str) -> ProductModel:
    if model is None or not model.active:
        raise NotFound(N_('Unknown product model "{code}".'), code=code)
    return model


def _resolve_model(
    candidates: ModelCandidates,
    intake: Intake,
    serial: str,
    unit: Unit | None,
    facts: ScanFacts,
) -> tuple[ProductModel, str | None]:
    """(model, the known model the clerk confirmed over, if any).

    The unit's history, then the sales register, then the TAC decide; the panel's model
    (``intake.model_code``) only fills what none of them knows, then the box's last unit. A
    panel model that disagrees is refused: always for a known unit (a scan never changes its
    model), until confirmed for the register or the TAC.
    """
    chosen = (
        _active_model(candidates.by_code(intake.model_code), intake.model_code)
        if intake.model_code
        else None
    )
    known = known_model(candidates, serial, unit, facts.sale)
    if known is not None:
        model, source = known
        if chosen is None or chosen.id == model.id:
            return model, None
        if unit is not None:
            raise Conflict(
                N_(
                    "{serial} is a {known} according to its own repair history, not a "
                    "{chosen}: a scan never changes a unit's model. Set the panel's model back; "
                    "a supervisor corrects a wrong model."
                ),
                serial=serial,
                known=model.code,
                chosen=chosen.code,
            )
        if not intake.confirm_model:
            raise ModelDisagreement(serial, model.code, chosen.code, source)
        return chosen, model.code
    if chosen is not None:
        return chosen, None
    box_model_code = facts.defaults.model_code
    if box_model_code:
        return _active_model(candidates.by_code(box_model_code), box_model_code), None
    raise InvalidInput(N_("Choose the product model of {serial}."), serial=serial)


def check_serial(model: ProductModel, serial: str) -> None:
    if model.serial_kind is SerialKind.IMEI:
        formats.check_imei(serial)
    else:
        formats.check_free_serial(serial, model.serial_pattern)


def _checked_values(intake: Intake, today: date) -> Intake:
    """The intake's typed text and purchase date as stored, or refused before anything is written."""
    return replace(
        intake,
        fault_description=values.clean_text(
            intake.fault_description, max_length=512, multiline=True
        ),
        appearance_notes=values.optional_text(
            intake.appearance_notes, max_length=512, multiline=True
        ),
        capacity=values.optional_text(intake.capacity, max_length=32),
        colour=values.optional_text(intake.colour, max_length=32),
        accessories=values.clean_items(intake.accessories),
        purchase_date=values.check_purchase_date(intake.purchase_date, today),
    )


def prepared(ctx: Context, intake: Intake) -> Intake:
    """The intake as a scan saves it (serial cleaned, text and dates checked), or refused
    before anything is read or written."""
    ctx.require(Permission.RECEIVE)
    serial = formats.clean_scan(intake.serial)
    intake = _checked_values(intake, ctx.now().astimezone(WorkCalendar().tz).date())
    return replace(intake, serial=serial)


def receive_unit(ctx: Context, intake: Intake) -> Received:
    intake = prepared(ctx, intake)
    with ctx.db.transaction() as session:
        return receive_in(session, ctx, intake).received


@dataclass(frozen=True)
class Receipt:
    """A scan's result with what the desk shows beside it, read in the same unit of work."""

    received: Received
    sale: Sale | None
    earlier_orders: list[RepairOrder]  # the unit's orders before this one, newest first
    scanned: int  # units in the box, this one included


def receive_in(session: Session, ctx: Context, intake: Intake) -> Receipt:
    """The scan inside the caller's transaction; ``intake`` checked, its serial cleaned. Reads
    in at most two statements (see scan_facts.py), then writes the unit, the order number,
    the order and its audit row: no read repeated, no row loaded one by one."""
    serial, now = intake.serial, ctx.now()
    facts, candidates = read_facts(
        session, serial, intake.customer_id, intake.box_id, now, intake.model_code
    )
    if intake.customer_id is not None and not facts.customer_found:
        raise NotFound(N_("Choose the sender of this unit."))
    if intake.box_id is not None and (not facts.box_found or facts.box_closed):
        raise Conflict(N_("The box is closed. Open a box before scanning units."))
    customer_id = intake.customer_id if intake.customer_id is not None else facts.box_sender_id
    if customer_id is None:
        raise NotFound(N_("Choose the sender of this unit."))
    defaults = facts.defaults
    unit, earlier = read_unit_orders(session, facts.unit_id) if facts.unit_id else (None, [])
    model, confirmed_over = _resolve_model(candidates, intake, serial, unit, facts)
    check_serial(model, serial)
    last_shipped = None
    is_repeat = unit is not None
    if unit is not None:
        _refuse_open_order(serial, intake.box_id, earlier)
        last_shipped = max((o.shipped_at for o in earlier if o.shipped_at), default=None)
    else:
        unit = Unit(
            serial=serial,
            product_model_id=model.id,
            capacity=intake.capacity or defaults.capacity,
            colour=intake.colour or defaults.colour,
            purchase_date=intake.purchase_date,
            created_at=now,
        )
        session.add(unit)
        session.flush()
    if intake.purchase_date and unit.purchase_date is None:
        unit.purchase_date = intake.purchase_date
    rework_window = timedelta(days=facts.rework_window_days)
    is_rework = last_shipped is not None and now - last_shipped <= rework_window
    today = now.astimezone(WorkCalendar().tz).date()
    in_warranty, until, basis = warranty_from(
        facts.sale,
        model,
        unit.purchase_date,
        last_shipped.date() if last_shipped else None,
        today,
    )
    appearance = dict(intake.appearance)
    checked = not missing_items(candidates.categories.get(model.category), appearance)
    order = RepairOrder(
        order_no=numbering.next_number(session, "RO", now),
        unit_id=unit.id,
        customer_id=customer_id,
        box_id=intake.box_id,
        state=RepairState.RECEIVED,
        capacity=intake.capacity or unit.capacity,
        colour=intake.colour or unit.colour,
        fault_description=intake.fault_description.strip(),
        accessories=list(intake.accessories),
        appearance=appearance,
        appearance_notes=intake.appearance_notes,
        condition_checked_at=now if checked else None,
        in_warranty=in_warranty,
        warranty_until=until,
        warranty_basis=basis,
        is_repeat=is_repeat,
        is_rework=is_rework,
        received_at=now,
        received_by_id=ctx.user_id,
        due_at=_due(session, facts, now, model.turnaround_days),
        updated_at=now,
    )
    session.add(order)
    session.flush()
    audit.record(
        session,
        ctx,
        AuditAction.RECEIVE,
        "repair_order",
        order.order_no,
        order_id=order.id,
        after={
            "state": order.state,
            "serial": serial,
            "model": model.code,
            "in_warranty": in_warranty,
            "is_repeat": is_repeat,
            "is_rework": is_rework,
        }
        | ({"model_confirmed_over": confirmed_over} if confirmed_over else {}),
    )
    from app.complaints import watchlist  # complaints' tables: mapped with the first receipt

    watched_until = watchlist.watch_end(facts.last_settlement, facts.watch_months, now)
    if watched_until is not None:
        watchlist.flag_new_order(session, ctx, order, watched_until)
    received = Received(
        order.id,
        order.order_no,
        serial,
        model.code,
        is_repeat,
        is_rework,
        in_warranty,
        until,
        basis,
        watched_until,
    )
    return Receipt(received, facts.sale, earlier, facts.scanned + 1)


def _due(session: Session, facts: ScanFacts, now: datetime, days: int) -> datetime:
    """The due date from the calendar read with the scan's facts; the whole calendar only for a
    turnaround reaching past the year those facts hold."""
    due = facts.calendar.add_working_days(now, days)
    if (
        due.astimezone(facts.calendar.tz).date() - now.astimezone(facts.calendar.tz).date()
    ).days < CALENDAR_DAYS_AHEAD:
        return due
    return WorkCalendar.load(session).add_working_days(now, days)


def _refuse_open_order(serial: str, box_id: int | None, orders: list[RepairOrder]) -> None:
    open_order = next((o for o in orders if o.state in states.OPEN_STATES), None)
    if open_order is None:
        return
    if box_id is not None and open_order.box_id == box_id:
        raise Conflict(
            N_("{serial} was already scanned into this box ({order_no})."),
            serial=serial,
            order_no=open_order.order_no,
        )
    raise Conflict(
        N_("{serial} already has an open repair order {order_no} ({state})."),
        serial=serial,
        order_no=open_order.order_no,
        state=states.STATE_LABELS[open_order.state],
    )
