"""Catalogues: add / edit / deactivate, search, and Excel import (checked whole, applied in one
transaction or not at all, bad rows named) and export; every change audited before → after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import add_customer, add_model, audit_count, receive
from openpyxl import Workbook
from sqlalchemy import select

from app import settings
from app.admin import catalogs
from app.admin.catalog_tables import (
    BENCHES,
    CALENDAR,
    CARRIERS,
    COMPLAINT_REMEDIES,
    DEPARTMENTS,
    FAULT_CODES,
    PRODUCT_CATEGORIES,
    PRODUCT_MODELS,
    QC_FAIL_REASON_LIST,
    RACK_SLOTS,
)
from app.context import SYSTEM_ACTOR, Context
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.importing import ChangeKind
from app.models import (
    AuditEntry,
    CalendarDay,
    CalendarDayKind,
    ProductModel,
    RackSlot,
    RepairOrder,
    Role,
    User,
)
from app.workcal import WorkCalendar


def sheet(path: Path, *lines: tuple[object, ...]) -> Path:
    workbook = Workbook()
    for line in lines:
        workbook.active.append(list(line))
    workbook.save(path)
    return path


def _keys(db, catalog, active=None):
    rows = catalogs.rows(Context(db, SYSTEM_ACTOR, "test"), catalog)
    return {row.key for row in rows if active is None or row.active is active}


# One good file and one bad file per catalogue: (catalog, header, good rows, more rows, the bad
# row numbers of a file holding the good rows then the more rows)
CASES = [
    (
        PRODUCT_MODELS,
        ("机型代码", "机型名称", "TAC号段", "老化时长(小时)", "保修月数"),
        [("P60", "星辰 P60", "86012345; 86012346", 6, 12), ("P70", "星辰 P70", "", 2.5, 24)],
        [("P80", "", "", 4, 12), ("P90", "星辰 P90", "8601", 4, 12), ("P95", "x", "", "many", 1)],
        [4, 5, 6],
    ),
    (
        PRODUCT_CATEGORIES,
        ("类别代码", "类别名称", "配件清单", "分配前须完成外观检查"),
        [("phone", "手机", "充电器;数据线", "是"), ("watch", "手表", "", "否")],
        [("tablet", "平板", "", "maybe")],
        [4],
    ),
    (
        CARRIERS,
        ("承运商代码", "承运商名称", "运单规则", "S10校验位"),
        [("sf", "顺丰速运", r"SF\d{12,13}", "否"), ("EMS", "中国邮政EMS", r"E[A-Z]\d{9}CN", "是")],
        [("YTO", "圆通", "YT(\\d+", "否")],
        [4],
    ),
    (
        FAULT_CODES,
        ("故障代码", "故障描述"),
        [("F01", "不开机"), ("F02", "屏幕碎裂")],
        [("F03", ""), ("F01", "重复")],
        [4, 5],
    ),
    (
        RACK_SLOTS,
        ("架位", "老化架", "老化架名称", "位置"),
        [("a-01", "A", "老化架A", 1), ("A-02", "A", "老化架A", 2)],
        [("B-01", "", "", 1), ("B-02", "B", "", -3)],
        [4, 5],
    ),
    (
        DEPARTMENTS,
        ("部门",),
        [("维修部",), ("客服部",)],
        [("x" * 80,)],
        [4],
    ),
    (
        CALENDAR,
        ("日期", "类型", "名称"),
        [("2026-10-01", "holiday", "国庆节"), ("2026-10-10", "workday", "国庆调休")],
        [
            ("2026-10-02", "holiday", "国庆节"),
            ("2026-13-01", "holiday", ""),
            ("2026-10-09", "workday", ""),
        ],
        [5, 6],
    ),
    (
        COMPLAINT_REMEDIES,
        ("补救方案",),
        [("免费重新维修",), ("赠送贴膜",)],
        [("",), ("赠送贴膜",), ("赠送贴膜",)],
        [5, 6],
    ),
    (
        QC_FAIL_REASON_LIST,
        ("不良原因",),
        [("触摸失灵",), ("摄像头模糊",)],
        [("y" * 300,)],
        [4],
    ),
]


@pytest.mark.parametrize(
    "catalog, header, good, bad, bad_numbers", CASES, ids=lambda c: getattr(c, "name", None)
)
def test_each_catalogue_imports_a_good_file_and_refuses_a_bad_one_whole(
    db, supervisor, tmp_path, catalog, header, good, bad, bad_numbers
):
    before = _keys(db, catalog)
    preview = catalogs.preview_import(
        supervisor, catalog, sheet(tmp_path / "good.xlsx", header, *good)
    )
    assert preview.ok and not preview.applied
    assert _keys(db, catalog) == before  # a preview writes nothing
    result = catalogs.apply_import(supervisor, catalog, tmp_path / "good.xlsx")
    assert result.applied and result.ok
    after_good = _keys(db, catalog)
    assert len(after_good - before) == result.added == len(result.keys(ChangeKind.ADD)) > 0

    audits = audit_count(db)
    refused = catalogs.apply_import(
        supervisor,
        catalog,
        sheet(tmp_path / "bad.xlsx", header, *good, *[tuple(line) for line in bad]),
    )
    assert [bad.row for bad in refused.refused] == bad_numbers
    assert not refused.applied
    assert _keys(db, catalog) == after_good and audit_count(db) == audits


def test_a_product_model_import_adds_and_changes_with_hours_and_audits_each(
    db, supervisor, tmp_path
):
    add_model(db, "X1", aging_minutes=240)
    path = sheet(
        tmp_path / "models.xlsx",
        ("机型代码", "机型名称", "老化时长(小时)", "颜色"),
        ("X1", "星辰 X1", 8, "黑;白"),
        ("X2", "星辰 X2", 1.5, ""),
    )
    preview = catalogs.preview_import(supervisor, PRODUCT_MODELS, path)
    changed, added = preview.changes  # in the order of the rows
    assert (added.kind, added.row, added.key) == (ChangeKind.ADD, 3, "X2")
    assert (changed.kind, changed.row, changed.key) == (ChangeKind.CHANGE, 2, "X1")
    assert (preview.added, preview.updated, preview.removed) == (1, 1, 0)
    before, after = changed.before, changed.after
    assert before["aging_minutes"] == 240
    assert (
        after == {"aging_minutes": 480, "colours": ["黑", "白"], "name": "星辰 X1"}
        or after["aging_minutes"] == 480
    )
    catalogs.apply_import(supervisor, PRODUCT_MODELS, path)
    with db.read() as session:
        minutes = dict(session.execute(select(ProductModel.code, ProductModel.aging_minutes)).all())
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "catalog_edit", AuditEntry.entity_id == "X1"
            )
        )
    assert minutes == {"X1": 480, "X2": 90}
    assert entry.before["aging_minutes"] == 240 and entry.after["aging_minutes"] == 480


def test_an_unknown_category_names_the_row(db, supervisor, tmp_path):
    catalogs.save(
        supervisor, PRODUCT_CATEGORIES, {"code": "phone", "name": "手机"}, expected_version=None
    )
    path = sheet(tmp_path / "m.xlsx", ("机型代码", "机型名称", "类别"), ("Z1", "Z1", "fridge"))
    (bad,) = catalogs.preview_import(supervisor, PRODUCT_MODELS, path).refused
    assert bad.row == 2 and "not in the product categories" in bad.message()


def test_deactivating_a_model_keeps_it_and_the_orders_that_refer_to_it(db, supervisor):
    model_id = add_model(db, "X1")
    order = receive(supervisor, add_customer(db, supervisor), 1)
    catalogs.set_active(
        supervisor,
        PRODUCT_MODELS,
        "X1",
        False,
        expected_version=catalogs.row_version(supervisor, PRODUCT_MODELS, "X1"),
    )
    with db.read() as session:
        model = session.get(ProductModel, model_id)
        assert model is not None and model.active is False
        assert session.get(RepairOrder, order.order_id).unit.product_model_id == model_id
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "catalog_deactivate"))
    assert entry.before == {"active": True} and entry.after == {"active": False}
    assert [row.active for row in catalogs.rows(supervisor, PRODUCT_MODELS, "x1")] == [False]
    catalogs.set_active(
        supervisor,
        PRODUCT_MODELS,
        "X1",
        True,
        expected_version=catalogs.row_version(supervisor, PRODUCT_MODELS, "X1"),
    )
    assert _keys(db, PRODUCT_MODELS, active=True) == {"X1"}


def test_a_deactivated_slot_stays_on_its_rack(db, supervisor):
    catalogs.save(
        supervisor, RACK_SLOTS, {"code": "a-01", "rack": "a", "position": 1}, expected_version=None
    )
    catalogs.set_active(
        supervisor,
        RACK_SLOTS,
        "A-01",
        False,
        expected_version=catalogs.row_version(supervisor, RACK_SLOTS, "A-01"),
    )
    with db.read() as session:
        (slot,) = session.scalars(select(RackSlot)).all()
    assert slot.code == "A-01" and slot.active is False


def test_a_deactivated_remedy_leaves_the_pick_list_and_can_come_back(db, supervisor):
    catalogs.set_active(
        supervisor,
        COMPLAINT_REMEDIES,
        "退款",
        False,
        expected_version=catalogs.row_version(supervisor, COMPLAINT_REMEDIES, "退款"),
    )
    with db.read() as session:
        assert "退款" not in settings.get(session, settings.COMPLAINT_REMEDIES)
    assert "退款" in _keys(db, COMPLAINT_REMEDIES, active=False)
    catalogs.set_active(
        supervisor,
        COMPLAINT_REMEDIES,
        "退款",
        True,
        expected_version=catalogs.row_version(supervisor, COMPLAINT_REMEDIES, "退款"),
    )
    with db.read() as session:
        assert "退款" in settings.get(session, settings.COMPLAINT_REMEDIES)


def test_add_edit_and_search(db, supervisor):
    catalogs.save(
        supervisor,
        CARRIERS,
        {"code": "sf", "name": "顺丰", "waybill_pattern": r"SF\d{13}"},
        expected_version=None,
    )
    with pytest.raises(Conflict, match="already"):
        catalogs.save(supervisor, CARRIERS, {"code": "SF", "name": "顺丰"}, expected_version=None)
    with pytest.raises(InvalidInput, match="not a valid pattern"):
        catalogs.save(
            supervisor,
            CARRIERS,
            {"code": "YT", "name": "圆通", "waybill_pattern": "(("},
            expected_version=None,
        )
    catalogs.save(
        supervisor,
        CARRIERS,
        {"name": "顺丰速运"},
        key="SF",
        expected_version=catalogs.row_version(supervisor, CARRIERS, "SF"),
    )
    (row,) = catalogs.rows(supervisor, CARRIERS, "速运")
    assert row.values["name"] == "顺丰速运" and row.values["waybill_pattern"] == r"SF\d{13}"
    assert catalogs.rows(supervisor, CARRIERS, "圆通") == []


def test_benches_are_set_for_technicians_only(db, supervisor, make_user, tmp_path):
    tech = make_user(Role.TECHNICIAN, username="tech", display_name="王工")
    path = sheet(tmp_path / "b.xlsx", ("用户名", "维修台"), ("tech", "B-03"), ("ghost", "B-04"))
    (bad,) = catalogs.apply_import(supervisor, BENCHES, path).refused
    assert bad.row == 3
    sheet(path, ("用户名", "维修台"), ("tech", "B-03"))
    assert catalogs.apply_import(supervisor, BENCHES, path).applied
    with db.read() as session:
        assert session.get(User, tech.user_id).bench == "B-03"


def test_importing_a_year_of_the_calendar_replaces_that_year(db, supervisor, tmp_path):
    header = ("日期", "类型", "名称")
    catalogs.apply_import(
        supervisor,
        CALENDAR,
        sheet(
            tmp_path / "old.xlsx",
            header,
            ("2026-05-04", "holiday", "劳动节"),
            ("2025-10-01", "holiday", "国庆节"),
        ),
    )
    path = sheet(
        tmp_path / "2026.xlsx",
        header,
        (date(2026, 10, 1), "holiday", "国庆节"),
        ("2026/10/10", "workday", "国庆调休"),
    )
    preview = catalogs.preview_import(supervisor, CALENDAR, path)
    assert preview.keys(ChangeKind.REMOVE) == ["2026-05-04"] and preview.removed == 1
    catalogs.apply_import(supervisor, CALENDAR, path)
    with db.read() as session:
        days = set(session.scalars(select(CalendarDay.day)))
        calendar = WorkCalendar.load(session)
    assert days == {date(2025, 10, 1), date(2026, 10, 1), date(2026, 10, 10)}
    assert calendar.is_working_day(date(2026, 10, 10)) and not calendar.is_working_day(
        date(2026, 10, 1)
    )
    catalogs.set_active(
        supervisor,
        CALENDAR,
        "2025-10-01",
        False,
        expected_version=catalogs.row_version(supervisor, CALENDAR, "2025-10-01"),
    )  # a day is removed outright
    assert "2025-10-01" not in _keys(db, CALENDAR)
    assert calendar.exceptions[date(2026, 10, 10)] is CalendarDayKind.WORKDAY


def test_an_export_reads_back_as_unchanged(db, supervisor, tmp_path):
    add_model(db, "X1", aging_minutes=90)
    catalogs.save(
        supervisor,
        PRODUCT_MODELS,
        {"code": "X2", "name": "星辰 X2", "colours": ["黑", "金"]},
        expected_version=None,
    )
    catalogs.set_active(
        supervisor,
        PRODUCT_MODELS,
        "X2",
        False,
        expected_version=catalogs.row_version(supervisor, PRODUCT_MODELS, "X2"),
    )
    path = tmp_path / "models.xlsx"
    assert catalogs.export(supervisor, PRODUCT_MODELS, path) == 2
    preview = catalogs.preview_import(supervisor, PRODUCT_MODELS, path)
    assert preview.ok and preview.unchanged == 2 and not preview.changes
    assert not preview.changes_anything


def test_a_file_that_is_not_a_workbook_or_lacks_the_key_column_is_refused(supervisor, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not excel")
    with pytest.raises(InvalidInput, match="not an Excel workbook"):
        catalogs.preview_import(supervisor, FAULT_CODES, junk)
    with pytest.raises(InvalidInput, match="故障代码"):
        catalogs.preview_import(
            supervisor, FAULT_CODES, sheet(tmp_path / "h.xlsx", ("描述",), ("x",))
        )


def test_only_administration_may_change_catalogues(make_user):
    tech = make_user(Role.TECHNICIAN, username="tech")
    with pytest.raises(PermissionDenied):
        catalogs.save(tech, FAULT_CODES, {"code": "F1", "description": "x"}, expected_version=None)


def test_settings_changes_are_audited_from_what_to_what(db, supervisor):
    settings.put(
        supervisor,
        settings.WORKDAY_END,
        "17:30",
        expected_version=settings.setting_version(supervisor, settings.WORKDAY_END),
    )
    settings.put(
        supervisor,
        settings.COMPLAINT_ANSWER_HOURS,
        "12",
        expected_version=settings.setting_version(supervisor, settings.COMPLAINT_ANSWER_HOURS),
    )
    with db.read() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "change_setting").order_by(AuditEntry.id)
        ).all()
        assert settings.get(session, settings.COMPLAINT_ANSWER_HOURS) == 12
    assert [(e.entity_id, e.before, e.after, e.username) for e in entries] == [
        ("center.workday_end", {"value": None}, {"value": "17:30"}, "supervisor"),
        ("complaints.answer_hours", {"value": None}, {"value": 12}, "supervisor"),
    ]
