"""Which model a scanned unit is: its own history, then the sales register, then the TAC decide;
the intake panel's model only fills what none of them knows, and a scan never changes a unit's
model (a supervisor's audited correction does)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import PASSWORD
from factories import (
    add_model,
    audit_count,
    floor_staff,
    imei,
    repair_and_ship,
    snapshot,
)
from sqlalchemy import func, select

from app.audit_actions import AuditAction
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.models import AuditEntry, RepairOrder, SalesRecord, Unit
from app.receiving import (
    Intake,
    ModelDisagreement,
    correct_unit_model,
    open_box,
    receive_unit,
)
from app.receiving.desk import UnitDetails, scan_unit, unit_history

S9_TAC, A5_TAC = "86012345", "35123456"


@pytest.fixture
def floor(db, make_user):
    add_model(db, "XC-S9P", tac=S9_TAC)
    add_model(db, "XC-A5", tac=A5_TAC)
    add_model(db, "XC-N1", tac="99999999")
    return floor_staff(db, make_user)


def counts(db) -> tuple[int, int, int]:
    with db.read() as session:
        orders_ = session.scalar(select(func.count()).select_from(RepairOrder))
        units = session.scalar(select(func.count()).select_from(Unit))
    return orders_, units, audit_count(db)


def model_of(db, serial: str) -> str:
    with db.read() as session:
        return session.scalar(select(Unit).where(Unit.serial == serial)).product_model.code


def receive_as(floor, serial: str, model_code: str | None = None, **more) -> object:
    return receive_unit(
        floor["clerk"],
        Intake(serial=serial, customer_id=floor["customer"], model_code=model_code, **more),
    )


def test_a_mixed_model_box_keeps_both_true_models(db, floor):
    clerk = floor["clerk"]
    box = open_box(clerk, "SF1234567890123", sender_id=floor["customer"], declared_quantity=2)
    s9 = scan_unit(clerk, box, imei(1, S9_TAC), UnitDetails())
    # What the panel sends after the S9 when the clerk never picked a model: nothing (the box's
    # last unit is only a fallback for a serial nobody knows).
    a5 = scan_unit(clerk, box, imei(2, A5_TAC), UnitDetails())
    assert (s9.received.model_code, a5.received.model_code) == ("XC-S9P", "XC-A5")
    assert model_of(db, imei(1, S9_TAC)) == "XC-S9P"
    assert model_of(db, imei(2, A5_TAC)) == "XC-A5"
    # A panel model picked for the S9s refuses the A5 instead of registering it as an S9.
    before = counts(db)
    with pytest.raises(ModelDisagreement) as refused:
        scan_unit(clerk, box, imei(3, A5_TAC), UnitDetails(model_code="XC-S9P"))
    assert (refused.value.known, refused.value.chosen) == ("XC-A5", "XC-S9P")
    assert "TAC" in str(refused.value)
    assert counts(db) == before


def test_the_sales_register_comes_before_the_tac(db, floor):
    with db.transaction() as session:
        for number in (4, 5):
            session.add(
                SalesRecord(
                    serial=imei(number, S9_TAC), model_code="XC-A5", sale_date=date(2026, 5, 1)
                )
            )
    assert receive_as(floor, imei(4, S9_TAC)).model_code == "XC-A5"
    before = counts(db)
    # The panel agrees with the TAC, but the register (first) says A5.
    with pytest.raises(ModelDisagreement, match="sales register"):
        receive_as(floor, imei(5, S9_TAC), "XC-S9P")
    assert counts(db) == before


def test_the_panel_model_fills_only_what_nobody_knows(db, floor):
    unknown_tac = imei(7, "12121212")
    with pytest.raises(InvalidInput, match="Choose the product model"):
        receive_as(floor, unknown_tac)
    assert receive_as(floor, unknown_tac, "XC-N1").model_code == "XC-N1"


def test_a_repeat_unit_keeps_its_model_when_the_panel_says_otherwise(db, floor, clock):
    serial = imei(8, A5_TAC)
    first = receive_as(floor, serial)
    repair_and_ship(floor, clock, first.order_id, PASSWORD)
    shipped_before = snapshot(db, first.order_id)
    history_before = unit_history(floor["clerk"], serial)
    before = counts(db)
    for confirm in (False, True):  # not even a confirmed panel model changes a known unit
        with pytest.raises(Conflict, match="never changes a unit's model") as refused:
            receive_as(floor, serial, "XC-S9P", confirm_model=confirm)
        assert not isinstance(refused.value, ModelDisagreement)  # nothing to confirm
    assert counts(db) == before
    assert model_of(db, serial) == "XC-A5"
    # Without a panel model (or with the same one) the repeat is received as its own model,
    # and the shipped order's history is unchanged.
    again = receive_as(floor, serial, "XC-A5")
    assert (again.model_code, again.is_repeat) == ("XC-A5", True)
    assert snapshot(db, first.order_id) == shipped_before
    assert unit_history(floor["clerk"], serial)[1:] == history_before
    assert [line.model_code for line in unit_history(floor["clerk"], serial)] == ["XC-A5"] * 2


def test_a_confirmed_disagreement_for_a_new_unit_is_taken_and_audited(db, floor):
    serial = imei(9, A5_TAC)
    with pytest.raises(ModelDisagreement):
        receive_as(floor, serial, "XC-S9P")
    received = receive_as(floor, serial, "XC-S9P", confirm_model=True)
    assert received.model_code == "XC-S9P" and model_of(db, serial) == "XC-S9P"
    with db.read() as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == AuditAction.RECEIVE.value)
        )
    assert entry.after["model"] == "XC-S9P"
    assert entry.after["model_confirmed_over"] == "XC-A5"


def test_a_supervisor_corrects_a_units_model_with_an_audit_row(db, floor, clock):
    serial = imei(10, A5_TAC)
    first = receive_as(floor, serial, "XC-S9P", confirm_model=True)  # a wrong confirmation
    before = counts(db)
    with pytest.raises(PermissionDenied):
        correct_unit_model(floor["clerk"], serial, "XC-A5", "TAC says A5")
    with pytest.raises(InvalidInput, match="Write why"):
        correct_unit_model(floor["boss"], serial, "XC-A5", " \t ")
    with pytest.raises(InvalidInput, match="too long"):
        correct_unit_model(floor["boss"], serial, "XC-A5", "x" * 256)
    with pytest.raises(Conflict, match="already"):
        correct_unit_model(floor["boss"], serial, "XC-S9P", "no change")
    assert counts(db) == before
    correct_unit_model(floor["boss"], serial, "XC-A5", "背壳标签为 A5")
    assert model_of(db, serial) == "XC-A5"
    assert counts(db) == (before[0], before[1], before[2] + 1)
    with db.read() as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == AuditAction.CORRECT_UNIT_MODEL.value)
        )
    assert (entry.entity, entry.entity_id) == ("unit", serial)
    assert entry.before == {"model": "XC-S9P"} and entry.after == {"model": "XC-A5"}
    assert entry.detail == "背壳标签为 A5"
    assert unit_history(floor["clerk"], serial)[0].order_no == first.order_no
