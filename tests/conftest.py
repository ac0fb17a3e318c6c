"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
``REPAIRFLOOR_TEST_DB`` names one), the demo month, a clock that moves only when told, and
signed-in people."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from app import passwords, schema
from app.centers import first_center
from app.clock import ManualClock
from app.complaints import care_seeds
from app.config import DATA_DIR_ENV_VAR
from app.context import SYSTEM_ACTOR, Actor, Context
from app.db import Database
from app.demo import load_demo
from app.models import Role, whole_schema
from app.users import ScryptCost, actor_for_username, create_user

# Every Python process a test starts imports this tree (app/, ui/, repairfloor/), not the tree an
# editable install of the virtualenv points to (another checkout, when several share one venv).
_TREE = str(Path(__file__).resolve().parents[1])
os.environ["PYTHONPATH"] = os.pathsep.join(
    [_TREE, *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != _TREE)]
)
TEST_DB_ENV_VAR = "REPAIRFLOOR_TEST_DB"
# pytest-xdist runs the tests in worker processes (gw0, gw1...): each has its own PostgreSQL
# database and its own data folder (settings, logs); SQLite databases are per test anyway.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and os.environ.get(DATA_DIR_ENV_VAR):
    os.environ[DATA_DIR_ENV_VAR] = str(Path(os.environ[DATA_DIR_ENV_VAR]) / XDIST_WORKER)
PASSWORD = "secret-123"
# New password hashes in tests are cheap (the production cost takes ~0.1 s a hash); a stored hash
# carries its cost, so hashes of either cost verify. tests/test_users.py checks both.
TEST_SCRYPT_COST = ScryptCost(n=2**4, r=1, p=1)
passwords.scrypt_cost = TEST_SCRYPT_COST
# The demo month of every test that asks for ``demo_db``: loaded once per session, then copied.
DEMO_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday, 18:00 in Shenzhen
DEMO_ORDERS = 60  # the month a trainer shows: every state, grade and ledger has rows
DEMO_STATION = "test"


_COLLECTORS: list[object] = []  # the process's one MainThreadCollector, once a test used Qt


@pytest.fixture(autouse=True)
def _collect_in_the_ui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Once a test has used Qt, this test process collects cycles in the main thread only, as the
    application does (ui/collector.py), for good: a worker or watcher thread a Qt test started may
    outlive it and drop a Qt object's last reference later, and an automatic collection in that
    thread would destroy the Qt object there (a crash). Each test ends with the collection the
    interpreter would have made, in the main thread."""
    if not _COLLECTORS and {"qtbot", "qapp"} & set(request.fixturenames):
        request.getfixturevalue("qapp")
        from ui.collector import MainThreadCollector

        _COLLECTORS.append(MainThreadCollector())
    yield
    if _COLLECTORS:
        _COLLECTORS[0].collect_due()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_save_on_the_ui_thread(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A test that uses Qt fails when a widget starts a unit of work on the UI thread that
    tests/ui_thread_writes.py does not list (floor actions run on the floor worker)."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    from ui_thread_writes import ui_caller, unexpected

    callers: list[str] = []
    transaction = Database.transaction

    def watched(self: Database) -> object:
        caller = ui_caller()
        if caller is not None:
            callers.append(caller)
        return transaction(self)

    monkeypatch.setattr(Database, "transaction", watched)
    yield
    left = unexpected(callers)
    assert not left, f"saved on the UI thread (run it as a FloorOp, ui/ops.py): {left}"


@pytest.fixture(autouse=True, scope="session")
def _no_keyring_of_this_pc() -> Iterator[None]:
    """Tests never read or write this PC's keyring: a password a test keeps goes to the pgpass
    file of its data dir, as on a headless PC (tests/test_credentials.py plugs in a keyring of
    its own)."""
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def pytest_report_header(config: pytest.Config) -> str:
    return f"RepairFloor test database: {os.environ.get(TEST_DB_ENV_VAR) or 'SQLite files'}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_url() -> Iterator[str | None]:
    """The migrated PostgreSQL database this session's tests share, emptied before each test: the
    one ``REPAIRFLOOR_TEST_DB`` names, or under pytest-xdist one per worker (``<db>_gw0``...)."""
    url = os.environ.get(TEST_DB_ENV_VAR)
    if not url:
        yield None
        return
    worker = _PostgresCopies(url) if XDIST_WORKER else None
    if worker is not None:
        url = worker.create(worker.name(XDIST_WORKER))
    db = Database(url)
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    schema.upgrade(db)
    db.dispose()
    if worker is not None:
        worker.server.dispose()
    yield url  # left in place, as the database of a run without workers is


def _empty_postgres(url: str) -> Database:
    db = Database(url)
    tables = ", ".join(f'"{t.name}"' for t in whole_schema().sorted_tables)
    for attempt in range(5):
        try:
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                care_seeds.seed(connection)  # the rows migration 0012 inserts: as migrated
                connection.execute(first_center())  # and 0016's center 1
            return db
        except OperationalError as error:
            # A list an earlier UI test of this worker still reads on its read worker holds a
            # table the TRUNCATE takes table by table: PostgreSQL may break the cycle by
            # refusing the TRUNCATE (deadlock detected). Its read ends; empty again.
            if "deadlock" not in str(error) or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    return db


def _load_demo(url: str) -> None:
    db = Database(url)
    load_demo(db, station=DEMO_STATION, orders=DEMO_ORDERS, now=DEMO_NOW)
    db.dispose()


@pytest.fixture(scope="session")
def _sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    shutil.copyfile(_sqlite_template, path)
    _load_demo(f"sqlite:///{path}")
    return path


class _PostgresCopies:
    """Databases next to the test database on the same server: ``<test db>_<suffix>``."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.server = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.made: list[str] = []

    def name(self, suffix: str) -> str:
        return f"{self.url.database}_{suffix}"

    def next_name(self, suffix: str) -> str:
        return self.name(f"{suffix}_{len(self.made) + 1}")

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        self.drop(name)
        with self.server.connect() as connection:
            connection.execute(
                text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
            )
        self.made.append(name)
        return self.url_of(name)

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self.drop(name)
        self.server.dispose()

    def drop(self, name: str) -> None:
        with self.server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def _postgres_copies(_postgres_url: str | None) -> Iterator[_PostgresCopies | None]:
    copies = _PostgresCopies(_postgres_url) if _postgres_url else None
    yield copies
    if copies is not None:
        copies.drop_all()


