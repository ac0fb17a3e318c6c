"""This PC's answers to the first-run wizard: which database it opens and what it is called.

Kept apart from the window settings in ``ui/settings.py`` (same QSettings store, same pattern).
``--db`` and ``$REPAIRFLOOR_DB`` still win over the remembered database; ``--station`` and
``$REPAIRFLOOR_STATION`` over the remembered name.
"""

from __future__ import annotations

import os

from app.config import (
    DB_ENV_VAR,
    STATION_ENV_VAR,
    default_database_url,
    default_station_name,
)
from ui.settings import Option

DATABASE_URL = Option("station/database_url", "")  # empty: the SQLite file in the data dir
STATION_NAME = Option("station/name", "")  # empty: the host name


def database_url(resolved: str) -> str:
    """The database to open: ``resolved`` (from --db / $REPAIRFLOOR_DB / the default), unless it is
    only the default and the first-run wizard chose another (the center's server)."""
    if resolved != default_database_url() or os.environ.get(DB_ENV_VAR):
        return resolved
    return DATABASE_URL.get() or resolved


def station_name(resolved: str) -> str:
    """This station's name: ``resolved`` unless it is only the host name and one was chosen."""
    if resolved != default_station_name() or os.environ.get(STATION_ENV_VAR):
        return resolved
    return STATION_NAME.get() or resolved
