"""The dispatcher's basket: order labels scanned so far, waiting for a technician's badge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.allocation.dispatch import QueueItem
from ui.widgets.shortcuts import routine


class Basket(QWidget):
    """The orders scanned so far, waiting for a technician's badge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allocationBasket")
        self.items: list[QueueItem] = []
        self.heading = QLabel(self)
        self.heading.setObjectName("basketHeading")
        self.heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        self.list = QListWidget(self)
        self.list.setObjectName("basketList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button = QPushButton(self.tr("Empty the basket"), self)
        routine(self.clear_button, "F9")
        self.clear_button.setObjectName("clearBasketButton")
        self.clear_button.clicked.connect(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.clear_button)
        self._update()

    def add(self, item: QueueItem) -> bool:
        if any(held.id == item.id for held in self.items):
            return False
        self.items.append(item)
        self.list.addItem(f"{item.order_no} · {item.serial} · {item.model_name}")
        self._update()
        return True

    def ids(self) -> list[int]:
        return [item.id for item in self.items]

    def clear(self) -> None:
        self.items.clear()
        self.list.clear()
        self._update()

    def _update(self) -> None:
        self.heading.setText(self.tr("To allocate: {count}").format(count=len(self.items)))
        self.clear_button.setEnabled(bool(self.items))
