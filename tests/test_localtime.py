"""Times on paper and on screen are the center's wall clock, whatever zone the PC is set to."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from factories import add_customer, add_model, receive
from pdfcheck import pdf_text

from app import localtime, settings
from app.context import Context
from app.db import Database
from app.documents.order_label import LabelData, label_pdf
from app.errors import InvalidInput
from app.numbering import next_number
from app.receiving.order_labels import order_labels_pdf
from app.workcal import WorkCalendar

MOMENT = datetime(2026, 11, 24, 2, 58, tzinfo=UTC)  # 10:58 in Shanghai


@pytest.fixture
def pc_set_to_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert MOMENT.astimezone().strftime("%H:%M") == "02:58"  # what the PC alone would print
    yield
    monkeypatch.undo()
    time.tzset()
    localtime.use_center_zone(localtime.DEFAULT_ZONE_NAME)


def test_a_label_printed_on_a_pc_set_to_utc_shows_the_centers_time(pc_set_to_utc: None) -> None:
    label = LabelData("RO202611240017", "X1", "SN1", MOMENT, "不开机")
    text = pdf_text(label_pdf([label]))
    assert "2026-11-24 10:58" in text and "02:58" not in text


def test_the_center_time_zone_setting_moves_every_printed_time(
    pc_set_to_utc: None, db: Database, supervisor: Context, clock
) -> None:
    add_model(db)
    clock.set(MOMENT)
    order = receive(supervisor, add_customer(db, supervisor), 1)
    assert "2026-11-24 10:58" in pdf_text(order_labels_pdf(supervisor, [order.order_id]))
    settings.put(
        supervisor,
        settings.CENTER_TIME_ZONE,
        "Europe/Berlin",
        expected_version=settings.setting_version(supervisor, settings.CENTER_TIME_ZONE),
    )
    assert localtime.local_text(MOMENT) == "2026-11-24 03:58"
    localtime.use_center_zone("UTC")  # another station's stale zone: a document reads the setting
    assert "2026-11-24 03:58" in pdf_text(order_labels_pdf(supervisor, [order.order_id]))


@pytest.mark.parametrize("name", ["Asia", "Mars/Olympus", "../etc", "", "/etc/localtime"])
def test_a_time_zone_that_is_not_one_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        settings.CENTER_TIME_ZONE.coerce(name)


def test_a_naive_time_is_refused_rather_than_taken_as_the_pcs() -> None:
    with pytest.raises(ValueError):
        localtime.local(datetime(2026, 11, 24, 10, 58))


def test_working_days_and_order_numbers_follow_the_center_time_zone(
    pc_set_to_utc: None, db: Database
) -> None:
    """The days a center works and numbers its orders by are the days of the zone it shows: a
    center in New York does not number a Sunday evening's order with Monday's date."""
    sunday_evening_in_new_york = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # Mon 11:00 in Shanghai
    shanghai = WorkCalendar()
    assert shanghai.is_working_day(sunday_evening_in_new_york.astimezone(shanghai.tz).date())
    with db.transaction() as session:
        assert next_number(session, "RO", sunday_evening_in_new_york).startswith("RO20261130")

    localtime.use_center_zone("America/New_York")
    new_york = WorkCalendar()
    assert new_york.tz == ZoneInfo("America/New_York")
    sunday = sunday_evening_in_new_york.astimezone(new_york.tz).date()
    assert sunday == date(2026, 11, 29) and not new_york.is_working_day(sunday)
    monday = new_york.add_working_days(sunday_evening_in_new_york, 1).astimezone(new_york.tz)
    assert monday.date() == date(2026, 11, 30)
    with db.transaction() as session:
        assert next_number(session, "RO", sunday_evening_in_new_york).startswith("RO20261129")
