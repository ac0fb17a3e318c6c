"""A tab's place in the main window until it is first shown.

Start-up builds one light ``TabSlot`` per tab the person may see; the tab's module is imported,
and the tab built (its lists queried), only when the slot is first shown or its page asked for.
The slot carries the tab's objectName, as does the tab inside it, so ``show_tab("qcTab")``
and ``findChild(QcTab, "qcTab")`` (once built) keep working.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class TabSlot(QWidget):
    """Holds the real tab, built by ``factory()`` when the slot is first shown."""

    built = Signal(QWidget)  # the real tab, once, right after it is built

    def __init__(
        self, object_name: str, factory: Callable[[], QWidget], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._factory = factory
        self._page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._page is not None

    def page(self) -> QWidget:
        """The real tab, built now if it was not yet."""
        if self._page is None:
            page = self._factory()
            if page.objectName() != self.objectName():
                raise ValueError(f"{page.objectName()!r} built for the slot {self.objectName()!r}")
            self._page = page
            self.layout().addWidget(page)
            if self.isVisible():  # a layout shows a new child only later, queued: show it now
                page.show()
            self.built.emit(page)
        return self._page

    def showEvent(self, event: QShowEvent) -> None:
        self.page()
        super().showEvent(event)


def tab_factory(module: str, class_name: str, *args: object) -> Callable[[], QWidget]:
    """Import ``module`` and build ``class_name(*args)``, when called (not before)."""

    def build() -> QWidget:
        page: QWidget = getattr(importlib.import_module(module), class_name)(*args)
        return page

    return build
