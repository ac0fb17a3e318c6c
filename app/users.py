"""Users, passwords and sign-in.

Passwords are hashed in :mod:`app.passwords` (scrypt at the OWASP cost) and every password check
(sign-in included) goes through :func:`app.signatures.check`: one failure count, one lock-out,
one audit trail and one answer for every refusal. New passwords follow the rule the administrator
sets (``settings.PASSWORD_MIN_LENGTH``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app import audit, context, settings, signatures
from app.audit_actions import AuditAction
from app.clock import Clock
from app.context import Actor, Context
from app.db import UNAVAILABLE, Database
from app.errors import N_, Conflict, InvalidInput, NotFound, Unavailable
from app.localtime import load_center_zone
from app.models import Role, User, UserRole
from app.passwords import PRODUCTION_SCRYPT_COST, ScryptCost, hash_password, verify_password
from app.permissions import Permission
from app.signatures import LOCKOUT, MAX_FAILED_LOGINS, Purpose
from app.station_clock import DatabaseClock, check_station_clock

__all__ = [
    "LOCKOUT",
    "MAX_FAILED_LOGINS",
    "PRODUCTION_SCRYPT_COST",
    "ScryptCost",
    "hash_password",
    "verify_password",
]

MAX_PASSWORD_LENGTH = 256


actor_of = signatures.actor_of


def password_min_length(db: Database) -> int:
    """The center's minimum password length (read before a new password is hashed, outside the
    write transaction); an unreachable database is Unavailable, as the write would be."""
    try:
        with db.read() as session:
            return settings.get(session, settings.PASSWORD_MIN_LENGTH)
    except OperationalError as error:
        raise Unavailable(UNAVAILABLE) from error


def check_new_password(password: str, min_length: int) -> None:
    """Refuse a password shorter than the center's minimum, of only spaces, or with hidden
    characters (``min_length``: ``password_min_length(db)``)."""
    if not isinstance(password, str) or len(password) < min_length:
        raise InvalidInput(
            N_("The password must have at least {count} characters."), count=min_length
        )
    if not password.strip():
        raise InvalidInput(N_("A password of only spaces is no password. Choose another."))
    if (
        any(unicodedata.category(ch) in ("Cc", "Cs") for ch in password)
        or len(password) > MAX_PASSWORD_LENGTH
    ):
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


def check_new_account(username: str, password: str, min_length: int | None = None) -> str:
    """The user name as it will be stored, or refused; the password checked for the rule (the
    setting's default minimum when the database is not there yet)."""
    username = _clean_username(username)
    check_new_password(password, min_length or settings.PASSWORD_MIN_LENGTH.default)
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
    check_new_password(password, password_min_length(ctx.db))
    roles = frozenset(roles)
    if not roles:
        raise InvalidInput(N_("Give the user at least one role."))
    password_hash = hash_password(password)  # slow: before the write transaction
    with ctx.db.transaction() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(N_('The user name "{username}" is taken.'), username=username)
        if badge_code and session.scalar(select(User.id).where(User.badge_code == badge_code)):
            raise Conflict(N_('The badge code "{badge}" is taken.'), badge=badge_code)
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=password_hash,
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
    """Sign a user in, or raise AuthenticationFailed (one message for every refusal). Failures are
    counted, locked out and audited; see :func:`app.signatures.check`."""
    actor = signatures.check(
        db, password, username=username, station=station, clock=clock, purpose=Purpose.SIGN_IN
    )
    with db.unguarded.read() as session:
        load_center_zone(session)  # the times this station shows from now on
    return actor


def sign_in(db: Database, username: str, password: str, *, station: str, clock: Clock) -> Actor:
    """A station's sign-in: when it keeps the database's time (a DatabaseClock), its own clock is
    checked against the server's first (ClockWrong says how to set it right); then the password."""
    if isinstance(clock, DatabaseClock):
        check_station_clock(db, clock)
    return authenticate(db, username, password, station=station, clock=clock)


def still_signed_in(db: Database, actor: Actor) -> bool:
    """False once the person was disabled or their roles changed: the station signs out."""
    with db.unguarded.read() as session:
        return context.still_signed_in(session, actor)


def change_password(ctx: Context, old_password: str, new_password: str) -> None:
    """Change one's own password: the current one is checked like any signature."""
    check_new_password(new_password, password_min_length(ctx.db))
    signatures.check(
        ctx.db,
        old_password,
        user_id=ctx.user_id,
        station=ctx.station,
        clock=ctx.clock,
        purpose=Purpose.CHANGE_PASSWORD,
    )
    password_hash = hash_password(new_password)  # slow: before the write transaction
    with ctx.db.transaction() as session:
        user = session.get(User, ctx.actor.user_id)
        if user is None:
            raise NotFound(N_("Unknown user."))
        user.password_hash = password_hash
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
            query = query.join_from(User, UserRole).where(UserRole.role == Role.ADMIN)
        found = session.execute(signatures.with_home(query)).first()
        if found is None:
            raise NotFound(
                N_("No active user {username}. Run `repairfloor init` first."),
                username=username or "admin",
            )
        user, home = found
        return actor_of(user, home)


# A sign-in PIN: typed after scanning one's badge at a shared station. Digits only, of a length
# a hand types in a second or two; hashed and checked like a password (app.signatures).
PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 8


def check_new_pin(pin: str) -> None:
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit():
        raise InvalidInput(N_("A PIN is digits only."))
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        raise InvalidInput(
            N_("A PIN has {low} to {high} digits."), low=PIN_MIN_LENGTH, high=PIN_MAX_LENGTH
        )
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise InvalidInput(N_("A PIN of one repeated digit or a run (1234) is too easy to guess."))


def set_pin(ctx: Context, pin: str) -> None:
    """Set one's own sign-in PIN (badge then PIN at a shared station). Audited. The administrator
    hands one out to another person with ``app.admin.users.set_pin``."""
    if ctx.user_id is None:
        raise NotFound(N_("Unknown user."))
    check_new_pin(pin)
    pin_hash = hash_password(pin)  # slow: before the write transaction
    with ctx.db.transaction() as session:
        user = session.get(User, ctx.user_id, with_for_update=True)
        if user is None:
            raise NotFound(N_("Unknown user."))
        user.pin_hash = pin_hash
        audit.record(session, ctx, AuditAction.SET_PIN, "user", user.id)


def badge_holder(db: Database, code: str) -> bool:
    """True when ``code`` (as scanned) is someone's badge: the sign-in then asks for a PIN."""
    from sqlalchemy import func

    from app.formats import clean_scan

    badge = clean_scan(code) if code and code.strip() else ""
    if not badge:
        return False
    with db.unguarded.read() as session:
        return (
            session.scalar(select(User.id).where(func.upper(User.badge_code) == badge)) is not None
        )


def sign_in_with_badge(db: Database, badge: str, pin: str, *, station: str, clock: Clock) -> Actor:
    """A shared station's sign-in: the badge scanned, then the PIN; counted, locked out and
    audited as a password is (``app.signatures.check``)."""
    from app.formats import clean_scan

    if isinstance(clock, DatabaseClock):
        check_station_clock(db, clock)
    actor = signatures.check(
        db,
        pin,
        badge=clean_scan(badge),
        pin=True,
        station=station,
        clock=clock,
        purpose=Purpose.SIGN_IN,
    )
    with db.unguarded.read() as session:
        load_center_zone(session)
    return actor


def sign_in_any(
    db: Database, name_or_badge: str, secret: str, *, station: str, clock: Clock
) -> Actor:
    """The login's one field for a user name or a scanned badge: a badge signs in with its PIN,
    a name with its password."""
    if badge_holder(db, name_or_badge):
        return sign_in_with_badge(db, name_or_badge, secret, station=station, clock=clock)
    return sign_in(db, name_or_badge, secret, station=station, clock=clock)
