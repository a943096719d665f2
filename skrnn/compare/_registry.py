"""The models of a backtest: their names, and what a name or an object becomes."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from dataclasses import dataclass, replace

from skrnn.compare._checks import check_seasonal_period

# sktime (an optional extra), torch (through skrnn.sktime and skrnn._base) and
# scikit-learn (with scipy, 1 s) are imported where they are used, so that
# ``import skrnn.compare``, which ``skrnn compare --help`` does to list the
# models, loads none of them.

#: Names accepted by ``compare_forecasters(forecasters=[...])`` and ``--models``.
FORECASTER_NAMES = ("lstm", "gru", "rnn", "naive", "snaive", "ets", "theta", "arima")

#: One line per name, for ``skrnn compare --help``.
DESCRIPTIONS = {
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

RECURRENT = {"lstm", "gru", "rnn"}
#: "lstm+ets": the mean of the forecasts of the models named around the "+"
COMBINE = "+"


@dataclass(frozen=True)
class FaceOptions:
    """What a backtest asks of every network it puts behind sktime's interface.

    One object carries the options of :func:`compare_forecasters` that
    concern the :class:`~skrnn.sktime.SktimeRecurrentForecaster` holding each
    network, from the backtest through the line-up, the names and the
    combinations to :func:`as_forecaster`; a new option is a field here and
    its face parameter in :meth:`params`, and no signature in between changes.

    Attributes
    ----------
    intervals : bool, default=False
        Calibrate conformal intervals (a second network per fit); without,
        point forecasts only (``calibration_fraction=0``).
    random_walk : {"auto", False}, default="auto"
        The face's ``random_walk``.
    """

    intervals: bool = False
    random_walk: object = "auto"

    def params(self) -> dict:
        """Return the face's keyword arguments these options stand for."""
        params = {"random_walk": self.random_walk}
        if not self.intervals:
            params["calibration_fraction"] = 0
        return params


#: Point forecasts, and the random-walk test on: what a bare name or object gets.
DEFAULT_FACE = FaceOptions()


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
    sp = check_seasonal_period(seasonal_period)
    names = [name for name in FORECASTER_NAMES if name != "snaive" or sp > 1]
    return [*names, DEFAULT_COMBINATION]


def normalize_name(name: str) -> str:
    """Return ``name`` in lower case, without spaces around a ``"+"``.

    Raise a ValueError unless it is a registry name or a combination of them.
    """
    parts = [part.strip().lower() for part in name.split(COMBINE)]
    if len(parts) == 1:
        if parts[0] not in FORECASTER_NAMES:
            raise ValueError(unknown_message(name))
        return parts[0]
    if "" in parts:
        raise ValueError(
            f"The combination {name!r} has an empty name around {COMBINE!r}: "
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
    return COMBINE.join(parts)


def unknown_message(name) -> str:
    """Say that ``name`` is no model name, and what is accepted instead."""
    return (
        f"Unknown forecaster {name!r}. Valid names: {', '.join(FORECASTER_NAMES)}, "
        f"and combinations of them joined by {COMBINE!r} (the mean of their "
        "forecasts, e.g. 'lstm+ets'); your own models are passed as objects "
        "(from the command line: --model NAME=MODULE:OBJECT): sktime "
        "forecasters, skrnn estimators, scikit-learn regressors or pipelines."
    )


def make_named(
    name: str,
    *,
    sp: int,
    random_state,
    quick: bool,
    positive: bool,
    face=DEFAULT_FACE,
):
    """Build the registry forecaster ``name`` (see ``FORECASTER_NAMES``).

    ``face``: the options of a network's face (:class:`FaceOptions`).
    """
    if name in RECURRENT:
        from skrnn.sktime import default_network

        return _wrap(default_network(name, random_state, quick), sp=sp, face=face)
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
    raise ValueError(unknown_message(name))


def make_combination(name: str, *, face=DEFAULT_FACE, **kwargs):
    """Build ``"lstm+ets"``: sktime's mean of the forecasts of its parts.

    The parts make point forecasts only (``EnsembleForecaster`` has no
    intervals), so a network part never trains a calibration network.
    """
    from sktime.forecasting.compose import EnsembleForecaster

    point = replace(face, intervals=False)
    return EnsembleForecaster(
        [
            (part, make_named(part, face=point, **kwargs))
            for part in name.split(COMBINE)
        ],
        aggfunc="mean",
    )


def _wrap(estimator, sp: int, face: FaceOptions):
    """Put a skrnn estimator behind sktime's forecaster interface.

    Without ``face.intervals``, point forecasts only: no second network is
    trained to calibrate intervals.
    """
    from skrnn.sktime import SktimeRecurrentForecaster

    return SktimeRecurrentForecaster(estimator=estimator, sp=sp, **face.params())


def as_forecaster(obj, *, sp: int, fh_max: int, face=DEFAULT_FACE):
    """Return an sktime forecaster for ``obj`` (a clone: ``obj`` is untouched).

    sktime forecasters are cloned; skrnn estimators are wrapped in
    :class:`~skrnn.sktime.SktimeRecurrentForecaster` with the options of
    ``face`` (:class:`FaceOptions`); other scikit-learn
    regressors (pipelines included) are reduced to forecasting by sktime's
    ``make_reduction`` on a window of lagged values.
    """
    from sklearn.base import clone
    from sktime.forecasting.base import BaseForecaster
    from sktime.forecasting.compose import make_reduction

    from skrnn._base import BaseWindowForecaster
    from skrnn.sktime import SktimeRecurrentForecaster, default_window_length

    check_model(obj)
    if isinstance(obj, BaseForecaster):
        forecaster = obj.clone()
        if isinstance(forecaster, SktimeRecurrentForecaster) and forecaster.sp is None:
            # the backtest runs on positions, where sp=None would infer 1
            forecaster.set_params(sp=sp)
        return forecaster
    if isinstance(obj, BaseWindowForecaster):
        return _wrap(clone(obj), sp=sp, face=face)
    # the networks' window: the regressor reads as much history as they do
    return make_reduction(
        clone(obj),
        window_length=default_window_length(sp, 1),
        strategy="recursive",
    )


def check_model(obj):
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


def label(obj) -> str:
    """Default leaderboard name of an object: its class, a pipeline's last step's."""
    from sklearn.pipeline import Pipeline

    return type(obj[-1] if isinstance(obj, Pipeline) else obj).__name__


def is_network(forecaster) -> bool:
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


def members(forecasters):
    """Yield ``forecasters`` with every ensemble replaced by its members."""
    for forecaster in forecasters:
        # sktime's EnsembleForecaster (a combination): a list of (name, model)
        parts = forecaster.get_params(deep=False).get("forecasters")
        if isinstance(parts, list):
            yield from members(part[1] for part in parts)
        else:
            yield forecaster


def network_kinds(lineup: dict) -> tuple:
    """Return the names of the line-up's networks and of its combinations with one.

    ``(recurrent, combined)``, as :class:`ComparisonResult` holds them.
    """
    recurrent = tuple(name for name, model in lineup.items() if is_network(model))
    combined = tuple(
        name
        for name, model in lineup.items()
        if not is_network(model) and any(map(is_network, members([model])))
    )
    return recurrent, combined
