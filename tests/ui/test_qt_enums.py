"""Qt's enum types are made ahead in idle turns of the UI thread, a few classes per turn
(ui/qt_enums.py), not in the turn of a tab's first show."""

from __future__ import annotations

from PySide6 import QtWidgets

from ui import qt_enums
from ui.qt_enums import EnumWarmUp, qt_class_names


def test_the_qt_classes_are_listed_from_the_modules_imported() -> None:
    names = qt_class_names()
    assert ("PySide6.QtWidgets", "QStyle") in names and ("PySide6.QtGui", "QGradient") in names
    assert qt_class_names(["no.such.module"]) == []


def test_the_enums_are_made_a_few_classes_per_turn_then_the_warm_up_ends(
    qtbot, monkeypatch
) -> None:
    made: list[tuple[str, str]] = []  # by this warm-up (an earlier window's may still run)
    monkeypatch.setattr(qt_enums, "TURN_BUDGET_MS", 0.0)  # one class per turn
    names = [
        ("PySide6.QtWidgets", "QStyle"),
        ("PySide6.QtGui", "QGradient"),
        ("PySide6.QtWidgets", "QAbstractItemView"),
    ]
    warm_up = EnumWarmUp(None, names, make=lambda *name: made.append(name))
    assert made == []  # none in the turn that started it
    qtbot.waitUntil(lambda: warm_up.done, timeout=5000)
    assert made == names and warm_up.turns == 3


def test_making_a_class_s_enums_gives_them_their_members() -> None:
    qt_enums.make_enums("PySide6.QtWidgets", "QStyle")
    assert QtWidgets.QStyle.PixelMetric.PM_ButtonMargin.name == "PM_ButtonMargin"
