import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skrnn import (
    GRUForecaster,
    LagWindowTransformer,
    MovingAverageTransformer,
    make_supervised,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)


def _series(n, k=2):
    return arrays(np.float64, (n, k), elements=finite)


# ------------------------------------------------------------------ lag windows


@settings(max_examples=40, deadline=None)
@given(data=st.data(), n=st.integers(1, 40), window=st.integers(1, 8))
def test_lag_window_row_t_holds_rows_up_to_t(data, n, window):
    X = data.draw(_series(n))
    out = LagWindowTransformer(window_length=window).fit_transform(X)
    assert out.shape == (n, window, 2)
    for t in range(n):
        for step in range(window):
            source = t - window + 1 + step
            if source < 0:
                assert np.isnan(out[t, step]).all()
            else:
                np.testing.assert_array_equal(out[t, step], X[source])


@settings(max_examples=40, deadline=None)
@given(data=st.data(), n=st.integers(2, 40), window=st.integers(1, 6))
def test_changing_future_rows_never_changes_earlier_outputs(data, n, window):
    X = data.draw(_series(n))
    t = data.draw(st.integers(0, n - 2))
    changed = X.copy()
    changed[t + 1 :] = data.draw(_series(n - t - 1))
    for transformer in [
        LagWindowTransformer(window_length=window),
        LagWindowTransformer(window_length=window, flatten=True),
        MovingAverageTransformer(windows=(2, window)),
        MovingAverageTransformer(windows=(window,), kind="exponential"),
    ]:
        a = transformer.fit_transform(X)[: t + 1]
        b = transformer.fit_transform(changed)[: t + 1]
        np.testing.assert_array_equal(a, b)


def test_fitted_pipeline_predictions_do_not_depend_on_later_rows(prices):
    # the close first: windows shifted by their last close (window_norm="auto")
    X, y = make_supervised(prices[["Close", *prices.columns.drop("Close")]], "Close")
    pipe = make_pipeline(
        MovingAverageTransformer(columns=["Close"]),
        LagWindowTransformer(window_length=8),
        GRUForecaster(hidden_size=8, max_epochs=2, random_state=0),
    ).fit(X.iloc[:200], y.iloc[:200])
    future_changed = X.copy()
    future_changed.iloc[250:] *= 3.0
    np.testing.assert_array_equal(
        pipe.predict(X)[:250], pipe.predict(future_changed)[:250]
    )


def test_lag_windows_are_a_view_not_a_copy_per_window():
    X = np.random.default_rng(0).normal(size=(1000, 3))
    out = LagWindowTransformer(window_length=200).fit_transform(X)
    base = out
    while base.base is not None:
        base = base.base
    # one padded copy of the columns, not 1000 x 200 x 3 values
    assert base.nbytes == (1000 + 199) * 3 * 8
    assert not out.flags.writeable


def test_series_shorter_than_the_window_gets_windows_that_start_before_it():
    X = np.arange(1.0, 6.0)[:, None]
    out = LagWindowTransformer(window_length=8).fit_transform(X)
    assert out.shape == (5, 8, 1)
    assert np.isnan(out[:, :3]).all()  # before the series, in every window
    np.testing.assert_array_equal(out[-1, 3:, 0], X[:, 0])
    # a long window on many rows: up to twice the series
    long = np.arange(1500.0)[:, None]
    assert LagWindowTransformer(window_length=3000).fit_transform(long).shape == (
        1500,
        3000,
        1,
    )


def test_a_long_window_more_than_twice_the_series_is_refused_before_allocating():
    X = np.arange(600.0)[:, None]
    for length in [1201, 2**31]:
        tracemalloc.start()
        with pytest.raises(ValueError) as info:
            LagWindowTransformer(window_length=length).fit(X)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 2**20  # 2**31 steps of padding would be 16 GiB
        message = str(info.value)
        assert message.startswith(
            f"window_length={length} is more than twice the 600 samples (rows) of "
            "X: even the last window would be mostly NaN"
        )
        assert message.endswith(
            "Use a window_length of at most 600, the length of the series."
        )
    # a fitted window applies to fewer rows: the last few, to predict from
    lags = LagWindowTransformer(window_length=1200).fit(X)
    assert lags.transform(X[-2:]).shape == (2, 1200, 1)


def test_lag_window_2d_names_match_values(prices):
    lags = LagWindowTransformer(
        window_length=3, columns=["Close", "Volume"], flatten=True
    )
    out = lags.set_output(transform="pandas").fit_transform(prices)
    assert list(out.columns) == [
        "Close_lag2",
        "Volume_lag2",
        "Close_lag1",
        "Volume_lag1",
        "Close_lag0",
        "Volume_lag0",
    ]
    np.testing.assert_array_equal(out["Close_lag0"], prices["Close"])
    np.testing.assert_array_equal(out["Volume_lag2"].iloc[2:], prices["Volume"][:-2])
    assert out.index.equals(prices.index)


