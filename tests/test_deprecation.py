"""Tests of skrnn._deprecation: renamed parameters and positional arguments."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone

from skrnn import LagWindowTransformer, LSTMForecaster, MovingAverageTransformer
from skrnn.impute import RecurrentImputer

X = np.arange(20.0).reshape(10, 2)


def test_renamed_window_and_output_of_lag_windows():
    new = LagWindowTransformer(window_length=3, flatten=True).fit_transform(X)
    old = LagWindowTransformer(window=3, output="2d")
    with pytest.warns(FutureWarning, match="window=3 is deprecated .* window_length=3"):
        np.testing.assert_array_equal(old.fit_transform(X), new)
    # the old name wins while it is set, and survives clone
    assert clone(old).get_params()["window"] == 3
    with pytest.warns(FutureWarning, match="output='3d' .* use flatten=False"):
        shape = LagWindowTransformer(output="3d", flatten=True).fit_transform(X).shape
    assert shape == (10, 24, 2)


def test_positional_arguments_still_work_with_a_warning():
    with pytest.warns(FutureWarning, match=r"LagWindowTransformer\(window_length=3"):
        lags = LagWindowTransformer(3)
    assert lags.window_length == 3
    with pytest.warns(FutureWarning, match="pass them by keyword"):
        ma = MovingAverageTransformer((2,), [0])
    assert ma.windows == (2,) and ma.columns == [0]
    with pytest.raises(TypeError, match="'window_length' twice"):
        LagWindowTransformer(3, window_length=4)
    with pytest.raises(TypeError, match="at most 5 positional"):
        LagWindowTransformer(3, None, "3d", None, 0.0, 1)


def test_renamed_window_of_the_imputer():
    series = np.sin(np.arange(60) / 3)[:, None]
    imputer = RecurrentImputer(window=4, max_epochs=1, random_state=0)
    with pytest.warns(FutureWarning, match="window_length=4"):
        imputer.fit(series)
    assert imputer.forecaster_.n_steps_ == 4


def test_renamed_n_features_of_the_forecasters():
    rng = np.random.default_rng(0)
    flat, y = rng.normal(size=(30, 6)), rng.normal(size=30)
    model = LSTMForecaster(hidden_size=2, max_epochs=1, n_features=2, random_state=0)
    with pytest.warns(FutureWarning, match="n_features_per_step=2"):
        model.fit(flat, y)
    assert (model.n_steps_, model.n_features_per_step_) == (3, 2)
    new = clone(model).set_params(n_features="deprecated", n_features_per_step=2)
    np.testing.assert_allclose(new.fit(flat, y).predict(flat), model.predict(flat))


def test_defaults_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LagWindowTransformer(window_length=2).fit_transform(X)
        MovingAverageTransformer().fit_transform(X)
        LSTMForecaster(hidden_size=2, max_epochs=1).fit(X, X[:, 0])
