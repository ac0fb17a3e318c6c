"""What the receiving desk answers when a unit is scanned in: order, serial, model, how it was sold
and its warranty; amber for a repeat repair (返修), green otherwise."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.localtime import DATE, local_text
from app.receiving.desk import ScanResult
from ui.widgets.feedback import Outcome


def scan_answer(result: ScanResult) -> tuple[Outcome, str]:
    outcome, text = _answer(result)
    until = result.received.watched_until
    if until is None:
        return outcome, text
    watched = QCoreApplication.translate(
        "ScanAnswer", "Customer under watch until {date} (customer service told)"
    ).format(date=local_text(until, DATE))
    return Outcome.WARNING, f"{watched} — {text}"


def _answer(result: ScanResult) -> tuple[Outcome, str]:
    received = result.received
    text = QCoreApplication.translate(
        "ScanAnswer", "{order_no} · {serial} · {model}: {warranty}"
    ).format(
        order_no=received.order_no,
        serial=received.serial,
        model=received.model_code,
        warranty=warranty_text(result),
    )
    if received.is_rework:
        return Outcome.WARNING, QCoreApplication.translate(
            "ScanAnswer", "返修 (rework of our repair) — {text}"
        ).format(text=text)
    if received.is_repeat:
        return Outcome.WARNING, QCoreApplication.translate(
            "ScanAnswer", "返修 (seen before) — {text}"
        ).format(text=text)
    return Outcome.OK, text


def warranty_text(result: ScanResult) -> str:
    received = result.received
    until = f"{received.warranty_until:%Y-%m-%d}" if received.warranty_until else ""
    if result.sale is not None:
        sold = QCoreApplication.translate("ScanAnswer", "sold on {date} to {dealer}").format(
            date=f"{result.sale.sale_date:%Y-%m-%d}", dealer=result.sale.dealer or "-"
        )
    else:
        sold = QCoreApplication.translate("ScanAnswer", "not in the sales register")
    if received.in_warranty:
        return QCoreApplication.translate("ScanAnswer", "{sold}, in warranty until {until}").format(
            sold=sold, until=until
        )
    if until:
        return QCoreApplication.translate(
            "ScanAnswer", "{sold}, 保外 (warranty ended {until})"
        ).format(sold=sold, until=until)
    return QCoreApplication.translate("ScanAnswer", "{sold}, 保外").format(sold=sold)
