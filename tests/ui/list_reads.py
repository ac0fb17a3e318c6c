"""Lists load on the read worker, saves run on the floor worker: a test that reads a list after
showing it or after an action waits until all that work is delivered."""

from __future__ import annotations

from typing import Any

from ui.ops import ops_in_flight


def loaded(qtbot: Any, timeout: int = 20_000) -> None:
    """Wait until every save and list read started so far (and any it started in turn) is
    delivered and shown."""
    qtbot.waitUntil(lambda: ops_in_flight() == 0, timeout=timeout)


def whole_page(window: Any, object_name: str) -> Any:
    """A tab shown once, whole: the parts it builds in the turns after its first show built now
    (ui/widgets/build_steps.py), as a scan would have them built."""
    page = window.built_page(object_name)
    assert page is not None, f"{object_name} was never shown"
    return page
