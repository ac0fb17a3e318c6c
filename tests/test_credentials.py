"""The PostgreSQL password lives in the keyring, or in a 0600 pgpass file where there is none;
never in a settings file or a process's command line. The data dir is this user's only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy.engine import make_url

from app import credentials
from app.config import DATA_DIR_ENV_VAR
from app.private_files import keep_private

SERVER = "postgresql+psycopg://floor@db.center:5433/repairfloor"
PASSWORD = "S3cret:pa\\ss"  # a colon and a backslash: the pgpass file escapes both
WITH_PASSWORD = make_url(SERVER).set(password=PASSWORD).render_as_string(hide_password=False)
POSIX = os.name == "posix"


class MemoryKeyring(KeyringBackend):
    """A keyring of the test's own (the OS's is never touched)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[service, username] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_without_a_keyring_the_password_goes_to_a_private_pgpass_file(data_dir: Path) -> None:
    kept = credentials.store(WITH_PASSWORD)

    assert PASSWORD not in kept and make_url(kept).password is None
    assert make_url(kept).host == "db.center" and make_url(kept).port == 5433
    pgpass = data_dir / "pgpass"
    assert (
        pgpass.read_text(encoding="utf-8") == "db.center:5433:repairfloor:floor:S3cret\\:pa\\\\ss\n"
    )
    if POSIX:
        assert mode(pgpass) == 0o600
    assert make_url(credentials.with_password(kept)).password == PASSWORD


def test_with_a_keyring_the_password_is_there_and_in_no_file(
    data_dir: Path, request: pytest.FixtureRequest
) -> None:
    credentials.store(WITH_PASSWORD)  # first with no keyring (say it was locked): the file ...
    assert "floor:S3cret" in (data_dir / "pgpass").read_text(encoding="utf-8")
    os_keyring: MemoryKeyring = request.getfixturevalue("os_keyring")
    kept = credentials.store(WITH_PASSWORD)  # ... then a keyring: the file copy goes

    assert list(os_keyring.kept.values()) == [PASSWORD]
    assert "S3cret" not in (data_dir / "pgpass").read_text(encoding="utf-8")
    assert make_url(credentials.with_password(kept)).password == PASSWORD


def test_a_url_with_its_own_password_or_a_local_file_is_left_as_it_is(data_dir: Path) -> None:
    credentials.store(WITH_PASSWORD)
    other = "postgresql+psycopg://floor:typed@db.center:5433/repairfloor"
    assert credentials.with_password(other) == other
    assert credentials.with_password("sqlite:///floor.db") == "sqlite:///floor.db"
    assert credentials.store("sqlite:///floor.db") == "sqlite:///floor.db"
    assert make_url(credentials.with_password(SERVER.replace("5433", "5432"))).password is None


def test_the_tools_get_the_password_in_their_environment_only(data_dir: Path) -> None:
    from app.admin.backup.postgres import tool_command

    credentials.store(WITH_PASSWORD)
    dsn, environment = tool_command(make_url(credentials.with_password(SERVER)))
    assert environment["PGPASSWORD"] == PASSWORD
    assert "S3cret" not in dsn and "db.center:5433/repairfloor" in dsn


def test_forgetting_removes_the_password_everywhere(
    data_dir: Path, os_keyring: MemoryKeyring
) -> None:
    os_keyring.kept[credentials.KEYRING_SERVICE, "x"] = "other"
    credentials.store(WITH_PASSWORD)
    credentials.forget(SERVER)
    assert make_url(credentials.with_password(SERVER)).password is None
    assert os_keyring.kept == {(credentials.KEYRING_SERVICE, "x"): "other"}


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_the_data_dir_is_created_0700_and_a_command_leaves_only_0600_files(
    tmp_path: Path,
) -> None:
    data = tmp_path / "fresh" / "data"
    environment = {
        **os.environ,
        DATA_DIR_ENV_VAR: str(data),
        "REPAIRFLOOR_ADMIN_PASSWORD": "admin-pass-1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    environment.pop("REPAIRFLOOR_DB", None)
    # A permissive umask, as on many desktops: the program must not depend on it.
    run = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0o022); from repairfloor.cli import main; "
         "sys.exit(main(['init', '--admin', 'boss']))"],
        env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr

    assert mode(data) == 0o700
    found = list(data.rglob("*"))
    assert any(path.name == "repairfloor.db" for path in found)
    assert any(path.suffix == ".log" for path in found)
    for path in found:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_a_data_dir_an_older_version_left_readable_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "old"
    (data / "logs").mkdir(parents=True, mode=0o755)
    data.chmod(0o755)
    (data / "repairfloor.db").write_bytes(b"")
    (data / "repairfloor.db").chmod(0o644)
    (data / "logs" / "repairfloor.log").write_text("x")
    (data / "logs" / "repairfloor.log").chmod(0o664)
    before = os.umask(0o022)
    try:
        keep_private(data)
    finally:
        os.umask(before)
    assert mode(data) == mode(data / "logs") == 0o700
    assert mode(data / "repairfloor.db") == mode(data / "logs" / "repairfloor.log") == 0o600


def test_no_process_is_ever_given_the_password_in_its_arguments(
    db, database_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """The command line opens a server named without its password (kept by ``store``) and runs a
    backup (``pg_dump``): no command line of any process ever holds the password."""
    if db.is_sqlite:
        pytest.skip("a server's password: the PostgreSQL run")
    secret = "argv-never-7f3a9c"  # the test server trusts any password: this one is carried
    named = make_url(database_url)
    credentials.store(named.set(password=secret).render_as_string(hide_password=False))
    seen: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for entry in Path("/proc").iterdir():
                try:
                    line = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                except OSError:
                    continue
                if secret.encode() in line:
                    seen.append(line.decode(errors="replace"))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "repairfloor", "--db", str(named), "backup",
             "--out", str(tmp_path / "floor.pgdump")],
            env={**os.environ, DATA_DIR_ENV_VAR: str(data_dir),
                 "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        done.set()
        watcher.join()
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "floor.pgdump").stat().st_size > 0
    assert seen == []
