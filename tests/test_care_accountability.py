"""Accountability for valid complaints (seed 001 四、責任落實, 五、責任執行): the handbook's penalty
rules on each grade and chain, the lines a complaint closed valid puts on the month's sheet, the
general manager's approval by electronic signature, and an approved sheet that never changes
(a correction is a new line on a later sheet); the sheet exported to Excel and read back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from conftest import PASSWORD
from factories import add_customer
from openpyxl import load_workbook
from sqlalchemy import select

from app import complaints
from app.admin import catalogs
from app.admin.care_catalogs import PENALTY_RULES, STAFF_MEMBERS
from app.admin.catalog_tables import DEPARTMENTS
from app.clock import ManualClock
from app.complaints import accountability, care_exports
from app.complaints.penalties import load_rules, penalties
from app.complaints.people import Person, chain_of
from app.complaints.watch import complaint_version
from app.context import Context
from app.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from app.models import (
    AccountabilitySheet,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Consequence,
    Role,
    StaffMember,
)

YUAN = 100
NOV = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


@pytest.fixture
def office(db, make_user: Callable[..., Context], clock: ManualClock) -> dict:
    """营销部 (經理 M01) ⊃ 营销一组 (主任 S01) ∋ 营销代表 R01; and the people at work."""
    clock.set(NOV)
    people = {
        "admin": make_user(Role.ADMIN, username="admin"),
        "service": make_user(Role.CUSTOMER_SERVICE, username="service"),
        "gm": make_user(Role.SUPERVISOR, username="gm", display_name="总经理"),
    }
    admin = people["admin"]
    for department in ({"name": "营销部"}, {"name": "营销一组", "parent": "营销部"}):
        catalogs.save(admin, DEPARTMENTS, department, expected_version=None)
    for code, name, department in (
        ("M01", "王经理", "营销部"),
        ("S01", "李主任", "营销一组"),
        ("R01", "张代表", "营销一组"),
    ):
        row = {"code": code, "name": name, "kind": "sales_rep", "department": department}
        catalogs.save(admin, STAFF_MEMBERS, row, expected_version=None)
    for name, head in (("营销部", "M01"), ("营销一组", "S01")):
        version = catalogs.row_version(admin, DEPARTMENTS, name)
        catalogs.save(admin, DEPARTMENTS, {"head": head}, key=name, expected_version=version)
    with db.read() as session:
        people["staff"] = {s.code: s.id for s in session.scalars(select(StaffMember))}
    people["customer"] = add_customer(db, people["service"])
    return people


def _person(db, staff_id: int) -> Person:
    with db.read() as session:
        staff = session.get(StaffMember, staff_id)
        return Person(staff.id, staff.code, staff.name, staff.department)


def _lines(db, office: dict, code: str, grade: str, **figures: int) -> list[tuple]:
    with db.read() as session:
        staff_id = office["staff"][code]
        chain = chain_of(session, staff_id)
        rules = load_rules(session)
    found = penalties(rules, grade, _person(db, staff_id), chain, **figures)
    return [(p.person.code, p.rule_code, p.amount_cents, p.cancels_commission) for p in found]


def test_the_chain_of_superiors_follows_the_department_tree(db, office) -> None:
    with db.read() as session:
        assert [p.code for p in chain_of(session, office["staff"]["R01"])] == ["S01", "M01"]
        assert [p.code for p in chain_of(session, office["staff"]["S01"])] == ["M01"]
        assert chain_of(session, office["staff"]["M01"]) == []
    with pytest.raises(InvalidInput, match="below itself"):
        version = catalogs.row_version(office["admin"], DEPARTMENTS, "营销部")
        catalogs.save(
            office["admin"],
            DEPARTMENTS,
            {"parent": "营销一组"},
            key="营销部",
            expected_version=version,
        )


def test_grade_a_fines_per_item_along_the_chain_as_the_handbook_says(db, office) -> None:
    # 「①代表未達作業標準,營銷代表扣50元/項,主任50元/項,經理50元/項」: two items below standard.
    assert _lines(db, office, "R01", "A", items=2) == [
        ("R01", "A-2-0", 100 * YUAN, True),
        ("S01", "A-2-1", 100 * YUAN, True),
        ("M01", "A-2-2", 100 * YUAN, True),
    ]
    # 「②主任未達作業標準,主任50元/項,經理100元/項」
    assert _lines(db, office, "S01", "A", items=1) == [
        ("S01", "A-1-0", 50 * YUAN, True),
        ("M01", "A-1-1", 100 * YUAN, True),
    ]
    # 「③經理未達作業標準,經理100元/項」
    assert _lines(db, office, "M01", "A", items=1) == [("M01", "A-0-0", 100 * YUAN, True)]


def test_grade_b_cancels_commissions_200_yuan_and_6_percent_of_the_service(db, office) -> None:
    # 「品牌調度:扣200元」; 「品牌主任扣取6%當期服務金額」; 「取消…服務滿意度提成」
    assert _lines(db, office, "R01", "B", service_cents=1234_56) == [
        ("R01", "B-0", 200 * YUAN, True),
        ("S01", "B-1", 74_07, True),  # 6% of 1234.56 = 74.0736 → 74.07
        ("M01", "B-2", 0, True),
    ]
    assert _lines(db, office, "M01", "B", service_cents=1000 * YUAN) == [
        ("M01", "B-0", 200 * YUAN, True)
    ]


def test_grade_c_splits_15_percent_of_the_refund_and_fines_500_yuan(db, office) -> None:
    # 「扣罰退款金額15%(營銷代表5%,營銷主任5%,營銷經理5%)」; 「品牌調度:扣500元」
    assert _lines(db, office, "R01", "C", refund_cents=3000 * YUAN) == [
        ("R01", "C-0", 150 * YUAN, True),
        ("R01", "C-0-F", 500 * YUAN, False),
        ("S01", "C-1", 150 * YUAN, True),
        ("M01", "C-2", 150 * YUAN, True),
    ]


def test_the_administrator_edits_a_rule_and_the_next_computation_follows(db, office) -> None:
    admin = office["admin"]
    version = catalogs.row_version(admin, PENALTY_RULES, "B-0")
    catalogs.save(
        admin, PENALTY_RULES, {"fixed_cents": "250.5"}, key="B-0", expected_version=version
    )
    assert _lines(db, office, "M01", "B")[0][2] == 250_50
    with pytest.raises(InvalidInput):
        catalogs.save(
            admin,
            PENALTY_RULES,
            {"code": "X", "grade": "D", "step": 0, "fixed_cents": "10"},
            expected_version=None,
        )


def _closed(db, office: dict, staff: str | None, grade=ComplaintGrade.B, **figures: int) -> int:
    service, gm = office["service"], office["gm"]
    number = complaints.register_complaint(
        service,
        customer_id=office["customer"],
        channel=ComplaintChannel.PHONE,
        description="维修后仍不开机",
        customer_request="重新维修",
        grade=grade,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    with db.read() as session:
        cid = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))

    def version() -> int:
        return complaint_version(service, cid)

    if staff is not None:
        accountability.record_accountability(
            service, cid, staff_id=office["staff"][staff], expected_version=version(), **figures
        )
    complaints.propose_remedies(service, cid, "免费重修", "换新机", expected_version=version())
    complaints.approve_remedies(gm, cid, expected_version=version())
    complaints.record_choice(service, cid, "免费重修", expected_version=version())
    complaints.settle_complaint(
        service, cid, outcome="已重修", customer_accepted=True, expected_version=version()
    )
    complaints.close_complaint(service, cid, expected_version=version())
    return cid


def test_a_complaint_closed_valid_lists_its_consequences_on_the_months_sheet(db, office) -> None:
    cid = _closed(db, office, "R01", service_amount_cents=500 * YUAN)
    with db.read() as session:
        complaint = session.get(Complaint, cid)
        assert complaint.responsible_person == "张代表"  # the text column stays readable
    month = accountability.sheet(office["service"], "2026-11")
    assert [(line.staff_code, line.amount_cents) for line in month.lines] == [
        ("M01", 0),
        ("R01", 200 * YUAN),
        ("S01", 30 * YUAN),
    ]
    assert month.total_cents == 230 * YUAN and month.approved_at is None
    # Not valid (overruled before closing): nothing on the sheet.
    before = len(month.lines)
    service = office["service"]
    number = complaints.register_complaint(
        service,
        customer_id=office["customer"],
        channel=ComplaintChannel.PHONE,
        description="快递破损",
        customer_request=None,
        grade=ComplaintGrade.A,
        category=ComplaintCategory.LOSS_DAMAGE,
    )
    with db.read() as session:
        other = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    accountability.record_accountability(
        service,
        other,
        staff_id=office["staff"]["R01"],
        expected_version=complaint_version(service, other),
    )
    complaints.close_complaint(
        office["gm"], other, reason="非我方责任", expected_version=complaint_version(service, other)
    )
    assert len(accountability.sheet(service, "2026-11").lines) == before


def test_the_general_manager_approves_by_signature_and_the_sheet_never_changes(
    db, office, clock, tmp_path
) -> None:
    _closed(db, office, "S01", grade=ComplaintGrade.A, items_below_standard=1)
    gm, service = office["gm"], office["service"]
    shown = accountability.sheet(gm, "2026-11")
    assert len(shown.lines) == 2
    with pytest.raises(AuthenticationFailed):
        accountability.approve_sheet(gm, "2026-11", password="wrong", seen_lines=2)
    with pytest.raises(Conflict, match="3 lines|has 2 lines"):
        accountability.approve_sheet(gm, "2026-11", password=PASSWORD, seen_lines=3)
    assert accountability.sheet(gm, "2026-11").approved_at is None
    with pytest.raises(PermissionDenied):  # customer service may not sign
        accountability.approve_sheet(service, "2026-11", password=PASSWORD, seen_lines=2)
    accountability.approve_sheet(gm, "2026-11", password=PASSWORD, seen_lines=2)
    approved = accountability.sheet(gm, "2026-11")
    assert approved.approved_at == clock.now() and approved.approved_by == "总经理"
    with pytest.raises(Conflict, match="approved already"):
        accountability.approve_sheet(gm, "2026-11", password=PASSWORD, seen_lines=2)

    # Nothing of it changes, whoever writes through the ORM.
    (line_id,) = [line.id for line in approved.lines if line.staff_code == "S01"]
    with pytest.raises(Conflict, match="never changed"), db.transaction() as session:
        session.get(Consequence, line_id).amount_cents = 1
    with pytest.raises(Conflict, match="never changed"), db.transaction() as session:
        session.delete(session.get(Consequence, line_id))
    with pytest.raises(Conflict, match="approved"), db.transaction() as session:
        sheet = session.scalar(select(AccountabilitySheet))
        sheet.approved_at = None
    with pytest.raises(Conflict, match="nothing more joins it"), db.transaction() as session:
        line = session.get(Consequence, line_id)
        session.add(
            Consequence(
                month="2026-11",
                complaint_id=line.complaint_id,
                staff_id=line.staff_id,
                grade="A",
                amount_cents=1,
                created_at=clock.now(),
                created_by_id=gm.user_id,
            )
        )
    assert accountability.sheet(gm, "2026-11") == approved

    # A complaint closed after the approval joins the next sheet; a correction is a new line.
    _closed(db, office, "M01", grade=ComplaintGrade.A)
    assert (
        accountability.add_correction(gm, line_id, amount_cents=-20 * YUAN, note="复核:减免20元")
        == "2026-12"
    )
    december = accountability.sheet(gm, "2026-12")
    assert [(x.staff_code, x.amount_cents, x.corrects_id) for x in december.lines] == [
        ("M01", 100 * YUAN, None),
        ("S01", -20 * YUAN, line_id),
    ]
    assert accountability.sheet(gm, "2026-11") == approved

    path = tmp_path / "责任考核.xlsx"
    assert care_exports.export_sheet(gm, "2026-11", path) == 2
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1] == care_exports.SHEET_HEADERS
    body = [row for row in rows[2:] if row and row[3]]
    assert sorted((row[1], row[5], row[7], row[8]) for row in body) == [
        ("M01", "A-1-1", 100, "是"),
        ("S01", "A-1-0", 50, "是"),
    ]
    assert ("王经理", "M01", None, None, None, None, "合计", 100) in [row[:8] for row in rows]
    assert rows[-1][0].startswith("总经理审批:总经理 2026-11-16")


def test_lines_are_only_ever_added(db, office) -> None:
    _closed(db, office, "R01", grade=ComplaintGrade.A)
    with pytest.raises(Conflict), db.transaction() as session:
        session.execute(select(Consequence)).scalars().first().note = "改"
    assert len(accountability.sheet(office["service"], "2026-11").lines) == 3
