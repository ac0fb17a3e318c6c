"""``app.models`` maps a table's module when one of its names is first asked for; whatever walks
the schema as a whole asks ``whole_schema`` (app/models/__init__.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import app.models
from app.models import whole_schema
from app.models.base import Base

ROOT = Path(__file__).resolve().parent.parent


def _fresh(code: str) -> str:
    """``code`` run in a new interpreter (no model imported yet); what it prints."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_a_name_maps_its_own_module_and_what_it_refers_to_only() -> None:
    loaded = _fresh(
        "import sys\n"
        "from app.models import User\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('app.models.'))))"
    )
    assert loaded.split() == [
        "app.models.base",
        "app.models.centers",
        "app.models.enums",
        "app.models.people",
    ]


MODEL_MODULES = sorted(
    path.stem for path in (ROOT / "app" / "models").glob("*.py") if path.stem != "__init__"
)


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_a_module_maps_the_tables_its_foreign_keys_name(module: str) -> None:
    """A flush sorts the tables by their foreign keys: a table named by one and never imported
    fails every save (``NoReferencedTableError``), so each module imports those modules."""
    missing = _fresh(
        f"import app.models.{module}\n"
        "from app.models.base import Base\n"
        "tables = set(Base.metadata.tables)\n"
        "print(' '.join(sorted(fk.target_fullname for table in list(Base.metadata.tables.values())"
        " for fk in table.foreign_keys if fk.column.table.name not in tables)))"
    )
    assert missing == ""


def test_the_whole_schema_holds_every_table_from_a_fresh_start() -> None:
    count = _fresh("from app.models import whole_schema\nprint(len(whole_schema().tables))")
    defined = set()
    for path in (ROOT / "app" / "models").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            for keyword in getattr(node, "body", []):
                if (
                    isinstance(keyword, ast.Assign)
                    and any(getattr(t, "id", "") == "__tablename__" for t in keyword.targets)
                    and isinstance(keyword.value, ast.Constant)
                ):
                    defined.add(keyword.value.value)
    assert len(defined) > 50
    assert int(count) == len(defined) == len(whole_schema().tables)
    assert set(whole_schema().tables) == defined


def test_every_mapped_class_and_enum_is_asked_for_by_name() -> None:
    whole_schema()
    mapped = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    assert mapped <= set(app.models.__all__)
    for name in app.models.__all__:
        assert getattr(app.models, name) is not None


def test_no_code_walks_base_metadata_outside_the_models() -> None:
    """``Base.metadata`` holds only the tables imported so far: a backup check or a move that
    walked it would miss tables no one had used yet in that process."""
    offenders = []
    for folder in ("app", "ui", "repairfloor", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.parent.name == "models" and path.parent.parent.name == "app":
                continue
            text = path.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                if "Base.metadata.sorted_tables" in line or "Base.metadata.tables.values" in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_a_model_module_is_imported_holding_sqlalchemys_configure_lock() -> None:
    """A query on another thread configures every mapper declared so far: while a module is
    being imported (PartMaster declared, its PartFit not yet) it would fail and break the
    registry for the process. Holding SQLAlchemy's lock, the import finishes first."""
    out = _fresh(
        "import importlib, sys\n"
        "import app.models as models\n"
        "lock = sys.modules['sqlalchemy.orm.mapper']._CONFIGURE_MUTEX\n"
        "held = []\n"
        "real = importlib.import_module\n"
        "def watched(name, *args):\n"
        "    if name.startswith('app.models.'):\n"
        "        held.append(lock._is_owned())\n"
        "    return real(name, *args)\n"
        "importlib.import_module = watched\n"
        "from app.models import PartMaster\n"
        "models.whole_schema()\n"
        "print(len(held), all(held), models.MAPPING_LOCK is lock)"
    )
    count, all_held, same = out.split()
    assert int(count) >= 2 and all_held == "True" and same == "True"
