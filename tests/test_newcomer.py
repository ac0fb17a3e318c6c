"""What a newcomer reads and sees on the first run is true: the README's commands and paths
match what the programs do, and what they print holds for the database at hand."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app import users
from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.db import Database
from app.demo.sign_in import documented_sign_ins, sign_in_hint
from app.models import User
from repairfloor import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    return tmp_path / "data"


def section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_says_to_activate_the_venv_where_the_commands_are() -> None:
    commands = section("Command line")
    activate = commands.index(". .venv/bin/activate")
    assert activate < commands.index("repairfloor [--db URL]")
    assert ".venv/bin/repairfloor" in commands  # the launcher that needs no activation
    assert (ROOT / "installer" / "setup.sh").read_text().count('"$venv/bin/python" -m pip') >= 1


def test_setup_left_pyside6_support_modules_unpacked_for_a_quick_start() -> None:
    """installer/setup.sh unpacks shiboken's support modules (SBK_EMBED=false): imported from
    files, they come from cached bytecode; left zipped inside libshiboken6, every start compiles
    their source again (25-30 ms)."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, PySide6.QtCore; print(sys.modules['shibokensupport'].__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "SBK_EMBED"},
    ).stdout.strip()
    support = Path(shown)
    assert support.is_absolute() and support.is_file(), shown
    assert support.parent.parent.name == "files.dir"


def test_help_names_the_log_folder_the_readme_promises(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    shown = capsys.readouterr().out
    assert f"logs: {data_dir / 'logs'}" in shown
    assert f"data dir (database, backups): {data_dir}" in shown
    assert "`repairfloor.log` in the data dir's `logs/` folder" in README


def test_the_log_folder_is_in_the_data_dir_without_the_variable_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import config, logs

    monkeypatch.delenv(DATA_DIR_ENV_VAR, raising=False)
    monkeypatch.setattr(config, "user_data_path", lambda *_: tmp_path / "user-data")
    assert logs.log_file() == tmp_path / "user-data" / "logs" / "repairfloor.log"


def test_without_a_desktop_the_window_says_so_and_exits_cleanly(data_dir: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    environment["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    run = subprocess.run(
        [sys.executable, "-m", "repairfloor", "gui"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == cli.EXIT_NO_DESKTOP
    assert "needs a desktop session" in run.stderr
    assert "QT_QPA_PLATFORM=offscreen" in run.stderr
    assert "xcb" not in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_init_refuses_a_second_administrator_without_add(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url = f"sqlite:///{tmp_path / 'floor.db'}"
    monkeypatch.setenv(cli.ADMIN_PASSWORD_ENV_VAR, "boss-pass-1")
    assert cli.main(["--db", url, "init", "--admin", "boss"]) == 0
    capsys.readouterr()

    assert cli.main(["--db", url, "init", "--admin", "admin"]) == cli.EXIT_ADMIN_EXISTS
    said = capsys.readouterr()
    assert "already has an administrator (boss)" in said.err and "--add" in said.err
    db = Database(url)
    try:
        with db.read() as session:
            assert session.scalars(select(User.username)).all() == ["boss"]
        assert cli.main(["--db", url, "init", "--admin", "boss"]) == 0  # the same one: fine
        assert "already exists; password unchanged" in capsys.readouterr().out
        assert cli.main(["--db", url, "init", "--admin", "admin", "--add"]) == 0
        with db.read() as session:
            assert sorted(session.scalars(select(User.username))) == ["admin", "boss"]
    finally:
        db.dispose()


def test_the_demo_passwords_are_printed_only_where_they_hold(
    demo_db: Database, system_ctx: Context
) -> None:
    assert {demo.username for demo in documented_sign_ins(demo_db)} >= {"admin", "tech1"}
    hint = sign_in_hint(demo_db)
    assert "admin / admin123" in hint and "/ demo1234" in hint

    admin_id = users.actor_for_username(demo_db, "admin").user_id
    assert admin_id is not None
    from app.admin import users as admin_users

    admin_users.reset_password(
        system_ctx,
        admin_id,
        "another-pass-9",
        expected_version=admin_users.user_version(system_ctx, admin_id),
    )

    hint = sign_in_hint(demo_db)
    assert "admin123" not in hint and "tech1" in hint and "demo1234" in hint


def test_a_database_without_the_demo_users_gets_no_demo_password(
    admin: Context, db: Database, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    assert documented_sign_ins(db) == []  # "admin" exists, but not with admin123
    assert "admin123" not in sign_in_hint(db) and "demo1234" not in sign_in_hint(db)
    if db.is_sqlite:
        assert cli.main(["--db", database_url, "demo", "--passwords"]) == 0
        assert capsys.readouterr().out.strip() == sign_in_hint(db)


def test_window_titles_leave_the_application_name_to_qt() -> None:
    """Qt adds " — RepairFloor" (the display name) to every window title on Linux and Windows:
    a title of ours naming the application again reads "RepairFloor — 登录 — RepairFloor"."""
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"setWindowTitle\(([^\n]*)", text):
            if "RepairFloor" in match.group(1).split("#")[0]:
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
        for match in re.finditer(r'translate\(\s*"CrashDialog",\s*"([^"]*)"', text):
            if match.group(1).startswith("RepairFloor"):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert offenders == []
