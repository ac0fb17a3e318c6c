"""The outbox sent on a timer at one station at a time: the turn is claimed in the database, a
second station waits while it lasts and takes over once it lapses; a pass that fails keeps its
error and the next one goes on; the timer is a setting (0: only by hand)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_model, floor_staff, receive
from sms_server import fake_aliyun
from sqlalchemy import select, update

from app import care_settings, settings
from app.clock import ManualClock
from app.complaints import notice_events, notice_runner, notices, sending
from app.complaints.notices import NoticeStatus
from app.complaints.sms import AliyunSms
from app.context import Context
from app.models import Notice, NoticeTemplate, Role

NOON = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def floor(db, make_user: Callable[..., Context], clock: ManualClock) -> dict:
    clock.set(NOON)
    add_model(db)
    staff = floor_staff(db, make_user)
    service = make_user(Role.CUSTOMER_SERVICE, username="service")
    staff["a"] = dataclasses.replace(service, station="前台-A")
    staff["b"] = dataclasses.replace(service, station="客服-B")
    with db.transaction() as session:
        session.execute(update(NoticeTemplate).values(template_code="SMS_100001"))
    customer = staff["customer"]
    notices.record_consent(service, customer, consents=True, expected_version=0)
    return staff


def _statuses(db) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Notice.status).order_by(Notice.id)))


def _every(boss: Context, minutes: int) -> None:
    spec = care_settings.NOTICE_SEND_EVERY_MINUTES
    version = settings.setting_version(boss, spec)
    settings.put(boss, spec, minutes, expected_version=version)


def test_one_station_sends_the_other_waits_then_takes_over_when_the_turn_lapses(
    db, floor, clock, monkeypatch
) -> None:
    a, b = floor["a"], floor["b"]
    assert notice_runner.interval(a) == timedelta(minutes=5)  # the default
    assert notice_runner.sender_state(a) == notice_runner.SenderState()
    with fake_aliyun() as fake:
        provider = AliyunSms("key-id", fake.secret, "维修中心", endpoint=fake.url, now=clock.now)
        monkeypatch.setattr(sending, "configured_provider", lambda ctx: provider)
        receive(floor["clerk"], floor["customer"], 1)
        state = notice_runner.scheduled_pass(a)  # queues the 'received' notice and sends it
        assert state.station == "前台-A" and state.until == NOON + timedelta(minutes=10)
        assert state.counts == notice_runner.PassCounts(queued=1, sent=1, delivered=1)
        assert state.last_at == NOON and state.error is None
        assert _statuses(db) == [NoticeStatus.DELIVERED]  # the receipt was asked for too

        receive(floor["clerk"], floor["customer"], 2)
        clock.advance(minutes=1)
        held = notice_runner.scheduled_pass(b)  # A's turn lasts: B sends nothing
        assert held.station == "前台-A" and held.last_at == NOON
        assert _statuses(db) == [NoticeStatus.DELIVERED]
        clock.advance(minutes=4)
        renewed = notice_runner.scheduled_pass(a)  # A renews its turn and sends the second
        assert renewed.until == clock.now() + timedelta(minutes=10)
        assert _statuses(db) == [NoticeStatus.DELIVERED, NoticeStatus.DELIVERED]
        assert len([r for r in fake.requests if r.get("Action") == "SendSms"]) == 2

        clock.advance(minutes=10)  # A was closed: its turn lapsed
        taken = notice_runner.scheduled_pass(b)
        assert taken.station == "客服-B" and taken.last_at == clock.now()
        assert notice_runner.scheduled_pass(a).station == "客服-B"  # now A waits
        notice_runner.release_turn(b)  # B signs out: A may take the turn at once
        assert notice_runner.scheduled_pass(a).station == "前台-A"


def test_a_failing_pass_keeps_its_error_and_the_next_one_goes_on(db, floor, clock, monkeypatch):
    a = floor["a"]
    receive(floor["clerk"], floor["customer"], 1)
    real = notice_events.queue_due_notices

    def broken(ctx: Context) -> int:
        raise RuntimeError("database went away")

    monkeypatch.setattr(notice_events, "queue_due_notices", broken)
    failed = notice_runner.scheduled_pass(a)
    assert failed.error == "RuntimeError: database went away" and failed.station == "前台-A"
    monkeypatch.setattr(notice_events, "queue_due_notices", real)
    clock.advance(minutes=5)
    state = notice_runner.scheduled_pass(a)  # no provider: queued, listed to send by hand
    assert state.error is None and state.counts is None and state.queued == 1
    assert _statuses(db) == [NoticeStatus.QUEUED]


def test_the_timer_is_off_at_zero_minutes(db, floor, clock) -> None:
    _every(floor["boss"], 0)
    assert notice_runner.interval(floor["a"]) is None
    receive(floor["clerk"], floor["customer"], 1)
    assert notice_runner.scheduled_pass(floor["a"]) == notice_runner.SenderState()
    assert _statuses(db) == []  # nothing queued: the button still does it by hand
