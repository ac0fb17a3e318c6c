"""Notices to customers (短信): an outbox in the database, filled from templates per event.

Seed 003 5、及時回報原則: 「及時(6小時內,下班前)將處理進度告知客戶(電話、短信為佳)」; seed 001
二(二): 「考評完全滿意,發送[滿意感謝短信]」. Events: the unit received, waiting for parts longer
than N days, shipped (carrier and waybill), complaint progress (when it is taken, and before each
of its deadlines), thank-you after a fully satisfied survey.

Each event's notice is queued once (``event_key`` is unique). A customer who has not consented,
or who opted out, gets nothing: the notice is kept as *withheld* (what would have been said, and
why not). Sending (:mod:`app.complaints.sending`) only takes *queued* notices; without a provider
configured the outbox is the list of messages to send by hand.
"""

from __future__ import annotations

import enum
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, NotFound
from app.models import Customer, Notice, NoticeConsent, NoticeTemplate
from app.permissions import Permission


class NoticeEvent(enum.StrEnum):
    RECEIVED = "received"
    WAITING_PARTS = "waiting_parts"
    SHIPPED = "shipped"
    COMPLAINT_PROGRESS = "complaint_progress"
    THANKS = "thanks"


class NoticeStatus(enum.StrEnum):
    QUEUED = "queued"  # to send (by the provider, or by hand when there is none)
    SENT = "sent"  # the provider took it
    DELIVERED = "delivered"  # the provider reports it reached the phone
    FAILED = "failed"  # the provider refused it for good, or every retry failed
    BY_HAND = "by_hand"  # sent by hand from the outbox
    WITHHELD = "withheld"  # no consent, opted out, or no phone: never sent


EVENT_LABELS = {
    NoticeEvent.RECEIVED: N_("Unit received"),
    NoticeEvent.WAITING_PARTS: N_("Waiting for parts"),
    NoticeEvent.SHIPPED: N_("Shipped"),
    NoticeEvent.COMPLAINT_PROGRESS: N_("Complaint progress"),
    NoticeEvent.THANKS: N_("Thank-you"),
}
STATUS_LABELS = {
    NoticeStatus.QUEUED: N_("To send"),
    NoticeStatus.SENT: N_("Sent"),
    NoticeStatus.DELIVERED: N_("Delivered"),
    NoticeStatus.FAILED: N_("Failed"),
    NoticeStatus.BY_HAND: N_("Sent by hand"),
    NoticeStatus.WITHHELD: N_("Withheld"),
}


# --- consent ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    customer_id: int
    consented_at: datetime | None
    opted_out_at: datetime | None
    version: int  # 0: nothing recorded yet

    @property
    def may_text(self) -> bool:
        return self.consented_at is not None and self.opted_out_at is None


def consent_of(ctx: Context, customer_id: int) -> Consent:
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.read() as session:
        row = session.get(NoticeConsent, customer_id)
    if row is None:
        return Consent(customer_id, None, None, 0)
    return Consent(customer_id, row.consented_at, row.opted_out_at, row.version)


