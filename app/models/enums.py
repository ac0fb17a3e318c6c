"""Every closed list of the domain. Values are what the database stores: never rename a value."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    RECEIVING_CLERK = "receiving_clerk"
    TECHNICIAN = "technician"
    PARTS_KEEPER = "parts_keeper"
    QC_TESTER = "qc_tester"
    SHIPPING_CLERK = "shipping_clerk"
    CUSTOMER_SERVICE = "customer_service"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class RepairState(enum.StrEnum):
    RECEIVED = "received"
    ALLOCATED = "allocated"
    IN_REPAIR = "in_repair"
    WAITING_PARTS = "waiting_parts"
    WAITING_CHARGE = "waiting_charge"
    REPAIRED = "repaired"
    IN_QC = "in_qc"
    QC_PASSED = "qc_passed"
    SHIPPED = "shipped"
    SPECIAL_PENDING = "special_pending"
    REFUNDED = "refunded"
    RETURN_UNREPAIRED = "return_unrepaired"


class Handling(enum.StrEnum):
    """How an order is to be settled. Anything but REPAIR needs a supervisor's approval."""

    REPAIR = "repair"
    REFUND = "refund"
    REFURBISH = "refurbish"
    REPLACE = "replace"


class SerialKind(enum.StrEnum):
    IMEI = "imei"
    FREE = "free"


class CustomerKind(enum.StrEnum):
    CONSUMER = "consumer"
    DEALER = "dealer"


class ChargeStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WAIVED = "waived"  # out of warranty, a supervisor lets the parts go free (with a reason)


class StockKind(enum.StrEnum):
    GOOD = "good"
    DEFECTIVE = "defective"


class MoveKind(enum.StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    RETURN_UNUSED = "return_unused"
    RETURN_FAULTY = "return_faulty"
    SCRAP = "scrap"
    SALE = "sale"
    ADJUSTMENT = "adjustment"
    SUPPLIER_RETURN = "supplier_return"
    TRANSFER_OUT = "transfer_out"  # to another center of the network
    TRANSFER_IN = "transfer_in"  # from another center of the network


class QcResult(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"


class ShipmentStatus(enum.StrEnum):
    PACKING = "packing"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class ComplaintChannel(enum.StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    WALK_IN = "walk_in"
    ONLINE = "online"


class ComplaintGrade(enum.StrEnum):
    A = "A"  # minor: a step below standard, no redo asked
    B = "B"  # serious: the customer asks for the work to be redone
    C = "C"  # severe: the customer asks for a refund


class ComplaintCategory(enum.StrEnum):
    REPAIR_QUALITY = "repair_quality"
    ATTITUDE = "attitude"
    TURNAROUND = "turnaround"
    PARTS_SUPPLY = "parts_supply"
    PRICING = "pricing"
    LOSS_DAMAGE = "loss_damage"
    OTHER = "other"


class ComplaintStatus(enum.StrEnum):
    OPEN = "open"
    SETTLED = "settled"
    CLOSED = "closed"


class FollowUpKind(enum.StrEnum):
    AFTER_REPAIR = "after_repair"
    AFTER_COMPLAINT = "after_complaint"


class CalendarDayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # a weekday off
    WORKDAY = "workday"  # a make-up working day (调休) on a weekend


# Headquarters (app/models/headquarters.py).
class EscalationDecision(enum.StrEnum):
    """Headquarters' answer to a complaint a station escalated (seed 000: a hard complaint goes
    up; the maker's after-sales departments give technical support)."""

    GUIDANCE = "guidance"  # 处理意见: how the station settles it
    TECHNICAL_SUPPORT = "technical_support"  # 技术支持: headquarters' engineers help
    RETURNED = "returned"  # 退回服务站处理: the station settles it within its own rules


class EscalationStatus(enum.StrEnum):
    """Where an escalation stands (from its reply: none, taken, answered)."""

    WAITING = "waiting"  # 待总部受理
    TAKEN = "taken"  # 总部处理中
    ANSWERED = "answered"  # 总部已答复


# Field quality (app/models/quality.py).
class AlarmStatus(enum.StrEnum):
    OPEN = "open"  # raised by the detector, nobody has looked yet
    ACKNOWLEDGED = "acknowledged"  # a supervisor has seen it and said what is being done
    CLOSED = "closed"  # followed to its end (cause found, source stopped)


class RootCause(enum.StrEnum):
    """The catalogue of root causes (seed 000/002: 分析改进)."""

    WORKMANSHIP = "workmanship"
    PART_QUALITY = "part_quality"
    DESIGN = "design"
    DIAGNOSIS = "diagnosis"
    ATTITUDE = "attitude"
    DELAY = "delay"
    PARTS_SUPPLY = "parts_supply"
    PRICING = "pricing"
    OTHER = "other"


class CauseSubject(enum.StrEnum):
    """What a root cause is found for."""

    COMPLAINT = "valid_complaint"  # a valid complaint (not "complaint": the audit entity)
    REWORK = "rework"  # a repair order back within the rework window
    QC_FAIL = "qc_fail"  # a failed aging run
    ALARM = "alarm"  # an early-warning alarm


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"  # the person responsible says it is done
    VERIFIED = "verified"  # someone else checked it works
