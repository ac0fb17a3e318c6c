"""The ``repairfloor`` command starts without Python's cyclic collector (repairfloor/launch.py):
a command without a window switches it back on once loaded; the window's collector takes over."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import gc, sys
from repairfloor import launch
cli = launch.load()
print("loaded", gc.isenabled(), "sqlalchemy.orm" in sys.modules)
code = cli.main(["--db", sys.argv[1], "demo", "--passwords"])
print("after", gc.isenabled(), code)
"""


def test_the_command_loads_without_the_collector_and_a_command_without_window_gets_it_back(
    database_url: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, database_url],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "REPAIRFLOOR_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line}
    assert lines["loaded"] == ["False", "True"]  # the heavy imports done, no collection on
    assert lines["after"] == ["True", "0"]


def test_the_installed_command_and_python_m_start_through_the_launcher() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert scripts["scripts"]["repairfloor"] == "repairfloor.launch:main"
    assert (
        "from repairfloor.launch import main" in (ROOT / "repairfloor" / "__main__.py").read_text()
    )
    spec = (ROOT / "installer" / "repairfloor.spec").read_text(encoding="utf-8")
    assert "from repairfloor.launch import main" in spec
