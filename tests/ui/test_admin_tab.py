"""The administration tab: a supervisor keeps the catalogues (the QC rack then follows them),
imports after a preview, saves settings; only the administrator sees the Users page."""

from __future__ import annotations

from datetime import time

import pytest
from conftest import PASSWORD
from factories import add_customer, receive
from list_reads import loaded
from openpyxl import Workbook
from PySide6.QtWidgets import QLabel
from shiboken6 import isValid
from sqlalchemy import select

from app import settings
from app.admin import catalogs
from app.admin.catalog_tables import FAULT_CODES, RACK_SLOTS
from app.errors import IllegalTransition
from app.models import AuditEntry, ProductModel, Role
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.qc import aging as qc
from ui.admin.tab import AdminTab
from ui.application import create_application
from ui.changes import ChangeBridge


@pytest.fixture
def tab_for(qtbot, db):
    bridges: list[ChangeBridge] = []
    tabs: list[AdminTab] = []  # held here: a test keeps only a page of it (qtbot's is weak)

    def build(ctx) -> AdminTab:
        bridge = ChangeBridge(db)
        bridges.append(bridge)
        tab = AdminTab(ctx, bridge)
        tabs.append(tab)
        qtbot.addWidget(tab)
        tab.resize(620, 560)
        tab.show()
        loaded(qtbot)
        return tab

    yield build
    for bridge in bridges:
        bridge.close()


def test_a_model_added_in_the_tab_sets_the_aging_hours_qc_requires(
    qtbot, qtmodeltester, db, supervisor, make_user, clock, tab_for
):
    tab = tab_for(supervisor)
    assert tab.users is None  # user management is the administrator's
    panel = tab.catalogues
    panel.select_catalog("product_models")
    qtmodeltester.check(panel.model)
    dialog = panel.add_row()
    dialog.set_value("code", "P6")
    dialog.set_value("name", "星辰 P6")
    dialog.set_value("tac_prefixes", ["86012345"])
    dialog.set_value("aging_minutes", 6.0)  # typed in hours
    dialog.save()
    loaded(qtbot)  # the list is read again on the read worker: the closed dialog is deleted
    assert not isValid(dialog) or not dialog.isVisible()
    assert [row.key for row in panel.model._rows] == ["P6"]
    with db.read() as session:
        assert (
            session.scalar(select(ProductModel.aging_minutes).where(ProductModel.code == "P6"))
            == 360
        )
    catalogs.save(supervisor, RACK_SLOTS, {"code": "A-01", "rack": "A"}, expected_version=None)

    tech = make_user(Role.TECHNICIAN, username="tech")
    tester = make_user(Role.QC_TESTER, username="qc")
    received = receive(supervisor, add_customer(db, supervisor), 1, model_code="P6")
    orders.allocate(supervisor, [received.order_id], tech.user_id)
    orders.start_repair(tech, received.order_id)
    orders.finish_repair(
        tech,
        received.order_id,
        diagnosis="-",
        repair_action="更换主板",
        expected_version=order_version(tech, received.order_id),
    )
    qc.start_aging(tester, received.order_id)
    clock.advance(hours=5, minutes=59)
    with pytest.raises(IllegalTransition):
        qc.sign_off(tester, received.order_id, passed=True, password=PASSWORD)
    clock.advance(minutes=1)
    order = qc.sign_off(tester, received.order_id, passed=True, password=PASSWORD)
    assert order.state.value == "qc_passed"


def test_an_import_shows_its_bad_rows_and_applies_nothing(qtbot, db, supervisor, tab_for, tmp_path):
    tab = tab_for(supervisor)
    panel = tab.catalogues
    panel.select_catalog("fault_codes")
    workbook = Workbook()
    for line in (("故障代码", "故障描述"), ("F01", "不开机"), ("F02", "")):
        workbook.active.append(line)
    path = tmp_path / "faults.xlsx"
    workbook.save(path)
    dialog = panel.import_file(path)
    assert dialog is not None and not dialog.apply_button.isEnabled()
    assert "3" in dialog.details.toPlainText()
    dialog.reject()
    assert catalogs.rows(supervisor, FAULT_CODES) == []

    workbook.active.delete_rows(3)
    workbook.save(path)
    dialog = panel.import_file(path)
    assert dialog.apply_button.isEnabled()
    dialog.apply()
    loaded(qtbot)
    assert [row.key for row in panel.model._rows] == ["F01"]
    panel.view.selectRow(0)
    panel.toggle_selected()
    loaded(qtbot)
    assert catalogs.rows(supervisor, FAULT_CODES)[0].active is False
    panel.export_to(tmp_path / "out.xlsx")
    assert (tmp_path / "out.xlsx").exists()


def saved_count(qtbot, page) -> int:
    """Press save (it saves on the floor worker) and wait for how many settings it changed."""
    qtbot.waitUntil(page.save_button.isEnabled)  # the values and their versions are loaded
    with qtbot.waitSignal(page.saved, timeout=20_000) as saved:
        page.save()
        assert not page.save_button.isEnabled()  # saving on the floor worker: pressed once
    return saved.args[0]


