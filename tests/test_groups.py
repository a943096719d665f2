"""Many series in one table: the group_column of the windowing transformers."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.pipeline import make_pipeline

from skrnn import LagWindowTransformer, LSTMForecaster, MovingAverageTransformer

_SETTINGS = settings(max_examples=40, deadline=None)


def _long_table(sizes, order_seed, n_columns=2):
    """Interleaved long table: one row per (series, step), rows shuffled across
    series but in time order within each; values encode (series, step)."""
    rng = np.random.default_rng(order_seed)
    labels = np.concatenate([np.full(size, g) for g, size in enumerate(sizes)])
    labels = labels[rng.permutation(len(labels))]
    steps = np.zeros(len(labels), dtype=int)
    for g in range(len(sizes)):
        steps[labels == g] = np.arange(sizes[g])
    data = {"series": np.array([f"s{g}" for g in labels], dtype=object)}
    for c in range(n_columns):
        # series g, step k, column c -> 1000 g + 10 k + c: readable and unique
        data[f"x{c}"] = 1000.0 * labels + 10.0 * steps + c
    return pd.DataFrame(data), labels


_groups = st.lists(st.integers(1, 12), min_size=1, max_size=4)


@_SETTINGS
@given(sizes=_groups, seed=st.integers(0, 1000), window=st.integers(1, 6))
def test_lag_windows_never_mix_series(sizes, seed, window):
    X, labels = _long_table(sizes, seed)
    out = LagWindowTransformer(
        window_length=window, group_column="series"
    ).fit_transform(X)
    assert out.shape == (len(X), window, 2)
    series_of_value = np.floor(out / 1000.0)
    observed = ~np.isnan(out)
    # every observed value of row i's window comes from row i's own series
    assert (
        series_of_value[observed]
        == np.broadcast_to(labels[:, None, None], out.shape)[observed]
    ).all()


@_SETTINGS
@given(
    sizes=_groups,
    seed=st.integers(0, 1000),
    window=st.integers(1, 6),
    flatten=st.booleans(),
)
def test_lag_windows_equal_each_series_alone(sizes, seed, window, flatten):
    X, labels = _long_table(sizes, seed)
    grouped = LagWindowTransformer(
        window_length=window, flatten=flatten, group_column=0
    )
    out = grouped.fit_transform(X)
    for g in range(len(sizes)):
        alone = LagWindowTransformer(
            window_length=window, flatten=flatten
        ).fit_transform(X.loc[labels == g, ["x0", "x1"]])
        np.testing.assert_array_equal(out[labels == g], alone)


@_SETTINGS
@given(
    sizes=_groups,
    seed=st.integers(0, 1000),
    windows=st.lists(st.integers(1, 5), min_size=1, max_size=2),
    kind=st.sampled_from(["simple", "exponential"]),
    min_periods=st.sampled_from([1, None]),
)
def test_moving_averages_equal_each_series_alone(
    sizes, seed, windows, kind, min_periods
):
    X, labels = _long_table(sizes, seed)
    params = dict(windows=windows, kind=kind, min_periods=min_periods)
    out = MovingAverageTransformer(**params, group_column="series").fit_transform(X)
    assert out.shape == (len(X), 2 + 2 * len(windows))
    for g in range(len(sizes)):
        alone = MovingAverageTransformer(**params).fit_transform(
            X.loc[labels == g, ["x0", "x1"]]
        )
        np.testing.assert_allclose(out[labels == g], alone, rtol=1e-12)
    # no average reaches another series: every value stays in its series' range
    values = out[~np.isnan(out).any(axis=1)]
    rows = labels[~np.isnan(out).any(axis=1)]
    assert (np.floor(values / 1000.0) == rows[:, None]).all()


def test_group_column_is_consumed_and_named_out():
    X, _ = _long_table([4, 5], 0)
    lags = LagWindowTransformer(
        window_length=2, flatten=True, group_column="series"
    ).fit(X)
    assert lags.get_feature_names_out().tolist() == [
        "x0_lag1",
        "x1_lag1",
        "x0_lag0",
        "x1_lag0",
    ]
    ma = MovingAverageTransformer(windows=(3,), group_column="series").fit(X)
    assert ma.get_feature_names_out().tolist() == ["x0", "x1", "x0_ma3", "x1_ma3"]
    frame = ma.set_output(transform="pandas").transform(X)
    assert list(frame.columns) == ["x0", "x1", "x0_ma3", "x1_ma3"]
    assert frame.index.equals(X.index)
    assert ma.n_features_in_ == 3


def test_group_column_by_position_with_numpy_ids():
    X, labels = _long_table([3, 6], 1)
    array = X.to_numpy()  # object array: string ids next to numbers
    out = LagWindowTransformer(window_length=3, group_column=0).fit_transform(array)
    expected = LagWindowTransformer(
        window_length=3, group_column="series"
    ).fit_transform(X)
    np.testing.assert_array_equal(out, expected)


def test_duplicate_timestamps_across_series_are_fine_but_not_within():
    times = pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02", "2020-01-02"])
    X = pd.DataFrame({"id": ["a", "b", "a", "b"], "v": [1.0, 2.0, 3.0, 4.0]}, times)
    out = LagWindowTransformer(window_length=2, group_column="id").fit_transform(X)
    np.testing.assert_array_equal(out[2:, :, 0], [[1.0, 3.0], [2.0, 4.0]])
    unsorted = X.iloc[[2, 1, 0, 3]]
    with pytest.raises(ValueError, match="not sorted by time"):
        LagWindowTransformer(window_length=2, group_column="id").fit(unsorted)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(group_column="nope"), "not a column of X"),
        (dict(group_column=5), "out of range"),
        (dict(group_column="series", columns=["series"]), "also in columns"),
    ],
)
def test_group_column_errors(params, match):
    X, _ = _long_table([3, 3], 0)
    with pytest.raises(ValueError, match=match):
        LagWindowTransformer(window_length=2, **params).fit(X)


def test_missing_series_id_is_an_error():
    X, _ = _long_table([3, 3], 0)
    X.loc[2, "series"] = None
    with pytest.raises(ValueError, match="missing at row 2"):
        MovingAverageTransformer(group_column="series").fit_transform(X)


def test_non_numeric_feature_next_to_group_column_is_an_error():
    X, _ = _long_table([3, 3], 0)
    X["x1"] = "text"
    with pytest.raises(ValueError, match="non-numeric"):
        LagWindowTransformer(window_length=2, group_column="series").fit(X)


def test_global_model_pipeline_runs_on_a_long_table():
    # one network trained on windows of every series, none crossing a boundary
    X, labels = _long_table([40, 40, 40], 0, n_columns=1)
    rng = np.random.default_rng(0)
    X["x0"] = np.sin(X["x0"] % 1000 / 30.0) + 0.01 * rng.normal(size=len(X))
    y = np.empty(len(X))
    for g in range(3):
        y[labels == g] = np.roll(X.loc[labels == g, "x0"].to_numpy(), -1)
    keep = np.ones(len(X), dtype=bool)
    for g in range(3):
        keep[np.flatnonzero(labels == g)[-1]] = False  # no next value
    model = make_pipeline(
        LagWindowTransformer(window_length=5, group_column="series"),
        LSTMForecaster(hidden_size=8, max_epochs=40, lr=0.01, random_state=0),
    )
    model.fit(X[keep], y[keep])
    pred = model.predict(X)
    assert pred.shape == (len(X),) and np.isfinite(pred).all()
    # no window crosses a boundary: each series alone gets the same forecasts
    for g in range(3):
        alone = model.predict(X[labels == g])
        np.testing.assert_allclose(alone, pred[labels == g], rtol=1e-6)
    # and the one network learned the common pattern: better than the last value
    last = X["x0"].to_numpy()[keep]
    assert np.mean((pred[keep] - y[keep]) ** 2) < np.mean((last - y[keep]) ** 2)
