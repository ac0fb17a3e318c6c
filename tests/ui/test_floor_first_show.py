"""A technician's, a parts keeper's, a QC tester's and a shipping clerk's window shows its first
floor tab (allocation, parts, QC, shipping) with only the tab's header and scan field: the
tab's pages and lists, and the core behind them (the order tables, the allocation, parts, QC and
shipping rules), are imported by the parts built in the turns after the first paint
(ui/widgets/build_steps.py), not before the window shows."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role

ROOT = Path(__file__).resolve().parents[2]
FLOOR_LATER = (
    "app.allocation",
    "app.documents",
    "app.models.orders",
    "app.models.qc",
    "app.models.shipping",
    "app.models.stock",
    "app.orders.listing",
    "app.parts",
    "app.qc",
    "app.receiving.condition",
    "app.search.lookup",
    "app.shipping",
    "app.vocabulary",
    "ui.allocation.queue",
    "ui.allocation.workbench",
    "ui.models.orders",
    "ui.parts.counter_parts",
    "ui.qc.dialogs",
    "ui.qc.rack_parts",
    "ui.receiving.condition",
    "ui.reprint",
    "ui.shipping.packing_parts",
)
CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.users import actor_for_username
from ui import preload
from ui.application import build_main_window, create_application

preload.AFTER_SHOWN_MS = 3_600_000  # what showing the window imports, not the preloading
app = create_application("zh_CN")
db = Database(sys.argv[1])
window = build_main_window(Context(db, actor_for_username(db, sys.argv[2]), "t", SystemClock()))
window.show()
print("shown", window.tabs.currentWidget().objectName(), *sorted(
    name for name in {later!r} if name in sys.modules))
os._exit(0)
"""


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.mark.parametrize(
    ("role", "first_tab"),
    [
        (Role.TECHNICIAN, "allocationTab"),
        (Role.PARTS_KEEPER, "partsTab"),
        (Role.QC_TESTER, "qcTab"),
        (Role.SHIPPING_CLERK, "shippingTab"),
    ],
)
def test_a_floor_role_s_window_shows_before_its_first_tab_s_parts_are_imported(
    make_user: Callable[..., Context], database_url: str, role: Role, first_tab: str
) -> None:
    make_user(role, username="floor")
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(later=FLOOR_LATER), database_url, "floor"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["shown", first_tab]
