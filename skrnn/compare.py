"""Rolling-origin leaderboard of recurrent networks against classical forecasters."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skrnn._seasonality import seasonal_period as _period_of
from skrnn._warnings import WarningLog, _join, sktime_remember_data

__all__ = [
    "DEFAULT_COMBINATION",
    "FORECASTER_NAMES",
    "ComparisonResult",
    "compare_forecasters",
    "default_forecasters",
]

#: Names accepted by ``compare_forecasters(forecasters=[...])`` and ``--models``.
FORECASTER_NAMES = ("lstm", "gru", "rnn", "naive", "snaive", "ets", "theta", "arima")

_DESCRIPTIONS = {
    "lstm": "LSTM network (SktimeRecurrentForecaster)",
    "gru": "GRU network (SktimeRecurrentForecaster)",
    "rnn": "simple (Elman) RNN (SktimeRecurrentForecaster)",
    "naive": "last observed value repeated (NaiveForecaster('last'))",
    "snaive": "value one season ago (NaiveForecaster('last', sp=sp))",
    "ets": "automatic exponential smoothing (StatsForecastAutoETS)",
    "theta": "Theta method, deseasonalized when sp > 1 (ThetaForecaster)",
    "arima": "automatic (seasonal) ARIMA (StatsForecastAutoARIMA)",
    "lstm+ets": "mean of the lstm and ets forecasts (EnsembleForecaster)",
}
#: The combination of the default line-up: on the accuracy benchmark's
#: competition sets the mean of the network and ETS beat either alone.
DEFAULT_COMBINATION = "lstm+ets"

_RECURRENT = {"lstm", "gru", "rnn"}
# "lstm+ets": the mean of the forecasts of the models named around the "+"
_COMBINE = "+"
_METRICS = ("MASE", "sMAPE", "RMSE")
# n_folds="auto": this many origins, or as many as a short series holds
_AUTO, _AUTO_FOLDS = "auto", 3
# Below this persistence a forecast stays within 20 % of the naive forecast's
# error range: it mostly repeats the last value.
_PERSISTENCE_THRESHOLD = 0.2
# "No real skill": within 5 % of naive's MASE, or worse.
_SKILL_THRESHOLD = 0.05


@dataclass
class ComparisonResult:
    """Outcome of :func:`compare_forecasters`.

    Attributes
    ----------
    leaderboard : pandas.DataFrame
        One row per model (index ``model``), sorted by mean MASE, best first;
        the columns are described in :func:`compare_forecasters`.
    folds : pandas.DataFrame
        One row per model and fold: ``model``, ``fold`` (0 = oldest origin),
        ``cutoff`` (last training time point), ``n_train``, ``MASE``,
        ``sMAPE``, ``RMSE``, ``MASE_naive``, ``naive_error`` (the naive
        forecast's absolute error summed over the fold's test points),
        ``persistence`` (of the fold alone), with ``coverage`` a
        ``coverage_80``-like and an ``MSIS_80``-like column per level and
        ``SPL`` (see :func:`compare_forecasters`), ``fit_s``, ``predict_s``.
    forecasts : pandas.DataFrame
        The last fold's forecasts, one column per model, indexed by the
        forecast time points (a sub-index of ``y``).
    y : pandas.Series
        The series that was backtested, with its original index.
    fh : numpy.ndarray
        Relative forecasting horizon (steps after each cutoff).
    seasonal_period : int
        Seasonal period used by MASE and the seasonal models.
    errors : dict of str to str
        Models that failed, with the error message (their rows hold NaN).
    recurrent : tuple of str
        Names of the models that are skrnn networks (for plots and summaries).
    combined : tuple of str
        Names of the combinations that hold a skrnn network (``"lstm+ets"``,
        or an sktime ``EnsembleForecaster`` with one).
    coverage : tuple of float
        Interval coverages measured (``coverage`` of
        :func:`compare_forecasters`), empty for point forecasts only.
    """

    leaderboard: pd.DataFrame
    folds: pd.DataFrame
    forecasts: pd.DataFrame
    y: pd.Series
    fh: np.ndarray
    seasonal_period: int
    errors: dict = field(default_factory=dict)
    recurrent: tuple = ()
    coverage: tuple = ()
    combined: tuple = ()

    def __repr__(self):
        best = self.leaderboard.index[0] if len(self.leaderboard) else None
        n_folds = self.folds["fold"].nunique() if len(self.folds) else 0
        return (
            f"ComparisonResult({len(self.leaderboard)} models, {n_folds} folds, "
            f"fh={self.fh.tolist()}, best={best!r}; see .leaderboard, "
            ".to_string(), .summary())"
        )

    @property
    def cutoff(self):
        """Last training time point of the last fold (a label of ``y``)."""
        return self.folds["cutoff"].iloc[-1] if len(self.folds) else None

    def to_string(self, digits=3):
        """Format the leaderboard as a plain-text table, as ``skrnn compare`` prints it.

        Parameters
        ----------
        digits : int, default=3
            Decimals of the float columns.

        Returns
        -------
        str
        """
        with pd.option_context("display.width", 200, "display.max_columns", 50):
            return _display_table(self.leaderboard, digits).to_string()

    def summary(self):
        """Read the leaderboard in a sentence or two.

        The best model by MASE (the models tied with it); the best network
        and the best combination with a network, their ranks and their MASE
        relative to the best model that is neither; the networks that
        forecast exactly the last value (the sktime face's ``random_walk``
        test) and the models that mostly repeat it (flag ``"≈ naive"``).

        Returns
        -------
        str
        """
        board = self.leaderboard.dropna(subset=["MASE"])
        if board.empty:
            return "Every model failed."
        best = board.index[0]
        # equal up to rounding (a network's last value passes through logs)
        tied = list(
            board.index[np.isclose(board["MASE"], board["MASE"].iloc[0], rtol=1e-9)]
        )
        if len(tied) > 1:
            lines = [f"Best MASE: {_join(tied)} tie ({board['MASE'].iloc[0]:.3f})."]
        else:
            lines = [f"Best MASE: {best} ({board['MASE'].iloc[0]:.3f})."]
        ranked = list(board.index)
        others = [
            name
            for name in ranked
            if name not in self.recurrent and name not in self.combined
        ]
        rival = others[0] if others else None
        kinds = (("network", self.recurrent), ("combination", self.combined))
        for kind, names in kinds:
            candidates = [name for name in ranked if name in names]
            if not candidates:
                continue
            top = candidates[0]
            verdict = f"Best {kind}: {top} (rank {ranked.index(top) + 1})"
            if rival is not None:
                ratio = board.loc[top, "MASE"] / board.loc[rival, "MASE"]
                verdict += (
                    f", MASE {ratio:.2f}x that of the best classical model {rival}"
                    if rival in FORECASTER_NAMES
                    else f", MASE {ratio:.2f}x that of {rival}, the best model that "
                    "is not a network"
                )
            lines.append(verdict + ".")
        # only a network that trained none repeats the last value exactly
        copies = [
            name
            for name in board.index
            if name in self.recurrent and board.loc[name, "persistence"] < 1e-9
        ]
        if copies:
            lines.append(
                f"{_join(copies)} forecast{'s' if len(copies) == 1 else ''} the "
                "last value at every origin: the "
                "series looks like a random walk without drift, so "
                f"{'it' if len(copies) == 1 else 'they'} trained no network (see "
                "the warning; random_walk=False, or --always-train on the "
                "command line, trains one)."
            )
        flagged = [
            name
            for name in board.index[board["flag"] == "≈ naive"]
            if name not in copies
        ]
        if flagged:
            lines.append(
                f"{_join(flagged)} mostly repeat"
                f"{'s' if len(flagged) == 1 else ''} the last value (flag '≈ naive')."
            )
        return " ".join(lines)

    def to_markdown_table(self, digits=3):
        """Format the leaderboard as a GitHub-flavoured Markdown table.

        Parameters
        ----------
        digits : int, default=3
            Decimals of the float columns.

        Returns
        -------
        str
            The table, one line per model, without a trailing newline.
        """
        table = _display_table(self.leaderboard, digits)
        columns = ["model", *table.columns]
        lines = [
            "| " + " | ".join(columns) + " |",
            "|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|",
        ]
        for name, row in table.iterrows():
            lines.append("| " + " | ".join([str(name), *map(str, row)]) + " |")
        return "\n".join(lines)


def _display_table(leaderboard: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Round and stringify a leaderboard for printing (NaN as ``-``)."""
    table = leaderboard.copy()
    for column in table.columns:
        if column in ("flag", "settings"):
            continue
        # sMAPE is a fraction: 0.0012 on a series like CO2 needs more places
        places = (
            2 if column.endswith("_s") else digits + 1 if "sMAPE" in column else digits
        )
        table[column] = table[column].map(
            lambda v, p=places: "-" if pd.isna(v) else f"{v:.{p}f}"
        )
    return table


