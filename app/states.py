"""The repair-order state machine: every legal step, in one table.

received → allocated → in repair → (waiting for parts / waiting for charge confirmation)
→ repaired → in QC aging → QC passed → shipped; a QC fail goes back to repair; refund,
refurbish and replace-as-new pass through a supervisor's approval; a refused charge ends in
return-unrepaired, which ships back like a passed unit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from app.errors import N_, IllegalTransition, PermissionDenied
from app.models.enums import RepairState as S
from app.permissions import PERMISSION_LABELS, Permission


class Action(enum.StrEnum):
    ALLOCATE = "allocate"
    START_REPAIR = "start_repair"
    WAIT_FOR_PARTS = "wait_for_parts"
    PARTS_ARRIVED = "parts_arrived"
    PROPOSE_CHARGE = "propose_charge"
    ACCEPT_CHARGE = "accept_charge"
    REFUSE_CHARGE = "refuse_charge"
    FINISH_REPAIR = "finish_repair"
    START_QC = "start_qc"
    PASS_QC = "pass_qc"
    FAIL_QC = "fail_qc"
    SHIP = "ship"
    REQUEST_SPECIAL = "request_special"
    APPROVE_SPECIAL = "approve_special"
    REJECT_SPECIAL = "reject_special"
    RETURN_UNREPAIRED = "return_unrepaired"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[S]
    targets: frozenset[S]  # more than one: the service picks (e.g. approval of refund vs repair)
    permission: Permission
    label: str
    also: frozenset[Permission] = frozenset()  # other permissions that may take this step

    def allowed_by(self, granted: frozenset[Permission]) -> bool:
        return self.permission in granted or bool(self.also & granted)


def _t(sources: set[S], targets: set[S], permission: Permission, label: str) -> Transition:
    return Transition(frozenset(sources), frozenset(targets), permission, label)


_BEFORE_REPAIR_DONE = {S.RECEIVED, S.ALLOCATED, S.IN_REPAIR, S.WAITING_PARTS, S.WAITING_CHARGE}

TRANSITIONS: dict[Action, Transition] = {
    Action.ALLOCATE: _t({S.RECEIVED}, {S.ALLOCATED}, Permission.ALLOCATE, N_("allocate")),
    Action.START_REPAIR: _t({S.ALLOCATED}, {S.IN_REPAIR}, Permission.REPAIR, N_("start repair")),
    # The technician asks, or the parts keeper records it when the part is out of stock.
    Action.WAIT_FOR_PARTS: Transition(
        frozenset({S.IN_REPAIR}),
        frozenset({S.WAITING_PARTS}),
        Permission.REPAIR,
        N_("wait for parts"),
        also=frozenset({Permission.ISSUE_PARTS}),
    ),
    Action.PARTS_ARRIVED: _t(
        {S.WAITING_PARTS}, {S.IN_REPAIR}, Permission.ISSUE_PARTS, N_("parts arrived")
    ),
    Action.PROPOSE_CHARGE: _t(
        {S.IN_REPAIR}, {S.WAITING_CHARGE}, Permission.REPAIR, N_("propose a charge")
    ),
    Action.ACCEPT_CHARGE: _t(
        {S.WAITING_CHARGE}, {S.IN_REPAIR}, Permission.CONFIRM_CHARGE, N_("charge accepted")
    ),
    Action.REFUSE_CHARGE: _t(
        {S.WAITING_CHARGE}, {S.RETURN_UNREPAIRED}, Permission.CONFIRM_CHARGE, N_("charge refused")
    ),
    Action.FINISH_REPAIR: _t({S.IN_REPAIR}, {S.REPAIRED}, Permission.REPAIR, N_("finish repair")),
    Action.START_QC: _t({S.REPAIRED}, {S.IN_QC}, Permission.QC, N_("start QC aging")),
    Action.PASS_QC: _t({S.IN_QC}, {S.QC_PASSED}, Permission.QC, N_("pass QC")),
    Action.FAIL_QC: _t({S.IN_QC}, {S.IN_REPAIR}, Permission.QC, N_("fail QC")),
    Action.SHIP: _t({S.QC_PASSED, S.RETURN_UNREPAIRED}, {S.SHIPPED}, Permission.SHIP, N_("ship")),
    Action.REQUEST_SPECIAL: _t(
        _BEFORE_REPAIR_DONE,
        {S.SPECIAL_PENDING},
        Permission.REQUEST_SPECIAL,
        N_("request special handling"),
    ),
    Action.APPROVE_SPECIAL: _t(
        {S.SPECIAL_PENDING},
        {S.RECEIVED, S.ALLOCATED, S.REFUNDED},
        Permission.APPROVE,
        N_("approve special handling"),
    ),
    Action.REJECT_SPECIAL: _t(
        {S.SPECIAL_PENDING},
        {S.RECEIVED, S.ALLOCATED},
        Permission.APPROVE,
        N_("reject special handling"),
    ),
    Action.RETURN_UNREPAIRED: _t(
        {S.IN_REPAIR, S.WAITING_PARTS},
        {S.RETURN_UNREPAIRED},
        Permission.APPROVE,
        N_("return unrepaired"),
    ),
}

STATE_LABELS: dict[S, str] = {
    S.RECEIVED: N_("Received"),
    S.ALLOCATED: N_("Allocated"),
    S.IN_REPAIR: N_("In repair"),
    S.WAITING_PARTS: N_("Waiting for parts"),
    S.WAITING_CHARGE: N_("Waiting for charge confirmation"),
    S.REPAIRED: N_("Repaired"),
    S.IN_QC: N_("In QC aging"),
    S.QC_PASSED: N_("QC passed"),
    S.SHIPPED: N_("Shipped"),
    S.SPECIAL_PENDING: N_("Awaiting supervisor approval"),
    S.REFUNDED: N_("Refunded"),
    S.RETURN_UNREPAIRED: N_("To return unrepaired"),
}

OPEN_STATES: frozenset[S] = frozenset(S) - {S.SHIPPED, S.REFUNDED}
TERMINAL_STATES: frozenset[S] = frozenset({S.SHIPPED, S.REFUNDED})


def check(action: Action, current: S, target: S | None = None) -> S:
    """Return the target state of ``action`` from ``current``, or raise IllegalTransition."""
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        allowed = [STATE_LABELS[s] for s in S if s in transition.sources]
        raise IllegalTransition(
            N_('Cannot "{action}" an order that is "{state}"; only from: {allowed}.'),
            action=transition.label,
            state=STATE_LABELS[current],
            allowed=allowed,
        )
    if target is None:
        if len(transition.targets) != 1:
            raise ValueError(f"{action} has several targets; the service must choose one")
        (target,) = transition.targets
    elif target not in transition.targets:
        raise IllegalTransition(
            N_('"{action}" cannot lead to "{state}".'),
            action=transition.label,
            state=STATE_LABELS[target],
        )
    return target


def require(actor: Any, action: Action) -> None:
    """Refuse (PermissionDenied) an actor whose roles may not take this step."""
    transition = TRANSITIONS[action]
    if not transition.allowed_by(actor.permissions):
        raise PermissionDenied(
            N_("Your role does not allow this ({permission}). Ask a supervisor."),
            permission=PERMISSION_LABELS[transition.permission],
        )


def legal_actions(current: S) -> list[Action]:
    return [action for action, t in TRANSITIONS.items() if current in t.sources]
