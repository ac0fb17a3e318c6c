"""Small builders for test data: catalogue rows, customers and orders in a given state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.clock import ManualClock
from app.context import Context
from app.db import Database
from app.formats import luhn_check_digit
from app.models import (
    AuditEntry,
    Carrier,
    Customer,
    Part,
    PartFit,
    PartMaster,
    ProductModel,
    RepairOrder,
    RepairState,
    Role,
    SerialKind,
    User,
    UserRole,
)
from app.orders.listing import order_version
from app.receiving import Intake, Received, receive_unit

TAC = "86012345"


def imei(number: int, tac: str = TAC) -> str:
    body = f"{tac}{number:06d}"
    return body + luhn_check_digit(body)


def bad_imei(number: int, tac: str = TAC) -> str:
    """The same IMEI with a wrong Luhn check digit."""
    good = imei(number, tac)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def full_width(text: str) -> str:
    """``text`` as a Chinese input method in full-width mode types it."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


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


def stock_row(
    part_no: str,
    name: str,
    *,
    unit_cost_cents: int = 0,
    sale_price_cents: int = 0,
    fits: tuple[int, ...] | list[int] = (),
    master: PartMaster | None = None,
    **stock: Any,
) -> Part:
    """A center's stock row of a new master part (both added with the row); ``fits``: product
    model ids; ``stock``: the row's own columns (on_hand, safety_stock, center_id...). Pass
    ``master`` to stock a master part already there."""
    if master is None:
        master = PartMaster(
            part_no=part_no,
            name=name,
            unit_cost_cents=unit_cost_cents,
            sale_price_cents=sale_price_cents,
            fits=[PartFit(product_model_id=model) for model in fits],
        )
    return Part(master=master, **stock)


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


def floor_staff(db: Database, make_user: Callable[..., Context]) -> dict[str, Any]:
    """The people of a receiving-to-shipping run, a customer and the SF carrier."""
    staff = {
        "clerk": make_user(Role.RECEIVING_CLERK, username="clerk"),
        "boss": make_user(Role.SUPERVISOR, username="boss"),
        "tech": make_user(Role.TECHNICIAN, username="tech"),
        "qc": make_user(Role.QC_TESTER, username="qc"),
        "ship": make_user(Role.SHIPPING_CLERK, username="ship"),
    }
    staff["customer"] = add_customer(db, staff["clerk"])
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    return staff


def repair_and_ship(
    floor: dict[str, Any], clock: ManualClock, order_id: int, password: str
) -> None:
    """Take a received order through repair, a 4-hour QC aging and shipping."""
    from app.orders import transitions as orders
    from app.qc import aging as qc
    from app.shipping import shipments as shipping

    orders.allocate(floor["boss"], [order_id], floor["tech"].user_id)
    orders.start_repair(floor["tech"], order_id)
    orders.finish_repair(
        floor["tech"],
        order_id,
        diagnosis="尾插氧化",
        repair_action="更换尾插小板",
        expected_version=order_version(floor["tech"], order_id),
    )
    qc.start_aging(floor["qc"], order_id)
    clock.advance(hours=4)
    qc.sign_off(floor["qc"], order_id, passed=True, password=password)
    shipping.ship_orders(
        floor["ship"],
        [order_id],
        carrier_code="SF",
        waybill_no="SF1234567890123",
        receiver_name="张三",
        receiver_phone="13800138000",
        receiver_address="深圳",
    )


def settle_a_complaint(
    db: Database, service: Context, supervisor: Context, customer_id: int
) -> None:
    """A grade-B complaint of the customer registered, remedied and settled now (the watch
    after a complaint starts)."""
    from sqlalchemy import select

    from app import complaints
    from app.complaints.watch import complaint_version
    from app.models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintGrade

    number = complaints.register_complaint(
        service,
        customer_id=customer_id,
        channel=ComplaintChannel.PHONE,
        description="维修后仍然不开机",
        customer_request="重新维修",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    with db.read() as session:
        cid = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    complaints.propose_remedies(
        service, cid, "免费重修", "换新机", expected_version=complaint_version(service, cid)
    )
    complaints.approve_remedies(supervisor, cid, expected_version=complaint_version(service, cid))
    complaints.record_choice(
        service, cid, "免费重修", expected_version=complaint_version(service, cid)
    )
    complaints.settle_complaint(
        service,
        cid,
        outcome="已重修",
        customer_accepted=True,
        expected_version=complaint_version(service, cid),
    )


def move_users(session: Session, user_ids: list[int], center_id: int) -> None:
    """Make people another center's (headquarters' staff in the network tests): their accounts
    and roles together, as the tables' owner. On PostgreSQL the center keys
    (``app.center_keys``) are checked at the commit, when both have moved."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
    session.execute(update(User).where(User.id.in_(user_ids)).values(center_id=center_id))
    session.execute(
        update(UserRole).where(UserRole.user_id.in_(user_ids)).values(center_id=center_id)
    )
