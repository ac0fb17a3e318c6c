"""A sheet's columns: header, type and width. Light to import (no openpyxl): a page that shows
the rows a sheet would hold uses them without loading the Excel writer (``app.ledgers.xlsx``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    MONEY = "money"  # integer cents in, yuan out
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    PERCENT = "percent"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float = 14
