"""The center's settings (``app.settings``): read by every window as it starts, so mapped alone,
without the catalogues (mapping a table costs a few milliseconds of start-up each)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, center_column


class Setting(Base):
    """Center-wide settings a supervisor edits (name, address, deadlines...), one JSON value each."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    center_id: Mapped[int] = center_column(primary_key=True)  # each center its own settings
    value: Mapped[Any] = mapped_column(JSON)
    # No row yet: version 0. A server default only, so that a database of an older schema (read
    # and backed up before its upgrade) can still be written key and value alone.
    version: Mapped[int] = mapped_column(server_default="1")


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers  # noqa: E402, F401
