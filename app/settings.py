"""Center-wide settings (a supervisor edits them; stored in the ``settings`` table).

Every setting is declared once here, with its type and default; reading a setting that was
never saved gives the default. Changes are audited (who changed what from what to what).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from app import audit
from app.context import Context
from app.errors import N_, InvalidInput
from app.models import Setting
from app.permissions import Permission

T = TypeVar("T")


@dataclass(frozen=True)
class SettingSpec(Generic[T]):
    key: str
    default: T
    label: str

    def coerce(self, value: Any) -> T:
        kind = type(self.default)
        if isinstance(value, kind):
            return value
        try:
            return kind(value)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            raise InvalidInput(
                N_("{label}: {value} is not a valid value."), label=self.label, value=repr(value)
            ) from None


CENTER_NAME = SettingSpec("center.name", "售后维修中心", N_("Center name"))
CENTER_ADDRESS = SettingSpec("center.address", "", N_("Center address"))
CENTER_PHONE = SettingSpec("center.phone", "", N_("Center phone"))
REWORK_WINDOW_DAYS = SettingSpec("receiving.rework_window_days", 90, N_("Rework window (days)"))
FOLLOW_UP_WORKING_DAYS = SettingSpec(
    "followup.working_days", 3, N_("Follow-up within (working days)")
)
DEFAULT_TURNAROUND_DAYS = SettingSpec(
    "repair.turnaround_days", 3, N_("Default turnaround (working days)")
)

# When a unit is replaced or its board swapped, the new serial's warranty either carries on from
# the old unit's purchase ("inherit") or starts on the day of the swap ("restart").
SWAP_WARRANTY_RULE = SettingSpec(
    "repair.swap_warranty_rule", "inherit", N_("Warranty after a serial swap")
)

# Center settings edited on the administration tab (printing, hours, deadlines, this station).
LABEL_SIZE = SettingSpec("print.label_size", "50x30", N_("Label size (mm, width x height)"))
PAPER_SIZE = SettingSpec("print.paper_size", "A4", N_("Paper size"))
DEFAULT_PRINTER = SettingSpec("print.default_printer", "", N_("Default printer"))
WORKDAY_START = SettingSpec("center.workday_start", "08:30", N_("Working day starts (HH:MM)"))
WORKDAY_END = SettingSpec("center.workday_end", "18:00", N_("Working day ends (HH:MM)"))
COMPLAINT_FIRST_CONTACT_MINUTES = SettingSpec(
    "complaints.first_contact_minutes", 10, N_("Complaint: first contact within (minutes)")
)
COMPLAINT_ANSWER_HOURS = SettingSpec(
    "complaints.answer_hours", 24, N_("Complaint: answer within (hours)")
)
COMPLAINT_SETTLE_WORKING_DAYS = SettingSpec(
    "complaints.settle_working_days", 3, N_("Major complaint: settled within (working days)")
)
COMPLAINT_FOLLOW_UP_DAYS = SettingSpec(
    "complaints.follow_up_days", 3, N_("Complaint follow-up within (days)")
)
STATION_NAME = SettingSpec("station.name", "", N_("Station name"))
# A list a supervisor keeps on the catalogues page (one remedy per line).
COMPLAINT_REMEDIES = SettingSpec(
    "complaints.remedies",
    ["免费重新维修", "更换新机", "退款", "赠送配件", "延长保修"],
    N_("Complaint remedies"),
)

ADMIN_SETTINGS: tuple[SettingSpec[Any], ...] = (
    LABEL_SIZE,
    PAPER_SIZE,
    DEFAULT_PRINTER,
    WORKDAY_START,
    WORKDAY_END,
    COMPLAINT_FIRST_CONTACT_MINUTES,
    COMPLAINT_ANSWER_HOURS,
    COMPLAINT_SETTLE_WORKING_DAYS,
    COMPLAINT_FOLLOW_UP_DAYS,
    STATION_NAME,
)

# Complaints (issue 8): whether the first-contact and answer clocks run only in working hours
# (WORKDAY_START..WORKDAY_END on working days) or round the clock; the apology letter's
# letterhead, signatory and template (a Python format string with named fields, checked on save).
COMPLAINT_CLOCKS_IN_WORKING_HOURS = SettingSpec(
    "complaints.clocks_in_working_hours", False, N_("Complaint clocks count working hours only")
)
LETTERHEAD_LINES = SettingSpec(
    "letters.letterhead", "", N_("Letterhead lines (empty: center name, address, phone)")
)
LETTER_SIGNATORY = SettingSpec("letters.signatory", "客户服务部", N_("Letter signatory"))
GENERAL_MANAGER_NAME = SettingSpec("letters.general_manager", "", N_("General manager's name"))

APOLOGY_TEMPLATE_FIELDS = (
    "customer_name",
    "complaint_no",
    "order_nos",
    "received_date",
    "facts",
    "remedy",
    "center_name",
)
DEFAULT_APOLOGY_TEMPLATE = (
    "尊敬的{customer_name}:\n"
    "您好!{received_date}您就维修单{order_nos}向我们反映的问题(投诉编号{complaint_no}),"
    "我们已认真核查。经查:{facts}\n"
    "对此给您带来的不便和困扰,我们深表歉意。经与您协商,我们将为您:{remedy}。\n"
    "我们将以此为戒,加强管理,改进服务,感谢您对{center_name}的监督与支持。"
)


class TemplateSettingSpec(SettingSpec[str]):
    """A format template: refused on save when it names a field the letter does not have."""

    fields: tuple[str, ...] = APOLOGY_TEMPLATE_FIELDS

    def coerce(self, value: Any) -> str:
        text = super().coerce(value)
        try:
            names = [
                field for _, field, _, _ in string.Formatter().parse(text) if field is not None
            ]
        except ValueError as error:
            raise InvalidInput(
                N_("{label}: the template does not read ({error}); write braces as {{{{ }}}}."),
                label=self.label,
                error=str(error),
            ) from None
        for name in names:
            if name not in self.fields:
                raise InvalidInput(
                    N_("{label}: {{{field}}} is not a field of the letter; use {fields}."),
                    label=self.label,
                    field=name,
                    fields=", ".join("{" + f + "}" for f in self.fields),
                )
        if "customer_name" not in names or "remedy" not in names:
            raise InvalidInput(
                N_("{label}: the letter must name the customer and the remedy."),
                label=self.label,
            )
        return text


APOLOGY_TEMPLATE = TemplateSettingSpec(
    "letters.apology_template", DEFAULT_APOLOGY_TEMPLATE, N_("Apology letter template")
)
COMPLAINT_LETTER_SETTINGS: tuple[SettingSpec[Any], ...] = (
    COMPLAINT_CLOCKS_IN_WORKING_HOURS,
    LETTERHEAD_LINES,
    LETTER_SIGNATORY,
    GENERAL_MANAGER_NAME,
    APOLOGY_TEMPLATE,
)

ALL_SETTINGS: tuple[SettingSpec[Any], ...] = (
    CENTER_NAME,
    CENTER_ADDRESS,
    CENTER_PHONE,
    REWORK_WINDOW_DAYS,
    FOLLOW_UP_WORKING_DAYS,
    DEFAULT_TURNAROUND_DAYS,
    SWAP_WARRANTY_RULE,
    *ADMIN_SETTINGS,
    *COMPLAINT_LETTER_SETTINGS,
)


def get(session: Session, spec: SettingSpec[T]) -> T:
    row = session.get(Setting, spec.key)
    return spec.default if row is None else spec.coerce(row.value)


def put(ctx: Context, spec: SettingSpec[T], value: T) -> None:
    ctx.require(Permission.ADMINISTER)
    value = spec.coerce(value)
    with ctx.db.transaction() as session:
        row = session.get(Setting, spec.key)
        before = None if row is None else row.value
        if row is None:
            session.add(Setting(key=spec.key, value=value))
        else:
            row.value = value
        audit.record(
            session,
            ctx,
            "change_setting",
            "setting",
            spec.key,
            before={"value": before},
            after={"value": value},
        )
