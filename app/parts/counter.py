"""The parts counter's scan of a part, as one step of the floor worker: check the issue against
the order, and issue it when nothing stands in the way; otherwise say what stands in the way
(the counter shows it and offers the override or the wait)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app import values
from app.context import Context
from app.errors import Conflict
from app.orders.charges import parts_charge
from app.orders.store import load_order
from app.parts.issuing import (
    IssueCheck,
    issue_in,
    part_fits_order,
    require_open_for_parts,
    technician_for_parts,
)
from app.parts.stock import check_quantity, load_part
from app.permissions import Permission


class IssueStep(enum.StrEnum):
    NO_ORDER = "no_order"  # no order scanned yet
    NO_CHARGE = "no_charge"  # out of warranty: no accepted charge and no waiver
    NOT_LISTED = "not_listed"  # the part is not listed for the model: override with a reason
    SHORT = "short"  # not enough on hand: the order waits for the part
    NO_TECHNICIAN = "no_technician"  # scan the badge of who takes the part
    TAKEN = "taken"  # another counter took the last units meanwhile
    ISSUED = "issued"


@dataclass(frozen=True)
class IssueAttempt:
    step: IssueStep
    check: IssueCheck | None = None
    refusal: Conflict | None = None  # TAKEN: the write's refusal


def attempt_issue(
    ctx: Context,
    order_id: int | None,
    part_id: int,
    quantity: int,
    technician_id: int | None,
    override: str | None = None,
) -> IssueAttempt:
    """Check, then issue ``quantity`` of the part for the order if every check passes: one
    unit of work, so what was checked is what is issued, and a counter in another city pays
    the round trips of the reads once (:func:`check_issue` and :func:`issue_part` each alone
    would read the order, the part and the charge again)."""
    if order_id is None:
        return IssueAttempt(IssueStep.NO_ORDER)
    ctx.require(Permission.ISSUE_PARTS)
    check: IssueCheck | None = None
    try:
        with ctx.db.transaction() as session:
            # Lock the order first, then the part: the same order everywhere, so no deadlocks.
            order = load_order(session, order_id)
            part = load_part(session, part_id)
            fits = part_fits_order(session, part, order)
            check = IssueCheck(
                part_id=part.id,
                part_no=part.part_no,
                name=part.name,
                fits_model=fits,
                charge=parts_charge(session, order),
                on_hand=part.on_hand,
                wanted=quantity,
            )
            step = _what_stands_in_the_way(check, technician_id, override)
            if step is not None:
                return IssueAttempt(step, check)
            assert technician_id is not None
            check_quantity(quantity)
            require_open_for_parts(order)
            technician = technician_for_parts(session, technician_id)
            reason = values.optional_text(override, max_length=200)
            issue_in(session, ctx, order, part, technician, quantity, fits, reason)
    except Conflict as refusal:
        if check is None:
            raise
        return IssueAttempt(IssueStep.TAKEN, check, refusal)
    return IssueAttempt(IssueStep.ISSUED, check)


def _what_stands_in_the_way(
    check: IssueCheck, technician_id: int | None, override: str | None
) -> IssueStep | None:
    if not check.charge_allows_issue:
        return IssueStep.NO_CHARGE
    if not check.fits_model and not override:
        return IssueStep.NOT_LISTED
    if not check.enough_on_hand:
        return IssueStep.SHORT
    if technician_id is None:
        return IssueStep.NO_TECHNICIAN
    return None
