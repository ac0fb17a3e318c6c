"""The early-warning alarms: a check runs the detector over the sales register and the returns,
and raises an alarm per (model, sale month, fault code) found; a supervisor acknowledges each
with a note (what is being done) and closes it when the source is stopped. Every step audited;
acknowledging and closing save over the version the form loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, settings, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.models import AlarmStatus, FaultCode, ProductModel, QualityAlarm, SalesRecord
from app.permissions import Permission
from app.quality.detector import Finding, ModelInfo, Rule, detect, month_index, month_start
from app.quality.rates import cohort_sizes, month_of, return_counts


def default_rule() -> Rule:
    """The rule with the settings' defaults (what the benchmark measures)."""
    return Rule(
        alpha=settings.QUALITY_FALSE_ALARM_PER_MILLE.default / 1000,
        watch_months=settings.QUALITY_WATCH_MONTHS.default,
        new_model_months=settings.QUALITY_NEW_MODEL_MONTHS.default,
    )


def rule_from(session: Session) -> Rule:
    return Rule(
        alpha=settings.get(session, settings.QUALITY_FALSE_ALARM_PER_MILLE) / 1000,
        watch_months=settings.get(session, settings.QUALITY_WATCH_MONTHS),
        new_model_months=settings.get(session, settings.QUALITY_NEW_MODEL_MONTHS),
    )


def findings_as_of(session: Session, as_of: datetime, rule: Rule) -> list[Finding]:
    """The detector over the database: cohorts sold in the last two watch windows (the older
    ones are the history of the newer), their returns received before ``as_of``."""
    day = as_of.date()
    first = month_start(month_index(day) - 2 * rule.watch_months)
    cohorts = cohort_sizes(session, first, day)
    returns = return_counts(session, first, day, as_of)
    launched = select(SalesRecord.model_code, month_of(func.min(SalesRecord.sale_date))).group_by(
        SalesRecord.model_code
    )
    launch = {code: int(month) for code, month in session.execute(launched)}
    categories = {
        code: category
        for code, category in session.execute(select(ProductModel.code, ProductModel.category))
    }
    models = {
        code: ModelInfo(categories[code], month)
        for code, month in launch.items()
        if code in categories
    }
    return detect(cohorts, returns, models, day, rule)


def check_for_alarms(ctx: Context, as_of: datetime | None = None) -> list[int]:
    """Run the early warning now (or as of ``as_of``) over the returns this center sees: raise
    an alarm for each new finding, bring the counts of the alarms still open up to date.
    Returns the new alarms' ids."""
    ctx.require(Permission.APPROVE)
    as_of = as_of or ctx.now()
    with ctx.db.transaction() as session:
        return raise_alarms(session, ctx, as_of, own_center=None)


def raise_alarms(
    session: Session, ctx: Context, as_of: datetime, *, own_center: int | None
) -> list[int]:
    """The check in the caller's transaction. ``own_center``: when the transaction reads every
    center (headquarters' network view), the alarms it may update are its own center's only."""
    findings = findings_as_of(session, as_of, rule_from(session))
    ids = {code: id_ for code, id_ in session.execute(select(ProductModel.code, ProductModel.id))}
    raised = []
    for finding in findings:
        model_id, sale_month = ids[finding.model], month_start(finding.sale_month)
        query = select(QualityAlarm).where(
            QualityAlarm.product_model_id == model_id,
            QualityAlarm.sale_month == sale_month,
            QualityAlarm.fault_code == finding.fault_code,
        )
        if own_center is not None:
            query = query.where(QualityAlarm.center_id == own_center)
        alarm = session.scalar(query.with_for_update())
        new = alarm is None
        if alarm is None:
            alarm = QualityAlarm(
                product_model_id=model_id,
                sale_month=sale_month,
                fault_code=finding.fault_code,
                first_detected_at=as_of,
                status=AlarmStatus.OPEN,
            )
            session.add(alarm)
        elif alarm.status is AlarmStatus.CLOSED:
            continue
        alarm.months_in_service = finding.months_in_service
        alarm.observed, alarm.expected = finding.observed, finding.expected
        alarm.p_value, alarm.basis, alarm.last_tested_at = (
            finding.p_value,
            finding.basis,
            as_of,
        )
        session.flush()
        if new:
            raised.append(alarm.id)
            audit.record(
                session,
                ctx,
                AuditAction.QUALITY_ALARM,
                "quality_alarm",
                alarm.id,
                after={
                    "model": finding.model,
                    "sale_month": sale_month,
                    "fault_code": finding.fault_code,
                    "observed": finding.observed,
                    "expected": round(finding.expected, 2),
                },
            )
    return raised


@dataclass(frozen=True)
class AlarmRow:
    id: int
    model_code: str
    model_name: str
    sale_month: date
    fault_code: str
    fault_text: str
    months_in_service: int
    observed: int
    expected: float
    p_value: float
    basis: str
    since: datetime
    status: AlarmStatus
    acknowledge_note: str | None
    close_note: str | None
    version: int
    center_id: int = 1  # whose alarm: headquarters' view lists every center's

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else float("inf")


