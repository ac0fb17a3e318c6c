"""Migration 0014 moves the photo files of the old attachments into the database: each file it
can read becomes a photo, a missing one stays listed and is reported in the log."""

from __future__ import annotations

import logging

from alembic import command
from factories import add_customer, add_model, receive
from PIL import Image
from sqlalchemy import insert, select

from app import schema
from app.models import Attachment, Photo, Role


def test_file_photos_are_moved_in_and_missing_ones_reported(db, make_user, tmp_path, caplog):
    add_model(db)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    order = receive(clerk, add_customer(db, clerk), 1)
    command.downgrade(schema.alembic_config(db), "0013")
    on_disk = tmp_path / "photos" / order.order_no / "20261130-101500-front.jpg"
    on_disk.parent.mkdir(parents=True)
    Image.new("RGB", (120, 90), "red").save(on_disk, "JPEG")
    missing = tmp_path / "photos" / order.order_no / "20261130-101500-back.jpg"
    with db.transaction() as session:
        for path, caption in ((on_disk, "屏幕裂纹"), (missing, None)):
            session.execute(
                insert(Attachment.__table__).values(
                    order_id=order.order_id,
                    path=str(path),
                    caption=caption,
                    added_at=clerk.now(),
                    added_by_id=clerk.user_id,
                )
            )
    with caplog.at_level(logging.WARNING, logger="app.migrations.photos"):
        schema.upgrade(db)
    assert schema.is_current(db)
    with db.read() as session:
        (photo,) = session.scalars(select(Photo)).all()
        assert (photo.order_id, photo.caption, photo.content_type) == (
            order.order_id,
            "屏幕裂纹",
            "image/jpeg",
        )
        assert photo.data == on_disk.read_bytes() and photo.thumbnail.startswith(b"\xff\xd8")
        assert session.scalars(select(Attachment.path)).all() == [str(missing)]
    reported = caplog.text
    assert order.order_no in reported and "file not found" in reported
    assert "1 of 2" in reported
