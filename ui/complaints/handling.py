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
from ui.widgets.floor_action import busy, run_floor_action
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
        self.step_saves: dict[ComplaintStep, Callable[[int], Callable[[], int | None]]] = {
            ComplaintStep.CONTACT: self._contact,
            ComplaintStep.VERIFY: self._save,
            ComplaintStep.APPROVAL: self._approve,
            ComplaintStep.CHOICE: self._choose,
        }
        self.step_actions: dict[ComplaintStep, Callable[[int], None]] = {
            ComplaintStep.LETTER: self._letter,
            ComplaintStep.FOLLOW_UP: lambda _id: self.follow_up_requested.emit(),
        }
        buttons: list[
            tuple[HandlingAction, str, str, Callable[[int], Callable[[], int | None]]]
        ] = [
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

    def _run(self, action: Callable[[int], Callable[[], int | None]]) -> None:
        """``action`` reads the form now and gives the save, run on the floor worker (the panel
        disabled meanwhile); the complaint's new version kept, the complaint shown again. A
        conflict (saved meanwhile by another station) shows what is saved now."""
        if self.complaint_id is None or busy(self):
            return
        complaint_id = self.complaint_id

        def saved(version: int | None) -> None:
            if version is not None:
                self.version = version
            self._reload()

        def start() -> None:
            run_floor_action(
                self,
                action(complaint_id),
                saved,
                after_refusal=lambda error: isinstance(error, Conflict) and self._reload(),
                button=self,
            )

        self.guarded(start)

    def _step_pressed(self, step: str) -> None:
        pressed = ComplaintStep(step)
        if pressed in self.step_saves:
            self._run(self.step_saves[pressed])
        elif self.complaint_id is not None:
            complaint_id = self.complaint_id
            self.guarded(lambda: self.step_actions[pressed](complaint_id))

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

    # Each gives its save (plain data, for the floor worker): the complaint's new version
    def _contact(self, complaint_id: int) -> Callable[[], int | None]:
        ctx = self.ctx

        def contact() -> None:
            complaints.record_first_contact(ctx, complaint_id)

        return contact

    def _answer(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, text = self.ctx, self.outcome.text() or self.tr("Answered")

        def answer() -> None:
            complaints.record_answer(ctx, complaint_id, text)

        return answer

    def _save(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, version, staff_id = self.ctx, self.version, self.person.currentData()
        legacy, department_id = self.legacy_person, self.department.currentData()
        facts, remedy_1, remedy_2 = (
            self.facts.toPlainText(),
            self.remedy_1.text(),
            self.remedy_2.text(),
        )

        def save() -> int:  # each save sends back the version the one before it returned
            saved = version
            if staff_id is not None or legacy:
                saved = complaints.assign_handling(
                    ctx,
                    complaint_id,
                    staff_id=staff_id,
                    responsible_person=None if staff_id is not None else legacy,
                    department_id=department_id,
                    expected_version=saved,
                )
            if facts.strip():
                saved = complaints.record_facts(ctx, complaint_id, facts, expected_version=saved)
            if remedy_1.strip() or remedy_2.strip():
                saved = complaints.propose_remedies(
                    ctx, complaint_id, remedy_1, remedy_2, expected_version=saved
                )
            return saved

        return save

    def _approve(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, version = self.ctx, self.version
        return lambda: complaints.approve_remedies(ctx, complaint_id, expected_version=version)

    def _choose(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, version, choice = self.ctx, self.version, self.choice.currentText()
        return lambda: complaints.record_choice(ctx, complaint_id, choice, expected_version=version)

    def _settle(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, version = self.ctx, self.version
        outcome, accepted = self.outcome.text(), self.accepted.isChecked()
        return lambda: complaints.settle_complaint(
            ctx, complaint_id, outcome=outcome, customer_accepted=accepted, expected_version=version
        )

    def _close(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, version, reason = self.ctx, self.version, self.reason.text()
        return lambda: complaints.close_complaint(
            ctx, complaint_id, reason=reason, expected_version=version
        )

    def _overrule(self, complaint_id: int) -> Callable[[], int | None]:
        ctx, version, reason = self.ctx, self.version, self.reason.text()

        def overrule() -> int:
            detail = complaints.complaint_detail(ctx, complaint_id)
            return complaints.overrule_validity(
                ctx,
                complaint_id,
                is_valid=not detail.complaint.is_valid,
                reason=reason,
                expected_version=version,
            )

        return overrule

    def _letter(self, complaint_id: int) -> None:
        from app.documents.apology import apology_letter_pdf  # reportlab loads here

        pdf = apology_letter_pdf(self.ctx, complaint_id)
        number = complaints.complaint_detail(self.ctx, complaint_id).complaint.complaint_no
        self.letter_ready.emit(pdf, self.tr("Apology letter {no}").format(no=number))
