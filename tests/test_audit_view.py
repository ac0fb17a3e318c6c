"""The audit log viewer: filters by user, station, order, date range and action; pages; export."""

from __future__ import annotations

from datetime import timedelta

from factories import add_customer, add_model, receive
from openpyxl import load_workbook

from app import settings
from app.admin import audit_log as audit_view
from app.admin.audit_log import AuditFilter
from app.models import Role


def test_the_log_filters_by_user_station_order_action_and_day(db, supervisor, make_user, clock):
    add_model(db)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    clerk.station = "receiving-1"
    first = receive(clerk, add_customer(db, clerk), 1)
    clock.advance(days=2)
    receive(clerk, add_customer(db, clerk, "李四", "13900139000"), 2)
    settings.put(
        supervisor,
        settings.LETTER_SIGNATORY,
        "前台",
        expected_version=settings.setting_version(supervisor, settings.LETTER_SIGNATORY),
    )

    everything = audit_view.count(supervisor, AuditFilter())
    assert everything == len(audit_view.page(supervisor, AuditFilter(), 0, 1000))
    by_clerk = audit_view.page(supervisor, AuditFilter(username="clerk"), 0, 100)
    assert by_clerk and {row.username for row in by_clerk} == {"clerk"}
    assert {
        row.station
        for row in audit_view.page(supervisor, AuditFilter(station="receiving-1"), 0, 100)
    } == {"receiving-1"}
    of_order = audit_view.page(supervisor, AuditFilter(order_no=first.order_no.lower()), 0, 100)
    assert of_order and {row.order_no for row in of_order} == {first.order_no}
    (setting,) = audit_view.page(supervisor, AuditFilter(action="change_setting"), 0, 100)
    assert setting.after == {"value": "前台"} and setting.username == "supervisor"
    today = clock.now().date()
    recent = audit_view.count(supervisor, AuditFilter(date_from=today - timedelta(days=1)))
    older = audit_view.count(supervisor, AuditFilter(date_to=today - timedelta(days=1)))
    assert recent + older == everything and older > 0 and recent > 0


def test_pages_are_newest_first_and_do_not_overlap(db, supervisor):
    for hours in range(5):
        settings.put(
            supervisor,
            settings.COMPLAINT_ANSWER_HOURS,
            10 + hours,
            expected_version=settings.setting_version(supervisor, settings.COMPLAINT_ANSWER_HOURS),
        )
    where = AuditFilter(action="change_setting")
    first, second = (
        audit_view.page(supervisor, where, 0, 3),
        audit_view.page(supervisor, where, 3, 3),
    )
    assert len(first) == 3 and len(second) == 2
    ids = [row.id for row in first + second]
    assert ids == sorted(ids, reverse=True)
    oldest_first = audit_view.page(supervisor, where, 0, 5, "at", descending=False)
    assert [row.id for row in oldest_first] == sorted(ids)


def test_the_filtered_log_exports_to_excel(db, supervisor, tmp_path):
    settings.put(
        supervisor,
        settings.LABEL_SIZE,
        "50x30",
        expected_version=settings.setting_version(supervisor, settings.LABEL_SIZE),
    )
    path = tmp_path / "audit.xlsx"
    assert audit_view.export(supervisor, AuditFilter(action="change_setting"), path) == 1
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "用户", "工位", "动作")
    assert rows[1][1:4] == ("supervisor", "test-station", "设置已修改")  # the label, in Chinese
    assert rows[1][8] == "value=50x30"
    sheet = load_workbook(path).active
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1" and "&P" in sheet.oddFooter.center.text
