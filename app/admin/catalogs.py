"""Catalogue services: list and search, add, edit, deactivate (never delete what others point
at), and Excel import / export. Every change is audited with before → after.

An import is checked whole first (``preview_import``: what it adds, changes, removes, and the
refused rows by number, as an ``ImportReport``); ``apply_import`` applies it in one transaction,
or nothing when any row is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app import audit
from app.admin.catalog_fields import BadValue, Catalog, CatalogRow, Field, Kind
from app.admin.catalog_tables import ALL_CATALOGS
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.importing import ChangeKind, ImportReport
from app.permissions import Permission

ACTIVE_HEADERS = ("启用", "active", "有效")

__all__ = [
    "ALL_CATALOGS",
    "Catalog",
    "CatalogRow",
    "Field",
    "Kind",
    "apply_import",
    "by_name",
    "export",
    "preview_import",
    "row_version",
    "rows",
    "save",
    "set_active",
]


def by_name(name: str) -> Catalog:
    for catalog in ALL_CATALOGS:
        if catalog.name == name:
            return catalog
    raise NotFound(N_("There is no catalogue {name}."), name=name)


# Reading
def rows(ctx: Context, catalog: Catalog, search: str = "") -> list[CatalogRow]:
    """Every row (active first, then by key); ``search`` matches any column, any case."""
    ctx.require(Permission.ADMINISTER)
    with ctx.db.read() as session:
        found = list(catalog.load(session).values())
    needle = search.strip().lower()
    if needle:
        found = [
            row
            for row in found
            if any(needle in f.text(row.values.get(f.name)).lower() for f in catalog.fields)
        ]
    return sorted(found, key=lambda row: (not row.active, row.key.lower()))


def row_version(ctx: Context, catalog: Catalog, key: str) -> str:
    """The row's version now (:attr:`CatalogRow.version`, a digest that shows nothing)."""
    with ctx.db.read() as session:
        row = catalog.load(session).get(key)
    if row is None:
        raise NotFound(N_("{key} is no longer in the list. Refresh it."), key=key)
    return row.version