def _check_series(y) -> pd.Series:
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


def _relative_fh(fh) -> np.ndarray:
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


def _check_seasonal_period(seasonal_period, y=None) -> int:
    """Validate ``seasonal_period``; None: from ``y``'s frequency or values, else 1."""
    if seasonal_period is None:
        if y is None:
            return 1
        return _period_of(y.index, [y.to_numpy(dtype=np.float64)])
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


def _check_coverage(coverage) -> tuple:
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


def _coverage_column(level: float) -> str:
    """Leaderboard column of an interval coverage: 0.8 -> ``coverage_80``."""
    return f"coverage_{100 * level:g}"


def _msis_column(level: float) -> str:
    """Leaderboard column of an interval's MSIS: 0.95 -> ``MSIS_95``."""
    return f"MSIS_{100 * level:g}"


def _interval_columns(levels: tuple) -> list:
    """Return the interval columns: coverage and MSIS per level, then SPL."""
    if not levels:
        return []
    return [*map(_coverage_column, levels), *map(_msis_column, levels), "SPL"]


def _make_named(
    name: str,
    *,
    sp: int,
    random_state,
    quick: bool,
    positive: bool,
    intervals=False,
    random_walk="auto",
):
    """Build the registry forecaster ``name`` (see ``FORECASTER_NAMES``)."""
    if name in _RECURRENT:
        from skrnn.sktime import default_network

        return _wrap(
            default_network(name, random_state, quick),
            sp=sp,
            intervals=intervals,
            random_walk=random_walk,
        )
    from sktime.forecasting.naive import NaiveForecaster

    if name == "naive":
        return NaiveForecaster(strategy="last")
    if name == "snaive":
        if sp == 1:
            warnings.warn(
                "snaive with seasonal_period=1 is the naive forecast: pass "
                "seasonal_period (skrnn compare: --seasonal-period; 12 for "
                "monthly data, 7 for daily data with a weekly cycle) or a series "
                "with dates whose frequency gives it.",
                UserWarning,
                stacklevel=2,
            )
        return NaiveForecaster(strategy="last", sp=sp)
    if name == "ets":
        try:
            from sktime.forecasting.statsforecast import StatsForecastAutoETS
        except ImportError:  # statsforecast missing: statsmodels' AutoETS
            from sktime.forecasting.ets import AutoETS

            return AutoETS(auto=True, sp=sp, n_jobs=1)
        return StatsForecastAutoETS(season_length=sp)
    if name == "theta":
        from sktime.forecasting.theta import ThetaForecaster

        # multiplicative deseasonalization divides by the seasonal index: it
        # needs a strictly positive series (sunspots has zeros)
        return ThetaForecaster(
            sp=sp,
            deseasonalize=sp > 1,
            deseasonalize_model="multiplicative" if positive else "additive",
        )
    if name == "arima":
        try:
            from sktime.forecasting.statsforecast import StatsForecastAutoARIMA
        except ImportError:  # statsforecast missing: statsmodels-based ARIMA
            from sktime.forecasting.arima import StatsModelsARIMA

            return StatsModelsARIMA(order=(1, 1, 1))
        return StatsForecastAutoARIMA(sp=sp)
    raise ValueError(_unknown_message(name))