def test_the_settings_page_shows_a_refusal_and_saves_nothing(qtbot, db, supervisor, tab_for):
    create_application("zh_CN")
    tab = tab_for(supervisor)
    page = tab.settings
    page.editors[settings.CENTER_NAME.key].setText("深圳维修中心")
    page.editors[settings.WORKDAY_START.key].setText("8点半")

    assert saved_count(qtbot, page) == 0

    assert page.message.text() == "上班时间(时:分):请按 时:分 填写,例如 08:30(不是 8点半)。"
    assert page.editors[settings.WORKDAY_START.key].text() == "8点半"  # kept, to be corrected
    with db.read() as session:
        assert settings.get(session, settings.CENTER_NAME) == settings.CENTER_NAME.default
        assert "change_setting" not in session.scalars(select(AuditEntry.action)).all()
    page.editors[settings.WORKDAY_START.key].setText("08:00")
    assert saved_count(qtbot, page) == 2


def test_settings_are_saved_and_audited_and_the_log_shows_them(
    qtbot, qtmodeltester, db, supervisor, tab_for, tmp_path
):
    tab = tab_for(supervisor)
    tab.settings.editors[settings.WORKDAY_END.key].setText("17:30")
    tab.settings.editors[settings.COMPLAINT_ANSWER_HOURS.key].setValue(12)
    assert saved_count(qtbot, tab.settings) == 2
    with db.read() as session:
        assert settings.get(session, settings.WORKDAY_END) == time(17, 30)
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("change_setting") == 2
    audit = tab.audit
    audit.load_choices()
    loaded(qtbot)
    audit.action.setCurrentText("change_setting")
    audit.apply_filter()
    loaded(qtbot)
    qtmodeltester.check(audit.model)
    assert audit.model.total == 2
    audit.export_to(tmp_path / "audit.xlsx")
    assert (tmp_path / "audit.xlsx").exists()


def test_the_administrator_resets_a_password_from_the_users_page(
    qtbot, db, admin, make_user, tab_for
):
    make_user(Role.TECHNICIAN, username="tech")
    tab = tab_for(admin)
    assert tab.users is not None
    users = tab.users
    row = next(
        i for i in range(users.model.rowCount()) if users.model.row_object(i).username == "tech"
    )
    users.view.selectRow(row)
    users.reset_selected()
    loaded(qtbot)
    assert "tech" in users.message.text()
    users.view.selectRow(row)
    users.toggle_selected()
    loaded(qtbot)
    with db.read() as session:
        assert "disable_user" in session.scalars(select(AuditEntry.action)).all()
    dialog = users.new_user()
    dialog.username.setText("clerk")
    dialog.password.setText("first-pass")
    dialog.roles[Role.RECEIVING_CLERK].setChecked(True)
    loaded(qtbot)
    dialog.save()
    loaded(qtbot)
    assert "clerk" in {users.model.row_object(i).username for i in range(users.model.rowCount())}


def test_the_calendar_page_fills_a_year_in_one_action_and_warns_of_a_missing_one(
    qtbot, db, supervisor, clock, tab_for
):
    from datetime import UTC, datetime

    from app.admin.holiday_calendar import official_days
    from ui.widgets.feedback import Outcome

    clock.set(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    panel = tab_for(supervisor).catalogues
    panel.select_catalog("calendar")
    bar = panel.calendar_fill
    assert bar.isVisible()
    qtbot.waitUntil(lambda: "2026" in bar.warning.text(), timeout=10000)
    assert bar.year.value() == 2026
    bar.fill_button.click()
    loaded(qtbot)
    qtbot.waitUntil(lambda: panel.message.outcome is not None, timeout=10000)
    assert panel.message.outcome is Outcome.OK and "2026" in panel.message.text()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 20, timeout=10000)
    knows_2027 = official_days(2027) is not None
    qtbot.waitUntil(lambda: "2026" not in bar.warning.text(), timeout=10000)
    assert "2027" in bar.warning.text()
    assert ("chinesecalendar" in bar.warning.text()) is not knows_2027
    panel.select_catalog("fault_codes")
    assert not bar.isVisible()


def test_the_administrator_sets_a_badge_holders_pin_from_the_users_page(
    qtbot, db, admin, make_user, tab_for, clock
):
    from app import users as app_users

    make_user(Role.PARTS_KEEPER, username="keeper", badge_code="K001")
    make_user(Role.TECHNICIAN, username="tech")
    users = tab_for(admin).users
    assert users is not None
    loaded(qtbot)

    def select(name: str) -> None:
        model = users.model
        users.view.selectRow(
            next(i for i in range(model.rowCount()) if model.row_object(i).username == name)
        )

    select("tech")  # no badge: told what to do first, no dialog
    assert users.set_pin_selected() is None and "tech" in users.message.text()
    select("keeper")
    dialog = users.set_pin_selected()
    assert dialog is not None
    assert any("keeper" in label.text() for label in dialog.findChildren(QLabel))
    dialog.first.setText("2580")
    dialog.second.setText("2581")
    dialog.submit()
    assert dialog.isVisible() and dialog.message.text()  # the two differ: stays open
    dialog.second.setText("2580")
    dialog.submit()
    loaded(qtbot)
    assert "keeper" in users.message.text()
    actor = app_users.sign_in_with_badge(db, "K001", "2580", station="库房", clock=clock)
    assert actor.username == "keeper"
