"""Tests of skrnn._validation and the estimators' input checks (everyday traps: a
table passed as windows, unusable devices, non-causal advice, constant targets)."""

import numpy as np
import pandas as pd
import pytest
import torch

from skrnn import (
    GRUForecaster,
    LagWindowTransformer,
    LSTMForecaster,
    RecurrentForecaster,
    WaveNetForecaster,
    make_supervised,
)
from skrnn.datasets import load_prices
from skrnn.persistence import load, save
from tests import conftest

FAST = {**conftest.FAST, "hidden_size": 4, "max_epochs": 1}


@pytest.fixture(scope="module")
def prices():
    return load_prices().iloc[:120]


# --------------------------------------------------- a table is not a window


def test_table_of_quantities_is_refused(prices):
    X, y = make_supervised(prices, prices["Close"], horizon=1)
    table = X[["Open", "High", "Low", "Close", "Volume"]]
    with pytest.raises(ValueError, match="not the time steps of a window") as info:
        LSTMForecaster(**FAST).fit(table, y)
    message = str(info.value)
    assert "LagWindowTransformer" in message and "to_numpy()" in message
    # The explicit opt-in: an array says "these columns are time steps".
    LSTMForecaster(**FAST).fit(table.to_numpy(), y)


@pytest.mark.filterwarnings("ignore:X has feature names")
def test_table_is_refused_at_predict_time_too(prices):
    table = prices[["Open", "High", "Low", "Close"]]
    model = LSTMForecaster(**FAST).fit(table.to_numpy(), prices["Close"])
    with pytest.raises(ValueError, match="not the time steps of a window"):
        model.predict(table)


@pytest.mark.parametrize(
    "columns",
    [
        ["Close_ma3", "Close_ma5"],  # two moving averages, not two steps
        ["Close"],  # one quantity, not a window
        ["Close_lag1", "Open_lag1", "Close_lag0", "Open_lag0"],  # n_features missing
    ],
)
def test_other_non_window_columns_are_refused(columns):
    X = pd.DataFrame(np.ones((6, len(columns))), columns=columns)
    with pytest.raises(ValueError, match="not the time steps of a window"):
        GRUForecaster(**FAST).fit(X, np.ones(6))


def test_lag_columns_are_windows(prices):
    lags = LagWindowTransformer(
        window_length=5, columns=["Close", "Volume"], flatten=True
    )
    X = lags.set_output(transform="pandas").fit_transform(prices).iloc[4:]
    model = LSTMForecaster(**FAST, n_features_per_step=2).fit(
        X, prices["Close"].iloc[4:]
    )
    assert model.n_steps_ == 5 and model.n_features_per_step_ == 2
    assert model.predict(X).shape == (len(X),)


@pytest.mark.parametrize(
    "columns, n_features",
    [
        ([f"col_{i}" for i in range(5)], None),  # scikit-learn's estimator checks
        ([f"x{i}" for i in range(5)], None),
        ([f"t{i}" for i in range(5, 0, -1)], None),
        (list(range(5)), None),  # positions, not names
        (["Open", "High", "Low", "Close", "Volume"], 5),  # one declared step
    ],
)
def test_step_numbered_columns_are_windows(columns, n_features):
    X = pd.DataFrame(np.random.default_rng(0).normal(size=(8, 5)), columns=columns)
    WaveNetForecaster(filters=2, max_epochs=1, n_features_per_step=n_features).fit(
        X, np.ones(8)
    )


# ---------------------------------------------- a 1-D X, numbers as text


@pytest.mark.parametrize("X", [np.arange(50.0), pd.Series(np.arange(50.0))])
def test_1d_x_says_how_to_build_windows_without_printing_it(X):
    with pytest.raises(ValueError) as info:
        LSTMForecaster(**FAST).fit(X, np.arange(50.0))
    message = str(info.value)
    assert message.startswith("X is 1-D (shape (50,)), but LSTMForecaster reads X")
    assert "X.reshape(-1, 1) for one value per row" in message
    assert "LagWindowTransformer(window_length=...)" in message
    # scikit-learn's message printed the array: array=[ 0.  1. ... 49.]
    assert "array=" not in message and "49." not in message


def test_1d_x_at_predict_time_keeps_sklearns_reshape_words():
    model = GRUForecaster(**FAST).fit(np.ones((4, 3)), np.ones(4))
    # "Reshape your data" is what check_fit2d_predict1d looks for
    with pytest.raises(
        ValueError, match=r"X is 1-D \(shape \(3,\)\).*Reshape your data"
    ):
        model.predict([1.0, 2.0, 3.0])


def test_numbers_stored_as_text_get_converting_advice_not_encoding():
    X = pd.DataFrame({"units": ["1,234", "12,500", "987"], "city": ["a", "b", "c"]})
    with pytest.raises(ValueError) as info:
        LagWindowTransformer(window_length=2).fit(X)
    message = str(info.value)
    assert message.startswith("X has non-numeric columns ['units', 'city'].")
    assert "['units'] hold numbers stored as text (such as '1,234')" in message
    assert "pd.to_numeric(X[column].str.replace(',', ''))" in message
    assert "pd.read_csv(..., thousands=',')" in message
    # real text still gets the advice to encode it, naming that column only
    assert "Encode ['city'] as numbers (for example with sklearn's OneHotEncoder)" in (
        message
    )
    plain = pd.DataFrame({"x0": ["1.5", "2"], "x1": ["3", "-4e2"]})
    with pytest.raises(ValueError) as info:
        LSTMForecaster(**FAST).fit(plain, np.ones(2))
    message = str(info.value)
    assert "['x0', 'x1'] hold numbers stored as text" in message
    assert "pd.to_numeric(X[column])." in message
    assert "OneHotEncoder" not in message and "thousands" not in message


