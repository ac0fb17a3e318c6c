"""The network's parts master (number, name, prices, the models it fits) and each center's
stock rows of it."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CenterOwned


class PartMaster(Base):
    """The network's parts master (物料主数据), kept by headquarters and read by every center:
    the part number (normalised like every scanned code: ``formats.clean_scan``), the name, the
    standard cost and sale price, and the product models it fits. A center's stock of the part
    is its own row in ``parts`` (:class:`Part`), which names the master part by its number.

    A part number is never renamed (it is the key every center's stock row and label carries):
    a new number is a new master part, the old one is retired (``active``)."""

    __tablename__ = "part_masters"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    unit_cost_cents: Mapped[int] = mapped_column(default=0)
    sale_price_cents: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Edits of the master part (its fits too) are new versions: bumped by app.parts.master.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    fits: Mapped[list[PartFit]] = relationship(cascade="all, delete-orphan")


class PartFit(Base):
    """Which product models a master part fits (the network's fact, kept with the master)."""

    __tablename__ = "part_master_fits"

    part_master_id: Mapped[int] = mapped_column(ForeignKey("part_masters.id"), primary_key=True)
    product_model_id: Mapped[int] = mapped_column(ForeignKey("product_models.id"), primary_key=True)


class Part(CenterOwned, Base):
    """A center's stock of a master part: its bin, safety stock, reorder quantity and balances.
    ``on_hand`` is a cache of the sum of its stock moves, kept by guarded updates.

    The name, prices and fits are the master's (one fact, one place): ``part.name`` and the
    others read ``part.master``, loaded with the row by a join on the unique part number. SQL
    that lists parts joins :class:`PartMaster` itself. ``version`` counts edits of the stock
    row's own settings (bin, safety stock, reorder quantity, active), not stock moves: those
    are guarded updates of the balance (``app.parts.stock``)."""

    __tablename__ = "parts"
    __table_args__ = (UniqueConstraint("part_no", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_no: Mapped[str] = mapped_column(String(64), ForeignKey("part_masters.part_no"))
    bin_location: Mapped[str | None] = mapped_column(String(32))
    safety_stock: Mapped[int] = mapped_column(default=0)
    reorder_quantity: Mapped[int] = mapped_column(default=0)
    on_hand: Mapped[int] = mapped_column(default=0)
    defective_on_hand: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # app.parts.master

    master: Mapped[PartMaster] = relationship(lazy="joined", innerjoin=True)

    @property
    def name(self) -> str:
        return self.master.name

    @property
    def unit_cost_cents(self) -> int:
        return self.master.unit_cost_cents

    @property
    def sale_price_cents(self) -> int:
        return self.master.sale_price_cents

    @property
    def fits(self) -> list[PartFit]:
        return self.master.fits


# A scanned bin label finds its part in any case (upper(part_no) = the clean scan) by this index.
Index("ix_parts_part_no_upper", func.upper(Part.part_no))


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import catalog, centers  # noqa: E402, F401
