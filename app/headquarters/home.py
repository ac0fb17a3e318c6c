"""Whether the signed-in person is headquarters': kept apart from the figures (and the KPI
rules they import) because every window asks it before it shows."""

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
