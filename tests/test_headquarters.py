"""Headquarters' figures on one center (SQLite, or PostgreSQL as the tables' owner): each center's
month equals the single-center KPI sheet's; the two-valid-complaints warning is raised once and
decided with a second person's signature, audited; a station's user is refused."""

from __future__ import annotations

import functools
from dataclasses import astuple
from datetime import date

import pytest
from conftest import PASSWORD
from factories import add_customer
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from app import users
from app.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from app.headquarters.export import export_network_month
from app.headquarters.figures import network_month
from app.headquarters.home import is_headquarters
from app.headquarters.warnings import decide_warning, network_month_with_warnings
from app.ledgers.kpi import period_kpis
from app.localtime import center_zone
from app.models import (
    AuditEntry,
    Center,
    CenterKind,
    CenterWarning,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Role,
    WarningDecision,
)

DEMO_MONTHS = (date(2026, 10, 1), date(2026, 11, 1))


def _center_is(db, kind: CenterKind) -> None:
    with db.transaction() as session:
        session.execute(update(Center).where(Center.id == 1).values(kind=kind))


def _without_median(kpi):
    values = list(astuple(kpi))
    values[4] = None  # the median: the single center's sheet only
    return values


def test_one_centers_figures_are_its_kpi_sheets(demo_db, make_user) -> None:
    hq = make_user(Role.SUPERVISOR, username="hq-boss")
    _center_is(demo_db, CenterKind.HEADQUARTERS)
    sheet = {kpi.month: kpi for kpi in period_kpis(hq, DEMO_MONTHS[0], date(2026, 11, 30))}
    for month in DEMO_MONTHS:
        [row] = network_month(hq, month)
        assert row.center_id == 1 and row.kpi.received and row.kpi.shipped
        assert _without_median(row.kpi) == _without_median(sheet[month])
        assert sum(row.kpi.complaints_by_grade) == row.kpi.complaints


def test_only_a_headquarters_user_sees_the_network(demo_db, make_user) -> None:
    boss = make_user(Role.SUPERVISOR, username="station-boss")
    with pytest.raises(PermissionDenied):  # center 1 is a center of its own, not headquarters
        network_month(boss, DEMO_MONTHS[0])
    _center_is(demo_db, CenterKind.HEADQUARTERS)
    clerk = make_user(Role.RECEIVING_CLERK, username="hq-clerk")
    with pytest.raises(PermissionDenied):
        network_month(clerk, DEMO_MONTHS[0])
    assert network_month(boss, DEMO_MONTHS[0])


def test_sign_in_reads_the_home_center_and_the_figures_still_check_it_live(db, make_user) -> None:
    boss = make_user(Role.SUPERVISOR, username="boss", badge_code="B001")
    users.set_pin(boss, "2580")
    station = {"station": "总部", "clock": boss.clock}
    assert not users.authenticate(db, "boss", PASSWORD, **station).home_is_headquarters
    _center_is(db, CenterKind.HEADQUARTERS)
    signed_in = [  # each way in reads the home center with the account
        users.authenticate(db, "boss", PASSWORD, **station),
        users.sign_in_with_badge(db, "B001", "2580", **station),
        users.actor_for_username(db, "boss"),
    ]
    assert all(actor.home_is_headquarters for actor in signed_in)
    assert not boss.actor.home_is_headquarters  # signed in before: the window shows no tab...
    assert is_headquarters(boss)  # ...but what headquarters reads is checked live
    hq = boss.as_actor(signed_in[0])
    assert network_month(hq, DEMO_MONTHS[0]) is not None
    _center_is(db, CenterKind.OWN_CENTER)
    assert not is_headquarters(hq)  # the sign-in's snapshot lets nothing through
    with pytest.raises(PermissionDenied):
        network_month(hq, DEMO_MONTHS[0])


def _complain(ctx, customer: int, category: ComplaintCategory) -> None:
    from app import complaints

    complaints.register_complaint(
        ctx,
        customer_id=customer,
        channel=ComplaintChannel.PHONE,
        description="维修后仍然不开机",
        customer_request="重新维修",
        grade=ComplaintGrade.B,
        category=category,
    )


def test_two_valid_complaints_raise_the_warning_decided_with_a_signature(
    db, make_user, clock, tmp_path
) -> None:
    boss = make_user(Role.SUPERVISOR, username="hq-boss")
    approver = make_user(Role.SUPERVISOR, username="hq-approver")
    _center_is(db, CenterKind.HEADQUARTERS)
    customer = add_customer(db, boss)
    month = clock.now().astimezone(center_zone()).date().replace(day=1)
    _complain(boss, customer, ComplaintCategory.REPAIR_QUALITY)
    assert network_month_with_warnings(boss, month).warnings == []  # one is not a warning yet
    _complain(boss, customer, ComplaintCategory.ATTITUDE)
    seen = network_month_with_warnings(boss, month)
    [row] = seen.centers
    assert row.kpi.valid_complaints == 2 and row.kpi.complaints_by_grade == (0, 2, 0)
    [warning] = seen.warnings
    assert (warning.station_id, warning.month, warning.valid_complaints) == (1, f"{month:%Y-%m}", 2)
    assert warning.decision is None
    network_month_with_warnings(boss, month)  # raised once, however often it is read
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(CenterWarning)) == 1

    decide = functools.partial(decide_warning, boss, warning.id, approver="hq-approver")
    with pytest.raises(InvalidInput):  # the author does not approve their own decision
        decide_warning(
            boss,
            warning.id,
            WarningDecision.REPRIMAND,
            approver="hq-boss",
            approver_password=PASSWORD,
        )
    with pytest.raises(AuthenticationFailed):
        decide(WarningDecision.REPRIMAND, approver_password="x")
    with pytest.raises(InvalidInput):  # a penalty without an amount
        decide(WarningDecision.PENALTY, approver_password=PASSWORD)
    decide(
        WarningDecision.PENALTY,
        approver_password=PASSWORD,
        penalty_cents=50000,
        note="计入年度考核",
    )
    with pytest.raises(Conflict):
        decide(WarningDecision.REPRIMAND, approver_password=PASSWORD)
    [decided] = network_month_with_warnings(boss, month).warnings
    assert decided.decision is WarningDecision.PENALTY and decided.penalty_cents == 50000
    assert (decided.decided_by, decided.approved_by) == (
        boss.actor.display_name,
        approver.actor.display_name,
    )
    with db.read() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "center_warning")
        ).all()
    assert sorted(actions) == ["decide_center_warning", "raise_center_warning"]

    path = export_network_month(boss, month, tmp_path / "hq.xlsx")
    workbook = load_workbook(path, read_only=True)
    figures = [list(r) for r in workbook["各中心指标"].iter_rows(values_only=True)]
    assert any(r[0] == "C1" and r[4] == 0 and r[-1] == 2 for r in figures if r and r[0])
    decisions = [list(r) for r in workbook["警示与处理"].iter_rows(values_only=True)]
    assert any(r[0] == "C1" and "罚款" in r and 500 in r for r in decisions if r and r[0])
