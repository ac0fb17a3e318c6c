"""The packing table's side of the shipping tab: the open shipment's heading, the open-shipments
picker, the packing list, the waybill form and the buttons. It only shows; the tab acts on the
buttons (ship, print, preview, take out, cancel)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.shipping.views import OpenShipment, ShipmentView
from ui.shipping.lists import packing_model
from ui.shipping.waybill import WaybillForm
from ui.widgets.sections import TableSection
from ui.widgets.shortcuts import routine


class PackingPanel(QWidget):
    """What is on the packing table now; ``current_shipment`` gives the open shipment's id."""

    def __init__(
        self,
        ctx: Context,
        current_shipment: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("packingPanel")
        self.open_shipments = QComboBox(self)
        self.open_shipments.setObjectName("openShipmentsCombo")
        self.heading = QLabel(self)
        self.heading.setObjectName("shipmentHeading")
        self.heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        self.packing_list = packing_model(ctx, current_shipment)
        self.packing = TableSection(self.tr("Packing list"), self.packing_list, "packingListTable")
        self.form = WaybillForm(self)
        self.scan_waybill = QPushButton(self.tr("Next scan: waybill (F6)"), self)
        self.scan_waybill.setObjectName("scanWaybillButton")
        self.scan_waybill.setCheckable(True)
        self.scan_waybill.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.print_on_ship = QCheckBox(self.tr("Print on shipping"), self)
        self.print_on_ship.setToolTip(self.tr("Print the waybill and packing list when shipping"))
        self.print_on_ship.setObjectName("printOnShipCheck")
        self.print_on_ship.setChecked(True)
        self.ship_button = QPushButton(self.tr("Ship (Ctrl+Enter)"), self)
        self.ship_button.setObjectName("shipButton")
        self.ship_button.setStyleSheet("QPushButton { font-weight: bold; padding: 6px 18px; }")
        self.print_button = QPushButton(self.tr("Print waybill"), self)
        self.print_button.setObjectName("printWaybillButton")
        self.preview_button = QPushButton(self.tr("Preview waybill"), self)
        self.preview_button.setObjectName("previewWaybillButton")
        self.remove_button = QPushButton(self.tr("Take out selected unit"), self)
        self.remove_button.setObjectName("removeUnitButton")
        self.cancel_button = QPushButton(self.tr("Cancel shipment…"), self)
        self.cancel_button.setObjectName("cancelShipmentButton")
        routine(self.scan_waybill, "F6")  # its own shortcut already: set again, the same
        routine(self.ship_button, "Ctrl+Return", pressed_elsewhere=True)  # the tab's QShortcut
        routine(self.print_button, "F7")
        routine(self.preview_button, "F8")
        routine(self.remove_button, "F9")

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.open_shipments)
        unpack = QHBoxLayout()
        unpack.addWidget(self.scan_waybill)
        unpack.addStretch(1)
        unpack.addWidget(self.remove_button)
        unpack.addWidget(self.cancel_button)
        send = QHBoxLayout()
        send.addWidget(self.print_on_ship, 1)
        for button in (self.preview_button, self.print_button, self.ship_button):
            send.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.packing, 1)
        layout.addWidget(self.form)
        layout.addLayout(unpack)
        layout.addLayout(send)

    def show_shipment(self, shipment: ShipmentView | None, *, busy: bool = False) -> None:
        """The heading, and the buttons enabled only while a shipment is open and none of them
        is saving (``busy``)."""
        for button in (
            self.ship_button,
            self.print_button,
            self.preview_button,
            self.remove_button,
            self.cancel_button,
        ):
            button.setEnabled(shipment is not None and not busy)
        if shipment is None:
            self.heading.setText(self.tr("No shipment open: scan a unit's label to start one."))
            return
        self.heading.setText(
            self.tr("Shipment {shipment_no} to {customer}: {count} unit(s)").format(
                shipment_no=shipment.shipment_no,
                customer=shipment.customer_name,
                count=self.packing_list.rowCount(),
            )
        )

    def set_open_shipments(self, shipments: Sequence[OpenShipment], current: int | None) -> None:
        self.open_shipments.clear()
        self.open_shipments.addItem(self.tr("New shipment (scan a unit)"), None)
        for shipment in shipments:
            self.open_shipments.addItem(
                self.tr("{shipment_no} · {customer} · {count} unit(s)").format(
                    shipment_no=shipment.shipment_no,
                    customer=shipment.customer_name,
                    count=shipment.unit_count,
                ),
                shipment.id,
            )
        self.select_shipment(current)

    def select_shipment(self, shipment_id: int | None) -> None:
        self.open_shipments.setCurrentIndex(max(self.open_shipments.findData(shipment_id), 0))
