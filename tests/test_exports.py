"""Excel ledgers: every workbook is opened again and checked against the database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.errors import InvalidInput
from app.ledgers.export import ALL_KEYS, ExportCancelled, export_ledgers
from app.ledgers.xlsx import HEADER_ROW
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Allocation,
    Complaint,
    Customer,
    FollowUp,
    MoveKind,
    RepairOrder,
    Role,
    ShipmentItem,
    StockMove,
)
from repairfloor import cli

FIRST, LAST = date(2026, 10, 1), date(2026, 11, 30)


@pytest.fixture
def reader(demo_db, make_user):
    """A parts keeper: a role that may read the ledgers."""
    return make_user(Role.PARTS_KEEPER, username="ledger_reader")


def data_rows(path, sheet=None):
    workbook = load_workbook(path)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = list(worksheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    return worksheet, [row for row in rows if any(value is not None for value in row)]


def count(db, query) -> int:
    with db.read() as session:
        return session.scalar(query)


def in_range(column):
    start = datetime.combine(FIRST, time.min, center_zone())
    end = datetime.combine(LAST + timedelta(days=1), time.min, center_zone())
    return (column >= start) & (column < end)


def test_every_ledger_holds_the_databases_rows_with_real_dates_and_numbers(
    demo_db, reader, tmp_path
):
    paths = {
        path.name.split("_")[0]: path for path in export_ledgers(reader, FIRST, LAST, tmp_path)
    }
    assert set(paths) == set(ALL_KEYS)
    expected = {
        "receiving": select(func.count())
        .select_from(RepairOrder)
        .where(in_range(RepairOrder.received_at)),
        "repairs": select(func.count())
        .select_from(RepairOrder)
        .where(in_range(RepairOrder.received_at)),
        "outbook": select(func.count()).select_from(Allocation).where(in_range(Allocation.at)),
        "qc": select(func.count()).select_from(AgingRun).where(in_range(AgingRun.received_at)),
        "shipping": select(func.count())
        .select_from(ShipmentItem)
        .where(in_range(ShipmentItem.added_at)),
        "complaints": select(func.count())
        .select_from(Complaint)
        .where(in_range(Complaint.received_at)),
        "followups": select(func.count()).select_from(FollowUp).where(in_range(FollowUp.due_at)),
    }
    for key, query in expected.items():
        worksheet, rows = data_rows(paths[key])
        assert len(rows) == count(demo_db, query) > 0, key
        assert worksheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert worksheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
        assert worksheet.cell(1, 1).value and "统计期间" in worksheet.cell(2, 1).value
    worksheet, rows = data_rows(paths["receiving"])
    headers = [cell.value for cell in worksheet[HEADER_ROW]]
    assert headers[:3] == ["维修单号", "收货时间", "来件运单"]
    assert all(isinstance(row[1], datetime) for row in rows)
    assert worksheet.cell(HEADER_ROW + 1, 2).number_format == "yyyy-mm-dd hh:mm"
    assert worksheet.cell(HEADER_ROW + 1, 2).style == "日期时间"  # its type's named style
    assert {"金额", "日期", "日期时间", "百分比"} <= set(worksheet.parent.named_styles)
    # every date-time cell shares one cell format (a style record), none has its own copy
    formats = {worksheet.cell(HEADER_ROW + 1 + row, 2).style_id for row in range(len(rows))}
    assert len(formats) == 1


def test_the_parts_ledger_keeps_repair_consumption_and_sales_apart(demo_db, reader, tmp_path):
    (path,) = export_ledgers(reader, FIRST, LAST, tmp_path, ["parts"])
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["维修耗用", "销售", "入库及其他", "结存"]
    _, consumed = data_rows(path, "维修耗用")
    issues = count(
        demo_db,
        select(func.count())
        .select_from(StockMove)
        .where(
            StockMove.kind.in_([MoveKind.ISSUE, MoveKind.RETURN_UNUSED, MoveKind.RETURN_FAULTY]),
            in_range(StockMove.at),
        ),
    )
    assert len(consumed) == issues > 0
    assert {row[3] for row in consumed} <= {"发料", "退料", "坏件退回"}  # as the parts tab says
    assert all(isinstance(row[5], int) and isinstance(row[0], datetime) for row in consumed)
    _, balances = data_rows(path, "结存")
    assert all(
        row[3] + row[4] - row[5] == row[6] for row in balances
    )  # opening + in - out = closing


def test_user_text_that_looks_like_a_formula_is_written_as_text(demo_db, reader, tmp_path):
    dangerous = ['=HYPERLINK("http://x","点我")', "+86 138", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"]
    with demo_db.transaction() as session:
        customers = session.scalars(select(Customer).order_by(Customer.id)).all()
        for customer, text in zip(customers, dangerous, strict=False):
            customer.name = text
    (path,) = export_ledgers(reader, FIRST, LAST, tmp_path, ["receiving"])
    worksheet = load_workbook(path).worksheets[0]
    senders = {
        worksheet.cell(row, 4).value: worksheet.cell(row, 4).data_type
        for row in range(HEADER_ROW + 1, worksheet.max_row + 1)
    }
    seen = [text for text in dangerous if text in senders]
    assert seen, "no dangerous name reached the ledger"
    assert all(senders[text] == "s" for text in seen)


def test_the_kpi_sheet_has_a_row_per_month(demo_db, reader, tmp_path):
    (path,) = export_ledgers(reader, FIRST, LAST, tmp_path, ["kpi"])
    _, rows = data_rows(path)
    assert [row[0].date() for row in rows] == [date(2026, 10, 1), date(2026, 11, 1)]
    november = rows[1]
    assert november[1] == count(
        demo_db,
        select(func.count())
        .select_from(RepairOrder)
        .where(RepairOrder.received_at >= datetime(2026, 11, 1, tzinfo=center_zone())),
    )


def test_a_cancelled_export_leaves_no_file(demo_db, reader, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ExportCancelled):
        export_ledgers(reader, FIRST, LAST, out, ["receiving"], cancelled=lambda: True)
    assert not out.exists() or list(out.iterdir()) == []
    answers = iter([False, True])  # cancelled while the second ledger is being written
    with pytest.raises(ExportCancelled):
        export_ledgers(
            reader,
            FIRST,
            LAST,
            out,
            ["kpi", "receiving"],
            progress=lambda *_: None,
            cancelled=lambda: next(answers, True),
        )
    assert [path.name.split("_")[0] for path in out.iterdir()] == ["kpi"]


def test_unknown_ledgers_and_reversed_ranges_are_refused(demo_db, reader, tmp_path):
    with pytest.raises(InvalidInput, match="Unknown ledger"):
        export_ledgers(reader, FIRST, LAST, tmp_path, ["salary"])
    with pytest.raises(InvalidInput, match="before the start"):
        export_ledgers(reader, LAST, FIRST, tmp_path)


def test_the_command_line_writes_every_ledger(demo_db, database_url, tmp_path, capsys):
    out = tmp_path / "ledgers"
    assert (
        cli.main(
            [
                "--db",
                database_url,
                "export",
                "--from",
                "2026-10-01",
                "--to",
                "2026-11-30",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert len(capsys.readouterr().out.splitlines()) == len(ALL_KEYS) == len(list(out.iterdir()))


def test_weekly_kpis_cover_the_range_week_by_week(demo_db, reader):
    from app.ledgers.kpi import period_kpis

    weeks = period_kpis(reader, date(2026, 11, 2), date(2026, 11, 15), "week")
    assert [week.month for week in weeks] == [date(2026, 11, 2), date(2026, 11, 9)]
    received = count(
        demo_db,
        select(func.count())
        .select_from(RepairOrder)
        .where(
            RepairOrder.received_at >= datetime(2026, 11, 2, tzinfo=center_zone()),
            RepairOrder.received_at < datetime(2026, 11, 16, tzinfo=center_zone()),
        ),
    )
    assert sum(week.received for week in weeks) == received


def test_turnaround_histogram_and_technician_output_count_every_shipped_and_repaired_order(
    demo_db, reader
):
    from app.ledgers.kpi import technician_productivity, turnaround_histogram

    shipped = count(
        demo_db,
        select(func.count()).select_from(RepairOrder).where(in_range(RepairOrder.shipped_at)),
    )
    assert sum(number for _, number in turnaround_histogram(reader, FIRST, LAST)) == shipped > 0
    repaired = count(
        demo_db,
        select(func.count())
        .select_from(RepairOrder)
        .where(in_range(RepairOrder.repaired_at), RepairOrder.technician_id.is_not(None)),
    )
    output = technician_productivity(reader, FIRST, LAST)
    assert sum(item.repaired for item in output) == repaired > 0
    assert all(
        item.mean_hours_in_repair is None or item.mean_hours_in_repair > 0 for item in output
    )


def test_every_ledger_prints_landscape_one_page_wide_with_its_header_on_every_page(
    demo_db, reader, tmp_path
):
    for path in export_ledgers(reader, FIRST, LAST, tmp_path):
        for worksheet in load_workbook(path).worksheets:
            where = f"{path.name}/{worksheet.title}"
            setup = worksheet.page_setup
            assert setup.orientation == "landscape" and setup.paperSize == 9, where
            assert worksheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), where  # 1 wide, any long
            assert worksheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", where
            title, period = worksheet.cell(1, 1).value, worksheet.cell(2, 1).value
            assert worksheet.oddHeader.left.text == title.replace("&", "&&"), where
            assert worksheet.oddHeader.right.text == period and "统计期间" in period, where
            assert "&P" in worksheet.oddFooter.center.text, where
            assert "&N" in worksheet.oddFooter.center.text, where
