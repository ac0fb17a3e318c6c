"""Global search: one box finds an order by anything the caller has at hand.

Order number, serial / IMEI (the unit's present serial, or an old one swapped out by a repair),
customer name (prefix, then substring) or phone (full, first digits or last digits), inbound or
outbound waybill, part number (the orders the part was issued to, and the part itself).

Each key is one small indexed query; the hits are merged, one per order (its best match), and
ranked: exact matches first, then prefix matches, then other partial matches; newest orders first
within each rank.

Prefix matching uses a range on the column (``col >= 'AB' AND col < 'AC'``), not ``LIKE 'AB%'``:
SQLite's LIKE is case-insensitive and then cannot use the (binary-collated) index, so it would scan
the table; a range is answered by the column's ordinary index on SQLite and PostgreSQL alike. Codes
(order numbers, serials, waybills, part numbers) are stored upper-case, so the query is upper-cased
for them. A phone's last digits are a prefix of its digits read backwards (``phone_tail``, indexed),
and so is a name's end, the given name the floor types (``name_tail``). The only scan is
deliberate and bounded: a name found neither by its start nor by its end (a shop's name inside
a dealer's) reads the narrow covering index of the customer table, never the order tables.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import values
from app.context import Context
from app.formats import phone_search_digits
from app.models import Customer, ProductModel, RepairOrder, Unit
from app.search.hits import Candidate, Hit
from app.search.keys import by_name, by_order_no, by_part_no, by_phone, by_serial, by_waybill

DEFAULT_LIMIT = 20
MAX_QUERY_LENGTH = 64


def search(ctx: Context, text: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """The orders (and parts) ``text`` points at, best match first. Every signed-in person may
    search (the whole floor looks orders up), so no permission beyond the Context."""
    text = unicodedata.normalize("NFKC", values.without_hidden(text[: MAX_QUERY_LENGTH * 4]))
    text = text.strip()[:MAX_QUERY_LENGTH]  # a NUL or a bidi override is no part of a name
    if not text:
        return []
    with ctx.db.read() as session:
        candidates: list[Candidate] = []
        code = text.upper()
        digits = phone_search_digits(text)
        is_code = code.isascii() and code.replace("-", "").isalnum()
        if is_code:
            candidates += by_order_no(session, code, limit)
            candidates += by_serial(session, code, limit)
            candidates += by_waybill(session, code, limit)
            part_candidates, part_hits = by_part_no(session, code, limit)
            candidates += part_candidates
        else:
            part_hits = []
        if digits is not None and len(digits) >= 3:
            candidates += by_phone(session, digits, limit)
        # Only ASCII digits are a number; other scripts' digits may be part of a name.
        if not (text.isascii() and text.isdigit()):
            candidates += by_name(session, text, limit)
        hits = _orders_of(session, _best_per_order(candidates), ctx.now())
    return sorted(hits + part_hits, key=_rank)[:limit]


def _rank(hit: Hit) -> tuple[int, bool, float, int]:
    # A part itself comes after the orders it was issued to that matched as well.
    received = hit.received_at.timestamp() if hit.received_at else 0.0
    return (hit.closeness, hit.order_id is None, -received, -(hit.order_id or 0))


def _best_per_order(candidates: list[Candidate]) -> dict[int, Candidate]:
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        kept = best.get(candidate.order_id)
        if kept is None or candidate.closeness < kept.closeness:
            best[candidate.order_id] = candidate
    return best


def _orders_of(session: Session, candidates: dict[int, Candidate], now: datetime) -> list[Hit]:
    if not candidates:
        return []
    rows = session.execute(
        select(
            RepairOrder.id,
            RepairOrder.order_no,
            RepairOrder.state,
            RepairOrder.received_at,
            Unit.serial,
            ProductModel.name,
            Customer.name,
            Customer.phone,
            RepairOrder.customer_id,
        )
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .join(Customer, Customer.id == RepairOrder.customer_id)
        .where(RepairOrder.id.in_(candidates))
    )
    found = rows.all()
    # The watch after a complaint: the few customers of these hits, by the complaints' index.
    # Imported by the first search (off the UI thread), not by the search field at start: the
    # complaints package brings every complaint rule with it.
    from app.complaints import watchlist

    watched = watchlist.watched_among(session, now, {row[-1] for row in found})
    hits = []
    for order_id, order_no, state, received_at, serial, model, customer, phone, cid in found:
        candidate = candidates[order_id]
        hits.append(
            Hit(
                candidate.kind,
                candidate.closeness,
                candidate.matched,
                order_id,
                order_no,
                state,
                serial,
                model,
                customer,
                phone or "",
                received_at,
                customer_id=cid,
                watched_until=watched.get(cid),
            )
        )
    return hits
