"""Tests of the backtest of skrnn.compare: folds, scores, flags, warnings, checks.

The package has one public module; its tests follow its private modules:
this file the backtest through ``compare_forecasters`` (``_backtest``,
``_checks``, ``_folds``, ``_scoring``), ``test_compare_registry.py`` the
models a line-up holds (``_registry``, ``_lineup``), ``test_compare_result.py``
``ComparisonResult`` (``_result``); the figures are in ``test_plotting.py``.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

sktime = pytest.importorskip("sktime")

from packaging.version import Version  # noqa: E402 - a dependency of sktime
from sktime.forecasting.model_evaluation import evaluate  # noqa: E402
from sktime.forecasting.naive import NaiveForecaster  # noqa: E402
from sktime.performance_metrics.forecasting import (  # noqa: E402
    MeanAbsolutePercentageError,
    MeanAbsoluteScaledError,
    MeanSquaredError,
)
from sktime.split import ExpandingWindowSplitter  # noqa: E402

from skrnn import LSTMForecaster  # noqa: E402
from skrnn.compare import ComparisonResult, compare_forecasters  # noqa: E402
from skrnn.datasets import make_sine_series  # noqa: E402
from tests.conftest import FAST  # noqa: E402

# sktime 1.2 warns about a future config default on every forecaster built here
pytestmark = pytest.mark.filterwarnings("ignore:.*remember_data:FutureWarning")

TINY_LSTM = LSTMForecaster(**{**FAST, "hidden_size": 4})


@pytest.fixture(scope="module")
def sine():
    return make_sine_series(n_timepoints=80, period=10.0, random_state=0)


def test_naive_rows_equal_sktime_evaluate_on_the_same_folds(airline, airline_naive):
    # the folds the leaderboard promises: the last 2 origins, 12 steps apart
    cv = ExpandingWindowSplitter(
        fh=np.arange(1, 13), initial_window=len(airline) - 24, step_length=12
    )
    scoring = [
        MeanAbsoluteScaledError(sp=12),
        MeanAbsolutePercentageError(symmetric=True),
        MeanSquaredError(square_root=True),
    ]
    for name, expected_model in [
        ("naive", NaiveForecaster("last")),
        ("snaive", NaiveForecaster("last", sp=12)),
    ]:
        expected = evaluate(expected_model, cv, airline, scoring=scoring)
        row = airline_naive.leaderboard.loc[name]
        for metric, column in zip(
            ["MASE", "sMAPE", "RMSE"], expected.columns[:3], strict=True
        ):
            assert row[metric] == pytest.approx(expected[column].mean(), rel=1e-12)
            assert row[f"{metric}_std"] == pytest.approx(
                expected[column].std(ddof=1), rel=1e-12
            )


def test_naive_forecast_is_the_last_training_value(airline, airline_naive):
    forecast = airline_naive.forecasts["naive"]
    assert forecast.index.equals(airline.index[-12:])
    np.testing.assert_array_equal(forecast.to_numpy(), airline.iloc[-13])
    # seasonal naive repeats the last season before the cutoff
    np.testing.assert_array_equal(
        airline_naive.forecasts["snaive"].to_numpy(), airline.iloc[-24:-12].to_numpy()
    )


def test_mase_by_hand_on_the_last_fold(airline, airline_naive):
    train, test = airline.iloc[:-12], airline.iloc[-12:]
    scale = np.mean(np.abs(train.to_numpy()[12:] - train.to_numpy()[:-12]))
    mase = np.mean(np.abs(test.to_numpy() - train.iloc[-1])) / scale
    folds = airline_naive.folds
    last = folds[(folds["model"] == "naive") & (folds["fold"] == 1)]
    assert last["MASE"].item() == pytest.approx(mase)
    assert last["cutoff"].item() == airline.index[-13]


def test_leaderboard_columns_and_sorting(airline_naive):
    board = airline_naive.leaderboard
    assert isinstance(airline_naive, ComparisonResult)
    assert board.index.name == "model"
    assert list(board.columns) == [
        "MASE",
        "MASE_std",
        "sMAPE",
        "sMAPE_std",
        "RMSE",
        "RMSE_std",
        "skill_vs_naive",
        "persistence",
        "flag",
        "fit_s",
        "predict_s",
        "settings",
    ]
    assert (board["settings"] == "").all()  # classical models: no window
    assert board["MASE"].is_monotonic_increasing
    assert (board[["fit_s", "predict_s"]] >= 0).all().all()
    assert len(airline_naive.folds) == 2 * 2
    assert airline_naive.seasonal_period == 12
    np.testing.assert_array_equal(airline_naive.fh, np.arange(1, 13))


def test_skill_of_naive_is_exactly_zero(airline_naive):
    board = airline_naive.leaderboard
    assert board.loc["naive", "skill_vs_naive"] == 0.0
    assert board.loc["naive", "persistence"] == 0.0
    assert board.loc["naive", "flag"] == ""  # the reference, not a copy of it
    # skill is 1 - MASE / MASE_naive, both means over folds
    expected = 1 - board.loc["snaive", "MASE"] / board.loc["naive", "MASE"]
    assert board.loc["snaive", "skill_vs_naive"] == pytest.approx(expected)
    assert board.loc["snaive", "skill_vs_naive"] > 0


def test_a_copy_of_naive_is_flagged(airline):
    result = compare_forecasters(
        airline,
        {"copycat": NaiveForecaster("last"), "seasonal": "snaive"},
        fh=12,
        seasonal_period=12,
        n_folds=2,
    )
    board = result.leaderboard
    assert "naive" not in board.index  # the baseline needs no naive row
    assert board.loc["copycat", "flag"] == "≈ naive"
    assert board.loc["copycat", "skill_vs_naive"] == pytest.approx(0.0)
    assert board.loc["copycat", "persistence"] == 0.0
    assert board.loc["seasonal", "flag"] == ""


def test_a_model_worse_than_naive_is_flagged_so():
    # on a steady trend the mean of the history lags far behind the last value
    y = pd.Series(np.arange(60.0) + np.sin(np.arange(60.0)))
    result = compare_forecasters(y, ["naive", NaiveForecaster("mean")], fh=5, n_folds=2)
    row = result.leaderboard.loc["NaiveForecaster"]
    assert row["skill_vs_naive"] < 0
    assert row["persistence"] > 1
    assert row["flag"] == "worse than naive"
    assert result.leaderboard.index.tolist() == ["naive", "NaiveForecaster"]


def test_persistence_pools_the_folds():
    # one-step folds: the drift forecaster moves by the mean past change every
    # time, and the truth barely moves in one fold; a per-fold ratio would
    # explode there, the pooled ratio stays the moves' ratio
    steps = np.concatenate([np.ones(17), [2.0, 0.01, 2.0]])
    y = pd.Series(np.concatenate([[0.0], np.cumsum(steps)]))
    result = compare_forecasters(
        y, ["naive", NaiveForecaster("drift")], fh=1, n_folds=3
    )
    moved, truth = [], []
    for cutoff in (17, 18, 19):  # the last training point of each fold
        moved.append(y[cutoff] / cutoff)  # drift: the mean change so far
        truth.append(abs(y[cutoff + 1] - y[cutoff]))
    pooled = sum(moved) / sum(truth)
    per_fold = np.mean(np.divide(moved, truth))
    assert per_fold > 2 * pooled  # the two really differ here
    assert result.leaderboard.loc["NaiveForecaster", "persistence"] == (
        pytest.approx(pooled)
    )
    np.testing.assert_allclose(result.folds["naive_error"].iloc[-3:], truth)


def test_irregular_dates_are_backtested_on_positions():
    index = pd.bdate_range("2020-01-01", periods=70).delete([5, 20, 33])
    y = pd.Series(np.arange(67, dtype=float) ** 0.5, index=index, name="close")
    result = compare_forecasters(y, ["naive"], fh=3, n_folds=2)
    assert result.forecasts.index.equals(y.index[-3:])
    assert result.folds["cutoff"].tolist() == [y.index[-7], y.index[-4]]
    assert result.y.index.equals(y.index)


def test_a_failing_model_is_reported_not_fatal(sine):
    class Broken(NaiveForecaster):
        def _fit(self, y, X=None, fh=None):
            raise RuntimeError("boom")

    with pytest.warns(UserWarning, match="Broken failed"):
        result = compare_forecasters(sine, ["naive", Broken()], fh=3, n_folds=2)
    assert result.leaderboard.index[-1] == "Broken"
    assert result.leaderboard.loc["Broken", "flag"] == "failed"
    assert "boom" in result.errors["Broken"]


class _Shaky(NaiveForecaster):
    """Naive forecaster that warns at every fit, as statsforecast's ARIMA does."""

    def _fit(self, y, X=None, fh=None):
        warnings.warn("possible convergence problem", UserWarning, stacklevel=2)
        warnings.warn(f"fitted on {len(y)} points", RuntimeWarning, stacklevel=2)
        return super()._fit(y, X=X, fh=fh)


