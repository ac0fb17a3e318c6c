"""The queue's filters (model, sender, age, warranty, repeat repairs) above the dispatcher's queue."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from app.context import Context
from app.models import RepairState
from app.orders.listing import OrderFilter, model_choices
from ui.models.orders import OrderTableModel
from ui.ops import LatestRead

QUEUE = frozenset({RepairState.RECEIVED})
# The age filter: (label, minimum age); labels are translated where the combo is filled.
AGE_CHOICES: tuple[tuple[str, timedelta | None], ...] = (
    ("any age", None),
    ("older than 1 day", timedelta(days=1)),
    ("older than 3 days", timedelta(days=3)),
    ("older than 7 days", timedelta(days=7)),
)


class QueueFilters(QWidget):
    """Model, sender, age, warranty, repeat repairs: each change re-queries the queue."""

    def __init__(self, ctx: Context, model: OrderTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueFilters")
        self._ctx = ctx
        self._model = model
        self.model_choice = QComboBox(self)
        self.model_choice.setObjectName("queueModelFilter")
        self.model_choice.addItem(self.tr("All models"), None)
        LatestRead(self, self._add_models).run(lambda: list(model_choices(ctx)))  # read worker
        self.sender = QLineEdit(self)
        self.sender.setObjectName("queueSenderFilter")
        self.sender.setPlaceholderText(self.tr("Sender, phone, order no. or serial"))
        self.sender.setClearButtonEnabled(True)
        self.age = QComboBox(self)
        self.age.setObjectName("queueAgeFilter")
        labels = (
            self.tr("any age"),
            self.tr("older than 1 day"),
            self.tr("older than 3 days"),
            self.tr("older than 7 days"),
        )
        for label, (_source, age) in zip(labels, AGE_CHOICES, strict=True):
            self.age.addItem(label, age)
        self.warranty = QComboBox(self)
        self.warranty.setObjectName("queueWarrantyFilter")
        self.warranty.addItem(self.tr("In and out of warranty"), None)
        self.warranty.addItem(self.tr("In warranty"), True)
        self.warranty.addItem(self.tr("Out of warranty"), False)
        self.repeat = QCheckBox(self.tr("Repeat repairs only"), self)
        self.repeat.setObjectName("queueRepeatFilter")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.model_choice, self.sender, self.age, self.warranty, self.repeat):
            layout.addWidget(widget)
        self.model_choice.currentIndexChanged.connect(self.apply)
        self.sender.editingFinished.connect(self.apply)
        self.age.currentIndexChanged.connect(self.apply)
        self.warranty.currentIndexChanged.connect(self.apply)
        self.repeat.toggled.connect(self.apply)

    def _add_models(self, choices: list[tuple[int, str]]) -> None:
        self.model_choice.blockSignals(True)  # "All models" stays chosen: nothing to re-query
        for model_id, name in choices:
            self.model_choice.addItem(name, model_id)
        self.model_choice.blockSignals(False)

    def current(self) -> OrderFilter:
        age = self.age.currentData()
        return OrderFilter(
            states=QUEUE,
            text=self.sender.text().strip(),
            model_id=self.model_choice.currentData(),
            in_warranty=self.warranty.currentData(),
            repeat_only=self.repeat.isChecked(),
            received_before=self._ctx.now() - age if age is not None else None,
        )

    def apply(self) -> None:
        wanted = self.current()
        if wanted != self._model.where:
            self._model.set_filter(wanted)
