"""customers' phone numbers as digits, indexed: a search by any format finds the customer

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 11:45:00

Every existing customer's ``phone_digits`` is filled from its phone: the normalised number where
it is one (138-0013-8000 → 13800138000, +86 755 8888 1234 → 075588881234), else the digits it
holds, so no old row falls out of the search.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
# Frozen copy of the rules of app.formats.normalise_phone (a migration outlives the code).
EXTENSION = re.compile(r"(?:ext\.?|extension|x|转|分机|#)\s*(\d{1,6})$", re.IGNORECASE)
SEPARATORS = re.compile(r"[\s\-()./·]")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
SERVICE = re.compile(r"^[48]00\d{7}$")
LANDLINE = re.compile(r"^0[1-9]\d{8,10}$")


def digits_of(phone: str) -> str | None:
    value = unicodedata.normalize("NFKC", phone).strip()
    found = EXTENSION.search(value)
    if found:
        value = value[: found.start()]
    compact = SEPARATORS.sub("", value)
    national = compact
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            national = compact[len(prefix) :]
            break
    if national.isascii() and national.isdigit():
        if MOBILE.fullmatch(national) or SERVICE.fullmatch(national):
            return national
        candidate = national if national == compact or national.startswith("0") else "0" + national
        if LANDLINE.fullmatch(candidate):
            return candidate
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone) if ch.isdigit())
    return digits[:20] or None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_digits", sa.String(length=20), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_customers_phone_digits"), ["phone_digits"], unique=False
        )
    connection = op.get_bind()
    customers = sa.table(
        "customers", sa.column("id"), sa.column("phone"), sa.column("phone_digits")
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(customers.c.id, customers.c.phone)
            .where(customers.c.id > last, customers.c.phone.is_not(None))
            .order_by(customers.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            customers.update()
            .where(customers.c.id == sa.bindparam("row_id"))
            .values(phone_digits=sa.bindparam("digits")),
            [{"row_id": row.id, "digits": digits_of(row.phone)} for row in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of customers would trip its foreign keys.
    op.drop_index(op.f("ix_customers_phone_digits"), table_name="customers")
    op.drop_column("customers", "phone_digits")
