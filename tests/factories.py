"""Small builders for test data: catalogue rows, customers and orders in a given state."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from app.context import Context
from app.db import Database
from app.formats import luhn_check_digit
from app.models import AuditEntry, Customer, ProductModel, RepairOrder, RepairState, SerialKind
from app.receiving import Intake, Received, receive_unit

TAC = "86012345"


def imei(number: int, tac: str = TAC) -> str:
    body = f"{tac}{number:06d}"
    return body + luhn_check_digit(body)


def bad_imei(number: int, tac: str = TAC) -> str:
    """The same IMEI with a wrong Luhn check digit."""
    good = imei(number, tac)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def add_model(
    db: Database,
    code: str = "X1",
    *,
    aging_minutes: int = 240,
    serial_kind: SerialKind = SerialKind.IMEI,
    tac: str = TAC,
    warranty_months: int = 12,
) -> int:
    with db.transaction() as session:
        model = ProductModel(
            code=code,
            name=f"星辰 {code}",
            serial_kind=serial_kind,
            tac_prefixes=[tac],
            aging_minutes=aging_minutes,
            warranty_months=warranty_months,
        )
        session.add(model)
        session.flush()
        return model.id


def add_customer(db: Database, ctx: Context, name: str = "张三", phone: str = "13800138000") -> int:
    with db.transaction() as session:
        customer = Customer(
            name=name, phone=phone, address="深圳市南山区科技园", created_at=ctx.now()
        )
        session.add(customer)
        session.flush()
        return customer.id


def receive(
    ctx: Context,
    customer_id: int,
    number: int = 1,
    *,
    purchase_date: date | None = None,
    model_code: str | None = None,
) -> Received:
    return receive_unit(
        ctx,
        Intake(
            serial=imei(number),
            customer_id=customer_id,
            model_code=model_code,
            fault_description="不开机",
            purchase_date=purchase_date,
        ),
    )


def force_state(db: Database, order_id: int, state: RepairState, **values: object) -> None:
    """Test set-up only: put an order in a state without going through the flow."""
    with db.transaction() as session:
        session.execute(
            update(RepairOrder).where(RepairOrder.id == order_id).values(state=state, **values)
        )


def audit_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def snapshot(db: Database, order_id: int) -> dict[str, object]:
    with db.read() as session:
        row = session.execute(select(RepairOrder.__table__).where(RepairOrder.id == order_id)).one()
        return dict(row._mapping)
