"""Reads are permission-checked in the core like writes: a role without the permission a read
needs is refused, whatever the window shows or hides."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app import complaints
from app.admin import audit_log, catalogs
from app.admin.backup import shelf
from app.admin.catalog_tables import FAULT_CODES
from app.allocation import dispatch, workbench
from app.complaints import (
    accountability,
    followups,
    handler,
    notices,
    people,
    steps,
    survey,
    watchlist,
)
from app.complaints.escalation import escalations_of
from app.context import Context
from app.documents.apology import apology_letter_pdf
from app.errors import DomainError, PermissionDenied
from app.headquarters.daily_report import station_report
from app.ledgers import kpi, tiles
from app.ledgers.export import export_ledgers
from app.models import CauseSubject, Role
from app.orders.listing import state_counts
from app.parts import issuing as parts_issuing
from app.parts import master as parts_master_rows
from app.parts import master_sheet as parts_master
from app.parts import shortage as parts_shortage
from app.parts import views as parts_views
from app.permissions import ROLE_PERMISSIONS, Permission
from app.qc import aging as qc_aging
from app.qc import desk as qc_desk
from app.qc import views as qc_views
from app.quality import actions as quality_actions
from app.quality import alarms as quality_alarms
from app.quality import knowledge as quality_knowledge
from app.quality import rates as quality_rates
from app.quality import report as quality_report
from app.receiving import boxes, condition, desk, pending_checks
from app.receiving.order_labels import label_data, order_labels_pdf, order_labels_zpl
from app.shipping import views as shipping_views
from app.users import list_users

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
QUALITY_FROM, QUALITY_TO = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
START, END = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)

Read = Callable[[Context, Path], Any]


def _fault_codes_file(out: Path) -> Path:
    workbook = Workbook()
    workbook.active.append(["故障代码", "故障描述"])
    workbook.active.append(["F01", "不开机"])
    workbook.save(out / "faults.xlsx")
    return out / "faults.xlsx"


# Every permission-checked read: what it needs, and a call of it.
CHECKED_READS: dict[str, tuple[Permission, Read]] = {
    "export_ledgers": (
        Permission.VIEW_LEDGERS,
        lambda ctx, out: export_ledgers(ctx, FIRST, LAST, out, ["receiving"]),
    ),
    "period_kpis": (Permission.VIEW_LEDGERS, lambda ctx, _: kpi.period_kpis(ctx, FIRST, LAST)),
    "model_rates": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: quality_rates.model_rates(ctx, "X1", FIRST, LAST),
    ),
    "rates overview": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: quality_rates.overview(ctx, FIRST, LAST),
    ),
    "alarm_list": (Permission.VIEW_LEDGERS, lambda ctx, _: quality_alarms.alarm_list(ctx)),
    "knowledge_articles": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: quality_knowledge.knowledge_articles(ctx, text="屏"),
    ),
    "open_actions": (Permission.VIEW_LEDGERS, lambda ctx, _: quality_actions.open_actions(ctx)),
    "cause_pareto": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: quality_actions.cause_pareto(ctx, QUALITY_FROM, QUALITY_TO),
    ),
    "subject_for": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: quality_actions.subject_for(ctx, CauseSubject.REWORK, "RO-NONE"),
    ),
    "quality_report": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: quality_report.quality_report(ctx, "X1", FIRST),
    ),
    "ledgers tile_figures": (Permission.VIEW_LEDGERS, lambda ctx, _: tiles.tile_figures(ctx, END)),
    "ledgers tile_rows": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: tiles.tile_rows(ctx, tiles.Tile.OVERDUE_ORDERS, END),
    ),
    "complaints handling_progress": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: steps.handling_progress(ctx, 1),
    ),
    "receiving pending_checks": (
        Permission.RECEIVE,
        lambda ctx, _: pending_checks.pending_checks(ctx, 1),
    ),
    "monthly_kpis": (Permission.VIEW_LEDGERS, lambda ctx, _: kpi.monthly_kpis(ctx, FIRST, LAST)),
    "turnaround_histogram": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: kpi.turnaround_histogram(ctx, FIRST, LAST),
    ),
    "technician_productivity": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: kpi.technician_productivity(ctx, FIRST, LAST),
    ),
    "parts ledger_page": (Permission.ISSUE_PARTS, lambda ctx, _: parts_views.ledger_page(ctx)),
    "parts count_moves": (Permission.ISSUE_PARTS, lambda ctx, _: parts_views.count_moves(ctx)),
    "parts slow_moving": (Permission.ISSUE_PARTS, lambda ctx, _: parts_views.slow_moving(ctx)),
    "parts defective_stock": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_views.defective_stock(ctx),
    ),
    "parts count_parts": (Permission.ISSUE_PARTS, lambda ctx, _: parts_views.count_parts(ctx)),
    "parts part_stock_page": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_views.part_stock_page(ctx, offset=0, limit=10),
    ),
    "qc find_slot": (Permission.QC, lambda ctx, _: qc_views.find_slot(ctx, "A-01")),
    "qc sign_off_form": (Permission.QC, lambda ctx, _: qc_views.sign_off_form(ctx, 1)),
    "qc desk scanned": (Permission.QC, lambda ctx, _: qc_desk.scanned(ctx, "A-01")),
    "qc desk sign_off_read": (Permission.QC, lambda ctx, _: qc_desk.sign_off_read(ctx, 1)),
    "qc rack_view": (Permission.QC, lambda ctx, _: qc_views.rack_view(ctx)),
    "qc over_time": (Permission.QC, lambda ctx, _: qc_views.over_time(ctx)),
    "qc first_pass_yield": (
        Permission.QC,
        lambda ctx, _: qc_views.first_pass_yield(ctx, START, END),
    ),
    "shipping ready_to_ship": (Permission.SHIP, lambda ctx, _: shipping_views.ready_to_ship(ctx)),
    "shipping packing_lines": (
        Permission.SHIP,
        lambda ctx, _: shipping_views.packing_lines(ctx, 1),
    ),
    "shipping open_shipments": (Permission.SHIP, lambda ctx, _: shipping_views.open_shipments(ctx)),
    "shipping shipment_view": (
        Permission.SHIP,
        lambda ctx, _: shipping_views.shipment_view(ctx, 1),
    ),
    "shipping active_carriers": (
        Permission.SHIP,
        lambda ctx, _: shipping_views.active_carriers(ctx),
    ),
    "shipping carrier_for_waybill": (
        Permission.SHIP,
        lambda ctx, _: shipping_views.carrier_for_waybill(ctx, "SF1234567890123"),
    ),
    "shipping waybill_document": (
        Permission.SHIP,
        lambda ctx, _: shipping_views.waybill_document(ctx, 1),
    ),
    "shipping shipping_ledger": (
        Permission.SHIP,
        lambda ctx, _: shipping_views.shipping_ledger(ctx, START, END),
    ),
    "complaints register_rows": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.register_rows(ctx),
    ),
    "complaints count_overdue": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.count_overdue(ctx, START),
    ),
    "complaints overdue_complaints": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.overdue_complaints(ctx, START),
    ),
    "complaints complaint_detail": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.complaint_detail(ctx, 1),
    ),
    "complaints after_sales_problems": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.after_sales_problems(ctx, 1, START),
    ),
    "complaints customers_with_three_problems": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.customers_with_three_problems(ctx, START),
    ),
    "complaints departments": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.departments(ctx),
    ),
    "complaints find_customers": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: complaints.find_customers(ctx, "张"),
    ),
    "complaints apology_letter_pdf": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: apology_letter_pdf(ctx, 1),
    ),
    "followups worklist": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: followups.worklist(ctx)),
    "followups count_overdue": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: followups.count_overdue(ctx, START),
    ),
    "orders state_counts": (Permission.VIEW_LEDGERS, lambda ctx, _: state_counts(ctx)),
    "allocation check_allocatable": (
        Permission.ALLOCATE,
        lambda ctx, _: dispatch.check_allocatable(ctx, "RO000"),
    ),
    "allocation badge_or_label": (
        Permission.ALLOCATE,
        lambda ctx, _: dispatch.badge_or_label(ctx, "RO000"),
    ),
    "audit_log count": (
        Permission.ADMINISTER,
        lambda ctx, _: audit_log.count(ctx, audit_log.AuditFilter()),
    ),
    "audit_log page": (
        Permission.ADMINISTER,
        lambda ctx, _: audit_log.page(ctx, audit_log.AuditFilter(), 0, 10),
    ),
    "audit_log choices": (Permission.ADMINISTER, lambda ctx, _: audit_log.choices(ctx)),
    "backup list_backups": (Permission.ADMINISTER, lambda ctx, out: shelf.list_backups(ctx, out)),
    "backup check_backup": (
        Permission.ADMINISTER,
        lambda ctx, out: shelf.check_backup(ctx, out / "none.rfbackup"),
    ),
    "audit_log export": (
        Permission.ADMINISTER,
        lambda ctx, out: audit_log.export(ctx, audit_log.AuditFilter(), out / "audit.xlsx"),
    ),
    "parts purchase_requests": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_shortage.purchase_requests(ctx),
    ),
    "parts shortage_parts": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_shortage.shortage_parts(ctx),
    ),
    "parts export_purchase_requests": (
        Permission.ISSUE_PARTS,
        lambda ctx, out: parts_shortage.export_purchase_requests(ctx, out / "requests.xlsx"),
    ),
    "parts export_master": (
        Permission.ISSUE_PARTS,
        lambda ctx, out: parts_master.export_master(ctx, out / "master.xlsx"),
    ),
    "parts master_parts": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_master_rows.master_parts(ctx),
    ),
    "parts stock_row": (Permission.ISSUE_PARTS, lambda ctx, _: parts_master_rows.stock_row(ctx, 1)),
    "parts check_issue": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_issuing.check_issue(ctx, 1, 1),
    ),
    "parts part_by_code": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_issuing.part_by_code(ctx, "SCR-X1"),
    ),
    "parts order_technician": (
        Permission.ISSUE_PARTS,
        lambda ctx, _: parts_issuing.order_technician(ctx, 1),
    ),
    "allocation workload": (Permission.ALLOCATE, lambda ctx, _: dispatch.workload(ctx, START)),
    "allocation out_book": (
        Permission.ALLOCATE,
        lambda ctx, _: dispatch.out_book(ctx, FIRST, LAST),
    ),
    "workbench suggestions": (Permission.REPAIR, lambda ctx, _: workbench.suggestions(ctx, 1)),
    "workbench pending_charge": (
        Permission.CONFIRM_CHARGE,
        lambda ctx, _: workbench.pending_charge(ctx, 1),
    ),
    "workbench charges_to_call": (
        Permission.CONFIRM_CHARGE,
        lambda ctx, _: workbench.charges_to_call(ctx, [1]),
    ),
    "catalogs rows": (Permission.ADMINISTER, lambda ctx, _: catalogs.rows(ctx, FAULT_CODES)),
    "catalogs export": (
        Permission.ADMINISTER,
        lambda ctx, out: catalogs.export(ctx, FAULT_CODES, out / "faults.xlsx"),
    ),
    "users list_users": (Permission.MANAGE_USERS, lambda ctx, _: list_users(ctx)),
    "qc fail_reasons": (Permission.QC, lambda ctx, _: qc_aging.fail_reasons(ctx)),
    "receiving box_summary": (Permission.RECEIVE, lambda ctx, _: boxes.box_summary(ctx, 1)),
    "receiving open_boxes": (Permission.RECEIVE, lambda ctx, _: boxes.open_boxes(ctx)),
    "receiving receiving_slip": (Permission.RECEIVE, lambda ctx, _: boxes.receiving_slip(ctx, 1)),
    "receiving condition_form": (
        Permission.RECEIVE,
        lambda ctx, _: condition.condition_form(ctx, 1),
    ),
    "receiving search_senders": (Permission.RECEIVE, lambda ctx, _: desk.search_senders(ctx, "张")),
    "receiving model_choices": (Permission.RECEIVE, lambda ctx, _: desk.model_choices(ctx)),
    "receiving box_defaults": (Permission.RECEIVE, lambda ctx, _: desk.box_defaults(ctx, 1)),
    "receiving unit_history": (
        Permission.RECEIVE,
        lambda ctx, _: desk.unit_history(ctx, "860123450000001"),
    ),
    "receiving box_lines": (Permission.RECEIVE, lambda ctx, _: desk.box_lines(ctx, 1)),
    "receiving order_labels_pdf": (Permission.RECEIVE, lambda ctx, _: order_labels_pdf(ctx, [1])),
    "receiving order_labels_zpl": (Permission.RECEIVE, lambda ctx, _: order_labels_zpl(ctx, [1])),
    "catalogs preview_import": (
        Permission.ADMINISTER,
        lambda ctx, out: catalogs.preview_import(ctx, FAULT_CODES, _fault_codes_file(out)),
    ),
    "receiving check_waybill": (
        Permission.RECEIVE,
        lambda ctx, _: desk.check_waybill(ctx, "SF1234567890123"),
    ),
    "receiving scan_unit": (
        Permission.RECEIVE,
        lambda ctx, _: desk.scan_unit(ctx, None, "860123450000001"),
    ),
    "receiving label_data": (Permission.RECEIVE, lambda ctx, _: label_data(ctx, [1])),
    # customer care
    "care preview": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: accountability.preview(ctx, 1)),
    "care sheet": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: accountability.sheet(ctx, "2026-11"),
    ),
    "care handler_of": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: handler.handler_of(ctx, 1)),
    "care consent_of": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: notices.consent_of(ctx, 1)),
    "care outbox": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: notices.outbox(ctx)),
    "care staff_list": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: people.staff_list(ctx)),
    "care apology_calls": (Permission.HANDLE_COMPLAINTS, lambda ctx, _: survey.apology_calls(ctx)),
    "care satisfaction": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: survey.satisfaction(
            ctx, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        ),
    ),
    "complaints escalations_of": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: escalations_of(ctx, 1),
    ),
    "headquarters station_report": (
        Permission.VIEW_LEDGERS,
        lambda ctx, _: station_report(ctx),
    ),
    "care new_orders_of_watched": (
        Permission.HANDLE_COMPLAINTS,
        lambda ctx, _: watchlist.new_orders_of_watched(ctx),
    ),
}


def _roles(permission: Permission, *, granted: bool) -> list[Role]:
    return [role for role, held in ROLE_PERMISSIONS.items() if (permission in held) == granted]


@pytest.fixture
def signed_in(make_user: Callable[..., Context]) -> Callable[[Role], Context]:
    made: dict[Role, Context] = {}

    def sign_in(role: Role) -> Context:
        if role not in made:
            made[role] = make_user(role, username=f"reader_{role.value}")
        return made[role]

    return sign_in


@pytest.mark.parametrize("name", sorted(CHECKED_READS))
def test_a_role_without_the_permission_is_refused_the_read(
    name: str, signed_in: Callable[[Role], Context], tmp_path: Path
) -> None:
    permission, read = CHECKED_READS[name]
    refused = _roles(permission, granted=False)
    assert refused, f"every role may do {permission}: nothing to check"
    for role in refused:
        with pytest.raises(PermissionDenied):
            read(signed_in(role), tmp_path)


@pytest.mark.parametrize("name", sorted(CHECKED_READS))
def test_a_role_with_the_permission_gets_the_read(
    name: str, signed_in: Callable[[Role], Context], tmp_path: Path
) -> None:
    permission, read = CHECKED_READS[name]
    for role in _roles(permission, granted=True):
        out = tmp_path / role.value
        out.mkdir()
        try:
            read(signed_in(role), out)
        except PermissionDenied:
            raise
        except DomainError:
            pass  # refused for what was asked (e.g. no such order), past the permission check


# Writes that read before they hand over to a helper's unit of work (the AST cannot tell).
WRITES_READING_FIRST = frozenset({"parts.moves.sell", "parts.moves.count_stock"})


def _checked_reads_in_the_core() -> set[str]:
    """Public functions of app/ that check a permission and read without opening a unit of
    work (a write goes through ``ctx.db.transaction()``, directly or in a helper)."""
    found = set()
    for path in (Path(__file__).parents[1] / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            source = ast.unparse(node)
            reads = "ctx.db.read()" in source and "transaction()" not in source
            if reads and "ctx.require(" in source:
                found.add(f"{path.parent.name}.{path.stem}.{node.name}")
    return found - WRITES_READING_FIRST


def test_every_checked_read_of_the_core_is_in_the_table() -> None:
    named = {key.split()[-1] for key in CHECKED_READS}
    missing = {name for name in _checked_reads_in_the_core() if name.split(".")[-1] not in named}
    assert not missing, f"add these reads to CHECKED_READS: {sorted(missing)}"
