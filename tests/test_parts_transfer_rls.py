"""Parts between centers on PostgreSQL with row-level security, each station connected as its
center's role: headquarters transfers from A to B in one transaction and each center's ledger,
read as its own role, balances and equals its stock; a center sends its own stock but can take
none of another's, not even by calling the function in raw SQL; a transfer waiting on another's
lock of the last units gets a refusal, not a negative balance. (SQLite: one center, skipped.)"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from factories import add_model
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from test_center_isolation import Station, _people, network  # noqa: F401  (fixtures)

from app.context import Context
from app.errors import Conflict, PermissionDenied
from app.headquarters.stock import ledger_lines, network_ledger, network_stock
from app.models import AuditEntry, MoveKind, Part, PartMaster, Role, StockMove
from app.parts.issuing import receive_stock
from app.parts.master import stock_part
from app.parts.transfer import transfer_parts

FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
CALL = (
    "SELECT * FROM rf_transfer_parts(:sender, :receiver, 'SCR-X1', :quantity, :by, 'x', 'x', "
    "now(), NULL)"
)


@pytest.fixture
def people(db, network, clock) -> dict[str, Context]:  # noqa: F811
    """A's keeper holds five screens (received as A's role); B's keeper; headquarters' boss."""
    add_model(db)
    a_keeper = _people(network["A"], clock)(Role.PARTS_KEEPER, "keeper")
    with db.transaction() as session:  # the master part: headquarters' (here the owner's)
        session.add(PartMaster(part_no="SCR-X1", name="屏幕总成", unit_cost_cents=12000))
    part_id = stock_part(a_keeper, "SCR-X1", bin_location="A-01")  # A stocks it: A's row
    receive_stock(a_keeper, part_id, 5, document_no="PO-1")
    return {
        "A": a_keeper,
        "B": _people(network["B"], clock)(Role.PARTS_KEEPER, "keeper"),
        "HQ": _people(network["HQ"], clock)(Role.SUPERVISOR, "hq-boss"),
    }


def _own_ledger(station: Station) -> list:
    with station.db.read() as session:
        return ledger_lines(session, FAR_PAST, FAR_FUTURE)


def _own_moves(station: Station) -> list[tuple[MoveKind, int, int | None]]:
    with station.db.read() as session:
        return [
            (move.kind, move.quantity, move.peer_center_id)
            for move in session.scalars(select(StockMove).order_by(StockMove.id))
        ]


def test_headquarters_transfers_and_each_centers_own_ledger_balances(network, people) -> None:  # noqa: F811
    a, b = network["A"], network["B"]
    done = transfer_parts(people["HQ"], "SCR-X1", a.center_id, b.center_id, 3)
    assert (done.sent_balance, done.received_balance) == (2, 3)
    for station, held in ((a, 2), (b, 3)):  # each as its own role: its rows only
        [line] = _own_ledger(station)
        assert line.center_id == station.center_id and line.on_hand == held
        assert line.balanced and line.matches_stock
    assert _own_moves(a) == [(MoveKind.RECEIPT, 5, None), (MoveKind.TRANSFER_OUT, -3, b.center_id)]
    assert _own_moves(b) == [(MoveKind.TRANSFER_IN, 3, a.center_id)]
    for station, action in ((a, "transfer_out"), (b, "transfer_in")):
        with station.db.read() as session:
            assert action in set(session.scalars(select(AuditEntry.action)))
    lines = network_ledger(people["HQ"], FAR_PAST, FAR_FUTURE)  # headquarters sees both
    assert {(line.center_id, line.closing) for line in lines} == {
        (a.center_id, 2),
        (b.center_id, 3),
    }
    assert {row.code: row.on_hand for row in network_stock(people["HQ"])} == {"A": 2, "B": 3}
    with pytest.raises(PermissionDenied):
        network_stock(people["A"])


def test_a_center_sends_its_own_stock_and_takes_none_of_another(db, network, people) -> None:  # noqa: F811
    a, b = network["A"], network["B"]
    transfer_parts(people["A"], "SCR-X1", a.center_id, b.center_id, 1)  # A's keeper gives
    with pytest.raises(PermissionDenied):
        transfer_parts(people["B"], "SCR-X1", a.center_id, b.center_id, 1)
    arguments = {"sender": a.center_id, "receiver": b.center_id, "quantity": 4}
    with pytest.raises(DBAPIError, match="only headquarters or the sending center"):
        with b.db.engine.begin() as connection:  # B's console: the function refuses
            connection.execute(text(CALL), {**arguments, "by": people["B"].user_id})
    with pytest.raises(DBAPIError, match="row-level security|permission denied"):
        with b.db.engine.begin() as connection:  # nor may B's role write the move itself
            connection.execute(
                text(
                    "INSERT INTO stock_moves (part_id, kind, stock, quantity, balance_after, "
                    "unit_cost_cents, at, by_id, station, center_id) "
                    "SELECT id, 'transfer_out', 'good', -4, 0, 0, now(), 1, 'x', :a "
                    "FROM parts WHERE part_no = 'SCR-X1'"
                ),
                {"a": a.center_id},
            )
    with b.db.engine.connect() as connection:  # B's rows: its part, none of A's
        assert connection.execute(text("SELECT center_id, on_hand FROM parts")).all() == [
            (b.center_id, 1)
        ]
    with db.read() as session:  # the owner: A kept 4
        held = dict(session.execute(select(Part.center_id, Part.on_hand)).all())
    assert held == {a.center_id: 4, b.center_id: 1}


def test_a_transfer_waiting_on_the_last_units_is_refused_not_oversold(db, network, people) -> None:  # noqa: F811
    """A's station holds the row lock of a transfer of 3 of the 5 (not yet committed): the
    headquarters' transfer of 3 more waits for it, then finds 2 and is refused."""
    a, b = network["A"], network["B"]
    outcome: list[object] = []

    def headquarters_sends() -> None:
        try:
            outcome.append(transfer_parts(people["HQ"], "SCR-X1", a.center_id, b.center_id, 3))
        except Conflict as refused:
            outcome.append(refused)

    arguments = {"sender": a.center_id, "receiver": b.center_id, "quantity": 3}
    with a.db.engine.connect() as connection:
        connection.execute(text(CALL), {**arguments, "by": people["A"].user_id})
        waiting = threading.Thread(target=headquarters_sends)
        waiting.start()
        time.sleep(0.5)
        assert waiting.is_alive() and not outcome  # blocked on A's lock
        connection.commit()
    waiting.join(30)
    [refused] = outcome
    assert isinstance(refused, Conflict) and refused.params["left"] == 2
    with db.read() as session:
        held = dict(session.execute(select(Part.center_id, Part.on_hand)).all())
    assert held == {a.center_id: 2, b.center_id: 3}
    for station in (a, b):
        assert all(line.balanced and line.matches_stock for line in _own_ledger(station))
