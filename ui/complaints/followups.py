"""The follow-up worklist (回访): calls due and overdue (red); record reached or not, satisfied
or not, a comment; a dissatisfied answer opens a complaint in one step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.complaints import followups
from app.context import Context
from app.errors import N_, InvalidInput
from ui.complaints.table_models import FollowUpModel
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
        actions = QHBoxLayout()
        for name, text, action in (
            ("satisfiedButton", self.tr("Reached, satisfied"), self._satisfied),
            ("dissatisfiedButton", self.tr("Dissatisfied: open a complaint"), self._complaint),
            ("notReachedButton", self.tr("Not reached"), self._not_reached),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, act=action: self.guarded(act))
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.comment)
        layout.addLayout(actions)

    def _selected(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            raise InvalidInput(N_("Choose a call in the follow-up list."))
        return self.model.row_object(rows[0].row()).id

    def _done(self) -> None:
        self.comment.clear()
        self.model.refresh()

    def _satisfied(self) -> None:
        followups.record_call(
            self.ctx, self._selected(), reached=True, satisfied=True, comment=self.comment.text()
        )
        self._done()

    def _not_reached(self) -> None:
        followups.record_call(
            self.ctx, self._selected(), reached=False, comment=self.comment.text()
        )
        self._done()

    def _complaint(self) -> None:
        followups.record_dissatisfied_and_open_complaint(
            self.ctx, self._selected(), description=self.comment.text()
        )
        self._done()
