"""The checks every typed value passes in the core before it is stored: bounded whole numbers,
dates within a sane window, free text of a bounded length and a plain character set. One place, so SQLite and PostgreSQL answer the same: a
value the floor cannot mean is refused here with a clear message, never by the database driver
(PostgreSQL raises a raw DataError for a NUL or an over-long value; SQLite stores both).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from app.errors import N_, InvalidInput

# A whole number the floor types (a quantity, a box's declared count, hours, days) is at most
# this: far above any real box or stock (a container holds a few thousand phones), far below
# the 32-bit INTEGER columns both databases use, so no value reaches the driver as an overflow.
MAX_COUNT = 100_000
# A span of days the floor asks about (slow-moving stock, windows): ten years at most, so a
# date computed from it never leaves what datetime can hold.
MAX_DAYS = 3_650
# A free note kept in a TEXT column (a complaint in the customer's words, a repair's diagnosis):
# a few pages at most, so a pasted document is refused rather than stored.
MAX_NOTE_LENGTH = 4_000
# A purchase date before this is a typing error (the center repairs phones, none are this old).
EARLIEST_PURCHASE = date(2000, 1, 1)

# Characters refused in free text besides the C0/C1 controls (category Cc): bidi embeddings,
# overrides and isolates, which reorder what the next reader sees, and zero-width characters,
# which make two equal-looking names different.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space / non-joiner / joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2066\u2067\u2068\u2069"  # word joiner, bidi isolates
    "\ufeff"  # zero-width no-break space (BOM)
)
# Line breaks (Word's vertical tab among them): kept as a line break in a note, a space elsewhere.
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def bounded_int(value: object, *, low: int = 1, high: int = MAX_COUNT) -> int:
    """``value`` as a whole number within ``low``..``high``, or refused (never a bool or float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(N_("Type a whole number."))
    if not low <= value <= high:
        raise InvalidInput(
            N_("Type a whole number from {low} to {high}."), low=f"{low:,}", high=f"{high:,}"
        )
    return value


def clean_text(
    text: str | None,
    *,
    max_length: int = 255,
    multiline: bool = False,
    required: str | None = None,
) -> str:
    """Free text as it is stored: NFC, trimmed, checked for length and characters.

    Word's vertical tab and the like become spaces (one line) or stay line breaks (notes);
    other control characters (NUL, C0, C1), bidi overrides and zero-width characters are
    refused, as is text longer than ``max_length`` characters. ``required`` is the
    ``N_()`` message refusing blank text; without it blank text gives ``""``.
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InvalidInput(N_("Type text here."))
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text.replace("\r\n", "\n")):
        if char in _BREAKS:
            kept.append("\n" if multiline else " ")
        elif char == "\t":
            kept.append(" ")
        elif _hidden(char):
            raise _hidden_refused(char)
        else:
            kept.append(char)
    cleaned = "".join(kept)
    if multiline:
        cleaned = "\n".join(" ".join(line.split()) for line in cleaned.split("\n"))
    else:
        cleaned = " ".join(cleaned.split())
    cleaned = cleaned.strip()
    if required is not None and not cleaned:
        raise InvalidInput(required)
    if len(cleaned) > max_length:
        raise InvalidInput(
            N_("The text is too long: {length} characters, at most {most}."),
            length=len(cleaned),
            most=max_length,
        )
    return cleaned


def _hidden(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cs")


def _hidden_refused(char: str) -> InvalidInput:
    return InvalidInput(
        N_("The text holds a hidden control character (U+{code}). Retype it."),
        code=f"{ord(char):04X}",
    )


def refuse_hidden(text: str) -> str:
    """``text`` unchanged, or refused when it holds a control (NUL, tab, line break…), bidi or
    zero-width character: for a value whose spacing is its meaning (a pattern, a code list)."""
    for char in text:
        if _hidden(char):
            raise _hidden_refused(char)
    return text


def clean_items(items: object, *, max_length: int = 64, max_items: int = 50) -> list[str]:
    """A list of short texts (the accessories that came with a unit): each checked as
    ``clean_text``, blanks and repeats dropped, at most ``max_items``."""
    if isinstance(items, str) or not isinstance(items, list | tuple):
        raise InvalidInput(N_("Give the items as a list."))
    kept = list(dict.fromkeys(clean_text(item, max_length=max_length) for item in items))
    kept = [item for item in kept if item]
    if len(kept) > max_items:
        raise InvalidInput(N_("At most {most} items."), most=max_items)
    return kept


def without_hidden(text: str) -> str:
    """``text`` without its control, bidi and zero-width characters: for what is only read
    with (a search), never stored."""
    return "".join(" " if _hidden(char) else char for char in text)


def optional_text(
    text: str | None, *, max_length: int = 255, multiline: bool = False
) -> str | None:
    """``clean_text`` for a column that may be empty: None for blank text."""
    return clean_text(text, max_length=max_length, multiline=multiline) or None


def check_purchase_date(day: date | None, today: date) -> date | None:
    """A purchase date the floor can mean: not after today, not before ``EARLIEST_PURCHASE``."""
    if day is None:
        return None
    if not isinstance(day, date):
        raise InvalidInput(N_("Type the purchase date as a date."))
    if day > today:
        raise InvalidInput(
            N_("The purchase date {date} is after today. Check the receipt."),
            date=f"{day:%Y-%m-%d}",
        )
    if day < EARLIEST_PURCHASE:
        raise InvalidInput(
            N_("The purchase date {date} is before {earliest}. Check the receipt."),
            date=f"{day:%Y-%m-%d}",
            earliest=f"{EARLIEST_PURCHASE:%Y-%m-%d}",
        )
    return day
