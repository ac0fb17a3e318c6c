"""Chinese names of the stored codes, for the ledgers (a Chinese document, like the PDFs)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from app.models import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    Handling,
    MoveKind,
    RepairState,
    StockKind,
)

CHINESE: dict[Enum, str] = {
    RepairState.RECEIVED: "已收货",
    RepairState.ALLOCATED: "已分配",
    RepairState.IN_REPAIR: "维修中",
    RepairState.WAITING_PARTS: "待料",
    RepairState.WAITING_CHARGE: "待收费确认",
    RepairState.REPAIRED: "已修好",
    RepairState.IN_QC: "老化中",
    RepairState.QC_PASSED: "QC合格",
    RepairState.SHIPPED: "已发货",
    RepairState.SPECIAL_PENDING: "待主管审批",
    RepairState.REFUNDED: "已退货",
    RepairState.RETURN_UNREPAIRED: "待退回(未维修)",
    Handling.REPAIR: "维修",
    Handling.REFUND: "退货",
    Handling.REFURBISH: "翻新",
    Handling.REPLACE: "换新",
    MoveKind.RECEIPT: "采购入库",
    MoveKind.ISSUE: "维修领用",
    MoveKind.RETURN_UNUSED: "退回(未用)",
    MoveKind.RETURN_FAULTY: "退回(坏件)",
    MoveKind.SCRAP: "报废",
    MoveKind.SALE: "销售",
    MoveKind.ADJUSTMENT: "盘点调整",
    MoveKind.SUPPLIER_RETURN: "退供应商",
    StockKind.GOOD: "良品",
    StockKind.DEFECTIVE: "不良品",
    ComplaintChannel.PHONE: "电话",
    ComplaintChannel.LETTER: "信函",
    ComplaintChannel.WALK_IN: "来访",
    ComplaintChannel.ONLINE: "网络",
    ComplaintCategory.REPAIR_QUALITY: "维修质量",
    ComplaintCategory.ATTITUDE: "服务态度",
    ComplaintCategory.TURNAROUND: "维修时效",
    ComplaintCategory.PARTS_SUPPLY: "配件供应",
    ComplaintCategory.PRICING: "收费价格",
    ComplaintCategory.LOSS_DAMAGE: "丢失损坏",
    ComplaintCategory.OTHER: "其他",
    ComplaintStatus.OPEN: "处理中",
    ComplaintStatus.SETTLED: "已解决",
    ComplaintStatus.CLOSED: "已结案",
}


def chinese(value: Any) -> Any:
    """The Chinese name of a stored code (enums), anything else unchanged."""
    return CHINESE.get(value, getattr(value, "value", value)) if isinstance(value, Enum) else value
