"""Photos of a unit's condition, taken at intake (the station's camera or a file).

A photo is a row of the database (:class:`~app.models.Photo`): every station sees it and every
backup holds it, unlike a file on the receiving PC. Each photo is its own row, so two taken in
the same second never overwrite each other. What is stored is checked first: a picture Pillow
can read (JPEG, PNG, BMP or WebP, by its content, not its file name) of at most
:data:`MAX_PHOTO_BYTES`; a small JPEG thumbnail is made once, for lists.
"""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from app import audit, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, InvalidInput, NotFound
from app.models import Photo
from app.orders.store import load_order, require_in_center
from app.permissions import Permission

# What Pillow calls each accepted format, and the content type stored for it.
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "BMP": "image/bmp", "WEBP": "image/webp"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded
THUMBNAIL_SIZE = (240, 240)


def check_picture(data: bytes, name: str) -> tuple[str, bytes]:
    """The content type of a picture and its JPEG thumbnail; InvalidInput if it is too large or
    not a picture of an accepted kind."""
    if not data or len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(
            N_("{name} is empty or larger than {megabytes} MB."),
            name=name,
            megabytes=MAX_PHOTO_BYTES // (1024 * 1024),
        )
    from PIL import Image, UnidentifiedImageError  # imported on first use: not at start-up

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind not in CONTENT_TYPES:
                raise UnidentifiedImageError(kind)
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise InvalidInput(N_("{name} has too many pixels."), name=name)
            image.thumbnail(THUMBNAIL_SIZE)
            thumbnail = io.BytesIO()
            image.convert("RGB").save(thumbnail, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidInput(
            N_("{name} is not a picture (JPEG, PNG, BMP or WebP)."), name=name
        ) from error
    return CONTENT_TYPES[kind], thumbnail.getvalue()


def attach_photo(ctx: Context, order_id: int, source: Path, caption: str = "") -> int:
    """Store a picture file on the order (read whole: the database keeps it, not the path)."""
    ctx.require(Permission.RECEIVE)
    try:
        too_large = source.stat().st_size > MAX_PHOTO_BYTES
        data = b"" if too_large else source.read_bytes()
    except OSError as error:
        raise InvalidInput(N_("{name} cannot be read."), name=source.name) from error
    return store_photo(ctx, order_id, data, name=source.name, caption=caption)


def store_photo(ctx: Context, order_id: int, data: bytes, *, name: str, caption: str = "") -> int:
    """Store a picture (a file's bytes or the camera's capture) on an order still in the
    center; audited. Returns the photo's id."""
    ctx.require(Permission.RECEIVE)
    name = values.clean_text(name, max_length=255) or "photo"
    caption = values.clean_text(caption, max_length=255)
    content_type, thumbnail = check_picture(data, name)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        require_in_center(order)
        photo = Photo(
            order_id=order.id,
            content_type=content_type,
            byte_size=len(data),
            data=data,
            thumbnail=thumbnail,
            original_name=name,
            caption=caption or None,
            added_at=ctx.now(),
            added_by_id=ctx.user_id,
            station=ctx.station,
        )
        session.add(photo)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.ATTACH_PHOTO,
            "repair_order",
            order.order_no,
            order_id=order.id,
            after={"photo": name},
        )
        return photo.id


def photo_picture(ctx: Context, photo_id: int) -> tuple[str, bytes]:
    """A photo's content type and full picture (to show it large). A signed-in person's read,
    like the unit view that lists it."""
    with ctx.db.read() as session:
        row = session.execute(
            select(Photo.content_type, Photo.data).where(Photo.id == photo_id)
        ).one_or_none()
    if row is None:
        raise NotFound(N_("Photo {photo_id} does not exist."), photo_id=photo_id)
    return row[0], row[1]
