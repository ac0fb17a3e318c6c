"""The unit view: every order of a serial (and of the serials swapped from or to it) on the left,
the chosen order's timeline, photos, parts used and complaints on the right.

Opened from the tool bar's search (a serial or IMEI typed or scanned) and from an order's
timeline. The view loads off the UI thread (one call, :func:`app.search.unit_view.unit_view`);
a photo's full picture loads when its thumbnail is double-clicked.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.receiving.photos import photo_picture
from app.search.unit_view import UnitView, UnitVisit, unit_view
from ui.i18n import format_time, state_label, tr_app
from ui.ops import BackgroundOp

THUMBNAIL = QSize(160, 160)


def open_unit_view(ctx: Context, serial: str, parent: QWidget | None = None) -> UnitViewDialog:
    dialog = UnitViewDialog(ctx, serial, parent)
    dialog.show()
    return dialog


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    table.resizeColumnsToContents()


class UnitViewDialog(QDialog):
    """One unit's whole story; opened with ``show()``, never ``exec()``."""

    def __init__(self, ctx: Context, serial: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitViewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.view: UnitView | None = None
        self.setWindowTitle(self.tr("Unit {serial}").format(serial=serial))
        self.header = QLabel(self.tr("Loading…"), self)
        self.header.setObjectName("unitViewHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.visits = QListWidget(self)
        self.visits.setObjectName("unitVisits")
        self.visits.currentRowChanged.connect(self._show_visit)
        self.summary = QLabel(self)
        self.summary.setObjectName("unitVisitSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.events = _table(
            self,
            "unitEvents",
            [self.tr("When"), self.tr("What"), self.tr("Who / station"), self.tr("Detail")],
        )
        self.photos = QListWidget(self)
        self.photos.setObjectName("unitPhotos")
        self.photos.setViewMode(QListWidget.ViewMode.IconMode)
        self.photos.setIconSize(THUMBNAIL)
        self.photos.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.photos.itemActivated.connect(self._open_photo)
        self.parts = _table(self, "unitParts", [self.tr("Part"), self.tr("Qty"), self.tr("Name")])
        self.complaints = _table(
            self,
            "unitComplaints",
            [self.tr("Complaint"), self.tr("Received"), self.tr("Grade"), self.tr("Status"),
             self.tr("Description")],
        )  # fmt: skip
        self.tabs.addTab(self.events, self.tr("Timeline"))
        self.tabs.addTab(self.photos, self.tr("Photos"))
        self.tabs.addTab(self.parts, self.tr("Parts used"))
        self.tabs.addTab(self.complaints, self.tr("Complaints"))
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.visits)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1100, 640)
        BackgroundOp(self, lambda: unit_view(ctx, serial)).success(self._show).run_in_background()

    def _show(self, view: UnitView | None) -> None:
        self.view = view
        if view is None:
            self.header.setText(self.tr("No unit has this serial."))
            return
        lines = [self.tr("{count} order(s) of this unit").format(count=len(view.visits))]
        if len(view.serials) > 1:
            lines.append(
                self.tr("Serials of this unit (swaps): {serials}").format(
                    serials=", ".join(view.serials)
                )
            )
        self.header.setText("\n".join(lines))
        self.visits.clear()
        for visit in view.visits:
            marks = []
            if visit.is_repeat:
                marks.append(self.tr("repeat"))
            if visit.complaints:
                marks.append(self.tr("complaint"))
            if visit.photos:
                marks.append(self.tr("{count} photo(s)").format(count=len(visit.photos)))
            self.visits.addItem(
                f"{visit.order_no}  {format_time(visit.received_at)}\n"
                f"{visit.serial} · {state_label(visit.state)}"
                + (f" · {' · '.join(marks)}" if marks else "")
            )
        if view.visits:
            self.visits.setCurrentRow(0)

    def _show_visit(self, row: int) -> None:
        if self.view is None or not 0 <= row < len(self.view.visits):
            return
        visit = self.view.visits[row]
        self.summary.setText(self._summary(visit))
        _fill(
            self.events,
            [
                (
                    format_time(event.at),
                    event.label(tr_app),
                    " / ".join(part for part in (event.who, event.station) if part),
                    event.detail(tr_app),
                )
                for event in visit.events
            ],
        )
        self.photos.clear()
        for photo in visit.photos:
            pixmap = QPixmap()
            pixmap.loadFromData(photo.thumbnail)
            item = QListWidgetItem(
                QIcon(pixmap), f"{format_time(photo.added_at)}\n{photo.caption or photo.added_by}"
            )
            item.setData(Qt.ItemDataRole.UserRole, photo.photo_id)
            item.setToolTip(f"{photo.added_by} / {photo.station} · {photo.byte_size // 1024} KB")
            self.photos.addItem(item)
        _fill(self.parts, [(p.part_no, str(p.quantity), p.name) for p in visit.parts])
        _fill(
            self.complaints,
            [
                (c.complaint_no, format_time(c.received_at), c.grade, tr_app(c.status),
                 c.description)
                for c in visit.complaints
            ],
        )  # fmt: skip
        for index, count in (
            (1, len(visit.photos)),
            (2, len(visit.parts)),
            (3, len(visit.complaints)),
        ):
            title = (self.tr("Photos"), self.tr("Parts used"), self.tr("Complaints"))[index - 1]
            self.tabs.setTabText(index, f"{title} ({count})")

    def _summary(self, visit: UnitVisit) -> str:
        lines = [
            self.tr("Order {order_no}, {state}: {model}, serial {serial}").format(
                order_no=visit.order_no,
                state=state_label(visit.state),
                model=visit.model,
                serial=visit.serial,
            ),
            self.tr("Customer {customer}, phone {phone}").format(
                customer=visit.customer, phone=visit.phone
            ),
            self.tr("Received {received}, shipped {shipped}; fault: {fault}").format(
                received=format_time(visit.received_at),
                shipped=format_time(visit.shipped_at) or "-",
                fault=visit.fault_description or "-",
            ),
        ]
        if visit.old_serials:
            lines.append(
                self.tr("Swapped out: {serials}").format(serials=", ".join(visit.old_serials))
            )
        return "\n".join(lines)

    def _open_photo(self, item: QListWidgetItem) -> None:
        photo_id = item.data(Qt.ItemDataRole.UserRole)
        ctx = self.ctx
        BackgroundOp(self, lambda: photo_picture(ctx, photo_id)).success(
            lambda picture: self._show_picture(picture[1], item.text())
        ).run_in_background()

    def _show_picture(self, data: bytes, title: str) -> None:
        dialog = QDialog(self)
        dialog.setObjectName("unitPhotoDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(title.replace("\n", " "))
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        picture = QLabel(dialog)
        picture.setObjectName("unitPhotoPicture")
        picture.setPixmap(pixmap)
        scroll = QScrollArea(dialog)
        scroll.setWidget(picture)
        layout = QVBoxLayout(dialog)
        layout.addWidget(scroll)
        dialog.resize(min(pixmap.width() + 40, 1200), min(pixmap.height() + 40, 800))
        dialog.show()
        self.picture_dialog = dialog