def _make_combination(name: str, **kwargs):
    """Build ``"lstm+ets"``: sktime's mean of the forecasts of its parts.

    The parts make point forecasts only (``EnsembleForecaster`` has no
    intervals), so a network part never trains a calibration network.
    """
    from sktime.forecasting.compose import EnsembleForecaster

    kwargs["intervals"] = False
    return EnsembleForecaster(
        [(part, _make_named(part, **kwargs)) for part in name.split(_COMBINE)],
        aggfunc="mean",
    )


def _normalize_name(name: str) -> str:
    """Return ``name`` in lower case, without spaces around a ``"+"``.

    Raise a ValueError unless it is a registry name or a combination of them.
    """
    parts = [part.strip().lower() for part in name.split(_COMBINE)]
    if len(parts) == 1:
        if parts[0] not in FORECASTER_NAMES:
            raise ValueError(_unknown_message(name))
        return parts[0]
    if "" in parts:
        raise ValueError(
            f"The combination {name!r} has an empty name around {_COMBINE!r}: "
            "join two or more names, e.g. 'lstm+ets'."
        )
    unknown = [part for part in parts if part not in FORECASTER_NAMES]
    if unknown:
        raise ValueError(
            f"The combination {name!r}: {unknown[0]!r} is not a model name. "
            f"A combination joins names of {', '.join(FORECASTER_NAMES)}; to "
            "combine your own models, pass one sktime EnsembleForecaster "
            "(sktime.forecasting.compose) holding them (from the command line: "
            "--model NAME=MODULE:OBJECT)."
        )
    if len(set(parts)) < len(parts):
        raise ValueError(
            f"The combination {name!r} names a model twice; each model of a "
            "combination counts once in the mean, e.g. 'lstm+ets'."
        )
    return _COMBINE.join(parts)


def _unknown_message(name) -> str:
    return (
        f"Unknown forecaster {name!r}. Valid names: {', '.join(FORECASTER_NAMES)}, "
        f"and combinations of them joined by {_COMBINE!r} (the mean of their "
        "forecasts, e.g. 'lstm+ets'); your own models are passed as objects "
        "(from the command line: --model NAME=MODULE:OBJECT): sktime "
        "forecasters, skrnn estimators, scikit-learn regressors or pipelines."
    )


def _wrap(estimator, sp: int, intervals=False, random_walk="auto"):
    """Put a skrnn estimator behind sktime's forecaster interface.

    Without ``intervals``, point forecasts only: no second network is trained
    to calibrate intervals.
    """
    from skrnn.sktime import SktimeRecurrentForecaster

    forecaster = SktimeRecurrentForecaster(
        estimator=estimator, sp=sp, random_walk=random_walk
    )
    return forecaster if intervals else forecaster.set_params(calibration_fraction=0)


