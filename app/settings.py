"""Center-wide settings: a supervisor edits them; they live in the ``settings`` table.

Each setting is declared once, here, as a typed ``SettingSpec`` of one of the kinds in
``app/setting_types.py`` (the model is Picard's option registry): its key, default, label, and
what a valid value is. Code reads a setting with
``get(session, SPEC)`` and gets the typed value (the default when it was never saved, or when
what is stored no longer reads). ``put_many`` saves several changes in one transaction, each
checked first and audited from what to what; a refusal saves nothing. A row whose key is
declared nowhere (a setting that was removed) is ignored.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, InvalidInput
from app.localtime import DEFAULT_ZONE_NAME, use_center_zone
from app.models import Setting
from app.permissions import Permission
from app.setting_types import (
    REGISTRY,
    BoolSetting,
    ChoiceSetting,
    IntSetting,
    LabelSize,
    LabelSizeSetting,
    ListSetting,
    SettingSpec,
    TextSetting,
    TimeSetting,
    TimeZoneSetting,
)

T = TypeVar("T")
log = logging.getLogger(__name__)


APOLOGY_TEMPLATE_FIELDS = (
    "customer_name",
    "complaint_no",
    "order_nos",
    "received_date",
    "facts",
    "remedy",
    "center_name",
)


class TemplateSetting(TextSetting):
    """A format template: refused when it names a field the letter does not have."""

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


# The center, on slips, waybills and letters.
CENTER_NAME = TextSetting("center.name", "售后维修中心", N_("Center name"), max_length=128)
CENTER_ADDRESS = TextSetting("center.address", "", N_("Center address"))
CENTER_PHONE = TextSetting("center.phone", "", N_("Center phone"), max_length=64)
CENTER_TIME_ZONE = TimeZoneSetting(
    "center.time_zone",
    DEFAULT_ZONE_NAME,
    N_("Center time zone (e.g. Asia/Shanghai)"),
    max_length=64,
)
# Where the daily backup is copied too (another disk, a network share), with the same rotation.
BACKUP_SECOND_FOLDER = TextSetting(
    "backup.second_folder",
    "",
    N_("Second backup folder (another disk or a network share; empty: none)"),
    max_length=512,
)
WORKDAY_START = TimeSetting("center.workday_start", time(8, 30), N_("Working day starts (HH:MM)"))
WORKDAY_END = TimeSetting("center.workday_end", time(18, 0), N_("Working day ends (HH:MM)"))

# Receiving, repair, shipping.
REWORK_WINDOW_DAYS = IntSetting(
    "receiving.rework_window_days", 90, N_("Rework window (days)"), minimum=0, maximum=730
)
FOLLOW_UP_WORKING_DAYS = IntSetting(
    "followup.working_days", 3, N_("Follow-up within (working days)"), minimum=1, maximum=60
)
# When a unit is replaced or its board swapped, the new serial's warranty either carries on from
# the old unit's purchase ("inherit") or starts on the day of the swap ("restart").
SWAP_WARRANTY_RULE = ChoiceSetting(
    "repair.swap_warranty_rule",
    "inherit",
    N_("Warranty after a serial swap"),
    choices=(
        ("inherit", N_("carries on from the old unit's purchase")),
        ("restart", N_("starts again on the day of the swap")),
    ),
)
LABEL_SIZE = LabelSizeSetting(
    "print.label_size", LabelSize(60, 40), N_("Repair-order label size (mm, width x height)")
)

# Complaints: the clocks (round the clock, or working hours only) and the apology letter.
COMPLAINT_FIRST_CONTACT_MINUTES = IntSetting(
    "complaints.first_contact_minutes",
    10,
    N_("Complaint: first contact within (minutes)"),
    minimum=1,
    maximum=24 * 60,
)
COMPLAINT_ANSWER_HOURS = IntSetting(
    "complaints.answer_hours",
    24,
    N_("Complaint: answer within (hours)"),
    minimum=1,
    maximum=30 * 24,
)
COMPLAINT_SETTLE_WORKING_DAYS = IntSetting(
    "complaints.settle_working_days",
    3,
    N_("Major complaint: settled within (working days)"),
    minimum=1,
    maximum=60,
)
COMPLAINT_FOLLOW_UP_DAYS = IntSetting(
    "complaints.follow_up_days", 3, N_("Complaint follow-up within (days)"), minimum=1, maximum=60
)
COMPLAINT_CLOCKS_IN_WORKING_HOURS = BoolSetting(
    "complaints.clocks_in_working_hours", False, N_("Complaint clocks count working hours only")
)
LETTERHEAD_LINES = TextSetting(
    "letters.letterhead",
    "",
    N_("Letterhead lines (empty: center name, address, phone)"),
    max_length=1000,
    multiline=True,
)
LETTER_SIGNATORY = TextSetting("letters.signatory", "客户服务部", N_("Letter signatory"))
GENERAL_MANAGER_NAME = TextSetting("letters.general_manager", "", N_("General manager's name"))
DEFAULT_APOLOGY_TEMPLATE = (
    "尊敬的{customer_name}:\n"
    "您好!{received_date}您就维修单{order_nos}向我们反映的问题(投诉编号{complaint_no}),"
    "我们已认真核查。经查:{facts}\n"
    "对此给您带来的不便和困扰,我们深表歉意。经与您协商,我们将为您:{remedy}。\n"
    "我们将以此为戒,加强管理,改进服务,感谢您对{center_name}的监督与支持。"
)
APOLOGY_TEMPLATE = TemplateSetting(
    "letters.apology_template",
    DEFAULT_APOLOGY_TEMPLATE,
    N_("Apology letter template"),
    max_length=5000,
    multiline=True,
)

# People: the rule for new passwords, and how far a station's clock may be from the server's.
PASSWORD_MIN_LENGTH = IntSetting(
    "users.password_min_length", 8, N_("Passwords: at least (characters)"), minimum=6, maximum=64
)
CLOCK_MAX_SKEW_SECONDS = IntSetting(
    "stations.clock_max_skew_seconds",
    120,
    N_("Station clocks: greatest difference from the server (seconds)"),
    minimum=5,
    maximum=3600,
)

# Pick lists a supervisor keeps on the catalogues page (one item per line).
COMPLAINT_REMEDIES = ListSetting(
    "complaints.remedies",
    ["免费重新维修", "更换新机", "退款", "赠送配件", "延长保修"],
    N_("Complaint remedies"),
)
QC_FAIL_REASONS = ListSetting(
    "qc.fail_reasons",
    [
        "老化中死机/重启",
        "触摸失灵",
        "充电异常",
        "听筒/扬声器杂音",
        "屏幕显示异常",
        "WiFi/蓝牙断连",
        "外观不良",
    ],
    N_("QC fail reasons"),
)

# Field quality: the early warning (app/quality/detector.py).
QUALITY_FALSE_ALARM_PER_MILLE = IntSetting(
    "quality.false_alarm_per_mille",
    2,
    N_("Early warning: chance of a false alarm per model and check (per mille)"),
    minimum=1,
    maximum=100,
)
QUALITY_WATCH_MONTHS = IntSetting(
    "quality.watch_months",
    12,
    N_("Early warning: months in service watched"),
    minimum=1,
    maximum=36,
)
QUALITY_NEW_MODEL_MONTHS = IntSetting(
    "quality.new_model_months",
    6,
    N_("Early warning: a new model is compared with its category for (months)"),
    minimum=0,
    maximum=24,
)

# The settings page, in this order (the pick lists have their own pages).
SETTINGS_PAGE: tuple[SettingSpec[Any], ...] = (
    CENTER_NAME,
    CENTER_ADDRESS,
    CENTER_PHONE,
    CENTER_TIME_ZONE,
    WORKDAY_START,
    WORKDAY_END,
    REWORK_WINDOW_DAYS,
    FOLLOW_UP_WORKING_DAYS,
    SWAP_WARRANTY_RULE,
    LABEL_SIZE,
    COMPLAINT_FIRST_CONTACT_MINUTES,
    COMPLAINT_ANSWER_HOURS,
    COMPLAINT_SETTLE_WORKING_DAYS,
    COMPLAINT_FOLLOW_UP_DAYS,
    COMPLAINT_CLOCKS_IN_WORKING_HOURS,
    LETTERHEAD_LINES,
    LETTER_SIGNATORY,
    GENERAL_MANAGER_NAME,
    APOLOGY_TEMPLATE,
    BACKUP_SECOND_FOLDER,
    PASSWORD_MIN_LENGTH,
    CLOCK_MAX_SKEW_SECONDS,
    QUALITY_FALSE_ALARM_PER_MILLE,
    QUALITY_WATCH_MONTHS,
    QUALITY_NEW_MODEL_MONTHS,
)


def get(session: Session, spec: SettingSpec[T]) -> T:
    """The setting's value: the default when never saved, or when what is stored does not read
    (logged: someone edited the table by hand, or an older version wrote it)."""
    # The value column only: read on a database of an older schema too (before its upgrade).
    row = session.execute(select(Setting.value).where(Setting.key == spec.key)).first()
    return spec.default if row is None else stored_value(spec, row.value)


def stored_value(spec: SettingSpec[T], stored: Any) -> T:
    """The setting's value from what is stored (None: never saved), as :func:`get` reads it:
    for a caller that reads the stored value within a statement of its own."""
    if stored is None:
        return spec.default
    try:
        return spec.coerce(stored)
    except InvalidInput:
        log.warning(
            "setting %s: stored value %r does not read; using the default", spec.key, stored
        )
        return spec.default


def stored_row(session: Session, key: str) -> Setting | None:
    """The row a key is stored in (this center's: the key is one center's), or None."""
    return session.scalar(select(Setting).where(Setting.key == key))


def versions_of(session: Session, specs: Iterable[SettingSpec[Any]]) -> dict[str, int]:
    """Each setting's version (0: never saved): what a form loads with the values."""
    keys = [spec.key for spec in specs]
    query = select(Setting.key, Setting.version).where(Setting.key.in_(keys))
    found = {key: version for key, version in session.execute(query)}
    return {key: found.get(key, 0) for key in keys}


