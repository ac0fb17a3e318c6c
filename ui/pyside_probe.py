"""PySide6's import hook, answered from the file's bytes.

Once PySide6 is imported, it looks at every module imported after it to learn whether the module
names "PySide6" (``shibokensupport.feature._mod_uses_pyside``: the default of its ``__feature__``
switches, snake_case and true_property, which RepairFloor never uses). It asks
``inspect.getsource``: the file read through ``linecache``, its encoding detected, its lines split
and joined again, for each of the ~180 modules the window imports before it shows, and the ~700
the tabs' preload imports after: 37-49 ms of an admin's start-up on the 2-core benchmark machine.
The same question asked of the file's bytes takes 6 ms (benchmarks ``startup``). A module without
a ``.py`` file (built in, compiled, zipped) is asked PySide6's own way.

No option of PySide6 turns the hook off, so its function is replaced; if a later PySide6 has no
such function, nothing is replaced (tests/ui/test_pyside_probe.py says so).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
PROBE = "_mod_uses_pyside"


def install() -> bool:
    """Replace PySide6's probe (imported already with PySide6); False if it has none."""
    feature = sys.modules.get(FEATURE_MODULE)
    original: Callable[[ModuleType], bool] | None = getattr(feature, PROBE, None)
    if feature is None or original is None or getattr(original, "from_bytes", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.from_bytes = True  # type: ignore[attr-defined]
    setattr(feature, PROBE, uses_pyside)
    return True
