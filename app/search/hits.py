"""What a search finds: the kinds of match, how close, and the hit shown for an order (or a
part); the range test that keeps every prefix match on an index."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from app.errors import N_
from app.models import RepairState


class MatchKind(enum.StrEnum):
    ORDER_NO = "order_no"
    SERIAL = "serial"
    OLD_SERIAL = "old_serial"
    CUSTOMER_NAME = "customer_name"
    PHONE = "phone"
    INBOUND_WAYBILL = "inbound_waybill"
    OUTBOUND_WAYBILL = "outbound_waybill"
    PART_NO = "part_no"


MATCH_LABELS: dict[MatchKind, str] = {
    MatchKind.ORDER_NO: N_("Order number"),
    MatchKind.SERIAL: N_("Serial / IMEI"),
    MatchKind.OLD_SERIAL: N_("Old serial (swapped)"),
    MatchKind.CUSTOMER_NAME: N_("Customer"),
    MatchKind.PHONE: N_("Phone"),
    MatchKind.INBOUND_WAYBILL: N_("Inbound waybill"),
    MatchKind.OUTBOUND_WAYBILL: N_("Outbound waybill"),
    MatchKind.PART_NO: N_("Part number"),
}


class Closeness(enum.IntEnum):
    """How well the text matched; lower ranks first."""

    EXACT = 0
    PREFIX = 1
    PARTIAL = 2  # a substring of a name, the last digits of a phone


@dataclass(frozen=True)
class Hit:
    kind: MatchKind
    closeness: Closeness
    matched: str  # the value that matched (the serial, the waybill, the phone ...)
    order_id: int | None  # None: a part with no order issued yet
    order_no: str = ""
    state: RepairState | None = None
    serial: str = ""
    model: str = ""
    customer: str = ""
    phone: str = ""
    received_at: datetime | None = None
    part_no: str = ""
    part_name: str = ""
    customer_id: int | None = None
    # The customer is under the watch after a complaint until then (seed 000): flagged.
    watched_until: datetime | None = None

    @property
    def exact(self) -> bool:
        return self.closeness is Closeness.EXACT


@dataclass(frozen=True)
class Candidate:
    order_id: int
    kind: MatchKind
    closeness: Closeness
    matched: str


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (for a range scan)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def starts_with(column, prefix: str):
    """``column`` starts with ``prefix``, as a range an ordinary index answers."""
    return (column >= prefix) & (column < prefix_upper_bound(prefix))


def closeness_of(value: str, text: str) -> Closeness:
    if value == text:
        return Closeness.EXACT
    return Closeness.PREFIX if value.startswith(text) else Closeness.PARTIAL
