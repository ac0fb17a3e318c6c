"""One vocabulary: the label of every closed list shown to people, and its translation for
documents (PDF, Excel) made without Qt.

Each enum shown on the floor has its English label marked ``N_()`` (defined next to the rule
that owns it: :data:`app.states.STATE_LABELS`, :data:`app.permissions.ROLE_LABELS`,
:data:`app.audit_actions.AUDIT_ACTION_LABELS`; the rest here). :data:`LABELS` gathers them, per
enum. The window translates a label through Qt (context ``app``); documents and ledgers use
:func:`translate` / :func:`chinese`, which read the SAME translations: the zh_CN strings of
context ``app`` in ``resources/translations/repairfloor_zh_CN.ts``.

Why read the .ts at run time rather than generate a Python table from it: the .ts is already
the one file translators edit and ``update_translations.py`` rewrites, and it ships with the
application (wheel and installer bundle); a generated copy would be a second file that can go
stale and must be regenerated after every translation fix. Reading it costs one parse
(~1,200 messages: about 20 ms measured) the first time a document needs it, with the standard
library's XML parser, so the core still does not import Qt. The installer bundle carries the
.ts beside the .qm (installer/repairfloor.spec).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

from app.audit_actions import AUDIT_ACTION_LABELS, AuditAction
from app.errors import N_
from app.models import (
    ActionStatus,
    AlarmStatus,
    CauseSubject,
    ChargeStatus,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintStatus,
    EscalationDecision,
    EscalationStatus,
    FollowUpKind,
    Handling,
    MoveKind,
    QcResult,
    RepairState,
    Role,
    RootCause,
    ShipmentStatus,
    StockKind,
)
from app.orders.charges import PARTS_CHARGE_LABELS, PartsCharge
from app.orders.due import DUE_LABELS, Due
from app.permissions import ROLE_LABELS
from app.states import STATE_LABELS
from resources import TRANSLATIONS_DIR

APP_CONTEXT = "app"
DOCUMENT_LANGUAGE = "zh_CN"  # PDFs and ledgers are Chinese documents

HANDLING_LABELS: dict[Handling, str] = {
    Handling.REPAIR: N_("Repair"),
    Handling.REFUND: N_("Refund"),
    Handling.REFURBISH: N_("Refurbish"),
    Handling.REPLACE: N_("Replace as new"),
}
CHARGE_STATUS_LABELS: dict[ChargeStatus, str] = {
    ChargeStatus.PROPOSED: N_("Charge proposed, awaiting the customer"),
    ChargeStatus.ACCEPTED: N_("Charge accepted"),
    ChargeStatus.REFUSED: N_("Charge refused"),
    ChargeStatus.WAIVED: N_("Charge waived by a supervisor"),
}
STOCK_LABELS: dict[StockKind, str] = {
    StockKind.GOOD: N_("Good"),
    StockKind.DEFECTIVE: N_("Defective"),
}
MOVE_KIND_LABELS: dict[MoveKind, str] = {
    MoveKind.RECEIPT: N_("Receipt"),
    MoveKind.ISSUE: N_("Issue"),
    MoveKind.RETURN_UNUSED: N_("Unused return"),
    MoveKind.RETURN_FAULTY: N_("Faulty return"),
    MoveKind.SCRAP: N_("Scrap"),
    MoveKind.SALE: N_("Sale"),
    MoveKind.ADJUSTMENT: N_("Stocktake"),
    MoveKind.SUPPLIER_RETURN: N_("Supplier return"),
    MoveKind.TRANSFER_OUT: N_("Transfer out"),
    MoveKind.TRANSFER_IN: N_("Transfer in"),
}
QC_RESULT_LABELS: dict[QcResult, str] = {
    QcResult.PASS: N_("Pass"),
    QcResult.FAIL: N_("Fail"),
}
SHIPMENT_STATUS_LABELS: dict[ShipmentStatus, str] = {
    ShipmentStatus.PACKING: N_("Packing"),
    ShipmentStatus.SHIPPED: N_("Shipped"),
    ShipmentStatus.CANCELLED: N_("Cancelled"),
}
COMPLAINT_CHANNEL_LABELS: dict[ComplaintChannel, str] = {
    ComplaintChannel.PHONE: N_("Phone"),
    ComplaintChannel.LETTER: N_("Letter"),
    ComplaintChannel.WALK_IN: N_("Walk-in"),
    ComplaintChannel.ONLINE: N_("Online"),
}
COMPLAINT_GRADE_LABELS: dict[ComplaintGrade, str] = {
    ComplaintGrade.A: N_("A — minor (below standard, no redo asked)"),
    ComplaintGrade.B: N_("B — serious (asks for the work to be redone)"),
    ComplaintGrade.C: N_("C — severe (asks for a refund)"),
}
COMPLAINT_STATUS_LABELS: dict[ComplaintStatus, str] = {
    ComplaintStatus.OPEN: N_("Open"),
    ComplaintStatus.SETTLED: N_("Settled"),
    ComplaintStatus.CLOSED: N_("Closed"),
}
COMPLAINT_CATEGORY_LABELS: dict[ComplaintCategory, str] = {
    ComplaintCategory.REPAIR_QUALITY: N_("Repair quality"),
    ComplaintCategory.ATTITUDE: N_("Attitude"),
    ComplaintCategory.TURNAROUND: N_("Turnaround time"),
    ComplaintCategory.PARTS_SUPPLY: N_("Parts supply"),
    ComplaintCategory.PRICING: N_("Pricing"),
    ComplaintCategory.LOSS_DAMAGE: N_("Loss or damage"),
    ComplaintCategory.OTHER: N_("Other"),
}
FOLLOW_UP_KIND_LABELS: dict[FollowUpKind, str] = {
    FollowUpKind.AFTER_REPAIR: N_("After repair"),
    FollowUpKind.AFTER_COMPLAINT: N_("After complaint"),
}

# Every enum shown to people → its labels (tests check each member has one, in both languages).
ALARM_STATUS_LABELS: dict[AlarmStatus, str] = {
    AlarmStatus.OPEN: N_("New alarm"),
    AlarmStatus.ACKNOWLEDGED: N_("Alarm acknowledged"),
    AlarmStatus.CLOSED: N_("Alarm closed"),
}
ROOT_CAUSE_LABELS: dict[RootCause, str] = {
    RootCause.WORKMANSHIP: N_("Workmanship"),
    RootCause.PART_QUALITY: N_("Part quality"),
    RootCause.DESIGN: N_("Product design"),
    RootCause.DIAGNOSIS: N_("Wrong diagnosis"),
    RootCause.ATTITUDE: N_("Service attitude"),
    RootCause.DELAY: N_("Delay"),
    RootCause.PARTS_SUPPLY: N_("Parts supply"),
    RootCause.PRICING: N_("Pricing"),
    RootCause.OTHER: N_("Other cause"),
}
CAUSE_SUBJECT_LABELS: dict[CauseSubject, str] = {
    CauseSubject.COMPLAINT: N_("Valid complaint"),
    CauseSubject.REWORK: N_("Rework"),
    CauseSubject.QC_FAIL: N_("QC fail"),
    CauseSubject.ALARM: N_("Early-warning alarm"),
}
ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: N_("Action open"),
    ActionStatus.DONE: N_("Action done, to verify"),
    ActionStatus.VERIFIED: N_("Action verified"),
}

ESCALATION_DECISION_LABELS: dict[EscalationDecision, str] = {
    EscalationDecision.GUIDANCE: N_("Guidance for the station"),
    EscalationDecision.TECHNICAL_SUPPORT: N_("Technical support"),
    EscalationDecision.RETURNED: N_("Returned to the station"),
}
ESCALATION_STATUS_LABELS: dict[EscalationStatus, str] = {
    EscalationStatus.WAITING: N_("Waiting for headquarters"),
    EscalationStatus.TAKEN: N_("Taken by headquarters"),
    EscalationStatus.ANSWERED: N_("Answered by headquarters"),
}
LABELS: dict[type[Enum], Mapping[Any, str]] = {
    RepairState: STATE_LABELS,
    Role: ROLE_LABELS,
    AuditAction: AUDIT_ACTION_LABELS,
    Handling: HANDLING_LABELS,
    ChargeStatus: CHARGE_STATUS_LABELS,
    StockKind: STOCK_LABELS,
    MoveKind: MOVE_KIND_LABELS,
    QcResult: QC_RESULT_LABELS,
    ShipmentStatus: SHIPMENT_STATUS_LABELS,
    ComplaintChannel: COMPLAINT_CHANNEL_LABELS,
    ComplaintGrade: COMPLAINT_GRADE_LABELS,
    ComplaintStatus: COMPLAINT_STATUS_LABELS,
    ComplaintCategory: COMPLAINT_CATEGORY_LABELS,
    EscalationDecision: ESCALATION_DECISION_LABELS,
    EscalationStatus: ESCALATION_STATUS_LABELS,
    FollowUpKind: FOLLOW_UP_KIND_LABELS,
    Due: DUE_LABELS,
    PartsCharge: PARTS_CHARGE_LABELS,
    AlarmStatus: ALARM_STATUS_LABELS,
    RootCause: ROOT_CAUSE_LABELS,
    CauseSubject: CAUSE_SUBJECT_LABELS,
    ActionStatus: ACTION_STATUS_LABELS,
}


def label(value: Enum) -> str:
    """The English label (marked ``N_``) of an enum member; KeyError if it has none."""
    return LABELS[type(value)][value]


@cache
def catalogue(language: str = DOCUMENT_LANGUAGE) -> dict[str, str]:
    """The finished translations of context ``app`` in ``repairfloor_<language>.ts``."""
    path = TRANSLATIONS_DIR / f"repairfloor_{language}.ts"
    found: dict[str, str] = {}
    for context in ElementTree.parse(path).getroot().iter("context"):
        if context.findtext("name") != APP_CONTEXT:
            continue
        for message in context.iter("message"):
            source, target = message.findtext("source"), message.find("translation")
            if source and target is not None and target.text and target.get("type") is None:
                found[source] = target.text
    return found


def translate(text: str, language: str = DOCUMENT_LANGUAGE) -> str:
    """A string marked ``N_()`` in ``language`` (as the window shows it), else as written."""
    return catalogue(language).get(text, text)


def translator(language: str = DOCUMENT_LANGUAGE) -> Callable[[str], str]:
    return lambda text: translate(text, language)


def chinese(value: Any) -> Any:
    """An enum member's label in Chinese (as the window shows it); anything else unchanged."""
    if isinstance(value, Enum) and type(value) in LABELS:
        return translate(label(value))
    return value


