"""The parts master's Excel sheet: this center's stock rows with their master's columns, out and
in. Each row is read and checked (a part number normalised as every scan, names and bins cleaned
as typed text, prices as cents, counts as whole numbers); the whole file is checked first and
applied in one transaction only when no row is refused. A number not in the master is added to
it where the connected role may keep it (``app.parts.master.may_keep_master``); a station's
file must leave the master's columns as the master has them (its rows that would not are
refused, naming headquarters), and sets only its own stock columns. Balances are never imported:
they come from moves only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, formats, money, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, DomainError, InvalidInput
from app.importing import ImportReport
from app.models import Part, PartFit, PartMaster, ProductModel
from app.parts.master import (
    KEPT_BY_HEADQUARTERS,
    MASTER_FIELDS,
    STOCK_FIELDS,
    may_keep_master,
    set_fits,
)
from app.permissions import Permission

HEADERS = ("物料编号", "物料名称", "适用机型", "成本价", "销售价", "库位", "安全库存", "再订货量")
KEYS = ("part_no", "name", "models", "unit_cost", "sale_price", "bin", "safety", "reorder")


def _cents(value: Any) -> int | None:
    """A price cell as cents (money.to_cents: at most two decimals and MAX_YUAN), None if bad.
    A spreadsheet's number cell is a float: its shortest text is what was typed."""
    if value in (None, ""):
        return 0
    try:
        cents = money.to_cents(repr(value) if isinstance(value, float) else str(value))
    except DomainError:
        return None
    return cents if cents >= 0 else None


def _count(value: Any) -> int | None:
    if value in (None, ""):
        return 0
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number) if 0 <= number <= values.MAX_COUNT else None


def _text(value: Any) -> str:
    """A text cell cleaned as any typed text: refused (DomainError) with a hidden control
    character; the length is checked by the caller, per column."""
    return values.clean_text(None if value is None else str(value), max_length=10_000)


def read_sheet(path: Path, model_ids: dict[str, int], report: ImportReport) -> dict[str, dict]:
    try:
        from openpyxl import load_workbook  # imported on first use: not at start-up

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(
            N_("{file} is not an Excel workbook (.xlsx)."), file=path.name
        ) from error
    records: dict[str, dict] = {}
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = ["" if cell is None else str(cell).strip() for cell in next(rows, ())]
        missing = [name for name in HEADERS if name not in header]
        if missing:
            raise InvalidInput(
                N_("The first row must name the columns {columns}; missing: {missing}."),
                columns=", ".join(HEADERS),
                missing=", ".join(missing),
            )
        index = {key: header.index(name) for key, name in zip(KEYS, HEADERS, strict=True)}
        for number, row in enumerate(rows, start=2):
            cells = {key: row[i] if i < len(row) else None for key, i in index.items()}
            if all(value in (None, "") for value in cells.values()):
                continue
            problem, record = check_row(cells, model_ids)
            if problem:
                report.refuse(number, problem[0], **problem[1])
            elif record["part_no"] in records:
                report.refuse(
                    number,
                    N_("Part number {part_no} is listed twice (also row {row})."),
                    part_no=record["part_no"],
                    row=records[record["part_no"]]["row"],
                )
            else:
                records[record["part_no"]] = {**record, "row": number}
    finally:
        workbook.close()
    return records


Problem = tuple[str, dict[str, Any]]  # an N_() reason and its parameters


def check_row(cells: dict[str, Any], model_ids: dict[str, int]) -> tuple[Problem | None, dict]:
    """(None, the record) for a good row; (an N_() reason and its parameters, {}) for a bad one."""
    try:
        part_no, name, models, bin_location = (
            _text(cells[key]) for key in ("part_no", "name", "models", "bin")
        )
        # The part number as every scan of its barcode reads (full-width, lower case, spaces).
        part_no = formats.clean_scan(part_no) if part_no else ""
    except DomainError as error:
        return (error.template, error.params), {}
    if not part_no or len(part_no) > 64:
        return (N_("The part number is empty or too long."), {}), {}
    if not name or len(name) > 128:
        return (N_("The part name is empty or too long."), {}), {}
    codes = [c.strip() for c in models.replace("，", ",").split(",") if c.strip()]
    unknown = [code for code in codes if code not in model_ids]
    if unknown:
        return (N_("Unknown model(s): {models}."), {"models": ", ".join(unknown)}), {}
    cost, price = _cents(cells["unit_cost"]), _cents(cells["sale_price"])
    if cost is None or price is None:
        return (N_("Prices must be amounts of 0 or more, with at most two decimals."), {}), {}
    safety, reorder = _count(cells["safety"]), _count(cells["reorder"])
    if safety is None or reorder is None:
        return (N_("Safety stock and reorder quantity must be whole numbers of 0 or more."), {}), {}
    if len(bin_location) > 32:
        return (N_("The bin location is too long."), {}), {}
    return None, {
        "part_no": part_no,
        "name": name,
        "model_ids": sorted({model_ids[code] for code in codes}),
        "unit_cost_cents": cost,
        "sale_price_cents": price,
        "bin_location": bin_location or None,
        "safety_stock": safety,
        "reorder_quantity": reorder,
    }