def _recorded(function, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function(*args, **kwargs)
    return [(w.category, str(w.message)) for w in caught]


def test_repeated_warnings_are_summed_up_once_per_message(sine):
    cv = ExpandingWindowSplitter(fh=[1, 2, 3], initial_window=71, step_length=3)
    before = _recorded(evaluate, _Shaky(), cv, sine)
    assert before.count((UserWarning, "possible convergence problem")) == 3
    after = _recorded(compare_forecasters, sine, [("shaky", _Shaky())], fh=3, n_folds=3)
    assert after == [
        (
            UserWarning,
            "possible convergence problem (3 times while backtesting shaky)",
        ),
        # distinct messages stay distinct
        (RuntimeWarning, "fitted on 71 points (1 time while backtesting shaky)"),
        (RuntimeWarning, "fitted on 74 points (1 time while backtesting shaky)"),
        (RuntimeWarning, "fitted on 77 points (1 time while backtesting shaky)"),
    ]


def test_a_warning_of_several_models_is_warned_once_naming_them(sine):
    models = [("a", _Shaky()), "naive", ("b", _Shaky())]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compare_forecasters(sine, models, fh=3, n_folds=3)
    both = "backtesting a and b"
    assert [(w.category, str(w.message)) for w in caught] == [
        # 3 folds x 2 models
        (
            UserWarning,
            f"possible convergence problem (6 times while {both})",
        ),
        *[
            (RuntimeWarning, f"fitted on {n} points (2 times while {both})")
            for n in (71, 74, 77)
        ],
    ]
    # from the caller's line, not from inside sktime or skrnn
    assert {w.filename for w in caught} == {__file__}


def test_sktime_remember_data_warnings_are_dropped_and_filters_kept(sine):
    cv = ExpandingWindowSplitter(fh=[1, 2, 3], initial_window=71, step_length=3)

    def remember_data(records):
        return [text for _, text in records if "remember_data" in text]

    if Version(sktime.__version__) < Version("1.3"):
        # one per clone, and evaluate clones at every fold
        assert len(remember_data(_recorded(evaluate, NaiveForecaster(), cv, sine))) >= 3
    filters, show = list(warnings.filters), warnings.showwarning
    models = ["naive", "theta", NaiveForecaster("mean"), TINY_LSTM]
    after = _recorded(compare_forecasters, sine, models, fh=3, n_folds=3)
    assert remember_data(after) == []
    assert warnings.filters == filters and warnings.showwarning is show


def test_the_callers_warning_filters_still_apply(sine):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", message="possible convergence")
        compare_forecasters(sine, [("shaky", _Shaky())], fh=3, n_folds=2)
    assert [str(w.message) for w in caught if w.category is UserWarning] == []
    # a warning the caller turns into an error fails the model, as without skrnn
    with pytest.warns(UserWarning, match="shaky failed.*possible convergence"):
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message="possible convergence")
            result = compare_forecasters(sine, [("shaky", _Shaky())], fh=3, n_folds=2)
    assert "possible convergence problem" in result.errors["shaky"]


