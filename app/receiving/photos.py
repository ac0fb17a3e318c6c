"""Photos of a unit's condition, attached at intake (copied into the data folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

from app import audit, values
from app.audit_actions import AuditAction
from app.config import data_dir
from app.context import Context
from app.errors import N_, InvalidInput
from app.models import Attachment
from app.orders.store import load_order, require_in_center
from app.permissions import Permission

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".heic"}
MAX_PHOTO_BYTES = 25 * 1024 * 1024


def photos_dir() -> Path:
    return data_dir() / "photos"


def attach_photo(ctx: Context, order_id: int, source: Path, caption: str = "") -> int:
    """Copy the picture next to the database and record it on the order."""
    ctx.require(Permission.RECEIVE)
    caption = values.clean_text(caption, max_length=255)
    if source.suffix.lower() not in PHOTO_SUFFIXES:
        raise InvalidInput(N_("{name} is not a picture (jpg, png...)."), name=source.name)
    if not source.is_file() or source.stat().st_size > MAX_PHOTO_BYTES:
        raise InvalidInput(N_("{name} cannot be read or is larger than 25 MB."), name=source.name)
    copied: Path | None = None
    try:
        with ctx.db.transaction() as session:
            order = load_order(session, order_id)
            require_in_center(order)
            folder = photos_dir() / order.order_no
            folder.mkdir(parents=True, exist_ok=True)
            copied = folder / f"{ctx.now():%Y%m%d-%H%M%S}-{source.name}"
            shutil.copy2(source, copied)
            attachment = Attachment(
                order_id=order.id,
                path=str(copied),
                caption=caption or None,
                added_at=ctx.now(),
                added_by_id=ctx.user_id,
            )
            session.add(attachment)
            session.flush()
            audit.record(
                session,
                ctx,
                AuditAction.ATTACH_PHOTO,
                "repair_order",
                order.order_no,
                order_id=order.id,
                after={"photo": copied.name},
            )
    except BaseException:
        if copied is not None:
            copied.unlink(missing_ok=True)  # nothing half-saved: no orphan file either
        raise
    return attachment.id
