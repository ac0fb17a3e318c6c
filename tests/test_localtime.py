"""Times on paper and on screen are the center's wall clock, whatever zone the PC is set to."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from factories import add_customer, add_model, receive
from pdfcheck import pdf_text

from app import localtime, settings
from app.context import Context
from app.db import Database
from app.documents.order_label import LabelData, label_pdf
from app.errors import InvalidInput
from app.receiving.order_labels import order_labels_pdf

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
    settings.put(supervisor, settings.CENTER_TIME_ZONE, "Europe/Berlin")
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
