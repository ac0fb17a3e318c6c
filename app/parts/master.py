"""The network's parts master (物料主数据) and each center's stock of its parts.

The master (``part_masters``: part number, name, standard cost, sale price, the models it fits)
is a shared catalogue kept by headquarters; a center's stock of a master part is its own row in
``parts`` (bin, safety stock, reorder quantity, balances). Who may write the master is the
database's business: on PostgreSQL a station's role holds SELECT on it only and headquarters'
role (or the tables' owner, the administrator of a one-center server) also writes it
(``app.admin.network.role_statements``); SQLite is one center, whose parts keeper keeps the
master as before. ``may_keep_master`` asks the database, so a station gets a clear message that
headquarters keeps the catalogue (and picks its parts from it) instead of a refused INSERT.

Excel import and export: ``app.parts.master_sheet``, through the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import audit, formats, money, values, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import Part, PartFit, PartMaster
from app.permissions import Permission

KEPT_BY_HEADQUARTERS = N_(
    "Part {part_no}: the parts master is the network's and headquarters keeps it; a center "
    "picks its parts from it. Ask headquarters to add or change it."
)
MASTER_FIELDS = ("name", "unit_cost_cents", "sale_price_cents")
STOCK_FIELDS = ("bin_location", "safety_stock", "reorder_quantity")


def may_keep_master(session: Session) -> bool:
    """Whether the connected role may write the parts master: SQLite is one center (yes); on
    PostgreSQL the role's privilege on ``part_masters`` says (headquarters and the owner)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT has_table_privilege('part_masters', 'UPDATE')")))


@dataclass(frozen=True)
class MasterPart:
    id: int
    part_no: str
    name: str
    unit_cost_cents: int
    sale_price_cents: int
    model_ids: tuple[int, ...]
    active: bool
    version: int
    stock_id: int | None  # this center's stock row of it (None: not stocked here)


def master_parts(ctx: Context, part_nos: Iterable[str] | None = None) -> list[MasterPart]:
    """The master's parts by number (``part_nos``: only those), each with this center's stock
    row if it has one: what a station picks from and headquarters edits."""
    ctx.require(Permission.ISSUE_PARTS)
    query = select(PartMaster, Part.id).outerjoin(Part, Part.part_no == PartMaster.part_no)
    if part_nos is not None:
        query = query.where(PartMaster.part_no.in_(list(part_nos)))
    with ctx.db.read() as session:
        rows = session.execute(query.order_by(PartMaster.part_no)).all()
        fits: dict[int, list[int]] = {}
        ids = [master.id for master, _ in rows]
        for master_id, model_id in session.execute(
            select(PartFit.part_master_id, PartFit.product_model_id).where(
                PartFit.part_master_id.in_(ids)
            )
        ):
            fits.setdefault(master_id, []).append(model_id)
        return [
            MasterPart(
                m.id,
                m.part_no,
                m.name,
                m.unit_cost_cents,
                m.sale_price_cents,
                tuple(sorted(fits.get(m.id, ()))),
                m.active,
                m.version,
                stock_id,
            )
            for m, stock_id in rows
        ]


@dataclass(frozen=True)
class StockRow:
    id: int
    part_no: str
    name: str  # the master's
    bin_location: str | None
    safety_stock: int
    reorder_quantity: int
    active: bool
    version: int


def stock_row(ctx: Context, part_id: int) -> StockRow:
    """This center's stock row of a part as its form loads it (with its version)."""
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        part = session.get(Part, part_id)
        if part is None:
            raise NotFound(
                N_("There is no part with id {id}. Scan the part label again."), id=part_id
            )
        return StockRow(
            part.id,
            part.part_no,
            part.name,
            part.bin_location,
            part.safety_stock,
            part.reorder_quantity,
            part.active,
            part.version,
        )


def _part_no(part_no: str) -> str:
    clean = formats.clean_scan(part_no)
    if len(clean) > 64:
        raise InvalidInput(N_("The part number is empty or too long."))
    return clean


def _name(name: str) -> str:
    return values.clean_text(name, max_length=128, required=N_("The part name is empty."))


def _stock_fields(bin_location: str | None, safety_stock: int, reorder_quantity: int) -> dict:
    return {
        "bin_location": values.optional_text(bin_location, max_length=32),
        "safety_stock": values.bounded_int(safety_stock, low=0),
        "reorder_quantity": values.bounded_int(reorder_quantity, low=0),
    }


def set_fits(master: PartMaster, model_ids: Iterable[int]) -> None:
    """The master part fits exactly ``model_ids`` (the fits kept stay the same rows)."""
    wanted = set(model_ids)
    kept = [fit for fit in master.fits if fit.product_model_id in wanted]
    known = {fit.product_model_id for fit in kept}
    master.fits = kept + [PartFit(product_model_id=m) for m in sorted(wanted - known)]


def _stock(session: Session, ctx: Context, master: PartMaster, fields: dict[str, Any]) -> int:
    """This center's new stock row of ``master`` (refused when the center stocks it already)."""
    if session.scalar(select(Part.id).where(Part.part_no == master.part_no)) is not None:
        raise Conflict(
            N_("Part {part_no} is already in this center's stock."), part_no=master.part_no
        )
    part = Part(master=master, **fields)
    session.add(part)
    session.flush()
    audit.record(session, ctx, AuditAction.ADD_PART, "part", master.part_no, after=_json(fields))
    return part.id


