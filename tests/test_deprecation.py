"""Tests of skrnn._deprecation: the forecasters' old ``n_features`` name.

Both go when ``skrnn/_base.py`` drops ``n_features`` (0.1.0 is the first
release: no user holds the old name).
"""

import warnings

import numpy as np
import pytest
from sklearn.base import clone

from skrnn import LSTMForecaster


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
    X = np.arange(20.0).reshape(10, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LSTMForecaster(hidden_size=2, max_epochs=1).fit(X, X[:, 0])
