"""The time between two timestamps of a row, in seconds, computed by the database: the KPIs
aggregate spans (mean, median, histogram bins, per technician) in SQL instead of reading every
row of the period into Python (a year of a million-order center is ~100,000 rows)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement[float]):  # noqa: N801 (used like a SQL function)
    """``seconds_between(start, end)``: end − start in seconds (NULL if either is NULL)."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


def _operands(element: seconds_between, compiler: Any, **kw: Any) -> tuple[str, str]:
    start, end = list(element.clauses)
    return compiler.process(start, **kw), compiler.process(end, **kw)


@compiles(seconds_between, "sqlite")
def _sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    # Stored as UTC text; julianday is exact to the millisecond at today's dates.
    start, end = _operands(element, compiler, **kw)
    return f"ROUND((julianday({end}) - julianday({start})) * 86400.0, 3)"


@compiles(seconds_between)
def _default(element: seconds_between, compiler: Any, **kw: Any) -> str:  # PostgreSQL
    start, end = _operands(element, compiler, **kw)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"
