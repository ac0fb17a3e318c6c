"""Complaints (客怨): registration with its deadlines, first contact, the answer, and the watch list.

The clocks start when the complaint is received (seed 000): first contact with the customer
within 10 minutes, a clear answer within 24 hours, and a severe (grade C) complaint settled
within 3 working days. A complaint counts against the center (有效投诉) when it concerns
repair quality, attitude, turnaround, parts supply or pricing, or when our handling was late.

The clocks are settings (``app.settings``: minutes, hours, working days); when
``complaints.clocks_in_working_hours`` is on, the first-contact and answer clocks run only in
the working hours of working days (a letter read on Friday at 17:55 is answered on Monday).
Handling (second half of this module): the responsible person and department, the facts, two
remedies a supervisor approves before they are offered, the customer's choice, settlement (which
books the follow-up call), and closing only on the customer's acceptance or a supervisor's reason.
"""

from __future__ import annotations

from app.complaints.handling import *  # noqa: F403
from app.complaints.registration import *  # noqa: F403
from app.complaints.watch import *  # noqa: F403
