"""The domain model: one declarative ``Base`` and every table of the floor.

Each table's module is imported when one of its names is first asked for (``from app.models
import Shipment`` imports ``app.models.shipping``): start-up maps only the tables the first
window uses, not all 54. What needs every table (a restore's check, a move, Alembic) asks
``whole_schema`` for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    from app.models.audit import AuditEntry
    from app.models.base import Base, UTCDateTime
    from app.models.care import (
        AccountabilitySheet,
        CareTask,
        Consequence,
        Notice,
        NoticeConsent,
        NoticeTemplate,
        PenaltyRule,
        StaffMember,
        SurveyAnswer,
    )
    from app.models.catalog import (
        CalendarDay,
        Carrier,
        Counter,
        ProductCategory,
        ProductModel,
    )
    from app.models.centers import Center, CenterKind, CenterRole
    from app.models.complaints import Complaint, ComplaintOrder, FollowUp
    from app.models.enums import (
        ActionStatus,
        AlarmStatus,
        CalendarDayKind,
        CauseSubject,
        ChargeStatus,
        ComplaintCategory,
        ComplaintChannel,
        ComplaintGrade,
        ComplaintStatus,
        CustomerKind,
        EscalationDecision,
        EscalationStatus,
        FollowUpKind,
        Handling,
        MoveKind,
        QcResult,
        RepairState,
        Role,
        RootCause,
        SerialKind,
        ShipmentStatus,
        StockKind,
    )
    from app.models.figures import KpiDay
    from app.models.headquarters import CenterWarning, Escalation, EscalationReply, WarningDecision
    from app.models.orders import (
        Charge,
        InboundBox,
        OrderStateCount,
        RepairOrder,
        SalesRecord,
        Unit,
    )
    from app.models.parts import Part, PartFit, PartMaster
    from app.models.people import Customer, Department, User, UserRole
    from app.models.qc import AgingRun, Rack, RackSlot
    from app.models.quality import CorrectiveAction, QualityAlarm
    from app.models.repairs import (
        Allocation,
        Attachment,
        FaultCode,
        Photo,
        RepairRecord,
        SerialSwap,
    )
    from app.models.settings import Setting
    from app.models.shipping import Shipment, ShipmentItem
    from app.models.stock import PartWait, PurchaseRequest, StockMove

# The module of each name (app/models/<module>.py).
_MODULES = {
    "AuditEntry": "audit",
    "Base": "base",
    "UTCDateTime": "base",
    "AccountabilitySheet": "care",
    "CareTask": "care",
    "Consequence": "care",
    "Notice": "care",
    "NoticeConsent": "care",
    "NoticeTemplate": "care",
    "PenaltyRule": "care",
    "StaffMember": "care",
    "SurveyAnswer": "care",
    "CalendarDay": "catalog",
    "Carrier": "catalog",
    "Counter": "catalog",
    "ProductCategory": "catalog",
    "ProductModel": "catalog",
    "Setting": "settings",
    "Center": "centers",
    "CenterKind": "centers",
    "CenterRole": "centers",
    "Complaint": "complaints",
    "ComplaintOrder": "complaints",
    "FollowUp": "complaints",
    "ActionStatus": "enums",
    "AlarmStatus": "enums",
    "CalendarDayKind": "enums",
    "CauseSubject": "enums",
    "ChargeStatus": "enums",
    "ComplaintCategory": "enums",
    "ComplaintChannel": "enums",
    "ComplaintGrade": "enums",
    "ComplaintStatus": "enums",
    "CustomerKind": "enums",
    "EscalationDecision": "enums",
    "EscalationStatus": "enums",
    "FollowUpKind": "enums",
    "Handling": "enums",
    "MoveKind": "enums",
    "QcResult": "enums",
    "RepairState": "enums",
    "Role": "enums",
    "RootCause": "enums",
    "SerialKind": "enums",
    "ShipmentStatus": "enums",
    "StockKind": "enums",
    "KpiDay": "figures",
    "CenterWarning": "headquarters",
    "Escalation": "headquarters",
    "EscalationReply": "headquarters",
    "WarningDecision": "headquarters",
    "Charge": "orders",
    "InboundBox": "orders",
    "OrderStateCount": "orders",
    "RepairOrder": "orders",
    "SalesRecord": "orders",
    "Unit": "orders",
    "Part": "parts",
    "PartFit": "parts",
    "PartMaster": "parts",
    "Customer": "people",
    "Department": "people",
    "User": "people",
    "UserRole": "people",
    "AgingRun": "qc",
    "Rack": "qc",
    "RackSlot": "qc",
    "CorrectiveAction": "quality",
    "QualityAlarm": "quality",
    "Allocation": "repairs",
    "Attachment": "repairs",
    "FaultCode": "repairs",
    "Photo": "repairs",
    "RepairRecord": "repairs",
    "SerialSwap": "repairs",
    "Shipment": "shipping",
    "ShipmentItem": "shipping",
    "PartWait": "stock",
    "PurchaseRequest": "stock",
    "StockMove": "stock",
}


# A model module is imported holding SQLAlchemy's own lock for configuring mappers: a query in
# another thread configures every mapper declared so far, and one declared by a module still
# being imported (PartMaster before its PartFit) fails and leaves the registry broken for the
# process ("One or more mappers failed to initialize"). SQLAlchemy takes this lock to configure
# and to declare each mapper, so whoever holds it first finishes first. Model modules import
# only each other, app.formats and app.errors: nothing that could wait on it the other way.
MAPPING_LOCK = importlib.import_module("sqlalchemy.orm.mapper")._CONFIGURE_MUTEX


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with MAPPING_LOCK:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


_whole = False  # every table's module imported (whole_schema)


def whole_schema() -> MetaData:
    """``Base.metadata`` with every table in it: each table's module imported first. Whatever
    walks the schema as a whole (a backup's check, a move, Alembic) asks here, never
    ``Base.metadata`` itself, which holds only the tables imported so far."""
    global _whole
    if not _whole:  # once: a move or a restore check asks for it table after table
        with MAPPING_LOCK:
            for module in sorted(set(_MODULES.values())):
                importlib.import_module(f"{__name__}.{module}")
        _whole = True
    from app.models.base import Base

    return Base.metadata


__all__ = [
    "whole_schema",
    "WarningDecision",
    "ActionStatus",
    "AlarmStatus",
    "CauseSubject",
    "CorrectiveAction",
    "QualityAlarm",
    "RootCause",
    "SurveyAnswer",
    "StaffMember",
    "PenaltyRule",
    "NoticeTemplate",
    "NoticeConsent",
    "Notice",
    "Consequence",
    "CareTask",
    "AccountabilitySheet",
    "Allocation",
    "AgingRun",
    "Attachment",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "Center",
    "CenterKind",
    "CenterRole",
    "CenterWarning",
    "Escalation",
    "EscalationDecision",
    "EscalationReply",
    "EscalationStatus",
    "CalendarDayKind",
    "Carrier",
    "Charge",
    "ChargeStatus",
    "Complaint",
    "ComplaintCategory",
    "ComplaintChannel",
    "ComplaintGrade",
    "ComplaintOrder",
    "ComplaintStatus",
    "Counter",
    "Customer",
    "CustomerKind",
    "Department",
    "FaultCode",
    "FollowUp",
    "FollowUpKind",
    "Handling",
    "InboundBox",
    "OrderStateCount",
    "KpiDay",
    "MoveKind",
    "Part",
    "PartFit",
    "PartMaster",
    "PartWait",
    "Photo",
    "ProductCategory",
    "ProductModel",
    "PurchaseRequest",
    "QcResult",
    "Rack",
    "RackSlot",
    "RepairOrder",
    "RepairRecord",
    "RepairState",
    "Role",
    "SalesRecord",
    "SerialKind",
    "SerialSwap",
    "Setting",
    "Shipment",
    "ShipmentItem",
    "ShipmentStatus",
    "StockKind",
    "StockMove",
    "Unit",
    "User",
    "UserRole",
    "UTCDateTime",
]
