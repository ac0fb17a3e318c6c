"""A year of holidays and make-up working days filled from the chinesecalendar package in one
audited action, and a warning when the calendar lacks a year."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.admin.holiday_calendar import calendar_gaps, fill_year, official_days
from app.audit_actions import AuditAction
from app.errors import InvalidInput, PermissionDenied
from app.models import AuditEntry, CalendarDay, CalendarDayKind, Role
from app.workcal import WorkCalendar


def _days(db) -> dict[date, tuple[CalendarDayKind, str | None]]:
    with db.read() as session:
        return {row.day: (row.kind, row.name) for row in session.scalars(select(CalendarDay))}


def test_a_year_is_filled_with_the_holidays_and_make_up_days_of_the_package(db, admin):
    report = fill_year(admin, 2026)
    days = _days(db)
    assert days[date(2026, 10, 1)] == (CalendarDayKind.HOLIDAY, "国庆节")
    assert days[date(2026, 2, 17)] == (CalendarDayKind.HOLIDAY, "春节")
    assert days[date(2026, 9, 20)] == (CalendarDayKind.WORKDAY, "国庆节")  # a Sunday worked
    assert report.added == len(days) == report.holidays + report.workdays
    with db.read() as session:
        calendar = WorkCalendar.load(session)
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.FILL_CALENDAR)
        ).one()
    assert not calendar.is_working_day(date(2026, 10, 1))  # a Thursday off
    assert calendar.is_working_day(date(2026, 9, 20))
    assert audit.entity_id == "2026" and audit.after["added"] == report.added


def test_filling_again_replaces_that_year_only(db, admin):
    with db.transaction() as session:
        session.add(CalendarDay(day=date(2026, 3, 3), kind=CalendarDayKind.HOLIDAY, name="错填"))
        session.add(CalendarDay(day=date(2025, 12, 31), kind=CalendarDayKind.HOLIDAY, name="年会"))
        session.add(CalendarDay(day=date(2026, 10, 1), kind=CalendarDayKind.HOLIDAY, name="十一"))
    report = fill_year(admin, 2026)
    days = _days(db)
    assert date(2026, 3, 3) not in days and days[date(2025, 12, 31)][1] == "年会"
    assert days[date(2026, 10, 1)][1] == "国庆节"
    assert (report.removed, report.changed) == (1, 1)
    again = fill_year(admin, 2026)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)


def test_a_year_the_package_does_not_know_is_refused_saying_so(db, admin):
    assert official_days(2099) is None
    with pytest.raises(InvalidInput, match="does not know 2099"):
        fill_year(admin, 2099)
    assert _days(db) == {}


def test_only_the_administration_fills_the_calendar(db, make_user):
    with pytest.raises(PermissionDenied):
        fill_year(make_user(Role.CUSTOMER_SERVICE, username="agent"), 2026)


def test_the_gaps_warn_of_this_year_and_from_november_of_next_year(db, admin):
    fill_year(admin, 2026)
    assert calendar_gaps(admin, date(2026, 6, 1)) == []
    (gap,) = calendar_gaps(admin, date(2026, 11, 30))
    assert gap.year == 2027 and gap.package_knows == (official_days(2027) is not None)
    far = calendar_gaps(admin, date(2098, 11, 5))
    assert [(g.year, g.package_knows) for g in far] == [(2098, False), (2099, False)]
