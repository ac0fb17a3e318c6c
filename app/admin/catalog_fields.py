"""The pieces every catalogue is built from: typed fields (one parser for a form, a spreadsheet
cell or a test), a row as the UI and the Excel file see it, and the catalogue's storage hooks.

A field's *user form* is what a person types or reads (aging in hours, lists as lines, yes/no);
its *stored form* is what the database holds (aging in minutes, JSON lists, booleans).
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import values, versions
from app.errors import N_, InvalidInput

MAX_NUMBER = 10**9  # far above any count, hours or minutes a list holds
LIST_SEPARATORS = re.compile(r"[;；、|\n]")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "启用", "有效", "on", "x", "√"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "停用", "无效", "off", ""}


class Kind(enum.Enum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    LIST = "list"
    CHOICE = "choice"
    DATE = "date"
    REGEX = "regex"
    HOURS = "hours"  # typed in hours (0.5 steps allowed), stored in minutes
    MONEY = "money"  # typed in yuan (to the fen), stored in cents
    PERCENT = "percent"  # typed in percent (to 0.01%), stored in basis points


class BadValue(Exception):
    """A value that cannot be stored; ``reason`` is an N_() template with ``params``."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Field:
    name: str  # attribute name (stored form)
    label: str  # N_() English label for forms and headers
    header: str  # the Excel column header (Chinese, as the floor writes it)
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int = 128
    minimum: int = 0
    maximum: int = 100_000
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other accepted Excel headers
    default: Any = None
    upper: bool = False
    read_only: bool = False  # shown and exported, never written by a form or an import
    enum_type: Any = None  # the stored column's enum, for a CHOICE field

    def empty(self) -> Any:
        if self.default is not None:
            return self.default
        return {Kind.LIST: [], Kind.BOOL: False}.get(self.kind)

    def parse(self, raw: Any) -> Any:
        """The stored form of a value typed in a form or read from a cell; raises BadValue."""
        if isinstance(raw, str):
            raw = raw.strip()
        blank = raw is None or raw == "" or raw == []
        if blank and self.kind is not Kind.BOOL:
            if self.required:
                raise BadValue(N_("{field} is required."), field=self.label)
            return self.empty()
        kind = self.kind
        if kind is Kind.TEXT or kind is Kind.REGEX:
            text = _plain(raw)
            text = text.upper() if self.upper else text
            if len(text) > self.max_length:
                raise BadValue(
                    N_("{field} is longer than {count} characters."),
                    field=self.label,
                    count=self.max_length,
                )
            if kind is Kind.REGEX:
                try:
                    re.compile(text)
                except re.error:
                    raise BadValue(
                        N_("{field}: {value} is not a valid pattern."), field=self.label, value=text
                    ) from None
            return text
        if kind is Kind.INT:
            number = _number(raw, self.label)
            if number != int(number):
                raise BadValue(N_("{field} must be a whole number."), field=self.label)
            return self._in_range(int(number))
        if kind is Kind.HOURS:
            minutes = _number(raw, self.label) * 60
            return self._in_range(int(minutes.to_integral_value()))
        if kind is Kind.MONEY or kind is Kind.PERCENT:
            hundredths = _number(raw, self.label) * 100
            if hundredths != hundredths.to_integral_value():
                raise BadValue(N_("{field}: at most two decimals."), field=self.label)
            return self._in_range(int(hundredths))
        if kind is Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            word = "" if raw is None else _text(raw).lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return bool(self.default) if word == "" else False
            raise BadValue(N_("{field}: write 是 or 否."), field=self.label)
        if kind is Kind.LIST:
            items = raw if isinstance(raw, list | tuple) else LIST_SEPARATORS.split(_text(raw))
            return [_plain(item) for item in items if _text(item)]
        if kind is Kind.CHOICE:
            word = _text(raw).lower()
            if word not in self.choices:
                raise BadValue(
                    N_("{field}: {value} is not one of {choices}."),
                    field=self.label,
                    value=_text(raw),
                    choices=", ".join(self.choices),
                )
            return word
        if kind is Kind.DATE:
            if isinstance(raw, datetime):
                return raw.date()
            if isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(_text(raw).replace("/", "-").replace(".", "-"))
            except ValueError:
                raise BadValue(
                    N_("{field}: {value} is not a date (YYYY-MM-DD)."),
                    field=self.label,
                    value=_text(raw),
                ) from None
        raise AssertionError(kind)

    def _in_range(self, number: int) -> int:
        if not self.minimum <= number <= self.maximum:
            raise BadValue(
                N_("{field} must be between {low} and {high}."),
                field=self.label,
                low=self.to_user(self.minimum),
                high=self.to_user(self.maximum),
            )
        return number

    def to_user(self, value: Any) -> Any:
        """The user form of a stored value (hours for minutes; lists stay lists)."""
        if self.kind is Kind.HOURS and value is not None:
            hours = Decimal(value) / 60
            return int(hours) if hours == int(hours) else float(round(hours, 2))
        if self.kind in (Kind.MONEY, Kind.PERCENT) and value is not None:
            whole = Decimal(value) / 100
            return int(whole) if whole == int(whole) else float(whole)
        return value

    def text(self, value: Any) -> str:
        """One-line text for a table cell or a spreadsheet cell."""
        value = self.to_user(value)
        if value is None:
            return ""
        if self.kind is Kind.LIST:
            return "; ".join(str(item) for item in value)
        if self.kind is Kind.BOOL:
            return "是" if value else "否"
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plain(value: Any) -> str:
    """A cell's text, refused when it holds a character no list value may (NUL, bidi…)."""
    try:
        return values.refuse_hidden(_text(value))
    except InvalidInput as error:
        raise BadValue(error.template, **error.params) from None