def export_master(ctx: Context, path: Path) -> Path:
    """Write this center's active stock rows to ``path`` (.xlsx) with their master's name,
    prices and the models it fits (codes joined by ',')."""
    ctx.require(Permission.ISSUE_PARTS)
    from openpyxl import Workbook  # imported on first use: not at start-up

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "物料主数据"
    sheet.append(HEADERS)
    with ctx.db.read() as session:
        codes = dict(session.execute(select(ProductModel.id, ProductModel.code)).all())
        fits: dict[int, list[str]] = {}
        for master_id, model_id in session.execute(
            select(PartFit.part_master_id, PartFit.product_model_id)
        ):
            fits.setdefault(master_id, []).append(codes[model_id])
        for part in session.scalars(
            select(Part).where(Part.active.is_(True)).order_by(Part.part_no)
        ):
            sheet.append(
                (
                    part.part_no,
                    part.name,
                    ",".join(sorted(fits.get(part.master.id, []))),
                    part.unit_cost_cents / 100,
                    part.sale_price_cents / 100,
                    part.bin_location or "",
                    part.safety_stock,
                    part.reorder_quantity,
                )
            )
    for column, width in zip("ABCDEFGH", (16, 24, 24, 10, 10, 10, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return path


def _master_differs(master: PartMaster, record: dict[str, Any]) -> bool:
    return (
        any(getattr(master, f) != record[f] for f in MASTER_FIELDS)
        or sorted(fit.product_model_id for fit in master.fits) != record["model_ids"]
        or not master.active
    )


def _refusals(
    session: Session, records: dict[str, dict], report: ImportReport
) -> dict[str, PartMaster]:
    """The file's master parts by number; a station's rows that would add or change the master
    are refused (it keeps only its stock columns)."""
    masters = {
        m.part_no: m
        for m in session.scalars(select(PartMaster).where(PartMaster.part_no.in_(list(records))))
    }
    if may_keep_master(session):
        return masters
    for part_no, record in records.items():
        master = masters.get(part_no)
        if master is None or _master_differs(master, record):
            report.refuse(record["row"], KEPT_BY_HEADQUARTERS, part_no=part_no)
    return masters


def import_master(ctx: Context, path: Path, *, apply: bool = True) -> ImportReport:
    """Check the whole file and count the parts it adds to and updates in this center's stock;
    with ``apply``, write them in one transaction, only if no row is refused."""
    ctx.require(Permission.ISSUE_PARTS)
    report = ImportReport()
    with ctx.db.read() as session:
        model_ids = dict(session.execute(select(ProductModel.code, ProductModel.id)).all())
    records = read_sheet(path, model_ids, report)
    if not report.ok:
        return report
    with ctx.db.transaction() if apply else ctx.db.read() as session:
        masters = _refusals(session, records, report)
        stock = {
            part.part_no: part
            for part in session.scalars(select(Part).where(Part.part_no.in_(list(records))))
        }
        report.updated = len(stock)
        report.added = len(records) - report.updated
        if not apply or not report.ok:
            return report
        for part_no, record in records.items():
            master = masters.get(part_no)
            if master is None:
                master = masters[part_no] = PartMaster(part_no=part_no)
                session.add(master)
            if master.id is None or _master_differs(master, record):
                for field in MASTER_FIELDS:
                    setattr(master, field, record[field])
                master.active = True
                set_fits(master, record["model_ids"])
                master.version = (master.version or 0) + 1 if master.id else 1
            part = stock.get(part_no)
            if part is None:
                part = Part(master=master)
                session.add(part)
            elif any(getattr(part, f) != record[f] for f in STOCK_FIELDS) or not part.active:
                part.version += 1
            for field in STOCK_FIELDS:
                setattr(part, field, record[field])
            part.active = True
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.IMPORT_PARTS_MASTER,
            "parts",
            path.name,
            after={"added": report.added, "updated": report.updated},
        )
        report.applied = True
        return report
