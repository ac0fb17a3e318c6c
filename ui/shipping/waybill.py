"""The waybill form of the packing table: carrier, waybill number, weight, pieces, declared
value and the receiver (prefilled from the customer when the shipment starts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox, QWidget

from app.context import Context
from app.money import from_cents, to_cents
from app.shipping import shipments as shipping
from app.shipping.views import CarrierChoice, ShipmentView


@dataclass(frozen=True)
class WaybillValues:
    carrier_code: str
    waybill_no: str
    weight_grams: int | None
    declared_value_cents: int | None
    pieces: int
    receiver_name: str
    receiver_phone: str
    receiver_address: str


class WaybillForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waybillForm")
        self.setTitle(self.tr("Waybill"))
        self.carrier = QComboBox(self)
        self.carrier.setObjectName("carrierCombo")
        self.waybill = QLineEdit(self)
        self.waybill.setObjectName("waybillInput")
        self.waybill.setPlaceholderText(self.tr("Scan the carrier's label or type the number"))
        self.weight = QSpinBox(self)
        self.weight.setObjectName("weightInput")
        self.weight.setRange(0, 100_000)
        self.weight.setSingleStep(50)
        self.weight.setSuffix(" g")
        self.weight.setSpecialValueText(self.tr("not weighed"))
        self.pieces = QSpinBox(self)
        self.pieces.setObjectName("piecesInput")
        self.pieces.setRange(1, 99)
        self.declared_value = QLineEdit(self)
        self.declared_value.setObjectName("declaredValueInput")
        self.declared_value.setPlaceholderText(self.tr("yuan, e.g. 1200.00 (empty: none)"))
        self.receiver_name = QLineEdit(self)
        self.receiver_name.setObjectName("receiverNameInput")
        self.receiver_phone = QLineEdit(self)
        self.receiver_phone.setObjectName("receiverPhoneInput")
        self.receiver_address = QLineEdit(self)
        self.receiver_address.setObjectName("receiverAddressInput")
        form = QFormLayout(self)
        form.addRow(self.tr("Carrier"), self.carrier)
        form.addRow(self.tr("Waybill no."), self.waybill)
        form.addRow(self.tr("Weight"), self.weight)
        form.addRow(self.tr("Pieces"), self.pieces)
        form.addRow(self.tr("Declared value"), self.declared_value)
        form.addRow(self.tr("Receiver"), self.receiver_name)
        form.addRow(self.tr("Receiver phone"), self.receiver_phone)
        form.addRow(self.tr("Receiver address"), self.receiver_address)
        self.setEnabled(False)

    def set_carriers(self, carriers: list[CarrierChoice]) -> None:
        current = self.carrier.currentData()
        self.carrier.clear()
        for carrier in carriers:
            self.carrier.addItem(carrier.name, carrier.code)
        self.select_carrier(current)

    def select_carrier(self, code: str | None) -> None:
        index = self.carrier.findData(code)
        if index >= 0:
            self.carrier.setCurrentIndex(index)

    def set_waybill_number(self, waybill_no: str, carrier_code: str | None) -> None:
        if carrier_code is not None:
            self.select_carrier(carrier_code)
        self.waybill.setText(waybill_no.strip().upper())

    def load(self, shipment: ShipmentView | None) -> None:
        """Show a shipment's waybill so far (the receiver is the customer's unless changed)."""
        self.setEnabled(shipment is not None)
        if shipment is None:
            for field in (
                self.waybill,
                self.declared_value,
                self.receiver_name,
                self.receiver_phone,
                self.receiver_address,
            ):
                field.clear()
            self.weight.setValue(0)
            self.pieces.setValue(1)
            return
        self.select_carrier(shipment.carrier_code)
        self.waybill.setText(shipment.waybill_no or "")
        self.weight.setValue(shipment.weight_grams or 0)
        self.pieces.setValue(shipment.pieces)
        cents = shipment.declared_value_cents
        self.declared_value.setText(str(from_cents(cents)) if cents else "")
        self.receiver_name.setText(shipment.receiver_name)
        self.receiver_phone.setText(shipment.receiver_phone or "")
        self.receiver_address.setText(shipment.receiver_address)

    def values(self) -> WaybillValues:
        """What the form says; a declared value that is not money is refused (InvalidInput)."""
        declared = self.declared_value.text().strip()
        return WaybillValues(
            carrier_code=self.carrier.currentData() or "",
            waybill_no=self.waybill.text().strip(),
            weight_grams=self.weight.value() or None,
            declared_value_cents=to_cents(declared) if declared else None,
            pieces=self.pieces.value(),
            receiver_name=self.receiver_name.text(),
            receiver_phone=self.receiver_phone.text(),
            receiver_address=self.receiver_address.text(),
        )


def waybill_save(
    ctx: Context, shipment_id: int, version: int, values: WaybillValues
) -> Callable[[], bool]:
    """The form's save as plain data, to run on the floor worker: False when there is no
    waybill number yet (ship says what is missing; a preview may come before the waybill)."""

    def save() -> bool:
        if not values.waybill_no:
            return False
        shipping.set_waybill(
            ctx,
            shipment_id,
            carrier_code=values.carrier_code,
            waybill_no=values.waybill_no,
            weight_grams=values.weight_grams,
            declared_value_cents=values.declared_value_cents,
            pieces=values.pieces,
            receiver_name=values.receiver_name,
            receiver_phone=values.receiver_phone,
            receiver_address=values.receiver_address,
            expected_version=version,
        )
        return True

    return save
