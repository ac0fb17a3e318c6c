"""The ledgers the center exports (DOMAIN.md, "Documents"): what each holds and its columns.

Each ledger streams its rows from the database (``yield_per``), so a ledger of a million rows
never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased

from app.ledgers.xlsx import Column, Kind
from app.models import (
    AgingRun,
    Allocation,
    Complaint,
    Customer,
    FollowUp,
    InboundBox,
    MoveKind,
    Part,
    ProductModel,
    PurchaseRequest,
    RackSlot,
    RepairOrder,
    RepairState,
    StockKind,
    StockMove,
    Unit,
    User,
)
from app.vocabulary import chinese

Rows = Callable[[Session, datetime, datetime], Iterator[Sequence[Any]]]
BATCH = 2_000


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: Rows


@dataclass(frozen=True)
class Ledger:
    key: str  # the command line's name for it
    title: str
    sheets: tuple[Sheet, ...]


def stream(session: Session, query: Select) -> Iterator[Sequence[Any]]:
    yield from session.execute(query.execution_options(yield_per=BATCH))


C, K = Column, Kind
_clerk, _technician, _previous, _by, _signer = (aliased(User) for _ in range(5))
_order_joins = (
    (Unit, Unit.id == RepairOrder.unit_id),
    (ProductModel, ProductModel.id == Unit.product_model_id),
    (Customer, Customer.id == RepairOrder.customer_id),
)


def _orders(query: Select) -> Select:
    for target, on in _order_joins:
        query = query.join(target, on)
    return query


def receiving_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        _orders(
            select(
                RepairOrder.order_no,
                RepairOrder.received_at,
                InboundBox.waybill_no,
                Customer.name,
                ProductModel.name,
                RepairOrder.capacity,
                RepairOrder.colour,
                Unit.serial,
                RepairOrder.fault_description,
                RepairOrder.accessories,
                RepairOrder.appearance,
                RepairOrder.in_warranty,
                RepairOrder.warranty_until,
                RepairOrder.is_repeat,
                RepairOrder.is_rework,
                _clerk.display_name,
            ).select_from(RepairOrder)
        )
        .outerjoin(InboundBox, InboundBox.id == RepairOrder.box_id)
        .join(_clerk, _clerk.id == RepairOrder.received_by_id)
        .where(RepairOrder.received_at >= start, RepairOrder.received_at < end)
        .order_by(RepairOrder.received_at, RepairOrder.id)
    )
    return stream(session, query)


def repair_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        _orders(
            select(
                RepairOrder.order_no,
                RepairOrder.state,
                RepairOrder.handling,
                ProductModel.name,
                Unit.serial,
                Customer.name,
                _technician.display_name,
                RepairOrder.received_at,
                RepairOrder.allocated_at,
                RepairOrder.repaired_at,
                RepairOrder.qc_passed_at,
                RepairOrder.shipped_at,
                RepairOrder.diagnosis,
                RepairOrder.repair_action,
                RepairOrder.rework_count,
                RepairOrder.in_warranty,
            ).select_from(RepairOrder)
        )
        .outerjoin(_technician, _technician.id == RepairOrder.technician_id)
        .where(RepairOrder.received_at >= start, RepairOrder.received_at < end)
        .order_by(RepairOrder.received_at, RepairOrder.id)
    )
    for row in stream(session, query):
        yield (row[0], chinese(row[1]), chinese(row[2]), *row[3:])


def out_book_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        select(
            Allocation.at,
            RepairOrder.order_no,
            ProductModel.name,
            _technician.display_name,
            _previous.display_name,
            Allocation.reason,
            _by.display_name,
            Allocation.station,
        )
        .join(RepairOrder, RepairOrder.id == Allocation.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .join(_technician, _technician.id == Allocation.technician_id)
        .outerjoin(_previous, _previous.id == Allocation.previous_technician_id)
        .join(_by, _by.id == Allocation.by_id)
        .where(Allocation.at >= start, Allocation.at < end)
        .order_by(Allocation.at, Allocation.id)
    )
    return stream(session, query)


def _moves(kinds: Sequence[MoveKind]) -> Rows:
    def rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
        query = (
            select(
                StockMove.at,
                Part.part_no,
                Part.name,
                StockMove.kind,
                StockMove.stock,
                StockMove.quantity,
                StockMove.balance_after,
                StockMove.unit_cost_cents,
                RepairOrder.order_no,
                _technician.display_name,
                StockMove.document_no,
                StockMove.reason,
                _by.display_name,
            )
            .join(Part, Part.id == StockMove.part_id)
            .outerjoin(RepairOrder, RepairOrder.id == StockMove.order_id)
            .outerjoin(_technician, _technician.id == StockMove.technician_id)
            .join(_by, _by.id == StockMove.by_id)
            .where(StockMove.kind.in_(sorted(kinds)), StockMove.at >= start, StockMove.at < end)
            .order_by(StockMove.at, StockMove.id)
        )
        for row in stream(session, query):
            yield (row[0], row[1], row[2], chinese(row[3]), chinese(row[4]), *row[5:])

    return rows


def balance_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    """Per part (good stock): opening balance, in, out, closing — all sums of the moves."""
    good = StockMove.stock == StockKind.GOOD
    opening = func.coalesce(func.sum(case((StockMove.at < start, StockMove.quantity), else_=0)), 0)
    within = (StockMove.at >= start) & (StockMove.at < end)
    incoming = func.coalesce(
        func.sum(case((within & (StockMove.quantity > 0), StockMove.quantity), else_=0)), 0
    )
    outgoing = func.coalesce(
        func.sum(case((within & (StockMove.quantity < 0), -StockMove.quantity), else_=0)), 0
    )
    closing = func.coalesce(func.sum(case((StockMove.at < end, StockMove.quantity), else_=0)), 0)
    query = (
        select(
            Part.part_no,
            Part.name,
            Part.bin_location,
            opening,
            incoming,
            outgoing,
            closing,
            Part.safety_stock,
        )
        .outerjoin(StockMove, (StockMove.part_id == Part.id) & good)
        .group_by(Part.id, Part.part_no, Part.name, Part.bin_location, Part.safety_stock)
        .order_by(Part.part_no)
    )
    return stream(session, query)


def purchase_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        select(
            PurchaseRequest.created_at,
            Part.part_no,
            Part.name,
            PurchaseRequest.quantity,
            Part.on_hand,
            Part.safety_stock,
            PurchaseRequest.closed_at,
        )
        .join(Part, Part.id == PurchaseRequest.part_id)
        .where(PurchaseRequest.created_at >= start, PurchaseRequest.created_at < end)
        .order_by(PurchaseRequest.created_at)
    )
    return stream(session, query)


def qc_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        select(
            AgingRun.received_at,
            RepairOrder.order_no,
            ProductModel.name,
            _technician.display_name,
            RackSlot.code,
            AgingRun.started_at,
            AgingRun.required_minutes,
            AgingRun.result,
            AgingRun.fail_reason,
            _signer.display_name,
            AgingRun.signed_at,
            AgingRun.override_reason,
        )
        .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .outerjoin(_technician, _technician.id == AgingRun.technician_id)
        .outerjoin(RackSlot, RackSlot.id == AgingRun.slot_id)
        .outerjoin(_signer, _signer.id == AgingRun.signed_by_id)
        .where(AgingRun.received_at >= start, AgingRun.received_at < end)
        .order_by(AgingRun.received_at, AgingRun.id)
    )
    for row in stream(session, query):
        result = chinese(row[7]) if row[7] is not None else chinese(RepairState.IN_QC)
        yield (*row[:6], round(row[6] / 60, 2), result, *row[8:])


def shipping_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    from app.shipping.views import shipped_units  # the same query as the shipping tab's ledger

    return stream(session, shipped_units(start, end))


def complaint_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        select(
            Complaint.complaint_no,
            Complaint.received_at,
            Customer.name,
            Customer.phone,
            Complaint.channel,
            Complaint.grade,
            Complaint.category,
            Complaint.is_valid,
            Complaint.description,
            Complaint.customer_request,
            Complaint.first_contact_due,
            Complaint.first_contact_at,
            Complaint.answer_due,
            Complaint.answered_at,
            Complaint.settle_due,
            Complaint.settled_at,
            Complaint.responsible_person,
            Complaint.chosen_remedy,
            Complaint.outcome,
            Complaint.status,
            _by.display_name,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .join(_by, _by.id == Complaint.received_by_id)
        .where(Complaint.received_at >= start, Complaint.received_at < end)
        .order_by(Complaint.received_at, Complaint.id)
    )
    for row in stream(session, query):
        yield tuple(chinese(value) for value in row)


def follow_up_rows(session: Session, start: datetime, end: datetime) -> Iterator[Sequence[Any]]:
    query = (
        select(
            FollowUp.due_at,
            FollowUp.kind,
            RepairOrder.order_no,
            Complaint.complaint_no,
            Customer.name,
            Customer.phone,
            FollowUp.done_at,
            FollowUp.reached,
            FollowUp.satisfied,
            FollowUp.comment,
            _by.display_name,
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(RepairOrder, RepairOrder.id == FollowUp.order_id)
        .outerjoin(Complaint, Complaint.id == FollowUp.complaint_id)
        .outerjoin(_by, _by.id == FollowUp.done_by_id)
        .where(FollowUp.due_at >= start, FollowUp.due_at < end)
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    for row in stream(session, query):
        yield (row[0], chinese(row[1]), *row[2:])


T, DT, D, B, N, M = K.TEXT, K.DATETIME, K.DATE, K.BOOL, K.INT, K.MONEY
ORDER_NO = C("维修单号", T, 17)
MOVE_COLUMNS = (
    C("时间", DT, 17),
    C("物料编号", T, 14),
    C("物料名称", T, 20),
    C("类型", T, 12),
    C("库别", T, 8),
    C("数量", N, 8),
    C("结存", N, 8),
    C("单位成本", M, 10),
    ORDER_NO,
    C("维修员", T, 10),
    C("单据号", T, 16),
    C("原因", T, 20),
    C("经办人", T, 10),
)

LEDGERS: dict[str, Ledger] = {
    ledger.key: ledger
    for ledger in (
        Ledger(
            "receiving",
            "收货登记表",
            (
                Sheet(
                    "收货登记",
                    (
                        ORDER_NO,
                        C("收货时间", DT, 17),
                        C("来件运单", T, 16),
                        C("寄件方", T, 16),
                        C("机型", T, 14),
                        C("容量", T, 8),
                        C("颜色", T, 8),
                        C("序列号/IMEI", T, 18),
                        C("故障描述", T, 24),
                        C("随机附件", T, 18),
                        C("外观", T, 24),
                        C("保内", B, 6),
                        C("保修截止", D, 11),
                        C("返修", B, 6),
                        C("本中心返工", B, 8),
                        C("收货员", T, 10),
                    ),
                    receiving_rows,
                ),
            ),
        ),
        Ledger(
            "repairs",
            "维修台账",
            (
                Sheet(
                    "维修台账",
                    (
                        ORDER_NO,
                        C("状态", T, 12),
                        C("处理方式", T, 10),
                        C("机型", T, 14),
                        C("序列号/IMEI", T, 18),
                        C("客户", T, 14),
                        C("维修员", T, 10),
                        C("收货", DT, 17),
                        C("分配", DT, 17),
                        C("修复", DT, 17),
                        C("QC合格", DT, 17),
                        C("发货", DT, 17),
                        C("故障诊断", T, 24),
                        C("维修措施", T, 24),
                        C("返工次数", N, 8),
                        C("保内", B, 6),
                    ),
                    repair_rows,
                ),
            ),
        ),
        Ledger(
            "outbook",
            "派工出库本",
            (
                Sheet(
                    "出库本",
                    (
                        C("时间", DT, 17),
                        ORDER_NO,
                        C("机型", T, 14),
                        C("维修员", T, 10),
                        C("原维修员", T, 10),
                        C("转派原因", T, 20),
                        C("派工人", T, 10),
                        C("工位", T, 10),
                    ),
                    out_book_rows,
                ),
            ),
        ),
        Ledger(
            "parts",
            "物料进销存台账",
            (
                Sheet(
                    "维修耗用",
                    MOVE_COLUMNS,
                    _moves([MoveKind.ISSUE, MoveKind.RETURN_UNUSED, MoveKind.RETURN_FAULTY]),
                ),
                Sheet("销售", MOVE_COLUMNS, _moves([MoveKind.SALE])),
                Sheet(
                    "入库及其他",
                    MOVE_COLUMNS,
                    _moves(
                        [
                            MoveKind.RECEIPT,
                            MoveKind.SCRAP,
                            MoveKind.ADJUSTMENT,
                            MoveKind.SUPPLIER_RETURN,
                        ]
                    ),
                ),
                Sheet(
                    "结存",
                    (
                        C("物料编号", T, 14),
                        C("物料名称", T, 20),
                        C("库位", T, 8),
                        C("期初", N, 8),
                        C("入库", N, 8),
                        C("出库", N, 8),
                        C("期末", N, 8),
                        C("安全库存", N, 8),
                    ),
                    balance_rows,
                ),
            ),
        ),
        Ledger(
            "purchases",
            "采购申请单",
            (
                Sheet(
                    "采购申请",
                    (
                        C("申请时间", DT, 17),
                        C("物料编号", T, 14),
                        C("物料名称", T, 20),
                        C("申请数量", N, 8),
                        C("现存", N, 8),
                        C("安全库存", N, 8),
                        C("关闭时间", DT, 17),
                    ),
                    purchase_rows,
                ),
            ),
        ),
        Ledger(
            "qc",
            "QC老化登记表",
            (
                Sheet(
                    "老化登记",
                    (
                        C("接收时间", DT, 17),
                        ORDER_NO,
                        C("机型", T, 14),
                        C("维修员", T, 10),
                        C("槽位", T, 8),
                        C("开始老化", DT, 17),
                        C("要求时长(小时)", N, 10),
                        C("结果", T, 8),
                        C("不合格原因", T, 20),
                        C("签核人", T, 10),
                        C("签核时间", DT, 17),
                        C("主管授权原因", T, 18),
                    ),
                    qc_rows,
                ),
            ),
        ),
        Ledger(
            "shipping",
            "发货台账",
            (
                Sheet(
                    "发货台账",
                    (
                        C("发货时间", DT, 17),
                        C("发货单号", T, 17),
                        C("承运商", T, 8),
                        C("运单号", T, 16),
                        C("收件人", T, 10),
                        C("电话", T, 13),
                        C("地址", T, 30),
                        ORDER_NO,
                        C("机型", T, 14),
                        C("序列号/IMEI", T, 18),
                    ),
                    shipping_rows,
                ),
            ),
        ),
        Ledger(
            "complaints",
            "客怨处理登记表",
            (
                Sheet(
                    "客怨登记",
                    (
                        C("投诉单号", T, 17),
                        C("登记时间", DT, 17),
                        C("客户", T, 12),
                        C("电话", T, 13),
                        C("渠道", T, 8),
                        C("等级", T, 6),
                        C("类别", T, 12),
                        C("有效投诉", B, 8),
                        C("事由", T, 30),
                        C("客户诉求", T, 20),
                        C("首次联系期限", DT, 17),
                        C("首次联系", DT, 17),
                        C("答复期限", DT, 17),
                        C("答复时间", DT, 17),
                        C("结案期限", DT, 17),
                        C("结案时间", DT, 17),
                        C("责任人", T, 10),
                        C("解决方案", T, 20),
                        C("处理结果", T, 20),
                        C("状态", T, 8),
                        C("登记人", T, 10),
                    ),
                    complaint_rows,
                ),
            ),
        ),
        Ledger(
            "followups",
            "回访登记表",
            (
                Sheet(
                    "回访登记",
                    (
                        C("应回访时间", DT, 17),
                        C("类型", T, 10),
                        ORDER_NO,
                        C("投诉单号", T, 17),
                        C("客户", T, 12),
                        C("电话", T, 13),
                        C("回访时间", DT, 17),
                        C("联系上", B, 8),
                        C("满意", B, 6),
                        C("备注", T, 24),
                        C("回访人", T, 10),
                    ),
                    follow_up_rows,
                ),
            ),
        ),
    )
}
