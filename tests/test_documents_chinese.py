"""In zh_CN a document never shows an English label or a raw stored code: the timeline PDF of
an order in every state, every Excel ledger and the audit-log export, over the demo month
(which reaches every repair state, QC result, shipment, complaint and follow-up), are read back
(pypdf, openpyxl) and searched for every English label and every stored value of every enum
shown to people."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import Enum

import pytest
from conftest import DEMO_NOW
from openpyxl import load_workbook
from pdfcheck import pdf_text
from sqlalchemy import select

from app.admin import audit_log
from app.audit_actions import AuditAction
from app.context import SYSTEM_ACTOR, Context
from app.ledgers.export import export_ledgers
from app.models import AuditEntry, ComplaintGrade, MoveKind, RepairOrder, RepairState, StockMove
from app.search.timeline import EVENT_LABELS, order_timeline
from app.search.timeline_text import timeline_document
from app.vocabulary import LABELS, label, translator

# Grades are written A / B / C in Chinese too (A级...): a single letter is no English word.
LATIN_IN_CHINESE = {member.value for member in ComplaintGrade}


def _forbidden() -> list[tuple[str, re.Pattern[str]]]:
    words: set[str] = {text for labels in LABELS.values() for text in labels.values()}
    words |= set(EVENT_LABELS.values())
    words |= {member.value for enum in LABELS for member in enum if isinstance(member, Enum)}
    words -= LATIN_IN_CHINESE
    return [(word, re.compile(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])")) for word in words]


FORBIDDEN = _forbidden()


def _english_in(text: str) -> list[str]:
    return sorted(word for word, pattern in FORBIDDEN if pattern.search(text))


@pytest.fixture
def month(demo_db):
    return demo_db


def test_timeline_pdfs_of_an_order_in_every_state_hold_no_english_label(month) -> None:
    with month.read() as session:
        states = set(session.scalars(select(RepairOrder.state).distinct()))
        actions = set(session.scalars(select(AuditEntry.action).distinct()))
        kinds = set(session.scalars(select(StockMove.kind).distinct()))
    # The data reaches every state, many actions and the everyday move kinds.
    assert states == set(RepairState)
    assert len(actions) >= 25 and actions <= {a.value for a in AuditAction}
    assert kinds >= {MoveKind.RECEIPT, MoveKind.ISSUE}
    zh = translator("zh_CN")
    with month.read() as session:
        orders = {
            state: session.scalar(
                select(RepairOrder.id).where(RepairOrder.state == state).order_by(RepairOrder.id)
            )
            for state in RepairState
        }
    found = {}
    for state, order_id in orders.items():
        text = pdf_text(
            timeline_document(order_timeline(Context(month, SYSTEM_ACTOR, "test"), order_id), zh)
        )
        assert zh(label(state)) in text
        if english := _english_in(text):
            found[state.value] = english
    assert not found


def test_excel_ledgers_hold_no_english_label_or_stored_code(month, tmp_path) -> None:
    reader = Context(month, SYSTEM_ACTOR, "test")  # the ledgers and the audit log need a reader
    files = export_ledgers(reader, date(2026, 10, 1), DEMO_NOW.date() + timedelta(days=1), tmp_path)
    files.append(tmp_path / "audit.xlsx")
    audit_log.export(reader, audit_log.AuditFilter(), files[-1])
    found: dict[str, set[str]] = {}
    cells = 0
    for path in files:
        for sheet in load_workbook(path, read_only=True).worksheets:
            for row in sheet.iter_rows(values_only=True):
                if path.stem == "audit":
                    # The user name is what the administrator typed (the demo's supervisor is
                    # "supervisor"); before / after are the stored record itself (field=value,
                    # as written: 处处可查). The action column is what this checks.
                    row = (row[0], *row[2:7], *row[9:])
                for value in row:
                    if isinstance(value, str):
                        cells += 1
                        if english := _english_in(value):
                            found.setdefault(path.stem, set()).update(english)
    assert cells > 1_000
    assert not found
