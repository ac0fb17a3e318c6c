"""Results of work done off the UI thread are shown one per turn of the event loop, in the order
they came (ui/ops.py ``_Desk``): the lists of a tab read side by side are not all reset, fitted
and painted in one turn, nor with the part of the tab built in that turn."""

from __future__ import annotations

import time

from event_turns import Turns
from PySide6.QtWidgets import QApplication

from ui.ops import FloorOp, hold_results_for_this_turn, ops_in_flight


def test_results_that_come_together_are_shown_one_per_turn_in_their_order(qtbot) -> None:
    shown: list[tuple[int, int]] = []
    turns = Turns()
    for number in range(4):
        op = FloorOp(None, lambda number=number: number)  # one worker: they end in this order
        op.success(lambda value: shown.append((value, turns.count)))
        op.run_in_background()
    time.sleep(0.3)  # the UI thread busy meanwhile: the four results wait together
    qtbot.waitUntil(lambda: len(shown) == 4, timeout=5000)
    assert [value for value, _turn in shown] == [0, 1, 2, 3]
    at = [turn for _value, turn in shown]
    assert at == sorted(set(at))  # each in a turn of its own
    turns.timer.stop()


def test_a_result_waits_for_the_next_turn_after_a_part_of_a_tab_was_built(qtbot) -> None:
    shown: list[int] = []
    op = FloorOp(None, lambda: 1)
    op.success(shown.append)
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)  # alone: shown as soon as it came
    op = FloorOp(None, lambda: 2)
    op.success(shown.append)
    op.run_in_background()
    time.sleep(0.2)  # done on the worker, its result waiting for the UI thread
    hold_results_for_this_turn()  # a part of a tab was built in this turn
    QApplication.sendPostedEvents()  # the result came in this turn: it waits
    assert shown == [1]
    qtbot.waitUntil(lambda: shown == [1, 2], timeout=5000)
    assert ops_in_flight() == 0
