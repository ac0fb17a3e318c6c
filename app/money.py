"""Money is yuan with two decimals, stored as integer cents. Never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.errors import N_, InvalidInput


def to_cents(amount: Decimal | str | int) -> int:
    try:
        value = Decimal(str(amount).strip().replace(",", "").removeprefix("¥"))
    except InvalidOperation:
        raise InvalidInput(N_('"{text}" is not an amount of money.'), text=str(amount)) from None
    if not value.is_finite():
        raise InvalidInput(N_('"{text}" is not an amount of money.'), text=str(amount))
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_yuan(cents: int) -> str:
    return f"¥{from_cents(cents):,}"
