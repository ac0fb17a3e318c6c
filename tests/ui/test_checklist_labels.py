"""Checklist items (accessories received, appearance) are catalogue data written in Chinese: an
English window shows the usual ones in English, while the order keeps the item as written."""

from __future__ import annotations

import pytest

from app.receiving.desk import ModelChoice
from app.vocabulary import CHECKLIST_TERMS, checklist_label, translate
from ui.i18n import install_translators
from ui.receiving.intake import IntakePanel

CHOICE = ModelChoice(
    code="X1",
    name="星辰 X1",
    capacities=(),
    colours=(),
    common_faults=(),
    accessory_checklist=("充电器", "数据线", "自带贴膜"),
    appearance_checklist=("屏幕", "后盖"),
)


@pytest.fixture
def english(qapp):
    install_translators("en")
    yield
    install_translators("zh_CN")


def test_an_english_window_shows_english_accessory_labels_and_stores_the_item(qtbot, english):
    panel = IntakePanel()
    qtbot.addWidget(panel)
    panel.set_models([CHOICE])
    panel.model.setCurrentIndex(panel.model.findData("X1"))
    assert [check.text() for check in panel.accessory_checks] == [
        "Charger",
        "Data cable",
        "自带贴膜",
    ]
    labels = [
        panel.appearance_layout.labelForField(combo).text()
        for combo in panel.appearance_combos.values()
    ]
    assert labels == ["Screen", "Back cover"]
    panel.accessory_checks[0].setChecked(True)
    panel.accessory_checks[2].setChecked(True)
    assert panel.details().accessories == ["充电器", "自带贴膜"]


def test_a_chinese_window_shows_the_items_as_written(qtbot, qapp):
    install_translators("zh_CN")
    panel = IntakePanel()
    qtbot.addWidget(panel)
    panel.set_models([CHOICE])
    panel.model.setCurrentIndex(panel.model.findData("X1"))
    assert [check.text() for check in panel.accessory_checks] == ["充电器", "数据线", "自带贴膜"]


def test_every_usual_item_translates_back_to_itself_in_chinese():
    for item in CHECKLIST_TERMS:
        assert translate(checklist_label(item), "zh_CN") == item
