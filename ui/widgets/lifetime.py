"""Event filters whose Python half may be gone while Qt still calls them.

When the collector frees a cycle that holds a widget and the filter installed on it, it first
clears the Python objects of the cycle (their attributes are gone), then the widget is destroyed,
and the widget's destructor still sends events (hide, focus out) through the filter Qt keeps. A
filter that reads its attributes then raises AttributeError in the middle of a destruction. Such a
filter has nothing left to do: ``tolerant_filter`` lets the event pass instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., bool])


def tolerant_filter(event_filter: F) -> F:
    """Wrap an ``eventFilter``: when the object's attributes were cleared, let events pass."""

    @functools.wraps(event_filter)
    def wrapper(self: Any, watched: Any, event: Any) -> bool:
        try:
            return event_filter(self, watched, event)
        except AttributeError:
            if vars(self):  # a real bug, not a half torn down by the collector
                raise
            return False

    return wrapper  # type: ignore[return-value]
