"""Business time is the database's, not the station's.

A :class:`DatabaseClock` reads the server's time (PostgreSQL ``clock_timestamp()``) at sign-in and
carries it forward with the station's monotonic clock, re-reading the server every few minutes:
every timestamp a station writes (aging start and sign-off, receipts, due times, complaint clocks,
audit rows, order numbers) is the server's time, whatever the PC's clock says or is later set to,
and live timers on screen (``ctx.now()``) show the server's time too. On SQLite (one PC) the PC's
clock is the server's: it is read at sign-in and carried forward the same way, so setting the
clock forward while signed in does not age a unit on the rack.

At sign-in :func:`check_station_clock` refuses a station whose clock is more than
``settings.CLOCK_MAX_SKEW_SECONDS`` from the server's (PostgreSQL), or, on SQLite, more than a
minute behind the newest audit row (the clock was set back), with a message that says how to set
the PC's clock right.

Tests keep moving time with :class:`app.clock.ManualClock`; a skewed station is a DatabaseClock
over a ManualClock ``station`` clock and a fake ``monotonic``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app import settings
from app.clock import Clock, SystemClock
from app.db import Database
from app.errors import N_, ClockWrong
from app.localtime import local_text
from app.models import AuditEntry

log = logging.getLogger(__name__)

REMEASURE_AFTER = timedelta(minutes=5)
SQLITE_BACKWARDS_TOLERANCE = timedelta(minutes=1)

FIX_THE_CLOCK = N_(
    "Set this PC's date, time and time zone right (Windows: Settings → Time & language → Date & "
    "time → Set time automatically; or ask IT to synchronise it with the server), then sign in "
    "again."
)


def server_time(db: Database) -> datetime | None:
    """The database server's time now (PostgreSQL); None on SQLite, where the PC is the server."""
    if db.is_sqlite:
        return None
    with db.read() as session:
        value = session.scalar(text("SELECT clock_timestamp()"))
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


class DatabaseClock:
    """The server's time, read at sign-in and every ``REMEASURE_AFTER`` (PostgreSQL), carried
    forward in between by the monotonic clock. ``offset`` is how far the server's clock is ahead
    of the station's (negative: the station runs fast)."""

    def __init__(
        self,
        db: Database,
        *,
        station: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        remeasure_after: timedelta | None = REMEASURE_AFTER,
    ) -> None:
        self.db = db.unguarded
        self._remeasure_after = remeasure_after
        self.station = station or SystemClock()
        self._monotonic = monotonic
        self.offset = timedelta(0)
        self._anchor = self.station.now()
        self._anchor_tick = monotonic()
        self.measure()

    def measure(self) -> timedelta:
        """Read the server's time now; returns the station's measured offset from it."""
        before = self._monotonic()
        server = server_time(self.db)
        after = self._monotonic()
        station = self.station.now()
        reference = station if server is None else server
        self._anchor, self._anchor_tick = reference, (before + after) / 2
        self.offset = reference - station
        return self.offset

    def now(self) -> datetime:
        elapsed = self._monotonic() - self._anchor_tick
        again = self._remeasure_after
        if again is not None and not self.db.is_sqlite and elapsed > again.total_seconds():
            try:
                self.measure()
                elapsed = self._monotonic() - self._anchor_tick
            except Exception:  # the server is away: carry on from the last reading
                log.warning("cannot read the server's time; carrying on from the last reading")
        return self._anchor + timedelta(seconds=max(elapsed, 0.0))


def check_station_clock(db: Database, clock: DatabaseClock) -> None:
    """Refuse to work at a station whose clock is wrong (see the module's description)."""
    offset = clock.measure()
    if not db.is_sqlite:
        with db.unguarded.read() as session:
            max_skew = timedelta(seconds=settings.get(session, settings.CLOCK_MAX_SKEW_SECONDS))
        if abs(offset) > max_skew:
            minutes = max(1, round(abs(offset).total_seconds() / 60))
            template = (
                N_("This PC's clock is {minutes} minutes fast compared with the server. {fix}")
                if offset < timedelta(0)
                else N_("This PC's clock is {minutes} minutes slow compared with the server. {fix}")
            )
            raise ClockWrong(template, minutes=minutes, fix=FIX_THE_CLOCK)
        return
    with db.unguarded.read() as session:
        newest = session.scalar(select(AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1))
    station = clock.station.now()
    if newest is not None and station < newest - SQLITE_BACKWARDS_TOLERANCE:
        raise ClockWrong(
            N_(
                "This PC's clock ({now}) is behind work already recorded at {newest}: it was set "
                "back. {fix}"
            ),
            now=local_text(station),
            newest=local_text(newest),
            fix=FIX_THE_CLOCK,
        )
