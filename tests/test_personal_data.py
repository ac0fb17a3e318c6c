"""A crash log and the support archive carry no customer's phone, name or address."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import logs
from app.admin import diagnostics
from app.db import Database
from app.errors import DomainError
from app.models import Customer, Shipment
from app.personal_data import scrub


def archive_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_a_support_archive_built_after_a_crash_holds_no_phone_of_the_database(
    demo_db: Database, isolated_logging: Path, tmp_path: Path
) -> None:
    with demo_db.read() as session:
        customers = session.scalars(select(Customer).order_by(Customer.id)).all()
        phones = {c.phone for c in customers if c.phone}
        phones |= set(session.scalars(select(Shipment.receiver_phone)).all()) - {None, ""}
    victim = next(c for c in customers if c.phone and c.address)
    assert len(phones) > 20  # the demo month's customers, dealers and receivers
    logs.configure()

    # A statement that fails with the customer's values as its parameters (PostgreSQL also
    # quotes the failing row in its DETAIL) ...
    with pytest.raises((DomainError, Exception)) as failed, demo_db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO customers (kind, name, phone, address, created_at) "
                "VALUES (:kind, :name, :phone, :address, NULL)"
            ),
            {"kind": "consumer", "name": victim.name, "phone": victim.phone,
             "address": victim.address},
        )  # fmt: skip
    logs.log_uncaught(type(failed.value), failed.value, failed.value.__traceback__)
    # ... and a bug whose message names the customer outright, uncaught in the window.
    try:
        raise RuntimeError(f"slip for {victim.name} ({victim.phone}, {victim.address}) failed")
    except RuntimeError:
        logs.log_uncaught(*sys.exc_info())

    out = diagnostics.write_support_archive(tmp_path / "support.zip", demo_db, {})

    shipped = archive_text(out)
    assert "Traceback" in shipped and "RuntimeError: slip for" in shipped  # still of use
    assert "INSERT INTO customers" in shipped
    assert [phone for phone in phones if phone in shipped] == []
    assert victim.name not in shipped and victim.address not in shipped


def test_a_log_file_written_before_scrubbing_is_scrubbed_into_the_archive(
    db: Database, isolated_logging: Path, tmp_path: Path
) -> None:
    log_dir = isolated_logging / "logs"
    log_dir.mkdir(parents=True)
    (log_dir / "repairfloor.log.1").write_text(
        "ERROR [parameters: ('张伟', '13812345678', '深圳市南山区科技园1号')]\n", encoding="utf-8"
    )
    shipped = archive_text(diagnostics.write_support_archive(tmp_path / "s.zip", db, {}))
    assert "13812345678" not in shipped and "张伟" not in shipped and "南山" not in shipped


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("phone 13812345678 saved", "phone <phone> saved"),
        ("+86 138-1234-5678", "<phone>"),
        ("landline 0755-83278811 ext", "landline <phone> ext"),
        ("DETAIL:  Key (phone)=(13812345678) already exists.", "Key (phone)=(<hidden>) already"),
        ("Failing row contains (15, consumer, x, y, null).", "Failing row contains (<hidden>)."),
        ("mail li@example.com.cn now", "mail <hidden> now"),
        ("customer 张伟 at 深圳市", "customer <hidden> at <hidden>"),
        ("to 深圳市福田区华强北赛格广场3楼3A062 now", "to <hidden> now"),
    ],
)
def test_personal_data_is_hidden(line: str, kept: str) -> None:
    assert kept in scrub(line)


@pytest.mark.parametrize(
    "line",
    [
        "IMEI 861234567890128 refused",  # 15 digits: not a phone
        "order RO202611200013 scanned",
        "waybill EE123456785CN printed",
        'File "/app/db.py", line 130, in transaction',
        "took 13812 ms",
    ],
)
def test_what_support_needs_stays(line: str) -> None:
    assert scrub(line) == line
