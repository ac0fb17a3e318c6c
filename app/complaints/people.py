"""The people a complaint is laid at and their chain of superiors (seed 001 四: 營銷代表 → 主任 →
經理, 「實施連座制」).

Staff members are records of their own (``staff_members``): users of the app and staff who never
sign in (sales representatives, drivers). Each belongs to a department; a department names its
parent and its head. The chain of a person is the head of their department (unless that is the
person), then the head of each parent department upwards, each person once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Context
from app.models import Department, StaffMember
from app.permissions import Permission

STAFF_KINDS = ("user", "sales_rep", "driver", "staff")


@dataclass(frozen=True)
class Person:
    id: int
    code: str
    name: str
    department: str | None


def _person(staff: StaffMember) -> Person:
    return Person(staff.id, staff.code, staff.name, staff.department)


def chain_of(session: Session, staff_id: int) -> list[Person]:
    """The person's superiors, nearest first (empty for the head of the top department)."""
    person = session.get(StaffMember, staff_id)
    if person is None:
        return []
    departments = {d.name: d for d in session.scalars(select(Department))}
    heads = {s.code: s for s in session.scalars(select(StaffMember))}
    chain: list[Person] = []
    seen = {person.code}
    name, visited = person.department, set()
    while name is not None and name in departments and name not in visited:
        visited.add(name)
        department = departments[name]
        head = heads.get(department.head or "")
        if head is not None and head.code not in seen:
            seen.add(head.code)
            chain.append(_person(head))
        name = department.parent
    return chain


def staff_list(ctx: Context, *, active_only: bool = True) -> list[Person]:
    """Everyone a complaint can be laid at, by name."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    query = select(StaffMember).order_by(StaffMember.name, StaffMember.code)
    if active_only:
        query = query.where(StaffMember.active.is_(True))
    with ctx.db.read() as session:
        return [_person(staff) for staff in session.scalars(query)]
