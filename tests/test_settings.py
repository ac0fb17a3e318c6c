"""Center settings: declared once, typed, checked on save, saved all or nothing."""

from __future__ import annotations

import io
from datetime import time
from decimal import Decimal

import pytest
from factories import add_customer, add_model, receive
from pdfcheck import pdf_barcodes
from pypdf import PdfReader
from sqlalchemy import func, select

from app import audit, care_settings, setting_types, settings
from app.context import Context
from app.db import Database
from app.errors import InvalidInput, PermissionDenied
from app.models import AuditEntry, Setting
from app.receiving.order_labels import order_labels_pdf

MM = 72 / 25.4


def stored(db: Database) -> dict[str, object]:
    with db.read() as session:
        return {row.key: row.value for row in session.scalars(select(Setting))}


def setting_changes(db: Database) -> int:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).where(AuditEntry.action == "change_setting")) or 0
        )


def test_every_setting_is_declared_once_with_a_default_that_passes_its_own_check() -> None:
    declared = {
        v.key
        for module in (settings, care_settings)
        for v in vars(module).values()
        if isinstance(v, setting_types.SettingSpec)
    }
    # every setting is declared in app/settings.py, customer care's in app/care_settings.py
    assert declared == set(setting_types.REGISTRY)
    for spec in setting_types.REGISTRY.values():
        assert spec.coerce(spec.stored(spec.default)) == spec.default, spec
    assert set(settings.SETTINGS_PAGE) <= set(setting_types.REGISTRY.values())
    with pytest.raises(ValueError, match="declared twice"):
        setting_types.TextSetting("center.name", "", "Center name")


