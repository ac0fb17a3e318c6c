"""Parts between centers (调拨): a move out at one center and a move in at the other, in one
transaction, with both ledgers balanced.

The network's key of a part is its part number: each center keeps its own parts list (stock, bin,
safety stock on its row, ``app/centers.py``), and a transfer moves stock from the sender's row of
a number to the receiver's row of the same number — made from the sender's (name, prices, the
models it fits) when the receiver never stocked it. Headquarters (a user of a headquarters center
with VIEW_NETWORK) transfers between any two centers; a center's parts keeper (ISSUE_PARTS) sends
its own stock to another center, never takes another's.

Who may write which center's rows is the database's business on PostgreSQL: no station role may
write another center's rows (row-level security, migration 0016), so the transfer runs in
``rf_transfer_parts`` (migration 0019), a SECURITY DEFINER function that checks the calling role
itself (headquarters, or the sending center's role) and then writes both centers' rows as the
tables' owner — a station with a SQL console can call it, but can do nothing with it that a
transfer does not do. SQLite is one center per file (no roles, no policies): centers may still
exist there as rows (a trainer's or a test's file), and the same rows are written here, in one
SQLite transaction. The checks a person gets a clear message for are made here first, on both
databases; the function makes them again (the database is the guard).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import audit, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from app.headquarters.figures import is_headquarters
from app.models import Center, MoveKind, Part, PartFit, StockKind, StockMove, User
from app.parts.stock import check_quantity, note_bulk_change
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
    with ctx.db.transaction() as session:
        receiver = session.get(Center, receiver_id)
        if receiver is None or not receiver.active or session.get(Center, sender_id) is None:
            raise NotFound(N_("There is no such center in the network (or it is closed)."))
        if session.get_bind().dialect.name == "postgresql":
            done = _on_the_server(session, ctx, part_no, sender_id, receiver_id, quantity, reason)
        else:
            done = _here(session, ctx, part_no, sender_id, receiver_id, quantity, reason)
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


def _here(
    session: Session,
    ctx: Context,
    part_no: str,
    sender: int,
    receiver: int,
    quantity: int,
    note: str | None,
) -> Transfer:
    """SQLite: the rows ``rf_transfer_parts`` writes, in the caller's transaction (SQLite
    serialises writers; the guarded UPDATE is the same as on the server)."""

    def row(center: int) -> Part | None:
        return session.scalar(select(Part).where(Part.center_id == center, Part.part_no == part_no))

    source = row(sender)
    if source is None or not source.active:
        raise NotFound(N_("Part {part_no} is not stocked by that center."), part_no=part_no)
    target = row(receiver)
    if target is None:
        target = Part(
            part_no=source.part_no,
            name=source.name,
            unit_cost_cents=source.unit_cost_cents,
            sale_price_cents=source.sale_price_cents,
            center_id=receiver,
            fits=[
                PartFit(product_model_id=fit.product_model_id, center_id=receiver)
                for fit in source.fits
            ],
        )
        session.add(target)
        session.flush()
    elif not target.active:
        raise NotFound(N_("Part {part_no} is not stocked by that center."), part_no=part_no)
    sent = session.execute(
        update(Part)
        .where(Part.id == source.id, Part.on_hand >= quantity)
        .values(on_hand=Part.on_hand - quantity)
        .returning(Part.on_hand)
        .execution_options(synchronize_session=False)
    ).scalar()
    if sent is None:
        left = session.scalar(select(Part.on_hand).where(Part.id == source.id))
        raise _not_enough(part_no, int(left or 0), quantity)
    received = session.execute(
        update(Part)
        .where(Part.id == target.id)
        .values(on_hand=Part.on_hand + quantity)
        .returning(Part.on_hand)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    note_bulk_change(session)
    moved = {
        "stock": StockKind.GOOD,
        "unit_cost_cents": source.unit_cost_cents,
        "reason": note,
        "at": ctx.now(),
        "by_id": ctx.user_id,
        "station": ctx.station,
    }
    out = StockMove(
        part_id=source.id,
        kind=MoveKind.TRANSFER_OUT,
        quantity=-quantity,
        balance_after=sent,
        center_id=sender,
        peer_center_id=receiver,
        **moved,
    )
    session.add(out)
    session.flush()
    document = f"TR{out.id}"
    out.document_no = document
    session.add(
        StockMove(
            part_id=target.id,
            kind=MoveKind.TRANSFER_IN,
            quantity=quantity,
            balance_after=received,
            document_no=document,
            center_id=receiver,
            peer_center_id=sender,
            **moved,
        )
    )
    codes = dict(session.execute(select(Center.id, Center.code)).all())
    for action, center, balance, peer in (
        (AuditAction.TRANSFER_OUT, sender, sent, {"to": codes[receiver]}),
        (AuditAction.TRANSFER_IN, receiver, received, {"from": codes[sender]}),
    ):
        entry = audit.record(
            session,
            ctx,
            action,
            "part",
            part_no,
            after={"quantity": quantity, "balance_after": balance, "document_no": document, **peer},
            detail=note,
        )
        entry.center_id = center
    session.flush()
    return Transfer(document, part_no, quantity, sender, receiver, int(sent), int(received))
