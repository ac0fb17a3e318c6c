"""The early-warning rule on small hand-made tables: it fires on an excess the history makes
improbable, and not on ordinary noise, a short history, or too few returns."""

from __future__ import annotations

from datetime import date

import pytest
from scipy.stats import poisson

from app.quality.alarms import default_rule
from app.quality.detector import MIN_OBSERVED, ModelInfo, Rule, detect, month_index, tail

JAN = month_index(date(2026, 1, 1))
RULE = Rule(alpha=0.01, watch_months=12, new_model_months=6)


def history(
    *, months: int = 10, units: int = 10_000, per_month: int = 10, code: str = "F01"
) -> tuple[dict, dict]:
    """One model on sale ``months`` months from January: every cohort returns ``per_month`` units
    with ``code`` in each complete month in service (a flat hazard of per_month / units)."""
    cohorts, returns = {}, {}
    for sold_in in range(JAN, JAN + months):
        cohorts[("A", sold_in)] = units
        for mis in range(JAN + months - sold_in):
            returns[("A", sold_in, mis, code)] = per_month
    return cohorts, returns


MODELS = {"A": ModelInfo("phone", JAN)}
AS_OF = date(2026, 10, 31)  # the end of October: ten complete cohorts, the newest in month 0


def test_a_cohort_returning_as_its_history_raises_nothing() -> None:
    cohorts, returns = history()
    assert detect(cohorts, returns, MODELS, AS_OF, RULE) == []


def test_a_cohort_at_three_times_the_history_fires_for_that_month_and_code() -> None:
    cohorts, returns = history()
    june = JAN + 5
    for mis in range(AS_OF.month - 6 + 1):
        returns[("A", june, mis, "F01")] = 30
    (finding,) = detect(cohorts, returns, MODELS, AS_OF, RULE)
    assert (finding.model, finding.sale_month, finding.fault_code) == ("A", june, "F01")
    assert finding.observed == 30 * 5 and finding.basis == "model"
    assert finding.expected == pytest.approx(10 * 5, rel=0.01)  # the other cohorts' rate
    assert finding.p_value < RULE.alpha / finding.tests


def test_a_small_excess_within_noise_does_not_fire() -> None:
    cohorts, returns = history()
    for mis in range(5):
        returns[("A", JAN + 5, mis, "F01")] = 13  # 65 against 50 expected: p ≈ 0.03
    assert detect(cohorts, returns, MODELS, AS_OF, RULE) == []


def test_the_correction_for_the_number_of_tests_keeps_a_lone_p_of_one_percent_quiet() -> None:
    cohorts, returns = history()
    for mis in range(5):
        returns[("A", JAN + 5, mis, "F01")] = 14  # 70 against 50: p ≈ 0.004 alone, 10 tests
    assert detect(cohorts, returns, MODELS, AS_OF, RULE) == []
    assert detect(cohorts, returns, MODELS, AS_OF, Rule(alpha=0.2)) != []


def test_a_new_fault_code_fires_from_a_few_returns_but_not_from_fewer_than_the_minimum() -> None:
    cohorts, returns = history()
    returns[("A", JAN + 8, 1, "F09")] = MIN_OBSERVED - 1
    assert detect(cohorts, returns, MODELS, AS_OF, RULE) == []
    returns[("A", JAN + 8, 1, "F09")] = 6
    (finding,) = detect(cohorts, returns, MODELS, AS_OF, RULE)
    assert finding.fault_code == "F09" and finding.observed == 6


def test_a_new_model_is_compared_with_its_category_and_a_lone_model_is_not_tested() -> None:
    cohorts, returns = history()
    models = dict(MODELS, B=ModelInfo("phone", JAN + 8))
    for sold_in in (JAN + 8, JAN + 9):
        cohorts[("B", sold_in)] = 10_000
    returns[("B", JAN + 8, 0, "F01")] = 40  # four times the category's month 0
    returns[("B", JAN + 8, 1, "F01")] = 40
    (finding,) = detect(cohorts, returns, models, AS_OF, RULE)
    assert (finding.model, finding.basis) == ("B", "category")
    other_category = dict(MODELS, B=ModelInfo("watch", JAN + 8))
    assert detect(cohorts, returns, other_category, AS_OF, RULE) == []  # no history to compare


def test_a_cohort_outside_the_watch_window_is_not_tested() -> None:
    cohorts, returns = history()
    for mis in range(9):
        returns[("A", JAN + 1, mis, "F01")] = 40  # February's cohort, eight months old
    assert detect(cohorts, returns, MODELS, AS_OF, Rule(alpha=0.01, watch_months=8)) == []
    assert detect(cohorts, returns, MODELS, AS_OF, Rule(alpha=0.01, watch_months=12)) != []


def test_the_tail_is_the_poisson_tail_for_a_long_history_and_wider_for_a_short_one() -> None:
    long_history = tail([10, 30, 3], [4.0, 10.0, 0.5], [1e7, 1e7, 1e7])
    assert long_history == pytest.approx(list(poisson.sf([9, 29, 2], [4.0, 10.0, 0.5])), rel=1e-3)
    (short,) = tail([10], [4.0], [8])
    assert short > float(poisson.sf(9, 4.0)) * 3


def test_the_default_rule_is_the_settings_defaults() -> None:
    rule = default_rule()
    assert (rule.alpha, rule.watch_months, rule.new_model_months) == (0.002, 12, 6)
