"""Tests of skrnn._random_walk: the random-walk tests and the last-value forecast."""

import numpy as np
import pytest

from skrnn._random_walk import LastValue, is_random_walk, random_walk_pvalues
from tests.conftest import random_walk_prices as _random_walk

pytest.importorskip("statsmodels")


def test_random_walk_tests_tell_drift_and_autocorrelation_apart():
    ljung_box, drift = random_walk_pvalues(np.log(_random_walk()))
    assert ljung_box > 0.05 and drift > 0.05
    assert random_walk_pvalues(np.log(_random_walk(drift=0.005)))[1] < 0.001
    assert random_walk_pvalues(np.log(_random_walk(ar=0.5)))[0] < 0.001
    assert random_walk_pvalues(np.arange(5.0)) is None  # too short for a lag
    assert random_walk_pvalues(np.arange(50.0)) is None  # constant changes


@pytest.mark.parametrize("n, sp, lags", [(300, 1, 10), (300, 12, 24), (40, 12, 7)])
def test_pvalues_are_those_of_scipy_and_statsmodels(n, sp, lags):
    from scipy.stats import ttest_1samp
    from statsmodels.stats.diagnostic import acorr_ljungbox

    t = np.log(_random_walk(n=n, seed=3)).to_numpy()
    changes = np.diff(t)
    # lags: min(10, n / 5) without a season, min(2 sp, n / 5) with one
    expected = acorr_ljungbox(changes, lags=[lags])["lb_pvalue"].iloc[0]
    ljung_box, drift = random_walk_pvalues(t, sp=sp)
    assert ljung_box == pytest.approx(expected, rel=1e-12)
    assert drift == pytest.approx(ttest_1samp(changes, 0.0).pvalue, rel=1e-12)


def test_is_random_walk_when_neither_test_rejects_at_5_percent():
    assert is_random_walk((0.5, 0.2))
    assert is_random_walk((0.05, 0.05))  # rejecting needs p below 5 %
    assert not is_random_walk((0.5, 0.049))
    assert not is_random_walk((0.01, 0.9))
    assert not is_random_walk(None)  # untested: too short or constant


def test_last_value_repeats_each_windows_last_target():
    # windows (n_windows, window_length, n_features), the target first
    X = np.array([[[1.0, 9.0], [2.0, 8.0]], [[np.nan, 7.0], [5.0, 6.0]]])
    model = LastValue()
    assert model.fit(X) is model and model.partial_fit(X) is model
    np.testing.assert_array_equal(model.predict(X), [2.0, 5.0])
    np.testing.assert_array_equal(
        LastValue(n_outputs=3).predict(X), [[2.0, 2.0, 2.0], [5.0, 5.0, 5.0]]
    )