def test_coverage_column_equals_a_hand_computation():
    from sklearn.linear_model import Ridge

    y = pd.Series(np.random.default_rng(3).normal(size=26).cumsum())
    result = compare_forecasters(
        y,
        ["naive", ("ridge", Ridge())],
        fh=3,
        n_folds=2,
        coverage=[0.9, 0.5],
    )
    hand = {0.5: [], 0.9: []}
    for cutoff in (20, 23):  # the last two origins, 3 steps apart
        train, test = y.iloc[:cutoff], y.iloc[cutoff : cutoff + 3].to_numpy()
        model = NaiveForecaster().fit(train, fh=[1, 2, 3])
        for level in hand:
            bounds = model.predict_interval(coverage=level).to_numpy()
            inside = (bounds[:, 0] <= test) & (test <= bounds[:, 1])
            hand[level].append(inside.mean())
    board = result.leaderboard
    assert result.coverage == (0.5, 0.9)
    assert board.columns[8:10].tolist() == ["coverage_50", "coverage_90"]
    assert board.loc["naive", "coverage_50"] == pytest.approx(np.mean(hand[0.5]))
    assert board.loc["naive", "coverage_90"] == pytest.approx(np.mean(hand[0.9]))
    assert 0 < board.loc["naive", "coverage_50"] < board.loc["naive", "coverage_90"]
    folds = result.folds.set_index(["model", "fold"])
    assert folds.loc[("naive", 1), "coverage_50"] == pytest.approx(hand[0.5][1])
    # a reduced regressor has no intervals
    assert board.loc["ridge", ["coverage_50", "coverage_90"]].isna().all()


