"""Excel ledgers for a date range: ``export_ledgers`` (the CLI's ``export`` and the ledgers tab
both call it). One workbook per ledger, named ``<ledger>_<from>_<to>.xlsx``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from app.context import Context
from app.errors import N_, InvalidInput
from app.ledgers.columns import Column, Kind
from app.ledgers.kpi import monthly_kpis
from app.ledgers.sheets import LEDGERS, Ledger
from app.localtime import center_zone
from app.permissions import Permission

KPI_KEY = "kpi"
ALL_KEYS: tuple[str, ...] = (*LEDGERS, KPI_KEY)
KPI_COLUMNS = (
    Column("月份", Kind.DATE, 11),
    Column("收货台数", Kind.INT, 9),
    Column("发货台数", Kind.INT, 9),
    Column("平均周转(天)", Kind.INT, 11),
    Column("周转中位数(天)", Kind.INT, 12),
    Column("QC一次合格率", Kind.PERCENT, 12),
    Column("返修率", Kind.PERCENT, 9),
    Column("保内回访率(目标100%)", Kind.PERCENT, 16),
    Column("满意度(目标≥98%)", Kind.PERCENT, 15),
    Column("物料发放准确率(目标≥98%)", Kind.PERCENT, 18),
    Column("投诉数", Kind.INT, 8),
    Column("有效投诉", Kind.INT, 9),
    Column("每千台投诉", Kind.INT, 10),
    Column("投诉及时答复率", Kind.PERCENT, 13),
    Column("预警", Kind.TEXT, 16),
)

Progress = Callable[[str, int], None]  # (ledger key, rows written so far)


class ExportCancelled(Exception):
    """The user cancelled: the ledger being written is not saved (write-only workbooks are
    saved whole at the end), the ones finished before stay."""


def _bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    if last_day < first_day:
        raise InvalidInput(N_("The end date is before the start date."))
    start = datetime.combine(first_day, time.min, center_zone())
    return start, datetime.combine(last_day + timedelta(days=1), time.min, center_zone())


def _write_ledger(
    ctx: Context,
    ledger: Ledger,
    first_day: date,
    last_day: date,
    path: Path,
    tick: Callable[[int], None],
) -> Path:
    # The Excel writer (openpyxl) loads with the first export, on its worker: the ledgers tab,
    # which lists the ledgers, is built without it.
    from app.ledgers.xlsx import SheetWriter, new_workbook, period_text, save, write_rows

    start, end = _bounds(first_day, last_day)
    workbook = new_workbook()
    with ctx.db.read() as session:
        for sheet in ledger.sheets:
            writer = SheetWriter(
                workbook, ledger.title, sheet.name, sheet.columns, period_text(first_day, last_day)
            )
            write_rows(writer, sheet.rows(session, start, end), tick)
    return save(workbook, path)


def _write_kpi(ctx: Context, first_day: date, last_day: date, path: Path) -> Path:
    from app.ledgers.xlsx import SheetWriter, new_workbook, period_text, save, write_rows

    workbook = new_workbook()
    writer = SheetWriter(
        workbook, "月度KPI", "月度KPI", KPI_COLUMNS, period_text(first_day, last_day)
    )
    write_rows(writer, (kpi.row() for kpi in monthly_kpis(ctx, first_day, last_day)))
    return save(workbook, path)


def export_ledgers(
    ctx: Context,
    first_day: date,
    last_day: date,
    out_dir: Path,
    keys: Iterable[str] | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Write the chosen ledgers (all by default) for [first_day, last_day]; return the files.
    Needs VIEW_LEDGERS (the command line runs it as the system actor)."""
    ctx.require(Permission.VIEW_LEDGERS)
    chosen = list(keys or ALL_KEYS)
    unknown = [key for key in chosen if key not in ALL_KEYS]
    if unknown:
        raise InvalidInput(
            N_("Unknown ledger {names}. Choose from: {known}."),
            names=", ".join(unknown),
            known=", ".join(ALL_KEYS),
        )
    _bounds(first_day, last_day)
    written: list[Path] = []
    for key in chosen:
        if cancelled is not None and cancelled():  # between ledgers: finished files stay
            raise ExportCancelled(key)
        path = out_dir / f"{key}_{first_day:%Y%m%d}_{last_day:%Y%m%d}.xlsx"

        def tick(rows: int, key: str = key) -> None:
            if progress is not None:
                progress(key, rows)
            if cancelled is not None and cancelled():
                raise ExportCancelled(key)

        if key == KPI_KEY:
            written.append(_write_kpi(ctx, first_day, last_day, path))
        else:
            written.append(_write_ledger(ctx, LEDGERS[key], first_day, last_day, path, tick))
        if progress is not None:
            progress(key, -1)  # this ledger is done
    return written
