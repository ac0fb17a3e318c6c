"""The parts master's Excel sheet: its columns, and each row read and checked (a part number
normalised as every scan, names and bins cleaned as typed text, prices as cents, counts as whole
numbers). Pure: no database (``app.parts.master`` applies a checked file)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app import formats, money, values
from app.errors import N_, DomainError, InvalidInput
from app.importing import ImportReport

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
