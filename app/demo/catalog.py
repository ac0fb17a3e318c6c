"""The demo center's catalogues: settings, categories, models, parts, carriers, racks, calendar."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, settings
from app.audit_actions import AuditAction
from app.context import Context
from app.demo import care, data
from app.models import (
    CalendarDay,
    CalendarDayKind,
    Carrier,
    Department,
    FaultCode,
    Part,
    PartFit,
    PartMaster,
    ProductCategory,
    ProductModel,
    Rack,
    RackSlot,
    SerialKind,
    Setting,
    StaffMember,
)


def load_catalogues(ctx: Context) -> None:
    """Everything a supervisor sets up before the first unit arrives, in one transaction."""
    with ctx.db.transaction() as session:
        _settings(session)
        _categories(session)
        models = _models(session)
        _parts(session, models)
        _carriers(session)
        _racks(session)
        _calendar(session)
        known = set(session.scalars(select(Department.name)))
        session.add_all(Department(name=n) for n in data.DEPARTMENTS if n not in known)
        if session.scalar(select(StaffMember.id).limit(1)) is None:  # keep a center's own list
            care.add_staff(session)
        _fault_codes(session)
        audit.record(session, ctx, AuditAction.LOAD_DEMO_CATALOGUES, "setting", "demo")


def _settings(session: Session) -> None:
    for spec, value in data.CENTER_SETTINGS.items():
        if settings.stored_row(session, spec.key) is None:  # keep what a supervisor already set
            session.add(Setting(key=spec.key, value=value))


def _categories(session: Session) -> None:
    existing = set(session.scalars(select(ProductCategory.code)))
    for code, name, appearance, accessories in (
        ("phone", "手机", data.PHONE_APPEARANCE, data.PHONE_ACCESSORIES),
        ("watch", "智能手表", data.WATCH_APPEARANCE, data.WATCH_ACCESSORIES),
    ):
        if code not in existing:
            session.add(
                ProductCategory(
                    code=code,
                    name=name,
                    appearance_checklist=list(appearance),
                    accessory_checklist=list(accessories),
                )
            )


def _models(session: Session) -> dict[str, ProductModel]:
    models: dict[str, ProductModel] = {}
    for demo in data.MODELS:
        is_phone = demo.category == "phone"
        model = ProductModel(
            code=demo.code,
            name=demo.name,
            brand="星辰",
            category=demo.category,
            serial_kind=SerialKind.IMEI if demo.tac_prefixes else SerialKind.FREE,
            serial_pattern=None if demo.tac_prefixes else rf"^{demo.serial_prefix}[0-9A-Z]{{8}}$",
            tac_prefixes=list(demo.tac_prefixes),
            capacities=list(demo.capacities),
            colours=list(demo.colours),
            common_faults=list(demo.common_faults),
            qc_checklist=list(data.PHONE_QC if is_phone else data.WATCH_QC),
            appearance_checklist=list(data.PHONE_APPEARANCE if is_phone else data.WATCH_APPEARANCE),
            warranty_months=12,
            aging_minutes=demo.aging_hours * 60,
            turnaround_days=3,
        )
        session.add(model)
        models[demo.code] = model
    session.flush()
    return models


def part_no_of(kind: str, model_code: str) -> str:
    """``SCR`` for ``XC-S9P`` → ``SCR-S9P``; generic parts keep their own number."""
    return f"{kind}-{model_code.removeprefix('XC-')}"


def _parts(session: Session, models: dict[str, ProductModel]) -> None:
    bins = iter(f"{shelf}-{row:02d}" for shelf in "ABCDEF" for row in range(1, 13))
    for demo in data.MODELS:
        kinds = data.MODEL_PARTS if demo.category == "phone" else data.MODEL_PARTS[:2]
        for kind, name, cost, price, safety, _initial in kinds:
            part = _part(part_no_of(kind, demo.code), f"{demo.name} {name}", cost, price, safety)
            part.bin_location = next(bins)
            part.master.fits = [PartFit(product_model_id=models[demo.code].id)]
            session.add(part)
    phones = [m for m in data.MODELS if m.category == "phone"]
    for part_no, name, cost, price, safety, _initial in data.GENERIC_PARTS:
        part = _part(part_no, name, cost, price, safety)
        part.bin_location = next(bins)
        fitting = [data.MODELS[-1]] if part_no.startswith("W3-") else phones
        part.master.fits = [PartFit(product_model_id=models[m.code].id) for m in fitting]
        session.add(part)


def _part(part_no: str, name: str, cost_yuan: int, price_yuan: int, safety: int) -> Part:
    """The center's stock row of a new master part (the demo is one center: both at once)."""
    master = PartMaster(
        part_no=part_no,
        name=name,
        unit_cost_cents=cost_yuan * 100,
        sale_price_cents=price_yuan * 100,
    )
    return Part(
        master=master,
        safety_stock=safety,
        reorder_quantity=safety * 3,
        on_hand=0,
    )


def initial_stock() -> dict[str, int]:
    """Part number → the quantity delivered before the demo month starts."""
    stock: dict[str, int] = {}
    for demo in data.MODELS:
        kinds = data.MODEL_PARTS if demo.category == "phone" else data.MODEL_PARTS[:2]
        for kind, _name, _cost, _price, _safety, initial in kinds:
            stock[part_no_of(kind, demo.code)] = initial
    stock.update({part_no: initial for part_no, *_, initial in data.GENERIC_PARTS})
    for part_no in data.NEVER_RESTOCKED:
        stock[part_no] = 0
    return stock


def _fault_codes(session: Session) -> None:
    existing = set(session.scalars(select(FaultCode.code)))
    for fault, (code, _cause) in data.FAULT_CODES.items():
        if code not in existing:
            existing.add(code)
            session.add(FaultCode(code=code, description=fault))


def _carriers(session: Session) -> None:
    existing = set(session.scalars(select(Carrier.code)))
    for code, name, pattern, s10 in data.CARRIERS:
        if code not in existing:
            session.add(
                Carrier(code=code, name=name, waybill_pattern=pattern, uses_s10_check_digit=s10)
            )


def _racks(session: Session) -> None:
    for code, name, slots in data.RACKS:
        rack = Rack(code=code, name=name)
        session.add(rack)
        session.flush()
        session.add_all(
            RackSlot(rack_id=rack.id, code=f"{code}-{n:02d}", position=n)
            for n in range(1, slots + 1)
        )


def _calendar(session: Session) -> None:
    existing = set(session.scalars(select(CalendarDay.day)))
    for first, last, name in data.HOLIDAYS_2026:
        day = first
        while day <= last:
            if day not in existing:
                session.add(CalendarDay(day=day, kind=CalendarDayKind.HOLIDAY, name=name))
            day += timedelta(days=1)
    for day, name in data.MAKE_UP_WORKDAYS_2026:
        if day not in existing:
            session.add(CalendarDay(day=day, kind=CalendarDayKind.WORKDAY, name=name))