def _number(raw: Any, label: str) -> Decimal:
    try:
        number = Decimal(_text(raw))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    # NaN, Infinity and 1e999999999 are no number a list holds (and int() of them never ends well).
    if not number.is_finite() or abs(number) > MAX_NUMBER:
        raise BadValue(N_("{field}: {value} is not a number."), field=label, value=_text(raw)[:40])
    return number


@dataclass
class CatalogRow:
    key: str
    values: dict[str, Any]  # stored form, by field name
    active: bool = True

    @property
    def version(self) -> str:
        """The row as a form loads it, in short: a catalogue row spans tables of its own kind
        (a model and its parts...), so its version is a digest of what the form shows. A save
        sends it back; the row saved by someone else meanwhile has another digest."""
        shown = json.dumps(
            {"values": self.values, "active": self.active}, sort_keys=True, default=str
        )
        return hashlib.sha256(shown.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Catalog:
    """One catalogue: its fields (the first is the key) and how it is stored.

    Subclasses override ``load`` / ``write`` / ``write_active`` / ``check`` / ``delete``.
    """

    name: str
    title: str  # N_()
    entity: str  # the audit log's entity name
    fields: tuple[Field, ...]
    can_add: bool = True
    can_deactivate: bool = True
    can_delete: bool = False  # only for rows nothing refers to (calendar days)
    sheet: str = ""

    @property
    def key_field(self) -> Field:
        return self.fields[0]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def check_version(self, session: Session, row: CatalogRow, expected_version: str) -> None:
        """Refuse a save over a row changed since the form loaded it (who, when, what)."""
        versions.check(
            session, row.version, expected_version, row.key, entity=self.entity, entity_id=row.key
        )

    def lock(self, session: Session) -> None:
        """One writer of this catalogue at a time on PostgreSQL (SQLite serialises writers)."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                {"name": "catalog " + self.name},
            )

    def load(self, session: Session) -> dict[str, CatalogRow]:
        raise NotImplementedError

    def write(self, session: Session, key: str, values: dict[str, Any], is_new: bool) -> None:
        raise NotImplementedError

    def write_active(self, session: Session, key: str, active: bool) -> None:
        raise NotImplementedError

    def delete(self, session: Session, key: str) -> None:
        raise NotImplementedError

    def check(self, session: Session, key: str, values: dict[str, Any]) -> BadValue | None:
        """A rule across fields or tables (an unknown category...); None when the row is good."""
        return None

    def removed_by_import(self, existing: dict[str, CatalogRow], imported: set[str]) -> list[str]:
        """Rows an import replaces wholesale (a year of the calendar); none by default."""
        return []


@dataclass(frozen=True)
class OrmCatalog(Catalog):
    """A catalogue that is one table whose columns are named like the fields."""

    model: Any = None
    key_column: str = "code"
    has_active: bool = True
    extra_filter: Any = field(default=None)

    def load(self, session: Session) -> dict[str, CatalogRow]:
        rows: dict[str, CatalogRow] = {}
        for obj in session.scalars(select(self.model)):
            key = str(getattr(obj, self.key_column))
            values = {f.name: _stored(getattr(obj, f.name)) for f in self.fields}
            rows[key] = CatalogRow(key, values, bool(getattr(obj, "active", True)))
        return rows

    def _get(self, session: Session, key: str) -> Any:
        column = getattr(self.model, self.key_column)
        return session.scalar(select(self.model).where(column == key))

    def write(self, session: Session, key: str, values: dict[str, Any], is_new: bool) -> None:
        obj = self.model() if is_new else self._get(session, key)
        for f in self.fields:
            if f.read_only or f.name not in values:
                continue
            value = values[f.name]
            if f.enum_type is not None and value is not None:
                value = f.enum_type(value)
            setattr(obj, f.name, value)
        if is_new:
            setattr(obj, self.key_column, key)
            session.add(obj)
        session.flush()

    def write_active(self, session: Session, key: str, active: bool) -> None:
        self._get(session, key).active = active
        session.flush()


def _stored(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return list(value)
    return value
