"""Completing a unit's intake appearance check (屏幕, 外壳, 按键...) after its scan: the unit
cannot leave receiving until every item of its category's checklist has an answer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import Conflict, DomainError
from app.receiving import record_condition
from app.receiving.condition import ConditionForm, condition_form
from app.receiving.pending_checks import INTACT
from app.vocabulary import checklist_label
from ui.i18n import tr_app
from ui.receiving.answers import answer_combo, answer_of
from ui.widgets.feedback import MessageLine, show_domain_error
from ui.widgets.floor_action import busy, run_floor_action

ALL_INTACT_KEY = Qt.Key.Key_F4


def all_intact_button(parent: QWidget, pressed: Callable[[], None]) -> QPushButton:
    """ "全部完好" on one key (F4): the same button on the appearance check and on closing a box."""
    button = QPushButton(QCoreApplication.translate("AllIntact", "All intact (F4)"), parent)
    button.setObjectName("allIntactButton")
    button.setShortcut(QKeySequence(ALL_INTACT_KEY))
    button.setAutoDefault(False)
    button.clicked.connect(pressed)
    return button


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
            rows.addRow(tr_app(checklist_label(item)), answer)
        self.notes = QLineEdit(form.notes, self)
        self.notes.setObjectName("conditionNotes")
        rows.addRow(self.tr("Other damage"), self.notes)
        self.message = MessageLine(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.all_intact_button = all_intact_button(self, self.all_intact)
        buttons.addButton(self.all_intact_button, QDialogButtonBox.ButtonRole.ActionRole)
        unit = QLabel(
            self.tr("{order_no} · {serial} · {model}").format(
                order_no=form.order_no, serial=form.serial, model=form.model_name
            ),
            self,
        )
        unit.setObjectName("conditionUnit")
        unit.setStyleSheet("QLabel { font-size: 15px; font-weight: bold; }")
        unit.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(unit)
        if not form.items:
            layout.addWidget(
                QLabel(self.tr("This product category has no appearance checklist."), self)
            )
        layout.addLayout(rows)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Record the answers on the floor worker; closed once saved, open with the reason on
        a refusal (another station saved first: theirs shown, to edit again)."""
        if busy(self.ok_button):
            return
        answers = {item: answer_of(box) for item, box in self.answers.items() if answer_of(box)}
        ctx, order_id, version, notes = (
            self.ctx,
            self.form.order_id,
            self.form.version,
            self.notes.text(),
        )

        def refused(error: DomainError) -> None:
            show_domain_error(self, error, self.message)
            if isinstance(error, Conflict):
                self.reload()

        run_floor_action(
            self,
            lambda: record_condition(ctx, order_id, answers, notes=notes, expected_version=version),
            self._recorded,
            failed=refused,
            button=self.ok_button,
        )

    def _recorded(self, missing: list[str]) -> None:
        self.recorded.emit(missing)
        self.accept()

    def all_intact(self) -> None:
        """Every item not yet answered is intact (完好); the answers given stay; saved at once."""
        for box in self.answers.values():
            if not answer_of(box):
                box.setCurrentIndex(box.findData(INTACT))
        self.save()

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
