"""Roles and what they may do. The services check; the UI only hides what would be refused."""

from __future__ import annotations

import enum

from app.errors import N_, PermissionDenied
from app.models.enums import Role


class Permission(enum.StrEnum):
    RECEIVE = "receive"
    ALLOCATE = "allocate"
    REPAIR = "repair"
    CONFIRM_CHARGE = "confirm_charge"
    ISSUE_PARTS = "issue_parts"
    QC = "qc"
    SHIP = "ship"
    HANDLE_COMPLAINTS = "handle_complaints"
    REQUEST_SPECIAL = "request_special"
    APPROVE = "approve"  # special handling, remedies, overrides
    VIEW_LEDGERS = "view_ledgers"
    ADMINISTER = "administer"  # catalogues, settings
    MANAGE_USERS = "manage_users"
    VIEW_NETWORK = "view_network"  # headquarters' view of every center (a headquarters user)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEIVING_CLERK: frozenset({Permission.RECEIVE, Permission.REQUEST_SPECIAL}),
    Role.TECHNICIAN: frozenset({Permission.REPAIR, Permission.REQUEST_SPECIAL}),
    Role.PARTS_KEEPER: frozenset({Permission.ISSUE_PARTS, Permission.VIEW_LEDGERS}),
    Role.QC_TESTER: frozenset({Permission.QC}),
    Role.SHIPPING_CLERK: frozenset({Permission.SHIP}),
    Role.CUSTOMER_SERVICE: frozenset(
        {Permission.CONFIRM_CHARGE, Permission.HANDLE_COMPLAINTS, Permission.REQUEST_SPECIAL}
    ),
    Role.SUPERVISOR: frozenset(Permission) - {Permission.MANAGE_USERS},
    Role.ADMIN: frozenset(Permission),
}

ROLE_LABELS: dict[Role, str] = {
    Role.RECEIVING_CLERK: N_("Receiving clerk"),
    Role.TECHNICIAN: N_("Technician"),
    Role.PARTS_KEEPER: N_("Parts keeper"),
    Role.QC_TESTER: N_("QC tester"),
    Role.SHIPPING_CLERK: N_("Shipping clerk"),
    Role.CUSTOMER_SERVICE: N_("Customer service"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.ADMIN: N_("Administrator"),
}


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.RECEIVE: N_("receiving"),
    Permission.ALLOCATE: N_("allocation"),
    Permission.REPAIR: N_("repair"),
    Permission.CONFIRM_CHARGE: N_("charge confirmation"),
    Permission.ISSUE_PARTS: N_("parts issuing"),
    Permission.QC: N_("QC"),
    Permission.SHIP: N_("shipping"),
    Permission.HANDLE_COMPLAINTS: N_("complaints"),
    Permission.REQUEST_SPECIAL: N_("special handling requests"),
    Permission.APPROVE: N_("supervisor approval"),
    Permission.VIEW_LEDGERS: N_("ledgers"),
    Permission.ADMINISTER: N_("administration"),
    Permission.MANAGE_USERS: N_("user management"),
    Permission.VIEW_NETWORK: N_("headquarters' view of the network"),
}


def permissions_of(roles: frozenset[Role] | set[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def require(roles: frozenset[Role], permission: Permission) -> None:
    if permission not in permissions_of(roles):
        raise PermissionDenied(
            N_("Your role does not allow this ({permission}). Ask a supervisor."),
            permission=PERMISSION_LABELS[permission],
        )
