"""Sending the outbox: through the provider the administrator configured, with retries, never
holding a transaction while the provider answers.

A pass claims the due notices (status queued, ``next_attempt_at`` passed) by moving their next
attempt a lease ahead and counting the attempt, in one short transaction; then calls the
provider; then records each answer in a transaction of its own: taken → *sent* (with the
provider's id), a failure worth retrying → queued again after the next delay of
:data:`~app.complaints.notices.RETRY_DELAYS`, a refusal or the last attempt → *failed* (listed
for sending by hand). A station that dies mid-pass leaves its notices claimed for the lease only:
the next pass takes them again, so nothing is lost (a message may reach the phone twice, never
zero times). Nothing is sent while no provider is configured: :func:`configured_provider` is
None and the outbox is the list to send by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app import audit, care_settings, credentials, settings
from app.audit_actions import AuditAction
from app.complaints.notices import MAX_ATTEMPTS, RETRY_DELAYS, NoticeStatus
from app.complaints.sms import AliyunSms, Delivery, SendResult
from app.context import Context
from app.models import Notice
from app.permissions import Permission

LEASE = timedelta(minutes=5)
BATCH = 50
ALIYUN_SECRET_NAME = "aliyun_sms_access_key_secret"


def configured_provider(ctx: Context) -> Delivery | None:
    """The provider the settings name, with its secret from this station; None when there is
    none (or this station does not hold the secret)."""
    with ctx.db.read() as session:
        kind = settings.get(session, care_settings.NOTICE_PROVIDER)
        key_id = settings.get(session, care_settings.ALIYUN_ACCESS_KEY_ID)
        sign_name = settings.get(session, care_settings.ALIYUN_SIGN_NAME)
        endpoint = settings.get(session, care_settings.ALIYUN_ENDPOINT)
    if kind != care_settings.ALIYUN or not key_id or not sign_name:
        return None
    secret = credentials.secret(ALIYUN_SECRET_NAME)
    if not secret:
        return None
    return AliyunSms(key_id, secret, sign_name, endpoint=endpoint)


@dataclass(frozen=True)
class PassReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    delivered: int = 0


@dataclass(frozen=True)
class _Claimed:
    id: int
    phone: str
    template_code: str | None
    params: dict[str, str]
    text: str
    attempts: int


def _claim(ctx: Context) -> list[_Claimed]:
    now = ctx.now()
    with ctx.db.transaction() as session:
        notices = session.scalars(
            select(Notice)
            .where(Notice.status == NoticeStatus.QUEUED.value, Notice.next_attempt_at <= now)
            .order_by(Notice.next_attempt_at, Notice.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for notice in notices:
            notice.attempts += 1
            notice.next_attempt_at = now + LEASE
            claimed.append(
                _Claimed(
                    notice.id,
                    notice.phone or "",
                    notice.template_code,
                    dict(notice.params),
                    notice.text,
                    notice.attempts,
                )
            )
        return claimed


def _record(ctx: Context, claimed: _Claimed, result: SendResult) -> str:
    now = ctx.now()
    with ctx.db.transaction() as session:
        notice = session.get(Notice, claimed.id, with_for_update=True)
        if notice is None or notice.status != NoticeStatus.QUEUED.value:
            return "gone"  # sent by hand meanwhile
        before = {"status": notice.status, "attempts": claimed.attempts}
        if result.accepted:
            notice.status, notice.sent_at = NoticeStatus.SENT.value, now
            notice.provider_ref, notice.next_attempt_at, notice.last_error = result.ref, None, None
            action, outcome = AuditAction.NOTICE_SENT, "sent"
        elif result.retry and claimed.attempts < MAX_ATTEMPTS:
            notice.next_attempt_at = now + RETRY_DELAYS[claimed.attempts - 1]
            notice.last_error = result.error
            action, outcome = AuditAction.NOTICE_FAILED, "retrying"
        else:
            notice.status, notice.next_attempt_at = NoticeStatus.FAILED.value, None
            notice.last_error = result.error
            action, outcome = AuditAction.NOTICE_FAILED, "failed"
        audit.record(
            session,
            ctx,
            action,
            "notice",
            notice.id,
            before=before,
            after={"status": notice.status, "ref": notice.provider_ref},
            detail=result.error,
        )
        return outcome


def send_due(ctx: Context, provider: Delivery) -> PassReport:
    """One pass over the due notices (run off the UI thread: the provider answers slowly)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for claimed in _claim(ctx):
        try:
            result = provider.send(
                claimed.phone, claimed.template_code, claimed.params, claimed.text
            )
        except Exception as error:  # a provider's bug must not strand the claimed notice
            result = SendResult(False, error=f"{type(error).__name__}: {error}"[:500], retry=True)
        outcome = _record(ctx, claimed, result)
        if outcome in counts:
            counts[outcome] += 1
    return PassReport(**counts)


def refresh_deliveries(ctx: Context, provider: Delivery, *, limit: int = BATCH) -> int:
    """Ask the provider about sent notices; returns how many are now known delivered."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        sent = session.execute(
            select(Notice.id, Notice.phone, Notice.provider_ref, Notice.sent_at)
            .where(Notice.status == NoticeStatus.SENT.value, Notice.provider_ref.is_not(None))
            .order_by(Notice.sent_at)
            .limit(limit)
        ).all()
    delivered = 0
    for notice_id, phone, ref, sent_at in sent:
        answer = provider.delivery(phone or "", ref or "", sent_at or ctx.now())
        if answer is None:
            continue
        with ctx.db.transaction() as session:
            notice = session.get(Notice, notice_id, with_for_update=True)
            if notice is None or notice.status != NoticeStatus.SENT.value:
                continue
            if answer:
                notice.status, notice.delivered_at = NoticeStatus.DELIVERED.value, ctx.now()
                delivered += 1
            else:
                notice.status, notice.last_error = NoticeStatus.FAILED.value, "not delivered"
            audit.record(
                session,
                ctx,
                AuditAction.NOTICE_SENT if answer else AuditAction.NOTICE_FAILED,
                "notice",
                notice.id,
                after={"status": notice.status},
            )
    return delivered
