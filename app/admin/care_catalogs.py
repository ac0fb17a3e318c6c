"""The customer-care catalogues the administrator keeps: staff members (users and staff who never
sign in), the penalty rules of the accountability sheet (seeded with seed 001's values:
app/complaints/care_seeds.py), and the notice templates; and the department tree's check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.admin.catalog_fields import BadValue, Field, Kind, OrmCatalog
from app.complaints.notices import NoticeEvent
from app.complaints.people import STAFF_KINDS
from app.errors import N_
from app.models import ComplaintGrade, Department, NoticeTemplate, PenaltyRule, StaffMember, User


def check_department(session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
    """The parent exists and is not the department itself nor below it; the head is staff."""
    parent, head = values.get("parent"), values.get("head")
    if head and session.scalar(select(StaffMember.id).where(StaffMember.code == head)) is None:
        return BadValue(
            N_("Staff code {value} is not in the staff list. Add it there first."), value=head
        )
    if not parent:
        return None
    parents = {n: p for n, p in session.execute(select(Department.name, Department.parent))}
    if parent not in parents:
        return BadValue(N_("Department {value} does not exist. Add it first."), value=parent)
    name: str | None = parent
    while name is not None:
        if name == key:
            return BadValue(N_("Department {value} cannot be below itself."), value=key)
        name = parents.get(name)
    return None


def merged(
    catalog: OrmCatalog, session: Session, key: str, values: dict[str, Any]
) -> dict[str, Any]:
    """The row as it will be: an edit sends only the fields it changes."""
    existing = catalog.load(session).get(key)
    return {**(existing.values if existing else {}), **values}


class StaffCatalog(OrmCatalog):
    def check(self, session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
        values = merged(self, session, key, values)
        department, username = values.get("department"), values.get("username")
        if (
            department
            and session.scalar(select(Department.id).where(Department.name == department)) is None
        ):
            return BadValue(
                N_("Department {value} does not exist. Add it first."), value=department
            )
        if username and session.scalar(select(User.id).where(User.username == username)) is None:
            return BadValue(N_("There is no user named {value}."), value=username)
        return None


STAFF_MEMBERS = StaffCatalog(
    name="staff_members",
    title=N_("Staff (people responsible)"),
    entity="staff_member",
    sheet="责任人员",
    model=StaffMember,
    fields=(
        Field("code", N_("Staff code"), "工号", required=True, max_length=32, upper=True),
        Field("name", N_("Name"), "姓名", required=True, max_length=64),
        Field("kind", N_("Kind"), "类别", Kind.CHOICE, choices=STAFF_KINDS, default="staff"),
        Field("department", N_("Department"), "部门", max_length=64),
        Field("username", N_("User name (signs in)"), "登录账号", max_length=64),
        Field("phone", N_("Phone"), "电话", max_length=32),
    ),
)


class PenaltyRuleCatalog(OrmCatalog):
    def check(self, session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
        values = merged(self, session, key, values)
        if values.get("grade") not in {g.value for g in ComplaintGrade}:
            return BadValue(N_("Grade {value} is not A, B or C."), value=values.get("grade"))
        if values.get("fixed_cents") is None and values.get("percent_bp") is None:
            if not values.get("cancels_commission"):
                return BadValue(N_("A rule takes an amount, a percentage or the commission."))
        return None


PENALTY_RULES = PenaltyRuleCatalog(
    name="penalty_rules",
    title=N_("Penalty rules"),
    entity="penalty_rule",
    sheet="责任考核规则",
    model=PenaltyRule,
    fields=(
        Field("code", N_("Rule code"), "规则代码", required=True, max_length=32, upper=True),
        Field("grade", N_("Grade"), "等级", required=True, max_length=1, upper=True),
        Field(
            "superiors",
            N_("Superiors of the person (any)"),
            "责任人上级数",
            Kind.CHOICE,
            choices=("any", "0", "1", "2", "3"),
            default="any",
        ),
        Field(
            "step", N_("Who bears it (0 the person, 1 superior…)"), "承担人", Kind.INT, maximum=5
        ),
        Field("fixed_cents", N_("Amount (yuan)"), "金额(元)", Kind.MONEY, maximum=10**8),
        Field("percent_bp", N_("Percentage (%)"), "比例(%)", Kind.PERCENT, maximum=10_000),
        Field(
            "basis",
            N_("Percentage of"),
            "比例基数",
            Kind.CHOICE,
            choices=("service", "refund"),
            default="service",
        ),
        Field("per_item", N_("Per item below standard"), "按项计", Kind.BOOL),
        Field("cancels_commission", N_("Cancels the commission"), "取消提成", Kind.BOOL),
        Field("source", N_("Handbook reference"), "依据", max_length=255),
    ),
)

# The text of each customer notice (app.complaints.notices): one row per event, the fields in
# braces filled when the notice is queued; the template code is the provider's approved one.
NOTICE_TEMPLATES = OrmCatalog(
    name="notice_templates",
    title=N_("Notice templates"),
    entity="notice_template",
    sheet="短信模板",
    model=NoticeTemplate,
    key_column="event",
    can_add=False,
    fields=(
        Field(
            "event",
            N_("Event"),
            "事件",
            Kind.CHOICE,
            required=True,
            choices=tuple(e.value for e in NoticeEvent),
        ),
        Field("text", N_("Message text"), "短信内容", required=True, max_length=500),
        Field("template_code", N_("Provider template code"), "模板代码", max_length=64),
    ),
)
