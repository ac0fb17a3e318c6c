"""The demo's people: one user per role (created only if absent) and the customers who send units."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from app import users
from app.context import Context
from app.demo import data
from app.models import Customer, CustomerKind, User


def ensure_users(system: Context) -> tuple[int, int]:
    """Create the demo users that do not exist yet; (created, kept). Existing passwords stay."""
    with system.db.read() as session:
        existing = set(session.scalars(select(User.username)))
    created = 0
    for demo in data.DEMO_USERS:
        if demo.username in existing:
            continue
        users.create_user(
            system,
            demo.username,
            demo.password,
            {demo.role},
            display_name=demo.display_name,
            badge_code=demo.badge_code,
        )
        created += 1
    return created, len(data.DEMO_USERS) - created


def contexts_by_username(system: Context) -> dict[str, Context]:
    """A signed-in Context per demo user, at the desk that user works at, on the shared clock."""
    contexts = {}
    for demo in data.DEMO_USERS:
        actor = users.actor_for_username(system.db, demo.username)
        contexts[demo.username] = Context(system.db, actor, demo.station, system.clock)
    return contexts


@dataclass(frozen=True)
class DemoCustomer:
    id: int
    name: str
    phone: str
    address: str
    is_dealer: bool


def mobile_number(rng: random.Random) -> str:
    return rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def person_name(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)


def add_customers(system: Context, rng: random.Random, consumers: int) -> list[DemoCustomer]:
    now = system.now()
    rows: list[Customer] = []
    for name, phone, address in data.DEALERS:
        rows.append(
            Customer(
                kind=CustomerKind.DEALER,
                name=name,
                phone=phone,
                address=address,
                note="签约经销商,月结",
                created_at=now,
            )
        )
    for _ in range(consumers):
        street = f"{rng.randrange(1, 300)}号{rng.randrange(1, 30)}栋{rng.randrange(101, 2800)}"
        rows.append(
            Customer(
                kind=CustomerKind.CONSUMER,
                name=person_name(rng),
                phone=mobile_number(rng),
                address=f"{rng.choice(data.DISTRICTS)}{street}",
                created_at=now,
            )
        )
    with system.db.transaction() as session:
        session.add_all(rows)
        session.flush()
        return [
            DemoCustomer(
                c.id, c.name, c.phone or "", c.address or "", c.kind is CustomerKind.DEALER
            )
            for c in rows
        ]
