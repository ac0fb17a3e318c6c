"""An order's whole life, read for the phone: the header and every event, in order.

:func:`order_timeline` gathers each audit row of the order (who, when, which station, what),
plus the QC aging runs (slot, hours, result, signer), shipments (carrier, waybill), follow-up
calls and complaints about it. A unit's history and a customer's record are in
:mod:`app.search.history`; the timeline as text or PDF in :mod:`app.search.timeline_text`.

Texts are English templates marked ``N_()``: an audit row is labelled by its
:class:`~app.audit_actions.AuditAction`, a stored code (state, QC result, complaint grade and
status) by :mod:`app.vocabulary`. The UI shows them through the translation system (Chinese on
the floor) and hands the same translate function to the text and the PDF, so the phone agent's
copy and the printout read as the screen does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_actions import AuditAction
from app.audit_actions import action_label as audit_action_label
from app.context import Context
from app.errors import N_, NotFound, Translatable
from app.models import (
    AgingRun,
    AuditEntry,
    Complaint,
    ComplaintOrder,
    FollowUp,
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
from app.vocabulary import label

Translate = Callable[[str], str]

EVENT_LABELS: dict[str, str] = {
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
    "answered_by": N_("answered by {value}"),
}


def identity(text: str) -> str:
    return text


def action_label(action: str, translate: Translate = identity) -> str:
    """An event's label: a timeline-only event's, else the audit action's (or the stored value
    of an action this version does not know)."""
    label = EVENT_LABELS.get(action) or audit_action_label(action)
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
    action: str  # an AuditAction value, or a key of EVENT_LABELS
    who: str
    station: str
    # Pieces of the detail: (English template marked N_, its values); translated when shown.
    details: tuple[tuple[str, dict[str, Any]], ...] = ()
    from_audit: bool = True

    def label(self, translate: Translate = identity) -> str:
        return action_label(self.action, translate)

    def detail(self, translate: Translate = identity) -> str:
        return "; ".join(
            translate(template).format(**_translated(values, translate))
            for template, values in self.details
        )


def _translated(values: dict[str, Any], translate: Translate) -> dict[str, Any]:
    """Labels among the values (``N_`` strings: states, results...) in the reader's language."""
    return {
        key: translate(value) if isinstance(value, Translatable) else value
        for key, value in values.items()
    }


# (order id, event) pairs, read for several orders at once.
Found = list[tuple[int, TimelineEvent]]


@dataclass(frozen=True)
class Timeline:
    header: OrderHeader
    events: list[TimelineEvent] = field(default_factory=list)


def order_timeline(ctx: Context, order_id: int) -> Timeline:
    """Every step of an order's life. Anyone on the floor may open an order's timeline, so it
    needs only a signed-in person (the Context)."""
    with ctx.db.read() as session:
        order = session.get(RepairOrder, order_id)
        if order is None:
            raise NotFound(N_("Repair order {order_id} does not exist."), order_id=order_id)
        header = _header(session, order)
        events = order_events(session, [order_id], user_names(session)).get(order_id, [])
    return Timeline(header, events)


def order_events(
    session: Session, order_ids: Collection[int], names: dict[int, str]
) -> dict[int, list[TimelineEvent]]:
    """The events of several orders, five queries whatever their number (an order's events in
    time order; audit rows keep their written order where two events share a moment)."""
    events: dict[int, list[TimelineEvent]] = {order_id: [] for order_id in order_ids}
    if not order_ids:
        return events
    found = [
        (entry.order_id or 0, _audit_event(entry, names))
        for entry in _audit_entries(session, order_ids)
    ]
    found += _aging_events(session, order_ids, names)
    found += _shipment_events(session, order_ids, names)
    found += _complaint_events(session, order_ids, names)
    found += _follow_up_events(session, order_ids, names)
    for order_id, event in found:
        events.setdefault(order_id, []).append(event)
    for order_events_ in events.values():
        order_events_.sort(key=lambda event: event.at)
    return events


def user_names(session: Session) -> dict[int, str]:
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


def _audit_entries(session: Session, order_ids: Collection[int]) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.order_id.in_(list(order_ids)))
            .order_by(AuditEntry.id)
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
    if entry.action == AuditAction.SWAP_SERIAL and "serial" in before:
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
    """The two states' labels (marked ``N_``: the ``Translatable`` parameters are translated
    with the template)."""

    def state(value: Any) -> str:
        try:
            return label(RepairState(value))
        except ValueError:
            return str(value or "")

    return {"before": state(before.get("state")), "after": state(after.get("state"))}


def _aging_events(session: Session, order_ids: Collection[int], names: dict[int, str]) -> Found:
    rows = session.execute(
        select(AgingRun, RackSlot.code)
        .outerjoin(RackSlot, RackSlot.id == AgingRun.slot_id)
        .where(AgingRun.order_id.in_(list(order_ids)))
        .order_by(AgingRun.id)
    ).all()
    events: Found = []
    for run, slot in rows:
        details: list[tuple[str, dict[str, Any]]] = [
            (N_("slot {slot}, {hours} h required"), {"slot": slot or "-", "hours": _hours(run)})
        ]
        if run.result is not None:
            details.append((N_("result: {value}"), {"value": label(run.result)}))
        if run.fail_reason:
            details.append(("{value}", {"value": run.fail_reason}))
        signer = names.get(run.signed_by_id or 0) or names.get(run.received_by_id, "")
        events.append(
            (
                run.order_id,
                TimelineEvent(
                    run.signed_at or run.started_at, "aging_run", signer, "", tuple(details), False
                ),
            )
        )
    return events


def _hours(run: AgingRun) -> str:
    return f"{run.required_minutes / 60:g}"


def _shipment_events(session: Session, order_ids: Collection[int], names: dict[int, str]) -> Found:
    shipments = session.execute(
        select(ShipmentItem.order_id, Shipment)
        .join(ShipmentItem, ShipmentItem.shipment_id == Shipment.id)
        .where(
            ShipmentItem.order_id.in_(list(order_ids)), Shipment.status == ShipmentStatus.SHIPPED
        )
        .order_by(Shipment.id)
    ).all()
    return [
        (
            order_id,
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
            ),
        )
        for order_id, shipment in shipments
    ]


def _complaint_events(session: Session, order_ids: Collection[int], names: dict[int, str]) -> Found:
    complaints = session.execute(
        select(ComplaintOrder.order_id, Complaint)
        .join(ComplaintOrder, ComplaintOrder.complaint_id == Complaint.id)
        .where(ComplaintOrder.order_id.in_(list(order_ids)))
        .order_by(Complaint.id)
    ).all()
    return [
        (
            order_id,
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
                            "status": label(complaint.status),
                            "description": complaint.description[:200],
                        },
                    ),
                ),
                False,
            ),
        )
        for order_id, complaint in complaints
    ]


def _follow_up_events(session: Session, order_ids: Collection[int], names: dict[int, str]) -> Found:
    follow_ups = session.scalars(
        select(FollowUp).where(FollowUp.order_id.in_(list(order_ids))).order_by(FollowUp.id)
    ).all()
    events: Found = []
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
            (
                follow_up.order_id or 0,
                TimelineEvent(
                    follow_up.done_at or follow_up.due_at,
                    "follow_up",
                    names.get(follow_up.done_by_id or 0, ""),
                    "",
                    details,
                    False,
                ),
            )
        )
    return events


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("✓" if value else "✗")
