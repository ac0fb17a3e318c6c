"""The demo's people: one user per role (created only if absent) and the customers who send units."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select, update

from app import passwords, users
from app.context import Context
from app.db import Database
from app.demo import data
from app.models import Customer, CustomerKind, User


def ensure_users(system: Context) -> set[str]:
    """Create the demo users that do not exist yet; the names created. Existing passwords stay."""
    with system.db.read() as session:
        existing = set(session.scalars(select(User.username)))
    created = set()
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
        created.add(demo.username)
    return created


# The cost of the hashes the replay checks signatures against: a few milliseconds, not the
# production cost's few tenths of a second (a QC sign-off re-enters the tester's password, and
# a 300-order month signs off about 170 units).
REPLAY_SCRYPT_COST = passwords.ScryptCost(n=2**10, r=8, p=1)


@contextmanager
def quick_signatures(db: Database, usernames: set[str]) -> Iterator[None]:
    """While the month is replayed, the demo people in ``usernames`` (those it created, whose
    password is the documented one) sign with a cheap hash of that same password: every signature
    still goes through ``app.signatures.check`` (counted, audited), only faster. The hash
    ``create_user`` stored is put back afterwards, also when the replay fails."""
    documented = {d.username: d.password for d in data.DEMO_USERS if d.username in usernames}
    with db.read() as session:
        rows = session.execute(
            select(User.username, User.password_hash).where(User.username.in_(documented))
        )
        real = {name: stored for name, stored in rows}
    quick = {
        name: passwords.hash_password(password, REPLAY_SCRYPT_COST)
        for name, password in documented.items()
    }
    _store_hashes(db, quick)
    try:
        yield
    finally:
        _store_hashes(db, real)


def _store_hashes(db: Database, hashes: dict[str, str]) -> None:
    with db.transaction() as session:
        for name, stored in hashes.items():
            session.execute(update(User).where(User.username == name).values(password_hash=stored))


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
