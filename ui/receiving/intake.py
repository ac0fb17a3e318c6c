"""The intake panel beside the scan field: what the next scanned units are (model, capacity,
colour, fault, accessories received, appearance). Its values apply to every following scan
until changed; the box's last unit fills model, capacity and colour. A model the box's last unit
filled in is only a hint (the checklists): the core takes the unit's history, the sales register
or the TAC first and the box's last unit for a serial nobody knows. Only a model the clerk
picked is sent, and the core refuses it when it disagrees with what is known."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.receiving.boxes import BoxDefaults
from app.receiving.desk import ModelChoice, UnitDetails
from app.vocabulary import checklist_label
from ui.i18n import tr_app
from ui.receiving.answers import answer_combo, answer_of


def _editable_combo(name: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


def _refill(combo: QComboBox, items: tuple[str, ...] | list[str]) -> None:
    text = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(["", *items])
    combo.setEditText(text)
    combo.blockSignals(False)


class IntakePanel(QGroupBox):
    """Emits ``editing_done`` when the clerk presses Enter in a field (focus back to the scan)."""

    editing_done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakePanel")
        self.setTitle(self.tr("For each unit scanned next"))
        self._choices: dict[str, ModelChoice] = {}
        self._model_from_box = False  # the model shown was filled in by the box's last unit
        self._applying_defaults = False
        self.model = QComboBox(self)
        self.model.setObjectName("intakeModel")
        self.model.currentIndexChanged.connect(self._model_changed)
        self.capacity = _editable_combo("intakeCapacity", self)
        self.colour = _editable_combo("intakeColour", self)
        self.fault = _editable_combo("intakeFault", self)
        self.fault.lineEdit().setPlaceholderText(self.tr("Pick a common fault or type"))
        self.notes = QLineEdit(self)
        self.notes.setObjectName("intakeAppearanceNotes")
        self.notes.setPlaceholderText(self.tr("Other damage, in words"))
        for combo in (self.capacity, self.colour, self.fault):
            combo.lineEdit().returnPressed.connect(self.editing_done)
        self.notes.returnPressed.connect(self.editing_done)
        self.accessories_box = QGroupBox(self.tr("Accessories received"), self)
        self.accessories_box.setObjectName("intakeAccessories")
        self.accessories_layout = QHBoxLayout(self.accessories_box)
        self.accessory_checks: list[QCheckBox] = []
        self.appearance_box = QGroupBox(self.tr("Appearance"), self)
        self.appearance_box.setObjectName("intakeAppearance")
        self.appearance_layout = QFormLayout(self.appearance_box)
        self.appearance_combos: dict[str, QComboBox] = {}

        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Capacity"), self.capacity)
        form.addRow(self.tr("Colour"), self.colour)
        form.addRow(self.tr("Fault"), self.fault)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.accessories_box)
        layout.addWidget(self.appearance_box)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        self.set_models([])

    def set_models(self, choices: list[ModelChoice]) -> None:
        current, from_box = self.model.currentData(), self._model_from_box
        self._choices = {choice.code: choice for choice in choices}
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItem(self.tr("From the IMEI or the unit's history"), None)
        for choice in choices:
            self.model.addItem(f"{choice.name} ({choice.code})", choice.code)
        self.model.setCurrentIndex(max(self.model.findData(current), 0))
        self.model.blockSignals(False)
        self._model_changed()
        self._model_from_box = from_box and self.model.currentData() == current

    def current_choice(self) -> ModelChoice | None:
        return self._choices.get(self.model.currentData())

    def model_chosen(self) -> str | None:
        """The model the clerk picked (None: automatic, or only filled in by the box)."""
        return None if self._model_from_box else self.model.currentData()

    def set_automatic_model(self) -> None:
        self.model.setCurrentIndex(0)

    def _model_changed(self) -> None:
        if not self._applying_defaults:
            self._model_from_box = False
        choice = self.current_choice()
        if choice is None and self._choices:
            # No model picked: offer the checklists of the first model's category (one category
            # per desk is the usual case).
            choice = next(iter(self._choices.values()))
            faults: tuple[str, ...] = ()
        else:
            faults = choice.common_faults if choice else ()
        _refill(self.capacity, choice.capacities if choice else ())
        _refill(self.colour, choice.colours if choice else ())
        _refill(self.fault, faults)
        self._set_accessories(choice.accessory_checklist if choice else ())
        self._set_appearance(choice.appearance_checklist if choice else ())

    def _set_accessories(self, items: tuple[str, ...]) -> None:
        if [check.property("item") for check in self.accessory_checks] == list(items):
            return
        for check in self.accessory_checks:
            check.deleteLater()
        self.accessory_checks = []
        for item in items:
            # Shown in the window's language, stored as the catalogue writes it.
            check = QCheckBox(tr_app(checklist_label(item)), self.accessories_box)
            check.setProperty("item", item)
            self.accessories_layout.addWidget(check)
            self.accessory_checks.append(check)
        self.accessories_box.setVisible(bool(items))

    def _set_appearance(self, items: tuple[str, ...]) -> None:
        if list(self.appearance_combos) == list(items):
            return
        while self.appearance_layout.rowCount():
            self.appearance_layout.removeRow(0)
        self.appearance_combos = {}
        for item in items:
            combo = answer_combo("appearance_" + item, self.appearance_box)
            combo.lineEdit().returnPressed.connect(self.editing_done)
            self.appearance_layout.addRow(tr_app(checklist_label(item)), combo)
            self.appearance_combos[item] = combo
        self.appearance_box.setVisible(bool(items))

    def apply_defaults(self, defaults: BoxDefaults) -> None:
        """The box's last unit: the next one is most likely the same model, capacity, colour."""
        if defaults.model_code and self.model_chosen() is None:
            index = self.model.findData(defaults.model_code)
            if index >= 0:
                self._applying_defaults = True
                try:
                    self.model.setCurrentIndex(index)
                finally:
                    self._applying_defaults = False
                self._model_from_box = True
        if defaults.capacity:
            self.capacity.setEditText(defaults.capacity)
        if defaults.colour:
            self.colour.setEditText(defaults.colour)

    def details(self) -> UnitDetails:
        appearance = {
            item: answer_of(combo)
            for item, combo in self.appearance_combos.items()
            if answer_of(combo)
        }
        return UnitDetails(
            model_code=self.model_chosen(),
            capacity=self.capacity.currentText().strip() or None,
            colour=self.colour.currentText().strip() or None,
            fault_description=self.fault.currentText().strip(),
            accessories=[
                check.property("item") for check in self.accessory_checks if check.isChecked()
            ],
            appearance=appearance,
            appearance_notes=self.notes.text().strip() or None,
        )
