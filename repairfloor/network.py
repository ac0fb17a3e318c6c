"""``repairfloor center ...``: the network's centers and each center's database role (run as the
tables' owner, on the PostgreSQL server; app/admin/network.py)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from app.db import Database
from app.models import CenterKind

ROLE_PASSWORD_ENV_VAR = "REPAIRFLOOR_CENTER_ROLE_PASSWORD"


def add_parser(commands: Any) -> None:
    center = commands.add_parser("center", help="the network's centers and their database roles")
    actions = center.add_subparsers(dest="center_command", required=True)
    add = actions.add_parser("add", help="add a center to the network")
    add.add_argument("code", help="a short code (letters, digits, '-', '_')")
    add.add_argument("name")
    add.add_argument("--kind", required=True, choices=[kind.value for kind in CenterKind])
    add.add_argument("--address")
    actions.add_parser("list", help="the centers and the database roles of each")
    role = actions.add_parser(
        "role",
        help="let a PostgreSQL role connect as a center's stations: map it and grant it "
        "what a role of that center may do",
    )
    role.add_argument("code", help="the center's code")
    role.add_argument("role", help="the PostgreSQL role (lower case)")
    role.add_argument(
        "--create",
        action="store_true",
        help=f"create the role (LOGIN; password from ${ROLE_PASSWORD_ENV_VAR} or asked)",
    )
    role.add_argument(
        "--print", action="store_true", help="only print the SQL, for psql; change nothing"
    )


def run(args: argparse.Namespace, db: Database) -> int:
    from app.admin import network  # its PostgreSQL dialect loads with the command, not the window

    if args.center_command == "add":
        kind = CenterKind(args.kind)
        center_id = network.add_center(db, args.code, args.name, kind, args.address)
        print(f"Center {args.code} ({kind.value}) added: id {center_id}.")
        return 0
    if args.center_command == "list":
        for row in network.list_centers(db):
            roles = ", ".join(row.roles) or "-"
            print(f"{row.id}\t{row.code}\t{row.kind.value}\t{row.name}\troles: {roles}")
        return 0
    password = _role_password() if args.create and not args.print else None
    if args.create and args.print:
        password = "********"  # printed for psql: the administrator types the real one there
    statements = network.grant_role(db, args.code, args.role, password=password, run=not args.print)
    for statement in statements:
        print(statement + ";")
    if not args.print:
        print(f"-- {args.role} now connects as center {args.code}'s stations.")
    return 0


def _role_password() -> str:
    password = os.environ.get(ROLE_PASSWORD_ENV_VAR)
    if password:
        return password
    if not sys.stdin.isatty():
        raise SystemExit(f"No terminal: set {ROLE_PASSWORD_ENV_VAR} to the role's password.")
    first = getpass.getpass("The role's password: ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("The two passwords differ.")
    return first
