"""The ledgers the center exports (DOMAIN.md, "Documents"): their sheets and columns.

Each area owns its ledger's query (``<area>/views.py``, ``*_ledger_rows``); the rows stream
from the database (``app.db.stream``), so a ledger of a million rows never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.allocation.views import out_book_ledger_rows
from app.complaints.views import complaint_ledger_rows, follow_up_ledger_rows
from app.ledgers.columns import Column, Kind  # not the Excel writer: the tab lists the sheets
from app.orders.listing import repair_ledger_rows
from app.parts.views import Ledger as Book
from app.parts.views import balance_ledger_rows, move_ledger_rows, purchase_ledger_rows
from app.qc.views import aging_ledger_rows
from app.receiving.views import receiving_ledger_rows
from app.shipping.views import shipping_ledger_rows

Rows = Callable[[Session, datetime, datetime], Iterator[Sequence[Any]]]


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


C, K = Column, Kind
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
                    receiving_ledger_rows,
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
                    repair_ledger_rows,
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
                    out_book_ledger_rows,
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
                    move_ledger_rows(Book.REPAIR),
                ),
                Sheet("销售", MOVE_COLUMNS, move_ledger_rows(Book.SALE)),
                Sheet(
                    "入库及其他",
                    MOVE_COLUMNS,
                    move_ledger_rows(Book.OTHER),
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
                    balance_ledger_rows,
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
                    purchase_ledger_rows,
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
                    aging_ledger_rows,
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
                    shipping_ledger_rows,
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
                    complaint_ledger_rows,
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
                    follow_up_ledger_rows,
                ),
            ),
        ),
    )
}
