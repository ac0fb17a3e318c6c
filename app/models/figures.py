"""Per-day figures of a center, kept as the data changes (``app.day_figures``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, center_column


class KpiDay(Base):
    """One figure of one day (the center's calendar day): how many rows, the sum of their
    amounts (microseconds of a span, or a quantity) and how many had an amount. ``key`` splits a
    figure (a technician, a turnaround in whole days); 0 when it does not. Written only by
    ``app.day_figures`` in the transaction of the change it counts."""

    __tablename__ = "kpi_days"
    __table_args__ = (Index("ix_kpi_days_day", "day"),)

    figure: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[int] = mapped_column(primary_key=True, default=0)
    center_id: Mapped[int] = center_column(primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    known: Mapped[int] = mapped_column(BigInteger, default=0)


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers  # noqa: E402, F401
