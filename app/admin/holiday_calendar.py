"""A year of the working-day calendar filled in one action from the ``chinesecalendar`` package:
the State Council's public holidays and make-up working days (调休), as published each year.

:func:`fill_year` replaces the year's exceptions in ``calendar_days`` with the package's list
(audited, with what was added, changed and removed). :func:`calendar_gaps` says which year the
calendar still lacks: this year if it has no days, next year from :data:`WARN_FROM_MONTH` on
(the schedule is published in the autumn), each with whether the installed package knows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy import delete, func, select

from app import audit
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, InvalidInput
from app.models import CalendarDay, CalendarDayKind
from app.permissions import Permission

WARN_FROM_MONTH = 11  # next year's gap is worth a warning from November on
# The package names holidays in English; the floor reads the Chinese names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def package_version() -> str:
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return "-"


def official_days(year: int) -> dict[date, tuple[CalendarDayKind, str]] | None:
    """The year's holidays and make-up working days as the package knows them; None if the
    installed package does not know the year (it is published once a year)."""
    import chinese_calendar
    from chinese_calendar.constants import holidays, workdays

    try:
        chinese_calendar.is_holiday(date(year, 1, 1))
    except NotImplementedError:
        return None
    days: dict[date, tuple[CalendarDayKind, str]] = {}
    for table, kind in ((holidays, CalendarDayKind.HOLIDAY), (workdays, CalendarDayKind.WORKDAY)):
        for day, name in table.items():
            if day.year == year:
                english = getattr(name, "value", name)
                days[day] = (kind, HOLIDAY_NAMES.get(english, english)[:64])
    return days


@dataclass(frozen=True)
class FillReport:
    year: int
    holidays: int
    workdays: int
    added: int
    changed: int
    removed: int


def fill_year(ctx: Context, year: int) -> FillReport:
    """Replace the year's calendar exceptions with the package's (an administrator's action)."""
    ctx.require(Permission.ADMINISTER)
    days = official_days(year)
    if days is None:
        raise InvalidInput(
            N_(
                "The chinesecalendar package {version} does not know {year} yet: update it, or "
                "enter the year's holidays and make-up days by hand (or import them)."
            ),
            version=package_version(),
            year=year,
        )
    with ctx.db.transaction() as session:
        existing = {
            row.day: row
            for row in session.scalars(
                select(CalendarDay).where(
                    CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
                )
            )
        }
        removed = sorted(set(existing) - set(days))
        if removed:
            session.execute(delete(CalendarDay).where(CalendarDay.day.in_(removed)))
        added = changed = 0
        for day, (kind, name) in sorted(days.items()):
            row = existing.get(day)
            if row is None:
                session.add(CalendarDay(day=day, kind=kind, name=name))
                added += 1
            elif (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                changed += 1
        report = FillReport(
            year,
            sum(1 for kind, _name in days.values() if kind is CalendarDayKind.HOLIDAY),
            sum(1 for kind, _name in days.values() if kind is CalendarDayKind.WORKDAY),
            added,
            changed,
            len(removed),
        )
        audit.record(
            session,
            ctx,
            AuditAction.FILL_CALENDAR,
            "calendar_day",
            str(year),
            after={
                "source": f"chinesecalendar {package_version()}",
                "holidays": report.holidays,
                "workdays": report.workdays,
                "added": added,
                "changed": changed,
                "removed": [day.isoformat() for day in removed],
            },
        )
    return report


@dataclass(frozen=True)
class CalendarGap:
    year: int
    package_knows: bool  # True: one click fills it; False: the package must be updated first


def calendar_gaps(ctx: Context, today: date) -> list[CalendarGap]:
    """The years the calendar lacks: this year if it holds no day, next year from November on.
    A signed-in person's read (the status bar warns every station)."""
    years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    with ctx.db.read() as session:
        gaps = [
            year
            for year in years
            if not session.scalar(
                select(func.count())
                .select_from(CalendarDay)
                .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            )
        ]
    return [CalendarGap(year, official_days(year) is not None) for year in gaps]
