"""What the receiving desk reads and writes around a scan: senders, intake choices, a unit's
history, the box's units, and ``scan_unit`` (a serial scanned into the open box).

The rules stay in :mod:`app.receiving.intake` and :mod:`app.receiving.boxes`; this module only
adds what a scanner-first desk asks: "who sent this box", "what may I pick for this model",
"what do we know of this serial", "a scan with no open box is refused".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from app import audit, formats, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict
from app.localtime import local_text
from app.models import (
    Carrier,
    Customer,
    CustomerKind,
    InboundBox,
    ProductCategory,
    ProductModel,
    RepairOrder,
    RepairState,
    Unit,
)
from app.permissions import Permission
from app.receiving.boxes import (
    BoxDefaults,
    defaults_from_last_unit,
    identify_carrier,
)
from app.receiving.intake import Intake, Received, prepared, receive_in

SENDER_SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Sender:
    id: int
    name: str
    phone: str | None
    kind: CustomerKind


@dataclass(frozen=True)
class ModelChoice:
    """A model as the intake panel offers it, with its category's checklists."""

    code: str
    name: str
    capacities: tuple[str, ...]
    colours: tuple[str, ...]
    common_faults: tuple[str, ...]
    accessory_checklist: tuple[str, ...]
    appearance_checklist: tuple[str, ...]


@dataclass(frozen=True)
class HistoryLine:
    order_no: str
    state: RepairState
    model_code: str
    received_at: datetime
    shipped_at: datetime | None
    fault_description: str
    is_repeat: bool
    is_rework: bool
    in_warranty: bool


@dataclass(frozen=True)
class BoxLine:
    order_id: int
    order_no: str
    serial: str
    model_name: str
    capacity: str | None
    colour: str | None
    fault_description: str
    in_warranty: bool
    is_repeat: bool
    is_rework: bool
    received_at: datetime
    condition_checked: bool = False  # the intake appearance check is complete


@dataclass(frozen=True)
class UnitDetails:
    """What the clerk set in the intake panel for the next scans (None: from history / box)."""

    model_code: str | None = None
    capacity: str | None = None
    colour: str | None = None
    fault_description: str = ""
    accessories: list[str] = field(default_factory=list)
    appearance: dict[str, Any] = field(default_factory=dict)
    appearance_notes: str | None = None


@dataclass(frozen=True)
class Sale:
    sale_date: date
    dealer: str | None


@dataclass(frozen=True)
class ScanResult:
    """A unit scanned into a box: its order, the sales register's answer, its earlier visits."""

    received: Received
    sale: Sale | None  # None: a serial the maker never sold (per the register)
    history: list[HistoryLine]  # earlier orders of the serial, newest first (empty: first visit)
    scanned_in_box: int


@dataclass(frozen=True)
class WaybillCheck:
    waybill_no: str
    carrier_name: str
    open_box_id: int | None  # the box of this waybill when it is still open (resume it)


# Opening a box
def check_waybill(ctx: Context, code: str) -> WaybillCheck:
    """A scan made with no box open: is it a waybill a box can be opened (or resumed) with?"""
    ctx.require(Permission.RECEIVE)
    waybill_no = formats.clean_scan(code)
    with ctx.db.read() as session:
        if not any(
            pattern and re.fullmatch(pattern, waybill_no)
            for pattern in session.scalars(
                select(Carrier.waybill_pattern).where(Carrier.active.is_(True))
            )
        ):
            raise Conflict(
                N_(
                    "No box is open, and {code} is not a courier waybill: scan the waybill of the "
                    "box first."
                ),
                code=waybill_no,
            )
        carrier = identify_carrier(session, waybill_no)  # the check digit
        box = session.scalar(select(InboundBox).where(InboundBox.waybill_no == waybill_no))
        if box is not None and box.closed_at is not None:
            raise Conflict(
                N_("Box {waybill} was already received and closed on {date}."),
                waybill=waybill_no,
                date=local_text(box.closed_at),
            )
        return WaybillCheck(waybill_no, carrier.name, box.id if box is not None else None)


# Senders
def search_senders(ctx: Context, text: str = "", limit: int = SENDER_SEARCH_LIMIT) -> list[Sender]:
    """Customers and dealers whose name or phone starts with ``text`` (dealers first)."""
    ctx.require(Permission.RECEIVE)
    query = select(Customer.id, Customer.name, Customer.phone, Customer.kind)
    text = values.clean_text(text, max_length=128)  # a NUL is no name (and a driver error)
    if text:
        # A typed % or _ is a character of the name, not a wildcard (as in the global search).
        matches = [Customer.name.startswith(text, autoescape=True)]
        digits = formats.phone_search_digits(text)
        if digits:
            matches.append(Customer.phone_digits.startswith(digits, autoescape=True))
        query = query.where(or_(*matches))
    query = query.order_by(Customer.kind.desc(), Customer.name, Customer.id).limit(limit)
    with ctx.db.read() as session:
        return [Sender(*row) for row in session.execute(query)]


