"""The environment variables: declared once in app/config.py, each one explained in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import config

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_environment_variable_is_in_the_readme_table() -> None:
    table = README.read_text(encoding="utf-8")
    for variable in config.ENVIRONMENT:
        assert f"| `{variable.name}` |" in table, variable.name


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.ENV_DATABASE_URL.name, "")
    assert config.ENV_DATABASE_URL.value() is None
    assert config.resolve_database_url() == config.default_database_url()
    monkeypatch.setenv(config.ENV_DATABASE_URL.name, "postgresql+psycopg://db.center/rf")
    assert config.resolve_database_url() == "postgresql+psycopg://db.center/rf"
    assert config.resolve_database_url("sqlite:///other.db") == "sqlite:///other.db"


def test_the_data_dir_holds_the_database_the_logs_and_the_backups(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(config.ENV_DATA_DIR.name, str(tmp_path / "portable"))
    assert config.default_database_url() == f"sqlite:///{tmp_path / 'portable/repairfloor.db'}"
    assert config.log_dir() == tmp_path / "portable/logs"
    assert config.backups_dir() == tmp_path / "portable/backups"
