"""Which of the documented demo passwords (the README's table) sign in on this database.

A database made elsewhere (the first-run wizard, ``init`` with another password, a password
changed since) must not be announced with "admin/admin123": only what is true is printed.
"""

from __future__ import annotations

from sqlalchemy import select

from app.db import Database
from app.demo.data import DEMO_USERS, DemoUser
from app.models import User
from app.users import verify_password


def documented_sign_ins(db: Database) -> list[DemoUser]:
    """The demo users who are on this database, active, with their documented password."""
    names = [demo.username for demo in DEMO_USERS]
    with db.read() as session:
        found = {
            user.username: user.password_hash
            for user in session.scalars(
                select(User).where(User.username.in_(names), User.active.is_(True))
            )
        }
    return [
        demo
        for demo in DEMO_USERS
        if demo.username in found and verify_password(demo.password, found[demo.username])
    ]


def sign_in_hint(db: Database) -> str:
    """One line for the terminal: who signs in with which documented password, if anyone does."""
    holding = documented_sign_ins(db)
    if not holding:
        return "sign in with this database's own accounts: no documented demo password applies"
    by_password: dict[str, list[str]] = {}
    for demo in holding:
        by_password.setdefault(demo.password, []).append(demo.username)
    return "sign in as " + "; ".join(
        f"{', '.join(names)} / {password}" for password, names in by_password.items()
    )
