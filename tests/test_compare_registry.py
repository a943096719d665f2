"""Tests of the models a backtest holds: names, combinations, objects, labels."""

import numpy as np
import pytest

sktime = pytest.importorskip("sktime")

from sktime.forecasting.base import BaseForecaster  # noqa: E402
from sktime.forecasting.naive import NaiveForecaster  # noqa: E402

from skrnn import GRUForecaster, LSTMForecaster  # noqa: E402
from skrnn.compare import (  # noqa: E402
    DEFAULT_COMBINATION,
    FORECASTER_NAMES,
    compare_forecasters,
)
from skrnn.datasets import make_sine_series  # noqa: E402
from tests.conftest import FAST  # noqa: E402

# sktime 1.2 warns about a future config default on every forecaster built here
pytestmark = pytest.mark.filterwarnings("ignore:.*remember_data:FutureWarning")

TINY_LSTM = LSTMForecaster(**{**FAST, "hidden_size": 4})


@pytest.fixture(scope="module")
def sine():
    return make_sine_series(n_timepoints=80, period=10.0, random_state=0)


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
    from skrnn.compare._registry import as_forecaster

    wrapped = as_forecaster(TINY_LSTM, sp=10, fh_max=5)
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
    from skrnn.compare._folds import min_train_of
    from skrnn.compare._registry import make_combination, make_named

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
    alone = {"lstm": make_named("lstm", **made)}
    combined = {"mix": make_combination("lstm+naive", **made)}
    assert min_train_of(combined, 10, 12) == min_train_of(alone, 10, 12) > 20


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
    from skrnn.compare._registry import as_forecaster

    assert as_forecaster(face, sp=10, fh_max=3).sp == 10 and face.sp is None


def test_networks_are_recognized_by_type_not_name():
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sktime.forecasting.compose import make_reduction

    from skrnn import WaveNetForecaster
    from skrnn.compare._lineup import resolve_lineup
    from skrnn.compare._registry import is_network
    from skrnn.sktime import SktimeRecurrentForecaster

    class Renamed(SktimeRecurrentForecaster):
        pass

    lineup = resolve_lineup(
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
    networks = {name for name, model in lineup.items() if is_network(model)}
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


def test_face_options_reach_every_network_of_the_lineup():
    from skrnn.compare._lineup import resolve_lineup
    from skrnn.compare._registry import FaceOptions

    lineup = resolve_lineup(
        ["lstm", ("mine", TINY_LSTM), "gru+naive"],
        sp=1,
        fh_max=3,
        random_state=0,
        quick=True,
        positive=True,
        face=FaceOptions(intervals=True, random_walk=False),
    )
    faces = [lineup["lstm"], lineup["mine"], lineup["gru+naive"].forecasters[0][1]]
    assert [face.random_walk for face in faces] == [False, False, False]
    # intervals: a calibration share where they are scored, none in a combination
    fractions = [face.calibration_fraction for face in faces]
    assert fractions[0] == fractions[1] > 0 and fractions[2] == 0
    # the default: point forecasts with the random-walk test
    plain = resolve_lineup(
        ["lstm"], sp=1, fh_max=3, random_state=0, quick=True, positive=True
    )["lstm"]
    assert plain.random_walk == "auto" and plain.calibration_fraction == 0
