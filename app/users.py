"""Users, passwords and sign-in.

Passwords are hashed with scrypt (a slow, memory-hard KDF in the standard library) with a random
salt per user; the stored string carries its parameters so they can be raised later, and so a hash
verifies whatever cost new hashes are made with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app import audit
from app.audit_actions import AuditAction
from app.clock import Clock
from app.context import SYSTEM_ACTOR, Actor, Context
from app.db import Database
from app.errors import N_, AuthenticationFailed, Conflict, InvalidInput, NotFound
from app.localtime import load_center_zone, local_text
from app.models import Role, User, UserRole
from app.permissions import Permission


@dataclass(frozen=True)
class ScryptCost:
    n: int
    r: int
    p: int


PRODUCTION_SCRYPT_COST = ScryptCost(n=2**14, r=8, p=1)
# The cost of new hashes. Only the test suite lowers it (tests/conftest.py): nothing in app/ or
# ui/ sets it, and no setting or environment variable reaches it.
scrypt_cost = PRODUCTION_SCRYPT_COST

MIN_PASSWORD_LENGTH = 6
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=10)


def hash_password(password: str) -> str:
    cost = scrypt_cost
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p)
    encode = base64.b64encode
    return f"scrypt${cost.n}${cost.r}${cost.p}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, user.roles)


def _check_new_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password must have at least {count} characters."), count=MIN_PASSWORD_LENGTH
        )
    if not password.strip():
        raise InvalidInput(N_("A password of only spaces is no password. Choose another."))
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in password) or len(password) > 256:
        raise InvalidInput(
            N_("A password is at most 256 characters, without hidden control characters.")
        )


# A user name is NFKC-normalised (a full-width ａｄｍｉｎ is admin), then plain: ASCII letters,
# digits, . _ - or Chinese characters. Cyrillic or Greek look-alikes (аdmin with a Cyrillic а),
# bidi overrides and zero-width characters would make two names that read the same.
USERNAME = re.compile(r"[A-Za-z0-9._\-\u4e00-\u9fff]{1,64}")


def normal_username(username: str) -> str:
    """The user name as stored and looked up: NFKC, trimmed."""
    return unicodedata.normalize("NFKC", username or "").strip()


def _clean_username(username: str) -> str:
    username = normal_username(username)
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            N_(
                "A user name is 1 to 64 letters (a-z, A-Z), digits, . _ - or Chinese "
                "characters, without spaces."
            )
        )
    return username


def check_new_account(username: str, password: str) -> str:
    """The user name as it will be stored, or refused; the password checked for the rule."""
    username = _clean_username(username)
    _check_new_password(password)
    return username


def create_user(
    ctx: Context,
    username: str,
    password: str,
    roles: Iterable[Role],
    *,
    display_name: str | None = None,
    badge_code: str | None = None,
    must_change_password: bool = False,
) -> int:
    ctx.require(Permission.MANAGE_USERS)
    username = _clean_username(username)
    _check_new_password(password)
    roles = frozenset(roles)
    if not roles:
        raise InvalidInput(N_("Give the user at least one role."))
    with ctx.db.transaction() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(N_('The user name "{username}" is taken.'), username=username)
        if badge_code and session.scalar(select(User.id).where(User.badge_code == badge_code)):
            raise Conflict(N_('The badge code "{badge}" is taken.'), badge=badge_code)
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=hash_password(password),
            badge_code=badge_code or None,
            must_change_password=must_change_password,
            created_at=ctx.now(),
            role_links=[UserRole(role=role) for role in sorted(roles)],
        )
        session.add(user)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.CREATE_USER,
            "user",
            user.id,
            after={"username": username, "roles": sorted(r.value for r in roles)},
        )
        return user.id


def authenticate(
    db: Database, username: str, password: str, *, station: str, clock: Clock
) -> Actor:
    """Sign a user in, or raise AuthenticationFailed. Failures are counted and audited."""
    now = clock.now()
    refused = AuthenticationFailed(
        N_("Wrong user name or password. Check Caps Lock and try again.")
    )
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == normal_username(username)))
        ctx = Context(db, actor_of(user) if user else SYSTEM_ACTOR, station, clock)
        if user is None:
            # Same answer and about the same time as a wrong password: don't reveal user names.
            verify_password(password, hash_password("timing"))
            raise refused
        if not user.active:
            raise AuthenticationFailed(N_("This account is disabled. Ask a supervisor."))
        if user.locked_until is not None and user.locked_until > now:
            raise AuthenticationFailed(
                N_("Too many wrong passwords: this account is locked until {time}."),
                time=local_text(user.locked_until, "%H:%M"),
            )
        if not verify_password(password, user.password_hash):
            user.failed_logins += 1
            detail = f"failed login {user.failed_logins}"
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                detail = "locked after too many failed logins"
            audit.record(session, ctx, AuditAction.LOGIN_FAILED, "user", user.id, detail=detail)
            # Commit the count (not the refusal): the lock-out must survive the error.
            session.commit()
            raise refused
        user.failed_logins = 0
        user.locked_until = None
        audit.record(session, ctx, AuditAction.LOGIN, "user", user.id)
        load_center_zone(session)  # the times this station shows from now on
        return actor_of(user)


def change_password(ctx: Context, old_password: str, new_password: str) -> None:
    _check_new_password(new_password)
    with ctx.db.transaction() as session:
        user = session.get(User, ctx.actor.user_id)
        if user is None:
            raise NotFound(N_("Unknown user."))
        if not verify_password(old_password, user.password_hash):
            raise AuthenticationFailed(N_("The current password is wrong."))
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        audit.record(session, ctx, AuditAction.CHANGE_PASSWORD, "user", user.id)


def must_change_password(db: Database, user_id: int) -> bool:
    with db.read() as session:
        return bool(session.scalar(select(User.must_change_password).where(User.id == user_id)))


def list_users(ctx: Context) -> Sequence[User]:
    ctx.require(Permission.MANAGE_USERS)
    with ctx.db.read() as session:
        return session.scalars(select(User).order_by(User.username)).all()


def technicians(db: Database) -> Sequence[User]:
    with db.read() as session:
        return session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TECHNICIAN, User.active.is_(True))
            .order_by(User.display_name)
        ).all()


def ensure_admin(ctx: Context, username: str, password: str) -> bool:
    """Create the first administrator. Returns False (and changes nothing) if the name exists."""
    with ctx.db.read() as session:
        if session.scalar(select(User.id).where(User.username == normal_username(username))):
            return False
    create_user(ctx, username, password, {Role.ADMIN}, display_name=username)
    return True


def actor_for_username(db: Database, username: str | None = None) -> Actor:
    """The actor of an active user, or of the first active admin: for offscreen renders and tools
    run by someone who already holds the database (never for the window's sign-in)."""
    with db.read() as session:
        query = select(User).where(User.active.is_(True)).order_by(User.id)
        if username:
            query = query.where(User.username == username)
        else:
            query = query.join(UserRole).where(UserRole.role == Role.ADMIN)
        user = session.scalars(query).first()
        if user is None:
            raise NotFound(
                N_("No active user {username}. Run `repairfloor init` first."),
                username=username or "admin",
            )
        return actor_of(user)
