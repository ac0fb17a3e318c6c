"""Where things live and which database to open. Every setting is declared once, here."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "RepairFloor"
APP_AUTHOR = "RepairFloor"
DB_ENV_VAR = "REPAIRFLOOR_DB"
STATION_ENV_VAR = "REPAIRFLOOR_STATION"
DATA_DIR_ENV_VAR = "REPAIRFLOOR_DATA_DIR"  # tests and portable installs put everything elsewhere


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV_VAR)
    path = Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """The log files live in the data dir, beside the database and the backups."""
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'repairfloor.db'}"


def resolve_database_url(cli_url: str | None = None) -> str:
    """``--db URL`` wins, then ``$REPAIRFLOOR_DB``, then the SQLite file in the data dir."""
    return cli_url or os.environ.get(DB_ENV_VAR) or default_database_url()


def default_station_name() -> str:
    return os.environ.get(STATION_ENV_VAR) or socket.gethostname() or "station"


def backups_dir() -> Path:
    """Automatic and manual backups (daily, before upgrades) live here, beside the database."""
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The shipped resources (fonts, translations, icons): the ``resources`` package's folder."""
    try:
        import resources

        return Path(next(iter(resources.__path__)))
    except (ImportError, StopIteration):
        return Path(__file__).resolve().parents[1] / "resources"


def shipped_fonts_dir() -> Path:
    return resources_dir() / "fonts"
