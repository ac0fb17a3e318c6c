"""First run on a floor PC: where the data lives, the first administrator, the center, demo data.

The first-run wizard (``ui/first_run.py``) collects the answers and hands them to :func:`set_up`
in one go, off the UI thread; the CLI or a test can do the same without Qt. Nothing here is kept
in memory between calls: every step opens the database from its URL.

Two places for the data:
  * "this PC only": a SQLite file in the data dir (:func:`app.config.default_database_url`);
  * "the center's server": a PostgreSQL URL. :func:`check_server` tries it and says in words
    what is wrong (unreachable, wrong password, no such database...). A server another station
    has already set up keeps its administrators and center details: the wizard skips them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from app import credentials, schema, settings, users
from app.clock import Clock, SystemClock
from app.config import default_database_url
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.errors import N_, InvalidInput, Translatable, Unavailable
from app.models import Role, User, UserRole

MIN_PASSWORD_LENGTH = settings.PASSWORD_MIN_LENGTH.default
DEMO_ORDERS = 300


def local_database_url() -> str:
    """ "This PC only": the SQLite file in the data dir."""
    return default_database_url()


def server_url(text: str) -> str:
    """A PostgreSQL URL as typed, with the driver RepairFloor ships (psycopg 3) filled in.

    Raises InvalidInput for anything that is not a PostgreSQL URL.
    """
    text = text.strip()
    try:
        url: URL = make_url(text)
    except ArgumentError:
        raise InvalidInput(
            N_("{url} is not a server address. Write it as postgresql://user:password@host/db"),
            url=text or "—",
        ) from None
    if url.get_backend_name() != "postgresql":
        raise InvalidInput(
            N_("{url} is not a PostgreSQL address. Write it as postgresql://user:password@host/db"),
            url=text,
        )
    if not url.host or not url.database:
        raise InvalidInput(
            N_("The server address needs a host and a database: postgresql://user:password@host/db")
        )
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@dataclass(frozen=True)
class ServerCheck:
    """The answer of a connection test, in words for the supervisor."""

    ok: bool
    template: Translatable
    params: dict[str, Any] = field(default_factory=dict)
    users: int = 0  # users already on the server: another station set it up

    @property
    def already_set_up(self) -> bool:
        return self.ok and self.users > 0

    def message(self, translate: Any = None) -> str:
        template = translate(self.template) if translate else str(self.template)
        return template.format(**self.params)


def _server_error(error: Exception, shown_url: str) -> ServerCheck:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    text = detail[0] if detail else type(error).__name__
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        template = N_("The server refused the user name or password ({url}).")
    elif "does not exist" in lowered and "database" in lowered:
        template = N_("The server has no such database ({url}). Ask IT to create it.")
    elif (
        "connection refused" in lowered
        or "could not translate host" in lowered
        or ("timeout" in lowered or "timed out" in lowered)
    ):
        template = N_("The server cannot be reached ({url}): check the address and the network.")
    else:
        template = N_("Cannot connect to {url}: {detail}")
    return ServerCheck(False, template, {"url": shown_url, "detail": text})


def check_server(text: str) -> ServerCheck:
    """Try the center's server: can we connect, and is RepairFloor already set up there?"""
    try:
        url = server_url(text)
    except InvalidInput as error:
        return ServerCheck(False, Translatable(error.template), error.params)
    db = Database(credentials.with_password(url))  # as remembered: its password is kept apart
    shown = db.display_name
    try:
        with db.engine.connect() as connection:
            if not inspect(connection).has_table("users"):
                return ServerCheck(
                    True,
                    N_("Connected to {url}. The database is empty: it will be set up now."),
                    {"url": shown},
                )
            count = connection.execute(select(func.count()).select_from(User)).scalar_one()
    except (DBAPIError, NoSuchModuleError, OSError) as error:
        return _server_error(error, shown)
    finally:
        db.dispose()
    if count:
        return ServerCheck(
            True,
            N_("Connected to {url}. RepairFloor is already set up there ({count} users)."),
            {"url": shown, "count": count},
            users=count,
        )
    return ServerCheck(True, N_("Connected to {url}."), {"url": shown})


@dataclass
class FirstRunAnswers:
    """What the supervisor typed, page by page."""

    database_url: str
    admin_username: str = ""
    admin_password: str = ""
    center_name: str = ""
    center_address: str = ""
    center_phone: str = ""
    letterhead: str = ""
    station: str = ""
    load_demo: bool = False
    demo_orders: int = DEMO_ORDERS


@dataclass(frozen=True)
class FirstRunResult:
    database_url: str
    schema_revision: str | None
    admin_created: bool
    demo_summary: str = ""


