"""Correcting a unit's model (更正机型): the one way a unit's stored model changes.

A scan never changes it (:mod:`app.receiving.intake`): a unit registered under the wrong model is
corrected here, by a supervisor (``Permission.APPROVE``: an override of what the floor recorded,
and it rewrites what every earlier order of the unit shows), with a reason, and audited with the
model before and after.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit, formats
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, NotFound
from app.models import Unit
from app.permissions import Permission
from app.receiving.intake import check_serial, model_of_code
from app.values import clean_text

REASON_MAX_LENGTH = 255


def correct_unit_model(ctx: Context, serial: str, model_code: str, reason: str) -> None:
    """Set the model of the unit ``serial`` to ``model_code``, giving why (audited)."""
    ctx.require(Permission.APPROVE)
    serial = formats.clean_scan(serial).upper()
    reason = clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        required=N_("Write why the unit's model is corrected."),
    )
    with ctx.db.transaction() as session:
        unit = session.scalar(select(Unit).where(Unit.serial == serial))
        if unit is None:
            raise NotFound(N_("No unit with serial {serial} was ever received."), serial=serial)
        model = model_of_code(session, model_code.strip())
        before = unit.product_model.code
        if model.id == unit.product_model_id:
            raise Conflict(N_("{serial} is already a {model}."), serial=serial, model=before)
        check_serial(model, serial)
        unit.product_model_id = model.id
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CORRECT_UNIT_MODEL,
            "unit",
            serial,
            before={"model": before},
            after={"model": model.code},
            detail=reason,
        )
