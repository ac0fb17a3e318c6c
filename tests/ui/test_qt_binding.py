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


def test_the_shipped_cjk_font_loads_into_qt_so_a_bare_pc_shows_chinese(qapp) -> None:
    from PySide6.QtGui import QFontDatabase

    from app.config import shipped_fonts_dir

    (path,) = sorted(shipped_fonts_dir().glob("*.ttc"))
    font_id = QFontDatabase.addApplicationFont(str(path))
    assert font_id != -1
    assert "WenQuanYi Micro Hei" in QFontDatabase.applicationFontFamilies(font_id)