@pytest.fixture(scope="session")
def _postgres_empty_template(_postgres_copies: _PostgresCopies) -> Iterator[str]:
    """A freshly migrated database nobody connects to, the template of each ``own_database``
    test's database."""
    name = _postgres_copies.name("empty_template")
    url = _postgres_copies.create(name)
    db = Database(url)
    schema.upgrade(db)
    db.dispose()
    yield name
    _postgres_copies.drop(name)


@pytest.fixture(scope="session")
def _postgres_demo_template(_postgres_copies: _PostgresCopies) -> Iterator[str]:
    """A database holding the demo month, the template each demo test's database is made from."""
    name = _postgres_copies.name("demo_template")
    url = _postgres_copies.create(name)
    db = Database(url)
    schema.upgrade(db)
    db.dispose()
    _load_demo(url)  # every connection is closed: CREATE DATABASE ... TEMPLATE needs that
    yield name
    _postgres_copies.drop(name)


@pytest.fixture
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _sqlite_template: Path,
    _postgres_url: str | None,
    _postgres_copies: _PostgresCopies | None,
) -> Iterator[str]:
    """A URL of a fully migrated database of its own for this test: empty, or holding the demo
    month when the test asks for ``demo_db`` too (so ``db``, ``system_ctx``… see the demo)."""
    with_demo = "demo_db" in request.fixturenames
    if _postgres_copies is not None and _postgres_url:
        if not with_demo and request.node.get_closest_marker("own_database"):
            # A restore or a move must be alone on its database: a connection an earlier test
            # of this worker left to the shared one would count as another station's.
            template = request.getfixturevalue("_postgres_empty_template")
            yield _postgres_copies.create(_postgres_copies.next_name("own"), template=template)
            return
        if not with_demo:
            _empty_postgres(_postgres_url).dispose()
            yield _postgres_url
            return
        # A copy of the template with a name of its own, dropped at the end of the session, not
        # of the test: the closing windows of a UI test may still be reading it (~10 MB each).
        template = request.getfixturevalue("_postgres_demo_template")
        yield _postgres_copies.create(_postgres_copies.next_name("demo"), template=template)
        return
    template_path = (
        request.getfixturevalue("_sqlite_demo_template") if with_demo else _sqlite_template
    )
    path = tmp_path / "repairfloor.db"
    shutil.copyfile(template_path, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    """This test's database holding the demo month (``load_demo`` with ``DEMO_ORDERS`` orders at
    ``DEMO_NOW``, its people signing in with the documented passwords). The month is loaded once
    per test session; each test gets a copy of its own (a file copy on SQLite, ``CREATE DATABASE
    ... TEMPLATE`` on PostgreSQL)."""
    return db


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def system_ctx(db: Database, clock: ManualClock) -> Context:
    return Context(db, SYSTEM_ACTOR, "test-station", clock)


@pytest.fixture
def make_user(system_ctx: Context) -> Callable[..., Context]:
    """``make_user(Role.TECHNICIAN, username="tech1")`` → a Context signed in as that new user."""

    def make(*roles: Role, username: str | None = None, **kwargs: object) -> Context:
        name = username or "_".join(r.value for r in roles) or "nobody"
        create_user(system_ctx, name, PASSWORD, roles, **kwargs)  # type: ignore[arg-type]
        actor: Actor = actor_for_username(system_ctx.db, name)
        return system_ctx.as_actor(actor)

    return make


@pytest.fixture
def admin(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.ADMIN, username="admin")


@pytest.fixture
def supervisor(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.SUPERVISOR, username="supervisor")


@pytest.fixture
def isolated_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The log file in this test's own data dir; the hooks and handlers that ``app.logs`` installs
    are taken away afterwards. Yields the data dir."""
    import logging
    import sys
    import threading
    import warnings

    from app.config import DATA_DIR_ENV_VAR
    from app.logs import LogFileHandler

    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    root = logging.getLogger()
    before = list(root.handlers)
    hooks = sys.excepthook, threading.excepthook, warnings.showwarning
    yield tmp_path / "data"
    for handler in list(root.handlers):
        if isinstance(handler, LogFileHandler) and handler not in before:
            root.removeHandler(handler)
            handler.close()
    sys.excepthook, threading.excepthook, warnings.showwarning = hooks
    logging.captureWarnings(False)