def add_sender(
    ctx: Context,
    name: str,
    phone: str = "",
    address: str = "",
    *,
    kind: CustomerKind = CustomerKind.DEALER,
) -> int:
    """A new sender typed in at the desk (a box from someone never seen before)."""
    ctx.require(Permission.RECEIVE)
    name = values.clean_text(name, max_length=128, required=N_("Write the sender's name."))
    phone = values.clean_text(phone, max_length=formats.MAX_PHONE_LENGTH)
    address = values.clean_text(address, max_length=512)
    if phone:
        phone = formats.normalise_phone(phone).text  # refused with what is expected
    with ctx.db.transaction() as session:
        customer = Customer(
            kind=kind,
            name=name,
            phone=phone or None,
            address=address or None,
            created_at=ctx.now(),
        )
        session.add(customer)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.ADD_CUSTOMER,
            "customer",
            str(customer.id),
            after={"name": name, "phone": phone, "kind": kind},
        )
        return customer.id


# What the intake panel offers
def model_choices(ctx: Context) -> list[ModelChoice]:
    ctx.require(Permission.RECEIVE)
    with ctx.db.read() as session:
        categories = {c.code: c for c in session.scalars(select(ProductCategory))}
        choices = []
        for model in session.scalars(
            select(ProductModel).where(ProductModel.active.is_(True)).order_by(ProductModel.name)
        ):
            category = categories.get(model.category)
            choices.append(
                ModelChoice(
                    model.code,
                    model.name,
                    tuple(model.capacities or ()),
                    tuple(model.colours or ()),
                    tuple(model.common_faults or ()),
                    tuple(category.accessory_checklist if category else ()),
                    tuple(category.appearance_checklist if category else ()),
                )
            )
        return choices


def box_defaults(ctx: Context, box_id: int) -> BoxDefaults:
    """Model, capacity and colour of the box's last unit (what the next one most likely is)."""
    ctx.require(Permission.RECEIVE)
    with ctx.db.read() as session:
        return defaults_from_last_unit(session, box_id)


def unit_history(ctx: Context, serial: str) -> list[HistoryLine]:
    """Every order of a serial, newest first."""
    ctx.require(Permission.RECEIVE)
    serial = formats.clean_scan(serial)
    with ctx.db.read() as session:
        rows = session.execute(
            select(RepairOrder, ProductModel.code)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .where(Unit.serial == serial)
            .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
        ).all()
        return [_history_line(order, model_code) for order, model_code in rows]


def _history_line(order: RepairOrder, model_code: str) -> HistoryLine:
    return HistoryLine(
        order.order_no,
        order.state,
        model_code,
        order.received_at,
        order.shipped_at,
        order.fault_description,
        order.is_repeat,
        order.is_rework,
        order.in_warranty,
    )


def box_lines(ctx: Context, box_id: int) -> list[BoxLine]:
    """The units scanned into a box, newest first."""
    ctx.require(Permission.RECEIVE)
    with ctx.db.read() as session:
        rows = session.execute(
            select(RepairOrder, Unit.serial, ProductModel.name)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .where(RepairOrder.box_id == box_id)
            .order_by(RepairOrder.id.desc())
        ).all()
        return [
            BoxLine(
                order.id,
                order.order_no,
                serial,
                model_name,
                order.capacity,
                order.colour,
                order.fault_description,
                order.in_warranty,
                order.is_repeat,
                order.is_rework,
                order.received_at,
                order.condition_checked_at is not None,
            )
            for order, serial, model_name in rows
        ]


# The scan
def scan_unit(
    ctx: Context,
    box_id: int | None,
    serial: str,
    details: UnitDetails | None = None,
    *,
    confirm_model: bool = False,
) -> ScanResult:
    """A serial scanned at the desk: a repair order in the open box, or a refusal that says why.

    ``confirm_model``: the clerk confirmed the panel's model against the sales register / TAC
    (after a :class:`~app.receiving.intake.ModelDisagreement`)."""
    ctx.require(Permission.RECEIVE)
    details = details or UnitDetails()
    if box_id is None:
        formats.clean_scan(serial)  # an empty scan says so first
        raise Conflict(N_("No box is open: scan the courier waybill of the box first."))
    intake = Intake(
        serial=serial,
        customer_id=None,  # the box's sender
        model_code=details.model_code or None,
        box_id=box_id,
        fault_description=details.fault_description,
        capacity=details.capacity or None,
        colour=details.colour or None,
        accessories=list(details.accessories),
        appearance=dict(details.appearance),
        appearance_notes=details.appearance_notes,
        confirm_model=confirm_model,
    )
    intake = prepared(ctx, intake)
    # One unit of work: the order saved and what the desk shows beside it (the sale, the box's
    # count, the unit's history) read in the same transaction.
    with ctx.db.transaction() as session:
        receipt = receive_in(session, ctx, intake)
    sale = receipt.sale
    # A unit's orders all have the unit's model.
    history = [
        _history_line(order, receipt.received.model_code) for order in receipt.earlier_orders
    ]
    return ScanResult(
        receipt.received,
        Sale(sale.sale_date, sale.dealer) if sale else None,
        history,
        receipt.scanned,
    )
