"""Who is acting, where, and when: handed to every service call.

Widgets hold a :class:`Context`, never a database session: each service call opens its own
unit of work (``ctx.db.transaction()``), so nothing is shared between threads or held open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.clock import Clock, SystemClock
from app.db import Database
from app.errors import N_, PermissionDenied
from app.models.enums import Role
from app.permissions import Permission, permissions_of, require


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]

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
