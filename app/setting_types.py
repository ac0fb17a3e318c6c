"""The kinds of center setting (text, number in a range, yes/no, choice, time of day, pick list,
label size): how each checks what was typed or stored and how it is kept in the ``settings``
table. The settings themselves are declared in ``app/settings.py``; each registers here, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from app.errors import N_, InvalidInput

T = TypeVar("T")

REGISTRY: dict[str, SettingSpec[Any]] = {}


class SettingSpec(Generic[T]):
    """One setting: ``coerce`` turns what was typed or stored into a ``T`` or refuses it with
    ``InvalidInput``; ``stored`` turns a ``T`` into what the JSON column keeps."""

    def __init__(self, key: str, default: T, label: str) -> None:
        if key in REGISTRY:
            raise ValueError(f"the setting {key} is declared twice")
        self.key = key
        self.default = default
        self.label = label
        REGISTRY[key] = self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r})"

    def coerce(self, value: Any) -> T:
        raise NotImplementedError

    def stored(self, value: T) -> Any:
        return value

    def refused(self, value: Any) -> InvalidInput:
        return InvalidInput(
            N_("{label}: {value} is not a valid value."), label=self.label, value=repr(value)
        )


class TextSetting(SettingSpec[str]):
    def __init__(
        self, key: str, default: str, label: str, *, max_length: int = 255, multiline: bool = False
    ) -> None:
        super().__init__(key, default, label)
        self.max_length = max_length
        self.multiline = multiline

    def coerce(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.refused(value)
        text = value.strip()
        if len(text) > self.max_length:
            raise InvalidInput(
                N_("{label}: at most {count} characters."), label=self.label, count=self.max_length
            )
        return text


class IntSetting(SettingSpec[int]):
    def __init__(self, key: str, default: int, label: str, *, minimum: int, maximum: int) -> None:
        super().__init__(key, default, label)
        self.minimum = minimum
        self.maximum = maximum

    def coerce(self, value: Any) -> int:
        # A whole number only: never a bool, a float (1.5 is not 1, Infinity not an overflow)
        # or a Decimal with a fraction; text of digits.
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.refused(value)
        if isinstance(value, Decimal) and (
            not value.is_finite() or value != value.to_integral_value()
        ):
            raise self.refused(value)
        try:
            number = int(value.strip() if isinstance(value, str) else value)
        except ValueError:
            raise self.refused(value) from None
        if not self.minimum <= number <= self.maximum:
            raise InvalidInput(
                N_("{label} must be between {minimum} and {maximum}."),
                label=self.label,
                minimum=self.minimum,
                maximum=self.maximum,
            )
        return number


class BoolSetting(SettingSpec[bool]):
    def coerce(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.refused(value)
        return value


class ChoiceSetting(SettingSpec[str]):
    """One of a few values, each with a label to show."""

    def __init__(
        self, key: str, default: str, label: str, *, choices: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__(key, default, label)
        self.choices = tuple(choices)

    def coerce(self, value: Any) -> str:
        if not isinstance(value, str) or value not in {choice for choice, _ in self.choices}:
            raise InvalidInput(
                N_("{label}: {value} is not one of the choices."),
                label=self.label,
                value=repr(value),
            )
        return str(value)


class TimeZoneSetting(TextSetting):
    """An IANA time zone name (``Asia/Shanghai``): refused when this PC's zone data lacks it."""

    def coerce(self, value: Any) -> str:
        name = super().coerce(value)
        try:
            ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # not found, a folder ("Asia"), not a key
            raise InvalidInput(
                N_("{label}: {value} is not a time zone; write e.g. Asia/Shanghai."),
                label=self.label,
                value=name,
            ) from None
        return name


class TimeSetting(SettingSpec[time]):
    """A time of day, kept as ``HH:MM``."""

    PATTERN = re.compile(r"(\d{1,2}):(\d{2})")

    def coerce(self, value: Any) -> time:
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        match = self.PATTERN.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            raise InvalidInput(
                N_("{label}: write the time as HH:MM, e.g. 08:30 (not {value})."),
                label=self.label,
                value=str(value),
            )
        return time(int(match[1]), int(match[2]))

    def stored(self, value: time) -> str:
        return f"{value:%H:%M}"


class ListSetting(SettingSpec[list[str]]):
    """A pick list (one item per line on screen), kept on the catalogues page."""

    def coerce(self, value: Any) -> list[str]:
        if not isinstance(value, list | tuple):
            raise self.refused(value)
        return [str(item).strip() for item in value if str(item).strip()]


class LabelSize(NamedTuple):
    width_mm: int
    height_mm: int


class LabelSizeSetting(SettingSpec[LabelSize]):
    """The size of the label stock in the label printers, kept as ``WIDTHxHEIGHT`` in mm."""

    PATTERN = re.compile(r"(\d{2,3})\s*[x×*]\s*(\d{2,3})", re.IGNORECASE)
    WIDTHS, HEIGHTS = (30, 120), (20, 150)

    def coerce(self, value: Any) -> LabelSize:
        if isinstance(value, LabelSize):
            width, height = value
        else:
            match = self.PATTERN.fullmatch(value.strip()) if isinstance(value, str) else None
            if match is None:
                raise InvalidInput(
                    N_("{label}: write width x height in mm, e.g. 60x40 (not {value})."),
                    label=self.label,
                    value=str(value),
                )
            width, height = int(match[1]), int(match[2])
        if not (
            self.WIDTHS[0] <= width <= self.WIDTHS[1]
            and self.HEIGHTS[0] <= height <= self.HEIGHTS[1]
        ):
            raise InvalidInput(
                N_("{label}: a label is 30 to 120 mm wide and 20 to 150 mm high."),
                label=self.label,
            )
        return LabelSize(width, height)

    def stored(self, value: LabelSize) -> str:
        return f"{value.width_mm}x{value.height_mm}"
