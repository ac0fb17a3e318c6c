"""Notices to customers: queued once per event from the templates, withheld without consent or
after an opt-out, sent through Alibaba Cloud SMS (a local server speaking its API: no network),
retried while the provider is down, marked delivered when it answers, listed for sending by hand
when no provider is configured."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_model, floor_staff, receive, stock_row
from sms_server import expected_signature, fake_aliyun
from sqlalchemy import select, update

from app import care_settings, complaints, credentials, settings
from app.clock import ManualClock
from app.complaints import notice_events, notices, sending
from app.complaints.notices import NoticeEvent, NoticeStatus
from app.complaints.sms import AliyunSms, sign
from app.context import Context
from app.errors import Conflict
from app.models import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Notice,
    NoticeTemplate,
    PartWait,
    Role,
)

NOON = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # Monday 12:00 in Shanghai


@pytest.fixture
def floor(db, make_user: Callable[..., Context], clock: ManualClock) -> dict:
    clock.set(NOON)
    add_model(db)
    staff = floor_staff(db, make_user)
    staff["service"] = make_user(Role.CUSTOMER_SERVICE, username="service")
    return staff


def _consent(ctx: Context, customer_id: int, consents: bool = True) -> None:
    version = notices.consent_of(ctx, customer_id).version
    notices.record_consent(ctx, customer_id, consents=consents, expected_version=version)


def _notices(db) -> list[Notice]:
    with db.read() as session:
        return list(session.scalars(select(Notice).order_by(Notice.id)))


def _use_template_codes(db) -> None:
    with db.transaction() as session:
        session.execute(update(NoticeTemplate).values(template_code="SMS_100001"))


def test_the_signature_is_alibaba_clouds_documented_example() -> None:
    # help.aliyun.com, "Signature mechanism": DescribeRegions signed with "testsecret&" gives
    # OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert sign("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert expected_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_each_event_is_queued_once_from_its_template(db, floor, clock) -> None:
    service, customer = floor["service"], floor["customer"]
    _consent(service, customer)
    order = receive(floor["clerk"], customer, 1)
    number = complaints.register_complaint(
        service,
        customer_id=customer,
        channel=ComplaintChannel.PHONE,
        description="维修太慢",
        customer_request=None,
        grade=ComplaintGrade.A,
        category=ComplaintCategory.TURNAROUND,
    )
    assert notice_events.queue_due_notices(service) == 2
    assert notice_events.queue_due_notices(service) == 0  # once per event
    received, progress = _notices(db)
    assert received.event == NoticeEvent.RECEIVED and order.order_no in received.text
    assert "星辰 X1" in received.text and received.status == NoticeStatus.QUEUED
    assert progress.event == NoticeEvent.COMPLAINT_PROGRESS and number in progress.text
    assert progress.phone == "13800138000"
    # The first contact (10 minutes) is covered by the first notice; the 24-hour answer gets
    # its own in the hour before it.
    clock.advance(hours=22, minutes=59)
    assert notice_events.queue_due_notices(service) == 0
    clock.advance(minutes=2)
    assert notice_events.queue_due_notices(service) == 1
    assert _notices(db)[-1].event_key.endswith(":before:answer")


def test_waiting_for_parts_longer_than_the_set_days_and_shipped_with_the_waybill(
    db, floor, clock
) -> None:
    from conftest import PASSWORD
    from factories import repair_and_ship

    service, customer = floor["service"], floor["customer"]
    _consent(service, customer)
    waiting = receive(floor["clerk"], customer, 2)
    with db.transaction() as session:
        part = stock_row(part_no="P-1", name="尾插小板")
        session.add(part)
        session.flush()
        session.add(PartWait(part_id=part.id, order_id=waiting.order_id, since=clock.now()))
    clock.advance(days=2)
    notice_events.queue_due_notices(service)
    assert NoticeEvent.WAITING_PARTS not in {n.event for n in _notices(db)}
    clock.advance(days=1, minutes=1)  # past the 3 days of the setting
    notice_events.queue_due_notices(service)
    (wait,) = [n for n in _notices(db) if n.event == NoticeEvent.WAITING_PARTS]
    assert waiting.order_no in wait.text and "3天" in wait.text
    shipped = receive(floor["clerk"], customer, 3)
    repair_and_ship(floor, clock, shipped.order_id, PASSWORD)
    notice_events.queue_due_notices(service)
    (ship,) = [n for n in _notices(db) if n.event == NoticeEvent.SHIPPED]
    assert "顺丰速运" in ship.text and "SF1234567890123" in ship.text
    assert shipped.order_no in ship.text


def test_nothing_is_sent_without_consent_or_after_an_opt_out(db, floor, clock) -> None:
    service, customer = floor["service"], floor["customer"]
    receive(floor["clerk"], customer, 1)
    notice_events.queue_due_notices(service)
    (first,) = _notices(db)
    assert first.status == NoticeStatus.WITHHELD and first.last_error == "no consent"
    _consent(service, customer)
    _consent(service, customer, consents=False)  # opted out
    receive(floor["clerk"], customer, 2)
    notice_events.queue_due_notices(service)
    second = _notices(db)[-1]
    assert second.status == NoticeStatus.WITHHELD and second.last_error == "opted out"
    with fake_aliyun() as fake:
        provider = AliyunSms("key", fake.secret, "维修中心", endpoint=fake.url)
        assert sending.send_due(service, provider).sent == 0
        assert fake.requests == []  # the provider was never called


def test_no_provider_configured_means_the_outbox_lists_messages_to_send_by_hand(
    db, floor, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("REPAIRFLOOR_DATA_DIR", str(tmp_path))
    service, customer = floor["service"], floor["customer"]
    _consent(service, customer)
    receive(floor["clerk"], customer, 1)
    notice_events.queue_due_notices(service)
    assert sending.configured_provider(service) is None
    (row,) = notices.outbox(service, statuses=(NoticeStatus.QUEUED,))
    assert row.customer_name == "张三" and row.phone == "13800138000"
    notices.mark_sent_by_hand(service, row.id, expected_version=row.version)
    assert _notices(db)[0].status == NoticeStatus.BY_HAND
    with pytest.raises(Conflict):
        notices.mark_sent_by_hand(service, row.id, expected_version=row.version + 1)
    # Configured with its secret kept by app.credentials (never in the settings table).
    admin = floor["boss"]
    with db.read() as session:
        current = settings.versions_of(session, care_settings.CARE_SETTINGS_PAGE)
    values = {
        care_settings.NOTICE_PROVIDER: care_settings.ALIYUN,
        care_settings.ALIYUN_ACCESS_KEY_ID: "LTAI-test",
        care_settings.ALIYUN_SIGN_NAME: "维修中心",
    }
    settings.put_many(admin, values, expected_version={s.key: current[s.key] for s in values})
    assert sending.configured_provider(service) is None  # no secret on this station yet
    credentials.store_secret(sending.ALIYUN_SECRET_NAME, "s3cret")
    provider = sending.configured_provider(service)
    assert isinstance(provider, AliyunSms) and provider.access_key_secret == "s3cret"
    with db.read() as session:
        from app.models import Setting

        stored = " ".join(str(v) for v in session.scalars(select(Setting.value)))
    assert "s3cret" not in stored


def test_a_notice_is_retried_while_the_provider_is_down_then_sent_and_delivered(
    db, floor, clock
) -> None:
    service, customer = floor["service"], floor["customer"]
    _use_template_codes(db)
    _consent(service, customer)
    order = receive(floor["clerk"], customer, 1)
    notice_events.queue_due_notices(service)
    with fake_aliyun(down_for=2, delivered=None) as fake:
        provider = AliyunSms("key-id", fake.secret, "维修中心", endpoint=fake.url, now=clock.now)
        assert sending.send_due(service, provider).retrying == 1
        (notice,) = _notices(db)
        assert notice.status == NoticeStatus.QUEUED and notice.attempts == 1
        assert "503" in (notice.last_error or "")
        assert sending.send_due(service, provider).sent == 0  # not due again yet
        clock.advance(minutes=1)
        assert sending.send_due(service, provider).retrying == 1  # down again
        clock.advance(minutes=5)
        assert sending.send_due(service, provider).sent == 1
        (notice,) = _notices(db)
        assert notice.status == NoticeStatus.SENT and notice.attempts == 3
        assert notice.provider_ref
        sent = fake.requests[-1]
        assert sent["Action"] == "SendSms" and sent["PhoneNumbers"] == "13800138000"
        assert sent["SignName"] == "维修中心" and sent["TemplateCode"] == "SMS_100001"
        assert f'"order_no": "{order.order_no}"' in sent["TemplateParam"]
        assert sent["Timestamp"] == clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        assert sending.refresh_deliveries(service, provider) == 0  # no receipt yet
        fake.delivered = True
        assert sending.refresh_deliveries(service, provider) == 1
    (notice,) = _notices(db)
    assert notice.status == NoticeStatus.DELIVERED and notice.delivered_at == clock.now()


def test_a_refusal_fails_at_once_and_a_provider_down_too_long_fails_after_the_retries(
    db, floor, clock
) -> None:
    service, customer = floor["service"], floor["customer"]
    _use_template_codes(db)
    _consent(service, customer)
    receive(floor["clerk"], customer, 1)
    notice_events.queue_due_notices(service)
    with fake_aliyun(refuse_code="isv.MOBILE_NUMBER_ILLEGAL") as fake:
        provider = AliyunSms("key-id", fake.secret, "维修中心", endpoint=fake.url)
        assert sending.send_due(service, provider).failed == 1
    (notice,) = _notices(db)
    assert notice.status == NoticeStatus.FAILED and "MOBILE_NUMBER_ILLEGAL" in notice.last_error
    receive(floor["clerk"], customer, 2)
    notice_events.queue_due_notices(service)
    with fake_aliyun(down_for=100) as fake:
        provider = AliyunSms("key-id", fake.secret, "维修中心", endpoint=fake.url)
        for _ in range(notices.MAX_ATTEMPTS):
            sending.send_due(service, provider)
            clock.advance(hours=7)
    last = _notices(db)[-1]
    assert last.status == NoticeStatus.FAILED and last.attempts == notices.MAX_ATTEMPTS
    assert [row.id for row in notices.outbox(service, statuses=(NoticeStatus.FAILED,))] == [
        last.id,
        _notices(db)[0].id,
    ]


def test_a_wrong_secret_is_refused_by_the_server_and_a_claimed_notice_is_never_lost(
    db, floor, clock
) -> None:
    service, customer = floor["service"], floor["customer"]
    _use_template_codes(db)
    _consent(service, customer)
    receive(floor["clerk"], customer, 1)
    notice_events.queue_due_notices(service)
    with fake_aliyun() as fake:
        wrong = AliyunSms("key-id", "not-the-secret", "维修中心", endpoint=fake.url)
        assert sending.send_due(service, wrong).failed == 1
        assert "SignatureDoesNotMatch" in (_notices(db)[0].last_error or "")
    # A station that claimed a notice and died: the lease runs out and another pass sends it.
    receive(floor["clerk"], customer, 2)
    notice_events.queue_due_notices(service)
    assert len(sending._claim(service)) == 1
    with fake_aliyun() as fake:
        provider = AliyunSms("key-id", fake.secret, "维修中心", endpoint=fake.url)
        assert sending.send_due(service, provider).sent == 0
        clock.advance(minutes=5, seconds=1)
        assert sending.send_due(service, provider).sent == 1
    assert _notices(db)[-1].status == NoticeStatus.SENT


def test_the_retry_delays_grow() -> None:
    assert list(notices.RETRY_DELAYS) == sorted(notices.RETRY_DELAYS)
    assert notices.RETRY_DELAYS[0] == timedelta(minutes=1)