# Checklist items of the product categories (accessories received, appearance): catalogue data,
# kept as written (in Chinese: the stored value an order's accessories refer to). The usual
# items have an English label, so an English window shows "Charger", not 充电器; an item typed
# in by the center that is not listed here shows as written.
CHECKLIST_TERMS: dict[str, str] = {
    "充电器": N_("Charger"),
    "数据线": N_("Data cable"),
    "卡针": N_("SIM eject pin"),
    "包装盒": N_("Retail box"),
    "保护壳": N_("Protective case"),
    "充电底座": N_("Charging dock"),
    "表带": N_("Strap"),
    "耳机": N_("Earphones"),
    "说明书": N_("Manual"),
    "SIM卡": N_("SIM card"),
    "存储卡": N_("Memory card"),
    "屏幕": N_("Screen"),
    "外壳": N_("Housing"),
    "后盖": N_("Back cover"),
    "按键": N_("Buttons"),
    "摄像头": N_("Camera"),
    "表盘屏幕": N_("Watch face"),
    "表壳": N_("Watch case"),
}


def checklist_label(item: str) -> str:
    """The label of a checklist item (an English template marked ``N_`` to translate when shown),
    or the item as written when it is not one of the usual ones."""
    return CHECKLIST_TERMS.get(item, item)