def test_interval_scores_equal_a_hand_computation():
    from sklearn.linear_model import Ridge

    y = pd.Series(np.random.default_rng(3).normal(size=26).cumsum())
    levels = (0.5, 0.9)
    result = compare_forecasters(
        y,
        ["naive", "snaive", ("ridge", Ridge())],
        fh=3,
        n_folds=2,
        seasonal_period=2,
        coverage=list(levels),
    )
    msis, spl = {"naive": {0.5: [], 0.9: []}, "snaive": {0.5: [], 0.9: []}}, {}
    for name, model in (
        ("naive", NaiveForecaster()),
        ("snaive", NaiveForecaster(sp=2)),
    ):
        spl[name] = []
        for cutoff in (20, 23):
            train, test = y.iloc[:cutoff], y.iloc[cutoff : cutoff + 3].to_numpy()
            # MASE's scale: the in-sample error of the naive forecast one season back
            scale = np.abs(train.to_numpy()[2:] - train.to_numpy()[:-2]).mean()
            fitted = model.clone().fit(train, fh=[1, 2, 3])
            losses = []
            for level in levels:
                low, up = fitted.predict_interval(coverage=level).to_numpy().T
                a = 1 - level
                score = (up - low) + 2 / a * (
                    (low - test) * (test < low) + (test - up) * (test > up)
                )
                msis[name][level].append(score.mean() / scale)
                for q, tau in ((low, a / 2), (up, 1 - a / 2)):
                    diff = test - q
                    losses.append(np.where(diff >= 0, tau * diff, (tau - 1) * diff))
            spl[name].append(np.mean(losses) / scale)
    board = result.leaderboard
    assert board.columns[8:13].tolist() == [
        "coverage_50",
        "coverage_90",
        "MSIS_50",
        "MSIS_90",
        "SPL",
    ]
    for name in ("naive", "snaive"):
        for level in levels:
            column = f"MSIS_{100 * level:g}"
            assert board.loc[name, column] == pytest.approx(np.mean(msis[name][level]))
        assert board.loc[name, "SPL"] == pytest.approx(np.mean(spl[name]))
    folds = result.folds.set_index(["model", "fold"])
    assert folds.loc[("snaive", 0), "MSIS_90"] == pytest.approx(msis["snaive"][0.9][0])
    # wider intervals are penalized less often but cost their width
    assert board.loc["naive", "MSIS_90"] > 0 and board.loc["naive", "SPL"] > 0
    # a reduced regressor has no intervals: NaN, not an error
    assert board.loc["ridge", ["MSIS_50", "MSIS_90", "SPL"]].isna().all()
    assert "ridge" not in result.errors
    assert "MSIS_90" in result.to_string() and "SPL" in result.to_markdown_table()