def check_admin(username: str, password: str, repeated: str) -> None:
    """Refuse a first administrator the floor could not sign in with."""
    if not username.strip():
        raise InvalidInput(N_("Give the administrator a user name."))
    users.check_new_account(username, password)
    if password != repeated:
        raise InvalidInput(N_("The two passwords differ."))


def administrators(db: Database) -> list[str]:
    """The user names of the active administrators (``init --admin`` adds one only when asked)."""
    with db.read() as session:
        return list(
            session.scalars(
                select(User.username)
                .join(UserRole)
                .where(UserRole.role == Role.ADMIN, User.active.is_(True))
                .order_by(User.username)
            )
        )


def has_users(db: Database) -> bool:
    return look(db).has_users


@dataclass(frozen=True)
class Look:
    """What start-up needs to know of a database before anything is shown, from one connection:
    its schema revision (None: no schema) and whether anybody could sign in."""

    revision: str | None
    has_users: bool


def look(db: Database) -> Look:
    """The schema revision and whether there are users, on one connection of ``db`` (the one
    the window goes on with): its tables are looked up only when the version table is missing."""
    with db.engine.connect() as connection:
        tables = inspect(connection)
        if not tables.has_table("alembic_version"):
            revision = None
            if not tables.has_table("users"):
                return Look(None, has_users=False)
        else:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        users_exist = connection.execute(select(func.count()).select_from(User)).scalar_one()
        return Look(revision, has_users=bool(users_exist))


def no_database_yet(url: str) -> bool:
    """A local database file that does not exist yet (or one in memory): nothing to open."""
    db_url = make_url(url)
    if db_url.get_backend_name() != "sqlite":
        return False
    from pathlib import Path

    database = db_url.database
    return not database or database == ":memory:" or not Path(database).expanduser().exists()


def needs_first_run(url: str) -> bool:
    """True when the database does not exist yet, or has no user anyone could sign in with.

    A server that cannot be reached is not a first run: the window says it cannot connect.
    """
    if no_database_yet(url):
        return True
    db = Database(url)
    try:
        return not has_users(db)
    except DBAPIError:
        return False
    finally:
        db.dispose()


def set_up(answers: FirstRunAnswers, clock: Clock | None = None) -> FirstRunResult:
    """Create (or upgrade) the database, the first admin, the center's details and demo data.

    Safe to run again after a failure: the schema upgrade and ``ensure_admin`` are idempotent, and
    the settings are simply written again. No administrator name is needed only when the database
    already has users (a server another station set up).
    """
    clock = clock or SystemClock()
    db = Database(answers.database_url)
    try:
        return _set_up(db, answers, clock)
    except (SQLAlchemyError, OSError) as error:
        # The disk or the server failed us: say so in words; the wizard keeps what was typed.
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise Unavailable(
            N_("Cannot set up the database {url}: {detail}"),
            url=db.display_name,
            detail=detail[0] if detail else type(error).__name__,
        ) from None
    finally:
        db.dispose()


def _set_up(db: Database, answers: FirstRunAnswers, clock: Clock) -> FirstRunResult:
    schema.upgrade(db)
    already_set_up = has_users(db)
    system = Context(db, SYSTEM_ACTOR, answers.station or "setup", clock)
    admin_created = False
    if answers.admin_username.strip():
        check_admin(answers.admin_username, answers.admin_password, answers.admin_password)
        admin_created = users.ensure_admin(
            system, answers.admin_username.strip(), answers.admin_password
        )
        admin = system.as_actor(users.actor_for_username(db, answers.admin_username.strip()))
        _put_center(admin, answers)
    elif not already_set_up:
        raise InvalidInput(N_("Give the administrator a user name."))
    demo_summary = ""
    if answers.load_demo:
        from app.demo import load_demo

        demo_summary = load_demo(
            db, station=answers.station or "setup", orders=answers.demo_orders, now=clock.now()
        )
    return FirstRunResult(
        answers.database_url, schema.current_revision(db), admin_created, demo_summary
    )


def _put_center(ctx: Context, answers: FirstRunAnswers) -> None:
    values = (
        (settings.CENTER_NAME, answers.center_name.strip()),
        (settings.CENTER_ADDRESS, answers.center_address.strip()),
        (settings.CENTER_PHONE, answers.center_phone.strip()),
        (settings.LETTERHEAD_LINES, answers.letterhead.strip()),
    )
    changes: dict[settings.SettingSpec[Any], Any] = {spec: value for spec, value in values if value}
    settings.put_many(ctx, changes, expected_version=settings.current_versions(ctx, changes))
