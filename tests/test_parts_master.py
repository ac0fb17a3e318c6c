"""The parts master to and from Excel: a clean file is applied whole, a bad one not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_model
from openpyxl import Workbook
from sqlalchemy import select

from app.context import Context
from app.errors import Conflict, InvalidInput, NotFound
from app.models import AuditEntry, Part, Role
from app.parts import master as parts_master
from app.parts import master_sheet as sheet


@pytest.fixture
def keeper(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.PARTS_KEEPER, username="parts")


def workbook(path: Path, rows: list[tuple]) -> Path:
    book = Workbook()
    book.active.append(sheet.HEADERS)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def parts_by_no(db) -> dict[str, Part]:
    with db.read() as session:
        found = session.scalars(select(Part)).all()
        for part in found:
            _ = part.fits
        return {part.part_no: part for part in found}


def test_a_clean_master_file_is_applied_and_exports_back(db, keeper, tmp_path) -> None:
    add_model(db, "X1")
    add_model(db, "Y9", tac="35999999")
    path = workbook(
        tmp_path / "master.xlsx",
        [
            ("SCR-X1", "屏幕总成", "X1,Y9", 120, "180.50", "A-01", 5, 20),
            ("BAT-X1", "电池", "X1", 35.5, 60, "", 10, 0),
        ],
    )
    result = sheet.import_master(keeper, path)
    assert result.ok and result.applied and (result.added, result.updated) == (2, 0)
    found = parts_by_no(db)
    screen = found["SCR-X1"]
    assert (screen.unit_cost_cents, screen.sale_price_cents, screen.bin_location) == (
        12000,
        18050,
        "A-01",
    )
    assert (screen.safety_stock, screen.reorder_quantity, len(screen.fits)) == (5, 20, 2)
    # the same file again updates, with one model less
    workbook(path, [("SCR-X1", "屏幕总成(新)", "X1", 120, 180, "A-02", 5, 20)])
    again = sheet.import_master(keeper, path)
    assert (again.added, again.updated) == (0, 1)
    assert len(parts_by_no(db)["SCR-X1"].fits) == 1
    exported = sheet.export_master(keeper, tmp_path / "out.xlsx")
    back = sheet.import_master(keeper, exported, apply=False)
    assert back.ok and not back.applied and (back.added, back.updated) == (0, 2)
    assert len(parts_by_no(db)["SCR-X1"].fits) == 1  # a preview writes nothing


def test_a_file_with_bad_rows_names_them_and_changes_nothing(db, keeper, tmp_path) -> None:
    add_model(db, "X1")
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            ("SCR-X1", "屏幕总成", "X1", 120, 180, "A-01", 5, 20),
            ("", "无编号", "X1", 1, 1, "", 0, 0),
            ("BAT-X1", "电池", "Z7", 1, 1, "", 0, 0),
            ("CAM-X1", "摄像头", "X1", -3, 1, "", 0, 0),
            ("SCR-X1", "重复", "X1", 1, 1, "", 0, 0),
            ("KEY-X1", "按键", "X1", 1, 1, "", 1.5, 0),
        ],
    )
    result = sheet.import_master(keeper, path)
    assert not result.applied
    assert [bad.row for bad in result.refused] == [3, 4, 5, 6, 7]
    assert "Z7" in result.refused[1].message()
    assert "also row 2" in result.refused[3].message()
    assert parts_by_no(db) == {}


def test_values_the_floor_cannot_mean_are_refused_rows_not_crashes(db, keeper, tmp_path) -> None:
    add_model(db, "X1")
    path = workbook(
        tmp_path / "huge.xlsx",
        [
            ("SCR-X1", "屏幕总成", "X1", 120, 180, "A-01", 5, 20),
            ("BIG-X1", "大", "X1", "1e30", 1, "", 0, 0),
            ("RND-X1", "圆", "X1", "12.345", 1, "", 0, 0),
            ("MIL-X1", "贵", "X1", 1, "2000000", "", 0, 0),
            ("INF-X1", "无穷", "X1", 1, 1, "", "Infinity", 0),
            ("LOT-X1", "多", "X1", 1, 1, "", 0, 2**62),
            ("RTL-X1", "屏\u202e幕", "X1", 1, 1, "", 0, 0),
        ],
    )
    result = sheet.import_master(keeper, path)
    assert not result.applied
    assert [bad.row for bad in result.refused] == [3, 4, 5, 6, 7, 8]
    assert "hidden control character" in result.refused[-1].message()
    assert parts_by_no(db) == {}


def test_a_file_without_the_columns_is_refused(db, keeper, tmp_path) -> None:
    book = Workbook()
    book.active.append(("编号", "名称"))
    book.save(tmp_path / "wrong.xlsx")
    with pytest.raises(InvalidInput, match="missing"):
        sheet.import_master(keeper, tmp_path / "wrong.xlsx")


def test_a_part_number_is_stored_as_every_scan_of_its_barcode_reads(db, keeper, tmp_path) -> None:
    add_model(db, "X1")
    path = workbook(
        tmp_path / "wide.xlsx",
        [
            ("ｓｃｒ－ｘ１ ", "屏幕总成", "X1", 120, 180, "A-01", 5, 20),
            ("BAT-X²", "电池", "X1", 1, 1, "", 0, 0),
        ],
    )
    refused = sheet.import_master(keeper, path)
    assert [bad.row for bad in refused.refused] == [3] and "U+00B2" in refused.refused[0].message()
    assert parts_by_no(db) == {}
    path = workbook(
        tmp_path / "lower.xlsx", [("scr-ｘ１", "屏幕总成", "X1", 120, 180, "A-01", 5, 20)]
    )
    assert sheet.import_master(keeper, path).applied
    assert list(parts_by_no(db)) == ["SCR-X1"]


def test_a_new_part_goes_to_the_master_and_the_stock_in_one_unit_of_work(db, keeper) -> None:
    """SQLite is one center: its parts keeper keeps the master through the same service."""
    model = add_model(db, "X1")
    part_id = parts_master.add_part(
        keeper, "ｓｃｒ-x1 ", "屏幕总成", unit_cost_cents=12000, model_ids=[model], safety_stock=3
    )
    [master] = parts_master.master_parts(keeper)
    assert (master.part_no, master.name, master.model_ids, master.stock_id) == (
        "SCR-X1",
        "屏幕总成",
        (model,),
        part_id,
    )
    with pytest.raises(Conflict, match="already in the parts master"):
        parts_master.add_part(keeper, "SCR-X1", "又一个")
    with pytest.raises(Conflict, match="already in this center's stock"):
        parts_master.stock_part(keeper, "SCR-X1")
    with pytest.raises(NotFound):
        parts_master.stock_part(keeper, "NOT-THERE")
    row = parts_master.stock_row(keeper, part_id)
    parts_master.edit_stock(
        keeper,
        part_id,
        bin_location="A-09",
        safety_stock=4,
        reorder_quantity=10,
        active=True,
        expected_version=row.version,
    )
    after = parts_master.stock_row(keeper, part_id)
    assert (after.bin_location, after.safety_stock, after.version) == ("A-09", 4, row.version + 1)
    with db.read() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .order_by(AuditEntry.id)
                .where(AuditEntry.entity.in_(("part", "part_master")))
            )
        )
    assert actions == ["edit_part_master", "add_part", "edit_part_stock"]


def test_an_import_updates_the_master_and_the_stock_without_a_second_master_row(
    db, keeper, tmp_path
) -> None:
    add_model(db, "X1")
    parts_master.add_part(keeper, "SCR-X1", "屏幕", unit_cost_cents=100)
    path = workbook(tmp_path / "m.xlsx", [("SCR-X1", "屏幕总成", "X1", 120, 180, "A-01", 5, 20)])
    result = sheet.import_master(keeper, path)
    assert result.applied and (result.added, result.updated) == (0, 1)
    [master] = parts_master.master_parts(keeper)
    assert (master.name, master.unit_cost_cents, master.version) == ("屏幕总成", 12000, 2)
