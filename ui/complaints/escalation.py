"""The handling panel's box of escalations: the complaint's escalations to headquarters with their
answers, and the button that escalates it with a reason (``app.complaints.escalation``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.complaints.escalation import EscalationView, escalate_complaint, escalations_of
from app.context import Context
from app.models import EscalationDecision, EscalationStatus
from app.vocabulary import ESCALATION_DECISION_LABELS, ESCALATION_STATUS_LABELS
from ui.i18n import format_time, tr_app
from ui.widgets.floor_action import busy, run_floor_action


class EscalationBox(QGroupBox):
    """Shows the escalations of the complaint shown; escalates over the version it was shown at
    (``version()``: the handling panel's)."""

    def __init__(
        self,
        ctx: Context,
        guarded: Callable[[Callable[[], None]], None],
        version: Callable[[], int],
        reload: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("complaintEscalationBox")
        self.setTitle(self.tr("Headquarters (服务管理部)"))
        self.ctx, self.guarded, self.version, self.reload = ctx, guarded, version, reload
        self.complaint_id: int | None = None
        self.history = QLabel(self)
        self.history.setObjectName("escalationHistory")
        self.history.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("escalationReason")
        self.reason.setPlaceholderText(
            self.tr("Why headquarters must step in (a major complaint, handled many times…)")
        )
        self.escalate_button = QPushButton(self.tr("Escalate to headquarters"), self)
        self.escalate_button.setObjectName("escalateButton")
        self.escalate_button.clicked.connect(lambda: self.guarded(self._escalate))
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.escalate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.history)
        layout.addLayout(row)

    def status_text(self, status: EscalationStatus) -> str:
        return tr_app(ESCALATION_STATUS_LABELS[status])

    def decision_text(self, decision: EscalationDecision | None) -> str:
        return tr_app(ESCALATION_DECISION_LABELS[decision]) if decision else ""

    def line(self, seen: EscalationView) -> str:
        text = self.tr("{time} escalated by {name}: {reason} — {status}").format(
            time=format_time(seen.escalated_at),
            name=seen.escalated_by,
            reason=seen.reason,
            status=self.status_text(seen.status),
        )
        if seen.answered_at is not None:
            text += "\n" + self.tr("Answer {time} ({decision}): {note}").format(
                time=format_time(seen.answered_at),
                decision=self.decision_text(seen.decision),
                note=seen.note or "",
            )
        return text

    def show_complaint(self, complaint_id: int | None) -> None:
        self.complaint_id = complaint_id
        seen = escalations_of(self.ctx, complaint_id) if complaint_id is not None else []
        self.history.setText(
            "\n".join(self.line(e) for e in seen) or self.tr("Not escalated to headquarters.")
        )
        waiting = any(e.status is not EscalationStatus.ANSWERED for e in seen)
        self.escalate_button.setEnabled(complaint_id is not None and not waiting)

    def _escalate(self) -> None:
        """Escalated on the floor worker (the button waits); the reason cleared once done."""
        if self.complaint_id is None or busy(self.escalate_button):
            return
        ctx, complaint_id, reason, version = (
            self.ctx,
            self.complaint_id,
            self.reason.text(),
            self.version(),
        )

        def escalated(_result: object) -> None:
            self.reason.clear()
            self.reload()

        run_floor_action(
            self,
            lambda: escalate_complaint(ctx, complaint_id, reason, expected_version=version),
            escalated,
            button=self.escalate_button,
        )