def _as_forecaster(obj, *, sp: int, fh_max: int, intervals=False, random_walk="auto"):
    """Return an sktime forecaster for ``obj`` (a clone: ``obj`` is untouched).

    sktime forecasters are cloned; skrnn estimators are wrapped in
    :class:`~skrnn.sktime.SktimeRecurrentForecaster`; other scikit-learn
    regressors (pipelines included) are reduced to forecasting by sktime's
    ``make_reduction`` on a window of lagged values.
    """
    from sklearn.base import clone
    from sktime.forecasting.base import BaseForecaster
    from sktime.forecasting.compose import make_reduction

    from skrnn._base import BaseWindowForecaster
    from skrnn.sktime import SktimeRecurrentForecaster, default_window_length

    _check_model(obj)
    if isinstance(obj, BaseForecaster):
        forecaster = obj.clone()
        if isinstance(forecaster, SktimeRecurrentForecaster) and forecaster.sp is None:
            # the backtest runs on positions, where sp=None would infer 1
            forecaster.set_params(sp=sp)
        return forecaster
    if isinstance(obj, BaseWindowForecaster):
        return _wrap(clone(obj), sp=sp, intervals=intervals, random_walk=random_walk)
    # the networks' window: the regressor reads as much history as they do
    return make_reduction(
        clone(obj),
        window_length=default_window_length(sp, 1),
        strategy="recursive",
    )


def _check_model(obj):
    """Raise a TypeError saying what is accepted unless ``obj`` can be backtested."""
    from sklearn.base import is_regressor
    from sktime.forecasting.base import BaseForecaster

    if isinstance(obj, type):
        raise TypeError(
            f"Got the class {obj.__name__}, not an object: pass an instance, e.g. "
            f"{obj.__name__}()."
        )
    if isinstance(obj, BaseForecaster):
        return
    try:
        if is_regressor(obj):
            return
    except AttributeError:  # scikit-learn finds no estimator tags: not an estimator
        pass
    raise TypeError(
        f"Cannot backtest {type(obj).__name__}: it is not a forecaster or a "
        "regressor. compare_forecasters accepts the names "
        f"{', '.join(FORECASTER_NAMES)}; sktime forecasters; skrnn estimators "
        "(LSTMForecaster(...), wrapped in SktimeRecurrentForecaster); and "
        "scikit-learn regressors or pipelines ending in one (Ridge(), "
        "make_pipeline(StandardScaler(), Ridge())), reduced to forecasting on "
        "lagged values with sktime's make_reduction."
    )


def _label(obj) -> str:
    """Default leaderboard name of an object: its class, a pipeline's last step's."""
    from sklearn.pipeline import Pipeline

    return type(obj[-1] if isinstance(obj, Pipeline) else obj).__name__


def _is_network(forecaster) -> bool:
    """Whether ``forecaster`` trains a skrnn network (for plots and summaries)."""
    from sklearn.pipeline import Pipeline

    from skrnn._base import BaseWindowForecaster
    from skrnn.sktime import SktimeRecurrentForecaster

    if isinstance(forecaster, SktimeRecurrentForecaster):
        return True
    # a reduction (make_reduction) to a skrnn estimator, or to a pipeline ending
    # in one
    estimator = forecaster.get_params(deep=False).get("estimator")
    if isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    return isinstance(estimator, BaseWindowForecaster)


def default_forecasters(seasonal_period=1):
    """Return the names :func:`compare_forecasters` compares by default.

    Every name of ``FORECASTER_NAMES`` (the seasonal naive forecast only for
    a seasonal series) and ``"lstm+ets"``, the mean of the LSTM's and ETS's
    forecasts.

    Parameters
    ----------
    seasonal_period : int, default=1
        Seasonal period of the series (1: none).

    Returns
    -------
    list of str

    Examples
    --------
    >>> from skrnn.compare import default_forecasters
    >>> default_forecasters(12)
    ['lstm', 'gru', 'rnn', 'naive', 'snaive', 'ets', 'theta', 'arima', 'lstm+ets']
    >>> "snaive" in default_forecasters(1)
    False
    """
    sp = _check_seasonal_period(seasonal_period)
    names = [name for name in FORECASTER_NAMES if name != "snaive" or sp > 1]
    return [*names, DEFAULT_COMBINATION]


def _resolve_lineup(
    forecasters,
    *,
    sp,
    fh_max,
    random_state,
    quick,
    positive,
    intervals=False,
    random_walk="auto",
):
    """Map ``forecasters`` (None, names, objects, pairs, dict) to name: forecaster."""
    if forecasters is None:
        forecasters = default_forecasters(sp)
    elif isinstance(forecasters, str):
        forecasters = [part.strip() for part in forecasters.split(",") if part.strip()]
    # (label, model, whether the label was given: a name, pair or dict key)
    if isinstance(forecasters, dict):
        items = [(label, spec, True) for label, spec in forecasters.items()]
    else:
        items = []
        for item in forecasters:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                items.append((*item, True))  # (name, model)
            elif isinstance(item, str):
                name = _normalize_name(item)
                items.append((name, name, True))
            else:
                items.append((_label(item), item, False))
    items = [
        (str(label), _normalize_name(spec) if isinstance(spec, str) else spec, given)
        for label, spec, given in items
    ]
    if not items:
        raise ValueError("forecasters is empty: give at least one model.")
    _check_labels(items)
    lineup = {}
    for label, spec, _ in items:
        unique, k = label, 2
        while unique in lineup:  # two LSTMForecaster objects: LSTMForecaster_2
            unique, k = f"{label}_{k}", k + 1
        if isinstance(spec, str):
            make = _make_combination if _COMBINE in spec else _make_named
            lineup[unique] = make(
                spec,
                sp=sp,
                random_state=random_state,
                quick=quick,
                positive=positive,
                intervals=intervals,
                random_walk=random_walk,
            )
        else:
            lineup[unique] = _as_forecaster(
                spec,
                sp=sp,
                fh_max=fh_max,
                intervals=intervals,
                random_walk=random_walk,
            )
    return lineup


