"""Keeps ``kpi_days`` (``app.day_figures``) in step with the data, in the unit of work.

``track(session)`` (``Database.transaction`` calls it for every write): before a flush, the
figures of every order, aging run (its order's first verdict), stock move, follow-up and
complaint the flush changes are read from the database and taken away; after the flush they are
read again and added; the difference goes to their days' rows in the same transaction, so a
rollback undoes both. ``rebuild`` counts everything again (a bulk load that bypasses the ORM, a
new time zone, the migration that made the table).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, delete, event, func, select
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.base import NO_VALUE

from app.day_figures import (
    MEDIAN,
    RUN_FIELDS,
    SHIPPED,
    Adder,
    Figure,
    Tally,
    Totals,
    sources,
)
from app.db_pipeline import send_and_forget
from app.localtime import center_zone
from app.models import KpiDay

CHUNK = 500
LONGEST_PERIOD = 31  # days of a month
INFO_KEY = "kpi_days_tally"
RUNS_KEY = "kpi_days_runs"


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _first_verdicts(session: Session, order_ids: Iterable[int]) -> list[Any]:
    """(center, result, signed_at) of each order's first run with a result."""
    from app.models import AgingRun

    found: list[Any] = []
    for chunk in _chunks(order_ids):
        first = (
            select(func.min(AgingRun.id))
            .where(AgingRun.order_id.in_(chunk), AgingRun.result.is_not(None))
            .group_by(AgingRun.order_id)
        )
        found += session.execute(
            select(AgingRun.center_id, AgingRun.result, AgingRun.signed_at).where(
                AgingRun.id.in_(first)
            )
        ).all()
    return found


# Changed objects (and whether just inserted) per source, the orders whose runs changed.
Touched = tuple[dict[str, list[tuple[Any, bool]]], set[int]]


def _row(obj: Any, columns: tuple[Any, ...], before: bool, fresh: bool) -> tuple[Any, ...] | None:
    """The object's values of ``columns`` as the database holds them before the flush (its
    original values) or after it, from the unit of work; None if one is not loaded. A new row's
    ``center_id`` not loaded is the database's default (None: the row of the default center), any
    other column of it not set and without a server default NULL."""
    state = attributes.instance_state(obj)
    values = []
    for column in columns:
        key = column.key
        if before and key in state.committed_state:
            value = state.committed_state[key]
        else:
            value = state.dict.get(key, NO_VALUE)
        if value is NO_VALUE:
            if key == "center_id":
                value = None
            elif fresh and column.server_default is None:
                value = None
            else:
                return None
        values.append(value)
    return tuple(values)


def _read(session: Session, touched: Touched, sign: int, tally: Tally, *, before: bool) -> None:
    adder = Adder(tally, sign, center_zone())
    objects, runs = touched
    for name, source in sources().items():
        unloaded = []
        for obj, fresh in objects[name]:
            row = _row(obj, source.columns, before, fresh)
            if row is None:
                unloaded.append(obj.id)
            else:
                source.count(adder, row)
        for chunk in _chunks(unloaded):
            rows = session.execute(select(*source.columns).where(source.model.id.in_(chunk)))
            for row in rows:
                source.count(adder, row)
    for row in _first_verdicts(session, runs):
        adder.verdict(row)


