"""The labels the complaint register shows: statuses and categories."""

from __future__ import annotations

from app.errors import N_
from app.models import ComplaintCategory, ComplaintStatus

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
