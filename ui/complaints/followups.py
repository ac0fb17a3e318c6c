"""The follow-up worklist (回访): calls due and overdue (red). A reached customer answers the
satisfaction survey (each item 1-5): fully satisfied queues the thank-you message, any item
unsatisfied books an apology call (and opens a complaint when the customer wants one). Not
reached: the call stays on the list. The customer's consent to text messages is recorded here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.complaints import followups, notices, survey
from app.context import Context
from app.errors import N_, InvalidInput
from ui.complaints.table_models import FollowUpModel
from ui.ops import LatestRead
from ui.widgets.floor_action import run_floor_action
from ui.widgets.shortcuts import routine
from ui.widgets.table_view import DataTableView


class FollowUpPanel(QWidget):
    def __init__(
        self,
        ctx: Context,
        guarded: Callable[[Callable[[], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followUpPanel")
        self.ctx, self.guarded = ctx, guarded
        self.model = FollowUpModel(ctx, ctx.clock, self)
        self.table = DataTableView(self.model, "followUpTable", self)
        self.comment = QLineEdit(self)
        self.comment.setObjectName("followUpComment")
        self.comment.setPlaceholderText(self.tr("What the customer said"))
        self.satisfied_from: int | None = None
        self.scores: dict[str, QSpinBox] = {}
        self._survey_form = form = QFormLayout()  # its items come from the read worker
        LatestRead(self, self._show_questionnaire).run(lambda: survey.questionnaire(ctx))
        self.wants_complaint = QCheckBox(self.tr("The customer wants to make a complaint"), self)
        self.wants_complaint.setObjectName("surveyOpensComplaint")
        self.outcome = QLabel(self)
        self.outcome.setObjectName("surveyOutcome")
        self.outcome.setWordWrap(True)
        actions = QHBoxLayout()
        # The call's keys: this page shows alone (the handling page's F2–F9 are hidden then).
        for name, text, action, key in (
            ("recordSurveyButton", self.tr("Reached: record the survey"), self._survey, "F2"),
            ("notReachedButton", self.tr("Not reached"), self._not_reached, "F3"),
            ("consentButton", self.tr("Customer agrees to text messages"), self._consent, "F4"),
            ("optOutButton", self.tr("Customer opts out of text messages"), self._opt_out, "F5"),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, act=action: self.guarded(act))
            routine(button, key)
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel(self.tr("Satisfaction survey (1 very dissatisfied … 5 very satisfied)"), self)
        )
        layout.addLayout(form)
        layout.addWidget(self.wants_complaint)
        layout.addWidget(self.comment)
        layout.addLayout(actions)
        layout.addWidget(self.outcome)

    def _show_questionnaire(self, read: tuple[list[str], int]) -> None:
        items, self.satisfied_from = read
        for number, item in enumerate(items):
            spin = QSpinBox(self)
            spin.setObjectName(f"surveyScore{number}")
            spin.setRange(1, 5)
            spin.setValue(5)
            self.scores[item] = spin
            self._survey_form.addRow(item, spin)

    def _selected_row(self) -> followups.FollowUpRow:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            raise InvalidInput(N_("Choose a call in the follow-up list."))
        return self.model.row_object(rows[0].row())

    def _selected(self) -> int:
        return self._selected_row().id

    def _done(self) -> None:
        self.comment.clear()
        self.wants_complaint.setChecked(False)
        for spin in self.scores.values():
            spin.setValue(5)
        self.model.refresh()

    # Each saves on the floor worker (in line with the tab's scans); the button waits
    def _run(self, name: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        run_floor_action(self, work, done, button=self.findChild(QPushButton, name))

    def _survey(self) -> None:
        ctx, call_id, comment = self.ctx, self._selected(), self.comment.text()
        scores = {item: spin.value() for item, spin in self.scores.items()}
        wants = self.wants_complaint.isChecked()
        self._run(
            "recordSurveyButton",
            lambda: survey.record_survey(
                ctx, call_id, scores, comment=comment, open_complaint=wants
            ),
            self._surveyed,
        )

    def _surveyed(self, result: survey.SurveyOutcome) -> None:
        if result.fully_satisfied:
            text = self.tr("Fully satisfied: a thank-you message is queued.")
        elif result.complaint_no:
            text = self.tr(
                "Not satisfied: apology call booked and complaint {no} registered."
            ).format(no=result.complaint_no)
        else:
            text = self.tr("Not satisfied: an apology call is booked.")
        self.outcome.setText(text)
        self._done()

    def _not_reached(self) -> None:
        ctx, call_id, comment = self.ctx, self._selected(), self.comment.text()
        self._run(
            "notReachedButton",
            lambda: followups.record_call(ctx, call_id, reached=False, comment=comment),
            lambda _result: self._done(),
        )

    def _record_consent(self, consents: bool, button: str, text: str) -> None:
        ctx, customer_id = self.ctx, self._selected_row().customer_id

        def record() -> None:
            version = notices.consent_of(ctx, customer_id).version
            notices.record_consent(ctx, customer_id, consents=consents, expected_version=version)

        self._run(button, record, lambda _none: self.outcome.setText(text))

    def _consent(self) -> None:
        self._record_consent(
            True,
            "consentButton",
            self.tr("The customer's consent to text messages is recorded."),
        )

    def _opt_out(self) -> None:
        self._record_consent(
            False, "optOutButton", self.tr("The customer opted out: no more text messages.")
        )
