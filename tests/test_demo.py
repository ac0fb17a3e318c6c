"""The demo month (the shared ``demo_db``: loaded once a session) checked the way a trainer would
show it around."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_NOW, DEMO_ORDERS, DEMO_STATION
from sqlalchemy import func, select

from app import complaints, passwords, schema, settings
from app.clock import ManualClock
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.demo import MIN_ORDERS, load_demo, people
from app.errors import Conflict, InvalidInput
from app.models import (
    AuditEntry,
    Complaint,
    ComplaintGrade,
    Part,
    RepairOrder,
    RepairState,
    Role,
    SalesRecord,
    User,
)
from app.parts import issuing as parts
from app.users import authenticate, ensure_admin

NOW = DEMO_NOW
DEMO_LOGINS = {
    "admin": ("admin123", Role.ADMIN),
    "supervisor": ("demo1234", Role.SUPERVISOR),
    "receiving": ("demo1234", Role.RECEIVING_CLERK),
    "tech1": ("demo1234", Role.TECHNICIAN),
    "tech2": ("demo1234", Role.TECHNICIAN),
    "tech3": ("demo1234", Role.TECHNICIAN),
    "parts": ("demo1234", Role.PARTS_KEEPER),
    "qc": ("demo1234", Role.QC_TESTER),
    "shipping": ("demo1234", Role.SHIPPING_CLERK),
    "service": ("demo1234", Role.CUSTOMER_SERVICE),
}


def test_the_demo_month_has_orders_in_every_state(demo_db) -> None:
    db = demo_db
    with db.read() as session:
        states = set(session.scalars(select(RepairOrder.state).distinct()))
        total = session.scalar(select(func.count()).select_from(RepairOrder))
    assert states == set(RepairState)
    assert total == DEMO_ORDERS


def test_some_orders_are_late_and_some_units_came_back(demo_db) -> None:
    db = demo_db
    with db.read() as session:
        overdue = session.scalar(
            select(func.count())
            .select_from(RepairOrder)
            .where(
                RepairOrder.state.not_in((RepairState.SHIPPED, RepairState.REFUNDED)),
                RepairOrder.due_at < NOW,
            )
        )
        reworks = session.scalar(
            select(func.count()).select_from(RepairOrder).where(RepairOrder.is_rework.is_(True))
        )
    assert overdue and reworks


def test_every_demo_user_signs_in_with_the_documented_password(demo_db) -> None:
    db = demo_db
    for username, (password, role) in DEMO_LOGINS.items():
        actor = authenticate(db, username, password, station="trainer", clock=ManualClock(NOW))
        assert role in actor.roles, username
    with db.read() as session:
        badges = session.execute(
            select(User.username, User.badge_code, User.display_name).where(
                User.badge_code.is_not(None)
            )
        ).all()
    assert sorted((u, b) for u, b, _ in badges) == [
        ("tech1", "T001"),
        ("tech2", "T002"),
        ("tech3", "T003"),
    ]
    assert all(not name.isascii() for *_, name in badges)  # Chinese display names


def test_the_demo_people_keep_the_hash_create_user_made_after_the_quick_replay(demo_db) -> None:
    stored = _hashes(demo_db)
    assert set(DEMO_LOGINS) <= set(stored)
    assert {passwords.stored_cost(h) for h in stored.values()} == {passwords.scrypt_cost}
    assert passwords.scrypt_cost != people.REPLAY_SCRYPT_COST
    # During the replay the people it created sign with the quick hash; afterwards, and also
    # when the replay fails, each has the hash it had before, unchanged.
    with pytest.raises(RuntimeError), people.quick_signatures(demo_db, {"qc", "tech1"}):
        during = _hashes(demo_db)
        assert passwords.stored_cost(during["qc"]) == people.REPLAY_SCRYPT_COST
        assert during["admin"] == stored["admin"]  # not one the demo created: untouched
        raise RuntimeError("the replay failed")
    assert _hashes(demo_db) == stored


def _hashes(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {name: h for name, h in session.execute(select(User.username, User.password_hash))}


def test_the_parts_shelf_has_low_and_empty_parts_and_the_ledger_adds_up(demo_db) -> None:
    db = demo_db
    low = parts.parts_below_safety_stock(db)
    assert len(low) >= 3 and any(p.on_hand == 0 for p in low)
    with db.read() as session:
        shelf = session.scalars(select(Part)).all()
    assert 35 <= len(shelf) <= 45
    for part in shelf:
        assert part.on_hand == parts.balance_from_moves(db, part.id) >= 0, part.part_no


def test_complaints_of_every_grade_some_overdue(demo_db) -> None:
    db = demo_db
    with db.read() as session:
        grades = set(session.scalars(select(Complaint.grade).distinct()))
        contacted = session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.first_contact_at.is_not(None))
        )
    assert grades == set(ComplaintGrade)
    assert contacted and complaints.overdue_complaints(Context(db, SYSTEM_ACTOR, "test"), NOW)


def test_every_order_tells_its_story_in_the_audit_log(demo_db) -> None:
    db = demo_db
    with db.read() as session:
        received = dict(
            session.execute(
                select(AuditEntry.order_id, AuditEntry.username).where(
                    AuditEntry.action == "receive"
                )
            ).all()
        )
        order_ids = set(session.scalars(select(RepairOrder.id)))
        shippers = set(
            session.scalars(select(AuditEntry.username).where(AuditEntry.action == "ship"))
        )
        times = session.scalars(select(AuditEntry.at).order_by(AuditEntry.id)).all()
    assert set(received) == order_ids and set(received.values()) == {"receiving"}
    assert shippers == {"shipping"}
    assert times == sorted(times)  # written in the order things happened


def test_the_center_its_models_and_its_calendar_are_set_up(demo_db) -> None:
    db = demo_db
    with db.read() as session:
        name = settings.stored_row(session, "center.name")
        sold = session.scalar(select(func.count()).select_from(SalesRecord))
    assert name is not None and name.value == "星辰通讯售后维修中心"
    assert sold and sold >= 50


def test_loading_the_demo_twice_is_refused_and_changes_nothing(demo_db) -> None:
    db = demo_db
    before = _order_and_audit_counts(db)
    with pytest.raises(Conflict, match="empty database"):
        load_demo(db, station="trainer", orders=DEMO_ORDERS, now=NOW)
    assert _order_and_audit_counts(db) == before


def _order_and_audit_counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(RepairOrder)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_too_small_a_demo_is_refused(db) -> None:
    with pytest.raises(InvalidInput):
        load_demo(db, station="trainer", orders=5, now=NOW)


def test_the_demo_is_the_same_every_time(demo_db, tmp_path: Path) -> None:
    def orders(db: Database) -> list[tuple[str, str]]:
        with db.read() as session:
            rows = session.execute(
                select(RepairOrder.order_no, RepairOrder.state).order_by(RepairOrder.id)
            ).all()
        return [(no, state.value) for no, state in rows]

    again = Database(f"sqlite:///{tmp_path / 'again.db'}")
    schema.upgrade(again)
    load_demo(again, station=DEMO_STATION, orders=DEMO_ORDERS, now=NOW)
    assert orders(again) == orders(demo_db)  # the session's demo, on SQLite or PostgreSQL
    again.dispose()


def test_an_administrator_from_init_keeps_their_password(db, clock) -> None:
    ensure_admin(Context(db, SYSTEM_ACTOR, "setup", clock), "admin", "my-own-secret")
    summary = load_demo(db, station="trainer", orders=MIN_ORDERS, now=NOW)
    assert "Demo loaded" in summary and "星辰通讯售后维修中心" in summary
    assert "9 created, 1 already there" in summary
    authenticate(db, "admin", "my-own-secret", station="trainer", clock=ManualClock(NOW))
