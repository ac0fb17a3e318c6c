"""Code 128 sized for the printer that prints it.

A thermal printer lays dots on a fixed grid (8 dots/mm at 203 dpi, 11.8 at 300): a bar 2.24 dots
wide comes out 2 or 3 dots at random and a 203-dpi label stops scanning. So a module is always a
whole number of printer dots, the bars start on a dot, the quiet zones are at least 10 modules,
and a code is never squeezed: a number too long for the width at the narrowest module a scanner
reads (0.25 mm) is refused when the document is designed, not printed unreadable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from app.errors import N_, InvalidInput

MM = 72 / 25.4  # points per millimetre
MIN_MODULE_MM = 0.25  # ≈ 10 mil: what every floor scanner reads
MAX_MODULE_MM = 0.5  # wider only wastes label
QUIET_MODULES = 10
PRINTER_DPIS = (203, 300)


@lru_cache(maxsize=256)
def code128_modules(value: str) -> int:
    """Width of ``value``'s Code 128 in modules (start, data, check and stop; no quiet zones)."""
    return round(Code128(value, barWidth=1, quiet=False).width)


def dot_pt(dpi: int) -> float:
    return 72 / dpi


def snap(x_pt: float, dpi: int) -> float:
    """The first printer-dot boundary at or after ``x_pt`` (page coordinates)."""
    dot = dot_pt(dpi)
    return math.ceil(x_pt / dot - 1e-6) * dot


@dataclass(frozen=True)
class BarcodePlan:
    value: str
    dpi: int
    dots: int  # printer dots per module
    modules: int  # bars and spaces, quiet zones apart

    @property
    def module_pt(self) -> float:
        return self.dots * dot_pt(self.dpi)

    @property
    def module_mm(self) -> float:
        return self.dots * 25.4 / self.dpi

    @property
    def bars_pt(self) -> float:
        return self.modules * self.module_pt

    @property
    def width_pt(self) -> float:
        """With both quiet zones: the room the code takes on the label."""
        return (self.modules + 2 * QUIET_MODULES) * self.module_pt

    def draw(self, canvas: Canvas, left_pt: float, bottom_pt: float, height_pt: float) -> float:
        """Draw within [left, left + width] (quiet zones included), the bars on the dot grid;
        returns where the bars start. ``canvas`` must not be scaled or moved off the grid."""
        start = snap(left_pt + QUIET_MODULES * self.module_pt, self.dpi)
        Code128(
            self.value,
            barWidth=self.module_pt,
            barHeight=height_pt,
            humanReadable=False,
            quiet=False,
        ).drawOn(canvas, start, bottom_pt)
        return start


def dots_range(dpi: int) -> range:
    """Whole-dot module widths from the widest useful down to the narrowest readable."""
    narrowest = math.ceil(MIN_MODULE_MM * dpi / 25.4 - 1e-9)
    widest = max(narrowest, math.floor(MAX_MODULE_MM * dpi / 25.4 + 1e-9))
    return range(widest, narrowest - 1, -1)


def plan_code128(
    value: str, room_pt: float, dpi: int, largest_mm: float = MAX_MODULE_MM
) -> BarcodePlan:
    """The widest whole-dot module (at most ``largest_mm``) at which ``value`` and its quiet
    zones fit in ``room_pt``; refused when even the narrowest readable module does not fit."""
    if dpi <= 0:
        raise ValueError(f"a printer resolution is a positive number of dots per inch, not {dpi}")
    modules = code128_modules(value)
    dots = list(dots_range(dpi))
    for count in dots:
        plan = BarcodePlan(value, dpi, count, modules)
        if plan.module_mm > largest_mm + 1e-9 and count != dots[-1]:
            continue
        if plan.width_pt <= room_pt + 1e-6:
            return plan
    raise InvalidInput(
        N_(
            "{value} is too long for a barcode {width} mm wide at {dpi} dpi: "
            "use a wider label or a shorter number."
        ),
        value=value,
        width=f"{room_pt / MM:.0f}",
        dpi=dpi,
    )