@pytest.mark.parametrize(
    ("spec", "value", "message"),
    [
        (settings.WORKDAY_START, "8点半", "HH:MM"),
        (settings.WORKDAY_END, "24:00", "HH:MM"),
        (settings.WORKDAY_END, "18:75", "HH:MM"),
        (settings.COMPLAINT_ANSWER_HOURS, 0, "between 1 and 720"),
        (settings.COMPLAINT_FIRST_CONTACT_MINUTES, "ten", "not a valid value"),
        (settings.REWORK_WINDOW_DAYS, 5000, "between 0 and 730"),
        (settings.REWORK_WINDOW_DAYS, 10**12, "between 0 and 730"),
        (settings.REWORK_WINDOW_DAYS, -1, "between 0 and 730"),
        (settings.REWORK_WINDOW_DAYS, 1.5, "not a valid value"),  # never cut to 1
        (settings.REWORK_WINDOW_DAYS, float("inf"), "not a valid value"),
        (settings.REWORK_WINDOW_DAYS, Decimal("90.5"), "not a valid value"),
        (settings.WORKDAY_START, "25:99", "HH:MM"),
        (settings.SWAP_WARRANTY_RULE, "forever", "not one of the choices"),
        (settings.LABEL_SIZE, "big", "width x height"),
        (settings.LABEL_SIZE, "200x30", "30 to 120 mm wide"),
        (settings.COMPLAINT_CLOCKS_IN_WORKING_HOURS, "yes", "not a valid value"),
        (settings.CENTER_NAME, "中" * 200, "at most 128 characters"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_and_nothing_is_saved(
    db: Database, supervisor: Context, spec, value, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        settings.put(
            supervisor, spec, value, expected_version=settings.setting_version(supervisor, spec)
        )
    assert stored(db) == {}
    assert setting_changes(db) == 0


def test_times_and_numbers_come_back_typed(db: Database, supervisor: Context) -> None:
    assert (
        settings.put_many(
            supervisor,
            {
                settings.WORKDAY_START: "9:00",
                settings.WORKDAY_END: "17:30",
                settings.COMPLAINT_ANSWER_HOURS: "12",
                settings.LABEL_SIZE: "50×30",
            },
            expected_version=settings.current_versions(
                supervisor,
                {
                    settings.WORKDAY_START: "9:00",
                    settings.WORKDAY_END: "17:30",
                    settings.COMPLAINT_ANSWER_HOURS: "12",
                    settings.LABEL_SIZE: "50×30",
                },
            ),
        )
        == 4
    )
    with db.read() as session:
        assert settings.get(session, settings.WORKDAY_START) == time(9, 0)
        assert settings.get(session, settings.WORKDAY_END) == time(17, 30)
        assert settings.get(session, settings.COMPLAINT_ANSWER_HOURS) == 12
        assert settings.get(session, settings.LABEL_SIZE) == (50, 30)
    assert stored(db)["center.workday_start"] == "09:00"
    assert stored(db)["print.label_size"] == "50x30"


def test_several_changes_are_saved_together_or_not_at_all(
    db: Database, supervisor: Context
) -> None:
    with pytest.raises(InvalidInput, match="HH:MM"):
        settings.put_many(
            supervisor,
            {settings.CENTER_NAME: "深圳维修中心", settings.WORKDAY_END: "25:00"},
            expected_version=settings.current_versions(
                supervisor, {settings.CENTER_NAME: "深圳维修中心", settings.WORKDAY_END: "25:00"}
            ),
        )
    assert stored(db) == {} and setting_changes(db) == 0

    assert (
        settings.put_many(
            supervisor,
            {settings.CENTER_NAME: "深圳维修中心", settings.WORKDAY_END: "17:00"},
            expected_version=settings.current_versions(
                supervisor, {settings.CENTER_NAME: "深圳维修中心", settings.WORKDAY_END: "17:00"}
            ),
        )
        == 2
    )
    assert setting_changes(db) == 2


def test_a_failure_while_writing_leaves_every_setting_as_it_was(
    db: Database, supervisor: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.put(
        supervisor,
        settings.CENTER_NAME,
        "旧名字",
        expected_version=settings.setting_version(supervisor, settings.CENTER_NAME),
    )
    record = audit.record
    calls: list[str] = []

    def fail_on_the_second(*args, **kwargs):
        calls.append(args[4])
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_second)
    with pytest.raises(RuntimeError):
        settings.put_many(
            supervisor,
            {settings.CENTER_NAME: "新名字", settings.CENTER_PHONE: "0755-1234"},
            expected_version=settings.current_versions(
                supervisor, {settings.CENTER_NAME: "新名字", settings.CENTER_PHONE: "0755-1234"}
            ),
        )
    assert len(calls) == 2
    assert stored(db) == {"center.name": "旧名字"}
    assert setting_changes(db) == 1


def test_the_working_day_must_end_after_it_starts(db: Database, supervisor: Context) -> None:
    with pytest.raises(InvalidInput, match="end after it starts"):
        settings.put(
            supervisor,
            settings.WORKDAY_END,
            "08:00",
            expected_version=settings.setting_version(supervisor, settings.WORKDAY_END),
        )  # before the default 08:30
    settings.put_many(
        supervisor,
        {settings.WORKDAY_START: "07:00", settings.WORKDAY_END: "08:00"},
        expected_version=settings.current_versions(
            supervisor, {settings.WORKDAY_START: "07:00", settings.WORKDAY_END: "08:00"}
        ),
    )
    with db.read() as session:
        assert settings.get(session, settings.WORKDAY_END) == time(8, 0)


def test_an_unchanged_value_is_not_written_or_audited(db: Database, supervisor: Context) -> None:
    assert (
        settings.put(
            supervisor,
            settings.CENTER_NAME,
            settings.CENTER_NAME.default,
            expected_version=settings.setting_version(supervisor, settings.CENTER_NAME),
        )
        is None
    )
    assert stored(db) == {} and setting_changes(db) == 0


def test_only_administration_changes_settings(make_user, db: Database) -> None:
    from app.models import Role

    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    with pytest.raises(PermissionDenied):
        settings.put(
            clerk,
            settings.CENTER_NAME,
            "x",
            expected_version=settings.setting_version(clerk, settings.CENTER_NAME),
        )
    assert stored(db) == {}


def test_a_removed_or_unreadable_setting_in_the_table_is_ignored(db: Database) -> None:
    with db.transaction() as session:
        session.add(Setting(key="print.paper_size", value="A5"))  # removed: read by nothing
        session.add(Setting(key="station.name", value="前台"))
        session.add(Setting(key="center.workday_end", value="six o'clock"))
    with db.read() as session:
        assert settings.get(session, settings.WORKDAY_END) == time(18, 0)
        values = {spec.key: settings.get(session, spec) for spec in settings.SETTINGS_PAGE}
    assert "print.paper_size" not in values and "station.name" not in values


def test_the_label_size_setting_sizes_the_repair_order_label(
    db: Database, supervisor: Context
) -> None:
    add_model(db)
    order = receive(supervisor, add_customer(db, supervisor), 1)

    def page_mm() -> tuple[float, float]:
        pdf = order_labels_pdf(supervisor, [order.order_id])
        box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        assert pdf_barcodes(pdf) == [("Code128", order.order_no)]
        return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)

    assert page_mm() == (60.0, 40.0)
    settings.put(
        supervisor,
        settings.LABEL_SIZE,
        "50x30",
        expected_version=settings.setting_version(supervisor, settings.LABEL_SIZE),
    )
    assert page_mm() == (50.0, 30.0)