def record_consent(ctx: Context, customer_id: int, *, consents: bool, expected_version: int) -> int:
    """The customer agrees to text messages (consents) or opts out; returns the new version
    (``expected_version`` 0: nothing was recorded when the form loaded)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        if session.get(Customer, customer_id) is None:
            raise NotFound(N_("Choose the customer who complains."))
        row = session.scalar(
            select(NoticeConsent).where(NoticeConsent.customer_id == customer_id).with_for_update()
        )
        versions.check(
            session,
            row.version if row else 0,
            expected_version,
            N_("The customer's consent"),
            entity="customer",
            entity_id=customer_id,
        )
        now = ctx.now()
        if row is None:
            row = NoticeConsent(customer_id=customer_id, recorded_by_id=ctx.user_id)
            session.add(row)
        before = {"consented_at": row.consented_at, "opted_out_at": row.opted_out_at}
        if consents:
            row.consented_at, row.opted_out_at = now, None
        else:
            row.opted_out_at = now
        row.recorded_by_id = ctx.user_id
        audit.record(
            session,
            ctx,
            AuditAction.NOTICE_CONSENT,
            "customer",
            customer_id,
            before=before,
            after={"consents": consents},
        )
        session.flush()
        return row.version


# --- queueing --------------------------------------------------------------------------------


def render(template: str, params: dict[str, Any]) -> str:
    """The template with its fields filled; a field the event does not give stays empty."""
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    return template.format(**{name: params.get(name, "") for name in names})


def queue_in(
    session: Session,
    ctx: Context,
    *,
    event: NoticeEvent,
    event_key: str,
    customer_id: int,
    params: dict[str, Any],
) -> Notice | None:
    """Queue the event's notice in the caller's transaction; None when this event already has
    its notice or its template is switched off. Withheld without consent or a phone."""
    if session.scalar(select(Notice.id).where(Notice.event_key == event_key)) is not None:
        return None
    template = session.scalar(select(NoticeTemplate).where(NoticeTemplate.event == event.value))
    if template is None or not template.active:
        return None
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(N_("There is no customer with id {id}."), id=customer_id)
    consent = session.get(NoticeConsent, customer_id)
    status, why = NoticeStatus.QUEUED, None
    if consent is None or consent.consented_at is None:
        status, why = NoticeStatus.WITHHELD, "no consent"
    elif consent.opted_out_at is not None:
        status, why = NoticeStatus.WITHHELD, "opted out"
    elif not customer.phone:
        status, why = NoticeStatus.WITHHELD, "no phone"
    now = ctx.now()
    clean = {key: str(value) for key, value in params.items()}
    notice = Notice(
        event=event.value,
        event_key=event_key,
        customer_id=customer_id,
        phone=customer.phone,
        text=render(template.text, clean)[:500],
        template_code=template.template_code,
        params=clean,
        status=status.value,
        attempts=0,
        next_attempt_at=now if status is NoticeStatus.QUEUED else None,
        last_error=why,
        created_at=now,
    )
    session.add(notice)
    session.flush()
    audit.record(
        session,
        ctx,
        AuditAction.NOTICE_QUEUED,
        "notice",
        notice.id,
        after={"event": event.value, "status": status.value},
        detail=why,
    )
    return notice


# --- the outbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    id: int
    event: NoticeEvent
    customer_name: str
    phone: str | None
    text: str
    status: NoticeStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    version: int


def outbox(
    ctx: Context, *, statuses: tuple[NoticeStatus, ...] = (), limit: int = 500
) -> list[OutboxRow]:
    """The notices, newest first (only those in ``statuses`` when given)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    query = (
        select(
            Notice.id,
            Notice.event,
            Customer.name,
            Notice.phone,
            Notice.text,
            Notice.status,
            Notice.attempts,
            Notice.last_error,
            Notice.created_at,
            Notice.sent_at,
            Notice.version,
        )
        .join(Customer, Customer.id == Notice.customer_id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(Notice.status.in_([s.value for s in statuses]))
    with ctx.db.read() as session:
        return [
            OutboxRow(
                nid,
                NoticeEvent(event),
                name,
                phone,
                text,
                NoticeStatus(status),
                attempts,
                error,
                created,
                sent,
                version,
            )
            for nid, event, name, phone, text, status, attempts, error, created, sent, version in (
                session.execute(query)
            )
        ]


def mark_sent_by_hand(ctx: Context, notice_id: int, *, expected_version: int) -> int:
    """Customer service sent it from its own phone (no provider configured, or it failed)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        notice = session.scalar(select(Notice).where(Notice.id == notice_id).with_for_update())
        if notice is None:
            raise NotFound(N_("There is no notice with id {id}."), id=notice_id)
        versions.check(
            session,
            notice.version,
            expected_version,
            N_("The notice"),
            entity="notice",
            entity_id=notice.id,
        )
        if notice.status not in (NoticeStatus.QUEUED, NoticeStatus.FAILED):
            raise Conflict(N_("This notice was already sent or is withheld."))
        before = {"status": notice.status}
        notice.status, notice.sent_at, notice.next_attempt_at = (
            NoticeStatus.BY_HAND.value,
            ctx.now(),
            None,
        )
        audit.record(
            session,
            ctx,
            AuditAction.NOTICE_SENT_BY_HAND,
            "notice",
            notice.id,
            before=before,
            after={"status": notice.status},
        )
        session.flush()
        return notice.version


RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
