"""The penalty rules of the accountability sheet, as a pure computation (seed 001 四、責任落實):
for a valid complaint of a grade, each active rule of that grade gives the person at its step of
the chain (0 the person responsible, 1 their superior, ...) a line: a fixed amount (per item
below standard when the rule says so), a percentage of the service amount or of the refund
(basis points, rounded half up to the cent), and whether the satisfaction commission is
cancelled. Rules written for a number of superiors (A: 代表/主任/經理 bear different amounts)
apply to a person with that many superiors; "any" rules to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.complaints.people import Person
from app.models import PenaltyRule


@dataclass(frozen=True)
class Rule:
    code: str
    grade: str
    superiors: str  # "any" or how many superiors the person responsible has
    step: int  # 0 the person, 1 their superior, ...
    fixed_cents: int | None
    percent_bp: int | None
    basis: str  # "service" or "refund"
    per_item: bool
    cancels_commission: bool
    source: str | None = None


@dataclass(frozen=True)
class Penalty:
    person: Person
    step: int
    rule_code: str
    amount_cents: int
    cancels_commission: bool
    source: str | None


def _percent_of(base_cents: int, basis_points: int) -> int:
    """``basis_points`` of ``base_cents``, rounded half up to the cent (integers only)."""
    return (base_cents * basis_points + 5_000) // 10_000


def _matching(rules: Iterable[Rule], grade: str, superiors: int) -> list[Rule]:
    """The grade's rules for a person with that many superiors: the rules written for that
    count (or, past the deepest one written, the deepest), and the rules for any chain."""
    of_grade = [rule for rule in rules if rule.grade == grade]
    counts = sorted({int(r.superiors) for r in of_grade if r.superiors.isdigit()})
    below = [count for count in counts if count <= superiors]
    chosen = str(superiors) if superiors in counts else (str(below[-1]) if below else None)
    return [r for r in of_grade if r.superiors == "any" or r.superiors == chosen]


def penalties(
    rules: Iterable[Rule],
    grade: str,
    person: Person,
    chain: Sequence[Person],
    *,
    items: int = 1,
    service_cents: int = 0,
    refund_cents: int = 0,
) -> list[Penalty]:
    """The lines a valid complaint of ``grade`` gives ``person`` and their ``chain``."""
    people = [person, *chain]
    lines = []
    for rule in sorted(_matching(rules, grade, len(chain)), key=lambda r: (r.step, r.code)):
        if rule.step >= len(people):
            continue  # no superior that high
        amount = 0
        if rule.fixed_cents:
            amount += rule.fixed_cents * (max(items, 1) if rule.per_item else 1)
        if rule.percent_bp:
            base = refund_cents if rule.basis == "refund" else service_cents
            amount += _percent_of(base, rule.percent_bp)
        lines.append(
            Penalty(
                people[rule.step],
                rule.step,
                rule.code,
                amount,
                rule.cancels_commission,
                rule.source,
            )
        )
    return lines


def load_rules(session: Session) -> list[Rule]:
    return [
        Rule(
            r.code,
            r.grade,
            r.superiors,
            r.step,
            r.fixed_cents,
            r.percent_bp,
            r.basis,
            r.per_item,
            r.cancels_commission,
            r.source,
        )
        for r in session.scalars(select(PenaltyRule).where(PenaltyRule.active.is_(True)))
    ]
