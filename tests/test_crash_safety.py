"""Killing a station (kill -9) in the middle of scanning loses nothing that was answered as
saved and leaves nothing half-saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from factories import add_customer, add_model
from sqlalchemy import func, select, text

from app.models import AuditEntry, RepairOrder, Unit

SCANNER = Path(__file__).with_name("crash_scanner.py")


def test_kill_dash_nine_while_scanning_loses_no_saved_order(db, database_url, admin) -> None:
    add_model(db)
    customer = add_customer(db, admin)
    for attempt in range(3):  # kill at three different moments
        scanner = subprocess.Popen(
            [sys.executable, str(SCANNER), database_url, str(customer), str(attempt * 10_000 + 1)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        answered: list[str] = []
        deadline = time.monotonic() + 30
        assert scanner.stdout is not None
        while len(answered) < 15 + attempt * 7 and time.monotonic() < deadline:
            line = scanner.stdout.readline()
            if line:
                answered.append(line.strip())
        scanner.send_signal(signal.SIGKILL)
        scanner.wait()
        assert len(answered) >= 15, "the scanner never got going"
        with db.read() as session:
            saved = set(session.scalars(select(RepairOrder.order_no)))
            assert set(answered) <= saved  # nothing answered as saved is lost
            orders = session.scalar(select(func.count()).select_from(RepairOrder))
            # nothing half-saved: every order has its unit and its audit row
            units = session.scalar(select(func.count()).select_from(Unit))
            audited = session.scalar(
                select(func.count(func.distinct(AuditEntry.order_id))).where(
                    AuditEntry.action == "receive"
                )
            )
            assert orders == units == audited
    if db.is_sqlite:
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
