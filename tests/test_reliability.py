import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback

from skrnn import (
    GRUForecaster,
    LagWindowTransformer,
    LSTMForecaster,
    MovingAverageTransformer,
    RecurrentForecaster,
    SimpleRNNForecaster,
    make_supervised,
)
from tests.conftest import FAST

# ------------------------------------------------------- training that goes wrong


class _InterruptAt(Callback):
    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


def test_keyboard_interrupt_keeps_the_weights_so_far(windows):
    X, y = windows
    model = LSTMForecaster(**{**FAST, "max_epochs": 10}, callbacks=[_InterruptAt(3)])
    model.fit(X, y)
    assert len(model.history_) == 3
    assert np.isfinite(model.predict(X)).all()


def test_keyboard_interrupt_with_early_stopping_restores_best(windows):
    X, y = windows
    model = GRUForecaster(
        hidden_size=8,
        max_epochs=30,
        lr=0.05,
        early_stopping=True,
        patience=50,
        random_state=0,
        callbacks=[_InterruptAt(12)],
    ).fit(X, y)
    valid = model.history_[:, "valid_loss"]
    n_valid = int(np.ceil(0.1 * len(X)))
    scaled = (model.predict(X[-n_valid:]) - y[-n_valid:]) / model.y_scale_
    np.testing.assert_allclose(np.mean(scaled**2), min(valid), rtol=1e-4)


def test_gradient_clip_limits_each_sgd_step(windows):
    X, y = windows
    lr, clip = 0.5, 1e-3

    def weights(model):
        return torch.cat(
            [p.detach().flatten() for p in model.net_.module_.parameters()]
        )

    kwargs = dict(hidden_size=8, max_epochs=1, optimizer="sgd", lr=lr, random_state=0)
    clipped = SimpleRNNForecaster(**kwargs, gradient_clip=clip).fit(X, y)
    free = SimpleRNNForecaster(**kwargs).fit(X, y)
    init = SimpleRNNForecaster(**{**kwargs, "lr": 1e-12}).fit(X, y)  # same seed
    n_steps = int(np.ceil(len(X) / clipped.batch_size))
    moved = torch.linalg.vector_norm(weights(clipped) - weights(init))
    assert moved <= n_steps * lr * clip * 1.01
    assert torch.linalg.vector_norm(weights(free) - weights(init)) > 10 * moved


# ------------------------------------------------------ determinism, concurrency

_SCRIPT = """
import numpy as np, sys
from skrnn import LSTMForecaster
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 8, 2)); y = X[:, -1, 0]
p = LSTMForecaster(hidden_size=8, max_epochs=2, dropout=0.0, random_state=7).fit(X, y)
sys.stdout.write(p.predict(X).tobytes().hex())
"""


def test_same_random_state_is_bit_identical_across_processes():
    outputs = [
        subprocess.run(
            [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 8, 2))
    here = LSTMForecaster(hidden_size=8, max_epochs=2, random_state=7)
    here = here.fit(X, X[:, -1, 0]).predict(X).tobytes().hex()
    assert outputs[0] == outputs[1] == here


def test_concurrent_fits_in_threads_do_not_disturb_each_other(windows):
    X, y = windows
    params = [dict(**FAST, dropout=0.3, num_layers=2), {**FAST, "random_state": 5}]
    sequential = [GRUForecaster(**p).fit(X, y).predict(X) for p in params]
    threads_before = torch.get_num_threads()
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(lambda p: GRUForecaster(**p).fit(X, y), p) for p in params
        ]
        concurrent = [f.result().predict(X) for f in futures]
    for a, b in zip(sequential, concurrent, strict=True):
        np.testing.assert_array_equal(a, b)
    assert torch.get_num_threads() == threads_before


# ------------------------------------------------------------------- leakage


class _TimeProbe(RecurrentForecaster):
    """Checks that every predicted row is later than every trained row."""

    def fit(self, X, y):
        self.last_trained_ = float(np.nanmax(X[:, -1, 0]))
        return super().fit(X, y)

    def predict(self, X):
        assert np.nanmin(X[:, -1, 0]) > self.last_trained_, "validated on the past"
        return super().predict(X)


