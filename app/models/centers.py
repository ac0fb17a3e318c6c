"""The network: service centers under one headquarters, and the database role of each center's
stations (PostgreSQL; app/centers.py lists which tables belong to a center and which are shared)."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, enum_column_type


class CenterKind(enum.StrEnum):
    HEADQUARTERS = "headquarters"  # the maker's service management department (服务管理部)
    OWN_CENTER = "own_center"  # a service center of the maker's own (自营中心)
    AUTHORISED_STATION = "authorised_station"  # 特约服务站
    AGENT = "agent"  # an agent's repair department (代理商售后部门)


class Center(Base):
    """A service center of the network. An existing one-center database is center 1."""

    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    address: Mapped[str | None] = mapped_column(String(512))
    kind: Mapped[CenterKind] = mapped_column(enum_column_type(CenterKind))
    active: Mapped[bool] = mapped_column(default=True)


class CenterRole(Base):
    """A PostgreSQL role the stations of one center connect as: ``rf_current_center()`` reads
    the connected role's center here, and the row-level security policies compare every center
    row's ``center_id`` with it. The tables' owner is in no row (it runs the migrations and sees
    every row)."""

    __tablename__ = "center_roles"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
