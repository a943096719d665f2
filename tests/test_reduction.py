"""Reduction helpers of the sktime face: seasonal naive forecasts and their mix."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from skrnn._reduction import seasonal_naive, with_naive


def test_seasonal_naive_repeats_the_last_season():
    z = np.arange(10.0)
    np.testing.assert_array_equal(seasonal_naive(z, [5], 7, 3), [[3, 4, 5, 3, 4, 5, 3]])
    np.testing.assert_array_equal(seasonal_naive(z, [5, 9], 3, 1), [[5] * 3, [9] * 3])
    # a season before the series has no value
    np.testing.assert_array_equal(seasonal_naive(z, [1], 2, 3), [[np.nan, 0]])


@given(
    sp=st.integers(1, 12),
    n_horizons=st.integers(1, 30),
    end=st.integers(0, 40),
)
def test_seasonal_naive_reads_one_season_back_and_never_the_future(sp, n_horizons, end):
    z = np.arange(41.0)
    forecast = seasonal_naive(z, [end], n_horizons, sp)[0]
    target = end + np.arange(1, n_horizons + 1)
    seen = ~np.isnan(forecast)
    assert (forecast[seen] <= end).all()  # only observed values
    assert ((target[seen] - forecast[seen]) % sp == 0).all()  # the same phase
    assert ((target[seen] - forecast[seen]) <= sp * np.ceil(n_horizons / sp)).all()
    assert seen.all() == (end >= sp - 1)


def test_with_naive_mixes_where_the_naive_forecast_exists():
    pred, naive = np.array([[1.0, 2.0, 3.0]]), np.array([[3.0, np.nan, 5.0]])
    assert with_naive(pred, naive, 0) is pred
    np.testing.assert_array_equal(with_naive(pred, naive, 0.5), [[2.0, 2.0, 4.0]])
    np.testing.assert_array_equal(with_naive(pred, naive, 1), [[3.0, 2.0, 5.0]])
