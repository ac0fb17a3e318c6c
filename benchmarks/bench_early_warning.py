"""``early_warning``: the field-failure detector (:mod:`app.quality.detector`) run week by week,
month by month, over a generated two-year history of 20 models (:mod:`.warranty_history`).

- ``early_warning_detection_weeks``: in each of ``TRIALS`` histories (each its own seed) one sale
  month of one model returns one fault code at 3× the baseline; the delay from the first
  defective unit's return to the first check that raises the alarm for that model, month and
  code. The median over the trials (a defect not found within six months counts as found then).
- ``early_warning_false_alarms_per_100_model_months``: the alarms raised over a history with no
  defect, per 100 months a model was on sale and checked.
- ``early_warning_check_ms``: the median time of one check of the 20 models.

The rule is the center's default (:data:`app.quality.alarms.DEFAULT_RULE`: the settings'
defaults). Checks run every seven days from the first week of the history.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta

import numpy as np

from app.quality.alarms import default_rule
from app.quality.detector import Rule, detect, month_start

from . import BenchEnv, Figure, benchmark
from .warranty_history import (
    FAULT_CODES,
    FIRST_MONTH,
    MONTHS,
    Defect,
    History,
    generate,
)

TRIALS = 9
CHECK_EVERY = timedelta(days=7)
WATCHED_MONTHS = 6  # a defect not found within six months of its sale month counts as missed


def run_checks(
    history: History, first: date, last: date, rule: Rule, timings: list[float] | None = None
) -> dict[tuple[str, int, str], date]:
    """Check every ``CHECK_EVERY`` from ``first`` to ``last``: when each alarm was first raised."""
    counts: dict[tuple[str, int, int, str], int] = {}
    raised: dict[tuple[str, int, str], date] = {}
    position, day = 0, first
    while day <= last:
        while position < len(history.events) and history.events[position][0] <= day:
            _, model, sold_in, mis, code, _ = history.events[position]
            key = (model, sold_in, mis, code)
            counts[key] = counts.get(key, 0) + 1
            position += 1
        started = time.perf_counter()
        findings = detect(history.cohorts, counts, history.models, day, rule)
        if timings is not None:
            timings.append((time.perf_counter() - started) * 1000)
        for finding in findings:
            raised.setdefault((finding.model, finding.sale_month, finding.fault_code), day)
        day += CHECK_EVERY
    return raised


def detection_weeks(seed: int, rule: Rule) -> float:
    rng = np.random.default_rng(10_000 + seed)
    sale_month = FIRST_MONTH + int(rng.integers(8, MONTHS - 6))
    model = f"M{int(rng.integers(1, 15)):02d}"  # one of the models on sale from the start
    code = FAULT_CODES[int(rng.integers(0, 4))]  # one of the common faults
    defect = Defect(model, sale_month, code)
    history = generate(seed, defect)
    first_defective = min(e[0] for e in history.events if e[5])
    first = month_start(sale_month)
    last = month_start(sale_month + WATCHED_MONTHS)
    raised = run_checks(history, first, last, rule)
    found = raised.get((model, sale_month, code))
    delay = (last - first_defective) if found is None else (found - first_defective)
    print(
        f"  trial {seed}: {model} sold {first:%Y-%m} {code}: first defective return "
        f"{first_defective}, alarm {found or 'never'}, {delay.days / 7:.1f} weeks",
        file=sys.stderr,
    )
    return delay.days / 7


def false_alarms(rule: Rule, timings: list[float]) -> float:
    history = generate(1)
    first = month_start(FIRST_MONTH) + timedelta(days=6)
    last = month_start(FIRST_MONTH + MONTHS) - timedelta(days=1)
    raised = run_checks(history, first, last, rule, timings)
    for (model, sold_in, code), day in sorted(raised.items(), key=lambda item: item[1]):
        print(
            f"  false alarm {day}: {model} sold {month_start(sold_in):%Y-%m} {code}",
            file=sys.stderr,
        )
    model_months = sum(FIRST_MONTH + MONTHS - info.launch_month for info in history.models.values())
    return 100 * len(raised) / model_months


@benchmark("early_warning")
def early_warning(env: BenchEnv) -> list[Figure]:
    rule = default_rule()
    weeks = [detection_weeks(seed, rule) for seed in range(1, TRIALS + 1)]
    timings: list[float] = []
    rate = false_alarms(rule, timings)
    return [
        Figure("early_warning_detection_weeks", statistics.median(weeks), "weeks"),
        Figure("early_warning_false_alarms_per_100_model_months", rate, "alarms"),
        Figure("early_warning_check_ms", statistics.median(timings), "ms"),
    ]
