"""The installed bundle works: installer/check_bundle.sh builds dist/repairfloor with PyInstaller
and runs its binary offscreen (init, then screenshots of every tab).

Slow, so it runs only when asked: ``REPAIRFLOOR_TEST_BUNDLE=1 pytest tests/test_installer_bundle.py``.
Measured on the development machine: about 45 s for the build and 4 s for the check, 50 s in all
(``REPAIRFLOOR_TEST_BUNDLE=nobuild`` checks an existing dist/repairfloor in about 5 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "REPAIRFLOOR_TEST_BUNDLE"

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get(ENV_VAR),
        reason=f"slow (about a minute: PyInstaller build): set {ENV_VAR}=1 to run",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]


def test_the_bundle_starts_offscreen_and_renders_its_screenshots() -> None:
    assert shutil.which("bash")
    arguments = ["bash", str(ROOT / "installer" / "check_bundle.sh")]
    if os.environ[ENV_VAR] == "nobuild":
        arguments.append("--no-build")
    result = subprocess.run(
        arguments, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "screenshots rendered by the bundle" in result.stdout