def add_part(
    ctx: Context,
    part_no: str,
    name: str,
    *,
    unit_cost_cents: int = 0,
    sale_price_cents: int = 0,
    model_ids: Iterable[int] = (),
    bin_location: str | None = None,
    safety_stock: int = 0,
    reorder_quantity: int = 0,
    stock: bool = True,
) -> int:
    """A new part: added to the master (where the connected role may keep it) and, with
    ``stock``, to this center's stock, in one unit of work; the stock row's id (without
    ``stock``, headquarters' editor: the master part's id). A station of a network is told that
    headquarters keeps the master (``stock_part`` adds a master part to its stock)."""
    ctx.require(Permission.ISSUE_PARTS)
    number, clean_name = _part_no(part_no), _name(name)
    prices = {
        "unit_cost_cents": money.check_cents(unit_cost_cents),
        "sale_price_cents": money.check_cents(sale_price_cents),
    }
    models = sorted(set(model_ids))
    fields = _stock_fields(bin_location, safety_stock, reorder_quantity)
    with ctx.db.transaction() as session:
        if not may_keep_master(session):
            raise PermissionDenied(KEPT_BY_HEADQUARTERS, part_no=number)
        if session.scalar(select(PartMaster.id).where(PartMaster.part_no == number)):
            raise Conflict(
                N_("Part {part_no} is already in the parts master: add it to the stock."),
                part_no=number,
            )
        master = PartMaster(part_no=number, name=clean_name, **prices)
        set_fits(master, models)
        session.add(master)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.EDIT_PART_MASTER,
            "part_master",
            number,
            after={"name": clean_name, **prices, "model_ids": models},
        )
        return _stock(session, ctx, master, fields) if stock else master.id


def stock_part(
    ctx: Context,
    part_no: str,
    *,
    bin_location: str | None = None,
    safety_stock: int = 0,
    reorder_quantity: int = 0,
) -> int:
    """A part of the master added to this center's stock (its bin and levels); the row's id."""
    ctx.require(Permission.ISSUE_PARTS)
    number = _part_no(part_no)
    fields = _stock_fields(bin_location, safety_stock, reorder_quantity)
    with ctx.db.transaction() as session:
        master = session.scalar(select(PartMaster).where(PartMaster.part_no == number))
        if master is None or not master.active:
            raise NotFound(
                N_("Part {part_no} is not in the network's parts master (or retired)."),
                part_no=number,
            )
        return _stock(session, ctx, master, fields)


def edit_master_part(
    ctx: Context,
    part_no: str,
    *,
    name: str,
    unit_cost_cents: int,
    sale_price_cents: int,
    model_ids: Iterable[int],
    active: bool,
    expected_version: int,
) -> None:
    """Change a master part as the form loaded it (its ``version``): headquarters (or the
    one center's parts keeper on SQLite) only; audited before → after."""
    ctx.require(Permission.ISSUE_PARTS)
    wanted: dict[str, Any] = {
        "name": _name(name),
        "unit_cost_cents": money.check_cents(unit_cost_cents),
        "sale_price_cents": money.check_cents(sale_price_cents),
        "active": bool(active),
        "model_ids": sorted(set(model_ids)),
    }
    with ctx.db.transaction() as session:
        if not may_keep_master(session):
            raise PermissionDenied(KEPT_BY_HEADQUARTERS, part_no=part_no)
        master = session.scalar(
            select(PartMaster).where(PartMaster.part_no == part_no).with_for_update()
        )
        if master is None:
            raise NotFound(N_("Part {part_no} is not in the parts master."), part_no=part_no)
        versions.check(
            session,
            master.version,
            expected_version,
            f"part {part_no}",
            entity="part_master",
            entity_id=part_no,
        )
        old = {field: getattr(master, field) for field in (*MASTER_FIELDS, "active")}
        old["model_ids"] = sorted(fit.product_model_id for fit in master.fits)
        before = {k: v for k, v in old.items() if wanted[k] != v}
        if not before:
            return
        for field in (*MASTER_FIELDS, "active"):
            setattr(master, field, wanted[field])
        set_fits(master, wanted["model_ids"])
        master.version += 1
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.EDIT_PART_MASTER,
            "part_master",
            part_no,
            before=before,
            after={k: wanted[k] for k in before},
        )


def edit_stock(
    ctx: Context,
    part_id: int,
    *,
    bin_location: str | None,
    safety_stock: int,
    reorder_quantity: int,
    active: bool,
    expected_version: int,
) -> None:
    """Change this center's stock row of a part (bin, levels, in use here) as the form loaded it."""
    ctx.require(Permission.ISSUE_PARTS)
    wanted = {**_stock_fields(bin_location, safety_stock, reorder_quantity), "active": active}
    with ctx.db.transaction() as session:
        part = session.get(Part, part_id, with_for_update=True)
        if part is None:
            raise NotFound(
                N_("There is no part with id {id}. Scan the part label again."), id=part_id
            )
        versions.check(
            session,
            part.version,
            expected_version,
            f"part {part.part_no}",
            entity="part",
            entity_id=part.part_no,
        )
        before = {k: getattr(part, k) for k, v in wanted.items() if getattr(part, k) != v}
        if not before:
            return
        for field, value in wanted.items():
            setattr(part, field, value)
        part.version += 1
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.EDIT_PART_STOCK,
            "part",
            part.part_no,
            before=before,
            after={k: wanted[k] for k in before},
        )


def _json(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