_RENAME = (
    "Give your model a label of its own, e.g. ('my_{label}', model); from the "
    "command line, --model my_{label}=MODULE:OBJECT."
)


def _check_labels(items):
    """Refuse labels that would put one model under another's name.

    ``"naive"`` labels the naive forecast only: the summary and the plot read
    that row as the reference. Two objects of one class are told apart by a
    suffix (``Ridge_2``), but a label the user gave (a name, a pair, a dict
    key) must name one row. A combination of the same models in another
    order is the same model.
    """
    for label, spec, _ in items:
        if label.strip().lower() == "naive" and spec != "naive":
            raise ValueError(
                f"{label!r} labels {spec!r} here, but 'naive' is the last-value "
                "forecast that the summary and the plot read as the reference. "
                f"{_RENAME.format(label='naive')}"
            )
    given = {label for label, _, is_given in items if is_given}
    for label in given:
        specs = [spec for other, spec, _ in items if other == label]
        if len(specs) < 2:
            continue
        if all(isinstance(spec, str) and spec == label for spec in specs):
            raise ValueError(f"The models name {label!r} twice: list it once.")
        raise ValueError(
            f"Two models are labelled {label!r}: a label names one row of the "
            # "my_lstm+ets" would read as a combination
            f"leaderboard. {_RENAME.format(label=label.replace(_COMBINE, '_'))}"
        )
    seen = {}
    for _, spec, _ in items:
        if isinstance(spec, str) and _COMBINE in spec:
            parts = frozenset(spec.split(_COMBINE))
            if parts in seen:
                raise ValueError(
                    f"{spec!r} combines the same models as {seen[parts]!r} (the "
                    "mean does not depend on their order): keep one."
                )
            seen[parts] = spec


def _min_train(lineup: dict, sp: int, fh_max: int, intervals=False) -> int:
    """Fewest training points every model of the line-up can be fitted on."""
    from skrnn.sktime import SktimeRecurrentForecaster, default_window_length

    need = max(3, 2 * sp if sp > 1 else 3)
    for forecaster in _members(lineup.values()):
        params = forecaster.get_params(deep=False)
        window = params.get("window_length", False)
        # the face sizes its window itself; NaiveForecaster's None is "all data"
        if window is None and isinstance(forecaster, SktimeRecurrentForecaster):
            steps = fh_max if params.get("strategy") == "direct" else 1
            window = default_window_length(params.get("sp", sp), steps)
        if isinstance(window, numbers.Integral) and not isinstance(window, bool):
            # a window plus fh_max targets per training sample (the direct
            # strategy's need, enough for the recursive one), and a handful
            # of samples to learn from
            need = max(need, int(window) + fh_max + 8)
            fraction = params.get("calibration_fraction")
            if intervals and fraction:
                # split conformal holds out max(fh_max, fraction x windows) points;
                # what is left must still train the calibrator on 9+ windows
                need = max(
                    need,
                    int(window) + 2 * fh_max + 8,
                    int(window) + fh_max - 1 + int(np.ceil(10 / (1 - fraction))),
                )
    return need


def _members(forecasters):
    """Yield ``forecasters`` with every ensemble replaced by its members."""
    for forecaster in forecasters:
        # sktime's EnsembleForecaster (a combination): a list of (name, model)
        members = forecaster.get_params(deep=False).get("forecasters")
        if isinstance(members, list):
            yield from _members(member[1] for member in members)
        else:
            yield forecaster


