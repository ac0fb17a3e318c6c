"""Headquarters' view of the early warning (质量预警, 总部): every center's alarms in one list,
and the detector run over the whole network's returns. The sales register is shared by the
network, but each center sees only the units returned to it; a defect spread thinly over many
stations shows only when headquarters counts them together. Alarms headquarters raises are its own
center's rows, acknowledged and closed like any center's (``app.quality.alarms``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.centers import network_view
from app.context import Context
from app.headquarters.figures import require_headquarters
from app.models import Center, User
from app.permissions import Permission
from app.quality.alarms import AlarmRow, raise_alarms, read_alarms


@dataclass(frozen=True)
class NetworkAlarm:
    center_code: str
    center_name: str
    alarm: AlarmRow


def network_alarms(ctx: Context, *, include_closed: bool = False) -> list[NetworkAlarm]:
    """Every center's alarms, newest first (open and acknowledged; closed ones when asked)."""
    require_headquarters(ctx)
    with ctx.db.read() as session:
        network_view(session)
        centers = {c.id: (c.code, c.name) for c in session.scalars(select(Center))}
        return [
            NetworkAlarm(*centers.get(alarm.center_id, ("?", "?")), alarm)
            for alarm in read_alarms(session, include_closed=include_closed)
        ]


def check_network_alarms(ctx: Context, as_of: datetime | None = None) -> list[int]:
    """Run the early warning over every center's returns; new alarms are headquarters' own."""
    require_headquarters(ctx)
    ctx.require(Permission.APPROVE)
    as_of = as_of or ctx.now()
    with ctx.db.transaction() as session:
        network_view(session)
        home = session.scalar(select(User.center_id).where(User.id == ctx.actor.user_id))
        return raise_alarms(session, ctx, as_of, own_center=home)
