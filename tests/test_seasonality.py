"""Seasonal periods from frequencies and from the values (skrnn/_seasonality.py)."""

import numpy as np
import pandas as pd
import pytest

from skrnn._seasonality import detect_period, seasonal_period


def _ar1(phi, n, rng):
    x = np.zeros(n)
    noise = rng.normal(size=n)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + noise[i]
    return x


def test_a_daily_and_weekly_cycle_of_half_hours_is_a_season_of_48():
    # like electricity demand: a day of 48 half-hours, weekends lower
    rng = np.random.default_rng(0)
    t = np.arange(48 * 7 * 6)
    day = np.sin(2 * np.pi * t / 48) + 0.5 * np.sin(4 * np.pi * t / 48)
    weekend = np.where((t // 48) % 7 >= 5, -0.8, 0.0)
    y = 10 + day + weekend + 0.2 * rng.normal(size=t.size)
    assert detect_period([y]) == 48


@pytest.mark.parametrize("period", [4, 7, 12, 24])
def test_a_trending_seasonal_series_gives_its_period(period):
    rng = np.random.default_rng(period)
    t = np.arange(12 * period)
    y = 0.05 * t + np.sin(2 * np.pi * t / period) + 0.1 * rng.normal(size=t.size)
    assert detect_period([y]) == period


def test_series_without_a_season_give_1():
    rng = np.random.default_rng(1)
    for n in (30, 300, 3000):
        assert detect_period([np.cumsum(rng.normal(size=n))]) == 1  # random walk
        assert detect_period([rng.normal(size=n)]) == 1  # white noise
    for n in (30, 300, 1000):  # longer ones can show a spurious cycle (Notes)
        assert detect_period([_ar1(0.9, n, rng)]) == 1  # persistent, no cycle
    assert detect_period([np.ones(50)]) == 1  # constant
    assert detect_period([np.arange(5.0)]) == 1  # too short to tell
    panel = [np.cumsum(rng.normal(size=60)) for _ in range(200)]
    assert detect_period(panel) == 1


def test_a_panel_pools_series_too_short_to_show_their_season_alone():
    rng = np.random.default_rng(2)
    t = np.arange(24)  # six years of quarters, a weak season
    panel = [
        np.cumsum(rng.normal(size=24)) + 0.6 * np.sin(2 * np.pi * t / 4)
        for _ in range(100)
    ]
    alone = [detect_period([series]) for series in panel[:20]]
    assert alone.count(4) < 10  # most series alone do not show it
    assert detect_period(panel) == 4


def test_the_index_frequency_comes_first():
    t = np.arange(60)
    y = np.sin(2 * np.pi * t / 5)  # a period of 5 in the values
    monthly = pd.period_range("2000-01", periods=60, freq="M")
    assert seasonal_period(monthly, [y]) == 12
    yearly = pd.period_range("1900", periods=60, freq="Y")
    assert seasonal_period(yearly, [y]) == 1  # yearly dates: no season
    assert seasonal_period(pd.RangeIndex(60), [y]) == 5
