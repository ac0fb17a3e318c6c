"""Sending the outbox on a timer, at one station at a time.

Every station where customer service is signed in runs a timer (``notices.send_every_minutes``;
0 turns it off). At each tick a station asks for the sender's turn: one row of the settings table
(``notices.sender``, like the center's id: a record no one edits) names the station that sends
and until when its turn lasts (two intervals). The station holding the turn renews it at each
pass; another station takes it only once it has lapsed (the sender was closed or lost its
network). Taking the turn is one short write transaction: on SQLite the writers queue up
(``BEGIN IMMEDIATE``), on PostgreSQL the row is locked and a second first insert is refused as a
duplicate; either way one station wins. Each notice is claimed again by the pass itself
(:mod:`app.complaints.sending`), so even two passes at once never send a notice twice.

A pass queues the notices the events have made due, sends them through the configured provider
and asks it about deliveries; whatever it raises is caught and kept as the pass's error (the
timer goes on, and the next pass tries again). The state — who sends, the last pass, its counts
or its error — is stored with the turn, so every station shows it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import care_settings, settings
from app.complaints import notice_events, sending
from app.context import Context
from app.errors import Conflict
from app.models import Setting
from app.permissions import Permission

SENDER_KEY = "notices.sender"


@dataclass(frozen=True)
class PassCounts:
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    delivered: int = 0


@dataclass(frozen=True)
class SenderState:
    """Who sends the outbox and how the last pass went (None: no pass has run yet)."""

    station: str | None = None
    until: datetime | None = None  # the end of the sender's turn
    last_at: datetime | None = None
    counts: PassCounts | None = None  # None: no provider configured (only queued)
    queued: int = 0
    error: str | None = None

    def holds(self, station: str, now: datetime) -> bool:
        return self.station == station and self.until is not None and self.until > now

    def free_for(self, station: str, now: datetime) -> bool:
        return self.station in (None, station) or self.until is None or self.until <= now


def interval(ctx: Context) -> timedelta | None:
    """How often a pass runs; None when the timer is off."""
    with ctx.db.read() as session:
        minutes = settings.get(session, care_settings.NOTICE_SEND_EVERY_MINUTES)
    return timedelta(minutes=minutes) if minutes else None


def _parse(value: Any) -> SenderState:
    if not isinstance(value, dict):
        return SenderState()

    def moment(key: str) -> datetime | None:
        text = value.get(key)
        return datetime.fromisoformat(text) if isinstance(text, str) else None

    counts = value.get("counts")
    return SenderState(
        value.get("station"),
        moment("until"),
        moment("last_at"),
        PassCounts(**counts) if isinstance(counts, dict) else None,
        int(value.get("queued") or 0),
        value.get("error"),
    )


def _stored(state: SenderState) -> dict[str, Any]:
    def moment(at: datetime | None) -> str | None:
        return None if at is None else at.isoformat()

    return {
        "station": state.station,
        "until": moment(state.until),
        "last_at": moment(state.last_at),
        "counts": None if state.counts is None else asdict(state.counts),
        "queued": state.queued,
        "error": state.error,
    }


def sender_state(ctx: Context) -> SenderState:
    """The sender's turn and its last pass (no customer's data: any signed-in person may read)."""
    with ctx.db.read() as session:
        return _parse(session.scalar(select(Setting.value).where(Setting.key == SENDER_KEY)))


def _write(ctx: Context, change: Any) -> SenderState | None:
    """Apply ``change(state) -> new state or None`` to the stored state in one transaction."""
    try:
        with ctx.db.transaction() as session:
            row = session.scalar(select(Setting).where(Setting.key == SENDER_KEY).with_for_update())
            new = change(_parse(None if row is None else row.value))
            if new is None:
                return None
            if row is None:
                session.add(Setting(key=SENDER_KEY, value=_stored(new), version=1))
            else:
                row.value, row.version = _stored(new), row.version + 1
            return new
    except Conflict:  # another station inserted the first turn at the same moment
        return None


def take_turn(ctx: Context, every: timedelta) -> bool:
    """This station's turn to send, taken or renewed for two intervals; False while another
    station's turn lasts."""
    now, station = ctx.now(), ctx.station

    def take(state: SenderState) -> SenderState | None:
        if not state.free_for(station, now):
            return None
        return SenderState(
            station, now + 2 * every, state.last_at, state.counts, state.queued, state.error
        )

    return _write(ctx, take) is not None


def _record_pass(ctx: Context, counts: PassCounts | None, queued: int, error: str | None) -> None:
    now, station = ctx.now(), ctx.station

    def record(state: SenderState) -> SenderState | None:
        if state.station != station:
            return None  # the turn passed to another station meanwhile: its state stays
        return SenderState(station, state.until, now, counts, queued, error)

    _write(ctx, record)


def scheduled_pass(ctx: Context) -> SenderState:
    """One timer tick (off the UI thread): send if it is this station's turn, and return the
    state every station shows. Never raises for a provider's or a pass's failure."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    every = interval(ctx)
    if every is None or not take_turn(ctx, every):
        return sender_state(ctx)
    queued, counts, error = 0, None, None
    try:
        queued = notice_events.queue_due_notices(ctx)
        provider = sending.configured_provider(ctx)
        if provider is not None:
            report = sending.send_due(ctx, provider)
            delivered = sending.refresh_deliveries(ctx, provider)
            counts = PassCounts(queued, report.sent, report.retrying, report.failed, delivered)
    except Exception as failure:  # noqa: BLE001 - kept and shown; the next tick tries again
        error = f"{type(failure).__name__}: {failure}"[:500]
    _record_pass(ctx, counts, queued, error)
    return sender_state(ctx)


def release_turn(ctx: Context) -> None:
    """This station stops sending (signing out, closing): another may take the turn at once."""
    station = ctx.station

    def release(state: SenderState) -> SenderState | None:
        if state.station != station:
            return None
        return SenderState(None, None, state.last_at, state.counts, state.queued, state.error)

    _write(ctx, release)
