"""Intake photos live in the database: a photo taken at one station is seen at another, two in
the same second are two photos, and what is stored is checked (a picture, bounded in size)."""

from __future__ import annotations

import io

import pytest
from factories import add_customer, add_model, imei, receive
from PIL import Image

from app.context import Context
from app.db import Database
from app.errors import InvalidInput, PermissionDenied
from app.models import Role
from app.receiving.photos import MAX_PHOTO_BYTES, photo_picture, store_photo
from app.search.unit_view import unit_view
from app.users import actor_for_username


def picture(colour: str, kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, kind)
    return out.getvalue()


@pytest.fixture
def received(db, make_user):
    add_model(db)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    make_user(Role.CUSTOMER_SERVICE, username="agent")
    return clerk, receive(clerk, add_customer(db, clerk), 1)


def test_a_photo_taken_at_the_receiving_desk_is_seen_at_another_station(
    db, database_url, received, clock
):
    clerk, order = received
    taken = picture("red")
    photo_id = store_photo(clerk, order.order_id, taken, name="camera-1.jpg", caption="背壳划痕")
    other_station = Database(database_url)  # another PC: its own engine on the same database
    try:
        agent = Context(other_station, actor_for_username(other_station, "agent"), "客服-2", clock)
        view = unit_view(agent, imei(1))
        assert view is not None
        (photo,) = view.visits[0].photos
        assert (photo.photo_id, photo.caption, photo.station) == (
            photo_id,
            "背壳划痕",
            "test-station",
        )
        assert photo_picture(agent, photo_id) == ("image/jpeg", taken)
    finally:
        other_station.dispose()


def test_two_photos_in_the_same_second_are_two_photos(db, received):
    clerk, order = received
    first, second = picture("red"), picture("green", "PNG")
    ids = [
        store_photo(clerk, order.order_id, data, name="camera-1.jpg") for data in (first, second)
    ]
    assert len(set(ids)) == 2
    assert [photo_picture(clerk, photo_id)[1] for photo_id in ids] == [first, second]


def test_what_is_not_a_picture_or_too_large_is_refused(db, received):
    clerk, order = received
    with pytest.raises(InvalidInput, match="not a picture"):
        store_photo(clerk, order.order_id, b"%PDF-1.7 not a photo", name="scan.jpg")
    with pytest.raises(InvalidInput, match="larger than"):
        store_photo(clerk, order.order_id, b"\xff" * (MAX_PHOTO_BYTES + 1), name="huge.jpg")
    with pytest.raises(InvalidInput, match="empty"):
        store_photo(clerk, order.order_id, b"", name="empty.jpg")
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, "GIF")
    with pytest.raises(InvalidInput, match="not a picture"):
        store_photo(clerk, order.order_id, gif.getvalue(), name="anim.gif")


def test_only_the_receiving_desk_adds_photos(db, received, make_user):
    _clerk, order = received
    qc = make_user(Role.QC_TESTER, username="qc")
    with pytest.raises(PermissionDenied):
        store_photo(qc, order.order_id, picture("red"), name="x.jpg")
