"""A receiving station in a separate process for the crash test: scans units in a loop and
prints each order number once ``receive_unit`` has answered (the moment the clerk sees it as
saved). Usage: python tests/crash_scanner.py URL CUSTOMER_ID FIRST_NUMBER"""

from __future__ import annotations

import sys

from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.formats import luhn_check_digit
from app.receiving import Intake, receive_unit
from app.users import actor_for_username


def main(url: str, customer_id: int, first: int) -> None:
    db = Database(url)
    ctx = Context(db, actor_for_username(db, None), "crash-station", SystemClock())
    number = first
    while True:
        body = f"86012345{number:06d}"
        received = receive_unit(
            ctx,
            Intake(
                serial=body + luhn_check_digit(body),
                customer_id=customer_id,
                model_code="X1",
                fault_description="不开机",
            ),
        )
        print(received.order_no, flush=True)
        number += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
