"""photos in the database: every station and every backup sees them; existing files moved in

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 11:00:00

Each attachment whose file this computer can read becomes a row of ``photos`` (its bytes, a
thumbnail) and leaves ``attachments``; a row whose file is missing, unreadable or not a picture
stays in ``attachments`` and is reported in the log (order, path, why), so nothing is dropped
silently.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("app.migrations.photos")

# Frozen here: the migration must outlive the application's rules.
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "BMP": "image/bmp", "WEBP": "image/webp"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "photos",
        sa.Column("id", big_id, nullable=False),
        sa.Column("order_id", big_id, nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("caption", sa.String(length=255), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_photos_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["repair_orders.id"], name=op.f("fk_photos_order_id_repair_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    op.create_index(op.f("ix_photos_order_id"), "photos", ["order_id"], unique=False)
    _move_files_in()


def _move_files_in() -> None:
    connection = op.get_bind()
    attachments = sa.table(
        "attachments",
        sa.column("id"),
        sa.column("order_id"),
        sa.column("path"),
        sa.column("caption"),
        sa.column("added_at"),
        sa.column("added_by_id"),
    )
    photos = sa.table(
        "photos",
        *(
            sa.column(name)
            for name in (
                "order_id",
                "content_type",
                "byte_size",
                "data",
                "thumbnail",
                "original_name",
                "caption",
                "added_at",
                "added_by_id",
                "station",
            )
        ),
    )
    orders = sa.table("repair_orders", sa.column("id"), sa.column("order_no"))
    rows = connection.execute(
        sa.select(attachments, orders.c.order_no)
        .join(orders, orders.c.id == attachments.c.order_id)
        .order_by(attachments.c.id)
    ).all()
    moved = 0
    for row in rows:
        path = Path(row.path)
        picture, why = _read_picture(path)
        if picture is None:
            log.warning(
                "Photo of order %s not moved into the database: %s (%s)", row.order_no, path, why
            )
            continue
        content_type, data, thumbnail = picture
        connection.execute(
            photos.insert().values(
                order_id=row.order_id,
                content_type=content_type,
                byte_size=len(data),
                data=data,
                thumbnail=thumbnail,
                original_name=path.name[:255],
                caption=row.caption,
                added_at=row.added_at,
                added_by_id=row.added_by_id,
                station="",
            )
        )
        connection.execute(attachments.delete().where(attachments.c.id == row.id))
        moved += 1
    if rows:
        log.warning("Photos moved into the database: %d of %d", moved, len(rows))


def _read_picture(path: Path) -> tuple[tuple[str, bytes, bytes] | None, str]:
    from PIL import Image

    try:
        if not path.is_file():
            return None, "file not found"
        if path.stat().st_size > MAX_PHOTO_BYTES:
            return None, "larger than 10 MB"
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in CONTENT_TYPES:
                return None, f"not an accepted picture ({image.format})"
            content_type = CONTENT_TYPES[image.format]
            image.thumbnail((240, 240))
            thumbnail = io.BytesIO()
            image.convert("RGB").save(thumbnail, "JPEG", quality=80)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not fatal
        return None, f"unreadable: {error}"
    return (content_type, data, thumbnail.getvalue()), ""


def downgrade() -> None:
    op.drop_index(op.f("ix_photos_order_id"), table_name="photos")
    op.drop_table("photos")
