"""Series of a panel: split by instance, dated, horizons and output index."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
from sktime.forecasting.base import ForecastingHorizon

from skrnn._seasonality import index_freq


def instances(y):
    """Yield ``(key, times, values)`` for every series of ``y``, in order.

    ``key`` is the tuple of instance levels, ``()`` for a single series.
    """
    for key, frame in frames_by_instance(y):
        yield key, frame.index, frame.to_numpy(dtype=np.float64).reshape(-1)


def frames_by_instance(data):
    """Yield ``(key, data of one series indexed by time)``."""
    if not isinstance(data.index, pd.MultiIndex):
        yield (), data
        return
    levels = list(range(data.index.nlevels - 1))
    # a scalar level for panels: pandas deprecates tuple keys from a 1-list
    by = levels if len(levels) > 1 else 0
    for key, part in data.groupby(level=by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        yield key, part.droplevel(levels)


def exog_by_instance(X, series, columns=None):
    """Exogenous values aligned with the time points of every series."""
    if X is None:
        return [None] * len(series)
    by_key = dict(frames_by_instance(X))
    exog = []
    for key, times, _ in series:
        frame = by_key.get(key)
        rows = None if frame is None else frame.reindex(times)
        if rows is None or rows.isna().to_numpy().any():
            raise ValueError(
                "X must have a row for every time point of y"
                f"{f' (series {key})' if key else ''}; missing or NaN rows found."
            )
        if columns is not None:
            rows = rows[columns]
        exog.append(rows.to_numpy(dtype=np.float64))
    return exog


def date_freq(cutoff, series):
    """Frequency of the dates of ``y`` (a string) or None, and series without one.

    sktime counts a relative horizon's steps of dates in it; a panel's time
    level has none of its own, so it comes from the series' dates. The second
    value lists the keys of the series (three dates or more) whose dates have
    no frequency while others' have one.
    """
    if not isinstance(cutoff, pd.DatetimeIndex):
        return None, []
    if cutoff.freq is not None:
        return cutoff.freqstr, []
    found = [(key, index_freq(times)) for key, times, _ in series]
    freq = next((f for _, f in found if f is not None), None)
    if freq is None:
        return None, []
    irregular = [
        key
        for (key, f), (_, times, _) in zip(found, series, strict=True)
        if f is None and len(times) >= 3
    ]
    return getattr(freq, "freqstr", freq), irregular


def series_cutoff(cutoff, freq, last):
    """Return the cutoff of a series that ends at ``last``, as an sktime index.

    ``cutoff`` is the forecaster's (the latest end of all series), ``freq``
    the frequency of its dates.
    """
    if isinstance(cutoff, pd.DatetimeIndex):
        return pd.DatetimeIndex([last], freq=freq)
    if last == cutoff[0]:
        return cutoff
    return pd.Index([last])


def series_horizons(fh, cutoff, freq, ends, name):
    """Relative steps and absolute times of ``fh`` for every series.

    ``ends`` maps each series' key to its last time point. A relative ``fh``
    counts from the end of each series (series of a panel may end before the
    common cutoff), as sktime does for vectorized panels. ``name`` is the
    forecaster's, for the error.
    """
    if fh.freq is None and freq is not None:
        fh = ForecastingHorizon(fh.to_pandas(), is_relative=fh.is_relative, freq=freq)
    elif fh.freq is None and isinstance(cutoff, pd.DatetimeIndex) and fh.is_relative:
        raise ValueError(
            "The dates of y have no regular frequency, so the steps of a "
            "relative fh cannot be dated. Give each series regular dates "
            "(a DatetimeIndex with freq, or a PeriodIndex) or an integer "
            "time index (trading days with holidays, for example: "
            "y.reset_index(drop=True))."
        )
    out = []
    for key, last in ends.items():
        end = series_cutoff(cutoff, freq, last)
        steps = np.asarray(fh.to_relative(end).to_pandas(), dtype=int)
        if (steps < 1).any():
            where = f" of series {key}" if key else ""
            raise NotImplementedError(
                f"{name} forecasts out of sample only; fh has "
                f"steps {steps[steps < 1].tolist()} before the end{where}."
            )
        out.append((steps, fh.to_absolute_index(end)))
    return out


def future_exog(X, cutoff, freq, ends, columns, n_steps):
    """Exogenous rows of steps ``1 .. n_steps`` after the end of every series.

    What the recursive strategy reads in ``predict``; ``ends`` maps each
    series' key to its last time point, ``columns`` are those of ``X`` in fit.
    """
    if X is None:
        raise ValueError(
            "The recursive strategy was fitted with exogenous X, so predict "
            f"needs X for the {n_steps} steps after the cutoff."
        )
    by_key = dict(frames_by_instance(X))
    future = []
    for key, last in ends.items():
        times = ForecastingHorizon(
            np.arange(1, n_steps + 1), is_relative=True
        ).to_absolute_index(series_cutoff(cutoff, freq, last))
        frame = by_key.get(key)
        rows = None if frame is None else frame.reindex(times)
        if rows is None or rows.isna().to_numpy().any():
            raise ValueError(
                f"X passed to predict does not cover the steps {list(times)} "
                f"after the cutoff{f' of series {key}' if key else ''}: the "
                "recursive strategy reads X of every step up to max(fh)."
            )
        future.append(rows[columns].to_numpy(dtype=np.float64))
    return future


def output_index(keys, horizons, names):
    """Index of the forecasts: the horizons' times, under each series' key.

    ``names`` are the index level names of ``y`` in fit.
    """
    if not keys[0]:
        return horizons[0][1]
    arrays = [
        np.concatenate(
            [
                np.full(len(steps), key[level], dtype=object)
                for key, (steps, _) in zip(keys, horizons, strict=True)
            ]
        )
        for level in range(len(keys[0]))
    ]
    times = horizons[0][1].append([t for _, t in horizons[1:]])
    return pd.MultiIndex.from_arrays([*arrays, times], names=names)


def mean_forecast(forecasts):
    """Mean of forecasts with one index (Series or DataFrames)."""
    forecasts = list(forecasts)
    return sum(forecasts[1:], forecasts[0]) / len(forecasts)
