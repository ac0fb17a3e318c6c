"""What a scan at the QC desk names, read in one session (on the floor worker): a unit on the
rack (by its label, serial or slot code) with its sign-off form and the fail reasons to pick
from, a free slot, or any other order (to be placed on the rack)."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import Context
from app.models import RepairState
from app.orders.listing import OrderRow, order_rows
from app.permissions import Permission
from app.qc.aging import read_fail_reasons
from app.qc.views import SignOffForm, SlotStatus, read_sign_off_form, slot_status
from app.search.lookup import order_of_code


@dataclass(frozen=True)
class SignOffRead:
    """What the sign-off dialog shows: the unit's open aging run and the fail reasons."""

    form: SignOffForm
    reasons: list[str]


def sign_off_read(ctx: Context, order_id: int) -> SignOffRead:
    """The sign-off dialog's reads for an order on the rack (a slot clicked), in one session."""
    ctx.require(Permission.QC)
    with ctx.db.read() as session:
        return SignOffRead(read_sign_off_form(session, order_id), read_fail_reasons(session))


def scanned(ctx: Context, code: str) -> SignOffRead | SlotStatus | OrderRow | None:
    """A scanned code: an occupied slot, or an order in QC, → its sign-off reads; a free slot →
    the slot; any other order → its row; nothing it names → None."""
    ctx.require(Permission.QC)
    with ctx.db.read() as session:
        slot = slot_status(session, code)
        if slot is not None:
            if slot.order_id is None:
                return slot
            order_id, in_qc = slot.order_id, True
        else:
            found = order_of_code(session, code)
            if found is None:
                return None
            order_id, in_qc = found[0], found[1] is RepairState.IN_QC
        if in_qc:
            return SignOffRead(read_sign_off_form(session, order_id), read_fail_reasons(session))
        rows = order_rows(session, [order_id])
    return rows[0] if rows else None
