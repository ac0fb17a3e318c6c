"""Complaints (客怨): registration with its deadlines, first contact, the answer, and the watch list.

The clocks start when the complaint is received (seed 000): first contact with the customer
within 10 minutes, a clear answer within 24 hours, and a severe (grade C) complaint settled
within 3 working days. A complaint counts against the center (有效投诉) when it concerns
repair quality, attitude, turnaround, parts supply or pricing, or when our handling was late.

The clocks are settings (``app.settings``: minutes, hours, working days); when
``complaints.clocks_in_working_hours`` is on, the first-contact and answer clocks run only in
the working hours of working days (a letter read on Friday at 17:55 is answered on Monday).
Handling (``handling``): the responsible person and department, the facts, two remedies a
supervisor approves before they are offered, the customer's choice, settlement (which books the
follow-up call), and closing only on the customer's acceptance or a supervisor's reason.

The package re-exports the operations of ``registration``, ``handling`` and ``watch`` (the
register's reads); follow-up calls live in ``followups``; the labels in :mod:`app.vocabulary`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.complaints.handling import (
        approve_remedies,
        assign_handling,
        close_complaint,
        overrule_validity,
        propose_remedies,
        record_choice,
        record_facts,
        settle_complaint,
    )
    from app.complaints.registration import (
        Clocks,
        add_working_time,
        compute_deadlines,
        counts_against_the_center,
        overdue_complaints,
        record_answer,
        record_first_contact,
        register_complaint,
        register_in,
        valid_complaints_in_month,
    )
    from app.complaints.watch import (
        ComplaintDetail,
        ComplaintListRow,
        FlaggedCustomer,
        after_sales_problems,
        complaint_detail,
        complaint_version,
        count_overdue,
        customers_with_three_problems,
        departments,
        find_customers,
        order_ids_of,
        register_rows,
        valid_complaints_warning,
    )

# Each name's module, imported when the name is first asked for (PEP 562): importing one module of
# the package (``app.complaints.watchlist``, for a receiving desk) does not bring every
# complaint rule with it, and a window starts without them.
_HOMES = {
    "approve_remedies": "handling",
    "assign_handling": "handling",
    "close_complaint": "handling",
    "overrule_validity": "handling",
    "propose_remedies": "handling",
    "record_choice": "handling",
    "record_facts": "handling",
    "settle_complaint": "handling",
    "Clocks": "registration",
    "add_working_time": "registration",
    "compute_deadlines": "registration",
    "counts_against_the_center": "registration",
    "overdue_complaints": "registration",
    "record_answer": "registration",
    "record_first_contact": "registration",
    "register_complaint": "registration",
    "register_in": "registration",
    "valid_complaints_in_month": "registration",
    "ComplaintDetail": "watch",
    "ComplaintListRow": "watch",
    "FlaggedCustomer": "watch",
    "after_sales_problems": "watch",
    "complaint_detail": "watch",
    "complaint_version": "watch",
    "count_overdue": "watch",
    "customers_with_three_problems": "watch",
    "departments": "watch",
    "find_customers": "watch",
    "order_ids_of": "watch",
    "register_rows": "watch",
    "valid_complaints_warning": "watch",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    # registration: deadlines and the first answers
    "Clocks",
    "add_working_time",
    "compute_deadlines",
    "counts_against_the_center",
    "overdue_complaints",
    "record_answer",
    "record_first_contact",
    "register_complaint",
    "register_in",
    "valid_complaints_in_month",
    # handling: from the responsible person to closing
    "approve_remedies",
    "assign_handling",
    "close_complaint",
    "overrule_validity",
    "propose_remedies",
    "record_choice",
    "record_facts",
    "settle_complaint",
    # watch: the register, the details, the warnings
    "ComplaintDetail",
    "ComplaintListRow",
    "FlaggedCustomer",
    "after_sales_problems",
    "complaint_detail",
    "complaint_version",
    "count_overdue",
    "customers_with_three_problems",
    "departments",
    "find_customers",
    "order_ids_of",
    "register_rows",
    "valid_complaints_warning",
]
