import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_global_output_transform_pandas,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from skrnn import LagWindowTransformer
from skrnn.impute import RecurrentImputer
from tests import conftest

FAST = {**conftest.FAST, "window_length": 12, "hidden_size": 16, "max_epochs": 15}


def _gappy_sine(n=1000, fraction=0.15, seed=0):
    """A noisy sine (period 25) with random gaps of 1 to 8 steps."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    truth = np.sin(2 * np.pi * t / 25) + 0.05 * rng.normal(size=n)
    gappy = truth.copy()
    while np.isnan(gappy).mean() < fraction:
        start = rng.integers(30, n - 8)
        gappy[start : start + rng.integers(1, 9)] = np.nan
    return truth, gappy


def test_imputer_beats_forward_fill_without_reading_the_future(capsys):
    truth, gappy = _gappy_sine()
    missing = np.isnan(gappy)
    filled = RecurrentImputer(**FAST).fit_transform(gappy[:, None])[:, 0]
    series = pd.Series(gappy)
    mae = {
        "recurrent": np.abs(filled - truth)[missing].mean(),
        "forward_fill": np.abs(series.ffill().to_numpy() - truth)[missing].mean(),
        "linear_interpolation (reads the future)": np.abs(
            series.interpolate().to_numpy() - truth
        )[missing].mean(),
    }
    with capsys.disabled():
        rounded = {k: round(float(v), 3) for k, v in mae.items()}
        print("\nMAE on the missing values:", rounded)
    assert not np.isnan(filled).any()
    np.testing.assert_array_equal(filled[~missing], gappy[~missing])
    assert mae["recurrent"] < 0.5 * mae["forward_fill"]


def test_filled_values_do_not_depend_on_later_values():
    _, gappy = _gappy_sine(n=300)
    imputer = RecurrentImputer(**{**FAST, "max_epochs": 3}).fit(gappy[:, None])
    first_gap = np.flatnonzero(np.isnan(gappy))[0]
    later = gappy.copy()
    later[first_gap + 10 :] = 5.0
    a = imputer.transform(gappy[:, None])[: first_gap + 10]
    b = imputer.transform(later[:, None])[: first_gap + 10]
    np.testing.assert_array_equal(a, b)


def test_leading_missing_values_stay_missing_and_columns_are_separate():
    _, gappy = _gappy_sine(n=300)
    other = np.cos(np.arange(300) / 4)
    other[:5] = np.nan
    other[100:103] = np.nan
    X = np.column_stack([gappy, other])
    out = RecurrentImputer(**{**FAST, "max_epochs": 3}).fit_transform(X)
    assert np.isnan(out[:5, 1]).all()
    assert not np.isnan(out[5:]).any()


def test_imputer_feeds_a_forecaster_in_a_pipeline():
    from skrnn import GRUForecaster

    _, gappy = _gappy_sine(n=300)
    y = np.roll(np.nan_to_num(gappy), -1)
    pipe = make_pipeline(
        RecurrentImputer(**{**FAST, "max_epochs": 2}),
        LagWindowTransformer(window_length=10),
        GRUForecaster(hidden_size=8, max_epochs=2, random_state=0),
    )
    pred = clone(pipe).fit(gappy[:, None], y).predict(gappy[:, None])
    assert pred.shape == (300,)
    assert np.isfinite(pred[10:]).all()


def test_errors_are_clear():
    with pytest.raises(ValueError, match="gap-free"):
        RecurrentImputer(window_length=12).fit(np.full((10, 1), 1.0))
    with pytest.raises(ValueError, match="inf"):
        RecurrentImputer().fit(np.array([[1.0], [np.inf]] * 20))
    check_param_validation("RecurrentImputer", RecurrentImputer())


def test_pandas_output_keeps_names_and_index():
    _, gappy = _gappy_sine(n=200)
    index = pd.date_range("2024-01-01", periods=200, freq="D")
    X = pd.DataFrame({"load": gappy, "temp": np.cos(np.arange(200) / 4)}, index)
    imputer = RecurrentImputer(**{**FAST, "max_epochs": 2})
    filled = imputer.set_output(transform="pandas").fit_transform(X)
    assert list(imputer.get_feature_names_out()) == ["load", "temp"]
    assert list(filled.columns) == ["load", "temp"] and filled.index.equals(index)
    np.testing.assert_array_equal(
        filled.to_numpy(),
        clone(imputer).set_output(transform="default").fit_transform(X),
    )


_FAST_CHECK = RecurrentImputer(window_length=2, max_epochs=2, random_state=0)


@parametrize_with_checks([_FAST_CHECK])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    "check",
    [
        check_transformer_get_feature_names_out,
        check_transformer_get_feature_names_out_pandas,
        check_set_output_transform,
        check_set_output_transform_pandas,
        check_global_output_transform_pandas,
        check_dataframe_column_names_consistency,
    ],
    ids=lambda c: c.__name__,
)
def test_feature_names_and_set_output(check):
    # scikit-learn's check_estimator leaves these checks out
    check("RecurrentImputer", clone(_FAST_CHECK))


def test_a_single_series_must_be_a_column():
    series = pd.Series(np.sin(np.arange(40) / 3))
    with pytest.raises(ValueError, match=r"one column per series.*to_frame\(\)"):
        RecurrentImputer(window_length=4, max_epochs=1).fit(series)
    fitted = RecurrentImputer(window_length=4, max_epochs=1, random_state=0).fit(
        series.to_frame()
    )
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        fitted.transform(series.to_numpy())
