"""The parts counter's scan of a part, as one step of the floor worker: check the issue against
the order, and issue it when nothing stands in the way; otherwise say what stands in the way
(the counter shows it and offers the override or the wait)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.context import Context
from app.errors import Conflict
from app.parts.issuing import IssueCheck, check_issue, issue_part


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
    """Check, then issue ``quantity`` of the part for the order if every check passes."""
    if order_id is None:
        return IssueAttempt(IssueStep.NO_ORDER)
    check = check_issue(ctx, order_id, part_id, quantity)
    if not check.charge_allows_issue:
        return IssueAttempt(IssueStep.NO_CHARGE, check)
    if not check.fits_model and not override:
        return IssueAttempt(IssueStep.NOT_LISTED, check)
    if not check.enough_on_hand:
        return IssueAttempt(IssueStep.SHORT, check)
    if technician_id is None:
        return IssueAttempt(IssueStep.NO_TECHNICIAN, check)
    try:
        issue_part(
            ctx,
            order_id,
            part_id,
            quantity,
            technician_id=technician_id,
            fit_override_reason=override,
        )
    except Conflict as refusal:
        return IssueAttempt(IssueStep.TAKEN, check, refusal)
    return IssueAttempt(IssueStep.ISSUED, check)
