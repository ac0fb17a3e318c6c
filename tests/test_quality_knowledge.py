"""The fault knowledge base: articles per model gathered from the bench's records (counted
against a direct count), searched by any word, exported to Excel and read back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from factories import imei
from openpyxl import load_workbook
from quality_data import Return, Shop, on
from sqlalchemy import select

from app.context import Context
from app.db import Database
from app.errors import PermissionDenied
from app.models import Photo, RepairOrder, Role
from app.quality.knowledge import export_knowledge_base, knowledge_articles


@pytest.fixture
def boss(db: Database, make_user: Callable[..., Context]) -> Context:
    return make_user(Role.SUPERVISOR, username="boss")


def test_articles_per_model_are_counted_searched_and_exported(
    db, boss, make_user, tmp_path
) -> None:
    shop = Shop(db, boss.actor.user_id)
    x1 = [
        Return(imei(1), on(date(2026, 3, 1)), "F01", cause="屏排线松脱", action="重新扣合排线"),
        Return(imei(2), on(date(2026, 3, 2)), "F01", cause="屏排线松脱", action="重新扣合排线"),
        Return(imei(3), on(date(2026, 3, 3)), "F01", cause="屏幕损坏", action="更换屏幕总成"),
        Return(imei(4), on(date(2026, 3, 4)), "F02", cause="电池老化", action="更换电池"),
    ]
    shop.returns("X1", x1)
    shop.returns(
        "Y2", [Return(imei(5), on(date(2026, 3, 5)), "F02", cause="电池老化", action="更换电池")]
    )
    with db.transaction() as session:
        first = session.scalar(select(RepairOrder.id).order_by(RepairOrder.id))
        for n in range(2):
            session.add(
                Photo(
                    order_id=first,
                    content_type="image/jpeg",
                    byte_size=3,
                    data=b"\xff\xd8\xff",
                    thumbnail=b"\xff\xd8\xff",
                    original_name=f"{n}.jpg",
                    added_at=datetime(2026, 3, 1, tzinfo=UTC),
                    added_by_id=boss.actor.user_id,
                    station="test",
                )
            )
    with pytest.raises(PermissionDenied):
        knowledge_articles(make_user(Role.TECHNICIAN, username="tech"))

    articles = knowledge_articles(boss, model_code="X1")
    direct = Counter((r.fault_code, r.cause, r.action) for r in x1)
    assert [(a.fault_code, a.cause, a.action, a.repairs) for a in articles] == [
        (*key, n) for key, n in sorted(direct.items(), key=lambda item: (-item[1], item[0]))
    ]
    assert articles[0].photos == 2 and articles[1].photos == 0
    assert {a.model_code for a in knowledge_articles(boss, text="电池")} == {"X1", "Y2"}
    assert [a.action for a in knowledge_articles(boss, text="屏 更换")] == ["更换屏幕总成"]
    assert knowledge_articles(boss, text="100%") == []  # a LIKE wildcard is a plain character

    path = export_knowledge_base(boss, tmp_path / "kb.xlsx", model_code="X1")
    rows = list(
        load_workbook(path, read_only=True).worksheets[0].iter_rows(min_row=4, values_only=True)
    )
    assert [(row[1], row[3], row[5], row[7]) for row in rows] == [
        (a.fault_code, a.cause, a.repairs, a.photos) for a in articles
    ]
