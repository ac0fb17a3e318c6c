"""The working-day calendar: weekends, public holidays and make-up working days (调休).

Days are counted in the center's local time zone (the ``center.time_zone`` setting, the zone every
screen and document shows; China Standard Time by default); the exceptions to Monday-to-Friday come
from the ``calendar_days`` table, which a supervisor imports a year at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.localtime import center_zone
from app.models import CalendarDay, CalendarDayKind


class WorkCalendar:
    def __init__(
        self,
        exceptions: Mapping[date, CalendarDayKind] | None = None,
        tz: ZoneInfo | None = None,
    ) -> None:
        self.exceptions = dict(exceptions or {})
        # Working days are counted where the center is: the same zone every screen and document
        # shows (app.localtime, the center.time_zone setting).
        self.tz = tz or center_zone()

    @classmethod
    def load(cls, session: Session) -> WorkCalendar:
        rows = session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
        return cls({day: kind for day, kind in rows})

    def is_working_day(self, day: date) -> bool:
        kind = self.exceptions.get(day)
        if kind is CalendarDayKind.HOLIDAY:
            return False
        if kind is CalendarDayKind.WORKDAY:
            return True
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time of day, ``days`` working days after ``start``."""
        local = start.astimezone(self.tz)
        day = local.date()
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day, local.time(), self.tz).astimezone(start.tzinfo)

    def end_of_working_day(
        self, start: datetime, days: int, closing: time = time(18, 0)
    ) -> datetime:
        """Closing time on the ``days``-th working day after ``start`` (follow-up call deadlines)."""
        target = self.add_working_days(start, days).astimezone(self.tz)
        return datetime.combine(target.date(), closing, self.tz).astimezone(start.tzinfo)
