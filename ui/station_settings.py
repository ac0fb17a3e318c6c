"""This PC's answers to the first-run wizard (``ui.settings.DATABASE_URL``, ``STATION_NAME``):
which database it opens and what it is called. ``--db`` and ``$REPAIRFLOOR_DB`` still win over
the remembered database; ``--station`` and ``$REPAIRFLOOR_STATION`` over the remembered name.

The remembered server URL never holds its password: that goes to the keyring or the pgpass file
(``app.credentials``); a settings file an older version wrote with a password in it is cleaned
the first time it is read.
"""

from __future__ import annotations

from app import credentials
from app.config import (
    ENV_DATABASE_URL,
    ENV_STATION,
    default_database_url,
    default_station_name,
)
from ui.settings import DATABASE_URL, STATION_NAME

__all__ = [
    "DATABASE_URL",
    "STATION_NAME",
    "database_url",
    "remember_database_url",
    "remembered_database_url",
    "station_name",
]


def database_url(resolved: str) -> str:
    """The database to open, with its password: ``resolved`` (from --db / $REPAIRFLOOR_DB / the
    default), unless it is only the default and the first-run wizard chose another (the center's
    server)."""
    if resolved != default_database_url() or ENV_DATABASE_URL.value():
        return credentials.with_password(resolved)
    return credentials.with_password(remembered_database_url() or resolved)


def remembered_database_url() -> str:
    """The database this PC chose, without a password ("": the SQLite file in the data dir)."""
    value = DATABASE_URL.get()
    kept = credentials.store(value)  # a password an older version left in the file moves out
    if kept != value:
        DATABASE_URL.set(kept)
    return kept


def remember_database_url(url: str) -> None:
    """Open ``url`` from now on; its password is kept apart from the settings file."""
    DATABASE_URL.set(credentials.store(url))


def station_name(resolved: str) -> str:
    """This station's name: ``resolved`` unless it is only the host name and one was chosen."""
    if resolved != default_station_name() or ENV_STATION.value():
        return resolved
    return STATION_NAME.get() or resolved
