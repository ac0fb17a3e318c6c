"""Complaints read side: the queries of the complaint and follow-up Excel ledgers (their
caller, ``export_ledgers``, checks VIEW_LEDGERS). The register's reads are in ``watch.py``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.db import stream
from app.models import Complaint, Customer, FollowUp, RepairOrder, User
from app.vocabulary import chinese


def complaint_ledger_rows(
    session: Session, start: datetime, end: datetime
) -> Iterator[Sequence[Any]]:
    """Every complaint registered in [start, end), its deadlines and outcome (the Excel ledger,
    in Chinese; its caller checks VIEW_LEDGERS)."""
    _by = aliased(User)
    query = (
        select(
            Complaint.complaint_no,
            Complaint.received_at,
            Customer.name,
            Customer.phone,
            Complaint.channel,
            Complaint.grade,
            Complaint.category,
            Complaint.is_valid,
            Complaint.description,
            Complaint.customer_request,
            Complaint.first_contact_due,
            Complaint.first_contact_at,
            Complaint.answer_due,
            Complaint.answered_at,
            Complaint.settle_due,
            Complaint.settled_at,
            Complaint.responsible_person,
            Complaint.chosen_remedy,
            Complaint.outcome,
            Complaint.status,
            _by.display_name,
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .join(_by, _by.id == Complaint.received_by_id)
        .where(Complaint.received_at >= start, Complaint.received_at < end)
        .order_by(Complaint.received_at, Complaint.id)
    )
    for row in stream(session, query):
        yield tuple(chinese(value) for value in row)


def follow_up_ledger_rows(
    session: Session, start: datetime, end: datetime
) -> Iterator[Sequence[Any]]:
    """Every follow-up call due in [start, end), made or not (the Excel ledger; its caller
    checks VIEW_LEDGERS)."""
    _by = aliased(User)
    query = (
        select(
            FollowUp.due_at,
            FollowUp.kind,
            RepairOrder.order_no,
            Complaint.complaint_no,
            Customer.name,
            Customer.phone,
            FollowUp.done_at,
            FollowUp.reached,
            FollowUp.satisfied,
            FollowUp.comment,
            _by.display_name,
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(RepairOrder, RepairOrder.id == FollowUp.order_id)
        .outerjoin(Complaint, Complaint.id == FollowUp.complaint_id)
        .outerjoin(_by, _by.id == FollowUp.done_by_id)
        .where(FollowUp.due_at >= start, FollowUp.due_at < end)
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    for row in stream(session, query):
        yield (row[0], chinese(row[1]), *row[2:])
