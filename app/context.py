"""Who is acting, where, and when: handed to every service call.

Widgets hold a :class:`Context`, never a database session: each service call opens its own
unit of work (``ctx.db.transaction()``), so nothing is shared between threads or held open.

Permissions are live: a person's ``ctx.db`` re-reads their account first thing in every write
transaction (one read by primary key), and refuses the write with :class:`SignedOut` when the
account was disabled or its roles are no longer the ones signed in with. ``require`` checks the
roles signed in with, so together no write is done on roles the person no longer holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app import db_pipeline
from app.clock import Clock, SystemClock
from app.db import Database
from app.errors import N_, PermissionDenied, SignedOut
from app.models import User, UserRole
from app.models.enums import Role
from app.permissions import Permission, permissions_of, require


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]
    # Whether the person's home center was headquarters when they signed in (read with the
    # account): what the window shows (the headquarters tab) is decided on it without a read.
    # Headquarters' figures and transfers check live (app.headquarters.home.is_headquarters).
    home_is_headquarters: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


# Used by `repairfloor init`, migrations of data and the demo loader; never by a person.
SYSTEM_ACTOR = Actor(
    user_id=None, username="system", display_name="system", roles=frozenset({Role.ADMIN})
)


@dataclass
class Context:
    db: Database
    actor: Actor
    station: str
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        base = self.db.unguarded
        actor = self.actor
        if actor.user_id is None:
            self.db = base
        else:
            self.db = base.guarded(lambda session: check_still_signed_in(session, actor))

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def user_id(self) -> int:
        """The signed-in person's id; floor operations are always done by a person."""
        if self.actor.user_id is None:
            raise PermissionDenied(N_("Sign in as a person to do this."))
        return self.actor.user_id

    def require(self, permission: Permission) -> None:
        require(self.actor.roles, permission)

    def as_actor(self, actor: Actor) -> Context:
        """The same station and clock, another person (e.g. a supervisor's override)."""
        return Context(self.db, actor, self.station, self.clock)


SIGNED_OUT = N_(
    "Your account was disabled or your roles changed since you signed in: nothing was saved. "
    "Sign in again."
)


_USERS, _ROLES = User.__table__, UserRole.__table__
# One read by primary key, as a Core statement (compiled once, no ORM objects): it runs in every
# write transaction of a signed-in person.
_LIVE_ACCOUNT = (
    select(_USERS.c.active, _ROLES.c.role)
    .select_from(_USERS.outerjoin(_ROLES, _ROLES.c.user_id == _USERS.c.id))
    .where(_USERS.c.id == bindparam("user_id"))
)


def live_account(session: Session, user_id: int) -> tuple[bool, frozenset[Role]] | None:
    """(active, roles) of an account as stored now; None when there is no such account."""
    return _account(session.connection().execute(_LIVE_ACCOUNT, {"user_id": user_id}).all())


def _account(rows: Sequence[Sequence[Any]]) -> tuple[bool, frozenset[Role]] | None:
    if not rows:
        return None
    return bool(rows[0][0]), frozenset(role for _, role in rows if role is not None)


def _matches(account: tuple[bool, frozenset[Role]] | None, actor: Actor) -> bool:
    return account is not None and account == (True, actor.roles)


def still_signed_in(session: Session, actor: Actor) -> bool:
    """True while the person's account is active with the roles they signed in with."""
    if actor.user_id is None:
        return True
    return _matches(live_account(session, actor.user_id), actor)


def check_still_signed_in(session: Session, actor: Actor) -> Callable[[], None]:
    """Send the live account check of a write transaction; the returned check raises
    :class:`SignedOut` when the account no longer matches. On PostgreSQL the check rides with
    the transaction's first statement (its answer is read when the transaction asks: before it
    commits, or when it fails); on SQLite it is read at once."""
    if actor.user_id is None:
        return lambda: None
    rows = db_pipeline.send(session, _LIVE_ACCOUNT, {"user_id": actor.user_id})

    def check() -> None:
        if not _matches(_account(rows()), actor):
            raise SignedOut(SIGNED_OUT)

    return check
