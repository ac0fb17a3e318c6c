"""The center's local time. Every document, export and screen shows a moment in the center's time
zone (the ``center.time_zone`` setting, Asia/Shanghai unless a supervisor changed it), never in the
PC's: a station whose Windows clock is set to UTC still prints 10:58 when the floor says 10:58.

Times are stored in UTC (``app.models.base``); only what is shown goes through :func:`local`.
The zone is read from the settings at sign-in, when a document is made and when it is changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_ZONE_NAME = "Asia/Shanghai"
_zone = ZoneInfo(DEFAULT_ZONE_NAME)

DATE = "%Y-%m-%d"
MINUTE = "%Y-%m-%d %H:%M"


def center_zone() -> ZoneInfo:
    return _zone


def use_center_zone(zone: ZoneInfo | str) -> ZoneInfo:
    """Show times in ``zone`` from now on (an IANA name such as ``Asia/Shanghai``)."""
    global _zone
    _zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return _zone


def load_center_zone(session: Session) -> ZoneInfo:
    """Take the zone from the center's settings (one row read)."""
    from app import settings

    return use_center_zone(settings.get(session, settings.CENTER_TIME_ZONE))


def local(moment: datetime) -> datetime:
    """``moment`` (timezone-aware) as the center's clock on the wall shows it."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in time: store times timezone-aware")
    return moment.astimezone(_zone)


def local_text(moment: datetime | None, pattern: str = MINUTE, missing: str = "") -> str:
    """``moment`` formatted in the center's time (``missing`` for no moment)."""
    return missing if moment is None else local(moment).strftime(pattern)
