"""Accountability (责任落实): the person responsible for the selected complaint (a staff record)
with the figures the penalty rules need, and what closing it valid will list; the month's
accountability sheet, approved with the general manager's electronic signature and exported to
Excel for finance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.complaints import accountability, care_exports, handler, people
from app.complaints.watch import complaint_version
from app.context import Context
from app.errors import N_, NotFound
from app.money import format_yuan, to_cents
from ui.i18n import format_time
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import LatestRead
from ui.widgets.floor_action import run_floor_action
from ui.widgets.table_view import DataTableView


class SheetModel(ListTableModel):
    def __init__(self, ctx: Context, parent: Any = None) -> None:
        self.ctx, self.month = ctx, accountability.month_of(ctx.now())
        self.shown: accountability.Sheet | None = None
        columns = (
            Column(QT_TRANSLATE_NOOP("Columns", "Person"), lambda r: r.person),
            Column(QT_TRANSLATE_NOOP("Columns", "Staff code"), lambda r: r.staff_code),
            Column(QT_TRANSLATE_NOOP("Columns", "Complaint no."), lambda r: r.complaint_no),
            Column(QT_TRANSLATE_NOOP("Columns", "Grade"), lambda r: r.grade),
            Column(QT_TRANSLATE_NOOP("Columns", "Rule"), lambda r: r.rule_code or ""),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Amount"),
                lambda r: format_yuan(r.amount_cents),
                align_right=True,
            ),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Commission cancelled"),
                lambda r: "✓" if r.cancels_commission else "",
            ),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Corrects line"),
                lambda r: str(r.corrects_id or ""),
            ),
            Column(QT_TRANSLATE_NOOP("Columns", "Note"), lambda r: r.note or ""),
        )
        super().__init__(
            columns,
            self._load,
            tables=frozenset({"consequences", "accountability_sheets"}),
            parent=parent,
        )

    def _load(self) -> list[accountability.SheetLine]:
        self.shown = accountability.sheet(self.ctx, self.month)
        return self.shown.lines


class AccountabilityPanel(QWidget):
    def __init__(
        self,
        ctx: Context,
        guarded: Callable[[Callable[[], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountabilityPanel")
        self.ctx, self.guarded = ctx, guarded
        self.complaint_id: int | None = None
        self.complaint_no = ""
        # The selected complaint's person responsible and figures.
        person_box = QGroupBox(self.tr("Person responsible for the selected complaint"), self)
        self.complaint = QLabel(self.tr("Choose a complaint in the register."), person_box)
        self.complaint.setObjectName("accountabilityComplaint")
        self.handler = QComboBox(person_box)
        self.handler.setObjectName("complaintHandler")
        self.staff = QComboBox(person_box)
        self.staff.setObjectName("responsibleStaff")
        self.items = QSpinBox(person_box)
        self.items.setObjectName("itemsBelowStandard")
        self.items.setRange(1, 99)
        self.service_amount = QLineEdit("0", person_box)
        self.service_amount.setObjectName("serviceAmount")
        self.refund_amount = QLineEdit("0", person_box)
        self.refund_amount.setObjectName("refundAmount")
        self.preview = QLabel(person_box)
        self.preview.setObjectName("accountabilityPreview")
        self.preview.setWordWrap(True)
        form = QFormLayout(person_box)
        form.addRow(self.complaint)
        handler_row = QHBoxLayout()
        handler_row.addWidget(self.handler, 1)
        handler_row.addWidget(
            self._button("nameHandlerButton", self.tr("Name the handler"), self._name_handler)
        )
        form.addRow(self.tr("Handler (within the hour)"), handler_row)
        form.addRow(self.tr("Person responsible"), self.staff)
        form.addRow(self.tr("Items below standard"), self.items)
        form.addRow(self.tr("Service amount (yuan)"), self.service_amount)
        form.addRow(self.tr("Refund (yuan)"), self.refund_amount)
        form.addRow(self._button("recordAccountabilityButton", self.tr("Record"), self._record))
        form.addRow(self.preview)
        # The month's sheet.
        sheet_box = QGroupBox(self.tr("Monthly accountability sheet"), self)
        self.month = QLineEdit(accountability.month_of(ctx.now()), sheet_box)
        self.month.setObjectName("sheetMonth")
        self.model = SheetModel(ctx, self)
        self.table = DataTableView(self.model, "accountabilitySheetTable", sheet_box)
        self.summary = QLabel(sheet_box)
        self.summary.setObjectName("sheetSummary")
        self.password = QLineEdit(sheet_box)
        self.password.setObjectName("approvalPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("General manager's password (signature)"))
        # A line of an approved sheet never changes: a correction is a new line on the open
        # month's sheet, naming the line it corrects (the general manager's right).
        self.correction_amount = QLineEdit(sheet_box)
        self.correction_amount.setObjectName("correctionAmount")
        self.correction_amount.setPlaceholderText(self.tr("Correction (yuan, − to give back)"))
        self.correction_note = QLineEdit(sheet_box)
        self.correction_note.setObjectName("correctionNote")
        self.correction_note.setPlaceholderText(self.tr("Why the line is corrected"))
        correction = QHBoxLayout()
        correction.addWidget(self.correction_amount)
        correction.addWidget(self.correction_note, 1)
        correction.addWidget(
            self._button("addCorrectionButton", self.tr("Correct the selected line"), self._correct)
        )
        top, bottom = QHBoxLayout(), QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month (YYYY-MM)"), sheet_box))
        top.addWidget(self.month)
        top.addWidget(self._button("showSheetButton", self.tr("Show"), self.show_month))
        bottom.addWidget(self.password, 1)
        bottom.addWidget(
            self._button("approveSheetButton", self.tr("Approve and sign"), self._approve)
        )
        bottom.addWidget(
            self._button("exportSheetButton", self.tr("Export (Excel)…"), self._export)
        )
        sheet_layout = QVBoxLayout(sheet_box)
        sheet_layout.addLayout(top)
        sheet_layout.addWidget(self.table, 1)
        sheet_layout.addWidget(self.summary)
        sheet_layout.addLayout(correction)
        sheet_layout.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(person_box)
        layout.addWidget(sheet_box, 1)
        self._staff_read = LatestRead(self, self._show_staff)
        self.reload_staff()
        self._summarise()
        self.model.modelReset.connect(self._summarise)

    def _button(self, name: str, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: self.guarded(action))
        return button

    def reload_staff(self) -> None:
        """The staff pick lists, read on the read worker."""
        ctx = self.ctx  # the work holds plain data, never this panel
        self._staff_read.run(lambda: list(people.staff_list(ctx)))

    def _show_staff(self, staff: list[Any]) -> None:
        self.staff.clear()
        self.handler.clear()
        for person in staff:
            self.staff.addItem(f"{person.name} ({person.code})", person.id)
            where = f" · {person.department}" if person.department else ""
            self.handler.addItem(f"{person.name} ({person.code}){where}", person.id)

    def _name_handler(self) -> None:
        if self.complaint_id is None:
            raise NotFound(N_("Choose a complaint in the register."))
        staff_id = self.handler.currentData()
        if staff_id is None:
            raise NotFound(N_("Choose the handler from the staff list."))
        ctx, complaint_id, complaint_no = self.ctx, self.complaint_id, self.complaint_no
        self._save(
            "nameHandlerButton",
            lambda: handler.assign_handler(
                ctx,
                complaint_id,
                staff_id=staff_id,
                expected_version=complaint_version(ctx, complaint_id),
            ),
            lambda _result: self.show_complaint(complaint_id, complaint_no),
        )

    def _save(self, button: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """A save on the floor worker, in line with the tab's scans; its button waits."""
        run_floor_action(self, work, done, button=self.findChild(QPushButton, button))

    def show_complaint(self, complaint_id: int, complaint_no: str) -> None:
        self.complaint_id, self.complaint_no = complaint_id, complaint_no
        named = handler.handler_of(self.ctx, complaint_id)
        self.complaint.setText(
            complaint_no + (self.tr(" · handler {name}").format(name=named.name) if named else "")
        )
        self._show_preview()

    def _show_preview(self) -> None:
        if self.complaint_id is None:
            return
        lines = accountability.preview(self.ctx, self.complaint_id)
        self.preview.setText(
            "\n".join(
                f"{p.person.name}: {format_yuan(p.amount_cents)}"
                + (self.tr(", commission cancelled") if p.cancels_commission else "")
                + f" ({p.rule_code})"
                for p in lines
            )
        )

    def _record(self) -> None:
        if self.complaint_id is None:
            raise NotFound(N_("Choose a complaint in the register."))
        staff_id = self.staff.currentData()
        if staff_id is None:
            raise NotFound(N_("Choose the person responsible from the staff list."))
        ctx, complaint_id, items = self.ctx, self.complaint_id, self.items.value()
        service = to_cents(self.service_amount.text() or "0")
        refund = to_cents(self.refund_amount.text() or "0")
        self._save(
            "recordAccountabilityButton",
            lambda: accountability.record_accountability(
                ctx,
                complaint_id,
                staff_id=staff_id,
                items_below_standard=items,
                service_amount_cents=service,
                refund_amount_cents=refund,
                expected_version=complaint_version(ctx, complaint_id),
            ),
            lambda _result: self._show_preview(),
        )

    def show_month(self) -> None:
        self.model.month = self.month.text().strip()
        self.model.refresh()

    def _summarise(self) -> None:
        shown = self.model.shown
        if shown is None:
            return
        approval = (
            self.tr("approved by {name} at {time}").format(
                name=shown.approved_by, time=format_time(shown.approved_at)
            )
            if shown.approved_at is not None
            else self.tr("not approved")
        )
        self.summary.setText(
            self.tr("{month}: {count} lines, {total} in all; {approval}.").format(
                month=shown.month,
                count=len(shown.lines),
                total=format_yuan(shown.total_cents),
                approval=approval,
            )
        )

    def _correct(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            raise NotFound(accountability.CHOOSE_LINE)
        line_id = self.model.row_object(rows[0].row()).id
        ctx, amount = self.ctx, to_cents(self.correction_amount.text())
        note = self.correction_note.text()

        def corrected(month: str) -> None:
            self.correction_amount.clear()
            self.correction_note.clear()
            self.month.setText(month)  # the correction's sheet: the open month
            self.show_month()

        self._save(
            "addCorrectionButton",
            lambda: accountability.add_correction(ctx, line_id, amount_cents=amount, note=note),
            corrected,
        )

    def _approve(self) -> None:
        password = self.password.text()
        self.password.clear()
        ctx, month, seen = self.ctx, self.model.month, self.model.rowCount()
        self._save(
            "approveSheetButton",
            lambda: accountability.approve_sheet(ctx, month, password=password, seen_lines=seen),
            lambda _result: self.model.refresh(),
        )

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the accountability sheet"),
            f"责任考核{self.model.month}.xlsx",
            "Excel (*.xlsx)",
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> int:
        return care_exports.export_sheet(self.ctx, self.model.month, path)
