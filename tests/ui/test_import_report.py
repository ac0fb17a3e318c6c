"""The one way an Excel import is shown: the preview dialog and the line after applying."""

from __future__ import annotations

import pytest

from app.errors import N_
from app.importing import ChangeKind, ImportReport
from ui.i18n import install_translators
from ui.widgets.feedback import Outcome
from ui.widgets.import_report import MAX_LINES_SHOWN, ImportReportDialog, import_outcome


@pytest.fixture(autouse=True)
def english(qapp) -> None:
    install_translators("en")  # an earlier test may have left Chinese in


def test_refused_rows_are_listed_with_their_reasons_and_apply_is_off(qtbot) -> None:
    report = ImportReport()
    for row in range(2, MAX_LINES_SHOWN + 102):
        report.refuse(row, N_("Unknown model(s): {models}."), models="Z7")
    dialog = ImportReportDialog("parts", report)
    qtbot.addWidget(dialog)
    lines = dialog.details.toPlainText().splitlines()
    assert lines[0] == "Row 2: Unknown model(s): Z7."
    assert len(lines) == MAX_LINES_SHOWN + 1 and "100" in lines[-1]
    assert not dialog.apply_button.isEnabled()
    assert import_outcome(report)[0] is Outcome.ERROR


def test_a_clean_file_lists_its_changes_and_applies_only_if_it_changes_something(qtbot) -> None:
    report = ImportReport(unchanged=3)
    dialog = ImportReportDialog("catalogue", report)
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()  # nothing to do
    report.note(ChangeKind.ADD, "F02", 3)
    report.note(ChangeKind.CHANGE, "F01", 2, {"name": "旧"}, {"name": "新"})
    report.note(ChangeKind.REMOVE, "F09")
    dialog = ImportReportDialog("catalogue", report)
    qtbot.addWidget(dialog)
    assert dialog.apply_button.isEnabled()
    assert "1 to add, 1 to change, 1 to remove, 3 unchanged" in dialog.summary.text()
    assert dialog.details.toPlainText().splitlines() == [
        "Row 3: add F02",
        "Row 2: change F01 (name: 旧 → 新)",
        "Remove F09",
    ]
    report.applied = True
    outcome, text = import_outcome(report)
    assert outcome is Outcome.OK and "1 added, 1 changed, 1 removed" in text
