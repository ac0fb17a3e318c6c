"""The catalogues a supervisor keeps, declared once: their fields, Excel headers and storage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import settings
from app.admin.care_catalogs import (
    NOTICE_TEMPLATES,
    PENALTY_RULES,
    STAFF_MEMBERS,
    check_department,
    merged,
)
from app.admin.catalog_fields import BadValue, Catalog, CatalogRow, Field, Kind, OrmCatalog
from app.errors import N_
from app.models import (
    CalendarDay,
    CalendarDayKind,
    Carrier,
    Department,
    FaultCode,
    ProductCategory,
    ProductModel,
    Rack,
    RackSlot,
    Role,
    SerialKind,
    Setting,
    User,
    UserRole,
)
from app.qc.aging import QC_FAIL_REASONS

TAC = re.compile(r"\d{8}")


@dataclass(frozen=True)
class ProductModelCatalog(OrmCatalog):
    def check(self, session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
        for prefix in values.get("tac_prefixes") or []:
            if not TAC.fullmatch(prefix):
                return BadValue(N_("IMEI TAC prefix {value} is not 8 digits."), value=prefix)
        category = values.get("category")
        known = set(session.scalars(select(ProductCategory.code)))
        if category and known and category not in known:
            return BadValue(
                N_("Category {value} is not in the product categories. Add it there first."),
                value=category,
            )
        return None


PRODUCT_MODELS = ProductModelCatalog(
    name="product_models",
    title=N_("Product models"),
    entity="product_model",
    sheet="产品机型",
    model=ProductModel,
    fields=(
        Field(
            "code",
            N_("Model code"),
            "机型代码",
            required=True,
            max_length=64,
            aliases=("机型", "型号"),
        ),
        Field("name", N_("Model name"), "机型名称", required=True),
        Field("brand", N_("Brand"), "品牌", max_length=64),
        Field("category", N_("Category"), "类别", max_length=64, default="phone"),
        Field(
            "serial_kind",
            N_("Serial kind"),
            "序列号类型",
            Kind.CHOICE,
            choices=tuple(k.value for k in SerialKind),
            default=SerialKind.IMEI.value,
            enum_type=SerialKind,
        ),
        Field("serial_pattern", N_("Serial pattern"), "序列号规则", Kind.REGEX),
        Field("tac_prefixes", N_("IMEI TAC prefixes"), "TAC号段", Kind.LIST),
        Field("capacities", N_("Capacities"), "容量", Kind.LIST),
        Field("colours", N_("Colours"), "颜色", Kind.LIST),
        Field(
            "warranty_months",
            N_("Warranty (months)"),
            "保修月数",
            Kind.INT,
            default=12,
            maximum=120,
        ),
        Field(
            "aging_minutes",
            N_("Aging (hours)"),
            "老化时长(小时)",
            Kind.HOURS,
            default=240,
            maximum=14 * 24 * 60,
            aliases=("老化小时", "老化时长"),
        ),
        Field(
            "turnaround_days",
            N_("Turnaround target (working days)"),
            "维修时限(工作日)",
            Kind.INT,
            default=3,
            minimum=1,
            maximum=60,
        ),
        Field("qc_checklist", N_("QC checklist"), "QC检查项", Kind.LIST),
        Field("appearance_checklist", N_("Appearance checklist"), "外观检查项", Kind.LIST),
        Field("common_faults", N_("Common faults"), "常见故障", Kind.LIST),
    ),
)

PRODUCT_CATEGORIES = OrmCatalog(
    name="product_categories",
    title=N_("Product categories"),
    entity="product_category",
    sheet="产品类别",
    model=ProductCategory,
    fields=(
        Field("code", N_("Category code"), "类别代码", required=True, max_length=32),
        Field("name", N_("Category name"), "类别名称", required=True, max_length=64),
        Field("appearance_checklist", N_("Appearance checklist"), "外观检查项", Kind.LIST),
        Field("accessory_checklist", N_("Accessories"), "配件清单", Kind.LIST),
        Field(
            "intake_gate",
            N_("Appearance check before allocation"),
            "分配前须完成外观检查",
            Kind.BOOL,
            default=True,
        ),
    ),
)

CARRIERS = OrmCatalog(
    name="carriers",
    title=N_("Carriers"),
    entity="carrier",
    sheet="承运商",
    model=Carrier,
    fields=(
        Field("code", N_("Carrier code"), "承运商代码", required=True, max_length=16, upper=True),
        Field("name", N_("Carrier name"), "承运商名称", required=True, max_length=64),
        Field("waybill_pattern", N_("Waybill pattern"), "运单规则", Kind.REGEX),
        Field("uses_s10_check_digit", N_("UPU S10 check digit"), "S10校验位", Kind.BOOL),
    ),
)

FAULT_CODES = OrmCatalog(
    name="fault_codes",
    title=N_("Fault codes"),
    entity="fault_code",
    sheet="故障代码",
    model=FaultCode,
    fields=(
        Field("code", N_("Fault code"), "故障代码", required=True, max_length=32, upper=True),
        Field("description", N_("Description"), "故障描述", required=True, max_length=255),
    ),
)


@dataclass(frozen=True)
class DepartmentCatalog(OrmCatalog):
    def write_active(self, session: Session, key: str, active: bool) -> None:
        raise AssertionError("departments have no active flag")

    def check(self, session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
        return check_department(session, key, merged(self, session, key, values))


DEPARTMENTS = DepartmentCatalog(
    name="departments",
    title=N_("Departments"),
    entity="department",
    sheet="部门",
    model=Department,
    key_column="name",
    can_deactivate=False,
    fields=(
        Field("name", N_("Department"), "部门", required=True, max_length=64),
        Field("parent", N_("Parent department"), "上级部门", max_length=64),
        Field("head", N_("Head (staff code)"), "负责人工号", max_length=32, upper=True),
    ),
)


@dataclass(frozen=True)
class RackSlotCatalog(Catalog):
    """Rack slots with their rack: a rack is created when a slot names a new one."""

    def load(self, session: Session) -> dict[str, CatalogRow]:
        rows: dict[str, CatalogRow] = {}
        for slot, rack in session.execute(
            select(RackSlot, Rack).join(Rack, Rack.id == RackSlot.rack_id)
        ):
            values = {
                "code": slot.code,
                "rack": rack.code,
                "rack_name": rack.name,
                "position": slot.position,
            }
            rows[slot.code] = CatalogRow(slot.code, values, slot.active)
        return rows

    def write(self, session: Session, key: str, values: dict[str, Any], is_new: bool) -> None:
        rack = session.scalar(select(Rack).where(Rack.code == values["rack"]))
        if rack is None:
            rack = Rack(code=values["rack"], name=values.get("rack_name") or values["rack"])
            session.add(rack)
            session.flush()
        elif values.get("rack_name"):
            rack.name = values["rack_name"]
        slot = (
            RackSlot(code=key)
            if is_new
            else session.scalars(select(RackSlot).where(RackSlot.code == key)).one()
        )
        slot.rack_id = rack.id
        if "position" in values:
            slot.position = values["position"]
        if is_new:
            session.add(slot)
        session.flush()

    def write_active(self, session: Session, key: str, active: bool) -> None:
        session.scalars(select(RackSlot).where(RackSlot.code == key)).one().active = active
        session.flush()


RACK_SLOTS = RackSlotCatalog(
    name="rack_slots",
    title=N_("Aging racks and slots"),
    entity="rack_slot",
    sheet="老化架",
    fields=(
        Field("code", N_("Slot code"), "架位", required=True, max_length=32, upper=True),
        Field("rack", N_("Rack code"), "老化架", required=True, max_length=16, upper=True),
        Field("rack_name", N_("Rack name"), "老化架名称", max_length=64),
        Field("position", N_("Position"), "位置", Kind.INT, default=0, maximum=10_000),
    ),
)


@dataclass(frozen=True)
class BenchCatalog(Catalog):
    """Technicians and their benches; people are added on the Users page (administrator)."""

    def load(self, session: Session) -> dict[str, CatalogRow]:
        rows: dict[str, CatalogRow] = {}
        for user in session.scalars(
            select(User).join(UserRole).where(UserRole.role == Role.TECHNICIAN)
        ):
            values = {
                "username": user.username,
                "display_name": user.display_name,
                "badge_code": user.badge_code,
                "bench": user.bench,
            }
            rows[user.username] = CatalogRow(user.username, values, user.active)
        return rows

    def write(self, session: Session, key: str, values: dict[str, Any], is_new: bool) -> None:
        user = session.scalars(select(User).where(User.username == key)).one()
        user.bench = values.get("bench") or None
        session.flush()


BENCHES = BenchCatalog(
    name="benches",
    title=N_("Technicians and benches"),
    entity="bench",
    sheet="维修台",
    can_add=False,
    can_deactivate=False,
    fields=(
        Field("username", N_("User name"), "用户名", required=True, max_length=64),
        Field("display_name", N_("Name"), "姓名", read_only=True),
        Field("badge_code", N_("Badge"), "工牌", read_only=True),
        Field("bench", N_("Bench"), "维修台", max_length=64),
    ),
)


@dataclass(frozen=True)
class CalendarCatalog(Catalog):
    """Public holidays and make-up working days; importing a year replaces that year's list."""

    def load(self, session: Session) -> dict[str, CatalogRow]:
        return {
            row.day.isoformat(): CatalogRow(
                row.day.isoformat(),
                {"day": row.day, "kind": row.kind.value, "name": row.name},
            )
            for row in session.scalars(select(CalendarDay).order_by(CalendarDay.day))
        }

    def write(self, session: Session, key: str, values: dict[str, Any], is_new: bool) -> None:
        day = values["day"]
        row = CalendarDay(day=day) if is_new else session.get_one(CalendarDay, day)
        if "kind" in values:
            row.kind = CalendarDayKind(values["kind"])
        if "name" in values:
            row.name = values["name"] or None
        if is_new:
            session.add(row)
        session.flush()

    def delete(self, session: Session, key: str) -> None:
        session.execute(delete(CalendarDay).where(CalendarDay.day == _day(key)))

    def check(self, session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
        day, kind = values["day"], values.get("kind")
        if kind == CalendarDayKind.WORKDAY.value and day.weekday() < 5:
            return BadValue(
                N_("{day} is a weekday: a make-up working day falls on a Saturday or Sunday."),
                day=day.isoformat(),
            )
        return None

    def removed_by_import(self, existing: dict[str, CatalogRow], imported: set[str]) -> list[str]:
        years = {key[:4] for key in imported}
        return [key for key in existing if key[:4] in years and key not in imported]


def _day(key: str) -> Any:
    from datetime import date

    return date.fromisoformat(key)


CALENDAR = CalendarCatalog(
    name="calendar",
    title=N_("Holidays and make-up working days"),
    entity="calendar_day",
    sheet="节假日",
    can_deactivate=False,
    can_delete=True,
    fields=(
        Field("day", N_("Date"), "日期", Kind.DATE, required=True),
        Field(
            "kind",
            N_("Kind (holiday / workday)"),
            "类型",
            Kind.CHOICE,
            required=True,
            choices=tuple(k.value for k in CalendarDayKind),
        ),
        Field("name", N_("Name"), "名称", max_length=64),
    ),
)


@dataclass(frozen=True)
class SettingListCatalog(Catalog):
    """A pick list kept in a setting: active items in the setting itself (what the floor reads),
    deactivated ones beside it so they can be shown and brought back."""

    spec: Any = None

    @property
    def inactive_key(self) -> str:
        return self.spec.key + ".inactive"

    def _lists(self, session: Session) -> tuple[list[str], list[str]]:
        active = [str(item) for item in settings.get(session, self.spec)]
        row = settings.stored_row(session, self.inactive_key)
        return active, [str(item) for item in (row.value if row else [])]

    def _store(self, session: Session, active: list[str], inactive: list[str]) -> None:
        for key, value in ((self.spec.key, active), (self.inactive_key, inactive)):
            row = settings.stored_row(session, key)
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
        session.flush()

    def load(self, session: Session) -> dict[str, CatalogRow]:
        active, inactive = self._lists(session)
        rows = {item: CatalogRow(item, {"item": item}, True) for item in active}
        rows.update({item: CatalogRow(item, {"item": item}, False) for item in inactive})
        return rows

    def write(self, session: Session, key: str, values: dict[str, Any], is_new: bool) -> None:
        if is_new:
            active, inactive = self._lists(session)
            self._store(session, [*active, key], inactive)

    def write_active(self, session: Session, key: str, active_now: bool) -> None:
        active, inactive = self._lists(session)
        active = [item for item in active if item != key]
        inactive = [item for item in inactive if item != key]
        (active if active_now else inactive).append(key)
        self._store(session, active, inactive)


COMPLAINT_REMEDIES = SettingListCatalog(
    name="complaint_remedies",
    title=N_("Complaint remedies"),
    entity="setting_list",
    sheet="投诉补救方案",
    spec=settings.COMPLAINT_REMEDIES,
    fields=(Field("item", N_("Remedy"), "补救方案", required=True, max_length=255),),
)

QC_FAIL_REASON_LIST = SettingListCatalog(
    name="qc_fail_reasons",
    title=N_("QC fail reasons"),
    entity="setting_list",
    sheet="QC不良原因",
    spec=QC_FAIL_REASONS,
    fields=(Field("item", N_("Fail reason"), "不良原因", required=True, max_length=255),),
)

ALL_CATALOGS: tuple[Catalog, ...] = (
    PRODUCT_MODELS,
    PRODUCT_CATEGORIES,
    BENCHES,
    RACK_SLOTS,
    CARRIERS,
    FAULT_CODES,
    DEPARTMENTS,
    COMPLAINT_REMEDIES,
    QC_FAIL_REASON_LIST,
    CALENDAR,
    STAFF_MEMBERS,
    PENALTY_RULES,
    NOTICE_TEMPLATES,
)
