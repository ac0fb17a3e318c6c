"""The early-warning rule (Wu & Meeker 2002, "Early detection of reliability problems using
information from warranty databases"): for every cohort (a model's units sold in one month) and
fault code, the units returned so far are compared with what the history predicts for a cohort
of that size and age, cell by cell over its months in service.

- The history: the return rate of the fault code at each month in service, from the model's
  other cohorts (the cohort tested is left out, so a defect does not raise its own baseline);
  a model in its first months after launch has too little history of its own and is compared
  with the other models of its category instead (``Rule.new_model_months``).
- Exposure: the month in service the cohort is in now counts for the part of it that has passed.
- The test: ``P(X >= observed)`` for ``X ~ Poisson(expected)`` (``scipy.stats.poisson.sf``),
  summed over the cohort's cells to date. Each check of a model tests many cohorts × fault
  codes at once: the Bonferroni correction divides the false-alarm probability allowed for the
  model (``Rule.alpha``) by the number of tests, so the chance that a model with no defect
  raises any alarm in a check stays at most ``alpha``.

Pure functions over counts: :mod:`app.quality.rates` reads the counts from the database (one
GROUP BY each); the benchmark feeds generated counts straight in.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

K = TypeVar("K")
MIN_OBSERVED = 3  # fewer returns than this never raise an alarm, however small the expectation
MIN_BASE_UNITS = 2000  # units behind a month-in-service rate for the rate to be trusted


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Rule:
    alpha: float = 0.01  # false-alarm probability allowed per model and check
    watch_months: int = 12  # cohorts tested: sold within this many months
    new_model_months: int = 6  # a model this young is compared with its category


@dataclass(frozen=True)
class ModelInfo:
    category: str
    launch_month: int  # month index of its first sale


@dataclass(frozen=True)
class Finding:
    model: str
    sale_month: int  # month index
    fault_code: str
    months_in_service: int  # the cohort's age now
    observed: int
    expected: float
    p_value: float
    basis: str  # "model" or "category"
    tests: int  # tests made for the model in this check (the correction's divisor)


Cohorts = Mapping[tuple[str, int], int]  # (model, sale month) -> units sold
Returns = Mapping[tuple[str, int, int, str], int]  # (model, sale month, mis, code) -> units


@dataclass
class _Base:
    """Units and returns per month in service of a group of cohorts (complete cells only)."""

    units: dict[int, int]
    returns: dict[tuple[int, str], int]


def _exposure(age: int, fraction: float, mis: int) -> float:
    return 1.0 if mis < age else fraction


def detect(
    cohorts: Cohorts,
    returns: Returns,
    models: Mapping[str, ModelInfo],
    as_of: date,
    rule: Rule = Rule(),
) -> list[Finding]:
    """Every cohort × fault code whose returns to ``as_of`` are improbably many."""
    now = month_index(as_of)
    fraction = as_of.day / calendar.monthrange(as_of.year, as_of.month)[1]
    # Complete cells (the month in service has passed) of every cohort, per model.
    model_units: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    model_returns: dict[str, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    for (model, sold_in), units in cohorts.items():
        for mis in range(0, max(0, min(now - sold_in, rule.watch_months))):
            model_units[model][mis] += units
    cohort_returns: dict[tuple[str, int], dict[tuple[int, str], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for (model, sold_in, mis, code), count in returns.items():
        if mis < 0 or mis >= rule.watch_months or sold_in + mis > now:
            continue
        cohort_returns[(model, sold_in)][(mis, code)] += count
        if sold_in + mis < now:
            model_returns[model][(mis, code)] += count
    by_category: dict[str, list[str]] = defaultdict(list)
    for model, info in models.items():
        by_category[info.category].append(model)

    findings: list[Finding] = []
    for model, info in models.items():
        young = now - info.launch_month < rule.new_model_months
        tested = [
            (sold_in, units)
            for (m, sold_in), units in cohorts.items()
            if m == model and units > 0 and 0 <= now - sold_in < rule.watch_months
        ]
        if not tested:
            continue
        if young:
            others = [m for m in by_category[info.category] if m != model]
            base = _Base(
                _sum(model_units[m] for m in others), _sum(model_returns[m] for m in others)
            )
        else:
            base = _Base(dict(model_units[model]), dict(model_returns[model]))
        candidates = []
        for sold_in, units in tested:
            age = now - sold_in
            own = cohort_returns.get((model, sold_in), {})
            base_units, base_returns = dict(base.units), dict(base.returns)
            if not young:  # leave the cohort tested out of its own baseline
                for mis in range(min(age, rule.watch_months)):
                    base_units[mis] = base_units.get(mis, 0) - units
                for (mis, code), count in own.items():
                    if mis < age:
                        base_returns[(mis, code)] -= count
            if any(base_units.get(mis, 0) < MIN_BASE_UNITS for mis in range(age + 1)):
                continue  # too little history for a cohort this old: not tested
            codes = {code for _, code in base_returns} | {code for _, code in own}
            exposure_units = sum(
                base_units[mis] * _exposure(age, fraction, mis) for mis in range(age + 1)
            )
            weight = units * sum(_exposure(age, fraction, mis) for mis in range(age + 1))
            for code in codes:
                expected = sum(
                    units
                    * _exposure(age, fraction, mis)
                    * base_returns.get((mis, code), 0)
                    / base_units[mis]
                    for mis in range(age + 1)
                )
                # A code never seen in the history: as if half a return had been.
                expected = max(expected, 0.5 * weight / max(exposure_units, 1.0))
                observed = sum(own.get((mis, code), 0) for mis in range(age + 1))
                history = sum(base_returns.get((mis, code), 0) for mis in range(age + 1))
                candidates.append((sold_in, code, age, observed, expected, history))
        if not candidates:
            continue
        threshold = rule.alpha / len(candidates)
        worth = [c for c in candidates if c[3] >= MIN_OBSERVED]
        if not worth:
            continue
        p_values = tail([c[3] for c in worth], [c[4] for c in worth], [c[5] for c in worth])
        for (sold_in, code, age, observed, expected, _), p_value in zip(
            worth, p_values, strict=True
        ):
            if p_value < threshold:
                basis = "category" if young else "model"
                findings.append(
                    Finding(
                        model,
                        sold_in,
                        code,
                        age,
                        observed,
                        expected,
                        float(p_value),
                        basis,
                        len(candidates),
                    )
                )
    return findings


def tail(
    observed: Sequence[int], expected: Sequence[float], history: Sequence[float]
) -> list[float]:
    """P(X >= observed), X ~ Poisson(expected), made exact for a history of finite size.

    ``expected`` is estimated from ``history`` returns; conditional on the cohort's and the
    history's returns together, the cohort's share is binomial (the comparison of two Poisson
    rates), and ``P(share >= observed)`` is the regularised incomplete beta
    ``I_q(observed, history + 1)``, ``q = expected / (expected + history)``. A short history
    (a few returns) so widens the tail instead of raising alarms on its own noise; for a long
    one it is ``scipy.stats.poisson.sf(observed - 1, expected)`` (tested). A code never seen in
    the history counts as half a return.
    """
    from scipy.special import betainc  # loaded when a check runs, not at start-up

    base = [max(float(h), 0.5) for h in history]
    share = [e / (e + b) for e, b in zip(expected, base, strict=True)]
    values = betainc(list(observed), [b + 1.0 for b in base], share)
    return [float(v) for v in values]


def _sum(tables: Iterable[Mapping[K, int]]) -> dict[K, int]:
    total: dict[K, int] = defaultdict(int)
    for table in tables:
        for key, value in table.items():
            total[key] += value
    return dict(total)
