"""The domain model: one declarative ``Base`` and every table of the floor."""

from __future__ import annotations

from .audit import AuditEntry
from .base import Base, UTCDateTime
from .catalog import (
    CalendarDay,
    Carrier,
    Counter,
    FaultCode,
    Part,
    PartFit,
    ProductModel,
    Rack,
    RackSlot,
    Setting,
)
from .complaints import Complaint, ComplaintOrder, FollowUp
from .enums import (
    CalendarDayKind,
    ChargeStatus,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintStatus,
    CustomerKind,
    FollowUpKind,
    Handling,
    MoveKind,
    QcResult,
    RepairState,
    Role,
    SerialKind,
    ShipmentStatus,
    StockKind,
)
from .orders import (
    Attachment,
    Charge,
    InboundBox,
    RepairOrder,
    RepairRecord,
    SalesRecord,
    SerialSwap,
    Unit,
)
from .people import Customer, Department, User, UserRole
from .qc import AgingRun
from .shipping import Shipment, ShipmentItem
from .stock import PartWait, PurchaseRequest, StockMove

__all__ = [
    "AgingRun",
    "Attachment",
    "AuditEntry",
    "Base",
    "CalendarDay",
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
    "MoveKind",
    "Part",
    "PartFit",
    "PartWait",
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
