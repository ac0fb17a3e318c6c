"""The next step of a complaint (联系 → 核实 → 方案待批 → 客户选择 → 道歉信 → 回访): which step is
reachable now, what the handler may press, and what to do (or whom to wait for).

One rule, read by the handling page's step bar: the page only shows it. The services of
``handling`` still refuse a step out of order; this module tells the agent, before they press,
which step comes next, so a refusal is never the first sign of it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Context
from app.errors import N_, NotFound, Translatable
from app.models import (
    Complaint,
    ComplaintGrade,
    ComplaintStatus,
    FollowUp,
    Role,
    User,
    UserRole,
)
from app.permissions import Permission


class ComplaintStep(enum.StrEnum):
    CONTACT = "contact"  # 联系: first contact with the customer (10 minutes)
    VERIFY = "verify"  # 核实: person responsible, facts, two remedies
    APPROVAL = "approval"  # 方案待批: a supervisor approves the two remedies
    CHOICE = "choice"  # 客户选择: the customer chooses one of them
    LETTER = "letter"  # 道歉信: the apology (a letter for B and C), then settlement
    FOLLOW_UP = "follow_up"  # 回访: the call back after settlement


STEPS: tuple[ComplaintStep, ...] = tuple(ComplaintStep)

STEP_LABELS: dict[ComplaintStep, str] = {
    ComplaintStep.CONTACT: N_("Contact"),
    ComplaintStep.VERIFY: N_("Verify"),
    ComplaintStep.APPROVAL: N_("Remedies to approve"),
    ComplaintStep.CHOICE: N_("Customer's choice"),
    ComplaintStep.LETTER: N_("Apology letter"),
    ComplaintStep.FOLLOW_UP: N_("Follow-up call"),
}


class HandlingAction(enum.StrEnum):
    """The buttons of the handling page."""

    FIRST_CONTACT = "first_contact"
    SAVE = "save"  # person responsible, facts, the two remedies
    APPROVE = "approve"
    CHOOSE = "choose"
    LETTER = "letter"
    SETTLE = "settle"
    FOLLOW_UP = "follow_up"  # opens the follow-up calls
    ANSWER = "answer"  # the 24-hour answer: any time before settlement, not a step of its own
    CLOSE = "close"
    OVERRULE = "overrule"


STEP_ACTIONS: dict[ComplaintStep, tuple[HandlingAction, ...]] = {
    ComplaintStep.CONTACT: (HandlingAction.FIRST_CONTACT,),
    ComplaintStep.VERIFY: (HandlingAction.SAVE,),
    # While waiting, the remedies may still be changed (a supervisor may ask for better ones).
    ComplaintStep.APPROVAL: (HandlingAction.APPROVE, HandlingAction.SAVE),
    ComplaintStep.CHOICE: (HandlingAction.CHOOSE,),
    ComplaintStep.LETTER: (HandlingAction.LETTER, HandlingAction.SETTLE),
    ComplaintStep.FOLLOW_UP: (HandlingAction.FOLLOW_UP,),
}


@dataclass(frozen=True)
class ComplaintProgress:
    """Where a complaint stands: the steps done, the reachable one (None when none is left),
    what may be pressed, and what to do now."""

    done: frozenset[ComplaintStep]
    current: ComplaintStep | None
    actions: frozenset[HandlingAction]
    hint: Translatable
    hint_params: dict[str, str] = field(default_factory=dict)
    waiting_for_supervisor: bool = False
    first_contact_due: datetime | None = None  # set while the first contact is still to make

    def first_contact_left(self, now: datetime) -> timedelta | None:
        """Time left for the first contact (negative once late); None once made."""
        return None if self.first_contact_due is None else self.first_contact_due - now

    def can_press(self, step: ComplaintStep) -> bool:
        """The step bar's button of ``step``: enabled only for the reachable step, and only when
        this handler may do its first action (an agent waits for the supervisor's approval; a
        grade A complaint has no letter, it is settled after an apology by phone)."""
        if step is not self.current:
            return False
        return STEP_ACTIONS[step][0] in self.actions


def complaint_progress(
    complaint: Complaint,
    *,
    follow_up_done: bool,
    can_approve: bool,
    supervisors: tuple[str, ...] = (),
) -> ComplaintProgress:
    """The reachable step of ``complaint`` for a handler who may (or may not) approve."""
    closed = complaint.status is ComplaintStatus.CLOSED
    extra: set[HandlingAction] = set()
    if can_approve:
        extra.add(HandlingAction.OVERRULE)
    if not closed and (complaint.status is ComplaintStatus.SETTLED or can_approve):
        extra.add(HandlingAction.CLOSE)  # the service still asks a supervisor for a reason
    if (
        complaint.status is ComplaintStatus.OPEN
        and complaint.first_contact_at is not None
        and complaint.answered_at is None
    ):
        extra.add(HandlingAction.ANSWER)
    current = None if closed else _reachable(complaint, follow_up_done)
    done = frozenset(STEPS if current is None else STEPS[: STEPS.index(current)])
    actions = set(STEP_ACTIONS[current]) if current is not None else set()
    if not can_approve:
        actions.discard(HandlingAction.APPROVE)
    if complaint.grade is ComplaintGrade.A:
        actions.discard(HandlingAction.LETTER)  # an apology by phone
    hint, params = _hint(complaint, current, can_approve, supervisors, closed)
    return ComplaintProgress(
        done=done,
        current=current,
        actions=frozenset(actions | extra),
        hint=hint,
        hint_params=params,
        waiting_for_supervisor=current is ComplaintStep.APPROVAL and not can_approve,
        first_contact_due=(
            complaint.first_contact_due if current is ComplaintStep.CONTACT else None
        ),
    )


def _reachable(complaint: Complaint, follow_up_done: bool) -> ComplaintStep | None:
    if complaint.status is ComplaintStatus.SETTLED:
        return None if follow_up_done else ComplaintStep.FOLLOW_UP
    if complaint.first_contact_at is None:
        return ComplaintStep.CONTACT
    if not (
        complaint.responsible_person
        and complaint.facts
        and complaint.remedy_1
        and complaint.remedy_2
    ):
        return ComplaintStep.VERIFY
    if complaint.remedies_approved_at is None:
        return ComplaintStep.APPROVAL
    if complaint.chosen_remedy is None:
        return ComplaintStep.CHOICE
    return ComplaintStep.LETTER


def _hint(
    complaint: Complaint,
    current: ComplaintStep | None,
    can_approve: bool,
    supervisors: tuple[str, ...],
    closed: bool,
) -> tuple[Translatable, dict[str, str]]:
    if closed:
        return N_("Closed."), {}
    if current is None:
        return N_("The customer was called back: close the complaint."), {}
    if current is ComplaintStep.CONTACT:
        return N_("Call the customer now, then press Contact."), {}
    if current is ComplaintStep.VERIFY:
        return N_(
            "Name the person responsible, write down the facts found with them and two "
            "remedies, then press Verify."
        ), {}
    if current is ComplaintStep.APPROVAL:
        if can_approve:
            return N_(
                "Approve the two remedies (or change them and press Verify again) before "
                "they are offered to the customer."
            ), {}
        return N_(
            "Waiting for a supervisor ({names}): they open this complaint on their own "
            "Complaints tab, Handling page, and press Remedies to approve."
        ), {"names": "、".join(supervisors) or "—"}
    if current is ComplaintStep.CHOICE:
        return N_("Offer the two approved remedies and record the one the customer chooses."), {}
    if current is ComplaintStep.LETTER:
        if complaint.grade is ComplaintGrade.A:
            return N_(
                "Apologise by phone (grade A: no letter), carry out the remedy, write the "
                "outcome and settle."
            ), {}
        return N_(
            "Print the apology letter (grade C: signed by the general manager), carry out "
            "the remedy, write the outcome and settle."
        ), {}
    return N_("Call the customer back (Follow-up calls page), then close the complaint."), {}


def _supervisor_names(session: Session) -> tuple[str, ...]:
    """The active supervisors: whom an agent waits for."""
    names = session.scalars(
        select(User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.SUPERVISOR, User.active.is_(True))
        .order_by(User.display_name)
        .distinct()
    )
    return tuple(names)


def handling_progress(ctx: Context, complaint_id: int) -> ComplaintProgress:
    """The progress of a complaint for the signed-in handler."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(N_("There is no complaint with id {id}."), id=complaint_id)
        call_done = session.scalar(
            select(FollowUp.id)
            .where(FollowUp.complaint_id == complaint_id, FollowUp.done_at.is_not(None))
            .limit(1)
        )
        can_approve = ctx.actor.can(Permission.APPROVE)
        waiting = (
            complaint.status is ComplaintStatus.OPEN
            and complaint.remedies_approved_at is None
            and not can_approve
        )
        return complaint_progress(
            complaint,
            follow_up_done=call_done is not None,
            can_approve=can_approve,
            supervisors=_supervisor_names(session) if waiting else (),
        )