def test_networks_get_calibrated_intervals_when_coverage_is_asked(sine):
    result = compare_forecasters(
        sine, ["naive", ("lstm", TINY_LSTM)], fh=3, n_folds=2, coverage=0.8
    )
    assert result.errors == {}
    assert 0 <= result.leaderboard.loc["lstm", "coverage_80"] <= 1
    # the conformal intervals are scored like the classical models' own
    scores = result.leaderboard.loc["lstm", ["MSIS_80", "SPL"]].astype(float)
    assert np.isfinite(scores).all() and (scores > 0).all()
    # without coverage, no second network is trained for intervals
    from skrnn.compare._registry import FaceOptions, as_forecaster

    point = as_forecaster(TINY_LSTM, sp=1, fh_max=3)
    assert not point.get_tag("capability:pred_int")
    face = FaceOptions(intervals=True)
    calibrated = as_forecaster(TINY_LSTM, sp=1, fh_max=3, face=face)
    assert calibrated.get_params()["calibration_fraction"] == 0.2


def test_calibrated_networks_need_a_longer_first_window():
    # integer positions: no seasonal period from the dates
    y = make_sine_series(n_timepoints=50, random_state=0).reset_index(drop=True)
    # window 8 (a one-step network's, at least 8): 8 + 12 + 8 = 28 points train
    # a point network; the calibrator needs 12 more held out: 8 + 2 x 12 + 8 = 40
    with pytest.raises(ValueError, match=r"need at least 52: 40 to train on"):
        compare_forecasters(y, ["lstm"], fh=12, n_folds=1, coverage=0.8)
    with pytest.raises(ValueError, match=r"need at least 40: 28 to train on"):
        compare_forecasters(y.iloc[:39], ["lstm"], fh=12, n_folds=1)


@pytest.mark.parametrize("coverage", [1.2, 0, 1, [0.8, -0.1], True, "0.8", []])
def test_bad_coverage_is_rejected(sine, coverage):
    with pytest.raises(ValueError, match="coverage must be a float or a list"):
        compare_forecasters(sine, ["naive"], fh=3, coverage=coverage)


def test_too_short_series_says_how_many_points_are_needed():
    y = make_sine_series(n_timepoints=30, random_state=0).reset_index(drop=True)
    # the LSTM's window is max(8, 1.25 x sp) = 8; it needs 8 + 12 (fh) + 8
    # samples to train on, then 3 folds x 12 test points: 28 + 36 = 64
    with pytest.raises(ValueError, match=r"y has 30 points.*need at least 64: 28"):
        compare_forecasters(y, ["naive", "lstm"], fh=12, n_folds=3)


def test_default_folds_are_as_many_as_fit_with_a_warning():
    y = pd.Series(np.arange(30.0))  # integer positions, no season in the values
    # naive trains on 3 points; 3 folds of 12 need 3 + 36 = 39, 2 need 27
    with pytest.warns(UserWarning, match=r"y has 30 points.*uses 2, not 3"):
        result = compare_forecasters(y, ["naive"], fh=12)
    # the last two origins, 12 apart, the last fold ending on the last point
    assert result.folds["n_train"].tolist() == [6, 18]
    assert result.folds["cutoff"].tolist() == [5, 17]
    # a number given is kept
    with pytest.raises(ValueError, match=r"3 fold\(s\).*need at least 39"):
        compare_forecasters(y, ["naive"], fh=12, n_folds=3)
    # enough for three: no warning
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "n_folds='auto'", UserWarning)
        result = compare_forecasters(pd.Series(np.arange(39.0)), ["naive"], fh=12)
    assert result.folds["n_train"].tolist() == [3, 15, 27]
    # not even one fits: the one-fold error, without "fewer folds"
    with pytest.raises(ValueError, match=r"1 fold\(s\).*at least 15") as error:
        compare_forecasters(y.iloc[:14], ["naive"], fh=12)
    assert "fewer folds" not in str(error.value)


def test_nan_in_y_is_rejected(sine):
    y = sine.copy()
    y.iloc[7] = np.nan
    with pytest.raises(ValueError, match="1 missing or infinite value") as error:
        compare_forecasters(y, ["naive"], fh=3)
    # the remedy it suggests reads the past only
    assert "ffill()" in str(error.value) and "would see the future" in str(error.value)


