"""Parts between centers (调拨): a move out at one center and a move in at the other, in one
transaction, with both ledgers balanced.

The network's key of a part is its master part number (``part_masters``, a shared catalogue;
each center's stock of it is its own row in ``parts``: bin, safety stock, balances), and a
transfer moves stock from the sender's stock row of a master part to the receiver's row of the
same master part — created in the same transaction when the receiver never stocked it (the name,
prices and fits are the master's: nothing is copied; migration 0023). Headquarters (a user of a headquarters center
with VIEW_NETWORK) transfers between any two centers; a center's parts keeper (ISSUE_PARTS) sends
its own stock to another center, never takes another's.

Who may write which center's rows is the database's business: no station role may write another
center's rows (row-level security, migration 0016), so the transfer runs in ``rf_transfer_parts``
(migration 0019), a SECURITY DEFINER function that checks the calling role itself
(headquarters, or the sending center's role) and then writes both centers' rows as the tables'
owner — a station with a SQL console can call it, but can do nothing with it that a transfer
does not do. The rule lives there once; the checks a person gets a clear message for are made
here first, and made again by the function (the database is the guard).

SQLite is one center per file and a transfer is refused there: centers may exist as rows (a
trainer's file), but with no row-level security the parts counter of center 1 lists every row of
the file as its own, so a second center's parts rows in it would be taken for the center's own
(two rows of one part number, two stocks). A transfer needs the network's server.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import values
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from app.headquarters.figures import is_headquarters
from app.models import Center, Part, StockMove, User
from app.parts.stock import check_quantity
from app.permissions import Permission


@dataclass(frozen=True)
class Transfer:
    document_no: str  # TR and the id of the move out; both moves carry it
    part_no: str
    quantity: int
    sender_id: int
    receiver_id: int
    sent_balance: int  # the sender's good stock after the move out
    received_balance: int  # the receiver's after the move in


def home_center(ctx: Context) -> int:
    """The center of the signed-in person."""
    with ctx.db.read() as session:
        center = session.scalar(select(User.center_id).where(User.id == ctx.user_id))
    if center is None:
        raise PermissionDenied(N_("Sign in as a person of a center to transfer parts."))
    return center


def may_transfer(ctx: Context, sender_id: int) -> bool:
    """Headquarters may transfer between any centers; a parts keeper only from their own."""
    if ctx.actor.user_id is None:
        return False
    if is_headquarters(ctx):
        return True
    return ctx.actor.can(Permission.ISSUE_PARTS) and home_center(ctx) == sender_id


def transfer_parts(
    ctx: Context,
    part_no: str,
    sender_id: int,
    receiver_id: int,
    quantity: int,
    *,
    note: str | None = None,
) -> Transfer:
    """Move ``quantity`` of good stock of ``part_no`` from one center to another, or refuse and
    write nothing."""
    check_quantity(quantity)
    part_no = values.clean_text(part_no, max_length=64, required=N_("Choose the part to send."))
    reason = values.optional_text(note, max_length=255)
    if not may_transfer(ctx, sender_id):
        raise PermissionDenied(
            N_("Only headquarters, or the sending center's parts keeper, transfers parts.")
        )
    if sender_id == receiver_id:
        raise InvalidInput(N_("A transfer goes to another center: choose two centers."))
    if ctx.db.is_sqlite:
        raise InvalidInput(
            N_("Parts move between centers on the network's server: this database is one center.")
        )
    with ctx.db.transaction() as session:
        receiver = session.get(Center, receiver_id)
        if receiver is None or not receiver.active or session.get(Center, sender_id) is None:
            raise NotFound(N_("There is no such center in the network (or it is closed)."))
        done = _on_the_server(session, ctx, part_no, sender_id, receiver_id, quantity, reason)
        session.info.setdefault("changed_tables", set()).update(
            {Part.__tablename__, StockMove.__tablename__}
        )
        return done


def _on_the_server(
    session: Session,
    ctx: Context,
    part_no: str,
    sender: int,
    receiver: int,
    quantity: int,
    note: str | None,
) -> Transfer:
    statement = text(
        "SELECT document, sent_balance, received_balance FROM rf_transfer_parts("
        ":sender, :receiver, :part_no, :quantity, :by, :username, :station, :at, :note)"
    )
    parameters = {
        "sender": sender,
        "receiver": receiver,
        "part_no": part_no,
        "quantity": quantity,
        "by": ctx.user_id,
        "username": ctx.actor.username,
        "station": ctx.station,
        "at": ctx.now(),
        "note": note,
    }
    try:
        document, sent, received = session.execute(statement, parameters).one()
    except DBAPIError as error:
        raise _refusal(error, part_no, quantity) from error
    return Transfer(document, part_no, quantity, sender, receiver, sent, received)


def _refusal(error: DBAPIError, part_no: str, quantity: int) -> Exception:
    """The function's refusal as the floor reads it (any other error: as it came)."""
    state = getattr(error.orig, "sqlstate", None)
    if state == "RF409":
        left = getattr(getattr(error.orig, "diag", None), "message_detail", None)
        return _not_enough(part_no, int(left or 0), quantity)
    if state == "RF404":
        return NotFound(N_("Part {part_no} is not stocked by that center."), part_no=part_no)
    if state == "42501":
        return PermissionDenied(
            N_("Only headquarters, or the sending center's parts keeper, transfers parts.")
        )
    if state == "22023":
        return InvalidInput(N_("A transfer goes to another center: choose two centers."))
    return error


def _not_enough(part_no: str, left: int, wanted: int) -> Conflict:
    return Conflict(
        N_("Not enough {part_no} at the sending center: {left} on hand, {wanted} asked."),
        part_no=part_no,
        left=left,
        wanted=wanted,
    )
