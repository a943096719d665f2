"""Checks of the series, horizon, seasonal period and coverages of a backtest."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numbers

import numpy as np
import pandas as pd

from skrnn._seasonality import seasonal_period as period_of

# sktime is an optional extra: imported where it is used, so that
# ``import skrnn.compare`` (which ``skrnn compare --help`` does) stays light.


def check_series(y) -> pd.Series:
    """Return ``y`` as a float Series, or raise a ValueError saying why not."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"y must be one series; got a DataFrame with {y.shape[1]} columns "
                f"{list(y.columns)}. Pass one column, e.g. y['{y.columns[0]}']."
            )
        y = y.iloc[:, 0]
    if not isinstance(y, pd.Series):
        array = np.asarray(y)
        if array.ndim != 1:
            raise ValueError(
                f"y must be 1-D (one value per time point); got shape {array.shape}."
            )
        y = pd.Series(array)
    if pd.api.types.is_bool_dtype(y.dtype) or not pd.api.types.is_numeric_dtype(
        y.dtype
    ):
        raise ValueError(
            f"y must be numeric; got dtype {y.dtype}"
            + (f" (series {y.name!r})" if y.name is not None else "")
            + ". Convert it first, e.g. with pandas.to_numeric(y, errors='coerce')"
            " and handle the resulting NaN."
        )
    y = y.astype(np.float64)
    bad = ~np.isfinite(y.to_numpy())
    if bad.any():
        where = list(y.index[bad][:5])
        raise ValueError(
            f"y has {int(bad.sum())} missing or infinite value(s), first at "
            f"{where}. The backtest needs a complete series: drop those time "
            "points, or fill them from the past only (y.replace([np.inf, "
            "-np.inf], np.nan).ffill()); y.interpolate() reads later values, so "
            "the backtest would see the future."
        )
    if not y.index.is_unique or not y.index.is_monotonic_increasing:
        raise ValueError(
            "The index of y must be sorted in time and unique; sort it "
            "(y.sort_index()) and remove duplicated time points."
        )
    return y


def relative_fh(fh) -> np.ndarray:
    """Turn ``fh`` (int H, list of steps or ForecastingHorizon) into steps."""
    from sktime.forecasting.base import ForecastingHorizon

    if isinstance(fh, ForecastingHorizon):
        if not fh.is_relative:
            raise ValueError("fh must be relative (steps ahead), not absolute.")
        steps = np.asarray(fh.to_numpy())
    elif isinstance(fh, numbers.Integral) and not isinstance(fh, bool):
        steps = np.arange(1, int(fh) + 1)
    else:
        steps = np.asarray(fh).reshape(-1)
    if (
        steps.size == 0
        or not np.issubdtype(steps.dtype, np.integer)
        or (steps < 1).any()
    ):
        raise ValueError(
            f"fh must be a positive int H (steps 1..H) or positive integer steps; "
            f"got {fh!r}."
        )
    return np.unique(steps.astype(int))


def check_seasonal_period(seasonal_period, y=None) -> int:
    """Validate ``seasonal_period``; None: from ``y``'s frequency or values, else 1."""
    if seasonal_period is None:
        if y is None:
            return 1
        return period_of(y.index, [y.to_numpy(dtype=np.float64)])
    if (
        isinstance(seasonal_period, bool)
        or not isinstance(seasonal_period, numbers.Integral)
        or seasonal_period < 1
    ):
        raise ValueError(
            f"seasonal_period must be a positive int (1: no seasonality); "
            f"got {seasonal_period!r}."
        )
    return int(seasonal_period)


def check_coverage(coverage) -> tuple:
    """Return the asked interval coverages as sorted floats in (0, 1)."""
    if coverage is None:
        return ()
    levels = np.atleast_1d(np.asarray(coverage, dtype=object)).tolist()
    if not levels or not all(
        isinstance(c, numbers.Real) and not isinstance(c, bool) and 0 < c < 1
        for c in levels
    ):
        raise ValueError(
            "coverage must be a float or a list of floats between 0 and 1 (0.8 "
            f"for 80 % intervals); got {coverage!r}."
        )
    return tuple(sorted({float(c) for c in levels}))
