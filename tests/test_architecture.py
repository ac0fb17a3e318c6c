"""`app/` is the Qt-free core: importing it and every module under it pulls in no Qt."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import app


def test_no_module_of_app_imports_qt() -> None:
    modules = sorted(
        info.name
        for info in pkgutil.walk_packages(app.__path__, prefix="app.")
        if ".migrations" not in info.name and not info.name.endswith("__main__")
    )
    assert "app.orders.transitions" in modules and "app.qc.aging" in modules
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"app imports Qt: {result.stdout}"


def test_no_module_of_app_imports_ui_or_the_entry_point() -> None:
    """The core never reaches up: ``ui`` and ``repairfloor`` import ``app``, never the reverse."""
    offenders = []
    for path in Path(app.__path__[0]).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] in ("ui", "repairfloor")
            ]
    assert offenders == []


def test_no_module_imports_star() -> None:
    """Where a name is defined stays findable: packages re-export by name, with ``__all__``."""
    root = Path(app.__path__[0]).parent
    checked, offenders = 0, []
    for package in ("app", "ui", "repairfloor"):
        for path in sorted((root / package).rglob("*.py")):
            checked += 1
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert checked > 100
    assert offenders == []


AREAS = (
    "receiving",
    "allocation",
    "parts",
    "qc",
    "shipping",
    "complaints",
    "ledgers",
    "search",
    "admin",
    "quality",
    "headquarters",
)
# Areas with no main-window tab of their own: a page inside another area's tab.
NO_TAB = {"search": "the tool bar's field", "quality": "a page of the ledgers and dashboard tab"}
ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
# Declarative tables and generated files may be long: each is one list a reader scans, not logic.
LONG_FILES_ALLOWED = {
    "app/admin/catalog_tables.py",  # the catalogues, declared field by field
}


def test_every_floor_area_is_a_package_in_the_core_and_in_the_window() -> None:
    for area in AREAS:
        assert (ROOT / "app" / area / "__init__.py").is_file(), f"app/{area}/ is not a package"
        assert (ROOT / "ui" / area / "__init__.py").is_file(), f"ui/{area}/ is not a package"


def test_each_tab_of_the_main_window_lives_in_its_area() -> None:
    from ui.main_window import TABS

    assert sorted(spec.module.split(".")[1] for spec in TABS) == sorted(
        a for a in AREAS if a not in NO_TAB
    )
    for spec in TABS:
        area = spec.module.split(".")[1]
        assert spec.module == f"ui.{area}.tab", spec.module
        assert area in AREAS, spec.module


def test_no_file_is_over_400_lines() -> None:
    """A file past ~400 lines is usually two things (STYLE.md); migrations are history."""
    long_files = []
    for top in ("app", "ui", "repairfloor"):
        for path in (ROOT / top).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in LONG_FILES_ALLOWED:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                long_files.append(f"{relative}: {lines}")
    assert long_files == []


# What the shared core may know of the floor areas: each line a deliberate dependency.
CORE_TO_AREA_ALLOWED = {
    # allocating an order needs its intake appearance check done (the gate lives with receiving)
    ("app/orders/transitions.py", "app.receiving.condition"),
}


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_shared_core_does_not_reach_into_floor_areas() -> None:
    """db, context, orders, states... are below the areas; demo data and documents are above."""
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        top = relative.split("/")[1]
        if top in AREAS or top in ("demo", "documents", "migrations"):
            continue
        for module in _imported_modules(path):
            parts = module.split(".")
            if parts[0] == "app" and len(parts) > 1 and parts[1] in AREAS:
                if (relative, module) not in CORE_TO_AREA_ALLOWED:
                    offenders.append(f"{relative} imports {module}")
    assert offenders == []
