"""Documents filled as the floor fills them (and worse), for the printing tests."""

from __future__ import annotations

from datetime import UTC, datetime

from app.documents.order_label import LabelData
from app.documents.receiving_slip import ReceivingSlip, SlipLine
from app.documents.waybill import PackingLine, Party, WaybillData

AT = datetime(2026, 11, 24, 2, 58, tzinfo=UTC)
LONG_RECEIVER = "深圳市宝安区鸿运通讯器材有限公司售后服务部 王经理"
PHONE = "13800138000"


def label(order_no: str = "RO202611240017", fault: str = "不开机,充电无反应") -> LabelData:
    return LabelData(order_no, "Galaxy X1 128G 黑", "356938035643809", AT, fault, "张三", "保内")


def slip(
    fault: str = "屏幕闪烁", units: int = 3, waybill: str = "SF1234567890123"
) -> ReceivingSlip:
    lines = [
        SlipLine(
            f"RO2026112400{i:02d}",
            "Galaxy X1",
            "356938035643809",
            fault,
            "充电器、数据线",
            "保内",
        )
        for i in range(1, units + 1)
    ]
    return ReceivingSlip(
        "售后维修中心", waybill, "顺丰", "客户甲", AT, AT, "王五", units, lines, None
    )


def waybill(receiver: str = LONG_RECEIVER, units: int = 3) -> WaybillData:
    lines = [
        PackingLine(
            f"RO2026112400{i:02d}",
            "Galaxy X1",
            "356938035643809",
            "已修复",
            "充电器、数据线、保护壳、耳机、原装包装盒、说明书、三包凭证",
        )
        for i in range(units)
    ]
    return WaybillData(
        "SH202611240001",
        "顺丰速运",
        "SF1234567890123",
        Party("售后维修中心", "0755-12345678", "深圳市南山区科技园"),
        Party(receiver, PHONE, "广东省深圳市宝安区西乡街道宝源路 88 号"),
        units,
        1500,
        "¥300.00",
        f"维修机 {units} 台",
        AT,
        lines,
    )
