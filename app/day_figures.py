"""The KPI dashboard's figures per center and day, kept as the data changes (``kpi_days``), so
that a year of KPIs reads a few thousand rows instead of walking every order of the year.

What is counted, per day of the center's calendar (its time zone, ``app.localtime``):

- ``received`` / ``rework``: orders received that day, and of them the reworks;
- ``shipped``: orders shipped that day, keyed by their turnaround in whole days rounded up
  (``turnaround_bucket``: the histogram's bins and the median's first step), with the sum of their
  turnarounds in microseconds;
- ``repaired``: orders repaired that day, keyed by technician, with the microseconds from
  allocation to repair of those allocated (``known`` of them);
- ``qc:<result>``: first QC verdicts signed that day (an order's first run with a result);
- ``issued`` / ``returned_unused``: parts issued, returned unused that day (sum of quantities);
- after-repair follow-ups falling due that day and of them those made; calls made that day that
  reached the customer, and of them the satisfied;
- complaints received that day per grade, and of them the valid, those answered and those first
  contacted in time.

Kept by the ORM unit of work (``app.day_keeping``, run by every ``Database.transaction``): before
a flush the figures of every row it changes are read from the database, after the flush read
again, and the difference added to their days' rows in the same transaction (a rollback undoes
both). Not database triggers: a day is the center's calendar day in its time
zone, which SQLite cannot compute, and a first verdict depends on the order's other runs; one
implementation in Python serves SQLite and PostgreSQL alike. A statement that bypasses the ORM
(a bulk load, ``UPDATE`` written by hand) must call ``rebuild`` afterwards, as migration 0021
and the benchmark data set do; so does a change of the center's time zone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import FollowUpKind, KpiDay, MoveKind

RECEIVED = "received"
REWORK = "rework"
SHIPPED = "shipped"
REPAIRED = "repaired"
ISSUED = "issued"
RETURNED_UNUSED = "returned_unused"
MOVED = {MoveKind.ISSUE: ISSUED, MoveKind.RETURN_UNUSED: RETURNED_UNUSED}
QC_PREFIX = "qc:"
FOLLOW_UPS_DUE = "follow_ups_due"  # after-repair calls falling due that day
FOLLOW_UPS_CALLED = "follow_ups_called"  # of them, made (by the day they fell due)
REACHED = "reached"  # calls that reached the customer, by the day made
SATISFIED = "satisfied"  # of them, a satisfied customer
COMPLAINT_PREFIX = "complaint:"  # complaints received that day, per grade
VALID = "valid_complaints"
ANSWERED_IN_TIME = "answered_in_time"
CONTACTED_IN_TIME = "contacted_in_time"
# A period's median turnaround, read once from its orders (``app.ledgers.kpi``) and kept until a
# shipment of the period changes: ``day`` its first day, ``key`` its days, ``count`` the orders
# shipped, ``amount`` the median in hundredths of a day.
MEDIAN = "median"

DAY_MS = 86_400_000
# Turnarounds of more than LONGEST - 1 days share the last bucket.
LONGEST = 31

Figure = tuple[
    int | None, str, date, int
]  # center (None: the database's default), figure, day, key
Totals = tuple[int, int, int]  # count, amount, known
Tally = Counter[tuple[Figure, int]]  # (figure, column 0..2) → value


def micros(span: timedelta) -> int:
    return span // timedelta(microseconds=1)


def turnaround_bucket(span_us: int) -> int:
    """The turnaround in whole days rounded up (0: none or negative; LONGEST: LONGEST - 1 days
    and more), from the span rounded to the millisecond as ``seconds_between`` rounds it."""
    ms = (span_us + 500) // 1000
    return min(max(0, -(-ms // DAY_MS)), LONGEST)


def bucket_bounds(bucket: int) -> tuple[float | None, float | None]:
    """The seconds (exclusive low, inclusive high) of a turnaround bucket; None: unbounded."""
    low = None if bucket == 0 else (bucket - 1) * DAY_MS / 1000
    high = None if bucket == LONGEST else bucket * DAY_MS / 1000
    return low, high


class Adder:
    """Adds (sign 1) or takes away (sign -1) the figures of rows to a tally."""

    def __init__(self, tally: Tally, sign: int, zone: ZoneInfo) -> None:
        self.tally, self.sign, self.zone = tally, sign, zone

    def add(
        self,
        center: int | None,
        figure: str,
        moment: datetime,
        key: int = 0,
        amount: int | None = 0,
    ) -> None:
        item = (center, figure, moment.astimezone(self.zone).date(), key)
        self.tally[(item, 0)] += self.sign
        if amount is not None:
            self.tally[(item, 1)] += self.sign * amount
            self.tally[(item, 2)] += self.sign

    def order(self, row: Any) -> None:
        _id, center, received, rework, shipped, allocated, repaired, technician = row
        if received is not None:
            self.add(center, RECEIVED, received)
            if rework:
                self.add(center, REWORK, received)
            if shipped is not None:
                span = micros(shipped - received)
                self.add(center, SHIPPED, shipped, turnaround_bucket(span), span)
        if repaired is not None and technician is not None:
            spent = micros(repaired - allocated) if allocated is not None else None
            self.add(center, REPAIRED, repaired, technician, spent)

    def verdict(self, row: Any) -> None:
        center, result, signed = row
        if signed is not None:
            self.add(center, QC_PREFIX + str(getattr(result, "value", result)), signed)

    def move(self, row: Any) -> None:
        _id, center, kind, at, quantity = row
        figure = MOVED.get(kind)
        if figure is not None and at is not None:
            self.add(center, figure, at, 0, abs(quantity))

    def follow_up(self, row: Any) -> None:
        _id, center, kind, due, done, reached, satisfied = row
        if kind == FollowUpKind.AFTER_REPAIR and due is not None:
            self.add(center, FOLLOW_UPS_DUE, due)
            if done is not None:
                self.add(center, FOLLOW_UPS_CALLED, due)
        if done is not None and reached is True:
            self.add(center, REACHED, done)
            if satisfied is True:
                self.add(center, SATISFIED, done)

    def complaint(self, row: Any) -> None:
        _id, center, received, grade, valid, answered, answer_due, contacted, contact_due = row
        if received is None:
            return
        self.add(center, COMPLAINT_PREFIX + str(getattr(grade, "value", grade)), received)
        if valid is True:
            self.add(center, VALID, received)
        if answered is not None and answer_due is not None and answered <= answer_due:
            self.add(center, ANSWERED_IN_TIME, received)
        if contacted is not None and contact_due is not None and contacted <= contact_due:
            self.add(center, CONTACTED_IN_TIME, received)


@dataclass(frozen=True)
class Source:
    """A table whose rows are counted one by one: the columns read, the adder's method."""

    model: Any
    columns: tuple[Any, ...]
    count: Callable[[Adder, Any], None]
    where: tuple[Any, ...] = ()

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(column.key for column in self.columns) - {"id"}


