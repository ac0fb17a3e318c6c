"""An appearance answer box: the core's answers shown by label, stored as the floor's word; the
clerk may type another (kept as typed)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.receiving.condition import APPEARANCE_ANSWERS
from ui.i18n import tr_app


def answer_combo(name: str, parent: QWidget, current: str = "") -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", "")
    for value, label in APPEARANCE_ANSWERS.items():
        combo.addItem(tr_app(label), value)
    index = combo.findData(current) if current else 0
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setEditText(current)
    return combo


def answer_of(combo: QComboBox) -> str:
    """The stored word of the picked answer, or the text typed."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    value = combo.itemData(index) if index > 0 else None
    return value or text
