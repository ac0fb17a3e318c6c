"""The unit view in the window: scanning an IMEI into the search opens every order of the unit
(across swapped serials) with its photos; an order's timeline opens it too; photos are taken
with the station's camera or from files, and a station without a camera says so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from factories import add_customer, add_model, force_state, imei, receive
from PIL import Image
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.allocation import workbench as bench
from app.config import DATA_DIR_ENV_VAR
from app.models import Photo, RepairState, Role
from app.orders.listing import order_version
from app.receiving.photos import store_photo
from ui.application import build_main_window
from ui.receiving import photo_capture
from ui.receiving.photo_capture import PhotoDialog
from ui.search.timeline import TimelineDialog
from ui.search.unit_view import UnitViewDialog


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 150), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def unit(db, admin, make_user, clock):
    """imei(1) repaired once, back again and its board swapped to imei(2); a photo at intake."""
    add_model(db)
    tech = make_user(Role.TECHNICIAN, username="tech")
    customer = add_customer(db, admin, "王小明", "13566667777")
    first = receive(admin, customer, 1)
    force_state(db, first.order_id, RepairState.SHIPPED, shipped_at=clock.now())
    second = receive(admin, customer, 1)
    store_photo(admin, second.order_id, jpeg("red"), name="front.jpg", caption="屏幕裂纹")
    force_state(db, second.order_id, RepairState.IN_REPAIR)
    bench.swap_serial(
        tech, second.order_id, imei(2), "换主板",
        expected_version=order_version(tech, second.order_id),
    )  # fmt: skip
    return first, second


@pytest.fixture
def window(qtbot, admin, unit):
    main = build_main_window(admin)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    for dialog in main.findChildren(UnitViewDialog) + main.findChildren(TimelineDialog):
        dialog.close()
    main.search_field.results.hide()


def _opened_unit(qtbot, parent) -> UnitViewDialog:
    qtbot.waitUntil(lambda: bool(parent.findChildren(UnitViewDialog)), timeout=10000)
    dialog = parent.findChildren(UnitViewDialog)[0]
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10000)
    return dialog


def test_scanning_the_old_imei_into_the_search_opens_the_whole_unit(qtbot, window, unit) -> None:
    first, second = unit
    field = window.search_field
    field.setText(imei(1))  # the serial swapped out: still the same unit
    qtbot.keyClick(field, Qt.Key.Key_Return)
    dialog = _opened_unit(qtbot, window)
    assert not window.findChildren(TimelineDialog)
    assert dialog.visits.count() == 2
    assert second.order_no in dialog.visits.item(0).text()
    assert first.order_no in dialog.visits.item(1).text()
    assert imei(1) in dialog.header.text() and imei(2) in dialog.header.text()
    assert dialog.photos.count() == 1 and "屏幕裂纹" in dialog.photos.item(0).text()
    assert dialog.events.rowCount() >= 2  # received, swapped
    dialog.photos.itemActivated.emit(dialog.photos.item(0))
    qtbot.waitUntil(lambda: getattr(dialog, "picture_dialog", None) is not None, timeout=10000)
    label = dialog.picture_dialog.findChild(type(dialog.header), "unitPhotoPicture")
    assert label.pixmap().width() == 200
    dialog.picture_dialog.close()
    dialog.visits.setCurrentRow(1)
    assert dialog.photos.count() == 0 and first.order_no in dialog.summary.text()


def test_an_orders_timeline_opens_its_unit(qtbot, window, unit) -> None:
    _first, second = unit
    window.open_timeline(second.order_id)
    qtbot.waitUntil(lambda: bool(window.findChildren(TimelineDialog)), timeout=10000)
    timeline = window.findChildren(TimelineDialog)[0]
    qtbot.waitUntil(lambda: timeline.unit_button.isEnabled(), timeout=10000)
    timeline.unit_button.click()
    dialog = _opened_unit(qtbot, timeline)
    assert dialog.visits.count() == 2


def test_without_a_camera_the_dialog_says_so_and_files_still_work(
    qtbot, db, admin, unit, tmp_path, monkeypatch
) -> None:
    _first, second = unit
    monkeypatch.setattr(photo_capture, "default_camera", lambda: None)
    dialog = PhotoDialog(admin, second.order_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.findChild(type(dialog.status), "noCameraLabel").isVisible()
    assert not dialog.take_button.isEnabled()
    files = [tmp_path / "a.jpg", tmp_path / "b.jpg"]
    for path, colour in zip(files, ("blue", "green"), strict=True):
        path.write_bytes(jpeg(colour))
    monkeypatch.setattr(dialog, "choose_files", lambda: files)
    with qtbot.waitSignals([dialog.stored, dialog.stored], timeout=10000):
        dialog.add_files()
    qtbot.waitUntil(lambda: dialog.count == 2, timeout=10000)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Photo)) == 3
    bad = tmp_path / "c.jpg"
    bad.write_bytes(b"not a picture")
    monkeypatch.setattr(dialog, "choose_files", lambda: [bad])
    saved = dialog.status.text()
    dialog.add_files()
    qtbot.waitUntil(lambda: dialog.status.text() != saved, timeout=10000)
    assert "c.jpg" in dialog.status.text() and dialog.count == 2  # refused, said why


def test_a_captured_frame_is_stored_as_a_jpeg(qtbot, db, admin, unit, monkeypatch) -> None:
    from PySide6.QtGui import QColor, QImage

    _first, second = unit
    monkeypatch.setattr(photo_capture, "default_camera", lambda: None)
    dialog = PhotoDialog(admin, second.order_id)
    qtbot.addWidget(dialog)
    frame = QImage(64, 48, QImage.Format.Format_RGB32)
    frame.fill(QColor("orange"))
    with qtbot.waitSignal(dialog.stored, timeout=10000):
        dialog.store_image(frame)
    with db.read() as session:
        newest = session.scalars(select(Photo).order_by(Photo.id.desc())).first()
        assert newest.content_type == "image/jpeg" and newest.station == "test-station"
