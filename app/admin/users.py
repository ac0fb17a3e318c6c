"""Managing the people who sign in (administrator only): disable / enable, reset a password,
roles, badge codes, display names, unlocking a locked account.

A user is never deleted: audit rows and repair orders keep pointing at them; disabling stops
the sign-in. Every change is audited with before → after.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, formats, values, versions
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.models import Role, User, UserRole
from app.permissions import Permission
from app.users import check_new_password, check_new_pin, hash_password, password_min_length


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound(N_("There is no user with id {id}. Refresh the list."), id=user_id)
    return user


def user_version(ctx: Context, user_id: int) -> int:
    """The account's version now: what the administrator's form sends back with its save."""
    with ctx.db.read() as session:
        version = session.scalar(select(User.version).where(User.id == user_id))
    if version is None:
        raise NotFound(N_("There is no user with id {id}. Refresh the list."), id=user_id)
    return version


# One change of a user: its audit action, and ``apply(session, user) -> (before, after)``.
Change = tuple[AuditAction, Callable[[Session, User], tuple[dict[str, Any], dict[str, Any]]]]


def _change(ctx: Context, user_id: int, changes: list[Change], expected_version: int) -> None:
    """Apply ``changes`` to the user as the form loaded them (``expected_version``) in one
    transaction, one audit row each; a newer save by another administrator is a Conflict."""
    ctx.require(Permission.MANAGE_USERS)
    with ctx.db.transaction() as session:
        user = _user(session, user_id)
        versions.check(
            session, user.version, expected_version, user.username, entity="user", entity_id=user.id
        )
        for action, apply in changes:
            before, after = apply(session, user)
            audit.record(session, ctx, action, "user", user.id, before=before, after=after)
        user.version += 1


def set_active(ctx: Context, user_id: int, active: bool, *, expected_version: int) -> None:
    """Disable (never delete) or enable an account."""

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        if not active and user.id == ctx.actor.user_id:
            raise Conflict(N_("You cannot disable your own account. Ask another administrator."))
        before = {"active": user.active}
        user.active = active
        return before, {"active": active}

    action = AuditAction.ENABLE_USER if active else AuditAction.DISABLE_USER
    _change(ctx, user_id, [(action, apply)], expected_version)


def disable_user(ctx: Context, user_id: int, *, expected_version: int) -> None:
    set_active(ctx, user_id, False, expected_version=expected_version)


def enable_user(ctx: Context, user_id: int, *, expected_version: int) -> None:
    set_active(ctx, user_id, True, expected_version=expected_version)


def temporary_password(length: int = 8) -> str:
    """A password to read out to the user; they must change it at their next sign-in."""
    alphabet = string.ascii_lowercase.replace("l", "").replace("o", "") + "23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def reset_password(
    ctx: Context, user_id: int, new_password: str | None = None, *, expected_version: int
) -> str:
    """Set a new password the user must change at next sign-in; also lifts a lock-out.
    Returns the password (generated when none is given)."""
    ctx.require(Permission.MANAGE_USERS)
    min_length = password_min_length(ctx.db)
    password = new_password or temporary_password(max(8, min_length))
    check_new_password(password, min_length)
    password_hash = hash_password(password)  # slow: before the write transaction

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        user.password_hash = password_hash
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        return {}, {"must_change_password": True}

    _change(ctx, user_id, [(AuditAction.RESET_PASSWORD, apply)], expected_version)
    return password


def set_pin(ctx: Context, user_id: int, pin: str, *, expected_version: int) -> None:
    """Hand out another person's sign-in PIN (badge then PIN at a shared station): a newcomer's
    first one, or a forgotten one. The same rules as one's own (``app.users.check_new_pin``)."""
    ctx.require(Permission.MANAGE_USERS)
    check_new_pin(pin)
    pin_hash = hash_password(pin)  # slow: before the write transaction

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        if not user.badge_code:
            raise Conflict(
                N_("{user} has no badge code: give them one first, then a PIN."),
                user=user.username,
            )
        had = user.pin_hash is not None
        user.pin_hash = pin_hash
        return {"pin": had}, {"pin": True}

    _change(ctx, user_id, [(AuditAction.SET_PIN, apply)], expected_version)


