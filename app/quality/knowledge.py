"""The fault knowledge base (故障反馈资料库): what the bench recorded for each repair (fault
code → cause → action) gathered into articles per model, the most used first, searchable by
any word of the fault, cause or action; exported to Excel for the agents' repair departments.
An article counts the repairs behind it and the photos attached to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import distinct, func, or_, select

from app.context import Context
from app.ledgers.columns import Column, Kind
from app.models import FaultCode, Photo, ProductModel, RepairOrder, RepairRecord, Unit
from app.permissions import Permission

MAX_ARTICLES = 500


@dataclass(frozen=True)
class Article:
    model_code: str
    model_name: str
    fault_code: str
    fault_text: str
    cause: str
    action: str
    repairs: int
    last_used: datetime
    photos: int


def _query(model_code: str | None, text: str) -> Any:
    fault_text = func.max(FaultCode.description)
    query = (
        select(
            ProductModel.code,
            ProductModel.name,
            RepairRecord.fault_code,
            fault_text,
            RepairRecord.cause,
            RepairRecord.action,
            func.count(distinct(RepairRecord.order_id)),
            func.max(RepairRecord.recorded_at),
            func.count(distinct(Photo.id)),
        )
        .select_from(RepairRecord)
        .join(RepairOrder, RepairOrder.id == RepairRecord.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .outerjoin(FaultCode, FaultCode.code == RepairRecord.fault_code)
        .outerjoin(Photo, Photo.order_id == RepairRecord.order_id)
        .group_by(
            ProductModel.code,
            ProductModel.name,
            RepairRecord.fault_code,
            RepairRecord.cause,
            RepairRecord.action,
        )
        .order_by(
            func.count(distinct(RepairRecord.order_id)).desc(),
            ProductModel.code,
            RepairRecord.fault_code,
            RepairRecord.cause,
        )
        .limit(MAX_ARTICLES)
    )
    if model_code:
        query = query.where(ProductModel.code == model_code)
    for word in text.split():
        needle = word.lower()
        query = query.where(
            or_(
                func.lower(func.coalesce(RepairRecord.fault_code, "")).contains(
                    needle, autoescape=True
                ),
                func.lower(func.coalesce(FaultCode.description, "")).contains(
                    needle, autoescape=True
                ),
                func.lower(RepairRecord.cause).contains(needle, autoescape=True),
                func.lower(RepairRecord.action).contains(needle, autoescape=True),
            )
        )
    return query


def knowledge_articles(
    ctx: Context, *, model_code: str | None = None, text: str = ""
) -> list[Article]:
    """The articles of one model (or all), each word of ``text`` found in the fault code, its
    description, the cause or the action; the most used first (at most 500)."""
    ctx.require(Permission.VIEW_LEDGERS)
    with ctx.db.read() as session:
        return [
            Article(code, name, fault or "", said or fault or "", cause, action, n, last, photos)
            for code, name, fault, said, cause, action, n, last, photos in session.execute(
                _query(model_code, (text or "").strip())
            )
        ]


def export_knowledge_base(
    ctx: Context, path: Path, *, model_code: str | None = None, text: str = ""
) -> Path:
    """The articles as an Excel workbook for the agents' repair departments."""
    from app.ledgers.xlsx import SheetWriter, new_workbook, save  # openpyxl: with the first

    articles = knowledge_articles(ctx, model_code=model_code, text=text)
    workbook = new_workbook()
    writer = SheetWriter(
        workbook,
        "故障知识库",
        "故障知识库",
        [
            Column("机型", width=18),
            Column("故障代码", width=10),
            Column("故障", width=20),
            Column("原因", width=32),
            Column("处理方法", width=36),
            Column("维修次数", Kind.INT, 10),
            Column("最近使用", Kind.DATETIME, 18),
            Column("照片数", Kind.INT, 8),
        ],
        f"机型:{model_code or '全部'}  关键词:{text.strip() or '无'}",
    )
    for a in articles:
        writer.append(
            [
                f"{a.model_name}({a.model_code})",
                a.fault_code,
                a.fault_text,
                a.cause,
                a.action,
                a.repairs,
                a.last_used,
                a.photos,
            ]
        )
    writer.finish()
    return save(workbook, path)
