"""The calendar page's one action: fill a year's holidays and make-up working days from the
chinesecalendar package (app.admin.holiday_calendar), and the warning when a year is missing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from app.admin.holiday_calendar import CalendarGap, FillReport, calendar_gaps, fill_year
from app.context import Context
from app.errors import DomainError
from ui.ops import BackgroundOp
from ui.widgets.feedback import Outcome


class CalendarFillBar(QWidget):
    """Year, "Fill from the official calendar", and what the calendar still lacks."""

    def __init__(
        self,
        ctx: Context,
        report: Callable[[Outcome, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarFillBar")
        self.ctx = ctx
        self.report = report
        today = ctx.now().date()
        self.year = QSpinBox(self)
        self.year.setObjectName("calendarYear")
        self.year.setRange(2004, today.year + 5)
        self.year.setValue(today.year)
        self.fill_button = QPushButton(self.tr("Fill the year from the official calendar"), self)
        self.fill_button.setObjectName("fillCalendarButton")
        self.fill_button.setToolTip(
            self.tr(
                "Public holidays and make-up working days (调休), from the chinesecalendar package"
            )
        )
        self.fill_button.clicked.connect(self.fill)
        self.warning = QLabel(self)
        self.warning.setObjectName("calendarWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.year)
        layout.addWidget(self.fill_button)
        layout.addWidget(self.warning, 1)

    def refresh(self) -> None:
        ctx = self.ctx
        today: date = ctx.now().date()
        BackgroundOp(self, lambda: calendar_gaps(ctx, today)).success(
            self._show_gaps
        ).run_in_background()

    def _show_gaps(self, gaps: list[CalendarGap]) -> None:
        lines = []
        for gap in gaps:
            if gap.package_knows:
                lines.append(
                    self.tr(
                        "{year} has no holidays yet: fill it from the official calendar."
                    ).format(year=gap.year)
                )
            else:
                lines.append(
                    self.tr(
                        "{year} has no holidays yet and the chinesecalendar package does not "
                        "know it: update the package or enter the days by hand."
                    ).format(year=gap.year)
                )
        if gaps:
            self.year.setValue(gaps[0].year)
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))

    def fill(self) -> None:
        ctx, year = self.ctx, self.year.value()
        BackgroundOp(self, lambda: fill_year(ctx, year)).success(self._filled).failure(
            self._refused
        ).run_in_background()

    def _filled(self, done: FillReport) -> None:
        self.report(
            Outcome.OK,
            self.tr(
                "{year}: {holidays} holidays and {workdays} make-up working days "
                "({added} added, {changed} changed, {removed} removed)."
            ).format(
                year=done.year,
                holidays=done.holidays,
                workdays=done.workdays,
                added=done.added,
                changed=done.changed,
                removed=done.removed,
            ),
        )
        self.refresh()

    def _refused(self, error: DomainError) -> None:
        from ui.i18n import domain_message

        self.report(Outcome.ERROR, domain_message(error))
