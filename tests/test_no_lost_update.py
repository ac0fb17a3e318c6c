"""No lost update: a save made on a stale copy is refused with who changed what, and nothing
of it is written — twelve stations saving the same order at once, and every edit service."""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import add_customer, add_model, audit_count, imei, receive, snapshot

from app.allocation import workbench as bench
from app.context import Context
from app.db import Database
from app.errors import Conflict
from app.models import RepairOrder, Role
from app.orders import charges
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.receiving.condition import condition_form, record_condition

STATIONS = 12


@pytest.fixture
def shop(db: Database, make_user: Callable[..., Context]) -> dict[str, Any]:
    add_model(db)
    boss = make_user(Role.SUPERVISOR, username="boss", display_name="陈主管")
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk", display_name="收货员小王")
    other = make_user(Role.RECEIVING_CLERK, username="other", display_name="收货员小李")
    tech = make_user(Role.TECHNICIAN, username="wang", display_name="王工")
    service = make_user(Role.CUSTOMER_SERVICE, username="kefu", display_name="客服小张")
    customer = add_customer(db, clerk)
    order_id = receive(clerk, customer, 1).order_id
    return {
        "db": db,
        "boss": boss,
        "clerk": clerk,
        "other": other,
        "tech": tech,
        "service": service,
        "order": order_id,
    }


def _on_bench(shop: dict[str, Any]) -> int:
    order_id = shop["order"]
    orders.allocate(shop["boss"], [order_id], shop["tech"].user_id)
    orders.start_repair(shop["tech"], order_id)
    return order_id