def unlock_user(ctx: Context, user_id: int, *, expected_version: int) -> None:
    """Lift a lock-out after too many wrong passwords before its time runs out."""

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
        user.locked_until = None
        user.failed_logins = 0
        return before, {"locked_until": None, "failed_logins": 0}

    _change(ctx, user_id, [(AuditAction.UNLOCK_USER, apply)], expected_version)


def set_roles(ctx: Context, user_id: int, roles: Iterable[Role], *, expected_version: int) -> None:
    _change(ctx, user_id, [_roles_change(ctx, roles)], expected_version)


def _roles_change(ctx: Context, roles: Iterable[Role]) -> Change:
    wanted = frozenset(roles)
    if not wanted:
        raise InvalidInput(N_("Give the user at least one role."))

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        before = sorted(r.value for r in user.roles)
        if user.id == ctx.actor.user_id and Role.ADMIN not in wanted:
            raise Conflict(
                N_(
                    "You cannot take the administrator role from yourself. Ask another administrator."
                )
            )
        for link in list(user.role_links):
            if link.role not in wanted:
                user.role_links.remove(link)
        for role in sorted(wanted - user.roles):
            user.role_links.append(UserRole(role=role))
        return {"roles": before}, {"roles": sorted(r.value for r in wanted)}

    return AuditAction.CHANGE_ROLES, apply


def set_badge_code(
    ctx: Context, user_id: int, badge_code: str | None, *, expected_version: int
) -> None:
    _change(ctx, user_id, [_badge_change(badge_code)], expected_version)


def _badge_change(badge_code: str | None) -> Change:
    # Stored as every scan of it reads (clean_scan: NFKC, upper-case, ASCII only).
    badge = formats.clean_scan(badge_code) if badge_code and badge_code.strip() else None
    if badge is not None and any(ch.isspace() for ch in badge):
        raise InvalidInput(N_("A badge code is 1 to 64 characters without spaces."))

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        if badge is not None:
            holder = session.scalar(
                select(User.id).where(func.upper(User.badge_code) == badge, User.id != user.id)
            )
            if holder is not None:
                raise Conflict(N_('The badge code "{badge}" is taken.'), badge=badge)
        before = {"badge_code": user.badge_code}
        user.badge_code = badge
        return before, {"badge_code": badge}

    return AuditAction.CHANGE_BADGE, apply


def set_display_name(
    ctx: Context, user_id: int, display_name: str, *, expected_version: int
) -> None:
    _change(ctx, user_id, [_name_change(display_name)], expected_version)


def _name_change(display_name: str) -> Change:
    name = values.clean_text(
        display_name, max_length=64, required=N_("A name is 1 to 64 characters.")
    )

    def apply(session: Session, user: User) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {"display_name": user.display_name}
        user.display_name = name
        return before, {"display_name": name}

    return AuditAction.RENAME_USER, apply


def edit_user(
    ctx: Context,
    user_id: int,
    *,
    display_name: str | None = None,
    roles: Iterable[Role] | None = None,
    badge_code: str | None = None,
    change_badge: bool = False,
    expected_version: int,
) -> None:
    """The user dialog's save: the fields it changed, together, over the version it loaded
    (``None`` / ``change_badge=False``: that field is left as it is)."""
    changes: list[Change] = []
    if display_name is not None:
        changes.append(_name_change(display_name))
    if roles is not None:
        changes.append(_roles_change(ctx, roles))
    if change_badge:
        changes.append(_badge_change(badge_code))
    if changes:
        _change(ctx, user_id, changes, expected_version)
