"""The one password check: sign-in, electronic signatures (QC sign-off), a supervisor's approval
(an early QC override) and the current password of a password change all go through
:func:`check`.

Every refusal counts and tells the same way, whoever asks:
- a wrong password raises the account's failure count; at ``MAX_FAILED_LOGINS`` the account is
  locked for ``LOCKOUT`` (sign-in, sign-off and approvals alike). The count and an audit row are
  committed in a transaction of their own, before the refusal is raised, so the work the caller
  then abandons cannot take them back;
- an unknown name, a disabled or locked account, and a right password of someone who lacks the
  permission asked for (a tester typed as the "supervisor") are refused with the SAME message as a
  wrong password, after the same scrypt work (a dummy hash for unknown names): nothing tells a
  guesser which names exist, which password was right or who is a supervisor.

The hash is computed outside any write transaction (it takes a few tenths of a second at the
production cost and would hold SQLite's write lock): call :func:`check` before opening the
caller's own unit of work, never inside it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app import audit, passwords
from app.audit_actions import AuditAction
from app.clock import Clock
from app.context import Actor, Context
from app.db import Database
from app.errors import N_, AuthenticationFailed
from app.models import Center, CenterKind, User
from app.permissions import Permission, permissions_of

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=10)

# The one answer to every refused password check.
REFUSED = N_(
    "Wrong user name or password, or the account is locked, disabled or may not do this. "
    "Nothing was recorded. "
    "Check Caps Lock and try again; after {count} wrong passwords an account is locked for "
    "{minutes} minutes (the administrator can unlock it)."
)


class Purpose(enum.StrEnum):
    SIGN_IN = "sign-in"
    SIGNATURE = "electronic signature"
    APPROVAL = "supervisor approval"
    CHANGE_PASSWORD = "password change"


@dataclass(frozen=True)
class _Account:
    id: int
    password_hash: str
    active: bool
    locked_until: datetime | None
    actor: Actor
    no_secret: bool = False  # no PIN set: refused whatever is typed


def refused() -> AuthenticationFailed:
    return AuthenticationFailed(REFUSED, count=MAX_FAILED_LOGINS, minutes=_minutes(LOCKOUT))


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def actor_of(user: User, home: CenterKind | None) -> Actor:
    """The person signed in as ``user``, whose home center is of the kind ``home`` (read with the
    account: :func:`with_home`)."""
    return Actor(
        user.id,
        user.username,
        user.display_name,
        user.roles,
        home_is_headquarters=home is CenterKind.HEADQUARTERS,
    )


def with_home(query: Select[User]) -> Select[User, CenterKind | None]:
    """``query``'s users, each with its home center's kind: one read at sign-in gives the actor
    whole (:func:`actor_of`), the window then asks the database nothing about the center."""
    return query.add_columns(Center.kind).outerjoin_from(User, Center, Center.id == User.center_id)


def _find(
    db: Database, username: str | None, user_id: int | None, badge: str | None, pin: bool
) -> _Account | None:
    from app.users import normal_username

    if user_id is not None:
        query = select(User).where(User.id == user_id)
    elif badge is not None:  # a scanned badge, in any case (the index on upper(badge_code))
        query = select(User).where(func.upper(User.badge_code) == badge)
    else:
        query = select(User).where(User.username == normal_username(username or ""))
    with db.read() as session:
        found = session.execute(with_home(query)).first()
        if found is None:
            return None
        user, home = found
        secret = user.pin_hash if pin else user.password_hash
        no_secret = secret is None  # no PIN set: refused, after the same work as a wrong one
        return _Account(
            user.id,
            secret or passwords.dummy_hash(),
            user.active,
            user.locked_until,
            actor_of(user, home),
            no_secret,
        )


def check(
    db: Database,
    password: str,
    *,
    station: str,
    clock: Clock,
    purpose: Purpose,
    username: str | None = None,
    user_id: int | None = None,
    permission: Permission | None = None,
    badge: str | None = None,
    pin: bool = False,
) -> Actor:
    """The person whose password this is, or AuthenticationFailed (always the same message).

    ``username`` (as typed) or ``user_id`` names the account; ``permission``, when given, is what
    the person must be allowed (e.g. APPROVE for a supervisor's override). A refusal is counted
    and audited in its own committed transaction; a sign-in is audited too, and an old hash
    cheaper than today's cost is replaced by one at today's cost.

    ``badge`` (a clean scan) names the account by its badge instead; ``pin`` checks the
    account's sign-in PIN instead of its password, counted, locked out and audited the same."""
    db = db.unguarded
    account = _find(db, username, user_id, badge, pin)
    password = password if isinstance(password, str) else ""
    stored = account.password_hash if account else passwords.dummy_hash()
    right = passwords.verify_password(password, stored)
    now = clock.now()
    if account is None:
        why = "unknown user name"
    elif not account.active:
        why = "account disabled"
    elif account.locked_until is not None and account.locked_until > now:
        why = "account locked"
    elif account.no_secret:
        why = "no PIN set"
    elif not right:
        why = "wrong password"
    elif permission is not None and permission not in permissions_of(account.actor.roles):
        why = f"not allowed: {permission.value}"
    else:
        why = ""
    rehash = (
        passwords.hash_password(password)
        if not why and purpose is Purpose.SIGN_IN and not pin and passwords.needs_rehash(stored)
        else None
    )
    actor = account.actor if account else Actor(None, "?", "?", frozenset())
    ctx = Context(db, actor, station, clock)
    if why or purpose is Purpose.SIGN_IN or rehash is not None:
        with db.transaction() as session:
            why = _record(session, ctx, account, stored, why, purpose, rehash, pin)
    elif account is not None and _has_failures(db, account.id):
        with db.transaction() as session:
            user = session.get(User, account.id, with_for_update=True)
            if user is not None:
                user.failed_logins = 0
    if why:
        raise refused()
    return actor


def _has_failures(db: Database, user_id: int) -> bool:
    with db.read() as session:
        return bool(session.scalar(select(User.failed_logins).where(User.id == user_id)))


def _record(
    session: Session,
    ctx: Context,
    account: _Account | None,
    stored: str,
    why: str,
    purpose: Purpose,
    rehash: str | None,
    pin: bool = False,
) -> str:
    """Count, lock and audit in this (the check's own) transaction; returns the refusal reason
    ('' when the password was taken)."""
    if account is None:
        audit.record(session, ctx, AuditAction.LOGIN_FAILED, "user", detail=f"{purpose}: {why}")
        return why
    user = session.get(User, account.id, with_for_update=True)
    if user is None:
        return "unknown user name"
    if not why and (user.pin_hash if pin else user.password_hash) != stored:
        why = "password changed meanwhile"  # reset by the administrator a moment ago

    action = AuditAction.LOGIN if purpose is Purpose.SIGN_IN else AuditAction.SIGNATURE_REFUSED
    if why == "wrong password":
        user.failed_logins += 1
        why = f"wrong password ({user.failed_logins} of {MAX_FAILED_LOGINS})"
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = ctx.now() + LOCKOUT
            user.failed_logins = 0
            why = f"wrong password: locked for {_minutes(LOCKOUT)} minutes"
    if why:
        if pin:
            why = f"badge and PIN: {why}"
        if purpose is Purpose.SIGN_IN:
            action = AuditAction.LOGIN_FAILED
        audit.record(session, ctx, action, "user", user.id, detail=f"{purpose}: {why}")
        return why
    user.failed_logins = 0
    user.locked_until = None
    if rehash is not None:
        user.password_hash = rehash
    audit.record(session, ctx, action, "user", user.id)
    return ""
