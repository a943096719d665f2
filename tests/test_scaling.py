"""Tests of skrnn._scaling: levels, moments and the batches' shift and scale."""

import numpy as np
import pytest
import torch

from skrnn import _windows
from skrnn._scaling import (
    dickey_fuller_t,
    nan_moments,
    scale_values,
    standardize,
    target_past,
    unscale_values,
    window_levels,
    windows_mean_revert,
)


def test_nan_moments_match_numpy_across_chunks(monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(5, 2, size=(300, 7, 2))
    X[:40, :3] = np.nan  # leading steps without history
    monkeypatch.setattr(_windows, "_CHUNK_ELEMENTS", 50)  # many chunks
    mean, scale = nan_moments(X)
    flat = X.reshape(-1, 2)
    np.testing.assert_allclose(mean, np.nanmean(flat, axis=0))
    np.testing.assert_allclose(scale, np.nanstd(flat, axis=0))


def test_nan_moments_keep_small_moves_of_a_large_level():
    moves = np.random.default_rng(1).normal(size=(2000, 1))
    mean, scale = nan_moments(1e12 + moves)
    assert scale[0] == pytest.approx(moves.std(), rel=1e-3)
    # a constant column passes through: scale 1, not 0
    assert nan_moments(np.full((10, 1), 3.0))[1][0] == 1.0


def test_nan_moments_subtract_offsets_per_row():
    X = np.arange(24.0).reshape(4, 3, 2)
    offsets = X[:, -1, :]
    mean, scale = nan_moments(X, offsets)
    np.testing.assert_allclose(mean, (X - offsets[:, None, :]).reshape(-1, 2).mean(0))


def test_scale_values_centres_and_scales_each_column():
    X = np.array([[1.0, 10.0], [3.0, np.nan], [5.0, 50.0]])
    mean, scale = np.array([3.0, 30.0]), np.array([2.0, 20.0])
    Z = scale_values(X, mean, scale)
    # by hand: (1 - 3) / 2, (10 - 30) / 20, ...; NaN stays NaN
    np.testing.assert_array_equal(Z, [[-1.0, -1.0], [0.0, np.nan], [1.0, 1.0]])
    assert not np.shares_memory(Z, X)  # the imputer writes into it
    np.testing.assert_array_equal(X[0], [1.0, 10.0])


def test_unscale_values_undoes_scale_values():
    rng = np.random.default_rng(2)
    X = rng.normal(1e6, 3.0, size=(50, 3))
    X[::7, 1] = np.nan
    mean, scale = nan_moments(X)
    Z = scale_values(X, mean, scale)
    np.testing.assert_allclose(np.nanmean(Z, axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(np.nanstd(Z, axis=0), 1.0)
    np.testing.assert_allclose(unscale_values(Z, mean, scale), X, rtol=1e-12)
    np.testing.assert_array_equal(
        unscale_values(np.array([[-1.0, 0.5]]), [3.0, 30.0], [2.0, 20.0]),
        [[1.0, 40.0]],
    )


def test_window_levels_last_and_mean():
    X = np.array([[[np.nan], [1.0], [3.0]], [[2.0], [4.0], [6.0]]])
    np.testing.assert_array_equal(window_levels(X, "last"), [[3.0], [6.0]])
    np.testing.assert_array_equal(window_levels(X, "mean"), [[2.0], [4.0]])


def test_standardize_shifts_then_scales_in_float64():
    a = np.array([[1e12 + 1.0, 1e12 + 3.0]])
    out = standardize(a, (np.array([1.0]), np.array([2.0])), torch.float32, 1e12)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[0.0, 1.0]])
    # no statistics: a writable float copy of the caller's (read-only) data
    view = np.lib.stride_tricks.sliding_window_view(np.arange(5.0), 2)
    copy = standardize(view, None, torch.float64)
    assert copy.dtype == torch.float64 and not np.shares_memory(copy.numpy(), view)


def test_target_past_finds_the_feature_and_lag_whose_values_the_targets_repeat():
    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(size=60))  # the target's column
    other = rng.normal(size=60)
    table = np.column_stack([other, series])
    X = np.lib.stride_tricks.sliding_window_view(table[:-3], 5, axis=0)
    X = X.transpose(0, 2, 1)  # (rows, steps, features), row t ends at t + 4
    y = series[7:]  # three rows ahead of each window's last step
    assert target_past(X, y[:, None]) == (1, 3)
    # first: the column order of the table
    assert target_past(X[..., ::-1], y[:, None]) == (0, 3)
    # the windows in float32: the targets are compared in float32
    assert target_past(X.astype(np.float32), y[:, None]) == (1, 3)
    # several horizons: the first output decides
    assert target_past(X[:-1], np.column_stack([y[:-1], y[1:]])) == (1, 3)


@pytest.mark.parametrize(
    "change",
    [
        lambda X, y: ((X - X.mean()) / X.std(), y),  # a StandardScaler on X
        lambda X, y: (X, np.log(y)),  # transformed targets
        lambda X, y: (X[::-1], y[::-1]),  # rows out of time order
        lambda X, y: (X, y + 1e-9),  # the level of something else
    ],
)
def test_target_past_finds_nothing_in_other_quantities(change):
    series = 100 + np.cumsum(np.random.default_rng(1).normal(size=80))
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 6)[..., None]
    y = series[6:]
    assert target_past(X, y[:, None]) == (0, 1)
    X, y = change(X, y)
    assert target_past(X, y[:, None]) is None


def _adf_windows(series):
    """Windows of the augmented Dickey-Fuller test with tseries' default lags."""
    n_windows = len(series) - 5  # about: the lag count depends on it weakly
    lags = int((n_windows - 1) ** (1 / 3))
    windows = np.lib.stride_tricks.sliding_window_view(series, lags + 2)
    return windows[:, :-1], windows[:, -1], lags


@pytest.mark.parametrize("kind", ["random walk", "noisy sine"])
def test_dickey_fuller_t_is_statsmodels_adf_statistic(kind):
    statsmodels = pytest.importorskip("statsmodels.tsa.stattools")
    rng = np.random.default_rng(1)
    series = (
        rng.standard_normal(300).cumsum()
        if kind == "random walk"
        else np.sin(np.arange(300) / 5) + 0.3 * rng.standard_normal(300)
    )
    past, target, lags = _adf_windows(series)
    expected = statsmodels.adfuller(series, maxlag=lags, regression="c", autolag=None)[
        0
    ]
    assert dickey_fuller_t(past, target) == pytest.approx(expected, rel=1e-9)
    # the units of the data do not matter
    for scale in (1e-12, 1e12):
        t = dickey_fuller_t(scale * past, scale * target)
        assert t == pytest.approx(expected, rel=1e-6)


def test_windows_mean_revert_tells_stationary_from_wandering_series():
    rng = np.random.default_rng(0)
    ar = np.zeros(400)
    for t in range(1, 400):
        ar[t] = 0.8 * ar[t - 1] + rng.standard_normal()
    walk = rng.standard_normal(400).cumsum()
    trend = 0.05 * np.arange(400) + rng.standard_normal(400).cumsum() * 0.1
    assert windows_mean_revert(*_adf_windows(ar)[:2])
    assert not windows_mean_revert(*_adf_windows(walk)[:2])
    assert not windows_mean_revert(*_adf_windows(trend)[:2])
    # a constant series has no slope to test
    assert not windows_mean_revert(np.ones((50, 3)), np.ones(50))
