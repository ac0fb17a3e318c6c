"""QC aging test (QC老化测试): units back from repair go onto the racks by scanning; the racks
show every slot with a live countdown; a finished unit is signed off in a dialog.

The scan rule (said on the message line and in the scan field):
- a repaired unit's label (or serial) → registered with QC, into the next free slot;
- a free slot's code (e.g. ``A-03``) → that slot is chosen for the next label scanned;
- a unit already on the rack, or the code of its slot → its sign-off dialog opens.

The tab is the first a QC tester's window shows. Its header and scan field are built at once, the
racks, the lists and the sign-off dialog in the turns after (ui/qc/rack_parts.py, imported by the
first part); the services behind a scan are imported by the job on the floor worker. This module
imports only what the first step needs, so the window shows sooner; a scan typed before the parts
are built builds them first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QWidget

from app.context import Context
from ui.changes import ChangeBridge, when_seen
from ui.i18n import format_time
from ui.widgets.feedback import Outcome
from ui.widgets.floor_tab import FloorTab
from ui.widgets.scan_queue import FloorJob

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter

    from app.orders.listing import OrderRow
    from app.qc.aging import Placed
    from app.qc.desk import SignOffRead
    from app.qc.views import SignOffForm, SlotView
    from ui.qc.dialogs import SignOffDialog
    from ui.qc.rack import RackPanel
    from ui.qc.stats_panel import QcStatsPanel
    from ui.widgets.sections import OrderSection


def look_up(ctx: Context, code: str, chosen: str | None) -> tuple[str, Any]:  # floor worker
    """A scanned code (read in one session): an occupied slot or an order on the rack opens its
    sign-off, an empty slot is chosen, any other order is placed on the rack (in ``chosen``)."""
    from app.qc import aging as qc
    from app.qc import desk
    from app.qc.desk import SignOffRead
    from app.qc.views import SlotStatus

    found = desk.scanned(ctx, code)
    if isinstance(found, SignOffRead):
        return ("sign", found)
    if isinstance(found, SlotStatus):
        return ("slot", found)
    if found is None:
        return ("unknown", None)
    return ("placed", (found, qc.receive_from_repair(ctx, found.order_no, chosen)))


def sign_off_read(ctx: Context, order_id: int) -> SignOffRead:  # floor worker
    """The sign-off form of an order on the rack, and the reasons a failure may give."""
    from app.qc import desk

    return desk.sign_off_read(ctx, order_id)


class QcTab(FloorTab):
    racks: RackPanel
    waiting: OrderSection
    stats: QcStatsPanel
    _lower: QSplitter

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(ctx, changes, object_name="qcTab", parent=parent)
        self.set_header(
            self.tr("QC aging test"),
            self.tr(
                "Register each unit received from repair, age it for at least its model's "
                "hours, then check function and appearance and sign off pass or fail."
            ),
        )
        assert self.scan_bar is not None
        self.scan_bar.field.setPlaceholderText(self.scan_rule())
        self.chosen_slot: str | None = None  # a free slot scanned first, for the next label
        self.sign_off_dialog: SignOffDialog | None = None  # while one is open
        self._dialog: SignOffDialog | None = None  # made at the first sign-off, then reused
        # The racks, then the lists, each in its own turn after the scan field (on first show;
        # ui/tab_slot.py)
        self.build_later(self._build_racks)
        self.build_later(lambda: self._build_lists(changes))
        self.build_later(self._prepare_sign_off)  # last: the first scan on the rack opens it

    def _build_racks(self) -> None:
        from ui.qc.rack_parts import build_racks

        build_racks(self)

    def _build_lists(self, changes: ChangeBridge) -> None:
        """The list waiting for QC now, the figures beside it in the next turn."""
        from ui.qc.rack_parts import build_waiting

        build_waiting(self)
        self.build_later(lambda: self._build_stats(changes))

    def _build_stats(self, changes: ChangeBridge) -> None:
        from ui.qc.rack_parts import build_stats

        build_stats(self)
        when_seen(self, changes, self._refresh_qc)

    def _prepare_sign_off(self) -> None:
        """The sign-off dialog made, polished, laid out and painted once off screen, with the
        tab's parts: the first unit scanned on the rack only fills it and shows it."""
        self._make_sign_off_dialog().grab()

    def _make_sign_off_dialog(self) -> SignOffDialog:
        """The sign-off dialog, made once (empty, laid out) and filled for each unit."""
        from ui.qc.dialogs import SignOffDialog

        if self._dialog is None:
            dialog = self._dialog = SignOffDialog(self.ctx, None, [], self)
            dialog.accepted.connect(lambda: self._signed(dialog))
            dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
            dialog.ensurePolished()
            layout = dialog.layout()
            if layout is not None:
                layout.activate()
        return self._dialog

    def scan_rule(self) -> str:
        return self.tr(
            "Scan a repaired unit's label: it goes into the next free slot. To choose the slot, "
            "scan the slot code (A-03) first. Scan a unit on the rack to sign it off."
        )

    def _refresh_qc(self, tables: frozenset[str]) -> None:
        self.racks.refresh_if_changed(tables)
        self.stats.refresh_if_changed(tables)

    # Scans: the lookups, the placing and the sign-off form's reads on the floor worker, one scan
    # after the other; the work holds plain data (the context, the code), never this tab.
    def scan_job(self, code: str) -> FloorJob | None:
        code = code.strip()
        if not code:
            return None
        ctx, chosen = self.ctx, self.chosen_slot
        return FloorJob(lambda: look_up(ctx, code, chosen), lambda found: self._found(found, code))

    def _found(self, found: tuple[str, Any], code: str) -> None:
        kind, value = found
        if kind == "slot":
            slot = value
            self.chosen_slot = slot.slot_code
            self.racks.view.select_cell(self.racks.model.cell_of_slot(slot.slot_id))
            self.report(
                Outcome.OK,
                self.tr("Slot {slot} chosen: now scan the unit's label to put it there.").format(
                    slot=slot.slot_code
                ),
            )
        elif kind == "unknown":
            self.report(
                Outcome.ERROR,
                self.tr("No repair order, serial or rack slot “{code}”. Scan again.").format(
                    code=code
                ),
            )
        elif kind == "sign":
            self.chosen_slot = None
            self.show_sign_off(value.form, value.reasons)
        else:
            self.chosen_slot = None
            self._placed(*value)

    def _placed(self, order: OrderRow, placed: Placed) -> None:
        self.racks.reload_now()
        if placed.slot_code is None:
            text = self.tr("{order_no} registered with QC (no rack slot): ages {hours} h.")
        else:
            self.racks.view.select_cell(self.racks.model.cell_of_order(placed.order_id))
            text = self.tr(
                "{order_no} ({model}) is in slot {slot}: ages {hours} h, ready at {ready}."
            )
        ready = self.ctx.now() + timedelta(minutes=placed.required_minutes)
        self.report(
            Outcome.OK,
            text.format(
                order_no=placed.order_no,
                model=order.model_name,
                slot=placed.slot_code,
                hours=f"{placed.required_minutes / 60:g}",
                ready=format_time(ready),
            ),
        )

    # Sign-off
    def _sign_off_slot(self, slot: SlotView) -> None:
        if slot.order_id is not None:
            self.open_sign_off(slot.order_id)

    def open_sign_off(self, order_id: int) -> None:
        """Open the sign-off dialog of an order on the rack, its form read on the floor worker
        (after the scans before it)."""
        ctx = self.ctx
        self.scans.push_job(
            FloorJob(
                lambda: sign_off_read(ctx, order_id),
                lambda read: self.show_sign_off(read.form, read.reasons),
            )
        )

    def show_sign_off(self, form: SignOffForm, reasons: list[str]) -> SignOffDialog:
        """Open the sign-off dialog (``open()``: never blocks) of a form already read. The
        dialog is made once and filled again for each unit: a scan never builds widgets."""
        self.racks.view.select_cell(self.racks.model.cell_of_order(form.order_id))
        dialog = self._make_sign_off_dialog()
        if dialog.isVisible():  # another unit scanned while one was open
            dialog.done(QDialog.DialogCode.Rejected)
        dialog.load(form, reasons)
        self.sign_off_dialog = dialog
        if form.remaining(self.ctx.now()).total_seconds() > 0:  # early: not a green light
            self.report(
                Outcome.WARNING,
                self.tr("{order_no}: still aging — signing it off now needs a supervisor.").format(
                    order_no=form.order_no
                ),
            )
        else:
            self.report(
                Outcome.OK,
                self.tr("{order_no}: check it and sign off in the dialog.").format(
                    order_no=form.order_no
                ),
            )
        dialog.open()
        return dialog

    def _tick_dialog(self) -> None:
        if self.sign_off_dialog is not None and self.sign_off_dialog.isVisible():
            self.sign_off_dialog.update_time()

    def _signed(self, dialog: SignOffDialog) -> None:
        order = dialog.signed
        if order is None:
            return
        self.racks.reload_now()
        if dialog.passed:
            text = self.tr("{order_no} passed QC: ready for shipping.")
            outcome = Outcome.OK
        else:
            text = self.tr("{order_no} failed QC: back to its technician (rework {rework}).")
            outcome = Outcome.WARNING
        self.report(outcome, text.format(order_no=order.order_no, rework=order.rework_count))

    def _dialog_closed(self, dialog: SignOffDialog) -> None:
        if self.sign_off_dialog is dialog:
            self.sign_off_dialog = None  # kept in ``_dialog`` for the next unit
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()
