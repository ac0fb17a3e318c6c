"""``repairfloor [--db URL] [--station NAME] COMMAND``: the same services the windows use."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__, credentials, logs, schema, users
from app.clock import SystemClock
from app.config import (
    ENV_ADMIN_PASSWORD,
    ENV_DATABASE_URL,
    backups_dir,
    data_dir,
    default_station_name,
    log_dir,
    resolve_database_url,
)
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.errors import DomainError
from app.private_files import keep_private
from repairfloor import launch, network

if TYPE_CHECKING:  # the backups load with the commands that use them, not with the window
    from app.admin import backup

ADMIN_PASSWORD_ENV_VAR = ENV_ADMIN_PASSWORD.name
EXIT_ADMIN_EXISTS = 3  # init --admin NAME on a database with another administrator, no --add
EXIT_NO_DESKTOP = 4  # the window asked for where there is no desktop session
NO_DESKTOP = (
    "repairfloor: the window needs a desktop session, and this one has none (no DISPLAY or "
    "WAYLAND_DISPLAY). Start RepairFloor from the desktop, or, to run without a screen, set "
    "QT_QPA_PLATFORM=offscreen (e.g. QT_QPA_PLATFORM=offscreen repairfloor screenshot --out DIR)."
)


def has_no_desktop() -> bool:
    """True on a Linux (or BSD) session with no display server and no Qt platform chosen: Qt would
    abort there, blaming a library that is installed (xcb-cursor0)."""
    if sys.platform.startswith(("win", "darwin")):
        return False
    names = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    return not any(os.environ.get(name) for name in names)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repairfloor",
        description="RepairFloor 售后维修中心",
        epilog=f"data dir (database, backups): {data_dir()}\nlogs: {log_dir()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db", help="SQLAlchemy URL (default: $REPAIRFLOOR_DB or SQLite in the data dir)"
    )
    parser.add_argument("--station", help="this station's name, recorded in the audit log")
    parser.add_argument("--version", action="version", version=f"RepairFloor {__version__}")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("gui", help="open the application window (default)")
    init = commands.add_parser("init", help="create or upgrade the database and the first admin")
    init.add_argument(
        "--admin", required=True, metavar="NAME", help="the first administrator's user name"
    )
    init.add_argument(
        "--add",
        action="store_true",
        help="add NAME as another administrator when the database has one already",
    )
    demo = commands.add_parser(
        "demo", help="load Chinese demo data (users, orders in every state...)"
    )
    demo.add_argument(
        "--orders", type=int, default=300, help="how many repair orders (default 300)"
    )
    demo.add_argument(
        "--passwords",
        action="store_true",
        help="load nothing: say which documented demo passwords sign in on this database",
    )
    shot = commands.add_parser("screenshot", help="render every tab offscreen to DIR/<tab>.png")
    shot.add_argument("--out", required=True, type=Path)
    shot.add_argument("--user", default=None, help="render as this user (default: the first admin)")
    shot.add_argument("--lang", default="zh_CN", help="zh_CN (default) or en")
    export = commands.add_parser("export", help="write the Excel ledgers of a date range")
    export.add_argument(
        "--from", dest="first_day", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD"
    )
    export.add_argument(
        "--to", dest="last_day", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD"
    )
    export.add_argument("--out", required=True, type=Path)
    export.add_argument(
        "ledgers",
        nargs="*",
        metavar="LEDGER",
        help="receiving repairs outbook parts purchases qc shipping complaints "
        "followups kpi (default: all)",
    )
    save = commands.add_parser("backup", help="write a backup of the database, or check one")
    save.add_argument("--out", type=Path, help="file to write (default: data dir/backups/...)")
    save.add_argument(
        "--verify", type=Path, metavar="FILE", help="check FILE whole; no database is touched"
    )
    load = commands.add_parser(
        "restore", help="restore a backup into a new database, check it, then switch to it"
    )
    load.add_argument("file", type=Path, nargs="?")
    load.add_argument(
        "--list", type=Path, metavar="FILE", help="check FILE and list what it holds; no restore"
    )
    load.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    load.add_argument(
        "--other-center-reason",
        metavar="TEXT",
        help="restore another center's backup; the reason is recorded in the audit log",
    )
    move = commands.add_parser(
        "move", help="copy this PC's SQLite database to an empty PostgreSQL database, switch to it"
    )
    move.add_argument("--to", required=True, metavar="URL", help="postgresql+psycopg://...")
    network.add_parser(commands)
    return parser


def database_url(url: str | None) -> str:
    """The database to open (--db, $REPAIRFLOOR_DB or the default), with the password this
    station keeps for it (``app.credentials``): a server URL is given without its password."""
    return credentials.with_password(resolve_database_url(url))


def open_database(url: str | None) -> Database:
    """Open (and create or upgrade) the database; an older one is backed up before upgrading."""
    from app.admin import backup

    db = Database(database_url(url))
    backup.backup_before_upgrade(db, backups_dir(), SystemClock().now())
    schema.upgrade(db)
    return db


def _admin_password() -> str:
    password = ENV_ADMIN_PASSWORD.value()
    if password:
        return password
    if not sys.stdin.isatty():
        raise SystemExit(
            f"No terminal: set {ADMIN_PASSWORD_ENV_VAR} to the first admin's password."
        )
    first = getpass.getpass("Admin password: ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("The two passwords differ.")
    return first


def _init(args: argparse.Namespace, station: str) -> int:
    from app.admin.first_run import administrators

    db = open_database(args.db)
    existing = administrators(db)
    if existing and users.normal_username(args.admin) not in existing and not args.add:
        print(
            f"repairfloor: this database already has an administrator ({', '.join(existing)}); "
            f"nothing changed. To add {args.admin} as another one: init --admin {args.admin} --add",
            file=sys.stderr,
        )
        return EXIT_ADMIN_EXISTS
    ctx = Context(db, SYSTEM_ACTOR, station, SystemClock())
    created = users.ensure_admin(ctx, args.admin, _admin_password())
    print(f"Database ready at {db.display_name} (schema {schema.current_revision(db)}).")
    print(
        f"Administrator {args.admin} {'created' if created else 'already exists; password unchanged'}."
    )
    db.dispose()  # a later command of this process (a restore) finds the file closed
    return 0


def _demo(args: argparse.Namespace, station: str) -> int:
    from app.demo import load_demo
    from app.demo.sign_in import sign_in_hint

    db = open_database(args.db)
    if args.passwords:
        print(sign_in_hint(db))
        return 0
    summary = load_demo(db, station=station, orders=args.orders)
    print(summary)
    db.dispose()
    return 0


def _export(args: argparse.Namespace, station: str) -> int:
    from app.ledgers.export import export_ledgers

    # Whoever can run the command line holds the database itself: it exports as the system.
    ctx = Context(open_database(args.db), SYSTEM_ACTOR, station, SystemClock())
    for path in export_ledgers(ctx, args.first_day, args.last_day, args.out, args.ledgers or None):
        print(path)
    ctx.db.dispose()
    return 0


def _backup(args: argparse.Namespace) -> int:
    from datetime import datetime

    from app.admin import backup

    if args.verify:
        _describe(backup.verify(args.verify))
        print(f"{args.verify} is whole: it can be restored.")
        return 0
    db = open_database(args.db)
    out = args.out or backups_dir() / backup.default_backup_name(datetime.now())
    backup.backup(db, out)
    db.dispose()
    print(f"Backup written to {out}")
    return 0


def _describe(checked: backup.Checked) -> None:
    manifest = checked.backup.manifest
    if manifest is None:
        print(f"{checked.backup.path}: a backup of an older RepairFloor, without a manifest")
    else:
        print(
            f"{checked.backup.path}: {manifest.database} backup of {manifest.center_name} "
            f"made {manifest.created_at} by RepairFloor {manifest.app_version}, "
            f"SHA-256 {manifest.payload_sha256}"
        )
    print(f"schema {checked.revision}, {len(checked.tables)} tables:")
    for table, rows in sorted(checked.tables.items()):
        print(f"  {table:32} {rows:>10}")


def _restore(args: argparse.Namespace, station: str) -> int:
    from app.admin import backup

    if args.list:
        _describe(backup.verify(args.list))
        return 0
    if args.file is None:
        raise SystemExit("repairfloor restore: give a backup FILE (or --list FILE)")
    db = Database(database_url(args.db))
    if not args.yes:
        if not sys.stdin.isatty():
            raise SystemExit("Restoring replaces every record: add --yes to confirm.")
        if (
            input(f"Replace everything in {db.display_name} with {args.file}? [y/N] ").lower()
            != "y"
        ):
            return 1
    try:
        done = backup.restore(
            db,
            args.file,
            foreign_reason=args.other_center_reason,
            keep_dir=backups_dir(),
            station=station,
        )
    except backup.ForeignBackup as error:
        print(f"repairfloor: {error}", file=sys.stderr)
        print("Add --other-center-reason TEXT to restore it anyway.", file=sys.stderr)
        return 2
    print(f"Restored {args.file} into {db.display_name}.")
    if done.kept:
        print(f"What it replaced is kept: {done.kept}")
    return 0


def _move(args: argparse.Namespace, station: str) -> int:
    from app.admin.backup import moving

    db = open_database(args.db)
    counts = moving.move(db, args.to, station=station)
    db.dispose()
    print(f"Moved {sum(counts.values())} rows in {len(counts)} tables to {moving.shown(args.to)}.")
    if args.db or ENV_DATABASE_URL.value():
        print(f"This station opens --db / ${ENV_DATABASE_URL.name}: point it at the server now.")
        return 0
    from ui import station_settings  # this PC's remembered database (QtCore only, no window)

    station_settings.remember_database_url(args.to)  # the password goes to the keyring
    print("This station now opens the server's database.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    keep_private(data_dir())  # customers' data: every file this process writes is 0600
    logs.configure()  # every command logs to the same file as the window
    logs.install_exception_hooks()
    station = args.station or default_station_name()
    command = args.command or "gui"
    if command != "gui":  # loaded: collection back on; the window collects in its UI thread
        launch.resume()  # (repairfloor/launch.py, ui/collector.py)
    try:
        if command == "init":
            return _init(args, station)
        if command == "demo":
            return _demo(args, station)
        if command == "export":
            return _export(args, station)
        if command == "backup":
            return _backup(args)
        if command == "restore":
            return _restore(args, station)
        if command == "move":
            return _move(args, station)
        if command == "center":
            db = open_database(args.db)
            try:
                return network.run(args, db)
            finally:
                db.dispose()
        # The window and the screenshots are the only commands that need Qt.
        if command == "gui" and has_no_desktop():
            print(NO_DESKTOP, file=sys.stderr)
            return EXIT_NO_DESKTOP
        from ui.application import run_gui, run_screenshots

        if command == "screenshot":
            return run_screenshots(database_url(args.db), station, args.out, args.user, args.lang)
        return run_gui(database_url(args.db), station)
    except DomainError as error:
        print(f"repairfloor: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