# Writing one row
def _parse(catalog: Catalog, raw: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in catalog.fields:
        if f.read_only or (partial and f.name not in raw and f is not catalog.key_field):
            continue
        values[f.name] = f.parse(raw.get(f.name))
    return values


def _key(catalog: Catalog, values: dict[str, Any]) -> str:
    return catalog.key_field.text(values[catalog.key_field.name])


def _invalid(error: BadValue) -> InvalidInput:
    return InvalidInput(error.reason, **error.params)


def _changes(
    catalog: Catalog, old: CatalogRow, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    before, after = {}, {}
    for name, value in values.items():
        if name != catalog.key_field.name and old.values.get(name) != value:
            before[name], after[name] = old.values.get(name), value
    return before, after


def _write(
    session: Session,
    ctx: Context,
    catalog: Catalog,
    existing: dict[str, CatalogRow],
    key: str,
    values: dict[str, Any],
) -> bool:
    """Add or change one row (already parsed and checked) and audit it; False when unchanged."""
    old = existing.get(key)
    if old is None:
        catalog.write(session, key, values, True)
        audit.record(
            session, ctx, AuditAction.CATALOG_ADD, catalog.entity, key, after=_json(values)
        )
        return True
    before, after = _changes(catalog, old, values)
    if not after:
        return False
    catalog.write(session, key, values, False)
    audit.record(
        session,
        ctx,
        AuditAction.CATALOG_EDIT,
        catalog.entity,
        key,
        before=_json(before),
        after=_json(after),
    )
    return True


def save(
    ctx: Context,
    catalog: Catalog,
    raw: dict[str, Any],
    *,
    key: str | None = None,
    expected_version: str | None,
) -> str:
    """Add a row (``key`` None, ``expected_version`` None) or edit the row ``key`` as the form
    loaded it (``expected_version``: its :attr:`CatalogRow.version`); values in their user form."""
    ctx.require(Permission.ADMINISTER)
    if key is not None:
        raw = {**raw, catalog.key_field.name: raw.get(catalog.key_field.name) or key}
    try:
        values = _parse(catalog, raw, partial=key is not None)
    except BadValue as error:
        raise _invalid(error) from None
    new_key = _key(catalog, values)
    with ctx.db.transaction() as session:
        catalog.lock(session)
        existing = catalog.load(session)
        if key is None:
            if not catalog.can_add:
                raise Conflict(N_("Rows of this list are added elsewhere (users: the Users page)."))
            if new_key in existing:
                raise Conflict(N_("{key} is already in the list. Edit it instead."), key=new_key)
        else:
            if key not in existing:
                raise NotFound(N_("{key} is no longer in the list. Refresh it."), key=key)
            if expected_version is None:
                raise ValueError("an edit sends the version of the row it loaded")
            catalog.check_version(session, existing[key], expected_version)
            if new_key != key:
                raise InvalidInput(
                    N_("The code cannot be changed; deactivate it and add a new one.")
                )
        problem = catalog.check(session, new_key, values)
        if problem is not None:
            raise _invalid(problem)
        _write(session, ctx, catalog, existing, new_key, values)
        return new_key


def set_active(
    ctx: Context, catalog: Catalog, key: str, active: bool, *, expected_version: str
) -> None:
    """Deactivate (or bring back) a row: it stays, with everything that refers to it."""
    ctx.require(Permission.ADMINISTER)
    with ctx.db.transaction() as session:
        catalog.lock(session)
        row = catalog.load(session).get(key)
        if row is None:
            raise NotFound(N_("{key} is no longer in the list. Refresh it."), key=key)
        catalog.check_version(session, row, expected_version)
        if catalog.can_delete and not active:
            catalog.delete(session, key)
            audit.record(
                session,
                ctx,
                AuditAction.CATALOG_DELETE,
                catalog.entity,
                key,
                before=_json(row.values),
            )
            return
        if not catalog.can_deactivate:
            raise Conflict(N_("Rows of this list cannot be deactivated."))
        if row.active == active:
            return
        catalog.write_active(session, key, active)
        audit.record(
            session,
            ctx,
            AuditAction.CATALOG_ACTIVATE if active else AuditAction.CATALOG_DEACTIVATE,
            catalog.entity,
            key,
            before={"active": row.active},
            after={"active": active},
        )


# Excel
def _headers(catalog: Catalog, header: Sequence[Any]) -> tuple[dict[str, int], int | None]:
    columns: dict[str, int] = {}
    active_column = None
    for index, cell in enumerate(header):
        name = str(cell or "").strip().lower()
        if name in ACTIVE_HEADERS:
            active_column = index
        for f in catalog.fields:
            names = {f.name, f.header.lower(), f.label.lower(), *(a.lower() for a in f.aliases)}
            if name in names and f.name not in columns:
                columns[f.name] = index
    key = catalog.key_field
    if key.name not in columns:
        raise InvalidInput(
            N_("The first row must name the columns; the column {header} is missing."),
            header=key.header,
        )
    return columns, active_column


def _read(path: Path, catalog: Catalog) -> Iterator[tuple[int, dict[str, Any], Any]]:
    """(row number, raw values by field, raw active cell) for each non-blank row."""
    try:
        from openpyxl import load_workbook  # imported on first use: not at start-up

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(N_("{file} is not an Excel workbook (.xlsx)."), file=path.name) from None
    try:
        sheet = workbook.active
        lines = sheet.iter_rows(values_only=True)
        columns, active_column = _headers(catalog, next(lines, ()))
        for number, line in enumerate(lines, start=2):
            raw = {name: line[i] if i < len(line) else None for name, i in columns.items()}
            if all(value in (None, "") for value in raw.values()):
                continue
            active = (
                line[active_column]
                if active_column is not None and active_column < len(line)
                else None
            )
            yield number, raw, active
    finally:
        workbook.close()


def _plan(session: Session, catalog: Catalog, path: Path) -> tuple[ImportReport, list[Any]]:
    report = ImportReport()
    existing = catalog.load(session)
    planned: list[tuple[str, dict[str, Any], bool | None]] = []
    seen: dict[str, int] = {}
    active_field = Field("active", N_("Active"), "启用", Kind.BOOL, default=True)
    for number, raw, active_cell in _read(path, catalog):
        try:
            values = _parse(catalog, raw, partial=True)
            key = _key(catalog, values)
            active = None if active_cell in (None, "") else active_field.parse(active_cell)
        except BadValue as error:
            report.refuse(number, error.reason, **error.params)
            continue
        if key in seen:
            report.refuse(
                number, N_("{key} is listed twice (also row {row})."), key=key, row=seen[key]
            )
            continue
        seen[key] = number
        old = existing.get(key)
        if old is None and not catalog.can_add:
            report.refuse(number, N_("{key} is not in the list."), key=key)
            continue
        if old is None:
            try:
                values = _parse(catalog, raw, partial=False)
            except BadValue as error:
                report.refuse(number, error.reason, **error.params)
                continue
        problem = catalog.check(session, key, {**(old.values if old else {}), **values})
        if problem is not None:
            report.refuse(number, problem.reason, **problem.params)
            continue
        if active is not None and not catalog.can_deactivate:
            active = None
        if old is None:
            report.note(ChangeKind.ADD, key, number)
        else:
            before, after = _changes(catalog, old, values)
            if active is not None and active != old.active:
                before["active"], after["active"] = old.active, active
            if after:
                report.note(ChangeKind.CHANGE, key, number, before, after)
            else:
                report.unchanged += 1
        planned.append((key, values, active))
    for key in catalog.removed_by_import(existing, set(seen)):
        report.note(ChangeKind.REMOVE, key)
    return report, [existing, planned]


def preview_import(ctx: Context, catalog: Catalog, path: Path) -> ImportReport:
    """What an import of ``path`` would add, change and remove, and its bad rows; writes nothing."""
    ctx.require(Permission.ADMINISTER)
    with ctx.db.read() as session:
        report, _ = _plan(session, catalog, path)
    return report


def apply_import(ctx: Context, catalog: Catalog, path: Path) -> ImportReport:
    """Apply the whole file in one transaction, or nothing when any row is bad."""
    ctx.require(Permission.ADMINISTER)
    with ctx.db.transaction() as session:
        report, (existing, planned) = _plan(session, catalog, path)
        if not report.ok:
            session.rollback()
            return report
        for key in report.keys(ChangeKind.REMOVE):
            catalog.delete(session, key)
            audit.record(
                session,
                ctx,
                AuditAction.CATALOG_DELETE,
                catalog.entity,
                key,
                before=_json(existing[key].values),
            )
        for key, values, active in planned:
            _write(session, ctx, catalog, existing, key, values)
            old = existing.get(key)
            if active is not None and active != (old.active if old else True):
                catalog.write_active(session, key, active)
                audit.record(
                    session,
                    ctx,
                    AuditAction.CATALOG_ACTIVATE if active else AuditAction.CATALOG_DEACTIVATE,
                    catalog.entity,
                    key,
                    before={"active": not active},
                    after={"active": active},
                )
        audit.record(
            session,
            ctx,
            AuditAction.CATALOG_IMPORT,
            catalog.entity,
            path.name,
            after={
                "added": report.added,
                "changed": report.updated,
                "removed": report.removed,
                "unchanged": report.unchanged,
            },
        )
        report.applied = True
        return report


def export(ctx: Context, catalog: Catalog, path: Path) -> int:
    """Write the catalogue to ``path`` with the headers an import reads back; returns rows."""
    ctx.require(Permission.ADMINISTER)
    from openpyxl import Workbook  # imported on first use: not at start-up

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(catalog.sheet or catalog.name)
    sheet.append([f.header for f in catalog.fields] + ["启用"])
    found = rows(ctx, catalog)
    for row in found:
        sheet.append(
            [f.text(row.values.get(f.name)) for f in catalog.fields]
            + ["是" if row.active else "否"]
        )
    workbook.save(path)
    return len(found)


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in values.items()
    }
