"""The step bar of the handling page: 联系 → 核实 → 方案待批 → 客户选择 → 道歉信 → 回访, the steps done
ticked, only the reachable step's button enabled, what to do now (or whom the agent waits for),
and the first-contact countdown. The rule is :func:`app.complaints.steps.complaint_progress`;
this widget only shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.complaints.steps import STEP_LABELS, STEPS, ComplaintProgress, ComplaintStep
from ui.i18n import tr_app

_CURRENT = "QPushButton { font-weight: bold; background: #1f5fa8; color: white; padding: 4px; }"
_DONE = "QPushButton { color: #2e7d32; }"
_LATE = "QLabel { color: white; background: #b3261e; font-size: 16px; font-weight: bold; }"
_SOON = "QLabel { color: #7a4b00; background: #ffe0a3; font-size: 16px; font-weight: bold; }"
_IN_TIME = "QLabel { font-size: 16px; font-weight: bold; }"
_SOON_SECONDS = 180


def countdown_text(seconds: int) -> str:
    """``m:ss`` of a span of seconds, a minus sign when late."""
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


class StepBar(QWidget):
    step_pressed = Signal(str)  # the ComplaintStep value

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintStepBar")
        self.now = now
        self.progress: ComplaintProgress | None = None
        self.buttons: dict[ComplaintStep, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for index, step in enumerate(STEPS):
            if index:
                row.addWidget(QLabel("→", self))
            button = QPushButton(self)
            button.setObjectName(f"complaintStep_{step.value}")
            button.clicked.connect(lambda _=False, s=step: self.step_pressed.emit(s.value))
            row.addWidget(button)
            self.buttons[step] = button
        row.addStretch(1)
        self.hint = QLabel(self)
        self.hint.setObjectName("complaintStepHint")
        self.hint.setWordWrap(True)
        self.countdown = QLabel(self)
        self.countdown.setObjectName("firstContactCountdown")
        self.countdown.setAccessibleName(self.tr("First contact countdown"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.countdown)
        layout.addWidget(self.hint)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.show_progress(None)

    def show_progress(self, progress: ComplaintProgress | None) -> None:
        self.progress = progress
        for step, button in self.buttons.items():
            done = progress is not None and step in progress.done
            current = progress is not None and progress.current is step
            label = tr_app(STEP_LABELS[step])
            button.setText(f"✓ {label}" if done else label)
            button.setEnabled(progress is not None and progress.can_press(step))
            button.setStyleSheet(_CURRENT if current else _DONE if done else "")
        if progress is None:
            self.hint.clear()
        else:
            self.hint.setText(tr_app(progress.hint).format(**progress.hint_params))
        if progress is not None and progress.first_contact_due is not None:
            self.timer.start()
        else:
            self.timer.stop()
        self.tick()

    def tick(self) -> None:
        left = None if self.progress is None else self.progress.first_contact_left(self.now())
        self.countdown.setVisible(left is not None)
        if left is None:
            return
        seconds = int(left.total_seconds())
        if seconds < 0:
            text = self.tr("First contact late by {time}").format(time=countdown_text(-seconds))
            style = _LATE
        else:
            text = self.tr("First contact within {time}").format(time=countdown_text(seconds))
            style = _SOON if seconds <= _SOON_SECONDS else _IN_TIME
        self.countdown.setText(text)
        self.countdown.setStyleSheet(style)
