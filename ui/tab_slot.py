"""A tab's place in the main window until it is first shown.

Start-up builds one light ``TabSlot`` per tab the person may see; the tab's module is imported,
and the tab built (its lists queried), only when the slot is first shown or its page asked for.
The slot carries the tab's objectName, as does the tab inside it, so ``show_tab("qcTab")``
and ``findChild(QcTab, "qcTab")`` (once built) keep working.

Shown, a floor tab is built stepwise (ui/widgets/build_steps.py): its scan field at once, its
heavier parts one per turn of the event loop after. ``page()`` gives the whole tab (what is left
is built then); ``built`` is emitted once the tab is whole.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from ui.ops import hold_results_for_this_turn
from ui.widgets.build_steps import BuildSteps, stepwise


class FloorTabs(QTabWidget):
    """The window's tabs. A text set anywhere on a tab (a scan's result, a heading) asks every
    layout up to here to lay out again, whatever changed; ``QTabWidget`` answers each request by
    placing its bar and pages again and repainting the whole window. Here a request is taken only
    when the bar's or the pages' size hints changed: otherwise nothing would move, and only the
    widget that changed repaints itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placed_for: tuple[Any, ...] | None = None

    def _hints(self) -> tuple[Any, ...]:
        bar = self.tabBar()
        hints: list[Any] = [bar.isVisibleTo(self), bar.sizeHint(), bar.minimumSizeHint()]
        stack = self.findChild(QStackedWidget)
        if stack is not None:
            hints += [stack.sizeHint(), stack.minimumSizeHint(), stack.minimumSize()]
            hints += [stack.maximumSize()]
        return tuple(hints)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            hints = self._hints()
            if hints == self._placed_for:
                return True  # nothing to place again
            self._placed_for = hints
        return super().event(event)


class TabSlot(QWidget):
    """Holds the real tab, built by ``factory()`` when the slot is first shown."""

    built = Signal(QWidget)  # the real tab, once, when it is whole (its last part built)

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
        """The tab is made (its scan field at least: parts may still wait, ``page()``)."""
        return self._page is not None

    def page(self) -> QWidget:
        """The whole tab: made now if it was not yet, its parts still waiting built now."""
        page = self._start()
        steps = _steps(page)
        if steps is not None:
            steps.finish()
        return page

    def _start(self) -> QWidget:
        """The tab, made stepwise if it was not yet: its parts follow in later turns."""
        if self._page is None:
            with stepwise():
                page = self._factory()
            hold_results_for_this_turn()  # the tab's first layout and paint first
            if page.objectName() != self.objectName():
                raise ValueError(f"{page.objectName()!r} built for the slot {self.objectName()!r}")
            self._page = page
            self.layout().addWidget(page)
            if self.isVisible():  # a layout shows a new child only later, queued: show it now
                page.show()
            steps = _steps(page)
            if steps is not None and steps.pending:
                steps.finished.connect(lambda: self.built.emit(page))
                steps.start()
            else:
                self.built.emit(page)
        return self._page

    def showEvent(self, event: QShowEvent) -> None:
        self._start()
        super().showEvent(event)


def _steps(page: QWidget) -> BuildSteps | None:
    steps = getattr(page, "building", None)
    return steps if isinstance(steps, BuildSteps) else None


def tab_factory(module: str, class_name: str, *args: object) -> Callable[[], QWidget]:
    """Import ``module`` and build ``class_name(*args)``, when called (not before)."""

    def build() -> QWidget:
        page: QWidget = getattr(importlib.import_module(module), class_name)(*args)
        return page

    return build
