"""Warranty at intake: from the maker's sales register, else the purchase date, else our own
last repair of the unit, whichever runs longest (DOMAIN.md step 1)."""

from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ProductModel, SalesRecord
from app.receiving.scan_facts import Sale

__all__ = ["add_months", "warranty_from", "warranty_of"]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_of(
    session: Session,
    model: ProductModel,
    serial: str,
    purchase_date: date | None,
    last_shipped: date | None,
    today: date,
) -> tuple[bool, date | None, str]:
    """(in warranty?, until, basis): the sales register first, then purchase date, then our repair."""
    record = session.scalar(select(SalesRecord).where(SalesRecord.serial == serial))
    sale = Sale(record.model_code, record.sale_date, record.dealer) if record else None
    return warranty_from(sale, model, purchase_date, last_shipped, today)


def warranty_from(
    sale: Sale | None,
    model: ProductModel,
    purchase_date: date | None,
    last_shipped: date | None,
    today: date,
) -> tuple[bool, date | None, str]:
    """:func:`warranty_of` on the sales register line already read."""
    candidates: list[tuple[date, str]] = []
    if sale is not None:
        until = add_months(sale.sale_date, model.warranty_months)
        candidates.append((until, f"sold {sale.sale_date:%Y-%m-%d} to {sale.dealer or '-'}"))
    elif purchase_date is not None:
        candidates.append(
            (
                add_months(purchase_date, model.warranty_months),
                f"purchased {purchase_date:%Y-%m-%d}",
            )
        )
    if last_shipped is not None:
        candidates.append(
            (
                add_months(last_shipped, model.warranty_months),
                f"our repair shipped {last_shipped:%Y-%m-%d}",
            )
        )
    if not candidates:
        return False, None, "no sale record or purchase date"
    until, basis = max(candidates)
    return until >= today, until, basis
