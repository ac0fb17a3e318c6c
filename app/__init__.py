"""RepairFloor domain core.

Everything here is plain Python + SQLAlchemy: no Qt import, ever (a test walks every module).
The Qt views in ``ui/`` call the services in this package; so do the CLI and the tests.
"""

from __future__ import annotations

__version__ = "0.1.0"
