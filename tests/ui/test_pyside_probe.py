"""PySide6's import hook answers from the file's bytes what it answered from inspect.getsource
(ui/pyside_probe.py)."""

from __future__ import annotations

import inspect
import sys

import pytest

import app.models.orders
import ui.main_window
import ui.tab_slot
from ui import pyside_probe


def _pyside_own_way(module) -> bool:  # noqa: ANN001 - PySide6's question, asked its way
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def test_the_probe_of_this_pyside6_is_replaced() -> None:
    feature = sys.modules[pyside_probe.FEATURE_MODULE]
    probe = getattr(feature, pyside_probe.PROBE)
    assert getattr(probe, "from_bytes", False)
    assert pyside_probe.install() is False  # once is enough


@pytest.mark.parametrize(
    "module", [ui.main_window, ui.tab_slot, app.models.orders, pytest, sys, inspect]
)
def test_it_answers_as_pyside6_would(module) -> None:  # noqa: ANN001
    probe = getattr(sys.modules[pyside_probe.FEATURE_MODULE], pyside_probe.PROBE)
    assert probe(module) == _pyside_own_way(module)


def test_a_window_module_names_pyside6_and_a_core_module_does_not() -> None:
    probe = getattr(sys.modules[pyside_probe.FEATURE_MODULE], pyside_probe.PROBE)
    assert probe(ui.tab_slot) is True
    assert probe(app.models.orders) is False
