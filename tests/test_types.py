"""Times are timezone-aware everywhere; money is exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.errors import InvalidInput
from app.models import Customer
from app.money import format_yuan, from_cents, to_cents


def test_times_come_back_aware_and_in_utc(db) -> None:
    beijing = timezone(timedelta(hours=8))
    with db.transaction() as session:
        customer = Customer(name="李四", created_at=datetime(2026, 11, 24, 9, 30, tzinfo=beijing))
        session.add(customer)
    with db.read() as session:
        loaded = session.get(Customer, customer.id)
    assert loaded.created_at == datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
    assert loaded.created_at.tzinfo is not None


def test_a_naive_time_is_refused(db) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        with db.transaction() as session:
            session.add(Customer(name="王五", created_at=datetime(2026, 11, 24, 9, 30)))


def test_money_is_exact_cents() -> None:
    assert to_cents("0.1") + to_cents("0.2") == to_cents("0.3") == 30
    assert to_cents("¥1,234.57") == 123457
    with pytest.raises(InvalidInput):  # never rounded silently: at most two decimals
        to_cents("¥1,234.565")
    assert from_cents(123457) == Decimal("1234.57")
    assert format_yuan(123457) == "¥1,234.57"
    with pytest.raises(InvalidInput):
        to_cents("十元")
    with pytest.raises(InvalidInput):
        to_cents("NaN")
