"""The outbox's timer on a customer-service station: its pass runs off the UI thread and the
care page shows which station sends and how the last pass went; a clerk's window runs none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from factories import add_customer, add_model, receive

from app.complaints import notice_events, notice_runner, notices
from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role
from ui.application import build_main_window
from ui.complaints.notice_timer import NoticeTimer
from ui.complaints.tab import ComplaintsTab
from ui.i18n import install_translators


@pytest.fixture(autouse=True)
def _english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    install_translators("en")


@pytest.fixture
def service(db, make_user: Callable[..., Context], clock) -> Context:
    clock.set(datetime(2026, 11, 2, 4, 0, tzinfo=UTC))
    return make_user(Role.CUSTOMER_SERVICE, username="service")


def test_a_pass_on_the_timer_queues_and_shows_its_state_on_the_care_page(
    qtbot, db, service, make_user, clock, monkeypatch
) -> None:
    window = build_main_window(service)
    qtbot.addWidget(window)
    timer = window.notice_timer
    assert isinstance(timer, NoticeTimer)
    assert timer.timer.isActive()  # the first pass scheduled, the database not even asked
    assert timer.timer.interval() == 5 * 60 * 1000  # one interval away, not at once
    tab = window.page("complaintsTab")
    assert isinstance(tab, ComplaintsTab)
    label = tab.care.timer_state
    assert "not started yet" in label.text()

    customer = add_customer(db, service)
    notices.record_consent(service, customer, consents=True, expected_version=0)
    add_model(db)
    receive(make_user(Role.RECEIVING_CLERK, username="clerk"), customer)
    timer.tick()
    qtbot.waitUntil(lambda: not timer.running, timeout=10_000)
    state = notice_runner.sender_state(service)
    assert state.station == service.station and state.queued == 1
    assert "this station" in label.text() and "1 queued, no provider" in label.text()
    assert timer.timer.isActive()  # the next pass is scheduled

    def broken(ctx: Context) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(notice_events, "queue_due_notices", broken)
    clock.advance(minutes=5)
    timer.tick()
    qtbot.waitUntil(lambda: not timer.running, timeout=10_000)
    assert "RuntimeError: disk full" in label.text() and "8a1c1c" in label.styleSheet()
    assert timer.timer.isActive()  # the error did not stop the timer

    window.close()  # the turn given back: another station may send at once
    assert notice_runner.sender_state(service).station is None
    assert notice_runner.sender_state(service).until is None


def test_a_clerks_window_runs_no_timer(qtbot, db, make_user) -> None:
    window = build_main_window(make_user(Role.RECEIVING_CLERK, username="clerk"))
    qtbot.addWidget(window)
    assert window.notice_timer is None
