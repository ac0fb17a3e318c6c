"""`app/` is the Qt-free core: importing it and every module under it pulls in no Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
    import ast
    from pathlib import Path

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
    import ast
    from pathlib import Path

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
