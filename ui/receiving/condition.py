"""Completing a unit's intake appearance check (屏幕, 外壳, 按键...) after its scan: the unit
cannot leave receiving until every item of its category's checklist has an answer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import Conflict, DomainError
from app.receiving import record_condition
from app.receiving.condition import ConditionForm, condition_form
from ui.receiving.answers import answer_combo, answer_of
from ui.widgets.feedback import MessageLine, show_domain_error


class ConditionDialog(QDialog):
    """One answer per checklist item (pick a common one or type); OK records them."""

    recorded = Signal(list)  # the items still missing

    def __init__(self, ctx: Context, form: ConditionForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conditionDialog")
        self.ctx, self.form = ctx, form
        self.setWindowTitle(
            self.tr("Appearance check of {order_no}").format(order_no=form.order_no)
        )
        self.answers: dict[str, QComboBox] = {}
        rows = QFormLayout()
        for item in form.items:
            answer = answer_combo(f"condition_{item}", self, form.answers.get(item, ""))
            self.answers[item] = answer
            rows.addRow(item, answer)
        self.notes = QLineEdit(form.notes, self)
        self.notes.setObjectName("conditionNotes")
        rows.addRow(self.tr("Other damage"), self.notes)
        self.message = MessageLine(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not form.items:
            layout.addWidget(
                QLabel(self.tr("This product category has no appearance checklist."), self)
            )
        layout.addLayout(rows)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        answers = {item: answer_of(box) for item, box in self.answers.items() if answer_of(box)}
        try:
            missing = record_condition(
                self.ctx,
                self.form.order_id,
                answers,
                notes=self.notes.text(),
                expected_version=self.form.version,
            )
        except Conflict as error:  # another station saved first: show theirs, then edit again
            show_domain_error(self, error, self.message)
            self.reload()
            return
        except DomainError as error:
            show_domain_error(self, error, self.message)
            return
        self.recorded.emit(missing)
        self.accept()

    def reload(self) -> None:
        """Load the order's check again: its answers and version as saved by now."""
        try:
            self.form = condition_form(self.ctx, self.form.order_id)
        except DomainError as error:
            show_domain_error(self, error, self.message)
            return
        for item, box in self.answers.items():
            current = self.form.answers.get(item, "")
            index = box.findData(current) if current else 0
            if index >= 0:
                box.setCurrentIndex(index)
            else:
                box.setEditText(current)
        self.notes.setText(self.form.notes)
