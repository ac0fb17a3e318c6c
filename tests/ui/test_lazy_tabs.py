"""Start-up builds only the tab on screen; the others, and the heavy modules, come when first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from list_reads import loaded
from PySide6.QtWidgets import QApplication
from window_child import run_window_child

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from ui.application import build_main_window, create_application
from ui.qc.tab import QcTab
from ui.tab_slot import TabSlot

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "PySide6.QtCharts",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "openpyxl",
    "reportlab",
    "PIL",
    "numpy",
)
# Not needed to show the window: the backups (imported by the daily backup's worker, or before an
# upgrade), the complaints' handling (by the complaints tab), the outbox's rules (by its first
# pass), the KPI rules (by the ledgers), Alembic (by an upgrade), the receiving desk's camera and
# photos (by its first photo), the sales register's importer and its report (by the first
# import), the scan sounds' QtMultimedia (preloaded after the window), the tables the first tab
# never reads (shipments, stock moves, aging runs, quality, headquarters: app/models maps a
# table's module when first asked for) and, on SQLite, PostgreSQL's driver and dialect.
NOT_AT_START = (
    "alembic",
    "app.admin.backup",
    "app.complaints.handling",
    "app.complaints.notice_runner",
    "app.importing",
    "app.ledgers.kpi",
    "app.models.headquarters",
    "app.models.qc",
    "app.models.quality",
    "app.models.shipping",
    "app.models.stock",
    "app.receiving.photos",
    "app.receiving.sales_register",
    "PySide6.QtMultimedia",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
    "ui.receiving.photo_capture",
    "ui.widgets.import_report",
)
# Not imported when the window shows (before its first paint): the first tab (receiving) shows its
# header and scan field, its desk is built in the turns after that paint (ui/receiving/tab.py),
# and the orders' tables and the catalogues are mapped by the first read that needs them; the
# kept daily figures by the first write.
DESK_LATER = (
    "app.day_figures",
    "app.day_keeping",
    "app.models.catalog",
    "app.models.orders",
    "app.orders.listing",
    "app.receiving",
    "app.receiving.desk",
    "app.search.lookup",
    "ui.models.orders",
    "ui.receiving.box_panel",
    "ui.receiving.dialogs",
    "ui.receiving.intake",
)

CHILD = """
HEAVY = {heavy!r}
window.show()
print("shown", *sorted(name for name in {desk_later!r} if name in sys.modules))
app.processEvents()
print("start", *sorted(name for name in HEAVY if name in sys.modules))
print("start_core", *sorted(name for name in {not_at_start!r} if name in sys.modules))
for tab in ("allocationTab", "partsTab", "qcTab", "shippingTab", "complaintsTab", "adminTab"):
    window.show_tab(tab)
    app.processEvents()
