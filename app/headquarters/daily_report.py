"""Each station's daily report (日报), made from the data — no file is sent (seed 000: a
complaint's result is reported to headquarters the same day, 当天处理结果当天上报).

For one center and one day, the center's local day (its ``center.time_zone``; "today" from
``ctx.now()``, which in the application is the database server's clock, ``DatabaseClock``):

- every complaint handled that day (an audit row of the complaint that day, or headquarters'
  answer to its escalation that day) with what was done that day and where it stands: status,
  the result (outcome, remedy chosen or the last answer given), headquarters' answer;
- the day's figures: orders received and shipped, units in QC and open orders past due at the
  day's end (or now, for today: read from the orders' and QC runs' times, so a past day is
  counted as it stood then), complaints received and valid ones, follow-up calls made and still
  due.

A station reads its own center (VIEW_LEDGERS); headquarters reads every center's report of the
day in its network view, one grouped statement per figure for all centers of a time zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app import settings
from app.audit_actions import AuditAction
from app.centers import network_view
from app.context import Context
from app.headquarters.figures import require_headquarters
from app.models import (
    AgingRun,
    AuditEntry,
    Center,
    Complaint,
    ComplaintCategory,
    ComplaintGrade,
    ComplaintStatus,
    Customer,
    Escalation,
    EscalationDecision,
    EscalationReply,
    FollowUp,
    RepairOrder,
    RepairState,
    Setting,
    User,
)
from app.permissions import Permission
from app.states import TERMINAL_STATES

OPEN_STATES = tuple(state for state in RepairState if state not in TERMINAL_STATES)


@dataclass(frozen=True)
class DayFigures:
    received: int = 0
    shipped: int = 0
    in_qc: int = 0  # at the day's end (now, for today)
    overdue: int = 0  # open orders past due at the day's end
    complaints: int = 0  # received that day
    valid_complaints: int = 0  # of those, valid (有效投诉)
    follow_ups_done: int = 0
    follow_ups_open: int = 0  # due by the day's end, not made by then


@dataclass(frozen=True)
class ComplaintResult:
    """A complaint handled that day and where it stood at the report."""

    complaint_no: str
    received_at: datetime
    customer: str
    grade: ComplaintGrade
    category: ComplaintCategory
    is_valid: bool
    status: ComplaintStatus
    done: tuple[AuditAction, ...]  # what was done that day, in order
    result: str  # the outcome, the remedy chosen or the last answer given
    hq_decision: EscalationDecision | None = None
    hq_answer: str | None = None


@dataclass(frozen=True)
class DailyReport:
    center_id: int
    code: str
    name: str
    day: date
    zone: ZoneInfo
    made_at: datetime
    figures: DayFigures
    complaints: list[ComplaintResult] = field(default_factory=list)


@dataclass(frozen=True)
class _Window:
    start: datetime
    end: datetime
    cut: datetime  # the day's end, or now for today


def _window(day: date, zone: ZoneInfo, now: datetime) -> _Window:
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return _Window(start, end, min(end, now))


def _between(column: Any, w: _Window) -> ColumnElement[bool]:
    return and_(column >= w.start, column < w.end)


def _counts(
    session: Session, model: type, centers: list[int], *where: ColumnElement[bool]
) -> dict[int, int]:
    column = model.center_id  # type: ignore[attr-defined]
    query = select(column, func.count()).where(column.in_(centers), *where).group_by(column)
    return {center: int(count) for center, count in session.execute(query)}


def _figures(session: Session, centers: list[int], w: _Window) -> dict[int, DayFigures]:
    """Every figure of the day for these centers (one zone), one grouped statement each."""
    order_open_at_cut = or_(
        and_(RepairOrder.shipped_at.is_(None), RepairOrder.state.in_(OPEN_STATES)),
        RepairOrder.shipped_at > w.cut,
    )
    counted = {
        "received": _counts(session, RepairOrder, centers, _between(RepairOrder.received_at, w)),
        "shipped": _counts(session, RepairOrder, centers, _between(RepairOrder.shipped_at, w)),
        "in_qc": _counts(
            session,
            AgingRun,
            centers,
            AgingRun.received_at <= w.cut,
            or_(AgingRun.signed_at.is_(None), AgingRun.signed_at > w.cut),
        ),
        "overdue": _counts(
            session,
            RepairOrder,
            centers,
            RepairOrder.due_at < w.cut,
            RepairOrder.received_at <= w.cut,
            order_open_at_cut,
        ),
        "complaints": _counts(session, Complaint, centers, _between(Complaint.received_at, w)),
        "valid_complaints": _counts(
            session,
            Complaint,
            centers,
            _between(Complaint.received_at, w),
            Complaint.is_valid.is_(True),
        ),
        "follow_ups_done": _counts(session, FollowUp, centers, _between(FollowUp.done_at, w)),
        "follow_ups_open": _counts(
            session,
            FollowUp,
            centers,
            FollowUp.due_at < w.end,
            or_(FollowUp.done_at.is_(None), FollowUp.done_at > w.cut),
        ),
    }
    return {
        center: DayFigures(**{name: values.get(center, 0) for name, values in counted.items()})
        for center in centers
    }


def _complaints(
    session: Session, centers: list[int], w: _Window
) -> dict[int, list[ComplaintResult]]:
    """The complaints handled that day, per center, in the order they were received."""
    done: dict[tuple[int, str], list[AuditAction]] = defaultdict(list)
    steps = (
        select(AuditEntry.center_id, AuditEntry.entity_id, AuditEntry.action)
        .where(
            _between(AuditEntry.at, w),
            AuditEntry.at <= w.cut,
            AuditEntry.entity == "complaint",
            AuditEntry.center_id.in_(centers),
        )
        .order_by(AuditEntry.id)
    )
    for center, number, action in session.execute(steps):
        actions = done[(center, str(number))]
        if AuditAction(action) not in actions:
            actions.append(AuditAction(action))
    answered = session.execute(
        select(Escalation.center_id, Complaint.complaint_no)
        .join(EscalationReply, EscalationReply.escalation_id == Escalation.id)
        .join(Complaint, Complaint.id == Escalation.complaint_id)
        .where(_between(EscalationReply.answered_at, w), Escalation.center_id.in_(centers))
    ).all()
    for center, number in answered:
        done.setdefault((center, number), [])
    if not done:
        return {}
    numbers = {number for _, number in done}
    answers = _last_answers(session, centers, numbers, w)
    replies = _last_replies(session, centers, numbers, w)
    query = (
        select(Complaint, Customer.name)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(Complaint.center_id.in_(centers), Complaint.complaint_no.in_(numbers))
        .order_by(Complaint.received_at, Complaint.id)
    )
    found: dict[int, list[ComplaintResult]] = defaultdict(list)
    for complaint, customer in session.execute(query):
        key = (complaint.center_id, complaint.complaint_no)
        if key not in done:
            continue
        decision, note = replies.get(key, (None, None))
        result = (
            complaint.close_reason
            if complaint.status is ComplaintStatus.CLOSED and complaint.close_reason
            else complaint.outcome or complaint.chosen_remedy or answers.get(key) or ""
        )
        found[complaint.center_id].append(
            ComplaintResult(
                complaint.complaint_no,
                complaint.received_at,
                customer,
                complaint.grade,
                complaint.category,
                complaint.is_valid,
                complaint.status,
                tuple(done[key]),
                result,
                decision,
                note,
            )
        )
    return found


def _last_answers(
    session: Session, centers: list[int], numbers: Iterable[str], w: _Window
) -> dict[tuple[int, str], str]:
    """The answer given to each customer (kept in the answer's audit row)."""
    rows = session.execute(
        select(AuditEntry.center_id, AuditEntry.entity_id, AuditEntry.detail)
        .where(
            AuditEntry.entity == "complaint",
            AuditEntry.entity_id.in_(list(numbers)),
            AuditEntry.action == AuditAction.COMPLAINT_ANSWER.value,
            AuditEntry.center_id.in_(centers),
            AuditEntry.at <= w.cut,
        )
        .order_by(AuditEntry.id)
    )
    return {(center, str(number)): detail for center, number, detail in rows if detail}


def _last_replies(
    session: Session, centers: list[int], numbers: Iterable[str], w: _Window
) -> dict[tuple[int, str], tuple[EscalationDecision | None, str | None]]:
    """Headquarters' latest answer to each complaint's escalation, given by the report's time."""
    rows = session.execute(
        select(
            Escalation.center_id,
            Complaint.complaint_no,
            EscalationReply.decision,
            EscalationReply.note,
        )
        .join(EscalationReply, EscalationReply.escalation_id == Escalation.id)
        .join(Complaint, Complaint.id == Escalation.complaint_id)
        .where(
            Escalation.center_id.in_(centers),
            Complaint.complaint_no.in_(list(numbers)),
            EscalationReply.answered_at <= w.cut,
        )
        .order_by(Escalation.id)
    )
    return {(center, number): (decision, note) for center, number, decision, note in rows}


def _zones(session: Session, centers: Sequence[int]) -> dict[int, ZoneInfo]:
    """Each center's time zone setting (the default where a center never saved one)."""
    stored: dict[int, Any] = dict(
        session.execute(
            select(Setting.center_id, Setting.value).where(
                Setting.key == settings.CENTER_TIME_ZONE.key, Setting.center_id.in_(centers)
            )
        ).all()
    )
    return {
        center: ZoneInfo(settings.stored_value(settings.CENTER_TIME_ZONE, stored.get(center)))
        for center in centers
    }


def read_reports(
    session: Session, centers: Sequence[Center], now: datetime, day: date | None = None
) -> list[DailyReport]:
    """The daily report of each center (``day``: the center's today when None)."""
    zones = _zones(session, [center.id for center in centers])
    by_window: dict[_Window, list[int]] = defaultdict(list)
    window_of = {}
    for center in centers:
        zone = zones[center.id]
        window = _window(day or now.astimezone(zone).date(), zone, now)
        by_window[window].append(center.id)
        window_of[center.id] = window
    figures: dict[int, DayFigures] = {}
    complaints: dict[int, list[ComplaintResult]] = {}
    for window, ids in by_window.items():
        figures |= _figures(session, ids, window)
        complaints |= _complaints(session, ids, window)
    return [
        DailyReport(
            center.id,
            center.code,
            center.name,
            window_of[center.id].start.date(),
            zones[center.id],
            now,
            figures[center.id],
            complaints.get(center.id, []),
        )
        for center in centers
    ]


def station_report(ctx: Context, day: date | None = None) -> DailyReport:
    """The signed-in person's center's daily report (``day``: today, the center's local day)."""
    ctx.require(Permission.VIEW_LEDGERS)
    now = ctx.now()
    with ctx.db.read() as session:
        center = session.scalar(
            select(Center).join(User, User.center_id == Center.id).where(User.id == ctx.user_id)
        )
        assert center is not None  # every user has a home center
        [report] = read_reports(session, [center], now, day)
    return report


def network_reports(ctx: Context, day: date | None = None) -> list[DailyReport]:
    """Every active center's daily report, for headquarters."""
    require_headquarters(ctx)
    now = ctx.now()
    with ctx.db.read() as session:
        network_view(session)
        centers = list(
            session.scalars(select(Center).where(Center.active.is_(True)).order_by(Center.code))
        )
        return read_reports(session, centers, now, day)