@pytest.mark.parametrize(
    "values",
    [["1,5", "2,25"], ["12,34", "5"], ["north", "south"], ["1,234", "n/a"]],
    ids=["decimal comma", "not thousands", "words", "a word among numbers"],
)
def test_text_that_is_not_numbers_gets_the_encoding_advice(values):
    with pytest.raises(ValueError) as info:
        LagWindowTransformer(window_length=2).fit(pd.DataFrame({"c": values}))
    message = str(info.value)
    assert "Encode them as numbers" in message and "to_numeric" not in message


# ------------------------------------------------------------- devices


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present")
def test_cuda_without_cuda_says_what_to_do(monkeypatch):
    X, y = np.ones((4, 3)), np.ones(4)
    with pytest.raises(ValueError, match="device='cpu'") as info:
        LSTMForecaster(**FAST, device="cuda").fit(X, y)
    assert "CUDA" in str(info.value)
    # A CUDA build on a machine without a visible GPU.
    monkeypatch.setattr(torch.backends.cuda, "is_built", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="no CUDA device is available"):
        LSTMForecaster(**FAST, device="cuda:0").fit(X, y)


@pytest.mark.skipif(torch.backends.mps.is_available(), reason="MPS is present")
def test_mps_without_mps_says_what_to_do():
    with pytest.raises(ValueError, match="MPS.*device='cpu'"):
        LSTMForecaster(**FAST, device="mps").fit(np.ones((4, 3)), np.ones(4))


def test_misspelt_device_is_a_value_error():
    with pytest.raises(ValueError, match="'gpu' is not a torch device"):
        LSTMForecaster(**FAST, device="gpu").fit(np.ones((4, 3)), np.ones(4))


# ------------------------------------------------- advice that keeps time


def test_inf_and_gap_errors_suggest_causal_fixes():
    X = np.ones((6, 4, 1))
    X[2, 1, 0] = np.inf
    with pytest.raises(ValueError, match=r"X\[2, 1\] is inf") as info:
        LSTMForecaster(**FAST).fit(X, np.ones(6))
    assert "ffill()" in str(info.value) and "future" in str(info.value)
    X[2, 1, 0] = np.nan
    with pytest.raises(ValueError, match="from the past only"):
        LSTMForecaster(**FAST).fit(X, np.ones(6))


# ------------------------------------------------------ constant targets


@pytest.mark.parametrize("window_norm", ["auto", "last", "mean", None])
@pytest.mark.parametrize("scale", [True, False])
def test_constant_series_is_forecast_as_that_constant(window_norm, scale):
    series = np.full(60, 3.0)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 12)
    model = LSTMForecaster(max_epochs=2, window_norm=window_norm, scale=scale)
    pred = model.fit(X, series[12:]).predict(X)
    np.testing.assert_allclose(pred, 3.0, rtol=0, atol=1e-9)


def test_constant_with_leading_nan_windows_and_mean_levels():
    # Window means over fewer steps round differently: still a constant.
    series = pd.DataFrame({"v": np.full(40, 0.1)})
    X = LagWindowTransformer(window_length=7).fit_transform(series)
    model = GRUForecaster(**FAST, window_norm="mean").fit(X, np.full(40, 0.1))
    np.testing.assert_allclose(model.predict(X), 0.1, rtol=0, atol=1e-9)


def test_only_the_constant_outputs_are_fixed():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 6, 1))
    Y = np.column_stack([np.full(50, -2.5), X[:, -1, 0]])
    model = RecurrentForecaster(**FAST, window_norm=None).fit(X, Y)
    pred = model.predict(X)
    np.testing.assert_array_equal(pred[:, 0], -2.5)
    assert np.ptp(pred[:, 1]) > 0
    np.testing.assert_array_equal(model.y_constant_[0], -2.5)
    assert np.isnan(model.y_constant_[1])


def test_constant_per_step_targets():
    X = np.full((30, 5, 1), 4.0)
    model = LSTMForecaster(**FAST, output="sequence").fit(X, np.full((30, 5), 4.0))
    np.testing.assert_allclose(model.predict(X), 4.0, rtol=0, atol=1e-9)


def test_partial_fit_drops_a_constant_that_stops_being_one():
    X = np.random.default_rng(0).normal(size=(20, 4, 1))
    model = LSTMForecaster(**FAST, window_norm=None)
    model.partial_fit(X, np.full(20, 1.0))
    model.partial_fit(X, np.full(20, 1.0))
    np.testing.assert_array_equal(model.predict(X), 1.0)
    model.partial_fit(X, X[:, -1, 0])
    assert np.isnan(model.y_constant_).all()
    assert np.ptp(model.predict(X)) > 0


def test_constant_survives_save_and_load(tmp_path):
    series = np.full(30, 3.0)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 5)
    model = LSTMForecaster(**FAST).fit(X, series[5:])
    save(model, tmp_path / "m.pt")
    np.testing.assert_array_equal(load(tmp_path / "m.pt").predict(X), 3.0)
