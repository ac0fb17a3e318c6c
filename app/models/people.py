"""Who works on the floor (users and their roles) and who sends units in (customers, dealers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.formats import phone_digits_or_none
from app.models.base import Base, CenterOwned, enum_column_type
from app.models.enums import CustomerKind, Role


class User(CenterOwned, Base):
    """A person who signs in. Never deleted: the audit log keeps pointing at users; disable instead.
    ``center_id`` is the person's home center: names and badges are unique within it."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("username", "center_id"),
        UniqueConstraint("badge_code", "center_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # Technicians carry a badge whose barcode the dispatcher scans when allocating.
    badge_code: Mapped[str | None] = mapped_column(String(64))
    # A short PIN typed after scanning the badge at a shared station (scrypt, app.passwords).
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    bench: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # What the administrator's form loaded: bumped by every edit of the account (app.admin.users),
    # not by a sign-in, so a user signing in never makes the administrator's save a conflict.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(link.role for link in self.role_links)


# A scanned badge is found in any case (upper(badge_code) = the clean scan) through this index.
Index("ix_users_badge_code_upper", func.upper(User.badge_code))


class UserRole(CenterOwned, Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column_type(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_links")


class Customer(CenterOwned, Base):
    """A consumer or a dealer who sends units in and gets them back."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_phone", "phone"),
        Index("ix_customers_phone_digits", "phone_digits"),
        Index("ix_customers_phone_tail", "phone_tail"),
        Index("ix_customers_name", "name"),
        Index("ix_customers_name_tail", "name_tail"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CustomerKind] = mapped_column(
        enum_column_type(CustomerKind), default=CustomerKind.CONSUMER
    )
    name: Mapped[str] = mapped_column(String(128))
    # The name read from the end: a given name ("文兰" of "李文兰") is a prefix of it, found by
    # the index, not by reading every customer's name. Kept with ``name``; bulk inserts fill it.
    name_tail: Mapped[str | None] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(32))  # as written (with an extension)
    # The number as digits (app.formats.normalise_phone): what a search by phone reads. Kept
    # in step with ``phone`` whenever the ORM sets it; bulk inserts fill it themselves.
    phone_digits: Mapped[str | None] = mapped_column(String(20))
    # The same digits read from the end ("尾号 5678" is a prefix of it): a caller's last digits
    # are found by the index like a prefix, not by reading every customer. Kept with ``phone``.
    phone_tail: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(512))
    note: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime]

    @validates("name")
    def _keep_tail(self, _key: str, name: str) -> str:
        self.name_tail = name[::-1] if name else None
        return name

    @validates("phone")
    def _keep_digits(self, _key: str, phone: str | None) -> str | None:
        self.phone_digits = phone_digits_or_none(phone)
        self.phone_tail = self.phone_digits[::-1] if self.phone_digits else None
        return phone


class Department(CenterOwned, Base):
    """A department a complaint can be laid at (维修部, 物料部, 客服部 ...)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("name", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # The department tree (the chain of superiors): the parent department's name and the code
    # of the staff member who heads this one (app.complaints.people).
    parent: Mapped[str | None] = mapped_column(String(64))
    head: Mapped[str | None] = mapped_column(String(32))


# The modules of the tables this one's foreign keys name, mapped with it: a flush sorts the
# tables by their foreign keys (app/models/__init__.py imports each module when first asked).
from app.models import centers  # noqa: E402, F401
