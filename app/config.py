"""Where things live and which database to open: the environment variables, each declared once
here with what it means (the README's table lists the same), and the folders they decide.

The other two stores of settings: the center's, in the database (``app.settings``), and this
PC's, in QSettings (``ui.settings``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from app.private_files import make_private_dir

APP_NAME = "RepairFloor"
APP_AUTHOR = "RepairFloor"


@dataclass(frozen=True)
class EnvironmentVariable:
    name: str
    meaning: str

    def value(self) -> str | None:
        """The variable's value; None when it is unset or empty."""
        return os.environ.get(self.name) or None


ENV_DATABASE_URL = EnvironmentVariable(
    "REPAIRFLOOR_DB",
    "database URL when --db is not given (default: repairfloor.db in the data dir)",
)
ENV_ADMIN_PASSWORD = EnvironmentVariable(
    "REPAIRFLOOR_ADMIN_PASSWORD", "the first administrator's password for init"
)
ENV_STATION = EnvironmentVariable(
    "REPAIRFLOOR_STATION", "this station's name in the audit log (default: the host name)"
)
ENV_DATA_DIR = EnvironmentVariable(  # tests and portable installs put everything elsewhere
    "REPAIRFLOOR_DATA_DIR",
    "where the database, the logs, the backups (and this PC's settings) live",
)
ENVIRONMENT = (ENV_DATABASE_URL, ENV_ADMIN_PASSWORD, ENV_STATION, ENV_DATA_DIR)
# The bare name, for the tests that set it.
DATA_DIR_ENV_VAR = ENV_DATA_DIR.name


def data_dir() -> Path:
    override = ENV_DATA_DIR.value()
    path = Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR)
    return make_private_dir(path)  # customers' personal data: this PC's user only


def log_dir() -> Path:
    """The log files live in the data dir, beside the database and the backups."""
    return make_private_dir(data_dir() / "logs")


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'repairfloor.db'}"


def resolve_database_url(cli_url: str | None = None) -> str:
    """``--db URL`` wins, then ``$REPAIRFLOOR_DB``, then the SQLite file in the data dir."""
    return cli_url or ENV_DATABASE_URL.value() or default_database_url()


def default_station_name() -> str:
    return ENV_STATION.value() or socket.gethostname() or "station"


def backups_dir() -> Path:
    """Automatic and manual backups (daily, before upgrades) live here, beside the database."""
    return make_private_dir(data_dir() / "backups")


def resources_dir() -> Path:
    """The shipped resources (fonts, translations, icons): the ``resources`` package's folder."""
    try:
        import resources

        return Path(next(iter(resources.__path__)))
    except (ImportError, StopIteration):
        return Path(__file__).resolve().parents[1] / "resources"


def shipped_fonts_dir() -> Path:
    return resources_dir() / "fonts"
