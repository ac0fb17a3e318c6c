"""The watch after a complaint (seed 000) seen where the customer comes back: a red banner on the
receiving desk's box, the scan's answer, and the customer's cell of a search hit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei, settle_a_complaint
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from test_receiving_tab import printed, receiving_tab, scan  # noqa: F401 (a fixture)

from app.config import DATA_DIR_ENV_VAR
from app.models import Carrier, Role
from app.receiving import open_box
from app.search.find import search
from ui.search.field import SearchResultsModel
from ui.widgets.feedback import Outcome


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.mark.usefixtures("printed")  # a label that does not print would take the answer's place
def test_a_watched_senders_box_and_units_are_flagged_in_red(
    qtbot, db, make_user, supervisor, clock
) -> None:
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    add_model(db)
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    service = make_user(Role.CUSTOMER_SERVICE, username="service")
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    watched = add_customer(db, service, "华强北星辰通讯", "13912345678")
    settle_a_complaint(db, service, supervisor, watched)
    box_id = open_box(clerk, "SF1234567890123", sender_id=watched, declared_quantity=2)

    tab = receiving_tab(qtbot, clerk)
    banner = tab.box_panel.watch_banner
    assert not banner.isVisible()
    tab.set_box(box_id)
    assert banner.isVisible()
    assert "华强北星辰通讯" in banner.text() and "2027-02-28" in banner.text()
    answer = scan(qtbot, tab, imei(1))
    assert answer.outcome is Outcome.WARNING, answer.text()
    assert "2027-02-28" in answer.text() and "RO" in answer.text()
    tab.set_box(None)
    assert not banner.isVisible()

    model = SearchResultsModel()
    model.set_hits(search(clerk, "13912345678"))
    cell = model.index(0, model.COLUMNS.index("customer"))
    assert "华强北星辰通讯" in model.data(cell)
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) == QColor("#b00020")
    assert "2027-02-28" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    order_cell = model.index(0, model.COLUMNS.index("order_no"))
    assert model.data(order_cell, Qt.ItemDataRole.BackgroundRole) is None