print("floor", *sorted(name for name in HEAVY if name in sys.modules))
window.show_tab("ledgersTab")
window.page("ledgersTab")  # whole: its parts are built one per turn after it shows
app.processEvents()
print("ledgers", *sorted(name for name in HEAVY if name in sys.modules))
"""


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def slots(window) -> dict[str, TabSlot]:
    return {slot.objectName(): slot for slot in window.tab_pages()}


def test_only_the_tab_on_screen_is_built_and_the_others_when_first_shown(qtbot, admin) -> None:
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    built = [name for name, slot in slots(window).items() if slot.is_built]
    assert built == ["receivingTab"]
    assert window.findChild(QcTab, "qcTab") is None

    window.show_tab("qcTab")
    tab = window.findChild(QcTab, "qcTab")
    assert tab is not None and tab.isVisible()
    assert window.page("qcTab") is tab  # built once
    assert not slots(window)["adminTab"].is_built
    admin_tab = window.page("adminTab")  # asked for: built, though not shown
    assert admin_tab is not None and slots(window)["adminTab"].is_built
    assert window.page("noSuchTab") is None


def test_heavy_modules_are_imported_on_first_use(admin: Context, database_url: str) -> None:
    body = CHILD.format(heavy=HEAVY, not_at_start=NOT_AT_START, desk_later=DESK_LATER)
    lines = run_window_child(body, database_url)
    assert lines["shown"] == []  # the first tab's desk and the order tables: after the paint
    assert lines["start"] == []  # an admin's window is up without charts, PDF, Excel, pictures
    expected = [] if admin.db.is_sqlite else ["psycopg", "sqlalchemy.dialects.postgresql"]
    assert lines["start_core"] == expected  # nor what no window needs before it shows
    # the floor's tabs built: still none (a waybill, a letter, an Excel sheet loads its library
    # when it is made, not when its tab is built)
    assert lines["floor"] == []
    assert "PySide6.QtCharts" in lines["ledgers"]  # the dashboard's charts, once it is shown
    # a supervisor's first tab: listing the ledgers and quality reports loads no Excel writer
    assert {"openpyxl", "PIL", "numpy", "reportlab"}.isdisjoint(lines["ledgers"])


def test_the_tabs_modules_are_imported_off_the_ui_thread_after_the_window_shows(
    qtbot, admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from ui import preload

    asked: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(preload, "AFTER_SHOWN_MS", 0)
    monkeypatch.setattr(
        preload,
        "import_all",
        lambda modules: asked.append((threading.current_thread().name, list(modules))),
    )
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    assert asked == []  # not before the window shows
    window.show()
    qtbot.waitUntil(lambda: len(asked) == 1)
    thread, modules = asked[0]
    assert thread == "preload"
    assert {"ui.qc.tab", "ui.shipping.tab", "ui.admin.tab", "openpyxl"} <= set(modules)
    window.hide()
    window.show()  # shown again: not twice
    qtbot.wait(50)
    assert len(asked) == 1


def test_a_module_that_fails_to_preload_is_reported_not_raised() -> None:
    from ui.preload import import_all

    assert import_all(["json", "no_such_module_here"]) == ["no_such_module_here"]


def test_the_window_and_each_tab_built_are_kept_out_of_the_collectors_walks(qtbot, admin) -> None:
    import gc

    gc.unfreeze()
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    started = gc.get_freeze_count()
    assert started > 0  # start-up's objects: frozen, a full collection does not walk them
    window.show()
    loaded(qtbot)  # the first tab whole (its parts follow the first paint, one per turn)
    first_tab = gc.get_freeze_count()
    assert first_tab > started
    window.show_tab("qcTab")
    loaded(qtbot)
    assert gc.get_freeze_count() > first_tab  # the QC tab, once built, too
    window.close()  # (a sign-out): its objects may be collected again
    assert gc.get_freeze_count() == 0


def test_the_window_shows_with_its_first_tab_built_and_its_scan_field_taking_input(
    qtbot, admin
) -> None:
    """What the start-up figure stops at is a window a person can scan into at once."""
    from ui.widgets.scan_field import ScanField

    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    page = window.tabs.currentWidget()
    assert page.objectName() == "receivingTab" and slots(window)["receivingTab"].is_built
    focus = QApplication.focusWidget()
    assert isinstance(focus, ScanField) and focus in page.findChildren(ScanField)
    assert focus.isVisible() and focus.isEnabled() and not focus.isReadOnly()


def test_the_startup_benchmark_child_starts_as_the_command_does_and_waits_for_a_scan_field(
    admin: Context, database_url: str, tmp_path: Path
) -> None:
    """benchmarks/startup_child.py: ``repairfloor gui``'s start, the sign-in replaced by the
    window; it reports the window shown, then ready (a scan field taking input), and nothing
    of the benchmark harness is imported in it."""
    program = (
        "import runpy, sys\n"
        "sys.argv = sys.argv[1:]\n"
        "import os\n"
        "real_exit = os._exit\n"
        "def _exit(code):\n"
        "    print('harness', 'benchmarks' in sys.modules, flush=True)\n"
        "    real_exit(code)\n"
        "os._exit = _exit\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            program,
            str(ROOT / "benchmarks" / "startup_child.py"),
            database_url,
            admin.actor.username,
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), DATA_DIR_ENV_VAR: str(tmp_path / "station")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split()[:2] for line in result.stdout.splitlines())
    assert float(lines["shown"]) <= float(lines["ready"])
    assert lines["harness"] == "False"


def test_the_scan_sounds_are_made_ahead_once_the_preload_thread_is_done(
    qtbot, admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from ui import preload
    from ui.widgets.sounds import Sounds

    importing = threading.Event()
    warmed: list[bool] = []
    monkeypatch.setattr(preload, "AFTER_SHOWN_MS", 0)
    monkeypatch.setattr(preload, "IMPORTED_POLL_MS", 10)
    monkeypatch.setattr(preload, "import_all", lambda modules: importing.wait(10))
    monkeypatch.setattr(Sounds, "warm_up", lambda self: warmed.append(True))
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: any(t.name == "preload" for t in threading.enumerate()))
    qtbot.wait(60)
    assert warmed == []  # not while the imports run
    importing.set()
    qtbot.waitUntil(lambda: warmed == [True])
    qtbot.wait(60)
    assert warmed == [True]  # once


def test_what_the_preload_imported_is_kept_out_of_the_collectors_walks(
    qtbot, admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The modules imported live as long as the process: left in sight, the next full
    collection walked them all (~30 ms of the UI thread, in whatever tab's first show)."""
    import gc

    from ui import preload
    from ui.widgets.sounds import Sounds

    made: list[object] = []
    monkeypatch.setattr(preload, "AFTER_SHOWN_MS", 0)
    monkeypatch.setattr(preload, "IMPORTED_POLL_MS", 10)
    monkeypatch.setattr(preload, "import_all", lambda modules: made.extend([] for _ in range(500)))
    monkeypatch.setattr(Sounds, "warm_up", lambda self: None)
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(made) == 500)
    made_ids = {id(thing) for thing in made}

    def frozen() -> bool:  # the collector's generations no longer hold them: frozen
        return not any(id(thing) in made_ids for thing in gc.get_objects())

    # (The freeze count is no measure: frozen objects of earlier tests die in this one.)
    qtbot.waitUntil(frozen)
