"""Tests of skrnn._base: the declarations of the parameters, the generated
``__init__`` and the fitted state every window forecaster shares."""

import inspect
from dataclasses import replace
from numbers import Integral

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import Interval, InvalidParameterError

from skrnn import LSTMForecaster, RecurrentForecaster
from skrnn._base import ParamSpec
from tests import conftest

FAST = {**conftest.FAST, "hidden_size": 16, "max_epochs": 5}


def test_fitted_state_rebuilds_the_forecaster(windows):
    X, y = windows
    model = LSTMForecaster(**FAST, early_stopping=True).fit(X, y)
    state = model._fitted_state()
    assert {"x_mean_", "y_scale_", "n_steps_", "window_norm_", "_y_ndim"} <= set(
        state["attributes"]
    )
    assert not {"net_", "history_"} & set(state["attributes"])
    restored = clone(model)._set_fitted_state(state)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    assert restored.history_.to_list() == model.history_.to_list()
    # the optimizer state came along: one more epoch lands on the same weights
    np.testing.assert_array_equal(
        restored.partial_fit(X, y).predict(X), model.partial_fit(X, y).predict(X)
    )


def test_a_parameter_is_declared_in_one_place(windows):
    extra = ParamSpec(
        "extra",
        3,
        type="int",
        constraints=(Interval(Integral, 0, None, closed="left"),),
        doc="A parameter added in one place.",
    )
    hidden = next(
        s for s in RecurrentForecaster._param_specs if s.name == "hidden_size"
    )

    class Extended(RecurrentForecaster):
        """An architecture with one more parameter.

        Parameters
        ----------
        %(parameters)s
        """

        _param_specs = tuple(
            replace(spec, default=4) if spec is hidden else spec
            for spec in RecurrentForecaster._param_specs
        ) + (extra,)

    model = Extended()
    assert model.get_params()["extra"] == 3 and model.hidden_size == 4
    doc = inspect.cleandoc(Extended.__doc__)
    assert "extra : int, default=3\n    A parameter added in one place." in doc
    assert "hidden_size : int, default=4" in doc
    assert clone(Extended(extra=5)).extra == 5
    with pytest.raises(InvalidParameterError, match="'extra' parameter"):
        Extended(extra=-1).fit(*windows)
    X, y = windows
    Extended(hidden_size=2, max_epochs=1).fit(X, y).predict(X)


def test_generated_init_behaves_like_a_hand_written_one():
    assert RecurrentForecaster("gru").cell == "gru"  # cell stays positional
    with pytest.raises(TypeError, match=r"LSTMForecaster.__init__\(\) got an unex"):
        LSTMForecaster(cell="gru")
    with pytest.raises(TypeError, match="positional argument"):
        LSTMForecaster(8)

    class Mine(LSTMForecaster):
        """A user's subclass, with an __init__ of its own."""

        def __init__(self, *, hidden_size=5, note="x"):
            super().__init__(hidden_size=hidden_size)
            self.note = note

    assert Mine().get_params() == {"hidden_size": 5, "note": "x"}
    assert LSTMForecaster().get_params()["hidden_size"] == 64
