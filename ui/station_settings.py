"""This PC's answers to the first-run wizard (``ui.settings.DATABASE_URL``, ``STATION_NAME``):
which database it opens and what it is called. ``--db`` and ``$REPAIRFLOOR_DB`` still win over
the remembered database; ``--station`` and ``$REPAIRFLOOR_STATION`` over the remembered name.
"""

from __future__ import annotations

from app.config import (
    ENV_DATABASE_URL,
    ENV_STATION,
    default_database_url,
    default_station_name,
)
from ui.settings import DATABASE_URL, STATION_NAME

__all__ = ["DATABASE_URL", "STATION_NAME", "database_url", "station_name"]


def database_url(resolved: str) -> str:
    """The database to open: ``resolved`` (from --db / $REPAIRFLOOR_DB / the default), unless it is
    only the default and the first-run wizard chose another (the center's server)."""
    if resolved != default_database_url() or ENV_DATABASE_URL.value():
        return resolved
    return DATABASE_URL.get() or resolved


def station_name(resolved: str) -> str:
    """This station's name: ``resolved`` unless it is only the host name and one was chosen."""
    if resolved != default_station_name() or ENV_STATION.value():
        return resolved
    return STATION_NAME.get() or resolved