def _metrics(sp: int):
    from sktime.performance_metrics.forecasting import (
        MeanAbsolutePercentageError,
        MeanAbsoluteScaledError,
        MeanSquaredError,
    )

    return {
        "MASE": MeanAbsoluteScaledError(sp=sp),
        "sMAPE": MeanAbsolutePercentageError(symmetric=True),
        "RMSE": MeanSquaredError(square_root=True),
    }


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
    from sktime.forecasting.model_evaluation import evaluate
    from sktime.performance_metrics.forecasting.probabilistic import (
        EmpiricalCoverage,
    )

    y = _check_series(y)
    sp = _check_seasonal_period(seasonal_period, y)
    levels = _check_coverage(coverage)
    if cv is None:
        steps = _relative_fh(fh)
        if n_folds != _AUTO and (
            isinstance(n_folds, bool)
            or not isinstance(n_folds, numbers.Integral)
            or n_folds < 1
        ):
            raise ValueError(
                f"n_folds must be a positive int or 'auto'; got {n_folds!r}."
            )
    else:
        steps = _relative_fh(cv.fh)
    fh_max = int(steps.max())
    # one log for the whole run: a warning several models raise (the random-walk
    # test of each network) is said once, naming them, after the progress bar
    log = WarningLog(drop=sktime_remember_data)
    with log.recording("building the models"):
        lineup = _resolve_lineup(
            forecasters,
            sp=sp,
            fh_max=fh_max,
            random_state=random_state,
            quick=quick,
            positive=bool((y > 0).all()),
            intervals=bool(levels),
            random_walk=random_walk,
        )
    log.replay(stacklevel=2)  # before the bar, pointing at the caller's line
    if cv is None:
        min_train = _min_train(lineup, sp, fh_max, intervals=bool(levels))
        if n_folds == _AUTO:
            n_folds = _auto_folds(len(y), fh_max, min_train)
            if n_folds < _AUTO_FOLDS:
                warnings.warn(
                    f"n_folds='auto': y has {len(y)} points, which hold "
                    f"{n_folds} fold(s) with fh up to {fh_max} after the "
                    f"{min_train} the models need to train on, so the backtest "
                    f"uses {n_folds}, not {_AUTO_FOLDS} ({_AUTO_FOLDS} need "
                    f"{min_train + _AUTO_FOLDS * fh_max} points). Pass n_folds to "
                    "choose the number.",
                    UserWarning,
                    stacklevel=2,
                )
        cv = _expanding_splitter(len(y), steps, n_folds, min_train)

    # sktime is given positions 0..n-1, never the time labels: every index
    # type then works alike (trading days without a regular frequency, "MS"
    # months that sktime cannot turn into periods); the result maps back
    y_fit = y.reset_index(drop=True)
    if X is not None:
        if len(X) != len(y):
            raise ValueError(
                f"X has {len(X)} rows but y has {len(y)} points; X must hold one "
                "row per time point of y."
            )
        X = pd.DataFrame(X).set_axis(y_fit.index)

    scoring = list(_metrics(sp).values())
    rows, forecasts, errors, settings = [], {}, {}, {}
    bar = _progress(lineup, progress)
    for name, forecaster in lineup.items():
        bar.set_postfix_str(name)
        intervals = bool(levels) and forecaster.get_tag(
            "capability:pred_int", False, raise_error=False
        )
        try:
            with log.recording("backtesting", name):
                result = evaluate(
                    forecaster,
                    cv,
                    y_fit,
                    X=X,
                    # an interval metric makes evaluate call predict_interval
                    scoring=scoring
                    + ([EmpiricalCoverage(coverage=list(levels))] if intervals else []),
                    return_data=True,
                    # what the fitted models chose (window, strategy) is shown
                    return_model=True,
                    error_score="raise",
                    backend=backend,
                )
        except Exception as exc:  # one failing model must not stop the others
            errors[name] = f"{type(exc).__name__}: {exc}"
            bar.update(1)
            continue
        with log.recording("scoring", name):
            rows += _fold_rows(name, result, scoring, levels, intervals, y.index, sp)
        settings[name] = _settings(result["fitted_forecaster"].iloc[-1])
        last = result["y_pred"].iloc[-1]
        forecasts[name] = pd.Series(
            last.to_numpy(dtype=float), index=y.index[last.index.to_numpy()]
        )
        bar.update(1)
    bar.close()
    log.replay(stacklevel=2)
    for name, message in errors.items():
        warnings.warn(
            f"{name} failed during the backtest and is ranked last ({message}).",
            UserWarning,
            stacklevel=2,
        )

    folds = pd.DataFrame(
        rows,
        columns=[
            "model",
            "fold",
            "cutoff",
            "n_train",
            "MASE",
            "sMAPE",
            "RMSE",
            "MASE_naive",
            "naive_error",
            "persistence",
            *_interval_columns(levels),
            "fit_s",
            "predict_s",
        ],
    )
    return ComparisonResult(
        leaderboard=_leaderboard(folds, list(lineup), errors, levels, settings),
        folds=folds,
        forecasts=pd.DataFrame(forecasts),
        y=y,
        fh=steps,
        seasonal_period=sp,
        errors=errors,
        recurrent=tuple(
            name for name, forecaster in lineup.items() if _is_network(forecaster)
        ),
        combined=tuple(
            name
            for name, forecaster in lineup.items()
            if not _is_network(forecaster)
            and any(map(_is_network, _members([forecaster])))
        ),
        coverage=levels,
    )


