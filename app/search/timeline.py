"""Read views for the phone: an order's whole life, a unit's history, a customer's record.

- :func:`order_timeline`: the order's header and every event of it, in order: each audit row of
  the order (who, when, which station, what), plus the QC aging runs (slot, hours, result,
  signer), shipments (carrier, waybill), follow-up calls and complaints about it.
- :func:`unit_history`: every order of a serial (and of the serials swapped in or out on its
  orders), newest first, with the repeat / rework flags.
- :func:`customer_view`: a customer's orders, complaints and follow-ups, and the 事不过三 flag.

Texts are English templates marked ``N_()``; the UI shows them through the translation system
(Chinese on the floor), and hands the same translate function to :func:`timeline_text` and the
PDF, so the phone agent's copy and the printout read as the screen does.

事不过三 (seed 003: the same customer with three after-sales problems is flagged for the
supervisor): a problem is a repair order or a complaint of the customer received in the last
:data:`THREE_STRIKES_WINDOW_DAYS` days; three or more raise the flag. Dealers are left out:
they send in their own customers' units by the hundred, which is trade, not trouble.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import N_, NotFound
from app.models import (
    AgingRun,
    AuditEntry,
    Complaint,
    ComplaintOrder,
    Customer,
    CustomerKind,
    FollowUp,
    ProductModel,
    RackSlot,
    RepairOrder,
    RepairState,
    SerialSwap,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    Unit,
    User,
)
from app.states import STATE_LABELS
from app.workcal import CENTER_TIMEZONE

Translate = Callable[[str], str]

THREE_STRIKES = 3
THREE_STRIKES_WINDOW_DAYS = 365

ACTION_LABELS: dict[str, str] = {
    "receive": N_("Received"),
    "record_condition": N_("Condition recorded"),
    "attach_photo": N_("Photo attached"),
    "allocate": N_("Allocated to a technician"),
    "reassign": N_("Reassigned"),
    "start_repair": N_("Repair started"),
    "record_repair": N_("Repair recorded"),
    "wait_for_parts": N_("Waiting for parts"),
    "parts_arrived": N_("Parts arrived"),
    "issue_part": N_("Part issued"),
    "return_part": N_("Part returned"),
    "propose_charge": N_("Charge proposed"),
    "accept_charge": N_("Charge accepted by the customer"),
    "refuse_charge": N_("Charge refused by the customer"),
    "finish_repair": N_("Repair finished"),
    "start_qc": N_("QC aging started"),
    "qc_override": N_("QC aging cut short by a supervisor"),
    "pass_qc": N_("QC passed"),
    "fail_qc": N_("QC failed"),
    "pack": N_("Packed"),
    "unpack": N_("Taken out of the parcel"),
    "ship": N_("Shipped"),
    "request_special": N_("Special handling requested"),
    "approve_special": N_("Special handling approved"),
    "reject_special": N_("Special handling rejected"),
    "return_unrepaired": N_("To be returned unrepaired"),
    "swap_serial": N_("Serial swapped"),
    "register_complaint": N_("Complaint registered"),
    "complaint_first_contact": N_("Complaint: customer contacted"),
    "complaint_answer": N_("Complaint answered"),
    # Events read from their own tables rather than the audit log:
    "aging_run": N_("QC aging run"),
    "shipment": N_("Shipment"),
    "follow_up": N_("Follow-up call"),
    "complaint": N_("Complaint"),
}

# Audit "after" fields worth reading out, per key (the rest is bookkeeping).
_DETAIL_FIELDS: dict[str, str] = {
    "serial": N_("serial {value}"),
    "model": N_("model {value}"),
    "fault_code": N_("fault {value}"),
    "cause": N_("cause: {value}"),
    "action": N_("action: {value}"),
    "waybill_no": N_("waybill {value}"),
    "carrier": N_("carrier {value}"),
    "photo": N_("photo {value}"),
    "minutes_early": N_("{value} minutes early"),
}


def _identity(text: str) -> str:
    return text


def action_label(action: str, translate: Translate = _identity) -> str:
    label = ACTION_LABELS.get(action)
    return translate(label) if label else action


@dataclass(frozen=True)
class OrderHeader:
    order_id: int
    order_no: str
    serial: str
    old_serials: tuple[str, ...]
    model: str
    customer_id: int
    customer: str
    phone: str
    state: RepairState
    in_warranty: bool
    warranty_until: date | None
    is_repeat: bool
    is_rework: bool
    fault_description: str
    received_at: datetime


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    action: str  # the audit action, or aging_run / shipment / follow_up / complaint
    who: str
    station: str
    # Pieces of the detail: (English template marked N_, its values); translated when shown.
    details: tuple[tuple[str, dict[str, Any]], ...] = ()
    from_audit: bool = True

    def label(self, translate: Translate = _identity) -> str:
        return action_label(self.action, translate)

    def detail(self, translate: Translate = _identity) -> str:
        return "; ".join(translate(template).format(**values) for template, values in self.details)


@dataclass(frozen=True)
class Timeline:
    header: OrderHeader
    events: list[TimelineEvent] = field(default_factory=list)


def order_timeline(db: Database, order_id: int) -> Timeline:
    with db.read() as session:
        order = session.get(RepairOrder, order_id)
        if order is None:
            raise NotFound(N_("Repair order {order_id} does not exist."), order_id=order_id)
        names = _user_names(session)
        header = _header(session, order)
        events = [_audit_event(entry, names) for entry in _audit_entries(session, order_id)]
        events += _aging_events(session, order_id, names)
        events += _shipment_events(session, order_id, names)
        events += _complaint_events(session, order_id, names)
        events += _follow_up_events(session, order_id, names)
    # Stable: audit rows keep their written order where two events share a moment.
    events.sort(key=lambda event: event.at)
    return Timeline(header, events)


def _user_names(session: Session) -> dict[int, str]:
    return {user_id: name for user_id, name in session.execute(select(User.id, User.display_name))}


def _header(session: Session, order: RepairOrder) -> OrderHeader:
    old_serials = session.scalars(
        select(Unit.serial)
        .join(SerialSwap, SerialSwap.old_unit_id == Unit.id)
        .where(SerialSwap.order_id == order.id)
        .order_by(SerialSwap.id)
    ).all()
    return OrderHeader(
        order_id=order.id,
        order_no=order.order_no,
        serial=order.unit.serial,
        old_serials=tuple(old_serials),
        model=order.unit.product_model.name,
        customer_id=order.customer_id,
        customer=order.customer.name,
        phone=order.customer.phone or "",
        state=order.state,
        in_warranty=order.in_warranty,
        warranty_until=order.warranty_until,
        is_repeat=order.is_repeat,
        is_rework=order.is_rework,
        fault_description=order.fault_description,
        received_at=order.received_at,
    )


def _audit_entries(session: Session, order_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.order_id == order_id).order_by(AuditEntry.id)
        )
    )


def _audit_event(entry: AuditEntry, names: dict[int, str]) -> TimelineEvent:
    details: list[tuple[str, dict[str, Any]]] = []
    before, after = entry.before or {}, entry.after or {}
    if "state" in after and "state" in before and before["state"] != after["state"]:
        details.append((N_("state: {before} → {after}"), _state_change(before, after)))
    technician = after.get("technician_id")
    if isinstance(technician, int) and technician in names and not entry.detail:
        details.append((N_("technician {value}"), {"value": names[technician]}))
    if entry.action == "swap_serial" and "serial" in before:
        details.append(
            (N_("serial {old} → {new}"), {"old": before["serial"], "new": after.get("serial")})
        )
    else:
        for key, template in _DETAIL_FIELDS.items():
            if after.get(key) not in (None, ""):
                details.append((template, {"value": after[key]}))
    if entry.detail:
        details.append(("{value}", {"value": entry.detail}))
    who = names.get(entry.user_id, entry.username) if entry.user_id else entry.username
    return TimelineEvent(entry.at, entry.action, who, entry.station, tuple(details))


def _state_change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    def label(value: Any) -> str:
        try:
            return STATE_LABELS[RepairState(value)]
        except ValueError:
            return str(value or "")

    return {"before": label(before.get("state")), "after": label(after.get("state"))}


def _aging_events(session: Session, order_id: int, names: dict[int, str]) -> list[TimelineEvent]:
    rows = session.execute(
        select(AgingRun, RackSlot.code)
        .outerjoin(RackSlot, RackSlot.id == AgingRun.slot_id)
        .where(AgingRun.order_id == order_id)
        .order_by(AgingRun.id)
    ).all()
    events = []
    for run, slot in rows:
        details: list[tuple[str, dict[str, Any]]] = [
            (N_("slot {slot}, {hours} h required"), {"slot": slot or "-", "hours": _hours(run)})
        ]
        if run.result is not None:
            details.append((N_("result: {value}"), {"value": run.result.value}))
        if run.fail_reason:
            details.append(("{value}", {"value": run.fail_reason}))
        signer = names.get(run.signed_by_id or 0) or names.get(run.received_by_id, "")
        events.append(
            TimelineEvent(
                run.signed_at or run.started_at, "aging_run", signer, "", tuple(details), False
            )
        )
    return events


def _hours(run: AgingRun) -> str:
    return f"{run.required_minutes / 60:g}"


def _shipment_events(session: Session, order_id: int, names: dict[int, str]) -> list[TimelineEvent]:
    shipments = session.scalars(
        select(Shipment)
        .join(ShipmentItem, ShipmentItem.shipment_id == Shipment.id)
        .where(ShipmentItem.order_id == order_id, Shipment.status == ShipmentStatus.SHIPPED)
        .order_by(Shipment.id)
    ).all()
    return [
        TimelineEvent(
            shipment.shipped_at or shipment.created_at,
            "shipment",
            names.get(shipment.shipped_by_id or 0, ""),
            "",
            (
                (
                    N_("{shipment_no}: {carrier} {waybill} to {receiver}"),
                    {
                        "shipment_no": shipment.shipment_no,
                        "carrier": shipment.carrier_code or "",
                        "waybill": shipment.waybill_no or "",
                        "receiver": shipment.receiver_name,
                    },
                ),
            ),
            False,
        )
        for shipment in shipments
    ]


def _complaint_events(
    session: Session, order_id: int, names: dict[int, str]
) -> list[TimelineEvent]:
    complaints = session.scalars(
        select(Complaint)
        .join(ComplaintOrder, ComplaintOrder.complaint_id == Complaint.id)
        .where(ComplaintOrder.order_id == order_id)
        .order_by(Complaint.id)
    ).all()
    return [
        TimelineEvent(
            complaint.received_at,
            "complaint",
            names.get(complaint.received_by_id, ""),
            "",
            (
                (
                    N_("{complaint_no} grade {grade}, {status}: {description}"),
                    {
                        "complaint_no": complaint.complaint_no,
                        "grade": complaint.grade.value,
                        "status": complaint.status.value,
                        "description": complaint.description[:200],
                    },
                ),
            ),
            False,
        )
        for complaint in complaints
    ]


def _follow_up_events(
    session: Session, order_id: int, names: dict[int, str]
) -> list[TimelineEvent]:
    follow_ups = session.scalars(
        select(FollowUp).where(FollowUp.order_id == order_id).order_by(FollowUp.id)
    ).all()
    events = []
    for follow_up in follow_ups:
        if follow_up.done_at is None:
            details = ((N_("due {due}"), {"due": f"{follow_up.due_at:%Y-%m-%d}"}),)
        else:
            details = (
                (
                    N_("reached: {reached}, satisfied: {satisfied}"),
                    {
                        "reached": _yes_no(follow_up.reached),
                        "satisfied": _yes_no(follow_up.satisfied),
                    },
                ),
                *((("{value}", {"value": follow_up.comment}),) if follow_up.comment else ()),
            )
        events.append(
            TimelineEvent(
                follow_up.done_at or follow_up.due_at,
                "follow_up",
                names.get(follow_up.done_by_id or 0, ""),
                "",
                details,
                False,
            )
        )
    return events


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("✓" if value else "✗")


def timeline_text(timeline: Timeline, translate: Translate = _identity) -> str:
    """The timeline as plain text, for the clipboard (the phone agent pastes it into a chat)."""
    lines = [*header_lines(timeline.header, translate), ""]
    for event in timeline.events:
        lines.append(event_line(event, translate))
    return "\n".join(lines) + "\n"


def event_line(event: TimelineEvent, translate: Translate = _identity) -> str:
    when = event.at.astimezone(CENTER_TIMEZONE).strftime("%Y-%m-%d %H:%M")
    who = " / ".join(part for part in (event.who, event.station) if part)
    detail = event.detail(translate)
    return "  ".join(part for part in (when, event.label(translate), who, detail) if part)


def header_lines(header: OrderHeader, translate: Translate = _identity) -> list[str]:
    return [line for line in (make(header, translate) for make in _HEADER_LINES) if line]


def _flags(header: OrderHeader, translate: Translate) -> str:
    flags = []
    if header.is_repeat:
        flags.append(translate(N_("repeat repair")))
    if header.is_rework:
        flags.append(translate(N_("rework within 90 days")))
    return ", ".join(flags)


_HEADER_LINES: tuple[Callable[[OrderHeader, Translate], str], ...] = (
    lambda h, t: t(N_("Order {order_no}, {state}")).format(
        order_no=h.order_no, state=t(STATE_LABELS[h.state])
    ),
    lambda h, t: t(N_("Serial {serial}, model {model}")).format(serial=h.serial, model=h.model),
    lambda h, t: (
        t(N_("Swapped out: {serials}")).format(serials=", ".join(h.old_serials))
        if h.old_serials
        else ""
    ),
    lambda h, t: t(N_("Customer {customer}, phone {phone}")).format(
        customer=h.customer, phone=h.phone
    ),
    lambda h, t: (
        t(N_("In warranty until {date}")).format(date=h.warranty_until or "")
        if h.in_warranty
        else t(N_("Out of warranty"))
    ),
    lambda h, t: (
        t(N_("Fault: {fault}")).format(fault=h.fault_description) if h.fault_description else ""
    ),
    lambda h, t: _flags(h, t),
)


# Unit history
@dataclass(frozen=True)
class UnitOrder:
    order_id: int
    order_no: str
    serial: str
    state: RepairState
    received_at: datetime
    shipped_at: datetime | None
    fault_description: str
    in_warranty: bool
    is_repeat: bool
    is_rework: bool


def unit_history(db: Database, serial: str) -> list[UnitOrder]:
    """Every order of the unit, including those it went through under a serial swapped since."""
    serial = serial.strip().upper()
    with db.read() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.serial == serial))
        if unit_id is None:
            return []
        unit_ids = {unit_id}
        # Follow swaps both ways: the old board's orders and the new board's are one history.
        frontier = {unit_id}
        while frontier:
            swaps = session.execute(
                select(SerialSwap.old_unit_id, SerialSwap.new_unit_id).where(
                    or_(
                        SerialSwap.old_unit_id.in_(frontier),
                        SerialSwap.new_unit_id.in_(frontier),
                    )
                )
            ).all()
            found = {unit for pair in swaps for unit in pair} - unit_ids
            unit_ids |= found
            frontier = found
        swapped_orders = select(SerialSwap.order_id).where(SerialSwap.old_unit_id.in_(unit_ids))
        rows = session.execute(
            select(RepairOrder, Unit.serial)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .where(or_(RepairOrder.unit_id.in_(unit_ids), RepairOrder.id.in_(swapped_orders)))
            .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
        ).all()
        return [
            UnitOrder(
                order.id,
                order.order_no,
                unit_serial,
                order.state,
                order.received_at,
                order.shipped_at,
                order.fault_description,
                order.in_warranty,
                order.is_repeat,
                order.is_rework,
            )
            for order, unit_serial in rows
        ]


# Customer view
@dataclass(frozen=True)
class CustomerOrder:
    order_id: int
    order_no: str
    serial: str
    model: str
    state: RepairState
    received_at: datetime
    is_repeat: bool
    is_rework: bool


@dataclass(frozen=True)
class CustomerComplaint:
    complaint_id: int
    complaint_no: str
    grade: str
    category: str
    status: str
    received_at: datetime
    description: str


@dataclass(frozen=True)
class CustomerFollowUp:
    follow_up_id: int
    kind: str
    order_id: int | None
    due_at: datetime
    done_at: datetime | None
    satisfied: bool | None


@dataclass(frozen=True)
class CustomerView:
    customer_id: int
    name: str
    phone: str
    is_dealer: bool
    orders: list[CustomerOrder]
    complaints: list[CustomerComplaint]
    follow_ups: list[CustomerFollowUp]
    recent_problems: int  # orders + complaints within the window (consumers only)
    three_strikes: bool  # 事不过三: flag for the supervisor


def customer_view(db: Database, customer_id: int, now: datetime, limit: int = 200) -> CustomerView:
    with db.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(N_("Customer {customer_id} does not exist."), customer_id=customer_id)
        orders = [
            CustomerOrder(
                order.id,
                order.order_no,
                serial,
                model,
                order.state,
                order.received_at,
                order.is_repeat,
                order.is_rework,
            )
            for order, serial, model in session.execute(
                select(RepairOrder, Unit.serial, ProductModel.name)
                .join(Unit, Unit.id == RepairOrder.unit_id)
                .join(ProductModel, ProductModel.id == Unit.product_model_id)
                .where(RepairOrder.customer_id == customer_id)
                .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
                .limit(limit)
            )
        ]
        complaints = [
            CustomerComplaint(
                c.id,
                c.complaint_no,
                c.grade.value,
                c.category.value,
                c.status.value,
                c.received_at,
                c.description,
            )
            for c in session.scalars(
                select(Complaint)
                .where(Complaint.customer_id == customer_id)
                .order_by(Complaint.received_at.desc())
            )
        ]
        follow_ups = [
            CustomerFollowUp(f.id, f.kind.value, f.order_id, f.due_at, f.done_at, f.satisfied)
            for f in session.scalars(
                select(FollowUp)
                .where(FollowUp.customer_id == customer_id)
                .order_by(FollowUp.due_at.desc())
            )
        ]
    is_dealer = customer.kind is CustomerKind.DEALER
    since = now - timedelta(days=THREE_STRIKES_WINDOW_DAYS)
    problems = 0
    if not is_dealer:
        problems = sum(1 for o in orders if o.received_at >= since) + sum(
            1 for c in complaints if c.received_at >= since
        )
    return CustomerView(
        customer.id,
        customer.name,
        customer.phone or "",
        is_dealer,
        orders,
        complaints,
        follow_ups,
        problems,
        problems >= THREE_STRIKES,
    )


def timeline_document(timeline: Timeline, translate: Translate = _identity) -> bytes:
    """The timeline as an A4 PDF (texts through ``translate``, as on screen)."""
    from app.documents.timeline import timeline_pdf

    rows = [
        (
            event.at.astimezone(CENTER_TIMEZONE).strftime("%Y-%m-%d %H:%M"),
            event.label(translate),
            " / ".join(part for part in (event.who, event.station) if part),
            event.detail(translate),
        )
        for event in timeline.events
    ]
    title = translate(N_("Repair order {order_no}: timeline")).format(
        order_no=timeline.header.order_no
    )
    return timeline_pdf(title, header_lines(timeline.header, translate), rows)
