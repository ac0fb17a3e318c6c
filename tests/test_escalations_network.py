"""Escalations on PostgreSQL under row-level security: station B's escalation is read by B and by
headquarters' network view, never by A; headquarters answers in its own row, which B reads and
cannot change, and headquarters cannot change B's escalation. (SQLite: one center, skipped.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from test_center_isolation import _people, network, two_floors  # noqa: F401  (fixtures)

from app import complaints
from app.centers import network_view
from app.complaints.escalation import escalate_complaint, escalations_of
from app.errors import NotFound
from app.headquarters.escalations import (
    _escalation,
    answer_escalation,
    take_escalation,
    worklist,
)
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    EscalationDecision,
    EscalationStatus,
    Role,
)

COUNT = "SELECT count(*) FROM {table}"


def _count(station, table: str, *, everyone: bool = False) -> int:
    with station.db.read() as session:
        if everyone:
            network_view(session)
        return int(session.scalar(text(COUNT.format(table=table))) or 0)


def test_an_escalation_is_read_by_its_center_and_headquarters_only(
    two_floors,  # noqa: F811
    network,  # noqa: F811
    clock,
) -> None:
    b = two_floors["B"]
    number = complaints.register_complaint(
        b["boss"],
        customer_id=b["customer"],
        channel=ComplaintChannel.PHONE,
        description="多次维修无法解决",
        customer_request="退机",
        grade=ComplaintGrade.C,
        category=ComplaintCategory.REPAIR_QUALITY,
    )
    with network["B"].db.read() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.complaint_no == number))
        complaint_id, version = complaint.id, complaint.version
    escalation_id = escalate_complaint(
        b["boss"], complaint_id, "重大投诉,站内无法解决", expected_version=version
    )
    hq = _people(network["HQ"], clock)(Role.SUPERVISOR, "hq-boss")

    assert _count(network["B"], "escalations") == 1
    assert _count(network["A"], "escalations", everyone=True) == 0
    assert _count(network["HQ"], "escalations") == 0  # not asked: its own center's
    assert _count(network["HQ"], "escalations", everyone=True) == 1
    [row] = worklist(hq)
    assert row.center_code == "B" and row.complaint_no == number and row.customer

    take_escalation(hq, escalation_id, expected_version=0)
    answer_escalation(
        hq,
        escalation_id,
        EscalationDecision.TECHNICAL_SUPPORT,
        "总部派工程师到站支持",
        expected_version=1,
    )
    [seen] = escalations_of(b["boss"], complaint_id)  # B reads headquarters' reply
    assert seen.status is EscalationStatus.ANSWERED and seen.note == "总部派工程师到站支持"
    assert _count(network["B"], "escalation_replies") == 1
    assert _count(network["A"], "escalation_replies", everyone=True) == 0
    assert escalations_of(two_floors["A"]["boss"], complaint_id) == []

    # each writes only its own row: B not the reply, headquarters not B's escalation
    with network["B"].db.engine.connect() as connection:
        changed = connection.execute(text("UPDATE escalation_replies SET note = 'x'")).rowcount
        assert changed == 0
        connection.rollback()
    with network["HQ"].db.read() as session:
        network_view(session)
        assert session.execute(text("UPDATE escalations SET reason = 'x'")).rowcount == 0
        session.rollback()
    with pytest.raises(DBAPIError, match="row-level security"):
        with network["A"].db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO escalation_replies (escalation_id, station_id, taken_at, "
                    "taken_by_id, center_id) VALUES (:e, :b, now(), 1, :b)"
                ),
                {"e": escalation_id, "b": network["B"].center_id},
            )
    with network["A"].db.read() as session:  # A's role finds no such escalation
        network_view(session)
        with pytest.raises(NotFound):
            _escalation(session, escalation_id)
