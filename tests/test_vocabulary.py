"""One vocabulary: every member of every enum shown to people has an English label and its
Chinese, read from the shipped catalogue (the .ts the window's .qm is compiled from). The tests
iterate the enums, not data: a member added without its label fails here."""

from __future__ import annotations

import ast
from enum import Enum
from pathlib import Path

import pytest

from app import audit
from app.audit_actions import AUDIT_ACTION_LABELS, AuditAction, action_label
from app.models import MoveKind, enums
from app.states import Action
from app.vocabulary import LABELS, catalogue, chinese, label, translate

# Enums of app.models.enums that are never shown to people as words, and why.
NOT_SHOWN = {
    enums.SerialKind: "how a serial is validated; the receiving form shows the serial itself",
    enums.CustomerKind: "shown as the 'dealer' flag (a check box), never by its name",
    enums.CalendarDayKind: "the calendar page shows the day's colour and the holiday's own name",
}

# Labels whose Chinese may legitimately read as the English: none today. Add one here with the
# reason (e.g. a code like "QC" that the floor writes in Latin letters) if it ever happens.
SAME_IN_CHINESE: dict[str, str] = {}

MEMBERS = [(enum, member) for enum in LABELS for member in enum]


def _name(param: tuple[type[Enum], Enum]) -> str:
    enum, member = param
    return f"{enum.__name__}.{member.name}"


def test_every_enum_of_the_models_is_labelled_or_explicitly_not_shown() -> None:
    declared = {
        value
        for value in vars(enums).values()
        if isinstance(value, type)
        and issubclass(value, Enum)
        and value.__module__ == enums.__name__
    }
    assert declared - set(NOT_SHOWN) <= set(LABELS)
    assert not set(NOT_SHOWN) & set(LABELS)


@pytest.mark.parametrize("param", MEMBERS, ids=[_name(p) for p in MEMBERS])
def test_every_member_has_an_english_label_and_a_different_chinese_one(param) -> None:
    _, member = param
    english = label(member)
    assert english.strip() and english != member.value
    zh = catalogue("zh_CN").get(english, "")
    assert zh.strip(), f"no zh_CN translation of {english!r}: run update_translations.py"
    if english in SAME_IN_CHINESE:
        assert zh == english
    else:
        assert zh != english and english not in zh


def test_label_maps_hold_no_stray_keys() -> None:
    for enum, labels in LABELS.items():
        assert set(labels) == set(enum), enum.__name__


def test_every_transition_and_every_recorded_stock_move_is_an_audit_action() -> None:
    values = {member.value for member in AuditAction}
    assert {action.value for action in Action} <= values
    # Receipts and issues are recorded as receive_stock / issue_part; every other move by kind.
    recorded_by_kind = set(MoveKind) - {MoveKind.RECEIPT, MoveKind.ISSUE}
    assert {kind.value for kind in recorded_by_kind} <= values
    assert set(AUDIT_ACTION_LABELS) == set(AuditAction)


def test_the_actions_the_timeline_showed_as_raw_identifiers_have_labels() -> None:
    assert action_label("wait_for_part") == "Waiting for a part out of stock"
    assert chinese(AuditAction.FOLLOW_UP_CALL) == "已回访"
    assert action_label("an_action_of_a_future_version") == "an_action_of_a_future_version"


def test_the_audit_log_refuses_an_action_outside_the_vocabulary(db, admin) -> None:
    with db.transaction() as session, pytest.raises(TypeError):
        audit.record(session, admin, "wait_for_part", "order", 1)  # type: ignore[arg-type]


def test_every_call_of_audit_record_passes_a_member_not_a_string_literal() -> None:
    app_dir = Path(audit.__file__).parent
    literals = []
    for path in app_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and len(node.args) > 2
                and isinstance(node.args[2], ast.Constant)
            ):
                literals.append(f"{path.name}:{node.lineno}")
    assert not literals


def test_documents_read_the_same_catalogue_as_the_window() -> None:
    assert translate("Waiting for parts") == "待料"
    assert chinese(MoveKind.ADJUSTMENT) == "盘点调整"
    assert chinese("not an enum") == "not an enum"


def test_each_appearance_answer_reads_in_chinese_as_the_word_it_stores() -> None:
    from app.receiving.condition import APPEARANCE_ANSWERS

    assert APPEARANCE_ANSWERS
    for stored, english in APPEARANCE_ANSWERS.items():
        assert english.strip() and english != stored
        assert translate(english) == stored