def test_fill_value_fills_the_steps_before_the_series_only():
    X = np.arange(1.0, 9.0)[:, None]
    X[5] = np.nan  # a gap in the data itself
    lags = LagWindowTransformer(window_length=3, flatten=True, fill_value=0.0)
    out = lags.fit_transform(X)
    np.testing.assert_array_equal(out[:3], [[0, 0, 1], [0, 1, 2], [1, 2, 3]])
    assert np.isnan(out).sum() == 3  # the gap, in the three windows that hold it
    # windows of a long table restart at each series with the same value
    table = np.column_stack([[0, 1, 0, 1], [1.0, 10.0, 2.0, 20.0]])
    grouped = LagWindowTransformer(window_length=2, group_column=0, fill_value=-1.0)
    np.testing.assert_array_equal(
        grouped.fit_transform(table)[..., 0], [[-1, 1], [-1, 10], [1, 2], [10, 20]]
    )


def test_lag_features_reach_ridge_filled_or_with_incomplete_rows_dropped(prices):
    close = prices[["Close"]]
    X, y = make_supervised(close, "Close")
    with pytest.raises(ValueError, match="NaN"):
        make_pipeline(LagWindowTransformer(window_length=5, flatten=True), Ridge()).fit(
            X, y
        )
    filled = make_pipeline(
        LagWindowTransformer(window_length=5, flatten=True, fill_value=0.0), Ridge()
    )
    assert np.isfinite(filled.fit(X, y).predict(X)).all()
    # the documented recipe: align the targets first, then drop incomplete rows
    lags = LagWindowTransformer(window_length=5, flatten=True).set_output(
        transform="pandas"
    )
    X, y = make_supervised(lags.fit_transform(close), close["Close"])
    complete = X.notna().all(axis=1)
    X, y = X[complete], y[complete]
    assert len(X) == len(close) - 1 - 4
    np.testing.assert_array_equal(X["Close_lag0"].to_numpy()[1:], y.to_numpy()[:-1])
    Ridge().fit(X, y)


def test_lag_window_keeps_float32():
    X = np.ones((10, 2), dtype=np.float32)
    assert LagWindowTransformer(window_length=3).fit_transform(X).dtype == np.float32
    assert MovingAverageTransformer().fit_transform(X).dtype == np.float32


def test_3d_output_has_no_column_names():
    lags = LagWindowTransformer(window_length=3).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match="3-D windows, which have no column names"):
        lags.get_feature_names_out()
    with pytest.raises(ValueError, match="flatten=True"):
        lags.set_output(transform="pandas").transform(np.ones((5, 1)))


# -------------------------------------------------------------- moving averages


def test_moving_averages_match_a_direct_computation(prices):
    close = prices["Close"].to_numpy()
    ma = MovingAverageTransformer(windows=(3, 5), columns=["Close"], min_periods=None)
    out = ma.set_output(transform="pandas").fit_transform(prices)
    assert list(out.columns)[-2:] == ["Close_ma3", "Close_ma5"]
    expected5 = np.convolve(close, np.ones(5) / 5, mode="valid")
    np.testing.assert_allclose(out["Close_ma5"].iloc[4:], expected5)
    assert out["Close_ma5"].iloc[:4].isna().all()
    early = MovingAverageTransformer(windows=(3,), columns=["Close"]).fit_transform(
        prices
    )
    np.testing.assert_allclose(early[:2, -1], [close[0], close[:2].mean()])


def test_exponential_average_follows_its_recursion():
    x = np.array([[1.0], [3.0], [2.0], [5.0], [4.0]])
    out = MovingAverageTransformer(windows=(3,), kind="exponential").fit_transform(x)
    weights = (1 - 2 / (3 + 1)) ** np.arange(5)[::-1]  # adjusted EWM, span 3
    assert np.isclose(out[-1, 1], np.sum(weights * x[:, 0]) / weights.sum())
    names = MovingAverageTransformer(windows=(3,), kind="exponential").fit(x)
    assert names.get_feature_names_out().tolist() == ["x0", "x0_ema3"]


@pytest.mark.parametrize("windows", [(), (0,), (2.5,), "abc"])
def test_bad_moving_average_windows(windows):
    with pytest.raises(ValueError, match="windows.* must be"):
        MovingAverageTransformer(windows=windows).fit(np.ones((5, 1)))


