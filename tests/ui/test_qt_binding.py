"""The Qt binding must not leak references: PySide6 6.12.0 on Python 3.11 took one reference
from None on each void call, and the application aborted after a few thousand calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_leave_the_reference_count_of_none_alone(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(2_000):
        label.setText(str(number))
        label.setVisible(False)
    assert abs(sys.getrefcount(None) - before) < 100
