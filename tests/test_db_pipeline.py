"""A PostgreSQL write transaction runs in psycopg's pipeline mode (app/db_pipeline.py): what it
saves is saved as outside it, a failure is the same failure, the connection goes back to the
pool out of pipeline mode, and a person signed out meanwhile hears that first. The same tests
run on SQLite, where nothing is pipelined."""

from __future__ import annotations

import pytest
from factories import add_customer, add_model, audit_count, receive, snapshot
from sqlalchemy import select, text

from app import numbering
from app.admin import users as admin_users
from app.errors import Conflict, IllegalTransition, SignedOut
from app.models import Counter, Customer, CustomerKind, Role
from app.orders import transitions as orders


def _pipelined(session) -> bool:
    return getattr(session.connection().connection.driver_connection, "_pipeline", None) is not None


def test_a_unit_of_work_with_no_change_to_broadcast_still_commits(db, clock) -> None:
    # No ORM object changes, so no NOTIFY goes before the COMMIT: the COMMIT is sent anyway.
    with db.transaction() as session:
        first = numbering.next_number(session, "ZZ", clock.now())
        assert _pipelined(session) is (not db.is_sqlite)
    with db.transaction() as session:
        second = numbering.next_number(session, "ZZ", clock.now())
    assert (first[-4:], second[-4:]) == ("0001", "0002")
    with db.read() as session:
        assert session.scalar(select(Counter.value).where(Counter.name == first[:-4])) == 2


def test_a_failed_statement_rolls_back_and_the_connection_serves_the_next(db, admin) -> None:
    customer = add_customer(db, admin)
    with pytest.raises(Conflict):  # the primary key taken: refused by the database
        with db.transaction() as session:
            session.add(Customer(name="新客户", kind=CustomerKind.DEALER, created_at=admin.now()))
            session.flush()
            session.execute(
                text(
                    "INSERT INTO customers (id, kind, name, created_at) "
                    "SELECT id, kind, name, created_at FROM customers WHERE id = :id"
                ),
                {"id": customer},
            )
    with db.read() as session:
        assert not _pipelined(session)  # the pool got it back out of pipeline mode
        assert session.scalar(select(Customer.id).where(Customer.name == "新客户")) is None
    with db.transaction() as session:
        session.add(Customer(name="新客户", kind=CustomerKind.DEALER, created_at=admin.now()))
    with db.read() as session:
        assert session.scalar(select(Customer.id).where(Customer.name == "新客户")) is not None


def test_a_person_signed_out_hears_that_before_what_their_write_ran_into(
    db, admin, make_user
) -> None:
    add_model(db)
    order_id = receive(admin, add_customer(db, admin), 1).order_id
    boss = make_user(Role.SUPERVISOR, username="boss")
    with pytest.raises(IllegalTransition):  # nothing asked: the order is not pending approval
        orders.approve_special(boss, order_id)
    admin_users.disable_user(
        admin, boss.user_id, expected_version=admin_users.user_version(admin, boss.user_id)
    )
    before = (snapshot(db, order_id), audit_count(db))
    with pytest.raises(SignedOut):
        orders.approve_special(boss, order_id)
    assert (snapshot(db, order_id), audit_count(db)) == before


@pytest.mark.parametrize("guarded", [False, True])
def test_a_unit_of_work_with_no_statement_leaves_the_pipeline(db, admin, guarded) -> None:
    with (admin.db if guarded else db).transaction():
        pass  # guarded: the live account check alone, read before the commit
    with db.read() as session:
        assert not _pipelined(session)
        assert session.scalar(text("SELECT 1")) == 1


def test_without_pipeline_mode_in_libpq_every_statement_waits_and_saves_the_same(
    db, admin, monkeypatch
) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL's driver")
    import psycopg

    monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    with admin.db.transaction() as session:
        session.add(Customer(name="无流水线", kind=CustomerKind.DEALER, created_at=admin.now()))
        assert not _pipelined(session)
    with db.read() as session:
        assert session.scalar(select(Customer.id).where(Customer.name == "无流水线")) is not None
