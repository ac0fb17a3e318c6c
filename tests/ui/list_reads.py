"""Lists load on the read worker, saves run on the floor worker: a test that reads a list after
showing it or after an action waits until all that work is delivered."""

from __future__ import annotations

from typing import Any

from ui.ops import ops_in_flight


def loaded(qtbot: Any, timeout: int = 20_000) -> None:
    """Wait until every save and list read started so far (and any it started in turn) is
    delivered and shown."""
    qtbot.waitUntil(lambda: ops_in_flight() == 0, timeout=timeout)
