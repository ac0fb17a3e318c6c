"""About / diagnostics: what a support call needs to know, and a zip of it for support.

The archive holds the logs, the center-wide settings (the ``settings`` table) and this PC's
settings (handed over by the UI, which reads them from QSettings), as JSON. Never a password:
keys that look secret are left out, and database URLs lose their password. Never a customer's
phone, name or address: the logs are scrubbed again as they go in (``app.personal_data``), which
covers lines an older version wrote unscrubbed.
"""

from __future__ import annotations

import json
import platform
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from app import __version__, schema
from app.config import data_dir, log_dir
from app.db import Database
from app.errors import N_, InvalidInput, NotSaved
from app.models import Setting
from app.personal_data import scrub as scrub_personal_data

SECRET_WORDS = ("password", "passwd", "secret", "hash", "token")
LOG_PATTERNS = ("*.log", "*.log.*", "*.txt")


@dataclass(frozen=True)
class Diagnostics:
    version: str
    python: str
    system: str
    database: str  # the URL without its password
    schema_revision: str | None
    schema_head: str
    data_dir: str
    log_dir: str
    frozen: bool  # running from the installed bundle

    @property
    def schema_is_current(self) -> bool:
        return self.schema_revision == self.schema_head


def safe_url(url: str) -> str:
    """A database URL fit to show and send: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def collect(db: Database) -> Diagnostics:
    try:
        revision = schema.current_revision(db)
    except DBAPIError:
        revision = None
    return Diagnostics(
        version=__version__,
        python=sys.version.split()[0],
        system=f"{platform.system()} {platform.release()} ({platform.machine()})",
        database=db.display_name,
        schema_revision=revision,
        schema_head=schema.HEAD_REVISION,
        data_dir=str(data_dir()),
        log_dir=str(log_dir()),
        frozen=bool(getattr(sys, "frozen", False)),
    )


def is_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)


def scrub(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings without secrets: secret-looking keys dropped, URL passwords hidden."""
    kept: dict[str, Any] = {}
    for key, value in values.items():
        if is_secret(key):
            continue
        if isinstance(value, str) and "://" in value:
            value = safe_url(value)
        elif isinstance(value, bytes | bytearray):
            continue  # window geometry and the like: of no use to support
        kept[key] = value
    return kept


def center_settings(db: Database) -> dict[str, Any]:
    try:
        with db.read() as session:
            rows = session.scalars(select(Setting).order_by(Setting.key)).all()
            return scrub({row.key: row.value for row in rows})
    except NotSaved as error:  # the database does not answer: the archive is still wanted
        return {"error": str(error)}
    except DBAPIError as error:
        return {"error": str(error.orig or error).splitlines()[0]}


def support_archive_name(now: datetime) -> str:
    return f"repairfloor-support-{now:%Y%m%d-%H%M%S}.zip"


def write_support_archive(
    out: Path,
    db: Database,
    station_settings: Mapping[str, Any] | None = None,
    *,
    logs: Path | None = None,
) -> Path:
    """Zip the logs, the center's and this PC's settings (no passwords) and the diagnostics."""
    logs = logs or log_dir()
    try:
        return _write(out, db, station_settings, logs)
    except OSError as error:
        raise InvalidInput(
            N_("Cannot write {path}: {detail}"), path=str(out), detail=error.strerror or error
        ) from None


def _write(out: Path, db: Database, station_settings: Mapping[str, Any] | None, logs: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    info = collect(db)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("diagnostics.json", _json(asdict(info)))
        archive.writestr("center-settings.json", _json(center_settings(db)))
        archive.writestr("station-settings.json", _json(scrub(station_settings or {})))
        for pattern in LOG_PATTERNS:
            for path in sorted(logs.glob(pattern)):
                if path.is_file() and path.resolve() != out.resolve():
                    text = path.read_text(encoding="utf-8", errors="replace")
                    archive.writestr(f"logs/{path.name}", scrub_personal_data(text))
    return out


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
