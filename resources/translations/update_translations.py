"""Update the translation files from the sources, keeping every existing translation.

    python resources/translations/update_translations.py

1. collects every ``N_("...")`` literal of ``app/`` (with :mod:`ast`) into Qt context "app";
2. runs ``pyside6-lupdate`` over ``ui/`` (``tr()``, ``translate()``, ``QT_TRANSLATE_NOOP``) and
   those core strings, merging into ``repairfloor_<lang>.ts`` (new strings come in unfinished,
   vanished ones are dropped);
3. runs ``pyside6-lrelease`` to write the ``.qm`` files the application loads.

Then translate the unfinished strings (Qt Linguist, or any editor) and run it again.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = TRANSLATIONS_DIR.parent.parent
LANGUAGES = ("zh_CN",)
APP_CONTEXT = "app"


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"repairfloor_{language}.ts"


def qm_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"repairfloor_{language}.qm"


def core_strings(app_dir: Path | None = None) -> list[str]:
    """Every string literal passed to ``N_()`` in the core, in source order, without repeats."""
    found: dict[str, None] = {}
    for path in sorted((app_dir or PROJECT_DIR / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "N_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found[node.args[0].value] = None
    return list(found)


def ui_sources(ui_dir: Path | None = None) -> list[Path]:
    return sorted((ui_dir or PROJECT_DIR / "ui").rglob("*.py"))


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def write_core_stub(directory: Path) -> Path:
    """The core strings as QT_TRANSLATE_NOOP calls, so lupdate merges them like the rest."""
    stub = directory / "app_strings.py"
    lines = [f"QT_TRANSLATE_NOOP({APP_CONTEXT!r}, {text!r})" for text in core_strings()]
    stub.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stub


def run_lupdate(ts_file: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        stub = write_core_stub(Path(scratch))
        sources = [str(path) for path in ui_sources()] + [str(stub)]
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                *sources,
                "-locations",
                "none",
                "-no-obsolete",
                "-ts",
                str(ts_file),
            ],
            check=True,
        )


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True
    )


def main() -> int:
    for language in LANGUAGES:
        run_lupdate(ts_path(language))
        run_lrelease(ts_path(language), qm_path(language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
