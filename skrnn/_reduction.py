"""Windows, recursive roll-outs and conformal residuals for the sktime face."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from skrnn._windows import pad_front, sliding_windows


def feature_rows(z, x, lead):
    """Stack the per-step features ``[z_s, x_{s + lead}]`` of one series.

    Parameters
    ----------
    z : ndarray of shape (n_timepoints,)
        Standardized target values.
    x : ndarray of shape (n_timepoints + lead, n_exog) or None
        Exogenous values; ``lead=1`` pairs each step with the exogenous values of
        the step it helps to forecast (recursive strategy).
    lead : int
        0 (direct: only past ``X``) or 1 (recursive: ``X`` of the next step).

    Returns
    -------
    ndarray of shape (n_timepoints, 1 + n_exog)
    """
    if x is None:
        return z[:, np.newaxis]
    return np.column_stack([z, x[lead : lead + len(z)]])


def training_windows(z, x, window_length, n_horizons, lead, min_history=None):
    """Windows of one series and their next ``n_horizons`` targets.

    The window ending at step ``t`` holds rows ``t - window_length + 1 .. t``
    and its targets are ``z[t + 1 .. t + n_horizons]``; only windows whose
    targets are all observed are returned. Windows that start before the
    series are NaN there (the networks read them as shorter histories).

    Parameters
    ----------
    z : ndarray of shape (n_timepoints,)
        Standardized target values.
    x : ndarray of shape (n_timepoints, n_exog) or None
        Exogenous values.
    window_length : int
        Time steps per window.
    n_horizons : int
        Targets per window.
    lead : int
        See :func:`feature_rows`.
    min_history : int, default=None
        Observed steps of the first window; the default, ``window_length``,
        keeps whole windows only. Lower values add the windows of the
        series' first steps, with NaN before the series starts.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, 1 + n_exog)
    targets : ndarray of shape (n_windows, n_horizons)
    ends : ndarray of shape (n_windows,)
        Position ``t`` of the last step of every window.
    """
    pad = 0 if min_history is None else window_length - min_history
    z, x = pad_front(z, pad), pad_front(x, pad)
    n_windows = len(z) - window_length - n_horizons + 1
    n_features = 1 if x is None else 1 + x.shape[1]
    if n_windows < 1:
        return (
            np.empty((0, window_length, n_features)),
            np.empty((0, n_horizons)),
            np.empty(0, dtype=int),
        )
    # with lead=1 the last row would need x beyond the data: cut before it
    rows = feature_rows(z[: len(z) - lead], x, lead)
    windows = sliding_windows(rows, window_length)[:n_windows]
    targets = sliding_windows(z[window_length:], n_horizons)
    ends = np.arange(window_length - 1, window_length - 1 + n_windows) - pad
    return windows, targets[:n_windows], ends


def origin_inputs(z, x, ends, window_length, n_horizons, lead):
    """Contexts and exogenous rows of the origins ``ends`` of one series.

    Parameters
    ----------
    z : ndarray of shape (n_timepoints,)
        Standardized target values.
    x : ndarray of shape (n_rows, n_exog) or None
        Exogenous values, possibly followed by future rows. Rows past its end are
        filled with its last row: they only feed forecasts that are discarded.
    ends : ndarray of int
        Position of the last observed step of every origin.
    window_length, n_horizons, lead : int
        See :func:`training_windows`.

    Returns
    -------
    z_context : ndarray of shape (n_origins, window_length)
    x_future : ndarray of shape (n_origins, window_length + n_horizons - 1, \
            n_exog) or None
        As :func:`roll_out` reads them.
    """
    # Origins with less than a window of history: NaN before the series starts.
    pad = max(0, window_length - 1 - int(np.min(ends)))
    ends = np.asarray(ends, dtype=int) + pad
    z, x = pad_front(z, pad), pad_front(x, pad)
    z_context = z[ends[:, np.newaxis] + np.arange(1 - window_length, 1)]
    if x is None:
        return z_context, None
    offsets = np.arange(1 - window_length, n_horizons) + lead
    rows = np.minimum(ends[:, np.newaxis] + offsets, len(x) - 1)
    return z_context, x[rows]


def roll_out(estimator, z_context, x_future, n_horizons, strategy):
    """Forecast ``n_horizons`` steps from a batch of origins.

    Parameters
    ----------
    estimator : fitted skrnn forecaster
        Direct: ``n_horizons`` (or more) outputs per window; recursive: one.
    z_context : ndarray of shape (n_origins, window_length)
        The last ``window_length`` standardized values before every origin.
    x_future : ndarray of shape (n_origins, window_length + n_horizons - 1, \
            n_exog) or None
        Direct: the exogenous values of the context steps (the first
        ``window_length`` rows are read). Recursive: the exogenous values of the
        context steps shifted by one, then of the forecast steps.
    n_horizons : int
        Steps to forecast.
    strategy : {"direct", "recursive"}
        How the network was trained.

    Returns
    -------
    ndarray of shape (n_origins, n_horizons)
        Standardized forecasts.
    """
    window_length = z_context.shape[1]
    if strategy == "direct":
        windows = _stack(z_context, x_future, 0, window_length)
        pred = np.asarray(estimator.predict(windows), dtype=np.float64)
        return pred.reshape(len(z_context), -1)[:, :n_horizons]
    z = np.empty((len(z_context), window_length + n_horizons))
    z[:, :window_length] = z_context
    for step in range(n_horizons):
        windows = _stack(
            z[:, step : step + window_length], x_future, step, window_length
        )
        z[:, window_length + step] = estimator.predict(windows).reshape(-1)
    return z[:, window_length:]


def _stack(z, x, start, window_length):
    if x is None:
        return z[:, :, np.newaxis]
    return np.concatenate(
        [z[:, :, np.newaxis], x[:, start : start + window_length]], axis=2
    )


def seasonal_naive(z, ends, n_horizons, sp):
    """Seasonal naive forecasts of one series from the origins ``ends``.

    Step ``h`` after the origin ``t`` is forecast by the value one season
    before it, ``z[t + h - sp * ceil(h / sp)]`` (the last value when ``sp`` is
    1): sktime's ``NaiveForecaster(strategy="last", sp=sp)``. The forecast is
    NaN where that value lies before the series (or is NaN).

    Parameters
    ----------
    z : ndarray of shape (n_timepoints,)
        Values in the model space (logs, deseasonalized, standardized: each
        transform is pointwise and its seasonal part periodic, so the seasonal
        naive forecast of the model space is that of the data).
    ends : array-like of int
        Position of the last observed step of every origin.
    n_horizons : int
        Steps to forecast.
    sp : int
        Seasonal period.

    Returns
    -------
    ndarray of shape (n_origins, n_horizons)
    """
    h = np.arange(1, n_horizons + 1)
    back = h - sp * np.ceil(h / sp).astype(int)  # 1 - sp .. 0: a season back
    at = np.asarray(ends, dtype=int)[:, np.newaxis] + back
    return np.where(at >= 0, z[np.maximum(at, 0)], np.nan)


def with_naive(pred, naive, weight):
    """``(1 - weight) * pred + weight * naive``, ``pred`` where ``naive`` is NaN."""
    if weight == 0:
        return pred
    return np.where(np.isnan(naive), pred, (1 - weight) * pred + weight * naive)


def conformal_quantile(residuals, coverage):
    """Split-conformal quantile of absolute residuals for one horizon step.

    The ``ceil((n + 1) * coverage) / n`` empirical quantile ("higher" method) of
    ``n`` absolute residuals: with exchangeable errors the interval
    ``forecast +- q`` covers the truth with probability at least ``coverage``.
    With fewer than ``coverage / (1 - coverage)`` residuals this level exceeds
    1; the largest residual is used then, which may under-cover.

    Parameters
    ----------
    residuals : ndarray of shape (n_residuals,)
        Absolute residuals; NaN entries (no truth) are ignored.
    coverage : float
        Nominal coverage in [0, 1].

    Returns
    -------
    float
    """
    residuals = residuals[~np.isnan(residuals)]
    n = len(residuals)
    level = min(1.0, np.ceil((n + 1) * coverage) / n)
    return float(np.quantile(residuals, level, method="higher"))
