"""The handbook's values the care tables start with (migration 0012 inserts them; the
administrator edits them afterwards on the catalogues page).

Penalty rules, from seed 001 四、責任落實 (quoted per rule in ``source``). The handbook's chain is
營銷代表 → 主任 → 經理: step 0 is the person responsible, step 1 their superior, step 2 the
superior's superior; ``superiors`` is how many superiors the person responsible has ("any":
whatever the chain). Amounts are cents, percentages basis points (6% = 600).
"""

from __future__ import annotations

from typing import Any

YUAN = 100

# (code, grade, superiors, step, fixed cents, percent bp, basis, per item, cancels commission,
#  source)
PENALTY_SEED: tuple[tuple[Any, ...], ...] = (
    # A級 ①「代表未達作業標準,營銷代表扣50元/項,主任50元/項,經理50元/項」
    ("A-2-0", "A", "2", 0, 50 * YUAN, None, "service", True, True, "001 四(一)①: 代表 50元/項"),
    ("A-2-1", "A", "2", 1, 50 * YUAN, None, "service", True, True, "001 四(一)①: 主任 50元/項"),
    ("A-2-2", "A", "2", 2, 50 * YUAN, None, "service", True, True, "001 四(一)①: 經理 50元/項"),
    # A級 ②「主任未達作業標準,主任50元/項,經理100元/項」
    ("A-1-0", "A", "1", 0, 50 * YUAN, None, "service", True, True, "001 四(一)②: 主任 50元/項"),
    ("A-1-1", "A", "1", 1, 100 * YUAN, None, "service", True, True, "001 四(一)②: 經理 100元/項"),
    # A級 ③「經理未達作業標準,經理100元/項」
    ("A-0-0", "A", "0", 0, 100 * YUAN, None, "service", True, True, "001 四(一)③: 經理 100元/項"),
    # B級「品牌調度:扣200元」;「取消…服務滿意度提成」
    ("B-0", "B", "any", 0, 200 * YUAN, None, "service", False, True, "001 四(二)(3): 扣200元"),
    # B級「品牌主任扣取6%當期服務金額」
    ("B-1", "B", "any", 1, None, 600, "service", False, True, "001 四(二)(2): 主任 6%服務金額"),
    ("B-2", "B", "any", 2, None, None, "service", False, True, "001 四(二)(1): 經理 取消提成"),
    # C級「扣罰退款金額15%(營銷代表5%,營銷主任5%,營銷經理5%)」;「品牌調度:扣500元」
    ("C-0", "C", "any", 0, None, 500, "refund", False, True, "001 四(三)(1): 代表 退款5%"),
    ("C-0-F", "C", "any", 0, 500 * YUAN, None, "refund", False, False, "001 四(三)(3): 扣500元"),
    ("C-1", "C", "any", 1, None, 500, "refund", False, True, "001 四(三)(1): 主任 退款5%"),
    ("C-2", "C", "any", 2, None, 500, "refund", False, True, "001 四(三)(1): 經理 退款5%"),
)

PENALTY_COLUMNS = (
    "code",
    "grade",
    "superiors",
    "step",
    "fixed_cents",
    "percent_bp",
    "basis",
    "per_item",
    "cancels_commission",
    "source",
)

# Notice templates per event (seed 003 5、及時回報原則: 「及時(6小時內,下班前)將處理進度告知客戶
# (電話、短信為佳)」; seed 001 二(二):「考評完全滿意,發送[滿意感謝短信]」). The template code is
# the provider's approved template (empty until the administrator has one).
NOTICE_TEMPLATE_SEED: tuple[tuple[str, str], ...] = (
    ("received", "{center}已收到您的{model}(维修单{order_no}),我们将尽快检测维修。"),
    ("waiting_parts", "您的维修单{order_no}正在等待配件,已等待{days}天,到货后立即维修,敬请谅解。"),
    ("shipped", "您的维修单{order_no}已修复发出:{carrier}运单号{waybill_no},请注意查收。"),
    ("complaint_progress", "您的投诉{complaint_no}正在处理中:{progress}。{center}将及时告知进展。"),
    ("thanks", "感谢您对{center}的信任与好评!维修单{subject}如有任何问题请随时联系我们。"),
)


def seed(connection: Any) -> None:
    """Insert the seed rows (what migration 0012 does; the tests' emptied PostgreSQL database
    is put back to a freshly migrated one with it)."""
    from sqlalchemy import insert

    from app.models import NoticeTemplate, PenaltyRule

    connection.execute(
        insert(PenaltyRule),
        [{**dict(zip(PENALTY_COLUMNS, row, strict=True)), "active": True} for row in PENALTY_SEED],
    )
    connection.execute(
        insert(NoticeTemplate),
        [{"event": event, "text": text, "active": True} for event, text in NOTICE_TEMPLATE_SEED],
    )
