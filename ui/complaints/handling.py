"""The handling panel of the selected complaint: contact and answer, responsible person and
department, facts, two remedies and their approval (supervisors), the customer's choice,
settlement, closing, validity overrule and the apology letter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app import complaints
from app.complaints import people, steps
from app.complaints.steps import ComplaintStep, HandlingAction
from app.context import Context
from app.errors import Conflict
from app.permissions import Permission
from ui.complaints.escalation import EscalationBox
from ui.complaints.step_bar import StepBar
from ui.i18n import format_time
from ui.widgets.shortcuts import routine

# The handling steps' keys, in the order of the steps (the supervisor's overrule has none).
HANDLING_KEYS = {
    "firstContactButton": "F2",
    "answerButton": "F3",
    "saveHandlingButton": "F4",
    "approveRemediesButton": "F5",
    "choiceButton": "F6",
    "settleButton": "F7",
    "closeButton": "F8",
    "letterButton": "F9",
}


class HandlingPanel(QGroupBox):
    letter_ready = Signal(bytes, str)
    follow_up_requested = Signal()

    def __init__(
        self,
        ctx: Context,
        guarded: Callable[[Callable[[], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("complaintHandlingPanel")
        self.setTitle(self.tr("Handling"))
        self.ctx, self.guarded = ctx, guarded
        self.complaint_id: int | None = None
        self.version = 0  # the shown complaint's version, sent back with each save
        self.summary = QLabel(self.tr("Choose a complaint in the register."), self)
        self.summary.setObjectName("complaintSummary")
        self.summary.setWordWrap(True)
        # The person responsible is a staff record; a name typed before the staff records
        # existed stays readable beside the list (``old_person``) until one is chosen.
        self.person = QComboBox(self)
        self.person.setObjectName("handlingResponsibleStaff")
        self.old_person = QLabel(self)
        self.old_person.setObjectName("oldResponsiblePerson")
        self.old_person.setVisible(False)
        self.legacy_person: str | None = None
        self.department = QComboBox(self)
        self.facts = QPlainTextEdit(self)
        self.facts.setFixedHeight(50)
        self.remedy_1, self.remedy_2 = QLineEdit(self), QLineEdit(self)
        self.choice = QComboBox(self)
        self.choice.setPlaceholderText(self.tr("What the customer chooses"))
        self.outcome = QLineEdit(self)
        self.accepted = QCheckBox(self.tr("The customer accepts"), self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Reason (supervisor closing or overruling)"))
        form = QFormLayout()
        form.addRow(self.tr("Responsible person"), self.person)
        form.addRow("", self.old_person)
        form.addRow(self.tr("Department"), self.department)
        form.addRow(self.tr("Facts found"), self.facts)
        form.addRow(self.tr("Remedy 1"), self.remedy_1)
        form.addRow(self.tr("Remedy 2"), self.remedy_2)
        form.addRow(self.tr("Customer's choice"), self.choice)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow("", self.accepted)
        form.addRow(self.tr("Reason"), self.reason)
        self.step_bar = StepBar(ctx.now, self)
        self.step_bar.step_pressed.connect(self._step_pressed)
        self.step_actions: dict[ComplaintStep, Callable[[int], None]] = {
            ComplaintStep.CONTACT: self._contact,
            ComplaintStep.VERIFY: self._save,
            ComplaintStep.APPROVAL: self._approve,
            ComplaintStep.CHOICE: self._choose,
            ComplaintStep.LETTER: self._letter,
            ComplaintStep.FOLLOW_UP: lambda _id: self.follow_up_requested.emit(),
        }
        buttons: list[tuple[HandlingAction, str, str, Callable[[int], None]]] = [
            (HandlingAction.SAVE, "saveHandlingButton", self.tr("Save changes"), self._save),
            (HandlingAction.ANSWER, "answerButton", self.tr("Answer given"), self._answer),
            (HandlingAction.SETTLE, "settleButton", self.tr("Settle"), self._settle),
            (HandlingAction.CLOSE, "closeButton", self.tr("Close"), self._close),
            (
                HandlingAction.OVERRULE,
                "overruleButton",
                self.tr("Overrule validity"),
                self._overrule,
            ),
        ]
        self.action_buttons: dict[HandlingAction, QPushButton] = {}
        grid = QGridLayout()
        for index, (kind, name, text, action) in enumerate(buttons):
            button = QPushButton(text, self)
            button.setObjectName(name)
            if name in HANDLING_KEYS:  # the overrule is no routine
                routine(button, HANDLING_KEYS[name])
            button.clicked.connect(lambda _=False, act=action: self._run(act))
            grid.addWidget(button, index // 3, index % 3)
            self.action_buttons[kind] = button
        self.action_buttons[HandlingAction.OVERRULE].setVisible(ctx.actor.can(Permission.APPROVE))
        layout = QFormLayout(self)
        layout.addRow(self.summary)
        layout.addRow(self.step_bar)
        layout.addRow(form)
        layout.addRow(grid)
        self.escalation = EscalationBox(ctx, guarded, lambda: self.version, self._reload, self)
        layout.addRow(self.escalation)
        self.setEnabled(False)

    def _run(self, action: Callable[[int], None]) -> None:
        if self.complaint_id is not None:
            complaint_id = self.complaint_id

            def run() -> None:
                try:
                    action(complaint_id)
                except Conflict:  # saved meanwhile by another station: show what is saved now
                    self._reload()
                    raise

            self.guarded(run)

    def _step_pressed(self, step: str) -> None:
        self._run(self.step_actions[ComplaintStep(step)])

    def show_complaint(self, complaint_id: int | None) -> None:
        self.complaint_id = complaint_id
        self.setEnabled(complaint_id is not None)
        self.escalation.show_complaint(complaint_id)
        if complaint_id is None:
            self.step_bar.show_progress(None)
            return
        detail = complaints.complaint_detail(self.ctx, complaint_id)
        c = detail.complaint
        self.version = c.version  # what the next save sends back
        self.summary.setText(
            self.tr("{no} · {customer} {phone} · grade {grade} · orders {orders}\n{what}").format(
                no=c.complaint_no,
                customer=detail.customer_name,
                phone=detail.customer_phone or "",
                grade=c.grade.value,
                orders="、".join(detail.order_nos) or "—",
                what=c.description,
            )
            + "\n"
            + self.tr("Received {received}; contacted {contact}; answered {answer}").format(
                received=format_time(c.received_at),
                contact=format_time(c.first_contact_at) or "—",
                answer=format_time(c.answered_at) or "—",
            )
        )
        self.person.clear()
        self.person.addItem("—", None)
        for staff in people.staff_list(self.ctx):
            self.person.addItem(f"{staff.name} ({staff.code})", staff.id)
        self.person.setCurrentIndex(max(0, self.person.findData(c.responsible_staff_id)))
        legacy = c.responsible_person if c.responsible_staff_id is None else None
        self.legacy_person = legacy
        self.old_person.setVisible(bool(legacy))
        self.old_person.setText(
            self.tr("Recorded as text before the staff records: {name}").format(name=legacy)
            if legacy
            else ""
        )
        self.department.clear()
        self.department.addItem("—", None)
        for department_id, name in complaints.departments(self.ctx):
            self.department.addItem(name, department_id)
        self.department.setCurrentIndex(max(0, self.department.findData(c.department_id)))
        self.facts.setPlainText(c.facts or "")
        self.remedy_1.setText(c.remedy_1 or "")
        self.remedy_2.setText(c.remedy_2 or "")
        self.choice.clear()
        for remedy in (c.remedy_1, c.remedy_2):
            if remedy:
                self.choice.addItem(remedy)
        # Never a silent choice: nothing is selected until the agent picks what the customer said.
        self.choice.setCurrentIndex(self.choice.findText(c.chosen_remedy or "\0"))
        self.outcome.setText(c.outcome or "")
        self.accepted.setChecked(bool(c.customer_accepted))
        progress = steps.handling_progress(self.ctx, complaint_id)
        self.step_bar.show_progress(progress)
        for kind, button in self.action_buttons.items():
            button.setEnabled(kind in progress.actions)

    def _reload(self) -> None:
        self.show_complaint(self.complaint_id)

    def _contact(self, complaint_id: int) -> None:
        complaints.record_first_contact(self.ctx, complaint_id)
        self._reload()

    def _answer(self, complaint_id: int) -> None:
        complaints.record_answer(self.ctx, complaint_id, self.outcome.text() or self.tr("Answered"))
        self._reload()

    def _save(self, complaint_id: int) -> None:
        # Each save returns the complaint's new version, which the next one sends back.
        staff_id = self.person.currentData()
        if staff_id is not None or self.legacy_person:
            self.version = complaints.assign_handling(
                self.ctx,
                complaint_id,
                staff_id=staff_id,
                responsible_person=None if staff_id is not None else self.legacy_person,
                department_id=self.department.currentData(),
                expected_version=self.version,
            )
        if self.facts.toPlainText().strip():
            self.version = complaints.record_facts(
                self.ctx, complaint_id, self.facts.toPlainText(), expected_version=self.version
            )
        if self.remedy_1.text().strip() or self.remedy_2.text().strip():
            self.version = complaints.propose_remedies(
                self.ctx,
                complaint_id,
                self.remedy_1.text(),
                self.remedy_2.text(),
                expected_version=self.version,
            )
        self._reload()

    def _approve(self, complaint_id: int) -> None:
        self.version = complaints.approve_remedies(
            self.ctx, complaint_id, expected_version=self.version
        )
        self._reload()

    def _choose(self, complaint_id: int) -> None:
        self.version = complaints.record_choice(
            self.ctx, complaint_id, self.choice.currentText(), expected_version=self.version
        )
        self._reload()

    def _settle(self, complaint_id: int) -> None:
        self.version = complaints.settle_complaint(
            self.ctx,
            complaint_id,
            outcome=self.outcome.text(),
            customer_accepted=self.accepted.isChecked(),
            expected_version=self.version,
        )
        self._reload()

    def _close(self, complaint_id: int) -> None:
        self.version = complaints.close_complaint(
            self.ctx, complaint_id, reason=self.reason.text(), expected_version=self.version
        )
        self._reload()

    def _overrule(self, complaint_id: int) -> None:
        detail = complaints.complaint_detail(self.ctx, complaint_id)
        self.version = complaints.overrule_validity(
            self.ctx,
            complaint_id,
            is_valid=not detail.complaint.is_valid,
            reason=self.reason.text(),
            expected_version=self.version,
        )
        self._reload()

    def _letter(self, complaint_id: int) -> None:
        from app.documents.apology import apology_letter_pdf  # reportlab loads here

        pdf = apology_letter_pdf(self.ctx, complaint_id)
        number = complaints.complaint_detail(self.ctx, complaint_id).complaint.complaint_no
        self.letter_ready.emit(pdf, self.tr("Apology letter {no}").format(no=number))
