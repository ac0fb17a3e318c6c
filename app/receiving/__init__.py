"""Receiving (收货): boxes in, units scanned, conditions checked, labels printed."""

from __future__ import annotations

from app.receiving.boxes import (
    BoxSummary,
    box_summary,
    close_box,
    identify_carrier,
    open_box,
    open_boxes,
)
from app.receiving.condition import record_condition, require_condition_checked
from app.receiving.intake import Intake, ModelDisagreement, Received, receive_unit
from app.receiving.unit_model import correct_unit_model
from app.receiving.warranty import add_months, warranty_of

__all__ = [
    "BoxSummary",
    "Intake",
    "ModelDisagreement",
    "Received",
    "add_months",
    "box_summary",
    "close_box",
    "correct_unit_model",
    "identify_carrier",
    "open_box",
    "open_boxes",
    "receive_unit",
    "record_condition",
    "require_condition_checked",
    "warranty_of",
]
