"""Reading the audit log (处处可查): filter by user, station, repair order, date range and action;
read a page at a time (the log grows without end) or export the filtered log to Excel. Every
read needs ADMINISTER (the audit viewer is on the administration tab)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, UnaryExpression, func, select

from app.audit_actions import action_label
from app.context import Context
from app.localtime import center_zone, local, local_text
from app.models import AuditEntry, RepairOrder
from app.permissions import Permission
from app.vocabulary import translate

SORT_COLUMNS = {
    "at": AuditEntry.id,  # ids grow with time and are indexed
    "username": AuditEntry.username,
    "station": AuditEntry.station,
    "action": AuditEntry.action,
    "entity": AuditEntry.entity,
}
EXPORT_HEADERS = (
    "时间",
    "用户",
    "工位",
    "动作",
    "对象",
    "编号",
    "维修单号",
    "变更前",
    "变更后",
    "说明",
)


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    station: str = ""
    order_no: str = ""  # a repair order number (RO…)
    action: str = ""  # an AuditAction value, or a part of one (login, catalog_…)
    date_from: date | None = None  # center-local days, both inclusive
    date_to: date | None = None
    upto_id: int | None = None  # an export reads what was there when it started


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    station: str
    action: str
    entity: str
    entity_id: str | None
    order_no: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: str | None


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), center_zone())


def _query(columns: Any, where: AuditFilter) -> Select[Any]:
    query = select(*columns).outerjoin(RepairOrder, RepairOrder.id == AuditEntry.order_id)
    if where.username.strip():
        query = query.where(AuditEntry.username == where.username.strip())
    if where.station.strip():
        query = query.where(AuditEntry.station == where.station.strip())
    if where.order_no.strip():
        query = query.where(RepairOrder.order_no == where.order_no.strip().upper())
    if where.action.strip():
        query = query.where(AuditEntry.action.contains(where.action.strip().lower()))
    if where.upto_id is not None:
        query = query.where(AuditEntry.id <= where.upto_id)
    if where.date_from is not None:
        query = query.where(AuditEntry.at >= _local_start(where.date_from))
    if where.date_to is not None:
        query = query.where(AuditEntry.at < _local_start(where.date_to + timedelta(days=1)))
    return query


def count(ctx: Context, where: AuditFilter) -> int:
    ctx.require(Permission.ADMINISTER)
    with ctx.db.read() as session:
        return session.scalar(_query([func.count(AuditEntry.id)], where)) or 0


def page(
    ctx: Context,
    where: AuditFilter,
    offset: int,
    limit: int,
    sort_key: str = "at",
    descending: bool = True,
) -> list[AuditRow]:
    ctx.require(Permission.ADMINISTER)
    column = SORT_COLUMNS.get(sort_key, AuditEntry.id)
    order: list[UnaryExpression[Any]] = [column.desc() if descending else column.asc()]
    if column is not AuditEntry.id:
        order.append(AuditEntry.id.desc())
    with ctx.db.read() as session:
        result = session.execute(
            _query([AuditEntry, RepairOrder.order_no], where)
            .order_by(*order)
            .offset(offset)
            .limit(limit)
        ).all()
    return [
        AuditRow(
            entry.id,
            entry.at,
            entry.username,
            entry.station,
            entry.action,
            entry.entity,
            entry.entity_id,
            order_no,
            entry.before,
            entry.after,
            entry.detail,
        )
        for entry, order_no in result
    ]


def choices(ctx: Context) -> tuple[Sequence[str], Sequence[str], Sequence[str]]:
    """User names, stations and actions seen in the log, for the filter pick lists (actions as
    stored: the UI shows each with its label)."""
    ctx.require(Permission.ADMINISTER)
    with ctx.db.read() as session:
        users, stations, actions = (
            session.scalars(select(column).distinct().order_by(column)).all()
            for column in (AuditEntry.username, AuditEntry.station, AuditEntry.action)
        )
        return users, stations, actions


def changes_text(values: dict[str, Any] | None) -> str:
    if not values:
        return ""
    return "; ".join(f"{key}={value}" for key, value in values.items())


def export(ctx: Context, where: AuditFilter, path: Path, *, batch: int = 2_000) -> int:
    """Write the filtered log (newest first) with openpyxl's write-only mode; returns rows."""
    ctx.require(Permission.ADMINISTER)
    from openpyxl import Workbook  # imported on first use: not with the admin tab

    from app.ledgers.xlsx import print_setup

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    print_setup(sheet, "审计日志", f"导出于 {local_text(ctx.now())}", header_row=1)
    sheet.append(list(EXPORT_HEADERS))
    written = 0
    with ctx.db.read() as session:
        where = replace(where, upto_id=session.scalar(select(func.max(AuditEntry.id))) or 0)
    while True:
        rows = page(ctx, where, written, batch)
        for row in rows:
            sheet.append(
                [
                    local(row.at).replace(tzinfo=None),
                    row.username,
                    row.station,
                    translate(action_label(row.action)),  # a Chinese ledger, as the window
                    row.entity,
                    row.entity_id or "",
                    row.order_no or "",
                    changes_text(row.before),
                    changes_text(row.after),
                    row.detail or "",
                ]
            )
        written += len(rows)
        if len(rows) < batch:
            break
    workbook.save(path)
    return written