def _changed(obj: Any, fields: frozenset[str]) -> bool:
    state = attributes.instance_state(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _touched(session: Session, *, after: bool) -> Touched:
    """The rows this flush changes, and the orders whose aging runs it changes: before it, the
    persistent ones; after it, the new and changed ones (a deleted row's figures only leave)."""
    from app.models import AgingRun  # mapped by now if the session holds a run

    objects: dict[str, list[tuple[Any, bool]]] = {name: [] for name in sources()}
    runs: set[int] = set()
    new = set(map(id, session.new))
    gone = set(map(id, session.deleted))
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in (*changed, *session.deleted, *session.new):
        fresh, deleted = id(obj) in new, id(obj) in gone
        if isinstance(obj, AgingRun):
            # A run without a verdict, new or gone, is nobody's first verdict.
            verdict = (fresh or deleted) and obj.result is not None
            if verdict or (not fresh and _changed(obj, RUN_FIELDS)):
                runs.add(obj.order_id)
                old = attributes.instance_state(obj).attrs["order_id"].history.deleted
                runs.update(old or ())
            continue
        if (fresh and not after) or (deleted and after):
            continue
        for name, source in sources().items():
            if isinstance(obj, source.model) and (fresh or deleted or _changed(obj, source.fields)):
                objects[name].append((obj, fresh))
    runs.discard(None)
    return objects, runs


def track(session: Session) -> None:
    """Keep ``kpi_days`` in step with this session (one unit of work): each flush's changes are
    tallied, and the tally written once, just before the commit (one statement)."""

    @event.listens_for(session, "before_flush")
    def before(sess: Session, *_: Any) -> None:
        touched = _touched(sess, after=False)
        tally: Tally = sess.info.setdefault(INFO_KEY, Counter())
        _read(sess, touched, -1, tally, before=True)
        sess.info[RUNS_KEY] = touched[1]

    @event.listens_for(session, "after_flush")
    def after(sess: Session, *_: Any) -> None:
        objects, runs = _touched(sess, after=True)
        runs |= sess.info.pop(RUNS_KEY, set())
        _read(sess, (objects, runs), 1, sess.info[INFO_KEY], before=False)

    @event.listens_for(session, "before_commit")
    def write(sess: Session) -> None:
        sess.flush()
        add(sess, sess.info.pop(INFO_KEY, Counter()))


def _totals(tally: Tally) -> dict[Figure, Totals]:
    rows: dict[Figure, list[int]] = {}
    for (item, column), value in tally.items():
        rows.setdefault(item, [0, 0, 0])[column] += value
    return {item: (c, a, k) for item, (c, a, k) in rows.items() if c or a or k}


def add(session: Session | Connection, tally: Tally) -> None:
    """Add the tally to its rows (created at zero) in one statement (two when some rows name
    their center and others take the default), in a fixed order (no deadlock between two stations
    adding to the same rows); forget the kept medians of the periods whose shipments changed."""
    rows = _totals(tally)
    if not rows:
        return
    bind = session.get_bind() if isinstance(session, Session) else session
    from sqlalchemy.dialects import postgresql, sqlite  # loaded with the first tally, not at start

    insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
    table: Table = KpiDay.__table__  # type: ignore[assignment]
    groups: dict[bool, list[dict[str, Any]]] = {}
    for (center, figure, day, key), (count, amount, known) in sorted(
        rows.items(), key=lambda item: (item[0][1], item[0][2], item[0][3], item[0][0] or 0)
    ):
        values: dict[str, Any] = {
            "figure": figure,
            "day": day,
            "key": key,
            "count": count,
            "amount": amount,
            "known": known,
        }
        if center is not None:
            values["center_id"] = center
        groups.setdefault(center is None, []).append(values)
    for group in groups.values():
        statement = insert(table).values(group)
        excluded = statement.excluded
        _send(
            session,
            statement.on_conflict_do_update(
                index_elements=[table.c.figure, table.c.day, table.c.key, table.c.center_id],
                set_={
                    "count": table.c.count + excluded.count,
                    "amount": table.c.amount + excluded.amount,
                    "known": table.c.known + excluded.known,
                },
            ),
        )
    shipped = {(center, day) for center, figure, day, _ in rows if figure == SHIPPED}
    if shipped:
        forget_medians(session, shipped)


def _send(session: Session | Connection, statement: Any) -> None:
    """A statement whose answer nobody reads: on PostgreSQL queued in the unit of work's
    pipeline (it goes with the COMMIT, no round trip of its own; its error fails the commit)."""
    if isinstance(session, Session):
        send_and_forget(session, statement, {})
    else:
        session.execute(statement)


def forget_medians(session: Session | Connection, days: set[tuple[int | None, date]]) -> None:
    """Delete the kept medians of every period holding one of the (center, day)s, whose
    shipments changed: in one statement, every period starting in the month before (a few more
    than needed, read again when next shown)."""
    first = min(day for _, day in days) - timedelta(days=LONGEST_PERIOD)
    last = max(day for _, day in days)
    # Every center's (PostgreSQL: row-level security leaves a station its own center's): a
    # plain statement, as the pipeline sends it (no expanding IN list).
    _send(
        session,
        delete(KpiDay).where(KpiDay.figure == MEDIAN, KpiDay.day > first, KpiDay.day <= last),
    )


def rebuild(connection: Connection, zone: ZoneInfo | None = None, batch: int = 20_000) -> int:
    """Count every figure again from the rows (after a bulk load, a new time zone, in the
    migration that made the table); returns the rows written. Reads ``batch`` rows at a time."""
    from app.models import AgingRun

    tally: Tally = Counter()
    adder = Adder(tally, 1, zone or center_zone())
    for source in sources().values():
        rows = connection.execute(select(*source.columns).where(*source.where))
        for part in rows.partitions(batch):
            for row in part:
                source.count(adder, row)
    earliest = (
        select(func.min(AgingRun.id).label("id"))
        .where(AgingRun.result.is_not(None))
        .group_by(AgingRun.order_id)
        .subquery()
    )
    firsts = select(AgingRun.center_id, AgingRun.result, AgingRun.signed_at).join(
        earliest, AgingRun.id == earliest.c.id
    )
    for part in connection.execute(firsts).partitions(batch):
        for row in part:
            adder.verdict(row)
    connection.execute(delete(KpiDay))
    totals = _totals(tally)
    table: Table = KpiDay.__table__  # type: ignore[assignment]
    values = [
        {
            "center_id": center,
            "figure": figure,
            "day": day,
            "key": key,
            "count": count,
            "amount": amount,
            "known": known,
        }
        for (center, figure, day, key), (count, amount, known) in totals.items()
    ]
    for start in range(0, len(values), batch):
        connection.execute(table.insert(), values[start : start + batch])
    return len(values)
