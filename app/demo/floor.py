"""A month on the floor, replayed: stories (generators) wake up in time order on one manual clock.

A story is a generator that does one step through the real services, then yields the moment it
wants to continue. The floor keeps a queue of sleeping stories, sets the clock to the earliest
moment and wakes that story, so the audit log is written in the order things happened. A story
that wants to continue after "now" stops where it is: that is how recent orders stay open.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Generator
from datetime import datetime, time, timedelta

from app.clock import ManualClock
from app.context import Context
from app.localtime import center_zone
from app.workcal import WorkCalendar

Story = Generator[datetime, None, None]

OPENING = time(9, 0)
CLOSING = time(18, 0)


class Floor:
    def __init__(
        self,
        people: dict[str, Context],
        clock: ManualClock,
        calendar: WorkCalendar,
        rng: random.Random,
        end: datetime,
    ) -> None:
        self.people = people
        self.clock = clock
        self.calendar = calendar
        self.rng = rng
        # Customer care's draws (app.demo.care), apart from the floor's: the month stays the same.
        self.care_rng = random.Random(0)
        self.end = end
        self.held_for_shipping: set[int] = set()  # orders the packing table must not ship yet
        self.received: list[tuple[int, int]] = []  # (order id, customer id), in receipt order
        self._queue: list[tuple[datetime, int, Story]] = []
        self._sequence = itertools.count()

    def as_user(self, username: str) -> Context:
        return self.people[username]

    def user_id(self, username: str) -> int:
        return self.people[username].user_id

    def now(self) -> datetime:
        return self.clock.now()

    # Time
    def open_hours(self, moment: datetime) -> datetime:
        """``moment`` if the floor is working then, else soon after the next opening."""
        local = moment.astimezone(center_zone())
        day = local.date()
        if self.calendar.is_working_day(day) and OPENING <= local.time() < CLOSING:
            return moment
        if local.time() >= CLOSING or not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        opening = datetime.combine(day, OPENING, center_zone())
        return (opening + timedelta(minutes=self.rng.randrange(5, 50))).astimezone(moment.tzinfo)

    def later(self, low_minutes: float, high_minutes: float) -> datetime:
        """A working moment between ``low`` and ``high`` minutes from now."""
        minutes = self.rng.uniform(low_minutes, high_minutes)
        return self.open_hours(self.now() + timedelta(minutes=minutes))

    # Stories
    def start(self, at: datetime, story: Story) -> None:
        if at <= self.end:
            heapq.heappush(self._queue, (at, next(self._sequence), story))

    def run(self) -> None:
        while self._queue:
            at, _, story = heapq.heappop(self._queue)
            self.clock.set(max(at, self.clock.now()))
            try:
                wake_at = next(story)
            except StopIteration:
                continue
            if wake_at <= self.end:
                heapq.heappush(self._queue, (wake_at, next(self._sequence), story))
            else:
                story.close()
        self.clock.set(self.end)
