"""The Qt view of RepairFloor: windows and widgets over the services of :mod:`app`."""

import PySide6.QtCore  # noqa: F401 - its import hook is in place once this is imported

from ui import pyside_probe

pyside_probe.install()  # every module imported after this one costs PySide6 less (see there)