@cache
def sources() -> dict[str, Source]:
    """The tables counted row by row, by name. Built on first use (the first flush, a rebuild):
    the models they read are mapped then, not when the program starts (app/models)."""
    from app.models import Complaint, FollowUp, RepairOrder, StockMove

    return {
        "orders": Source(
            RepairOrder,
            (
                RepairOrder.id,
                RepairOrder.center_id,
                RepairOrder.received_at,
                RepairOrder.is_rework,
                RepairOrder.shipped_at,
                RepairOrder.allocated_at,
                RepairOrder.repaired_at,
                RepairOrder.technician_id,
            ),
            Adder.order,
        ),
        "moves": Source(
            StockMove,
            (StockMove.id, StockMove.center_id, StockMove.kind, StockMove.at, StockMove.quantity),
            Adder.move,
            (StockMove.kind.in_(list(MOVED)),),
        ),
        "follow_ups": Source(
            FollowUp,
            (
                FollowUp.id,
                FollowUp.center_id,
                FollowUp.kind,
                FollowUp.due_at,
                FollowUp.done_at,
                FollowUp.reached,
                FollowUp.satisfied,
            ),
            Adder.follow_up,
        ),
        "complaints": Source(
            Complaint,
            (
                Complaint.id,
                Complaint.center_id,
                Complaint.received_at,
                Complaint.grade,
                Complaint.is_valid,
                Complaint.answered_at,
                Complaint.answer_due,
                Complaint.first_contact_at,
                Complaint.first_contact_due,
            ),
            Adder.complaint,
        ),
    }


RUNS = "runs"  # aging runs: an order's first verdict, read per order
RUN_FIELDS = frozenset({"order_id", "result", "signed_at", "center_id"})


def day_totals(
    session: Session,
    first_day: date,
    end_day: date,
    figures: Iterable[str],
    *,
    by_center: bool,
    by_key: bool = True,
) -> dict[tuple[int | None, str, int], Totals]:
    """The sums of ``figures`` over the days [first_day, end_day): per (center or None, figure,
    key) — key 0 for all when not ``by_key``."""
    table = KpiDay
    keys: list[Any] = [table.center_id] if by_center else []
    keys.append(table.figure)
    if by_key:
        keys.append(table.key)
    rows = session.execute(
        select(*keys, func.sum(table.count), func.sum(table.amount), func.sum(table.known))
        .where(table.figure.in_(list(figures)), table.day >= first_day, table.day < end_day)
        .group_by(*keys)
    ).all()
    found: dict[tuple[int | None, str, int], Totals] = {}
    for row in rows:
        center = row[0] if by_center else None
        rest = row[1:] if by_center else row
        figure, key = (rest[0], rest[1]) if by_key else (rest[0], 0)
        count, amount, known = rest[-3:]
        found[(center, figure, key)] = (int(count or 0), int(amount or 0), int(known or 0))
    return found
