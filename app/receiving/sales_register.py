"""The maker's sales register (serial, model, sale date, dealer), imported from Excel so that the
warranty answer at the scan is "sold on DATE to DEALER" rather than a guess.

An import is checked whole first: any refused row is named (an ``ImportReport``) and nothing is
applied; otherwise every row is applied in one transaction (new serials added, known ones updated).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from app import audit, formats, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, InvalidInput
from app.importing import ImportReport, RefusedRow
from app.models import SalesRecord
from app.permissions import Permission

HEADER_ALIASES = {
    "serial": {"serial", "sn", "imei", "序列号", "串号", "imei号", "序列号/imei"},
    "model_code": {"model", "机型", "型号", "model code"},
    "sale_date": {"sale date", "date", "销售日期", "出货日期", "日期"},
    "dealer": {"dealer", "经销商", "客户", "销售商"},
}
CHUNK = 2_000


def _header_map(header: tuple[Any, ...]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = str(cell or "").strip().lower()
        for key, aliases in HEADER_ALIASES.items():
            if name in aliases and key not in columns:
                columns[key] = index
    missing = [key for key in ("serial", "model_code", "sale_date") if key not in columns]
    if missing:
        raise InvalidInput(
            N_(
                "The first row must name the columns 序列号, 机型, 销售日期 (and 经销商); missing: {missing}."
            ),
            missing=", ".join(missing),
        )
    return columns


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_register(path: Path) -> Iterator[dict[str, Any] | RefusedRow]:
    """A record for each good row, a RefusedRow for each bad one."""
    from openpyxl import load_workbook  # only when importing: the receiving tab opens faster

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        columns = _header_map(next(rows, ()))
        for number, row in enumerate(rows, start=2):
            cells = {
                key: row[index] if index < len(row) else None for key, index in columns.items()
            }
            if all(value in (None, "") for value in cells.values()):
                continue
            refusal: InvalidInput | None = None
            model = dealer = ""
            try:  # the serial as every scan of it will read (full-width typed in Excel too)
                serial = formats.clean_scan(str(cells["serial"] or ""))
                # Model and dealer as any typed text: no hidden characters, within their columns.
                model = values.clean_text(str(cells["model_code"] or ""), max_length=64)
                dealer = values.clean_text(str(cells.get("dealer") or ""), max_length=128)
            except InvalidInput as error:
                serial, refusal = "", error
            sold = _as_date(cells["sale_date"])
            if refusal is not None:
                yield RefusedRow(number, refusal.template, refusal.params)
            elif not model:
                yield RefusedRow(number, N_("The model is empty."))
            elif sold is None:
                yield RefusedRow(
                    number,
                    N_("The sale date {value} cannot be read."),
                    {"value": repr(cells["sale_date"])},
                )
            else:
                yield {
                    "serial": serial,
                    "model_code": model,
                    "sale_date": sold,
                    "dealer": dealer or None,
                }
    finally:
        workbook.close()


def import_sales_register(ctx: Context, path: Path, *, apply: bool = True) -> ImportReport:
    """Check the whole file; apply it in one transaction only if no row is refused."""
    ctx.require(Permission.ADMINISTER)
    report = ImportReport()
    records: dict[str, dict[str, Any]] = {}
    for row in read_register(path):
        if isinstance(row, RefusedRow):
            report.refused.append(row)
        else:
            records[row["serial"]] = row  # a serial listed twice: the last row wins
    if not report.ok:
        return report
    with ctx.db.transaction() as session:
        serials = list(records)
        existing: dict[str, SalesRecord] = {}
        for start in range(0, len(serials), CHUNK):
            chunk = serials[start : start + CHUNK]
            for record in session.scalars(select(SalesRecord).where(SalesRecord.serial.in_(chunk))):
                existing[record.serial] = record
        new_rows, changed_rows = [], []
        for serial, row in records.items():
            known = existing.get(serial)
            if known is None:
                new_rows.append(row)
            elif (known.model_code, known.sale_date, known.dealer) != (
                row["model_code"],
                row["sale_date"],
                row["dealer"],
            ):
                changed_rows.append({"id": known.id, **row})
            else:
                report.unchanged += 1
        report.added, report.updated = len(new_rows), len(changed_rows)
        if not apply:
            session.rollback()
            return report
        for start in range(0, len(new_rows), CHUNK):
            session.execute(insert(SalesRecord), new_rows[start : start + CHUNK])
        if changed_rows:
            session.execute(update(SalesRecord), changed_rows)
        session.info.setdefault("changed_tables", set()).add("sales_records")
        audit.record(
            session,
            ctx,
            AuditAction.IMPORT_SALES_REGISTER,
            "sales_records",
            path.name,
            after={"added": report.added, "updated": report.updated, "unchanged": report.unchanged},
        )
        report.applied = True
        return report