def alarm_list(
    ctx: Context, *, include_closed: bool = False, model_code: str | None = None
) -> list[AlarmRow]:
    """The alarms, newest first: open and acknowledged ones (and closed ones when asked)."""
    ctx.require(Permission.VIEW_LEDGERS)
    with ctx.db.read() as session:
        return read_alarms(session, include_closed=include_closed, model_code=model_code)


def read_alarms(
    session: Session,
    *,
    include_closed: bool = False,
    model_code: str | None = None,
    detected_before: datetime | None = None,
) -> list[AlarmRow]:
    query = (
        select(QualityAlarm, ProductModel.code, ProductModel.name, FaultCode.description)
        .join(ProductModel, ProductModel.id == QualityAlarm.product_model_id)
        .outerjoin(FaultCode, FaultCode.code == QualityAlarm.fault_code)
        .order_by(QualityAlarm.first_detected_at.desc(), QualityAlarm.id.desc())
    )
    if not include_closed:
        query = query.where(QualityAlarm.status != AlarmStatus.CLOSED)
    if model_code is not None:
        query = query.where(ProductModel.code == model_code)
    if detected_before is not None:
        query = query.where(QualityAlarm.first_detected_at < detected_before)
    return [
        AlarmRow(
            a.id,
            code,
            name,
            a.sale_month,
            a.fault_code,
            text or a.fault_code,
            a.months_in_service,
            a.observed,
            a.expected,
            a.p_value,
            a.basis,
            a.first_detected_at,
            a.status,
            a.acknowledge_note,
            a.close_note,
            a.version,
            a.center_id,
        )
        for a, code, name, text in session.execute(query)
    ]


def alarm_version(ctx: Context, alarm_id: int) -> int:
    """The alarm's version now (a number that shows nothing: any signed-in person may read it)."""
    with ctx.db.read() as session:
        version = session.scalar(select(QualityAlarm.version).where(QualityAlarm.id == alarm_id))
    if version is None:
        raise NotFound(N_("There is no alarm with id {id}."), id=alarm_id)
    return version


def _load(session: Session, alarm_id: int, expected_version: int) -> QualityAlarm:
    alarm = session.scalar(
        select(QualityAlarm).where(QualityAlarm.id == alarm_id).with_for_update()
    )
    if alarm is None:
        raise NotFound(N_("There is no alarm with id {id}."), id=alarm_id)
    versions.check(
        session,
        alarm.version,
        expected_version,
        f"#{alarm.id} {alarm.fault_code}",
        entity="quality_alarm",
        entity_id=alarm.id,
    )
    return alarm


def _note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(message)
    return note


def acknowledge_alarm(ctx: Context, alarm_id: int, note: str, *, expected_version: int) -> int:
    """A supervisor has seen the alarm: the note says what is being done (a later note replaces
    it while the alarm is open). Returns the alarm's new version."""
    ctx.require(Permission.APPROVE)
    note = _note(note, N_("Say what is being done about the alarm."))
    with ctx.db.transaction() as session:
        alarm = _load(session, alarm_id, expected_version)
        if alarm.status is AlarmStatus.CLOSED:
            raise Conflict(N_("The alarm is already closed."))
        before = {"note": alarm.acknowledge_note}
        alarm.status, alarm.acknowledge_note = AlarmStatus.ACKNOWLEDGED, note
        alarm.acknowledged_at, alarm.acknowledged_by_id = ctx.now(), ctx.actor.user_id
        audit.record(
            session,
            ctx,
            AuditAction.ACKNOWLEDGE_ALARM,
            "quality_alarm",
            alarm.id,
            before=before,
            after={"note": note},
        )
        session.flush()
        return alarm.version


def close_alarm(ctx: Context, alarm_id: int, note: str, *, expected_version: int) -> int:
    """The alarm followed to its end: the note says what was found and how the source was
    stopped. An alarm nobody acknowledged may be closed too (e.g. a known cause)."""
    ctx.require(Permission.APPROVE)
    note = _note(note, N_("Say how the alarm was resolved."))
    with ctx.db.transaction() as session:
        alarm = _load(session, alarm_id, expected_version)
        if alarm.status is AlarmStatus.CLOSED:
            raise Conflict(N_("The alarm is already closed."))
        before = {"status": alarm.status}
        alarm.status, alarm.close_note = AlarmStatus.CLOSED, note
        alarm.closed_at, alarm.closed_by_id = ctx.now(), ctx.actor.user_id
        audit.record(
            session,
            ctx,
            AuditAction.CLOSE_ALARM,
            "quality_alarm",
            alarm.id,
            before=before,
            after={"status": alarm.status},
            detail=note,
        )
        session.flush()
        return alarm.version


def open_alarm_count(session: Session) -> int:
    query = select(func.count()).where(QualityAlarm.status == AlarmStatus.OPEN)
    return int(session.scalar(query) or 0)
