"""Parts between centers. PostgreSQL, as the tables' owner (the roles' side is
tests/test_parts_transfer_rls.py): a transfer is a move out and a move in, one document, both
ledgers balanced and equal to the parts rows; a refusal writes nothing; two transfers of the last
units at once never oversell. SQLite (one center; centers may exist as rows): a transfer is
refused and writes nothing; headquarters' stock and shortages read the same on both."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic import command
from factories import add_customer, add_model, move_users, receive, stock_row
from sqlalchemy import func, inspect, select, text

from app import schema
from app.admin.network import add_center
from app.context import Context
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.headquarters.stock import network_ledger, network_stock
from app.models import (
    AuditEntry,
    CenterKind,
    MoveKind,
    Part,
    PartMaster,
    PartWait,
    Role,
    StockMove,
)
from app.parts.issuing import receive_stock
from app.parts.transfer import transfer_parts

FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture
def network(db, make_user: Callable[..., Context]) -> dict:
    """Center 1 (C1) stocks five screens; B (a station) none; HQ's boss and C1's keeper."""
    model = add_model(db)
    b = add_center(db, "B", "特约站 B", CenterKind.AUTHORISED_STATION)
    hq = add_center(db, "HQ", "服务管理部", CenterKind.HEADQUARTERS)
    keeper = make_user(Role.PARTS_KEEPER, username="keeper")
    boss = make_user(Role.SUPERVISOR, username="hq-boss")
    with db.transaction() as session:
        move_users(session, [boss.user_id], hq)
        part = stock_row(
            part_no="SCR-X1",
            name="屏幕总成",
            unit_cost_cents=12000,
            sale_price_cents=18000,
            safety_stock=1,
            fits=[model],
        )
        session.add(part)
        session.flush()
        part_id = part.id
    receive_stock(keeper, part_id, 5, document_no="PO-1")
    return {"c1": 1, "b": b, "hq": hq, "keeper": keeper, "boss": boss, "part": part_id}


@pytest.fixture
def server(db, network) -> dict:
    if db.is_sqlite:
        pytest.skip("a transfer needs the network's server: SQLite is one center (refused)")
    return network


def _stock(db) -> dict[int, int]:
    with db.read() as session:
        return dict(
            session.execute(
                select(Part.center_id, Part.on_hand).where(Part.part_no == "SCR-X1")
            ).all()
        )


def _written(db) -> tuple[int, int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Part)) or 0,
            session.scalar(select(func.count()).select_from(StockMove)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def _assert_ledgers_balanced(boss: Context) -> None:
    lines = network_ledger(boss, FAR_PAST, FAR_FUTURE)
    assert lines
    for line in lines:
        assert line.balanced and line.matches_stock, line


@pytest.mark.usefixtures("server")
def test_a_transfer_is_a_move_out_and_a_move_in_both_ledgers_balanced(db, network) -> None:
    b = network["b"]
    done = transfer_parts(network["boss"], "SCR-X1", 1, b, 3, note="B 缺屏")
    assert (done.sent_balance, done.received_balance) == (2, 3)
    assert _stock(db) == {1: 2, b: 3}
    with db.read() as session:
        moves = session.scalars(
            select(StockMove).where(
                StockMove.kind.in_((MoveKind.TRANSFER_OUT, MoveKind.TRANSFER_IN))
            )
        ).all()
        assert sorted((m.center_id, m.kind, m.quantity, m.balance_after) for m in moves) == [
            (1, MoveKind.TRANSFER_OUT, -3, 2),
            (b, MoveKind.TRANSFER_IN, 3, 3),
        ]
        assert {m.document_no for m in moves} == {done.document_no}
        assert {(m.center_id, m.peer_center_id) for m in moves} == {(1, b), (b, 1)}
        assert all(m.unit_cost_cents == 12000 and m.reason == "B 缺屏" for m in moves)
        made = session.scalar(select(Part).where(Part.center_id == b))
        assert made is not None and (made.name, made.sale_price_cents) == ("屏幕总成", 18000)
        # the receiver's new stock row is of the same master part: nothing copied
        assert made.safety_stock == 0 and len(made.fits) == 1
        assert session.scalar(select(func.count()).select_from(PartMaster)) == 1
        audited = session.execute(
            select(AuditEntry.center_id, AuditEntry.action, AuditEntry.after).where(
                AuditEntry.action.in_(("transfer_out", "transfer_in"))
            )
        ).all()
    assert sorted((center, action) for center, action, _ in audited) == [
        (1, "transfer_out"),
        (b, "transfer_in"),
    ]
    assert all(after["document_no"] == done.document_no for *_, after in audited)
    _assert_ledgers_balanced(network["boss"])
    again = transfer_parts(network["boss"], "SCR-X1", b, 1, 1)  # back: into the existing row
    assert (again.sent_balance, again.received_balance) == (2, 3)
    assert _stock(db) == {1: 3, b: 2}
    _assert_ledgers_balanced(network["boss"])


@pytest.mark.usefixtures("server")
def test_a_refused_transfer_writes_nothing(db, network) -> None:
    boss, b = network["boss"], network["b"]
    before = _written(db)
    with pytest.raises(Conflict) as refused:
        transfer_parts(boss, "SCR-X1", 1, b, 6)
    assert refused.value.params == {"part_no": "SCR-X1", "left": 5, "wanted": 6}
    with pytest.raises(NotFound):
        transfer_parts(boss, "NO-SUCH", 1, b, 1)
    with pytest.raises(NotFound):  # B never stocked it: nothing to send
        transfer_parts(boss, "SCR-X1", b, 1, 1)
    with pytest.raises(InvalidInput):  # a transfer needs two centers
        transfer_parts(boss, "SCR-X1", 1, 1, 1)
    with pytest.raises(NotFound):
        transfer_parts(boss, "SCR-X1", 1, 999, 1)
    for quantity in (0, -1):
        with pytest.raises(InvalidInput):
            transfer_parts(boss, "SCR-X1", 1, b, quantity)
    assert _written(db) == before and _stock(db) == {1: 5}


@pytest.mark.usefixtures("server")
def test_headquarters_or_the_sending_centers_keeper_transfers(db, network, make_user) -> None:
    keeper, b = network["keeper"], network["b"]
    assert transfer_parts(keeper, "SCR-X1", 1, b, 1).sent_balance == 4  # its own stock
    with pytest.raises(PermissionDenied):  # never another center's
        transfer_parts(keeper, "SCR-X1", b, 1, 1)
    technician = make_user(Role.TECHNICIAN, username="tech")
    with pytest.raises(PermissionDenied):
        transfer_parts(technician, "SCR-X1", 1, b, 1)
    supervisor = make_user(Role.SUPERVISOR, username="c1-boss")  # of center 1: no network
    with pytest.raises(PermissionDenied):
        transfer_parts(supervisor, "SCR-X1", b, 1, 1)
    assert _stock(db) == {1: 4, b: 1}


def test_headquarters_sees_every_centers_stock_shortages_and_who_could_send(
    db, network, make_user, clock
) -> None:
    boss, b = network["boss"], network["b"]
    with db.transaction() as session:  # B stocks the screen too (a row of B: the owner's write)
        session.add(
            Part(part_no="SCR-X1", on_hand=1, safety_stock=2, center_id=b)  # the master's part
        )
    rows = {(row.code, row.part_no): row for row in network_stock(boss)}
    assert {key: (row.on_hand, row.short) for key, row in rows.items()} == {
        ("B", "SCR-X1"): (1, True),  # under its safety stock of 2
        ("C1", "SCR-X1"): (5, False),
    }
    [short] = network_stock(boss, only_short=True)
    assert (short.code, short.need, short.orders_waiting) == ("B", 1, 0)
    assert [(s.code, s.spare) for s in short.sources] == [("C1", 4)]  # 5 minus its safety 1
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    order = receive(clerk, add_customer(db, clerk), 1)
    with db.transaction() as session:  # four of C1's screens are waited for (待料)
        session.add(
            PartWait(
                part_id=network["part"], order_id=order.order_id, quantity=4, since=clock.now()
            )
        )
    by_center = {row.code: row for row in network_stock(boss, only_short=True)}
    assert (by_center["C1"].orders_waiting, by_center["C1"].need) == (1, 0)  # 5 serve 4 + 1
    assert by_center["B"].sources == ()  # nobody has any to spare now
    with pytest.raises(PermissionDenied):
        network_stock(network["keeper"])


def test_on_sqlite_a_transfer_is_refused_and_writes_nothing(db, network) -> None:
    """One center per file: B's parts rows would show in center 1's counter as its own."""
    if not db.is_sqlite:
        pytest.skip("SQLite's refusal")
    before = _written(db)
    with pytest.raises(InvalidInput, match="network's server"):
        transfer_parts(network["boss"], "SCR-X1", 1, network["b"], 1)
    with pytest.raises(PermissionDenied):  # who may is checked first, as on the server
        transfer_parts(network["keeper"], "SCR-X1", network["b"], 1, 1)
    assert _written(db) == before and _stock(db) == {1: 5}


@pytest.mark.usefixtures("server")
def test_two_transfers_of_the_last_units_at_once_never_oversell(db, network) -> None:
    """Two stations (two connections) each send 3 of the 5 at the same moment: one gets them."""
    boss, b = network["boss"], network["b"]
    start = threading.Barrier(2)
    results: list[object] = []

    def send() -> None:
        start.wait()
        try:
            results.append(transfer_parts(boss, "SCR-X1", 1, b, 3).document_no)
        except Conflict as refused:
            results.append(refused)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2
    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert _stock(db) == {1: 2, b: 3}
    _assert_ledgers_balanced(boss)


@pytest.mark.usefixtures("server")
def test_the_migration_down_keeps_every_balance_the_sum_of_its_moves(db, network) -> None:
    """Before 0019 there is no transfer kind: a transfer's moves become stocktake adjustments
    that say which transfer they were; up again, the column is back and the data stays."""
    b = network["b"]
    done = transfer_parts(network["boss"], "SCR-X1", 1, b, 2)
    command.downgrade(schema.alembic_config(db), "0017")
    with db.engine.connect() as connection:
        assert "peer_center_id" not in {
            c["name"] for c in inspect(connection).get_columns("stock_moves")
        }
        rows = connection.execute(
            text(
                "SELECT p.center_id, p.on_hand, sum(m.quantity), "
                "sum(CASE WHEN m.kind = 'adjustment' THEN 1 ELSE 0 END) "
                "FROM parts p JOIN stock_moves m ON m.part_id = p.id "
                "GROUP BY p.id, p.center_id, p.on_hand ORDER BY p.center_id"
            )
        ).all()
        reasons = set(
            connection.scalars(text("SELECT reason FROM stock_moves WHERE kind = 'adjustment'"))
        )
    assert [tuple(row) for row in rows] == [(1, 3, 3, 1), (b, 2, 2, 1)]
    assert reasons == {
        f"transfer {done.document_no} center {b}: ",
        f"transfer {done.document_no} center 1: ",
    }
    schema.upgrade(db)
    assert schema.is_current(db)
    assert _stock(db) == {1: 3, b: 2}
