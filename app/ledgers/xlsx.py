"""Writing a ledger to Excel: openpyxl's write-only mode (constant memory), Chinese headers, real
dates and numbers, a styled frozen header row with an autofilter, a title and the date range.
Ready to print: A4 landscape, fitted to one page wide, the header row repeated on every page,
the title and period in the page header and "第 n 页,共 m 页" in the footer.

User text that Excel would take for a formula (it starts with = + - @, a tab or a CR) is written
as a text cell, never as a formula.

Dates, times, amounts and rates each have one named style in the workbook (``NAMED_STYLES``:
Excel lists them by name); every cell of that type shares its one style record, never a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from app.ledgers.columns import Column, Kind
from app.localtime import local

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 3


FORMATS = {
    Kind.MONEY: "#,##0.00",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.PERCENT: "0.0%",
}
# The named style of each formatted column type (its name as Excel shows it).
NAMED_STYLES = {
    Kind.MONEY: "金额",
    Kind.DATE: "日期",
    Kind.DATETIME: "日期时间",
    Kind.PERCENT: "百分比",
}
TITLE_FONT = Font(size=14, bold=True)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")


A4_PAPER = "9"  # the paper size code of A4 in SpreadsheetML


def _header_text(text: str) -> str:
    """Text for a page header or footer, where ``&`` starts a code (&P: page number)."""
    return text.replace("&", "&&")


def print_setup(sheet: WriteOnlyWorksheet, title: str, period: str, header_row: int) -> None:
    """A4 landscape, one page wide (as many pages down as it takes), ``header_row`` repeated on
    each page, title and period in the page header, page n of m in the footer."""
    sheet.page_setup.paperSize = A4_PAPER
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: no limit down
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddHeader.left.text = _header_text(title)
    sheet.oddHeader.right.text = _header_text(period)
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.evenHeader.left.text, sheet.evenHeader.right.text = (
        sheet.oddHeader.left.text,
        sheet.oddHeader.right.text,
    )
    sheet.evenFooter.center.text = sheet.oddFooter.center.text


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def excel_time(moment: datetime) -> datetime:
    """Excel has no time zones: write the center's local wall-clock time."""
    return local(moment).replace(tzinfo=None) if moment.tzinfo else moment


class SheetWriter:
    """One ledger sheet: title, range, header, then rows as they come (never all in memory)."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        sheet_name: str,
        columns: Sequence[Column],
        period: str,
    ) -> None:
        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(sheet_name[:31])
        self.columns = list(columns)
        self.rows = 0
        for index, column in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        print_setup(self.sheet, title, period, HEADER_ROW)
        title_cell = WriteOnlyCell(self.sheet, value=title)
        title_cell.font = TITLE_FONT
        self.sheet.append([title_cell])
        self.sheet.append([period])
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.sheet, value=column.header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
            header.append(cell)
        self.sheet.append(header)
        self._styles = {kind: _named_style(workbook, kind) for kind in NAMED_STYLES}
        # One converter per column, chosen once: the per-cell work is the export's hot path.
        self._convert: list[Callable[[Any], Any]] = [self._converter(c.kind) for c in self.columns]

    def _styled(self, kind: Kind) -> Callable[[Any], WriteOnlyCell]:
        """A cell of ``kind``'s named style: its one style record, shared (a write-only cell is
        written out as it is appended and never changed, so no cell needs its own copy)."""
        sheet, style = self.sheet, self._styles[kind]

        def cell(value: Any) -> WriteOnlyCell:
            made = WriteOnlyCell(sheet, value=value)
            made._style = style
            return made

        return cell

    def _converter(self, kind: Kind) -> Callable[[Any], Any]:
        if kind in NAMED_STYLES:
            styled = self._styled(kind)
            if kind is Kind.MONEY:
                return lambda cents: None if cents is None else styled(Decimal(cents) / 100)
            if kind is Kind.DATETIME:
                return lambda moment: None if moment is None else styled(excel_time(moment))
            return lambda value: None if value is None else styled(value)
        if kind is Kind.BOOL:
            return lambda flag: None if flag is None else ("是" if flag else "否")
        if kind is Kind.INT:
            return lambda number: number
        return self._text

    def _text(self, value: Any) -> Any:
        if value is None:
            return None
        text = value if type(value) is str else _as_text(value)  # most cells are text already
        if is_formula_like(text):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"  # a text cell: Excel shows it, never evaluates it
            return cell
        return text

    def append(self, row: Sequence[Any]) -> None:
        self.sheet.append(
            [convert(value) for convert, value in zip(self._convert, row, strict=True)]
        )
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(self.rows, 1)}"


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return ";".join(f"{key}:{item}" for key, item in value.items())
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _named_style(workbook: Workbook, kind: Kind) -> StyleArray:
    """``kind``'s named style, added to ``workbook`` once; the style record its cells share."""
    name = NAMED_STYLES[kind]
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name=name, number_format=FORMATS[kind]))
    style: NamedStyle = workbook._named_styles[name]
    return copy(style.as_tuple())  # what openpyxl gives a cell set to the style, made once


def period_text(first_day: date, last_day: date) -> str:
    return f"统计期间:{first_day:%Y-%m-%d} 至 {last_day:%Y-%m-%d}"


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def save(workbook: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    workbook.save(temporary)
    temporary.replace(path)  # a half-written file never carries the ledger's name
    return path


def write_rows(
    writer: SheetWriter, rows: Iterable[Sequence[Any]], tick: Callable[[int], None] | None = None
) -> int:
    for row in rows:
        writer.append(row)
        if tick is not None and writer.rows % 1000 == 0:
            tick(writer.rows)
    writer.finish()
    return writer.rows
