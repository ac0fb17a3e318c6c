"""Whether the signed-in person is headquarters', read live: headquarters' figures, warnings and
transfers ask it in their own read. Kept apart from the figures (and the KPI rules they import).

The window does not ask: whether it shows headquarters' tab goes by ``Actor.home_is_headquarters``,
the home center's kind read with the account at sign-in (``app.signatures.actor_of``)."""

from __future__ import annotations

from sqlalchemy import select

from app.context import Context
from app.models import Center, CenterKind, User
from app.permissions import Permission


def is_headquarters(ctx: Context) -> bool:
    """Whether the signed-in person may use headquarters' view: VIEW_NETWORK, and a home center
    of the headquarters kind."""
    if not ctx.actor.can(Permission.VIEW_NETWORK) or ctx.actor.user_id is None:
        return False
    with ctx.db.read() as session:
        kind = session.scalar(
            select(Center.kind)
            .join(User, User.center_id == Center.id)
            .where(User.id == ctx.actor.user_id)
        )
    return kind is CenterKind.HEADQUARTERS
