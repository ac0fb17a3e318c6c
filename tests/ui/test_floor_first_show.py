"""Each role's window shows its first tab with only the tab's header and scan field (the
ledgers: its header and frame): the tab's pages and lists, and the core behind them (the order
tables, the allocation, parts, QC, shipping, complaint, KPI and quality rules, QtCharts), are
imported by the parts built in the turns after the first paint (ui/widgets/build_steps.py), not
before the window shows. (An admin's, whose first tab is receiving: tests/ui/test_lazy_tabs.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_lazy_tabs import DESK_LATER
from window_child import run_window_child

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Role

FLOOR_LATER = (
    *DESK_LATER,
    "PySide6.QtCharts",
    "app.allocation",
    "app.complaints",
    "app.documents",
    "app.ledgers.kpi",
    "app.models.complaints",
    "app.models.qc",
    "app.models.quality",
    "app.models.shipping",
    "app.models.stock",
    "app.parts",
    "app.qc",
    "app.quality.alarms",
    "app.receiving.condition",
    "app.shipping",
    "app.vocabulary",
    "ui.allocation.queue",
    "ui.allocation.workbench",
    "ui.complaints.registration",
    "ui.complaints.table_models",
    "ui.ledgers.dashboard",
    "ui.parts.counter_parts",
    "ui.qc.dialogs",
    "ui.qc.rack_parts",
    "ui.quality.page",
    "ui.receiving.condition",
    "ui.reprint",
    "ui.shipping.packing_parts",
)
BODY = """
window.show()
print("shown", window.tabs.currentWidget().objectName(), *sorted(
    name for name in {later!r} if name in sys.modules))
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
        (Role.SUPERVISOR, "ledgersTab"),
        (Role.CUSTOMER_SERVICE, "complaintsTab"),
    ],
)
def test_a_role_s_window_shows_before_its_first_tab_s_parts_are_imported(
    make_user: Callable[..., Context], database_url: str, role: Role, first_tab: str
) -> None:
    make_user(role, username="floor")
    lines = run_window_child(BODY.format(later=FLOOR_LATER), database_url, "floor")
    assert lines == {"shown": [first_tab]}
