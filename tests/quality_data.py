"""A small warranty history written straight into the tables the quality figures read: the
sales register, units, repair orders (returns and reworks), their fault codes and parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from factories import add_model, imei, stock_row
from sqlalchemy import insert, select

from app.db import Database
from app.models import (
    Customer,
    MoveKind,
    ProductModel,
    RepairOrder,
    RepairRecord,
    RepairState,
    SalesRecord,
    StockMove,
    Unit,
)


@dataclass(frozen=True)
class Return:
    serial: str
    received: datetime
    fault_code: str | None
    part_no: str | None = None
    rework: bool = False
    description: str = "不开机"
    cause: str = "主板虚焊"
    action: str = "补焊"


@dataclass
class Shop:
    db: Database
    user_id: int
    models: dict[str, int] = field(default_factory=dict)
    parts: dict[str, int] = field(default_factory=dict)
    customer_id: int = 0
    next_number: int = 1
    orders: int = 0

    def model(self, code: str, category: str = "phone") -> int:
        if code not in self.models:
            with self.db.read() as session:
                known = session.scalar(select(ProductModel.id).where(ProductModel.code == code))
            if known is not None:  # written by another Shop of the same test
                self.models[code] = known
                return known
            self.models[code] = add_model(self.db, code)
            with self.db.transaction() as session:
                model = session.get(ProductModel, self.models[code])
                assert model is not None
                model.category = category
        return self.models[code]

    def sell(self, code: str, month: date, units: int, tac: str = "86012345") -> list[str]:
        """``units`` of model ``code`` sold on days 1..28 of ``month``; their serials."""
        self.model(code)
        serials = [imei(self.next_number + n, tac) for n in range(units)]
        self.next_number += units
        rows = [
            {
                "serial": serial,
                "model_code": code,
                "sale_date": month.replace(day=1 + n % 28),
                "dealer": "经销商",
            }
            for n, serial in enumerate(serials)
        ]
        with self.db.transaction() as session:
            session.execute(insert(SalesRecord), rows)
        return serials

    def part(self, part_no: str) -> int:
        if part_no not in self.parts:
            with self.db.transaction() as session:
                part = stock_row(part_no=part_no, name=f"配件 {part_no}")
                session.add(part)
                session.flush()
                self.parts[part_no] = part.id
        return self.parts[part_no]

    def returns(self, code: str, returns: list[Return]) -> None:
        model_id = self.model(code)
        if not self.customer_id:
            with self.db.transaction() as session:
                customer = Customer(name="客户", created_at=datetime(2025, 1, 1, tzinfo=UTC))
                session.add(customer)
                session.flush()
                self.customer_id = customer.id
        for item in returns:
            part_id = self.part(item.part_no) if item.part_no else None
            with self.db.transaction() as session:
                unit = session.query(Unit).filter_by(serial=item.serial).one_or_none()
                if unit is None:
                    unit = Unit(
                        serial=item.serial, product_model_id=model_id, created_at=item.received
                    )
                    session.add(unit)
                    session.flush()
                self.orders += 1
                order = RepairOrder(
                    order_no=f"RO{self.orders:08d}",
                    unit_id=unit.id,
                    customer_id=self.customer_id,
                    state=RepairState.SHIPPED,
                    fault_description=item.description,
                    is_rework=item.rework,
                    received_at=item.received,
                    received_by_id=self.user_id,
                    updated_at=item.received,
                )
                session.add(order)
                session.flush()
                if item.fault_code:
                    session.add(
                        RepairRecord(
                            order_id=order.id,
                            fault_code=item.fault_code,
                            cause=item.cause,
                            action=item.action,
                            technician_id=self.user_id,
                            recorded_at=item.received,
                        )
                    )
                if part_id:
                    session.add(
                        StockMove(
                            part_id=part_id,
                            kind=MoveKind.ISSUE,
                            quantity=-1,
                            balance_after=0,
                            order_id=order.id,
                            at=item.received,
                            by_id=self.user_id,
                            station="test",
                        )
                    )


def on(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
