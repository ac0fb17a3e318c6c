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


# Edit services: public functions of app/ that change a record a form loaded. Each takes the
# version the form loaded (``expected_version``, no default) and is in a table above.
EDIT_SERVICES = {
    "receiving.condition.record_condition",
    "allocation.workbench.record_repair",
    "allocation.workbench.swap_serial",
    "orders.transitions.finish_repair",
    "orders.transitions.propose_charge",
    "orders.transitions.answer_charge",
    "orders.charges.waive_charge",
}
TESTED = {name.split(".")[-1] for name in EDIT_SERVICES} & set(ORDER_EDITS)

# Writes that change no record a form shows, or whose second copy the state machine refuses
# (a second station's "start repair" finds the order in repair): no version needed.
NOT_EDITS = {
    "orders.transitions.perform",
    "orders.transitions.allocate",
    "orders.transitions.start_repair",
    "orders.transitions.approve_special",
    "orders.transitions.reject_special",
}


def _edits_of_orders_in_the_core() -> set[str]:
    """Public functions of app/ that load a repair order for a change (``load_order`` /
    ``load_for_edit`` inside a unit of work)."""
    found = set()
    for path in (Path(__file__).parents[1] / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            source = ast.unparse(node)
            if "transaction()" in source and "load_for_edit(" in source:
                found.add(f"{path.parent.name}.{path.stem}.{node.name}")
    return found


def _takes_a_version(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    arguments = function.args
    required_kw = [
        a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is None
    ]
    return "expected_version" in required_kw


def test_every_edit_service_takes_the_version_its_form_loaded_and_is_tested() -> None:
    app_dir = Path(__file__).parents[1] / "app"
    for dotted in EDIT_SERVICES:
        package, module, name = dotted.split(".")
        assert _takes_a_version(app_dir / package / f"{module}.py", name), dotted
    found = _edits_of_orders_in_the_core()
    assert found <= EDIT_SERVICES, (
        f"add to EDIT_SERVICES and a table: {sorted(found - EDIT_SERVICES)}"
    )
    untested = {d for d in EDIT_SERVICES if d.split(".")[-1] not in TESTED}
    assert not untested, f"add a stale-version case for {sorted(untested)}"