def test_time_series_folds_in_grid_search_never_validate_on_the_past():
    t = np.arange(120.0)
    X, y = make_supervised(t[:, None], np.sin(t / 5))
    pipe = make_pipeline(
        LagWindowTransformer(window_length=4), _TimeProbe(max_epochs=1)
    )
    search = GridSearchCV(
        pipe,
        {"_timeprobe__hidden_size": [2, 4]},
        cv=TimeSeriesSplit(3),
        error_score="raise",
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_scaling_statistics_come_from_training_rows_only(windows):
    X, y = windows
    model = LSTMForecaster(**FAST, window_norm="last").fit(X[:200], y[:200])
    level = X[:200, -1]  # moments of the shifted windows
    np.testing.assert_allclose(model.x_mean_, [np.mean(X[:200] - level[:, None])])
    np.testing.assert_allclose(model.y_scale_, [np.std(y[:200] - level[:, 0])])
    changed = X.copy()
    changed[200:] *= 100
    np.testing.assert_array_equal(model.predict(changed[:200]), model.predict(X[:200]))


# ------------------------------------------------------------ bad-input matrix

_X = np.random.default_rng(0).normal(size=(20, 5, 2))
_Y = _X[:, -1, 0]


def _fit(X, y, **params):
    return LSTMForecaster(**{**FAST, **params}).fit(X, y)


def _with(a, index, value):
    a = np.array(a, dtype=float)
    a[index] = value
    return a


_ERRORS = [
    ("empty X", lambda: _fit(_X[:0], _Y[:0]), "0 sample"),
    ("4-D X", lambda: _fit(_X[..., None], _Y), "2-D .* or 3-D"),
    ("1-D X", lambda: _fit(_Y, _Y), r"X is 1-D \(shape \(20,\)\).*reshape\(-1, 1\)"),
    ("X/y lengths", lambda: _fit(_X, _Y[:-1]), "inconsistent numbers of samples"),
    ("NaN mid-window", lambda: _fit(_with(_X, (4, 2, 1), np.nan), _Y), r"X\[4, 2\]"),
    (
        "inf in window",
        lambda: _fit(_with(_X, (4, 0, 0), np.inf), _Y),
        r"X\[4, 0\] is inf",
    ),
    ("NaN target", lambda: _fit(_X, _with(_Y, 3, np.nan)), "y contains NaN"),
    ("inf target", lambda: _fit(_X, _with(_Y, 3, np.inf)), "y contains infinity"),
    (
        "string columns",
        lambda: _fit(pd.DataFrame({"a": ["x"] * 20, "b": 1.0}), _Y),
        r"non-numeric columns \['a'\]",
    ),
    (
        "numbers as text",
        lambda: _fit(pd.DataFrame({"a": ["1,234"] * 20, "b": 1.0}), _Y),
        r"\['a'\] hold numbers stored as text .*thousands=','",
    ),
    ("string target", lambda: _fit(_X, np.array(["a"] * 20)), "could not convert"),
    ("unknown cell", lambda: RecurrentForecaster(cell="lstn").fit(_X, _Y), "'cell'"),
    ("hidden_size 0", lambda: _fit(_X, _Y, hidden_size=0), "'hidden_size'"),
    (
        "window 0",
        lambda: LagWindowTransformer(window_length=0).fit(_Y[:, None]),
        "'window_length'",
    ),
    (
        "window -3",
        lambda: LagWindowTransformer(window_length=-3).fit(_Y[:, None]),
        "'window_length'",
    ),
    (
        "window of 2**31 steps",
        lambda: LagWindowTransformer(window_length=2**31).fit(_Y[:, None]),
        "window_length=2147483648 is more than twice the 20 samples",
    ),
    ("horizon 0", lambda: make_supervised(_Y[:, None], _Y, horizon=0), "horizon"),
    ("horizon -1", lambda: make_supervised(_Y[:, None], _Y, horizon=-1), "horizon"),
    (
        "series shorter than horizon",
        lambda: make_supervised(_Y[:3, None], _Y[:3], horizon=5),
        "too short for horizon 5",
    ),
    (
        "NaN target in make_supervised",
        lambda: make_supervised(_Y[:, None], _with(_Y, 5, np.nan)),
        "first at position 5",
    ),
    (
        "3-D input to a transformer",
        lambda: LagWindowTransformer().fit(_X),
        "dim 3",
    ),
    (
        "inf into moving average",
        lambda: MovingAverageTransformer().fit_transform(_with(_Y[:, None], 2, np.inf)),
        "infinity",
    ),
]


@pytest.mark.parametrize("case, call, message", _ERRORS, ids=[e[0] for e in _ERRORS])
def test_bad_input_gets_a_clear_error(case, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_bad_input_at_predict_time():
    model = _fit(_X, _Y)
    with pytest.raises(ValueError, match="5 steps x 1 features.*5 steps x 2"):
        model.predict(_X[:, :, :1])
    with pytest.raises(ValueError, match="windows of 6 steps.*5 steps"):
        model.predict(np.ones((2, 6, 2)))
    frame_model = LSTMForecaster(**FAST).fit(
        pd.DataFrame(_X[:, :, 0]).add_prefix("c"), _Y
    )
    with pytest.raises(ValueError, match="feature names"):
        frame_model.predict(pd.DataFrame(_X[:, :, 0]).add_prefix("d"))


@pytest.mark.parametrize("scale", [1e12, 1e-12])
def test_huge_and_tiny_magnitudes_train_like_unit_data(windows, scale):
    X, y = windows
    unit = LSTMForecaster(**FAST).fit(X, y).predict(X)
    scaled = LSTMForecaster(**FAST).fit(scale * X, scale * y).predict(scale * X) / scale
    np.testing.assert_allclose(scaled, unit, atol=1e-3)


def test_constant_series_is_a_valid_series():
    X = np.full((30, 6), 7.0)
    model = LSTMForecaster(hidden_size=8, max_epochs=10, lr=0.01, batch_size=2)
    pred = model.set_params(random_state=0).fit(X, np.full(30, 7.0)).predict(X[:3])
    np.testing.assert_allclose(pred, 7.0, atol=0.05)
    assert model.x_scale_[0] == model.y_scale_[0] == 1.0  # no division by zero
    out = MovingAverageTransformer().fit_transform(X[:, :1])
    np.testing.assert_allclose(out, 7.0)


def test_single_row_and_bool_columns_work():
    assert _fit(_X[:1], _Y[:1]).predict(_X[:1]).shape == (1,)
    flags = pd.DataFrame({"up": np.arange(20) % 2 == 0, "x": np.arange(20.0)})
    # Named quantities are the features of one step (n_features), not two steps.
    model = LSTMForecaster(**FAST, n_features_per_step=2)
    assert model.fit(flags, _Y).predict(flags).shape == (20,)