def test_non_numeric_y_is_rejected():
    with pytest.raises(ValueError, match="y must be numeric; got dtype object"):
        compare_forecasters(pd.Series(["a"] * 50), ["naive"], fh=3)


@pytest.mark.parametrize(
    "freq, expected", [("MS", 12), ("QS", 4), (None, 12)], ids=["M", "Q", "int"]
)
def test_seasonal_period_comes_from_the_dates(freq, expected):
    values = make_sine_series(n_timepoints=60, period=12.0, random_state=0)
    index = (
        pd.RangeIndex(60)
        if freq is None
        else pd.date_range("2000", periods=60, freq=freq)
    )
    y = pd.Series(np.asarray(values), index=index)
    result = compare_forecasters(y, ["naive", "snaive"], fh=3, n_folds=1)
    assert result.seasonal_period == expected
    # the seasonal naive forecast repeats the last season of the training part
    train = y.to_numpy()[:-3]
    season = train[len(train) - expected :]
    np.testing.assert_allclose(
        result.forecasts["snaive"], [season[h % expected] for h in range(3)]
    )
    # an explicit period wins over the dates
    assert (
        compare_forecasters(y, ["naive"], fh=3, seasonal_period=2).seasonal_period == 2
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"fh": 0}, "fh must be"),
        ({"fh": [1.5, 2]}, "fh must be"),
        ({"n_folds": 0}, "n_folds must be"),
        ({"n_folds": "all"}, "n_folds must be a positive int or 'auto'"),
        ({"seasonal_period": 0}, "seasonal_period must be"),
    ],
)
def test_bad_arguments(sine, kwargs, match):
    with pytest.raises(ValueError, match=match):
        compare_forecasters(sine, ["naive"], **kwargs)


def test_custom_cv_is_used(sine):
    from sktime.split import SlidingWindowSplitter

    cv = SlidingWindowSplitter(fh=[1, 2], window_length=40, step_length=10)
    result = compare_forecasters(sine, ["naive"], cv=cv)
    assert len(result.folds) == cv.get_n_splits(sine)
    np.testing.assert_array_equal(result.fh, [1, 2])


def test_no_network_is_worse_than_naive_on_the_stock_exercise():
    # daily closes look like a random walk without drift: the networks say so
    # and forecast the last value, as "tomorrow = today" does
    from skrnn.datasets import load_dataset

    with pytest.warns(UserWarning, match="random walk without drift"):
        result = compare_forecasters(
            load_dataset("prices"), ["lstm", "gru", "rnn", "naive"], fh=1, n_folds=5
        )
    board = result.leaderboard
    for network in ["lstm", "gru", "rnn"]:
        assert board.loc[network, "MASE"] == pytest.approx(board.loc["naive", "MASE"])


def test_settings_say_what_window_and_strategy_each_model_used(airline):
    from sklearn.linear_model import Ridge

    y = airline.iloc[-72:]
    lstm = LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0)
    result = compare_forecasters(
        y, ["naive", lstm, Ridge()], fh=6, n_folds=1, seasonal_period=12
    )
    settings = result.leaderboard["settings"]
    # the network's window and the strategy it chose on held-out data
    # and the share of the seasonal naive forecast in its mix, where not 0
    assert re.fullmatch(
        r"window 15, (recursive|direct)(, (25|50|75|100)% seasonal naive)?",
        settings["LSTMForecaster"],
    )
    assert settings["Ridge"] == "window 15, recursive"  # 1.25 x 12
    assert settings["naive"] == ""
    assert "window 15" in result.to_string()


def test_settings_say_when_a_network_kept_the_level():
    rng = np.random.default_rng(0)
    x = np.zeros(150)
    for t in range(1, 150):
        x[t] = 0.6 * x[t - 1] + rng.standard_normal()  # reverts to its mean
    y = pd.Series(10 + x)
    lstm = LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0)
    result = compare_forecasters(
        y, [lstm], fh=3, n_folds=1, seasonal_period=1, random_walk=False
    )
    settings = result.leaderboard["settings"].iloc[0]
    assert settings.startswith("window 8, recursive, level kept")
