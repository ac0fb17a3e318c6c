"""A tab built in steps (ui/widgets/build_steps.py): its parts one per turn of the event loop
when built stepwise (a tab slot's first show), at once otherwise."""

from __future__ import annotations

from event_turns import Turns
from PySide6.QtCore import QObject

from ui.ops import ops_in_flight
from ui.widgets.build_steps import BuildSteps, stepwise


def test_built_stepwise_each_part_comes_in_its_own_turn_of_the_event_loop(qtbot) -> None:
    owner = QObject()
    turns = Turns()
    built_at: list[int] = []
    with stepwise():
        steps = BuildSteps(owner)
    for _ in range(3):
        steps.add(lambda: built_at.append(turns.count))
    assert built_at == [] and steps.pending == 3
    assert ops_in_flight() >= 1  # tests and the floor benchmark wait for the tab to be whole
    whole: list[bool] = []
    steps.finished.connect(lambda: whole.append(True))
    steps.start()
    assert built_at == []  # not in the turn that showed the tab
    qtbot.waitUntil(lambda: bool(whole), timeout=5000)
    assert len(built_at) == 3 and steps.pending == 0 and whole == [True]
    assert built_at[0] < built_at[1] < built_at[2]  # the event loop ran between the parts
    assert ops_in_flight() == 0
    turns.timer.stop()


def test_finish_builds_what_is_left_at_once_and_says_whole_once(qtbot) -> None:
    owner = QObject()
    built: list[int] = []
    with stepwise():
        steps = BuildSteps(owner)
    whole: list[bool] = []
    steps.finished.connect(lambda: whole.append(True))
    steps.add(lambda: (built.append(1), steps.finish()))  # a part that needs the rest (a scan)
    steps.add(lambda: built.append(2))
    steps.add(lambda: built.append(3))
    steps.start()
    qtbot.waitUntil(lambda: bool(whole), timeout=5000)
    assert built == [1, 2, 3]
    qtbot.wait(30)
    assert whole == [True] and built == [1, 2, 3]


def test_built_outside_a_tab_slot_the_parts_are_built_at_once() -> None:
    owner = QObject()
    built: list[int] = []
    steps = BuildSteps(owner)
    steps.add(lambda: built.append(1))
    assert built == [1] and steps.pending == 0
