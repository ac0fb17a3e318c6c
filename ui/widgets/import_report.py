"""How every Excel import (parts master, catalogues, sales register) is shown, one way: the
preview dialog before applying, and the line that says what was imported afterwards."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.importing import ChangeKind, ImportReport, RowChange
from ui.i18n import tr_app
from ui.widgets.feedback import MessageLine, Outcome

MAX_LINES_SHOWN = 500  # a sales register has tens of thousands of rows: the first ones tell enough


def report_lines(report: ImportReport) -> list[str]:
    """The refused rows with their reasons, then what each row adds, changes or removes."""
    lines = [
        QCoreApplication.translate("ImportReportDialog", "Row {row}: {reason}").format(
            row=bad.row, reason=bad.message(tr_app)
        )
        for bad in report.refused
    ]
    lines += [_change_line(change) for change in report.changes]
    if len(lines) > MAX_LINES_SHOWN:
        more = len(lines) - MAX_LINES_SHOWN
        lines = lines[:MAX_LINES_SHOWN] + [
            QCoreApplication.translate("ImportReportDialog", "… and {count} more.").format(
                count=more
            )
        ]
    return lines


def _change_line(change: RowChange) -> str:
    if change.kind is ChangeKind.ADD:
        return QCoreApplication.translate("ImportReportDialog", "Row {row}: add {key}").format(
            row=change.row, key=change.key
        )
    if change.kind is ChangeKind.REMOVE:
        return QCoreApplication.translate("ImportReportDialog", "Remove {key}").format(
            key=change.key
        )
    changes = "; ".join(
        f"{name}: {change.before.get(name)} → {value}" for name, value in change.after.items()
    )
    return QCoreApplication.translate(
        "ImportReportDialog", "Row {row}: change {key} ({changes})"
    ).format(row=change.row, key=change.key, changes=changes)


def import_outcome(report: ImportReport) -> tuple[Outcome, str]:
    """What the floor is told once an import has run (or was refused after all)."""
    if not report.applied:
        return Outcome.ERROR, QCoreApplication.translate(
            "ImportReportDialog", "Nothing was imported: {count} refused row(s)."
        ).format(count=len(report.refused))
    return Outcome.OK, QCoreApplication.translate(
        "ImportReportDialog", "Imported: {added} added, {updated} changed, {removed} removed."
    ).format(added=report.added, updated=report.updated, removed=report.removed)


class ImportReportDialog(QDialog):
    """What an import will do, or why it cannot: Apply (accept) only when no row is refused and
    the file changes something. The caller applies the file when the dialog is accepted."""

    def __init__(self, title: str, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReportDialog")
        self.setWindowTitle(title)
        self.report = report
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.message = MessageLine(self)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("importApplyButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self.summary.setText(
            self.tr(
                "{added} to add, {updated} to change, {removed} to remove, {unchanged} unchanged."
            ).format(
                added=report.added,
                updated=report.updated,
                removed=report.removed,
                unchanged=report.unchanged,
            )
        )
        lines = report_lines(report)
        self.details.setPlainText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.apply_button.setEnabled(report.ok and report.changes_anything)
        if not report.ok:
            self.message.show_message(
                Outcome.ERROR,
                self.tr(
                    "{count} refused row(s): nothing will be imported until they are fixed."
                ).format(count=len(report.refused)),
            )

    def apply(self) -> None:
        """The Apply button (tests call it)."""
        self.apply_button.click()
