"""``shipping``: building one waybill PDF — the 100 × 150 mm label page with the Code 128 of
the waybill number and the QR code of the shipment number, as the packing table prints it —
and, beside it, the label followed by the A4 packing list (the preview).

The PDF is built from the data the core reads (no database: the read is one small query and
the benchmark is about the document). Each run uses a new waybill and shipment number so no
barcode is reused.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from app.documents.waybill import (
    PackingLine,
    Party,
    WaybillData,
    waybill_label_pdf,
    waybill_pdf,
)
from app.formats import s10_check_digit

from . import BenchEnv, Figure, benchmark

RUNS = 200
WARM_UP = 10


def _waybill(number: int) -> WaybillData:
    body = f"{10_000_000 + number:08d}"
    return WaybillData(
        shipment_no=f"SH2026110{number:05d}",
        carrier="中国邮政EMS",
        waybill_no=f"EA{body}{s10_check_digit(body)}CN",
        sender=Party("星辰通讯售后维修中心", "0755-86000000", "深圳市南山区科技园科苑路 15 号"),
        receiver=Party(
            "张三", "13800138000", "广东省深圳市福田区华强北路 1002 号赛格广场 12 楼 1203 室"
        ),
        pieces=1,
        weight_grams=850,
        declared_value="¥1,200.00",
        contents="维修机 2 台",
        shipped_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        lines=[
            PackingLine(
                f"RO20261102{number:04d}", "星辰 X1", "356789012345678", "已修复", "充电器、数据线"
            ),
            PackingLine(
                f"RO20261102{number + 1:04d}", "星辰 X2", "356789012345686", "未修退回", ""
            ),
        ],
    )


def _median_ms(build: Callable[[WaybillData], bytes], runs: int) -> float:
    samples: list[float] = []
    for number in range(WARM_UP + runs):
        data = _waybill(number)
        started = time.perf_counter()
        build(data)
        if number >= WARM_UP:
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


@benchmark("shipping")
def shipping(env: BenchEnv) -> list[Figure]:
    return [
        Figure("waybill_pdf_ms", _median_ms(waybill_label_pdf, RUNS), "ms"),
        Figure("waybill_with_packing_list_ms", _median_ms(waybill_pdf, RUNS), "ms"),
    ]