def setting_version(ctx: Context, spec: SettingSpec[Any]) -> int:
    """One setting's version now (a number that shows nothing: any signed-in person may read it)."""
    with ctx.db.read() as session:
        return versions_of(session, [spec])[spec.key]


def current_versions(ctx: Context, specs: Iterable[SettingSpec[Any]]) -> dict[str, int]:
    """The versions of ``specs`` now, for a form that loads them."""
    with ctx.db.read() as session:
        return versions_of(session, specs)


def put(ctx: Context, spec: SettingSpec[T], value: Any, *, expected_version: int) -> None:
    put_many(ctx, {spec: value}, expected_version={spec.key: expected_version})


def put_many(
    ctx: Context, changes: Mapping[SettingSpec[Any], Any], *, expected_version: Mapping[str, int]
) -> int:
    """Save several settings at once: every value is checked first, then all are written in one
    transaction, each audited from what to what; any refusal saves none. Returns how many
    settings actually changed.

    ``expected_version`` holds the version of each changed setting as the form loaded it
    (:func:`versions_of`): one saved by someone else meanwhile is a Conflict, and none is saved.
    """
    ctx.require(Permission.ADMINISTER)
    for spec in changes:
        if REGISTRY.get(spec.key) is not spec:
            raise ValueError(f"{spec!r} is not a declared setting")
        if spec.key not in expected_version:
            raise ValueError(f"no loaded version given for {spec.key}")
    values = {spec: spec.coerce(value) for spec, value in changes.items()}
    with ctx.db.transaction() as session:
        rows = {
            row.key: row
            for row in session.scalars(
                select(Setting)
                .where(Setting.key.in_([spec.key for spec in values]))
                .with_for_update()
            )
        }
        for spec in values:
            current = rows[spec.key].version if spec.key in rows else 0
            versions.check(
                session,
                current,
                expected_version[spec.key],
                spec.label,
                entity="setting",
                entity_id=spec.key,
            )
        changed = {spec: value for spec, value in values.items() if value != get(session, spec)}
        _check_together({spec: values.get(spec, get(session, spec)) for spec in TOGETHER})
        for spec, value in changed.items():
            row = rows.get(spec.key)
            before = None if row is None else row.value
            after = spec.stored(value)
            if row is None:
                session.add(Setting(key=spec.key, value=after, version=1))
            else:
                row.value = after
                row.version += 1
            audit.record(
                session,
                ctx,
                AuditAction.CHANGE_SETTING,
                "setting",
                spec.key,
                before={"value": before},
                after={"value": after},
            )
        if CENTER_TIME_ZONE in changed:  # the KPIs' days are the center's calendar days
            from app import day_keeping  # the kept figures, counted again in the new zone

            day_keeping.rebuild(session.connection(), ZoneInfo(changed[CENTER_TIME_ZONE]))
    if CENTER_TIME_ZONE in changed:
        use_center_zone(changed[CENTER_TIME_ZONE])
    return len(changed)


TOGETHER: tuple[SettingSpec[Any], ...] = (WORKDAY_START, WORKDAY_END)


def _check_together(values: Mapping[SettingSpec[Any], Any]) -> None:
    """Rules between settings, checked on the values as they will be after the save."""
    if values[WORKDAY_START] >= values[WORKDAY_END]:
        raise InvalidInput(
            N_("The working day must end after it starts ({start} to {end})."),
            start=WORKDAY_START.stored(values[WORKDAY_START]),
            end=WORKDAY_END.stored(values[WORKDAY_END]),
        )