def test_missing_or_renamed_columns_are_clear_errors(prices):
    with pytest.raises(ValueError, match="'Adj_Close' is not in X"):
        LagWindowTransformer(columns=["Adj_Close"]).fit(prices)
    with pytest.raises(ValueError, match="no column names"):
        LagWindowTransformer(columns=["Close"]).fit(prices.to_numpy())
    lags = LagWindowTransformer(window_length=3, columns=["Close"]).fit(prices)
    with pytest.raises(ValueError, match="feature names should match"):
        lags.transform(prices.rename(columns={"Close": "close"}))


def test_selecting_averages_by_name_downstream_needs_pandas_output(prices):
    averages = MovingAverageTransformer(windows=(3,), columns=["Close"])
    lags = LagWindowTransformer(window_length=2, columns=["Close_ma3"], flatten=True)
    pipe = make_pipeline(averages, lags)
    # numpy between the steps (scikit-learn's default): the error names the fix
    with pytest.raises(ValueError, match=r"set_output\(transform='pandas'\)"):
        pipe.fit_transform(prices)
    with pytest.raises(ValueError, match=r"set_output\(transform='pandas'\)"):
        LagWindowTransformer(group_column="id").fit(prices.to_numpy())
    out = pipe.set_output(transform="pandas").fit_transform(prices)
    assert list(out.columns) == ["Close_ma3_lag1", "Close_ma3_lag0"]
    assert out.index.equals(prices.index)
    expected = prices["Close"].rolling(3, min_periods=1).mean()
    np.testing.assert_allclose(out["Close_ma3_lag0"], expected)
    # the same fix serves scikit-learn's own selection by name
    select = ColumnTransformer(
        [("keep", "passthrough", ["Close_ma3"])], verbose_feature_names_out=False
    )
    pipe = make_pipeline(
        MovingAverageTransformer(windows=(3,), columns=["Close"]), select
    )
    with pytest.raises(ValueError, match="only supported for dataframes"):
        pipe.fit_transform(prices)
    out = pipe.set_output(transform="pandas").fit_transform(prices)
    np.testing.assert_allclose(out["Close_ma3"], expected)


def test_unsorted_or_duplicated_time_index_is_rejected(prices):
    with pytest.raises(ValueError, match="not sorted by time"):
        LagWindowTransformer().fit(prices.iloc[::-1])
    dup = pd.concat([prices.iloc[:5], prices.iloc[4:10]])
    with pytest.raises(ValueError, match="duplicated time stamps"):
        MovingAverageTransformer().fit(dup)


# ------------------------------------------------------------- make_supervised


def test_make_supervised_aligns_future_targets(prices):
    X, y = make_supervised(prices, prices["Close"], horizon=1)
    assert len(X) == len(prices) - 1 and X.index.equals(y.index)
    np.testing.assert_array_equal(y.to_numpy(), prices["Close"].to_numpy()[1:])
    X2, Y = make_supervised(prices, "Close", horizon=[1, 2, 5])
    assert list(Y.columns) == ["Close_h1", "Close_h2", "Close_h5"]
    assert len(X2) == len(prices) - 5
    np.testing.assert_array_equal(Y["Close_h5"], prices["Close"].to_numpy()[5:])
    Xn, yn = make_supervised(np.arange(10.0)[:, None], np.arange(10.0), horizon=3)
    np.testing.assert_array_equal(yn, np.arange(3.0, 10.0))
    assert Xn.shape == (7, 1)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 30), data=st.data())
def test_make_supervised_targets_are_strictly_after_their_rows(n, data):
    horizons = data.draw(st.lists(st.integers(1, n - 1), min_size=1, max_size=3))
    X, Y = make_supervised(np.arange(n)[:, None], np.arange(n), horizon=horizons)
    assert np.all(Y > X)  # the value at time t is t: every target is later
    assert len(X) == n - max(horizons)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(horizon=0), "horizon must be a positive integer"),
        (dict(horizon=[1, -2]), "horizon must be a positive integer"),
        (dict(horizon=10), "too short for horizon 10"),
    ],
)
def test_make_supervised_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_supervised(np.ones((10, 1)), np.ones(10), **kwargs)


def test_make_supervised_refuses_polars_and_names_the_conversion():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"Close": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(TypeError, match=r"polars\.DataFrame.*X\.to_pandas\(\)"):
        make_supervised(frame, "Close")
    with pytest.raises(TypeError, match="polars"):  # was a bare array, names lost
        make_supervised(frame, np.arange(4.0))
    X, y = make_supervised(frame.to_pandas(), "Close")
    assert list(X.columns) == ["Close"] and y.tolist() == [2.0, 3.0, 4.0]


def test_make_supervised_length_and_column_errors(prices):
    with pytest.raises(ValueError, match="different lengths"):
        make_supervised(prices, prices["Close"].iloc[1:])
    with pytest.raises(ValueError, match="no column 'close'"):
        make_supervised(prices, "close")
