"""Headquarters' decision on a warning: a penalty or 通报批评, approved by a second person of
headquarters with their password (the signature path of ``app.signatures``)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.headquarters.warnings import WarningRow, decide_warning
from app.models import WarningDecision
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error


class DecideDialog(QDialog):
    def __init__(self, ctx: Context, warning: WarningRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqDecideDialog")
        self.setWindowTitle(self.tr("Decide on the warning"))
        self.ctx = ctx
        self.warning = warning
        self.decision = QComboBox(self)
        self.decision.addItem(self.tr("Penalty"), WarningDecision.PENALTY.value)
        self.decision.addItem(
            self.tr("Public criticism (通报批评)"), WarningDecision.REPRIMAND.value
        )
        self.amount = QDoubleSpinBox(self)
        self.amount.setRange(0, 1_000_000)
        self.amount.setDecimals(2)
        self.amount.setSuffix(self.tr(" yuan"))
        self.decision.currentIndexChanged.connect(
            lambda _: self.amount.setEnabled(
                self.decision.currentData() == WarningDecision.PENALTY.value
            )
        )
        self.note = QLineEdit(self)
        self.approver = QLineEdit(self)
        self.approver.setObjectName("hqApprover")
        self.password = QLineEdit(self)
        self.password.setObjectName("hqApproverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr("{count} valid complaints in {month}").format(
                    count=warning.valid_complaints, month=warning.month
                ),
                self,
            )
        )
        form.addRow(self.tr("Decision"), self.decision)
        form.addRow(self.tr("Penalty"), self.amount)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Approved by (user name)"), self.approver)
        form.addRow(self.tr("Approver's password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        """Check the approver's password and record the decision off the UI thread (a password
        check takes a few tenths of a second)."""
        decision = WarningDecision(self.decision.currentData())
        amount = round(self.amount.value() * 100)
        values = (self.approver.text(), self.password.text(), self.note.text())
        BackgroundOp(
            self,
            lambda: decide_warning(
                self.ctx,
                self.warning.id,
                decision,
                approver=values[0],
                approver_password=values[1],
                penalty_cents=amount if decision is WarningDecision.PENALTY else None,
                note=values[2],
            ),
        ).success(lambda _: self.accept()).failure(self._refused).run_in_background()

    def _refused(self, error: DomainError) -> None:
        self.password.clear()
        show_domain_error(self, error)
