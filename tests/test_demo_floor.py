"""The demo looks like a floor someone runs well: most open orders on time and a few late, the
rack aging or just finished, the calls made, few complaints against the center; and its summary
prints those fractions."""

from __future__ import annotations

from datetime import timedelta

from conftest import DEMO_NOW
from sqlalchemy import func, select

from app.clock import ManualClock
from app.context import SYSTEM_ACTOR, Context
from app.demo.summary import summarise
from app.ledgers.tiles import Tile, tile_figures
from app.models import AgingRun, FollowUp, RepairOrder, RepairState
from app.states import OPEN_STATES


def test_most_open_orders_are_on_time_and_a_few_are_late(demo_db) -> None:
    with demo_db.read() as session:
        open_orders = session.scalar(
            select(func.count()).select_from(RepairOrder).where(RepairOrder.state.in_(OPEN_STATES))
        )
    figures = {f.tile: f.count for f in tile_figures(Context(demo_db, SYSTEM_ACTOR, "t"), DEMO_NOW)}
    assert 0 < figures[Tile.OVERDUE_ORDERS] < open_orders / 2
    assert figures[Tile.COMPLAINTS_LATE] >= 1  # something for the watch list


def test_no_unit_sits_on_the_rack_long_past_its_aging(demo_db) -> None:
    with demo_db.read() as session:
        runs = session.execute(
            select(AgingRun.started_at, AgingRun.required_minutes)
            .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
            .where(RepairOrder.state == RepairState.IN_QC, AgingRun.result.is_(None))
        ).all()
    assert runs
    for started, minutes in runs:
        assert started + timedelta(minutes=minutes) > DEMO_NOW - timedelta(hours=4)


def test_the_calls_due_are_made(demo_db) -> None:
    with demo_db.read() as session:
        due = session.scalar(
            select(func.count()).select_from(FollowUp).where(FollowUp.due_at < DEMO_NOW)
        )
        made = session.scalar(
            select(func.count())
            .select_from(FollowUp)
            .where(FollowUp.due_at < DEMO_NOW, FollowUp.done_at.is_not(None))
        )
    assert due and made / due >= 0.9


def test_few_complaints_count_against_the_center(demo_db) -> None:
    figures = {f.tile: f for f in tile_figures(Context(demo_db, SYSTEM_ACTOR, "t"), DEMO_NOW)}
    valid = figures[Tile.VALID_COMPLAINTS]
    assert valid.limit is not None and valid.count <= valid.limit + 1


def test_the_summary_prints_the_floor_with_its_fractions(demo_db) -> None:
    text = summarise(
        demo_db, DEMO_NOW, users_created=0, users_kept=10, seconds=1.0, sales_records=0
    )
    for line in ("open orders overdue:", "in QC past aging end:", "follow-up calls made:"):
        assert line in text
    assert "%)" in text


def test_customer_care_has_its_month_too(demo_db) -> None:
    """Staff in a department tree, the surveys of the calls, the notices sent by hand each
    afternoon, penalty lines of a valid complaint closed, and customers under watch, one of
    them back with a unit and flagged for customer service."""
    from app.audit_actions import AuditAction
    from app.complaints import accountability, watchlist
    from app.complaints.notices import NoticeStatus
    from app.complaints.people import chain_of
    from app.models import AuditEntry, Consequence, Notice, StaffMember, SurveyAnswer

    ctx = Context(demo_db, SYSTEM_ACTOR, "t", ManualClock(DEMO_NOW))
    with demo_db.read() as session:
        technician = session.scalar(select(StaffMember.id).where(StaffMember.code == "T001"))
        chain = [p.code for p in chain_of(session, technician)]
        surveys = session.scalar(select(func.count()).select_from(SurveyAnswer))
        reached_after_repair = session.scalar(
            select(func.count())
            .select_from(FollowUp)
            .where(FollowUp.complaint_id.is_(None), FollowUp.reached.is_(True))
        )
        statuses = dict(
            session.execute(select(Notice.status, func.count()).group_by(Notice.status)).all()
        )
        oldest_queued = session.scalar(
            select(func.min(Notice.created_at)).where(Notice.status == NoticeStatus.QUEUED)
        )
        lines = session.scalar(select(func.count()).select_from(Consequence))
        flagged = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.WATCHED_CUSTOMER_BACK.value)
        )
    assert chain == ["S001", "GM01"]  # 维修部's head, then 总经理室's
    assert surveys == reached_after_repair > 0
    assert statuses[NoticeStatus.BY_HAND] > statuses.get(NoticeStatus.QUEUED, 0) > 0
    assert statuses[NoticeStatus.WITHHELD] > 0  # customers who never consented
    assert oldest_queued is not None and DEMO_NOW - oldest_queued < timedelta(days=4)
    assert lines > 0
    month = accountability.sheet(ctx, accountability.month_of(DEMO_NOW))
    assert len(month.lines) == lines and month.approved_at is None
    assert watchlist.watched_customers(ctx) and flagged > 0


def test_the_quality_page_divides_returns_by_the_units_sold_not_by_the_returns(demo_db) -> None:
    """The register lists every unit sold: a cohort returns a few per mille a month, and every
    repaired unit the register knows is among the sold (not 100 % of a model coming back)."""
    from app.demo.data import MODELS
    from app.quality import rates
    from app.users import actor_for_username

    ctx = Context(demo_db, actor_for_username(demo_db, "supervisor"), "t", ManualClock(DEMO_NOW))
    today = DEMO_NOW.date()
    rows = rates.overview(ctx, today.replace(year=today.year - 1), today)
    assert {row.model_code for row in rows} == {model.code for model in MODELS}
    for row in rows:
        assert row.sold > 100 * row.returned > 0, row
    assert sum(row.returned for row in rows) > 5 * sum(row.unknown_population for row in rows)
