"""One report for every Excel import: the parts master, the catalogues and the maker's sales
register.

An import reads the whole file first and names every refused row with its reason; the file is
applied, in one transaction, only when no row is refused. The same report answers the preview
(``applied`` false) and the import itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.errors import fill_message


@dataclass(frozen=True)
class RefusedRow:
    """A row of the file that cannot be imported: its number in the sheet and why."""

    row: int  # as Excel numbers it: the header is row 1
    reason: str  # an N_() template
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, translate: Callable[[str], str] | None = None) -> str:
        return fill_message(self.reason, self.params, translate)


class ChangeKind(enum.Enum):
    ADD = "add"
    CHANGE = "change"
    REMOVE = "remove"


@dataclass(frozen=True)
class RowChange:
    """One thing the import does to one record, for imports that list them (the catalogues)."""

    kind: ChangeKind
    key: str
    row: int | None = None  # None for a removal: the record is not in the file
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    """What an import adds, updates, removes and leaves as it is, and the rows it refuses."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        """No row is refused: the file may be applied."""
        return not self.refused

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def refuse(self, row: int, reason: str, /, **params: Any) -> None:
        """Refuse sheet row ``row`` for ``reason`` (an N_() template filled with ``params``)."""
        self.refused.append(RefusedRow(row, reason, params))

    def note(
        self,
        kind: ChangeKind,
        key: str,
        row: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Record one change (listed in ``changes``) and count it."""
        self.changes.append(RowChange(kind, key, row, before or {}, after or {}))
        if kind is ChangeKind.ADD:
            self.added += 1
        elif kind is ChangeKind.CHANGE:
            self.updated += 1
        else:
            self.removed += 1

    def keys(self, kind: ChangeKind) -> list[str]:
        return [change.key for change in self.changes if change.kind is kind]
