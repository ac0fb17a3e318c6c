"""Money is yuan with two decimals, stored as integer cents. Never a float."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from app.errors import N_, InvalidInput

# The most one amount on the floor can be: a repair quote, a part price or a parcel's declared
# value is a few thousand yuan; a million yuan is far above any of them (a typing error such as
# an extra row of zeros is refused) and far below what an INTEGER/BIGINT column of cents holds.
MAX_YUAN = 1_000_000
MAX_CENTS = MAX_YUAN * 100
# Yuan as typed: digits (thousands commas allowed), at most two decimals; no exponent, NaN, Infinity.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{0,2})?|[+-]?\.\d{1,2}", re.ASCII)


def _refuse(amount: object) -> InvalidInput:
    return InvalidInput(
        N_('"{text}" is not an amount of money: type yuan with at most two decimals, e.g. 128.50.'),
        text=str(amount)[:40],
    )


def to_cents(amount: Decimal | str | int) -> int:
    """``amount`` (yuan: int, Decimal or text) as integer cents, or refused.

    Floats are refused (0.1 + 0.2 is not 0.3), as are more than two decimals (never rounded
    silently), exponent notation, NaN, Infinity and amounts beyond ±``MAX_YUAN``.
    """
    value: Decimal | int
    if isinstance(amount, bool) or not isinstance(amount, Decimal | str | int):
        raise _refuse(amount)
    if isinstance(amount, str):
        text = unicodedata.normalize("NFKC", amount).strip().removeprefix("¥").strip()
        if len(text) > 40 or not _AMOUNT.fullmatch(text):
            raise _refuse(amount)
        value = Decimal(text.replace(",", ""))
    elif isinstance(amount, Decimal):
        if not amount.is_finite():
            raise _refuse(amount)
        value = amount
    else:
        value = amount
    if not -MAX_YUAN <= value <= MAX_YUAN:
        raise InvalidInput(
            N_("{text} yuan is more than the floor takes: at most {most} yuan."),
            text=str(value)[:40],
            most=f"{MAX_YUAN:,}",
        )
    cents = Decimal(value).scaleb(2)
    if cents != cents.to_integral_value():
        raise _refuse(value)
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_yuan(cents: int) -> str:
    return f"¥{from_cents(cents):,}"


def check_cents(cents: int | None) -> int | None:
    """A price or value in cents as a service takes it: None, or a whole 0..``MAX_CENTS``."""
    if cents is None:
        return None
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise InvalidInput(N_("An amount of money is whole cents, never a float."))
    if not 0 <= cents <= MAX_CENTS:
        raise InvalidInput(N_("An amount must be from 0 to {most} yuan."), most=f"{MAX_YUAN:,}")
    return cents
