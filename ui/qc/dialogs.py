"""The sign-off dialog: the model's checklist item by item, the result, the reason of a fail, and
the tester's password as an electronic signature; before the time is up, a supervisor's override.

The dialog has ``qc.sign_off`` run on the floor worker and closes only when the core accepted: a
wrong password or a refused early sign-off is shown inside it, and the tester tries again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.qc import aging as qc
from app.qc.views import SignOffForm
from ui.i18n import format_time
from ui.qc.rack_model import countdown_text
from ui.widgets.feedback import MessageLine, Outcome, show_domain_error
from ui.widgets.floor_action import busy, run_floor_action

# The time left: red while it is too early to sign off, green once the aging is done.
TIME_LEFT_STYLE = (
    'QLabel[early="true"] { color: #8a1010; font-weight: bold; }'
    'QLabel[early="false"] { color: #0b5d1e; font-weight: bold; }'
)


@dataclass(frozen=True)
class SignedOff:  # what the core recorded, as the tab reports it
    order_no: str
    rework_count: int


class ChecklistGroup(QGroupBox):
    """One row per item, each with a Pass and a Fail choice (none chosen until the tester looks).
    ``set_items`` fills it again for the next unit: the rows already made are reused."""

    answered = Signal(int, bool)  # any item's choice toggled

    def __init__(self, title: str, kind: str, items: list[str], parent: QWidget | None = None):
        super().__init__(title, parent)
        self.setObjectName(f"{kind}Checklist")
        self.kind = kind
        self.items: list[str] = []
        self.groups: list[QButtonGroup] = []
        self._labels: list[QLabel] = []
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(0, 1)
        self.set_items(items)

    def _add_row(self) -> None:
        row = len(self.groups)
        self._labels.append(QLabel(self))
        self._grid.addWidget(self._labels[row], row, 0)
        group = QButtonGroup(self)
        for column, (name, text) in enumerate(
            ((qc.ITEM_PASS, self.tr("Pass")), (qc.ITEM_FAIL, self.tr("Fail"))), start=1
        ):
            button = QRadioButton(text, self)
            button.setObjectName(f"{self.kind}{name.title()}_{row}")
            group.addButton(button, column)
            self._grid.addWidget(button, row, column)
        group.idToggled.connect(self.answered)
        self.groups.append(group)

    def set_items(self, items: list[str]) -> None:
        """These items, none answered; rows beyond them are hidden, not deleted."""
        while len(self.groups) < len(items):
            self._add_row()
        for row, (label, group) in enumerate(zip(self._labels, self.groups, strict=True)):
            shown = row < len(items)
            label.setText(items[row] if shown else "")
            label.setVisible(shown)
            group.setExclusive(False)  # (an exclusive group keeps one button checked)
            for button in group.buttons():
                button.setChecked(False)
                button.setVisible(shown)
            group.setExclusive(True)
        self.items = list(items)

    def button(self, row: int, passed: bool) -> QRadioButton:
        button = self.groups[row].button(1 if passed else 2)
        assert isinstance(button, QRadioButton)
        return button

    def set_all_passed(self) -> None:
        for row in range(len(self.items)):
            self.button(row, True).setChecked(True)

    def _shown_groups(self) -> list[QButtonGroup]:
        return self.groups[: len(self.items)]

    def answers(self) -> dict[str, str]:
        """Item → pass / fail, for the items answered."""
        return {
            item: qc.ITEM_PASS if group.checkedId() == 1 else qc.ITEM_FAIL
            for item, group in zip(self.items, self._shown_groups(), strict=True)
            if group.checkedId() in (1, 2)
        }

    def unanswered(self) -> list[str]:
        return [
            item
            for item, group in zip(self.items, self._shown_groups(), strict=True)
            if group.checkedId() not in (1, 2)
        ]


class SignOffDialog(QDialog):
    """Made once per QC tab and filled again for each unit (``load``), then ``open()``ed;
    ``signed`` holds the order once the core recorded the sign-off."""

    def __init__(
        self,
        ctx: Context,
        form: SignOffForm | None,
        reasons: list[str],
        parent: QWidget | None = None,
    ) -> None:
        """``form`` None: made ahead, empty, to be ``load``ed before it is opened."""
        super().__init__(parent)
        self.setObjectName("qcSignOffDialog")
        self.ctx = ctx
        self.form: SignOffForm  # (set by ``load``)
        self.signed: SignedOff | None = None
        self.passed: bool | None = None
        self._reasons: list[str] | None = None

        self.unit = QLabel(self)
        self.unit.setObjectName("signOffUnit")
        self.unit.setTextFormat(Qt.TextFormat.PlainText)
        self.unit.setStyleSheet("QLabel { font-size: 14px; }")
        self.time_left = QLabel(self)
        self.time_left.setObjectName("signOffTimeLeft")
        # One style sheet, set once: the time left turns red or green by a property, so a new
        # unit or a tick re-polishes this label alone, and only when it turns.
        self.time_left.setStyleSheet(TIME_LEFT_STYLE)

        self.functions = ChecklistGroup(self.tr("Function check"), "function", [], self)
        self.appearance = ChecklistGroup(self.tr("Appearance check"), "appearance", [], self)
        all_pass = QPushButton(self.tr("All items pass"), self)
        all_pass.setObjectName("allItemsPassButton")
        all_pass.clicked.connect(self._all_pass)
        checks = QWidget(self)
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        checks_layout.addWidget(self.functions)
        checks_layout.addWidget(self.appearance)
        checks_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(checks)
        scroll.setMinimumHeight(220)

        self.result_pass = QRadioButton(self.tr("Pass: ready for shipping"), self)
        self.result_pass.setObjectName("resultPass")
        self.result_fail = QRadioButton(self.tr("Fail: back to the technician"), self)
        self.result_fail.setObjectName("resultFail")
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_pass)
        result_row.addWidget(self.result_fail)
        result_row.addStretch(1)

        self.reason_pick = QComboBox(self)
        self.reason_pick.setObjectName("failReasonPick")
        self.reason_text = QLineEdit(self)
        self.reason_text.setObjectName("failReasonText")
        self.reason_text.setPlaceholderText(self.tr("What exactly failed, for the technician"))
        self.password = QLineEdit(self)
        self.password.setObjectName("signaturePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your own password: your electronic signature"))

        self.override = QGroupBox(self.tr("Supervisor override (the time is not up)"), self)
        self.override.setObjectName("overrideGroup")
        self.supervisor = QLineEdit(self.override)
        self.supervisor.setObjectName("overrideSupervisor")
        self.supervisor_password = QLineEdit(self.override)
        self.supervisor_password.setObjectName("overridePassword")
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.override_reason = QLineEdit(self.override)
        self.override_reason.setObjectName("overrideReason")
        self.override_reason.setPlaceholderText(self.tr("Why it may leave the rack early"))
        override_form = QFormLayout(self.override)
        override_form.addRow(self.tr("Supervisor user name"), self.supervisor)
        override_form.addRow(self.tr("Supervisor password"), self.supervisor_password)
        override_form.addRow(self.tr("Reason"), self.override_reason)

        form_layout = QFormLayout()
        form_layout.addRow(self.tr("Result"), result_row)
        form_layout.addRow(self.tr("Fail reason"), self.reason_pick)
        form_layout.addRow("", self.reason_text)
        form_layout.addRow(self.tr("Signature (password)"), self.password)

        self.message = MessageLine(self)
        self.message.setObjectName("signOffMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        sign = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        sign.setText(self.tr("Sign off"))
        sign.setObjectName("signOffButton")
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.unit)
        layout.addWidget(self.time_left)
        layout.addWidget(scroll, 1)
        layout.addWidget(all_pass, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form_layout)
        layout.addWidget(self.override)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.functions.answered.connect(self._item_toggled)
        self.appearance.answered.connect(self._item_toggled)
        self.result_pass.toggled.connect(self._result_changed)
        self.result_fail.toggled.connect(self._result_changed)
        self.resize(560, 640)
        if form is not None:
            self.load(form, reasons)

    def load(self, form: SignOffForm, reasons: list[str]) -> None:
        """Fill the dialog for ``form``'s unit, nothing answered, no signature typed."""
        self.form = form
        self.signed = None
        self.passed = None
        self.setWindowTitle(self.tr("QC sign-off: {order_no}").format(order_no=form.order_no))
        self.unit.setText(
            self.tr(
                "{order_no} · {model} · {serial}\nTechnician: {technician} · slot {slot} · "
                "reworked {rework} times"
            ).format(
                order_no=form.order_no,
                model=form.model,
                serial=form.serial,
                technician=form.technician or "-",
                slot=form.slot_code or "-",
                rework=form.rework_count,
            )
        )
        self.functions.set_items(list(form.functions) or [self.tr("Powers on and works normally")])
        self.appearance.set_items(
            list(form.appearance) or [self.tr("Appearance as received, no new marks")]
        )
        for result in (self.result_pass, self.result_fail):
            result.setAutoExclusive(False)  # (an exclusive pair keeps one checked)
            result.setChecked(False)
            result.setAutoExclusive(True)
        self.result_pass.setEnabled(True)
        if reasons != self._reasons:
            self._reasons = list(reasons)
            self.reason_pick.clear()
            self.reason_pick.addItem(self.tr("(choose a reason)"), "")
            for reason in reasons:
                self.reason_pick.addItem(reason, reason)
        self.reason_pick.setCurrentIndex(0)
        for field in (
            self.reason_text,
            self.password,
            self.supervisor,
            self.supervisor_password,
            self.override_reason,
        ):
            field.clear()
        self.message.clear_message()
        self._result_changed()
        self.update_time()

    # Reactions
    def update_time(self) -> None:
        """How long is left (the override shows only while the time is not up)."""
        now = self.ctx.now()
        left = self.form.remaining(now)
        early = left.total_seconds() > 0
        if early:
            text = self.tr(
                "Still {left} to age (ready at {ready}): signing now needs a supervisor."
            )
        else:
            text = self.tr("Aging finished at {ready}.")
        if self.time_left.property("early") != early:  # re-polished only when it turns
            self.time_left.setProperty("early", early)
            self.time_left.style().unpolish(self.time_left)
            self.time_left.style().polish(self.time_left)
        self.time_left.setText(
            text.format(left=countdown_text(left), ready=format_time(self.form.ready_at))
        )
        self.override.setVisible(early)

    def is_early(self) -> bool:
        return self.form.remaining(self.ctx.now()).total_seconds() > 0

    def _all_pass(self) -> None:
        self.functions.set_all_passed()
        self.appearance.set_all_passed()

    def _failed_items(self) -> list[str]:
        answers = {**self.functions.answers(), **self.appearance.answers()}
        return [item for item, value in answers.items() if value == qc.ITEM_FAIL]

    def _item_toggled(self, _id: int, _checked: bool) -> None:
        failed = self._failed_items()
        # A failed item decides the result; the reason starts with what failed.
        self.result_pass.setEnabled(not failed)
        if failed:
            self.result_fail.setChecked(True)
            if not self.reason_text.isModified():
                self.reason_text.setText("、".join(failed))

    def _result_changed(self, _checked: bool = False) -> None:
        failing = self.result_fail.isChecked()
        self.reason_pick.setEnabled(failing)
        self.reason_text.setEnabled(failing)

    def checklist(self) -> dict[str, Any]:
        return {"function": self.functions.answers(), "appearance": self.appearance.answers()}

    def reason(self) -> str:
        picked = str(self.reason_pick.currentData() or "")
        detail = self.reason_text.text().strip()
        if picked and detail:
            return f"{picked}: {detail}"
        return picked or detail

    # Signing
    def sign(self) -> None:
        """Saved on the floor worker in line with the scans (what it needs read now); the buttons
        wait. A refusal shows here and keeps all but the passwords. Only ever ``open()``ed, never
        ``exec()``: the scan that opened it is done before its save is queued (no deadlock)."""
        if busy(self.buttons):
            return  # (Enter again while the sign-off saves)
        if unanswered := self.functions.unanswered() + self.appearance.unanswered():
            self.message.show_message(
                Outcome.ERROR,
                self.tr("Check every item first: {items}").format(items="、".join(unanswered)),
            )
            return
        if not (self.result_pass.isChecked() or self.result_fail.isChecked()):
            self.message.show_message(Outcome.ERROR, self.tr("Choose the result: pass or fail."))
            return
        passed = self.result_pass.isChecked()
        override = None
        if self.is_early():
            override = qc.Override(
                self.supervisor.text().strip(),
                self.supervisor_password.text(),
                self.override_reason.text().strip(),
            )
        ctx, order_id, password = self.ctx, self.form.order_id, self.password.text()
        reason, checklist = "" if passed else self.reason(), self.checklist()

        def work() -> SignedOff:  # on the floor worker: plain data in, plain data out
            order = qc.sign_off(
                ctx,
                order_id,
                passed=passed,
                password=password,
                reason=reason,
                checklist=checklist,
                override=override,
            )
            return SignedOff(order.order_no, order.rework_count)

        def refused(error: DomainError) -> None:
            self.password.clear()
            self.supervisor_password.clear()
            show_domain_error(self, error, self.message)

        def recorded(signed: SignedOff) -> None:
            self.signed, self.passed = signed, passed
            self.accept()

        run_floor_action(self, work, recorded, failed=refused, button=self.buttons)

    def reject(self) -> None:
        if not busy(self.buttons):  # (Esc while the sign-off saves: it is too late)
            super().reject()