def _auto_folds(n_points: int, fh_max: int, min_train: int) -> int:
    """Folds of ``n_folds="auto"``: as many as fit, at most three, at least one.

    One that does not fit is left to :func:`_expanding_splitter` to explain.
    """
    return int(np.clip((n_points - min_train) // fh_max, 1, _AUTO_FOLDS))


def _auto_folds_of(n_points, forecasters, *, fh, seasonal_period, coverage=None):
    """Return ``(n_folds, min_train)`` that ``n_folds="auto"`` gives.

    For ``skrnn compare``, which says how many origins it backtests before
    the run; the line-up is built only to read its windows (the run warns of
    what building it warns of).
    """
    steps = _relative_fh(fh)
    fh_max = int(steps.max())
    sp = _check_seasonal_period(seasonal_period)
    intervals = bool(_check_coverage(coverage))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lineup = _resolve_lineup(
            forecasters,
            sp=sp,
            fh_max=fh_max,
            random_state=0,
            quick=False,
            positive=True,
            intervals=intervals,
        )
    min_train = _min_train(lineup, sp, fh_max, intervals=intervals)
    return _auto_folds(n_points, fh_max, min_train), min_train


def _expanding_splitter(n_points, steps, n_folds, min_train):
    """Return the default folds: the last ``n_folds`` origins, ``max(fh)`` apart.

    ``min_train``: the fewest points the line-up trains on (:func:`_min_train`).
    """
    from sktime.forecasting.base import ForecastingHorizon
    from sktime.split import ExpandingWindowSplitter

    fh_max = int(steps.max())
    needed = min_train + (n_folds - 1) * fh_max + fh_max
    if n_points < needed:
        fewer = "fewer folds, " if n_folds > 1 else ""
        raise ValueError(
            f"y has {n_points} points; {n_folds} fold(s) with fh up to {fh_max} "
            f"need at least {needed}: {min_train} to train on before the "
            f"first origin (the models' minimum, including the networks' "
            f"input window) + {n_folds} x {fh_max} to test. Use {fewer}"
            "a shorter fh, or a longer series."
        )
    return ExpandingWindowSplitter(
        fh=ForecastingHorizon(steps, is_relative=True),
        initial_window=n_points - (n_folds - 1) * fh_max - fh_max,
        step_length=fh_max,
    )


def _fold_rows(name, result, scoring, levels, intervals, index, sp=1):
    """Return one row of ``folds`` per fold of sktime's ``evaluate`` result.

    ``levels``: the coverages of the interval columns, NaN unless the model
    made ``intervals``; ``index``: the time labels of ``y`` (``evaluate`` ran
    on positions); ``sp``: the seasonal period of MASE's scale.
    """
    mase = scoring[0]
    rows = []
    for fold, rec in enumerate(result.itertuples(index=False)):
        y_train, y_test = rec.y_train, rec.y_test
        y_pred = rec.y_pred.reindex(y_test.index)
        naive = pd.Series(float(y_train.iloc[-1]), index=y_test.index, name=y_test.name)
        spread = np.abs(y_test - naive).sum()
        rows.append(
            {
                "model": name,
                "fold": fold,
                "cutoff": index[int(y_train.index[-1])],
                "n_train": len(y_train),
                "MASE": getattr(rec, f"test_{type(scoring[0]).__name__}"),
                "sMAPE": getattr(rec, f"test_{type(scoring[1]).__name__}"),
                "RMSE": getattr(rec, f"test_{type(scoring[2]).__name__}"),
                "MASE_naive": mase(y_test, naive, y_train=y_train),
                "naive_error": spread,
                "persistence": (
                    np.abs(y_pred - naive).sum() / spread if spread > 0 else np.nan
                ),
                **(
                    _interval_scores(
                        name, y_test, y_train, rec.y_pred_interval, levels, sp
                    )
                    if intervals
                    else dict.fromkeys(_interval_columns(levels), np.nan)
                ),
                "fit_s": rec.fit_time,
                "predict_s": rec.pred_time,
            }
        )
    return rows


def _interval_scores(name, y_test, y_train, bounds, levels, sp) -> dict:
    """Coverage and MSIS of every level of ``bounds``, and the SPL of them all.

    ``bounds``: the fold's ``predict_interval`` frame. MSIS and SPL are scaled
    by the in-sample seasonal naive error of ``y_train``, as MASE is; the SPL
    averages the pinball loss over the quantiles of every bound. A fold they
    cannot be scored on (crossed bounds, a training window of ``sp`` points
    or fewer) gets NaN, with a warning that says why.
    """
    from skrnn.metrics import mean_scaled_interval_score, scaled_pinball_loss

    scores = {
        _coverage_column(level): _empirical_coverage(y_test, bounds, level)
        for level in levels
    }
    found = bounds.columns.get_level_values(1).astype(float)
    sides = bounds.columns.get_level_values(2)
    truth = y_test.to_numpy(dtype=float)
    quantiles, alphas = [], []
    try:
        for level in levels:
            at = np.isclose(found, level)
            lower = bounds.loc[y_test.index, at & (sides == "lower")]
            upper = bounds.loc[y_test.index, at & (sides == "upper")]
            lower = lower.to_numpy(dtype=float).ravel()
            upper = upper.to_numpy(dtype=float).ravel()
            scores[_msis_column(level)] = mean_scaled_interval_score(
                truth, lower, upper, y_train=y_train, coverage=level, sp=sp
            )
            quantiles += [lower, upper]
            alphas += [(1 - level) / 2, (1 + level) / 2]
        scores["SPL"] = scaled_pinball_loss(
            truth, np.column_stack(quantiles), alpha=alphas, y_train=y_train, sp=sp
        )
    except ValueError as exc:
        warnings.warn(
            f"The intervals of {name} could not be scored on the fold ending at "
            f"position {int(y_train.index[-1])} (MSIS and SPL are NaN): {exc}",
            UserWarning,
            stacklevel=2,
        )
        scores.update({_msis_column(level): np.nan for level in levels})
        scores["SPL"] = np.nan
    return scores


def _empirical_coverage(y_test, bounds, level: float) -> float:
    """Share of ``y_test`` inside the ``level`` interval of ``bounds``.

    ``bounds`` is a ``predict_interval`` frame that may hold several levels;
    sktime's ``EmpiricalCoverage`` scores the one asked (ends included).
    """
    from sktime.performance_metrics.forecasting.probabilistic import (
        EmpiricalCoverage,
    )

    at = np.isclose(bounds.columns.get_level_values(1).astype(float), level)
    return float(EmpiricalCoverage()(y_test, bounds.loc[y_test.index, at]))


def _leaderboard(
    folds: pd.DataFrame,
    names: list,
    errors: dict,
    levels: tuple = (),
    settings: dict | None = None,
) -> pd.DataFrame:
    """Aggregate the per-fold table into the ranked leaderboard."""
    grouped = folds.groupby("model", sort=False)
    board = pd.DataFrame(index=pd.Index(names, name="model"))
    for metric in _METRICS:
        board[metric] = grouped[metric].mean()
        board[f"{metric}_std"] = grouped[metric].std(ddof=1)
    board["skill_vs_naive"] = 1.0 - board["MASE"] / grouped["MASE_naive"].mean()
    # pooled over folds: sum |forecast - naive| / sum |truth - naive|
    moved = folds["persistence"] * folds["naive_error"]
    board["persistence"] = moved.groupby(folds["model"]).sum(min_count=1) / (
        folds["naive_error"].where(moved.notna()).groupby(folds["model"]).sum()
    )
    for column in _interval_columns(levels):
        board[column] = grouped[column].mean()
    repeats = (board["persistence"] < _PERSISTENCE_THRESHOLD) & (
        board["skill_vs_naive"] < _SKILL_THRESHOLD
    )
    board["flag"] = np.where(
        repeats,
        "≈ naive",
        np.where(board["skill_vs_naive"] < 0, "worse than naive", ""),
    )
    # the naive forecast is the reference of both, not a model to warn about
    board.loc[board.index == "naive", "flag"] = ""
    board.loc[board.index.isin(list(errors)), "flag"] = "failed"
    board["fit_s"] = grouped["fit_s"].mean()
    board["predict_s"] = grouped["predict_s"].mean()
    board["settings"] = pd.Series(settings or {}, dtype=object).reindex(board.index)
    board["settings"] = board["settings"].fillna("")
    # a stable sort keeps the line-up order among ties (naive and a copy of it)
    return board.sort_values("MASE", kind="stable", na_position="last")


# how the leaderboard names a network's window_norm_ ("last" is the rule)
_NORMS = {
    "last": "",
    None: ", level kept",
    "mean": ", window mean",
    "last+level": ", level input",
}


def _settings(forecaster) -> str:
    """Describe what a fitted model read and chose: window, strategy, levels, mix.

    For skrnn's networks (both of a seasonal pair, where they differ) and
    sktime's reductions of a scikit-learn regressor; a combination shows its
    members'; "" for models without a window.
    """
    from skrnn.sktime import SktimeRecurrentForecaster

    if isinstance(forecaster, SktimeRecurrentForecaster):
        parts = forecaster.members_ or [forecaster]
        if all(part.random_walk_ for part in parts):
            return "last value (random walk)"
        return " / ".join(
            dict.fromkeys(
                f"window {p.window_length_}, {p.strategy_}{_NORMS[p.window_norm_]}"
                + (f", {p.naive_weight_:.0%} seasonal naive" if p.naive_weight_ else "")
                for p in parts
            )
        )
    window = getattr(forecaster, "window_length_", None)
    # sktime's reductions (NaiveForecaster has a window_length_ of its own)
    reduction = type(forecaster).__module__.startswith("sktime.forecasting.compose")
    if reduction and isinstance(window, numbers.Integral):
        kind = type(forecaster).__name__
        strategy = next(
            (s for s in ("recursive", "direct", "multioutput") if s in kind.lower()),
            "",
        )
        return f"window {window}" + (f", {strategy}" if strategy else "")
    members = getattr(forecaster, "forecasters_", None)
    if isinstance(members, list):
        return "; ".join(text for _, member in members if (text := _settings(member)))
    return ""


def _progress(lineup: dict, enabled: bool):
    """Return a tqdm bar over the models, or a silent stand-in when disabled."""
    if enabled:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional: no bar
            pass
        else:
            return tqdm(total=len(lineup), desc="backtest", unit="model", leave=False)

    class _Silent:
        def set_postfix_str(self, *args, **kwargs):
            pass

        def update(self, *args, **kwargs):
            pass

        def close(self):
            pass

    return _Silent()
