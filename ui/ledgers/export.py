"""The export panel of the ledgers tab: choose ledgers and a date range, export off the UI thread
with a cancellable progress dialog, then open the folder."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, QRunnable, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import data_dir
from app.context import Context
from app.errors import DomainError
from app.ledgers.export import ALL_KEYS, KPI_KEY, ExportCancelled, export_ledgers
from app.ledgers.sheets import LEDGERS
from ui.i18n import domain_message


def ledger_title(key: str) -> str:
    return (
        "月度KPI" if key == KPI_KEY else LEDGERS[key].title
    )  # the workbooks' own (Chinese) titles


class ExportJob(QObject):
    """Runs ``export_ledgers`` on the thread pool; signals arrive queued in the UI thread."""

    progress = Signal(str, int)
    done = Signal(list)
    failed = Signal(object)

    def __init__(
        self, ctx: Context, first: date, last: date, out_dir: Path, keys: list[str]
    ) -> None:
        super().__init__()
        self.ctx, self.first, self.last, self.out_dir, self.keys = ctx, first, last, out_dir, keys
        self.cancel_requested = threading.Event()

    def run(self) -> None:
        try:
            paths = export_ledgers(
                self.ctx,
                self.first,
                self.last,
                self.out_dir,
                self.keys,
                progress=lambda key, rows: self.progress.emit(key, rows),
                cancelled=self.cancel_requested.is_set,
            )
        except BaseException as error:  # delivered to the UI thread
            self.failed.emit(error)
        else:
            self.done.emit(paths)

    def start(self) -> None:
        job = self

        class Runner(QRunnable):
            def run(self) -> None:
                job.run()

        QThreadPool.globalInstance().start(Runner())


class ExportPanel(QGroupBox):
    finished = Signal(list)  # the files written

    def __init__(self, ctx: Context, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Export ledgers to Excel"))
        self.setObjectName("exportPanel")
        self.ctx = ctx
        self.job: ExportJob | None = None
        self.progress: QProgressDialog | None = None
        self.first = QDateEdit(QDate(today.year, today.month, 1), self)
        self.last = QDateEdit(QDate(today.year, today.month, today.day), self)
        for editor, name in ((self.first, "exportFrom"), (self.last, "exportTo")):
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            editor.setObjectName(name)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for index, key in enumerate(ALL_KEYS):
            box = QCheckBox(ledger_title(key), self)
            box.setObjectName(f"ledger_{key}")
            box.setChecked(True)
            self.boxes[key] = box
            grid.addWidget(box, index // 2, index % 2)
        self.folder = QLineEdit(str(data_dir() / "exports"), self)
        self.folder.setObjectName("exportFolder")
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._choose_folder)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.start_export)
        self.open_button = QPushButton(self.tr("Open folder"), self)
        self.open_button.setObjectName("openFolderButton")
        self.open_button.clicked.connect(self.open_folder)
        self.status = QLabel(self)
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.first)
        dates.addWidget(QLabel("—", self))
        dates.addWidget(self.last)
        form.addRow(self.tr("Period"), dates)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form.addRow(self.tr("Folder"), folder_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def chosen_keys(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def open_folder(self) -> None:
        folder = Path(self.folder.text())
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def start_export(self) -> None:
        keys = self.chosen_keys()
        if not keys:
            self.status.setText(self.tr("Tick at least one ledger."))
            return
        first, last = self.first.date().toPython(), self.last.date().toPython()
        self.job = ExportJob(self.ctx, first, last, Path(self.folder.text()), keys)
        self.job.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.job.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self.job.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.progress = QProgressDialog(
            self.tr("Exporting…"), self.tr("Cancel"), 0, len(keys), self
        )
        self.progress.setObjectName("exportProgress")
        # Not modal: a modal progress dialog runs the event loop inside setValue(), where the
        # queued 'done' could close and delete the dialog under its own call (a crash seen under
        # load). The export button stays disabled until the job ends; the rest of the window works.
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(600)  # fast exports never flash a dialog
        self.progress.canceled.connect(self.job.cancel_requested.set)
        self.export_button.setEnabled(False)
        self._finished_ledgers = 0
        self.job.start()

    @Slot(str, int)
    def _on_progress(self, key: str, rows: int) -> None:
        if self.progress is None:
            return
        if rows < 0:
            self._finished_ledgers += 1
            self.progress.setValue(self._finished_ledgers)
        else:
            self.progress.setLabelText(
                self.tr("{ledger}: {rows} rows").format(ledger=ledger_title(key), rows=rows)
            )

    def _close_progress(self) -> None:
        self.export_button.setEnabled(True)
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    @Slot(list)
    def _on_done(self, paths: list[Path]) -> None:
        self._close_progress()
        self.status.setText(
            self.tr("{count} workbooks written to {folder}").format(
                count=len(paths), folder=self.folder.text()
            )
        )
        self.finished.emit(paths)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, ExportCancelled):
            self.status.setText(
                self.tr("Export cancelled: the ledgers finished before it are kept.")
            )
        elif isinstance(error, DomainError):
            self.status.setText(domain_message(error))
        else:
            raise error
