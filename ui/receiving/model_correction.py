"""Correcting a unit's model, from the receiving desk's lists (right click → "Correct the model…").

A scan never changes a unit's model; a supervisor does, with a reason, through the core's audited
``correct_unit_model`` (APPROVE). Others see the action greyed out with who may use it; the core
refuses them in any case. The dialog keeps a refusal (no reason, the same model, a serial the
model's pattern refuses) on its own message line and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.permissions import Permission
from app.receiving.desk import ModelChoice, model_choices
from app.receiving.unit_model import correct_unit_model
from ui.widgets.feedback import MessageLine, Outcome, show_domain_error
from ui.widgets.floor_action import busy, run_floor_action
from ui.widgets.sections import TableSection


class ModelCorrectionDialog(QDialog):
    """The unit's serial and present model, the model it really is, and why."""

    corrected = Signal(str, str)  # serial, the new model's code

    def __init__(
        self,
        ctx: Context,
        serial: str,
        present_model: str,
        models: Sequence[ModelChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelCorrectionDialog")
        self.ctx, self.serial = ctx, serial
        self.setWindowTitle(self.tr("Correct the model of {serial}").format(serial=serial))
        present = QLabel(
            self.tr("{serial} is stored as {model}.").format(serial=serial, model=present_model),
            self,
        )
        present.setTextFormat(Qt.TextFormat.PlainText)
        self.model = QComboBox(self)
        self.model.setObjectName("correctedModel")
        for choice in models:
            self.model.addItem(f"{choice.name} ({choice.code})", choice.code)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("correctionReason")
        self.reason.setPlaceholderText(self.tr("Why (e.g. the back cover says XC-A5)"))
        self.message = MessageLine(self)
        self.message.setObjectName("modelCorrectionMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Correct the model"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(present)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def accept(self) -> None:
        """Correct on the floor worker; closed once saved, open with the reason on a refusal."""
        code = self.model.currentData()
        if busy(self.ok_button):
            return
        if code is None:
            self.message.show_message(Outcome.ERROR, self.tr("Choose the unit's model."))
            return
        ctx, serial, reason = self.ctx, self.serial, self.reason.text()
        run_floor_action(
            self,
            lambda: correct_unit_model(ctx, serial, code, reason),
            lambda _result: self._corrected(code),
            failed=lambda error: show_domain_error(self, error, self.message),
            button=self.ok_button,
        )

    def _corrected(self, code: str) -> None:
        super().accept()
        self.corrected.emit(self.serial, code)


class ModelCorrection(QObject):
    """The "Correct the model…" action on the lists that show units (rows with ``serial`` and
    ``model_name``, models with ``refresh()``); ``show_dialog`` opens the dialog the tab's way,
    ``report`` says what was done on the tab's message line."""

    def __init__(
        self,
        ctx: Context,
        show_dialog: Callable[[QDialog], None],
        report: Callable[[Outcome, str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx, self._show_dialog, self._report = ctx, show_dialog, report
        self._parent = parent
        self._views: list[QTableView] = []
        self.dialog: ModelCorrectionDialog | None = None

    def attach(self, *sections: TableSection) -> None:
        """Right click on a unit in these lists (greyed out for those who may not correct)."""
        for view in (section.view for section in sections):
            action = QAction(self.tr("Correct the model…"), view)
            action.setObjectName("correctModelAction")
            if not self.ctx.actor.can(Permission.APPROVE):
                action.setEnabled(False)
                action.setToolTip(self.tr("Only a supervisor corrects a unit's model."))
            action.triggered.connect(lambda _checked=False, view=view: self.ask(view))
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(action)
            self._views.append(view)

    def ask(self, view: QTableView) -> None:
        """The dialog for the list's selected unit."""
        rows = view.selectionModel().selectedRows()
        if not rows:
            self._report(Outcome.WARNING, self.tr("Select the unit in the list first."))
            return
        line = view.model().row_object(rows[0].row())  # type: ignore[attr-defined]
        dialog = ModelCorrectionDialog(
            self.ctx, line.serial, line.model_name, model_choices(self.ctx), self._parent
        )
        dialog.corrected.connect(self._corrected)
        self.dialog = dialog
        self._show_dialog(dialog)

    def _corrected(self, serial: str, code: str) -> None:
        for view in self._views:
            view.model().refresh()  # type: ignore[attr-defined]
        self._report(
            Outcome.OK,
            self.tr("{serial} is now a {model} (correction recorded).").format(
                serial=serial, model=code
            ),
        )