def test_twelve_stations_saving_the_same_condition_at_once_save_one_and_refuse_eleven(
    db: Database, make_user: Callable[..., Context], shop: dict[str, Any]
) -> None:
    """Twelve stations (each its own engine and connection) load the form, then all press Save
    together: exactly one is saved, eleven get a Conflict naming the one who saved."""
    order_id = shop["order"]
    clerks = [
        make_user(Role.RECEIVING_CLERK, username=f"clerk{n}", display_name=f"收货员{n}")
        for n in range(STATIONS)
    ]
    url = db.url.render_as_string(hide_password=False)
    stations = [Database(url) for _ in range(STATIONS)]
    contexts = [
        Context(station, clerk.actor, f"receiving-{n}", clerk.clock)
        for n, (station, clerk) in enumerate(zip(stations, clerks, strict=True))
    ]
    loaded = [condition_form(ctx, order_id) for ctx in contexts]  # every form open at once
    assert len({form.version for form in loaded}) == 1
    audit_before = audit_count(db)
    start = threading.Barrier(STATIONS)
    saved: list[int] = []
    refused: list[Conflict] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        start.wait()
        try:
            record_condition(
                contexts[n],
                order_id,
                {},
                notes=f"station {n}",
                expected_version=loaded[n].version,
            )
        except Conflict as error:
            with lock:
                refused.append(error)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                other.append(error)
        else:
            with lock:
                saved.append(n)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(STATIONS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for station in stations:
            station.dispose()
    assert other == []
    assert len(saved) == 1 and len(refused) == STATIONS - 1
    (winner,) = saved
    assert all(f"clerk{winner}" in str(error) for error in refused)
    assert all("Condition recorded" in str(error) for error in refused)
    with db.read() as session:
        order = session.get_one(RepairOrder, order_id)
        assert order.appearance_notes == f"station {winner}"
        assert order.version == loaded[0].version + 1
    assert audit_count(db) == audit_before + 1


def _waive(shop: dict[str, Any], order_id: int, version: int) -> object:
    return charges.waive_charge(
        shop["boss"], order_id, reason="我方延误,免收", expected_version=version
    )


def _propose(shop: dict[str, Any], order_id: int, version: int) -> object:
    return orders.propose_charge(
        shop["tech"],
        order_id,
        parts_cents=100,
        labour_cents=0,
        reason="过保",
        expected_version=version,
    )


def _answer(shop: dict[str, Any], order_id: int, version: int) -> object:
    return orders.answer_charge(
        shop["service"], order_id, accepted=True, customer_name="张三", expected_version=version
    )


def _charged(shop: dict[str, Any]) -> int:
    order_id = _on_bench(shop)
    _propose(shop, order_id, order_version(shop["tech"], order_id))
    return order_id


# Every edit service of a repair order: how to bring the order where the edit applies, and the
# edit itself with the version the form loaded.
ORDER_EDITS: dict[str, tuple[Callable[[dict[str, Any]], int], Callable[..., object]]] = {
    "record_condition": (
        lambda shop: shop["order"],
        lambda shop, order_id, version: record_condition(
            shop["clerk"], order_id, {}, notes="屏幕划痕", expected_version=version
        ),
    ),
    "record_repair": (
        _on_bench,
        lambda shop, order_id, version: bench.record_repair(
            shop["tech"],
            order_id,
            fault_code="P01",
            cause="尾插氧化",
            action="更换尾插",
            expected_version=version,
        ),
    ),
    "swap_serial": (
        _on_bench,
        lambda shop, order_id, version: bench.swap_serial(
            shop["tech"], order_id, imei(77), "主板更换", expected_version=version
        ),
    ),
    "finish_repair": (
        _on_bench,
        lambda shop, order_id, version: orders.finish_repair(
            shop["tech"],
            order_id,
            diagnosis="-",
            repair_action="更换尾插",
            expected_version=version,
        ),
    ),
    "propose_charge": (_on_bench, _propose),
    "answer_charge": (_charged, _answer),
    "waive_charge": (_on_bench, _waive),
}


@pytest.mark.parametrize("name", sorted(ORDER_EDITS))
def test_an_order_edit_over_a_newer_change_is_refused_and_writes_nothing(
    name: str, db: Database, shop: dict[str, Any]
) -> None:
    prepare, edit = ORDER_EDITS[name]
    order_id = prepare(shop)
    loaded = order_version(shop["tech"], order_id)
    # Meanwhile another station saves the same order.
    record_condition(shop["other"], order_id, {}, notes="另一工位", expected_version=loaded)
    before, audit_before = snapshot(db, order_id), audit_count(db)
    with pytest.raises(Conflict, match=r"changed by other at [0-9:]+ \(Condition recorded\)"):
        edit(shop, order_id, loaded)
    assert snapshot(db, order_id) == before and audit_count(db) == audit_before
    edit(shop, order_id, order_version(shop["tech"], order_id))  # reloaded: saved


# Every public write of app/ (a function opening a unit of work) is an edit service, which takes
# the version its form loaded and has a stale-version case, or is listed here with the reason it
# cannot lose an update. A new write fails the scan below until it is one or the other.
NOT_EDITS = {
    # creations: nothing loaded to be stale
    "admin.catalogs.apply_import": "a whole file replaces the catalogue, previewed first",
    "admin.network.add_center": "creates a center (the owner's command line)",
    "headquarters.warnings.network_month_with_warnings": "raises warnings from the data, once",
    "headquarters.warnings.decide_warning": "decided once: a decided warning is refused",
    "complaints.followups.record_dissatisfied_and_open_complaint": "creates a complaint",
    "complaints.registration.register_complaint": "creates a complaint",
    "parts.issuing.receive_purchase": "a stock move: a guarded UPDATE of the balance",
    "parts.issuing.issue_part": "a stock move: a guarded UPDATE of the balance",
    "parts.counter.attempt_issue": "a stock move: a guarded UPDATE of the balance",
    "parts.moves.supplier_return": "a stock move: a guarded UPDATE of the balance",
    "parts.transfer.transfer_parts": "two stock moves: a guarded UPDATE at the sender",
    "parts.master_sheet.import_master": "a whole file, previewed first",
    "parts.master.add_part": "creates a master part and its stock row",
    "parts.master.stock_part": "creates a stock row (one per part and center)",
    "admin.holiday_calendar.fill_year": "replaces a year with the published list: the same again is a no-op",
    "parts.shortage.wait_for_part": "adds a wait; the order's state machine guards it",
    "parts.shortage.request_purchases_for_shortage": "adds purchase requests",
    "receiving.boxes.open_box": "creates a box",
    "receiving.desk.add_sender": "creates a customer",
    "receiving.desk.scan_unit": "creates an order (receive_in, as receive_unit does)",
    "receiving.intake.receive_unit": "creates an order",
    "receiving.photos.store_photo": "adds a photo; a shipped order is refused",
    "receiving.sales_register.import_sales_register": "a whole file, previewed first",
    "shipping.shipments.create_shipment": "creates a shipment",
    "shipping.shipments.ship_orders": "creates a shipment and ships it at once",
    "app.users.create_user": "creates a user",
    "backup.identity.center_identity": "makes the center's id once",
    "app.signatures.check": "a password check: counts failures, no form",
    "quality.actions.record_root_cause": "creates the cause and its action (one per subject)",
    "quality.alarms.check_for_alarms": "raises alarms; an alarm's counts are the detector's",
    "headquarters.alarms.check_network_alarms": "the same check over the whole network's returns",
    "documents.reprint.reprint": "prints a document anew and audits it; changes no record",
    "app.users.change_password": "checks the old password: a second change fails it",
    "app.users.set_pin": "a new secret, typed whole (nothing loaded): the last PIN set wins",
    # one-shot steps: a second station's same step is refused by the state (or the stamp)
    "allocation.dispatch.reassign": "needs a reason and the current technician; audited",
    "complaints.followups.record_call": "a call is recorded once",
    "complaints.accountability.approve_sheet": "signed once, refused when a line joined since",
    "complaints.accountability.add_correction": "adds a line: lines never change",
    "complaints.survey.record_survey": "a call is recorded once (with its survey)",
    "complaints.survey.record_apology_call": "an apology call is recorded once",
    "complaints.notice_events.queue_due_notices": "creates notices, each event's once",
    "complaints.sending.refresh_deliveries": "records the provider's receipt of sent notices",
    "complaints.registration.record_first_contact": "stamped once",
    "complaints.registration.record_answer": "stamped once",
    "orders.transitions.perform": "state machine steps (expected_version optional)",
    "orders.transitions.allocate": "state machine: only from received",
    "orders.transitions.start_repair": "state machine: only from allocated",
    "orders.transitions.approve_special": "state machine: only from awaiting approval",
    "orders.transitions.reject_special": "state machine: only from awaiting approval",
    "qc.aging.start_aging": "state machine and the slot's occupant",
    "qc.aging.receive_from_repair": "state machine and the slot's occupant",
    "qc.aging.sign_off": "state machine: only from in QC",
    "receiving.boxes.close_box": "closed once",
    "receiving.pending_checks.mark_all_intact": (
        "each order comes with the version loaded (test_pending_checks: a newer change refuses)"
    ),
    "receiving.unit_model.correct_unit_model": "states the old model it corrects; audited",
    "shipping.shipments.start_shipment": "adds a unit to a packing shipment",
    "shipping.shipments.add_unit": "packs a unit once (its order's state)",
    "shipping.shipments.remove_unit": "unpacks a unit once",
    "shipping.shipments.ship": "state: a shipment leaves once",
    "shipping.shipments.cancel_shipment": "state: only a packing shipment",
    "ledgers.median.keep_medians": "a cache of a read (a period's median), kept only if the "
    "period's shipments are still those it was read from",
}


def _edit_cases() -> set[str]:
    from test_no_lost_update_records import CASES

    order_cases = {
        "receiving.condition.record_condition",
        "allocation.workbench.record_repair",
        "allocation.workbench.swap_serial",
        "orders.transitions.finish_repair",
        "orders.transitions.propose_charge",
        "orders.transitions.answer_charge",
        "orders.charges.waive_charge",
    }
    assert {name.split(".")[-1] for name in order_cases} == set(ORDER_EDITS)
    return order_cases | set(CASES)


def _writes_of_the_core() -> dict[str, ast.FunctionDef]:
    found = {}
    app_dir = Path(__file__).parents[1] / "app"
    for path in app_dir.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                source = ast.unparse(node)
                if "transaction()" in source or "_change(ctx" in source:
                    found[f"{path.parent.name}.{path.stem}.{node.name}"] = node
    return found


def _requires_a_version(function: ast.FunctionDef) -> bool:
    arguments = function.args
    return any(
        a.arg == "expected_version" and default is None
        for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    )


def test_every_write_of_the_core_takes_the_loaded_version_or_says_why_not() -> None:
    writes = _writes_of_the_core()
    edits = _edit_cases()
    unclassified = set(writes) - edits - set(NOT_EDITS)
    assert not unclassified, (
        f"an edit (version + case) or a NOT_EDITS reason: {sorted(unclassified)}"
    )
    assert not (set(NOT_EDITS) - set(writes)), "stale NOT_EDITS entries"
    for name in edits:
        assert name in writes, f"{name} is no longer a write of the core"
        assert _requires_a_version(writes[name]), f"{name} must require expected_version"
