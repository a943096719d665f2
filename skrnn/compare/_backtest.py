"""The backtest: every model on the same rolling origins, scored and ranked."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from dataclasses import dataclass, field

import pandas as pd

from skrnn._warnings import WarningLog, sktime_remember_data
from skrnn.compare._checks import (
    check_coverage,
    check_seasonal_period,
    check_series,
    relative_fh,
)
from skrnn.compare._folds import check_n_folds, default_splitter, min_train_of
from skrnn.compare._lineup import resolve_lineup
from skrnn.compare._registry import FaceOptions, network_kinds
from skrnn.compare._result import ComparisonResult
from skrnn.compare._scoring import (
    describe_settings,
    fold_rows,
    fold_table,
    leaderboard,
    metrics,
)

# sktime (an optional extra) and tqdm (optional) are imported where they are
# used, so that ``import skrnn.compare`` loads neither.


def compare_forecasters(
    y,
    forecasters=None,
    fh=12,
    cv=None,
    X=None,
    seasonal_period=None,
    n_folds="auto",
    quick=False,
    progress=False,
    backend=None,
    random_state=0,
    coverage=None,
    random_walk="auto",
):
    r"""Backtest forecasters on the same rolling origins and rank them.

    Every model is refitted at each origin (cutoff) on all data up to it and
    forecasts ``fh`` steps ahead, through sktime's
    :func:`~sktime.forecasting.model_evaluation.evaluate`; the errors are
    scored with sktime's metrics and summarized in a leaderboard.

    Parameters
    ----------
    y : pandas.Series, 1-D array-like or one-column DataFrame
        The series, oldest first, numeric and without missing values, with
        any sorted index (``PeriodIndex``, ``DatetimeIndex`` with or without a
        regular frequency, integers). sktime backtests it on positions, so
        time points need not be evenly spaced (trading days); the result
        uses the labels of ``y``.
    forecasters : None, list or dict, default=None
        The models. None: the default line-up ``"lstm"``, ``"gru"``,
        ``"rnn"``, ``"naive"``, ``"snaive"`` (only when ``seasonal_period >
        1``), ``"ets"``, ``"theta"``, ``"arima"`` (see :data:`FORECASTER_NAMES`)
        and ``"lstm+ets"``. Names joined by ``"+"`` combine those models: the
        mean of their forecasts, by sktime's ``EnsembleForecaster``, each part
        fitted as it is alone (``"lstm+ets"``, ``"gru+theta+arima"``; names
        are read in lower case, spaces around ``"+"`` ignored). To combine
        your own models, pass an ``EnsembleForecaster`` of them.
        A list mixes such names, objects (named after their class, a
        pipeline after its last step) and ``(name, model)`` pairs; a dict
        maps display names to names or objects; a str is a comma-separated
        list of names. Each label names one row: a name listed twice, a
        combination of the same models in another order, a label given to
        two models, or ``"naive"`` on any other model than the naive
        forecast is refused (objects named after their class get a suffix
        instead: ``Ridge``, ``Ridge_2``). Objects are backtested on the
        same folds as the built-in models and get the same columns:

        - sktime forecasters (any ``BaseForecaster``, the sktime face
          ``SktimeRecurrentForecaster`` included), as they are;
        - skrnn estimators (``LSTMForecaster(...)``, ``RecurrentForecaster``,
          ``WaveNetForecaster``), wrapped in
          ``SktimeRecurrentForecaster(sp=seasonal_period)`` (its strategy
          chosen on held-out data, see the ``settings`` column);
        - other scikit-learn regressors and pipelines ending in one
          (``make_pipeline(StandardScaler(), Ridge())``), reduced to
          forecasting by sktime's ``make_reduction(regressor,
          window_length=w, strategy="recursive")``: the regressor reads the
          last ``w`` values (``w`` as the networks', see
          :func:`~skrnn.sktime.default_window_length`) and its one-step
          forecasts are fed back. For another window or the direct strategy,
          pass ``make_reduction(...)`` yourself.

        Objects are cloned, never modified.
    fh : int or array-like of int, default=12
        Forecasting horizon: ``H`` means steps 1..H after each cutoff; a list
        gives the steps. Ignored when ``cv`` is given (``cv.fh`` is used).
    cv : sktime splitter, default=None
        Custom rolling-origin splitter with a relative ``fh``, working on
        positions 0..n-1 of ``y`` (cutoffs as positions). None:
        ``ExpandingWindowSplitter`` with the last ``n_folds`` origins,
        ``max(fh)`` steps apart, so that the last fold ends on the last point
        of ``y`` and test windows do not overlap.
    X : pandas.DataFrame, default=None
        Exogenous data with the index of ``y``, for models that use it.
    seasonal_period : int, default=None
        Seasonal period ``sp`` (12 for monthly data with a yearly cycle).
        None: from the frequency of ``y``'s time index, as
        :func:`~skrnn.sktime.infer_sp` reads it (monthly dates 12, quarterly
        4, daily 7, business days 5, yearly 1); for an integer index or
        irregular dates, from the values (:func:`~skrnn.sktime.detect_sp`, 1
        when they show no season); ``.seasonal_period`` holds the one used.
        It sets MASE's scale (the in-sample error of the seasonal naive
        forecast), the seasonal models, and the networks' input window and
        deseasonalization (see :class:`~skrnn.sktime.SktimeRecurrentForecaster`).
    n_folds : int or "auto", default="auto"
        Number of origins of the default splitter. ``"auto"``: three, or as
        many as ``y`` holds after the models' shortest training window (at
        least one), with a warning when fewer than three fit. An int is
        kept: a series too short for it is a ValueError.
    quick : bool, default=False
        Networks of the default line-up trained for half the epochs (for
        demos and tests); the classical models are unchanged.
    progress : bool, default=False
        Show a tqdm progress bar (on stderr), one tick per model.
    backend : str, default=None
        Passed to ``evaluate`` to run the folds of a model in parallel, for
        example ``"loky"``, or ``"dask"`` on a Dask cluster.
    random_state : int, default=0
        Seed of the networks of the default line-up (user objects keep their
        own ``random_state``).
    coverage : float or list of float, default=None
        Also measure prediction intervals of these nominal coverages (0.8 for
        80 % intervals), asked of every model with sktime's
        ``predict_interval``: per level a ``coverage_80`` column holds the
        share of test points inside the model's interval and ``MSIS_80`` its
        interval score, and ``SPL`` the pinball loss of all the bounds, on
        the same folds (see the columns below). Models without intervals get
        NaN. The networks (default line-up and skrnn
        estimators) then keep ``calibration_fraction=0.2`` and train a second
        network per fold for their conformal intervals, which doubles their
        training time and needs a longer first training window.
        Combinations get NaN: sktime's ``EnsembleForecaster`` makes point
        forecasts only. None: point forecasts only.
    random_walk : {"auto", False}, default="auto"
        Passed to the :class:`~skrnn.sktime.SktimeRecurrentForecaster` that
        holds each network (default line-up and skrnn estimators): with
        ``"auto"``, a training series that looks like a random walk without
        drift is forecast by its last value and no network is trained; False
        trains the networks anyway.

    Returns
    -------
    ComparisonResult
        ``.leaderboard`` (below), ``.folds`` (one row per model and fold),
        ``.forecasts`` (last fold's forecasts, one column per model), ``.y``,
        ``.fh``, ``.seasonal_period`` and ``.errors``.

        The leaderboard has one row per model, sorted by mean MASE (failed
        models last), with columns:

        - ``MASE``, ``sMAPE``, ``RMSE``: mean over folds; ``*_std``: their
          standard deviation over folds (ddof=1; NaN with one fold).
          sMAPE is sktime's symmetric MAPE, a fraction (0.05 = 5 %).
        - ``skill_vs_naive`` :math:`= 1 - \overline{MASE} /
          \overline{MASE}_{naive}`, the means over folds of the model's MASE
          and of the MASE of the naive forecast (last training value
          repeated) on the same folds; since both share the same scale within
          a fold this is the relative reduction of absolute error against
          naive. 0 for naive itself, > 0 better, < 0 worse.
        - ``persistence`` :math:`= \sum |\hat y - \hat y_{naive}| / \sum |y -
          \hat y_{naive}|` over the test points of all folds together: how
          far the forecast moves away from "the last value, repeated",
          relative to how far the truth moves. 0 means the model repeats the
          last observed value; near 1 it moves as much as the data do. The
          sums are pooled over folds rather than a ratio taken per fold and
          averaged, which one fold whose truth barely moved would blow up
          (one-step folds of a stock, for example).
        - ``flag``: ``"≈ naive"`` when ``persistence < 0.2`` and
          ``skill_vs_naive < 0.05`` (the model mostly copies the last value
          and gains nothing from it: the classic "my LSTM predicts yesterday"
          symptom), ``"worse than naive"`` when ``skill_vs_naive < 0``
          otherwise, ``"failed"`` for models that raised, else empty (and
          always for the naive forecast itself, the reference).
        - ``coverage_80``, ... (only with ``coverage``): the share of the test
          points inside the model's interval of that coverage (ends
          included), averaged over folds; NaN for models without intervals.
          A value well below the nominal coverage means the intervals are too
          narrow on this series.
        - ``MSIS_80``, ... (only with ``coverage``): the mean scaled interval
          score of the M4 competition
          (:func:`~skrnn.metrics.mean_scaled_interval_score`), the interval's
          width plus ``2 / (1 - coverage)`` times each miss, averaged over the
          horizon and divided by MASE's scale (the in-sample error of the
          seasonal naive forecast, ``seasonal_period`` back), averaged over
          folds. Lower is better: it rewards narrow intervals and punishes
          misses, so a model cannot gain by over- or under-covering.
        - ``SPL`` (only with ``coverage``): the scaled pinball loss
          (:func:`~skrnn.metrics.scaled_pinball_loss`) of the bounds read as
          quantiles (``(1 - c) / 2`` and ``(1 + c) / 2`` of every coverage
          ``c``: 0.025, 0.1, 0.9 and 0.975 for 80 % and 95 %), averaged over
          them and the horizon, on MASE's scale; averaged over folds. Lower is
          better; the quantile heads of later networks are scored by it.
        - ``fit_s``, ``predict_s``: mean seconds per fold.
        - ``settings``: what the model read and chose at the last origin:
          the input window and strategy of skrnn's networks (of both
          networks of a seasonal pair where they differ; ``"last value
          (random walk)"`` when they trained none) and of scikit-learn
          regressors (``window 15, recursive``: 1.25 seasons, at least 8,
          read recursively); a combination shows its members'; empty for the
          classical models.

    Raises
    ------
    ValueError
        If ``y`` is not numeric, has missing values, is too short for the
        folds (the message says how many points are needed), a model name is
        unknown, or a coverage is not between 0 and 1.
    TypeError
        If an object in ``forecasters`` is neither an sktime forecaster nor a
        scikit-learn regressor (skrnn estimators included).

    Notes
    -----
    A model that raises during the backtest does not stop the comparison: a
    ``UserWarning`` names it, its row holds NaN and ``flag="failed"``, and
    the message is kept in ``result.errors``.

    A backtest refits every model at every origin, so a library's warning
    would repeat once per fit and model. Warnings raised while the models are
    backtested are warned once per distinct message when the backtest ends
    (after the progress bar), from the line that called
    ``compare_forecasters``, followed by how often it occurred and for which
    models, for example ``y looks like a random walk without drift: ... (12
    times while backtesting lstm, gru, rnn and lstm+ets)``; those raised while
    the models are built, before the backtest. Filters set by the caller
    apply as usual. sktime 1.2's ``remember_data`` FutureWarning is dropped.
    The warning state is swapped while models are built and backtested
    (``warnings.catch_warnings``), which is not thread-safe: run one
    ``compare_forecasters`` at a time per process. Folds run by ``backend``
    in other processes keep their own warnings.

    Examples
    --------
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> result.leaderboard.index.tolist()
    ['snaive', 'naive']
    >>> print(result.leaderboard["MASE"].round(2).to_dict())
    {'snaive': 1.61, 'naive': 2.85}
    >>> print(result.leaderboard["skill_vs_naive"].round(2).to_dict())
    {'snaive': 0.43, 'naive': 0.0}
    >>> print(result.leaderboard["persistence"].round(2).to_dict())
    {'snaive': 0.61, 'naive': 0.0}
    >>> result.forecasts.shape
    (12, 2)

    Your own model joins the leaderboard under the name you give it:

    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> ridge = make_pipeline(StandardScaler(), Ridge())
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", ("ridge", ridge)], fh=12,
    ...     seasonal_period=12, n_folds=2,
    ... )
    >>> sorted(result.leaderboard.index)
    ['naive', 'ridge']
    """
    y = check_series(y)
    sp = check_seasonal_period(seasonal_period, y)
    levels = check_coverage(coverage)
    steps = relative_fh(fh if cv is None else cv.fh)
    if cv is None:
        check_n_folds(n_folds)
    fh_max = int(steps.max())
    # one log for the whole run: a warning several models raise (the random-walk
    # test of each network) is said once, naming them, after the progress bar
    log = WarningLog(drop=sktime_remember_data)
    with log.recording("building the models"):
        lineup = resolve_lineup(
            forecasters,
            sp=sp,
            fh_max=fh_max,
            random_state=random_state,
            quick=quick,
            positive=bool((y > 0).all()),
            # what concerns each network's face travels as one object
            face=FaceOptions(intervals=bool(levels), random_walk=random_walk),
        )
    log.replay(stacklevel=2)  # before the bar, pointing at the caller's line
    if cv is None:
        need = min_train_of(lineup, sp, fh_max, intervals=bool(levels))
        cv = default_splitter(len(y), steps, n_folds, need)
    y_fit, X = _on_positions(y, X)
    runs = _backtest(lineup, cv, y_fit, X, y.index, sp, levels, backend, progress, log)
    log.replay(stacklevel=2)
    for name, message in runs.errors.items():
        warnings.warn(
            f"{name} failed during the backtest and is ranked last ({message}).",
            UserWarning,
            stacklevel=2,
        )
    folds = fold_table(runs.rows, levels)
    recurrent, combined = network_kinds(lineup)
    return ComparisonResult(
        leaderboard=leaderboard(
            folds, list(lineup), runs.errors, levels, runs.settings
        ),
        folds=folds,
        forecasts=pd.DataFrame(runs.forecasts),
        y=y,
        fh=steps,
        seasonal_period=sp,
        errors=runs.errors,
        recurrent=recurrent,
        combined=combined,
        coverage=levels,
    )


def _on_positions(y, X):
    """Return ``y`` and ``X`` indexed by positions 0..n-1.

    sktime is given positions, never the time labels: every index type then
    works alike (trading days without a regular frequency, "MS" months that
    sktime cannot turn into periods); the result maps back.
    """
    y_fit = y.reset_index(drop=True)
    if X is not None:
        if len(X) != len(y):
            raise ValueError(
                f"X has {len(X)} rows but y has {len(y)} points; X must hold one "
                "row per time point of y."
            )
        X = pd.DataFrame(X).set_axis(y_fit.index)
    return y_fit, X


@dataclass
class _Runs:
    """What the backtest of a line-up gathered, model by model."""

    rows: list = field(default_factory=list)  # of the folds table
    forecasts: dict = field(default_factory=dict)  # the last fold's, by label
    errors: dict = field(default_factory=dict)  # why a model failed
    settings: dict = field(default_factory=dict)  # the settings column


def _backtest(lineup, cv, y_fit, X, index, sp, levels, backend, progress, log):
    """Backtest each model of ``lineup`` on ``cv``; a failing model stops none.

    ``index``: the time labels of ``y`` (``y_fit`` holds positions); the
    warnings of each model are recorded in ``log``.
    """
    scoring = list(metrics(sp).values())
    runs = _Runs()
    bar = _progress(lineup, progress)
    for name, forecaster in lineup.items():
        bar.set_postfix_str(name)
        intervals = bool(levels) and forecaster.get_tag(
            "capability:pred_int", False, raise_error=False
        )
        try:
            with log.recording("backtesting", name):
                result = _evaluate(
                    forecaster,
                    cv,
                    y_fit,
                    X,
                    scoring,
                    levels if intervals else (),
                    backend,
                )
        except Exception as exc:  # one failing model must not stop the others
            runs.errors[name] = f"{type(exc).__name__}: {exc}"
            bar.update(1)
            continue
        with log.recording("scoring", name):
            runs.rows += fold_rows(name, result, scoring, levels, intervals, index, sp)
        runs.settings[name] = describe_settings(result["fitted_forecaster"].iloc[-1])
        last = result["y_pred"].iloc[-1]
        runs.forecasts[name] = pd.Series(
            last.to_numpy(dtype=float), index=index[last.index.to_numpy()]
        )
        bar.update(1)
    bar.close()
    return runs


def _evaluate(forecaster, cv, y, X, scoring, levels, backend):
    """Run sktime's ``evaluate`` on one model, keeping the data and fitted models.

    ``levels``: the interval coverages to score; () for point forecasts only.
    """
    from sktime.forecasting.model_evaluation import evaluate
    from sktime.performance_metrics.forecasting.probabilistic import (
        EmpiricalCoverage,
    )

    return evaluate(
        forecaster,
        cv,
        y,
        X=X,
        # an interval metric makes evaluate call predict_interval
        scoring=scoring
        + ([EmpiricalCoverage(coverage=list(levels))] if levels else []),
        return_data=True,
        # what the fitted models chose (window, strategy) is shown
        return_model=True,
        error_score="raise",
        backend=backend,
    )


class _Silent:
    """The progress bar of ``progress=False``: does nothing."""

    def set_postfix_str(self, *args, **kwargs):
        pass

    def update(self, *args, **kwargs):
        pass

    def close(self):
        pass


def _progress(lineup: dict, enabled: bool):
    """Return a tqdm bar over the models, or a silent stand-in when disabled."""
    if enabled:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional: no bar
            pass
        else:
            return tqdm(total=len(lineup), desc="backtest", unit="model", leave=False)
    return _Silent()
