"""Tests of the rolling-origin leaderboard (skrnn.compare) and its plots."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

sktime = pytest.importorskip("sktime")

from packaging.version import Version  # noqa: E402 - a dependency of sktime
from sktime.forecasting.base import BaseForecaster  # noqa: E402
from sktime.forecasting.model_evaluation import evaluate  # noqa: E402
from sktime.forecasting.naive import NaiveForecaster  # noqa: E402
from sktime.performance_metrics.forecasting import (  # noqa: E402
    MeanAbsolutePercentageError,
    MeanAbsoluteScaledError,
    MeanSquaredError,
)
from sktime.split import ExpandingWindowSplitter  # noqa: E402

from skrnn import GRUForecaster, LSTMForecaster  # noqa: E402
from skrnn.compare import (  # noqa: E402
    DEFAULT_COMBINATION,
    FORECASTER_NAMES,
    ComparisonResult,
    compare_forecasters,
)
from skrnn.datasets import load_airline, make_sine_series  # noqa: E402

# sktime 1.2 warns about a future config default on every forecaster built here
pytestmark = pytest.mark.filterwarnings("ignore:.*remember_data:FutureWarning")

TINY_LSTM = LSTMForecaster(hidden_size=4, max_epochs=3, random_state=0)


@pytest.fixture(scope="module")
def airline():
    return load_airline()


@pytest.fixture(scope="module")
def sine():
    return make_sine_series(n_timepoints=80, period=10.0, random_state=0)


@pytest.fixture(scope="module")
def airline_naive(airline):
    return compare_forecasters(
        airline, ["naive", "snaive"], fh=12, seasonal_period=12, n_folds=2
    )


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


def test_custom_forecasters_by_name_and_object(sine):
    result = compare_forecasters(
        sine,
        ["naive", TINY_LSTM, GRUForecaster(hidden_size=4, max_epochs=2), "theta"],
        fh=5,
        seasonal_period=10,
        n_folds=2,
    )
    board = result.leaderboard
    assert set(board.index) == {"naive", "LSTMForecaster", "GRUForecaster", "theta"}
    assert set(result.recurrent) == {"LSTMForecaster", "GRUForecaster"}
    assert board["MASE"].notna().all()
    assert result.forecasts.shape == (5, 4)
    # the user's estimator is cloned, never fitted itself
    assert not hasattr(TINY_LSTM, "net_")


def test_skrnn_estimators_are_wrapped_with_a_seasonal_window(sine):
    from skrnn.compare import _as_forecaster

    wrapped = _as_forecaster(TINY_LSTM, sp=10, fh_max=5)
    assert isinstance(wrapped, BaseForecaster)
    assert wrapped.get_params()["sp"] == 10
    assert wrapped.get_params()["window_length"] is None  # sized from sp and fh
    assert wrapped.get_params()["strategy"] == "auto"  # the face's default


def test_default_lineup_has_every_model_and_is_reproducible(airline):
    kwargs = dict(fh=6, seasonal_period=12, n_folds=1, quick=True, random_state=0)
    result = compare_forecasters(airline.iloc[-60:], **kwargs)
    assert set(result.leaderboard.index) == {*FORECASTER_NAMES, DEFAULT_COMBINATION}
    assert result.combined == (DEFAULT_COMBINATION,)
    assert result.errors == {}
    again = compare_forecasters(airline.iloc[-60:], ["lstm"], **kwargs)
    np.testing.assert_allclose(
        again.forecasts["lstm"].to_numpy(), result.forecasts["lstm"].to_numpy()
    )


def test_no_seasonal_naive_without_seasonality(sine):
    # the sine wave has daily dates: without a period they would give 7
    with pytest.warns(UserWarning, match="snaive with seasonal_period=1 is the naive"):
        result = compare_forecasters(
            sine, ["naive", "snaive", "theta"], fh=3, n_folds=2, seasonal_period=1
        )
    assert result.seasonal_period == 1
    from skrnn.compare import default_forecasters

    assert "snaive" not in default_forecasters(1)
    assert default_forecasters(12) == [*FORECASTER_NAMES, "lstm+ets"]
    assert result.leaderboard["MASE"].notna().all()


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
    from skrnn.compare import _as_forecaster

    point = _as_forecaster(TINY_LSTM, sp=1, fh_max=3)
    assert not point.get_tag("capability:pred_int")
    calibrated = _as_forecaster(TINY_LSTM, sp=1, fh_max=3, intervals=True)
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


def test_unknown_name_lists_the_valid_ones(sine):
    with pytest.raises(ValueError, match="Unknown forecaster 'prophet'.*lstm, gru"):
        compare_forecasters(sine, ["naive", "prophet"], fh=3)


def test_a_combination_is_the_mean_of_its_parts_on_every_fold(airline):
    result = compare_forecasters(
        airline,
        ["naive", "snaive", "naive+snaive"],
        fh=12,
        seasonal_period=12,
        n_folds=2,
    )
    forecasts = result.forecasts
    np.testing.assert_allclose(
        forecasts["naive+snaive"], (forecasts["naive"] + forecasts["snaive"]) / 2
    )
    # absolute errors of a mean are at most the mean of the errors, fold by fold
    folds = result.folds.set_index(["model", "fold"])["MASE"]
    for fold in (0, 1):
        parts = (folds["naive", fold] + folds["snaive", fold]) / 2
        assert folds["naive+snaive", fold] <= parts + 1e-12
    assert result.combined == ()  # no network inside: neither kind of row
    assert result.recurrent == ()


def test_a_combination_with_a_network_reuses_its_forecast_and_window(sine):
    from skrnn.compare import _make_combination, _make_named, _min_train

    kwargs = dict(fh=3, n_folds=1, quick=True, random_state=0)
    result = compare_forecasters(sine, ["lstm", "naive", "lstm+naive"], **kwargs)
    forecasts = result.forecasts
    # the same seed trains the same network inside the combination
    np.testing.assert_allclose(
        forecasts["lstm+naive"], (forecasts["lstm"] + forecasts["naive"]) / 2
    )
    assert result.recurrent == ("lstm",)
    assert result.combined == ("lstm+naive",)
    assert "Best combination: lstm+naive (rank" in result.summary()
    # the network's input window sets the shortest training series
    made = dict(sp=10, random_state=0, quick=True, positive=True)
    alone = {"lstm": _make_named("lstm", **made)}
    combined = {"mix": _make_combination("lstm+naive", **made)}
    assert _min_train(combined, 10, 12) == _min_train(alone, 10, 12) > 20


@pytest.mark.parametrize(
    "name, match",
    [
        ("lstm+prophet", "'lstm\\+prophet': 'prophet' is not a model name"),
        ("lstm+", "'lstm\\+' has an empty name around '\\+'"),
        ("lstm++ets", "empty name around"),
        ("ets+lstm+ets", "names a model twice"),
        ("prophet", "Unknown forecaster 'prophet'.*joined by '\\+'.*--model"),
    ],
)
def test_bad_combination_names(sine, name, match):
    with pytest.raises(ValueError, match=match):
        compare_forecasters(sine, [name], fh=3)


def _seasonal_naive():
    from sktime.forecasting.naive import NaiveForecaster

    return NaiveForecaster(sp=4)


def _ridge():
    from sklearn.linear_model import Ridge

    return Ridge()


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: ["naive", "Naive"], "The models name 'naive' twice"),
        (lambda: ["lstm+ets", "ets + LSTM"], "'ets\\+lstm' combines the same models"),
        # the reference row's name belongs to the naive forecast, even alone
        (lambda: ["naive", ("naive", _seasonal_naive())], "labels NaiveForecaster"),
        (lambda: [("Naive", _ridge()), "theta"], "'Naive' labels Ridge"),
        (lambda: {"naive": "theta", "theta": "naive"}, "'naive' labels 'theta'"),
        # nor one of the user's labels another object's class name
        (lambda: [("Ridge", _seasonal_naive()), _ridge()], "labelled 'Ridge'"),
        # a suggested label must not read as a combination
        (
            lambda: ["naive+theta", ("naive+theta", _ridge())],
            r"labelled 'naive\+theta'.*'my_naive_theta'",
        ),
    ],
)
def test_labels_name_one_row_each(sine, make, match):
    with pytest.raises(ValueError, match=match):
        compare_forecasters(sine, make(), fh=3)


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


def test_names_are_read_in_lower_case_without_spaces(sine):
    result = compare_forecasters(sine, ["Naive", " SNaive + naive "], fh=3)
    assert list(result.leaderboard.index.sort_values()) == ["naive", "snaive+naive"]
    result = compare_forecasters(sine, {"mine": "NAIVE+snaive"}, fh=3)
    assert result.forecasts.columns.tolist() == ["mine"]


def test_own_models_of_every_kind_join_the_leaderboard(sine):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sktime.forecasting.compose import make_reduction

    from skrnn.sktime import SktimeRecurrentForecaster

    ridge = make_pipeline(StandardScaler(), Ridge(alpha=0.1))
    face = SktimeRecurrentForecaster(TINY_LSTM, window_length=8, calibration_fraction=0)
    result = compare_forecasters(
        sine,
        [
            "naive",
            ("ridge", ridge),
            ("drift", NaiveForecaster("drift")),
            ("lstm", TINY_LSTM),
            ("lstm_face", face),
        ],
        fh=5,
        n_folds=2,
        seasonal_period=1,
    )
    board = result.leaderboard
    assert set(board.index) == {"naive", "ridge", "drift", "lstm", "lstm_face"}
    assert result.errors == {}
    assert board[["MASE", "skill_vs_naive", "persistence"]].notna().all().all()
    assert set(result.recurrent) == {"lstm", "lstm_face"}
    # on a clean sine wave a linear model of the lags beats "the last value"
    assert board.loc["ridge", "skill_vs_naive"] > 0.5
    assert board.loc["ridge", "persistence"] > 0.5
    assert board.loc["ridge", "flag"] == ""
    # the pipeline is reduced the way sktime does it, with the networks' window
    expected = (
        make_reduction(ridge, window_length=8, strategy="recursive")
        .fit(sine.iloc[:-5].reset_index(drop=True), fh=np.arange(1, 6))
        .predict()
    )
    np.testing.assert_allclose(
        result.forecasts["ridge"].to_numpy(), expected.to_numpy(), rtol=1e-10
    )
    assert not hasattr(ridge, "steps_") and not hasattr(ridge[-1], "coef_")


def test_own_sktime_face_with_its_default_window_and_season(sine):
    from skrnn.sktime import SktimeRecurrentForecaster

    face = SktimeRecurrentForecaster(TINY_LSTM, calibration_fraction=0)
    assert face.sp is None and face.window_length is None
    result = compare_forecasters(
        sine, ["naive", ("face", face)], fh=3, n_folds=2, seasonal_period=10
    )
    assert result.errors == {}
    assert np.isfinite(result.leaderboard.loc["face", "MASE"])
    # the backtest runs on positions: the face takes the leaderboard's season
    from skrnn.compare import _as_forecaster

    assert _as_forecaster(face, sp=10, fh_max=3).sp == 10 and face.sp is None


def test_networks_are_recognized_by_type_not_name():
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sktime.forecasting.compose import make_reduction

    from skrnn import WaveNetForecaster
    from skrnn.compare import _is_network, _resolve_lineup
    from skrnn.sktime import SktimeRecurrentForecaster

    class Renamed(SktimeRecurrentForecaster):
        pass

    lineup = _resolve_lineup(
        {
            "wavenet": WaveNetForecaster(),
            "subclass": Renamed(TINY_LSTM),
            "reduced": make_reduction(make_pipeline(StandardScaler(), TINY_LSTM)),
            "ridge": Ridge(),
            "naive": "naive",
        },
        sp=1,
        fh_max=3,
        random_state=0,
        quick=True,
        positive=True,
    )
    networks = {name for name, model in lineup.items() if _is_network(model)}
    assert networks == {"wavenet", "subclass", "reduced"}


def test_pipelines_are_named_after_their_last_step(sine):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(StandardScaler(), Ridge())
    result = compare_forecasters(sine, [pipe, Ridge()], fh=3, n_folds=1)
    assert set(result.leaderboard.index) == {"Ridge", "Ridge_2"}


@pytest.mark.parametrize(
    "model, match",
    [
        (
            "StandardScaler()",
            r"Cannot backtest StandardScaler: it is not a forecaster or a regressor"
            r".*sktime forecasters; skrnn estimators.*scikit-learn regressors or "
            r"pipelines",
        ),
        ("Ridge", r"Got the class Ridge, not an object: pass an instance, e.g. Ridge"),
        ("42", r"Cannot backtest int: it is not a forecaster or a regressor"),
    ],
)
def test_unsupported_object_says_what_is_accepted(sine, model, match):
    from sklearn.linear_model import Ridge  # noqa: F401 - used by eval
    from sklearn.preprocessing import StandardScaler  # noqa: F401 - used by eval

    with pytest.raises(TypeError, match=match):
        compare_forecasters(sine, ["naive", eval(model)], fh=3)


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


def test_text_table_and_summary(airline_naive):
    text = airline_naive.to_string().splitlines()
    assert text[0].split()[:3] == ["MASE", "MASE_std", "sMAPE"]
    assert [line.split()[0] for line in text[2:]] == ["snaive", "naive"]
    mase = airline_naive.leaderboard.loc["snaive", "MASE"]
    assert airline_naive.summary() == f"Best MASE: snaive ({mase:.3f})."


def test_summary_names_the_best_network_and_its_rival():
    board = pd.DataFrame(
        {
            "MASE": [0.5, 0.8, 1.0, np.nan],
            "persistence": [0.6, 0.1, 0.0, np.nan],
            "flag": ["", "≈ naive", "", ""],
        },
        index=pd.Index(["theta", "lstm", "naive", "gru"], name="model"),
    )
    result = ComparisonResult(
        board,
        pd.DataFrame(),
        pd.DataFrame(),
        pd.Series(dtype=float),
        np.array([1]),
        1,
        recurrent=("lstm", "gru"),
    )
    assert result.summary() == (
        "Best MASE: theta (0.500). Best network: lstm (rank 2), MASE 1.60x that "
        "of the best classical model theta. lstm mostly repeats the last value "
        "(flag '≈ naive')."
    )
    # a combination with a network is neither a network nor the classical rival
    result.leaderboard = board.rename(index={"theta": "lstm+theta"})
    result.combined = ("lstm+theta",)
    assert result.summary() == (
        "Best MASE: lstm+theta (0.500). Best network: lstm (rank 2), MASE 0.80x "
        "that of the best classical model naive. Best combination: lstm+theta "
        "(rank 1), MASE 0.50x that of the best classical model naive. lstm mostly "
        "repeats the last value (flag '≈ naive')."
    )
    # networks that trained none (a random walk) tie with naive and say why
    result.leaderboard = board.assign(
        MASE=[0.5, 1.0, 1.0, 1.0 + 1e-12], persistence=[0.6, 0.0, 0.0, 0.0]
    )
    result.combined = ()
    assert result.summary() == (
        "Best MASE: theta (0.500). Best network: lstm (rank 2), MASE 2.00x that "
        "of the best classical model theta. lstm and gru forecast the last value "
        "at every origin: the series looks like a random walk without drift, so "
        "they trained no network (see the warning; random_walk=False, or "
        "--always-train on the command line, trains one)."
    )
    result.leaderboard = result.leaderboard.drop(index="theta")
    assert result.summary().startswith("Best MASE: lstm, naive and gru tie (1.000).")


def test_repr_is_short_and_points_to_the_tables(airline_naive):
    text = repr(airline_naive)
    assert text == (
        "ComparisonResult(2 models, 2 folds, fh=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
        "11, 12], best='snaive'; see .leaderboard, .to_string(), .summary())"
    )


def test_markdown_table(airline_naive):
    lines = airline_naive.to_markdown_table().splitlines()
    assert lines[0].startswith("| model | MASE |")
    assert len(lines) == 2 + 2
    assert lines[2].startswith("| snaive |")


def test_plots(airline_naive, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skrnn.plotting import plot_forecasts, plot_leaderboard, plot_scores

    ax = plot_forecasts(airline_naive)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "actual" and set(labels[1:]) >= {"naive", "snaive"}
    ax = plot_scores(airline_naive, metric="RMSE")
    assert len(ax.patches) == 2
    # the dotted line at the naive forecast's score is explained
    (naive,) = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert naive.get_xdata()[0] == airline_naive.leaderboard.loc["naive", "RMSE"]
    assert ax.get_xlabel().endswith("dotted line: the naive forecast's score")
    with pytest.raises(ValueError, match="metric must be"):
        plot_scores(airline_naive, metric="R2")
    # colours by kind: a combination with a network is neither of the others
    kinds = ComparisonResult(
        **{**vars(airline_naive), "recurrent": ("snaive",), "combined": ("naive",)}
    )
    ax = plot_scores(kinds)
    colours = {
        label.get_text(): patch.get_facecolor()
        for label, patch in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert colours["snaive"] != colours["naive"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "recurrent network",
        "network + classical",
    ]
    # the legend covers no bar and no error bar, even with bars of one length
    equal = kinds.leaderboard.assign(MASE=1.0, MASE_std=0.2)
    for result in (kinds, ComparisonResult(**{**vars(kinds), "leaderboard": equal})):
        fig, ax = plt.subplots(figsize=(5, 3))
        plot_scores(result, ax=ax)
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        # bars, error-bar caps and the naive line; the error bars themselves
        # (a collection) have no window extent, only data limits
        boxes = [a.get_window_extent() for a in [*ax.patches, *ax.lines]]
        boxes += [
            ax.transData.transform_bbox(c.get_datalim(ax.transData))
            for c in ax.collections
        ]
        assert len(boxes) == 6
        assert not any(legend.overlaps(box) for box in boxes)
    path = tmp_path / "board.png"
    fig = plot_leaderboard(airline_naive, path=path)
    assert len(fig.axes) == 3 and path.stat().st_size > 1000
    plt.close("all")


def test_every_models_forecast_shows_in_the_leaderboard_figure(airline_naive):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    from skrnn.plotting import plot_forecasts, plot_leaderboard

    # three networks with one forecast (as on a random walk): drawn alike on
    # one axes, the last one drawn hid the others
    snaive = airline_naive.forecasts["snaive"]
    forecasts = airline_naive.forecasts.assign(lstm=snaive, gru=snaive, rnn=snaive)
    board = airline_naive.leaderboard
    networks = board.loc[["snaive"] * 3].set_axis(["lstm", "gru", "rnn"])
    result = ComparisonResult(
        **{
            **vars(airline_naive),
            "forecasts": forecasts[["lstm", "gru", "rnn", "naive", "snaive"]],
            "leaderboard": pd.concat([networks, board]),
            "recurrent": ("lstm", "gru", "rnn"),
        }
    )
    fig = plot_leaderboard(result)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
    height = image.shape[0]
    *panels, scores = fig.axes
    assert scores.get_title() == "MASE by model"
    # one panel per model, in the leaderboard's order, holding its forecast alone
    assert [ax.get_title().split()[0] for ax in panels] == list(
        result.leaderboard.index
    )
    for ax, name in zip(panels, result.leaderboard.index, strict=True):
        lines = [
            line for line in ax.get_lines() if not line.get_label().startswith("_")
        ]
        assert [line.get_label() for line in lines] == ["actual", name]
        np.testing.assert_array_equal(lines[1].get_ydata(), result.forecasts[name])
        # and its colour is on the panel's pixels
        box = ax.get_window_extent()
        rows = slice(int(height - box.y1), int(height - box.y0))
        cols = slice(int(box.x0), int(box.x1))
        colour = np.array(to_rgb(lines[1].get_color()))
        close = np.abs(image[rows, cols] - colour).max(axis=-1) < 0.05
        assert close.sum() > 50, name
    plt.close("all")
    # drawn together, each model has its own marker, and lines drawn earlier
    # are wider, so that they show around equal ones drawn over them
    ax = plot_forecasts(result)
    lines = [line for line in ax.get_lines() if line.get_label() in forecasts]
    assert len({line.get_marker() for line in lines}) == len(lines) == 5
    networks = [line.get_linewidth() for line in lines[:3]]
    assert networks == sorted(networks, reverse=True) and len(set(networks)) == 3
    plt.close("all")


def test_date_labels_of_the_forecast_panel_do_not_overlap():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skrnn.plotting import plot_leaderboard

    days = pd.date_range("2023-01-01", periods=240, freq="D")
    y = pd.Series(np.arange(240.0) % 7 + 10, index=days)
    result = compare_forecasters(y, ["naive", "snaive"], fh=7, n_folds=2)
    fig = plot_leaderboard(result)  # the figure skrnn compare --plot saves
    fig.canvas.draw()
    boxes = [
        label.get_window_extent()
        for label in fig.axes[0].get_xticklabels()
        if label.get_text()
    ]
    assert len(boxes) >= 3
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:], strict=False))
    plt.close("all")


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
    assert settings.startswith("window 8, recursive, level input")
