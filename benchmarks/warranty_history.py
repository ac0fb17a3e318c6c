"""A synthetic network-sized warranty history for the ``early_warning`` benchmark (seeded).

20 models in three categories (14 on sale from the first month, six launched later), two years
of monthly sales (5,000 to 30,000 units a model and month: a network's register), returns drawn from a baseline hazard
per fault code and month in service (higher in the first two months: early failures), each
model a little better or worse than its category (±10 %), each return dated on a uniform day of
its calendar month. ``defect`` injects one sale month of one model at ``factor`` × the baseline
rate for one fault code; the extra returns are marked, so the first defective return is known.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from app.quality.detector import ModelInfo, month_index, month_start

MODELS = 20
MONTHS = 24
FIRST_MONTH = month_index(date(2024, 1, 1))
CATEGORIES = ("phone", "tablet", "watch")
FAULT_CODES = ("F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08")
# Monthly return probability of each code per unit, at months in service 2 and later.
BASE_HAZARD = (0.0012, 0.0009, 0.0007, 0.0005, 0.0004, 0.0003, 0.0002, 0.0001)
EARLY = (2.0, 1.4)  # months in service 0 and 1: early failures
WARRANTY_MONTHS = 12


@dataclass(frozen=True)
class Defect:
    model: str
    sale_month: int
    fault_code: str
    factor: float = 3.0


@dataclass
class History:
    models: dict[str, ModelInfo]
    cohorts: dict[tuple[str, int], int]
    # (date, model, sale month, mis, code, defective): one row per unit returned
    events: list[tuple[date, str, int, int, str, bool]] = field(default_factory=list)


def hazard(code_index: int, mis: int) -> float:
    return BASE_HAZARD[code_index] * (EARLY[mis] if mis < len(EARLY) else 1.0)


def generate(seed: int, defect: Defect | None = None) -> History:
    rng = np.random.default_rng(seed)
    models: dict[str, ModelInfo] = {}
    multipliers: dict[str, np.ndarray] = {}
    for number in range(MODELS):
        name = f"M{number + 1:02d}"
        launch = FIRST_MONTH if number < 14 else FIRST_MONTH + 4 + (number - 14) * 3
        models[name] = ModelInfo(CATEGORIES[number % len(CATEGORIES)], launch)
        multipliers[name] = rng.uniform(0.9, 1.1, len(FAULT_CODES))
    cohorts: dict[tuple[str, int], int] = {}
    events: list[tuple[date, str, int, int, str, bool]] = []
    end = FIRST_MONTH + MONTHS  # exclusive
    for name, info in models.items():
        volume = rng.uniform(5000, 30000)
        for sold_in in range(info.launch_month, end):
            units = int(rng.poisson(volume))
            cohorts[(name, sold_in)] = units
            for mis in range(min(WARRANTY_MONTHS, end - sold_in)):
                exposure = 0.5 if mis == 0 else 1.0  # sold through the month
                calendar_month = month_start(sold_in + mis)
                days = calendar.monthrange(calendar_month.year, calendar_month.month)[1]
                for index, code in enumerate(FAULT_CODES):
                    rate = units * exposure * hazard(index, mis) * multipliers[name][index]
                    count = int(rng.poisson(rate))
                    extra = 0
                    if defect is not None and (name, sold_in, code) == (
                        defect.model,
                        defect.sale_month,
                        defect.fault_code,
                    ):
                        extra = int(rng.poisson(rate * (defect.factor - 1.0)))
                    for defective in [False] * count + [True] * extra:
                        day = calendar_month.replace(day=int(rng.integers(1, days + 1)))
                        events.append((day, name, sold_in, mis, code, defective))
    events.sort()
    return History(models, cohorts, events)
