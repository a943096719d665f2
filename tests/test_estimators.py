import pickle
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
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
from skrnn.datasets import load_prices
from tests import conftest

FAST = {**conftest.FAST, "hidden_size": 16, "max_epochs": 5}


def _scaled_module_output(model, x):
    """Run the fitted module on raw windows x (batch, steps, features)."""
    level = x[:, -1, :] if model.window_norm_ == "last" else np.zeros(x.shape[::2])
    xs = (x - level[:, None, :] - model.x_mean_) / model.x_scale_
    with torch.no_grad():
        out = model.net_.module_(torch.as_tensor(xs, dtype=torch.float32))
    out = out.numpy().astype(np.float64) * model.y_scale_ + model.y_mean_
    return out + level[:, :1]


def test_lstm_learns_noisy_sine_one_step_ahead(windows):
    X, y = windows
    model = LSTMForecaster(hidden_size=32, max_epochs=25, random_state=0)
    model.fit(X[:300], y[:300])
    assert r2_score(y[300:], model.predict(X[300:])) > 0.9
    # Loss ratios in the units of globally standardized levels.
    model.set_params(window_norm=None).fit(X[:300], y[:300])
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < 0.2 * losses[0]


@pytest.mark.parametrize("cls", [LSTMForecaster, GRUForecaster, SimpleRNNForecaster])
def test_every_cell_learns(cls, windows):
    X, y = windows
    model = cls(hidden_size=16, max_epochs=8, random_state=0, window_norm=None)
    model.fit(X, y)
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert (
        model.net_.module_.layers[0].mode
        == {
            LSTMForecaster: "LSTM",
            GRUForecaster: "GRU",
            SimpleRNNForecaster: "RNN_TANH",
        }[cls]
    )


def test_fixed_cell_classes_match_generic_forecaster(windows):
    X, y = windows
    a = GRUForecaster(**FAST).fit(X, y).predict(X)
    b = RecurrentForecaster(cell="gru", **FAST).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)
    assert "cell" not in GRUForecaster().get_params()
    with pytest.raises(ValueError, match="Invalid parameter 'cell'"):
        GRUForecaster().set_params(cell="lstm")


def test_unknown_cell_is_a_clear_error(windows):
    X, y = windows
    with pytest.raises(ValueError, match="'cell' parameter.*'gru'.*Got 'lsmt'"):
        RecurrentForecaster(cell="lsmt").fit(X, y)


def test_multi_horizon_targets(sine):
    X = np.lib.stride_tricks.sliding_window_view(sine[:-3], 12)
    Y = np.column_stack([sine[12 + h : len(sine) - 3 + h + 1] for h in range(3)])
    model = GRUForecaster(hidden_size=16, max_epochs=15, random_state=0).fit(X, Y)
    pred = model.predict(X)
    assert pred.shape == Y.shape and pred.dtype == np.float64
    assert model.net_.module_.head.out_features == 3
    assert r2_score(Y, pred) > 0.8


def test_multivariate_windows_and_flattened_windows_agree(prices):
    X3 = LagWindowTransformer(window_length=5).fit_transform(prices[["Close", "Open"]])[
        :-1
    ]
    y = prices["Close"].to_numpy()[1:]
    X2 = np.ascontiguousarray(X3).reshape(len(X3), -1)
    a = LSTMForecaster(**FAST).fit(X3, y).predict(X3)
    b = LSTMForecaster(**FAST, n_features_per_step=2).fit(X2, y).predict(X2)
    np.testing.assert_allclose(a, b, rtol=1e-6)
    with pytest.raises(ValueError, match="not a multiple of n_features_per_step=3"):
        LSTMForecaster(**FAST, n_features_per_step=3).fit(X2, y)


def test_many_to_many_sequence_output(sine):
    X = np.lib.stride_tricks.sliding_window_view(sine[:-1], 10)
    Y = np.lib.stride_tricks.sliding_window_view(sine[1:], 10)  # next value per step
    model = SimpleRNNForecaster(
        hidden_size=16, output="sequence", max_epochs=10, random_state=0
    ).fit(X, Y)
    pred = model.predict(X)
    assert pred.shape == Y.shape
    assert r2_score(Y[:, -1], pred[:, -1]) > 0.8
    # (n, steps, H) targets: two outputs per step.
    Y3 = np.stack([Y, 2 * Y], axis=2)
    pred3 = clone(model).fit(X, Y3).predict(X)
    assert pred3.shape == Y3.shape
    with pytest.raises(ValueError, match="target for every time step"):
        clone(model).fit(X, Y[:, 0])


def test_leading_nan_is_a_shorter_sequence_not_zeros(windows):
    X, y = windows
    model = LSTMForecaster(**FAST).fit(X, y)
    window = X[100:101].copy()
    short = _scaled_module_output(model, window[:, 5:])[:, 0]
    padded = window.copy()
    padded[:, :5] = np.nan
    np.testing.assert_allclose(model.predict(padded), short, rtol=1e-5)
    zeros = window.copy()
    zeros[:, :5] = 0.0
    assert not np.allclose(model.predict(zeros), short, rtol=1e-3)


def test_leading_nan_windows_train_and_sequence_output_marks_them(sine):
    X = LagWindowTransformer(window_length=8).fit_transform(sine[:-1, None])
    Y = LagWindowTransformer(window_length=8).fit_transform(sine[1:, None])[..., 0]
    Y = np.nan_to_num(Y)  # targets at steps without history are ignored
    model = GRUForecaster(**FAST, output="sequence").fit(X, Y)
    pred = model.predict(X[:3])
    assert np.isnan(pred[0, :7]).all() and np.isfinite(pred[0, 7:]).all()
    assert np.isnan(pred[2, :5]).all() and np.isfinite(pred[2, 5:]).all()
    assert np.isfinite(model.history_[:, "train_loss"]).all()


def test_nan_inside_window_names_row_and_step(windows):
    X, y = windows
    X = X.copy()
    X[3, 5, 0] = np.nan
    with pytest.raises(ValueError, match=r"X\[3, 5\] is NaN after observed values"):
        LSTMForecaster(**FAST).fit(X, y)
    model = LSTMForecaster(**FAST).fit(windows[0], y)
    with pytest.raises(ValueError, match=r"X\[3, 5\]"):
        model.predict(X)


def test_inf_and_all_nan_windows_are_errors(windows):
    X, y = windows
    bad = X.copy()
    bad[7, 0, 0] = np.inf
    with pytest.raises(ValueError, match=r"X\[7, 0\] is inf"):
        LSTMForecaster(**FAST).fit(bad, y)
    bad = X.copy()
    bad[2] = np.nan
    with pytest.raises(ValueError, match=r"X\[2\] has no observed time step"):
        LSTMForecaster(**FAST).fit(bad, y)
    with pytest.raises(ValueError, match="NaN"):
        LSTMForecaster(**FAST).fit(X, np.where(np.arange(len(y)) == 4, np.nan, y))


def test_validation_rows_are_the_last_ones(windows):
    X, y = windows
    model = LSTMForecaster(
        hidden_size=8, max_epochs=1, validation_fraction=0.25, random_state=0
    ).fit(X, y)
    n_valid = int(np.ceil(0.25 * len(X)))
    scaled = (model.predict(X[-n_valid:]) - y[-n_valid:]) / model.y_scale_
    np.testing.assert_allclose(
        model.history_[-1, "valid_loss"], np.mean(scaled**2), rtol=1e-4
    )
    n_train = model.history_[-1, "batches", 0, "train_batch_size"]
    assert n_train == model.batch_size
    trained = sum(model.history_[-1, "batches", :, "train_batch_size"])
    assert trained == len(X) - n_valid


@pytest.mark.parametrize(
    "max_steps, fraction, epochs",
    [(None, 0, 5), (1000, 0, 5), (25, 0, 2), (3, 0, 1), (14, 0.5, 2)],
)
def test_max_steps_trains_the_whole_epochs_that_fit(max_steps, fraction, epochs):
    # 100 windows in batches of 10: 10 steps an epoch; with half of them
    # validating (and 0 purged for one output), 5 steps an epoch
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 4, 1)), rng.normal(size=100)
    model = LSTMForecaster(
        hidden_size=4,
        max_epochs=5,
        max_steps=max_steps,
        batch_size=10,
        validation_fraction=fraction,
        random_state=0,
    ).fit(X, y)
    assert len(model.history_) == epochs
    steps = [
        sum("train_batch_size" in batch for batch in epoch["batches"])
        for epoch in model.history_
    ]
    # at least one epoch, however small the budget
    assert sum(steps) <= max(max_steps or np.inf, steps[0])


def test_early_stopping_restores_best_weights(windows):
    X, y = windows
    model = GRUForecaster(
        hidden_size=8,
        max_epochs=60,
        lr=0.05,
        early_stopping=True,
        patience=3,
        random_state=0,
    ).fit(X, y)
    valid = model.history_[:, "valid_loss"]
    assert len(valid) < 60
    n_valid = int(np.ceil(0.1 * len(X)))
    scaled = (model.predict(X[-n_valid:]) - y[-n_valid:]) / model.y_scale_
    np.testing.assert_allclose(np.mean(scaled**2), min(valid), rtol=1e-4)


def test_early_stopping_needs_validation_rows(windows):
    X, y = windows
    with pytest.raises(ValueError, match="validation_fraction > 0"):
        LSTMForecaster(early_stopping=True, validation_fraction=0.0).fit(X, y)
    with pytest.raises(ValueError, match="leaves no training rows"):
        LSTMForecaster(validation_fraction=0.5).fit(X[:1], y[:1])


def test_partial_fit_continues_from_current_weights(windows):
    X, y = windows
    model = LSTMForecaster(**FAST).fit(X, y)
    before = model.predict(X)
    weights = model.net_.module_.head.weight.detach().clone()
    model.partial_fit(X, y)
    assert len(model.history_) == FAST["max_epochs"] + 1
    assert not torch.equal(weights, model.net_.module_.head.weight)
    assert np.abs(model.predict(X) - before).max() < 0.5  # continued, not restarted
    fresh = LSTMForecaster(**FAST).partial_fit(X, y)
    assert len(fresh.history_) == 1


def test_scaling_makes_raw_prices_train_like_standardized_data(windows):
    X, y = windows
    small = LSTMForecaster(**FAST).fit(X, y).predict(X)
    big = LSTMForecaster(**FAST).fit(50_000 + 1_000 * X, 50_000 + 1_000 * y)
    np.testing.assert_allclose(
        big.predict(50_000 + 1_000 * X), 50_000 + 1_000 * small, atol=1e-2
    )
    unscaled = LSTMForecaster(**FAST, scale=False, window_norm=None)
    unscaled.fit(50_000 + X, 50_000 + y)
    assert r2_score(y, unscaled.predict(50_000 + X) - 50_000) < 0.5
    # Taking every window relative to its last value removes the offset too.
    shifted = LSTMForecaster(**FAST, scale=False, window_norm="last")
    shifted.fit(50_000 + X, 50_000 + y)
    assert r2_score(y, shifted.predict(50_000 + X) - 50_000) > 0.9


def test_same_random_state_same_predictions_and_global_rng_untouched(windows):
    X, y = windows
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    a = LSTMForecaster(**FAST, dropout=0.2, num_layers=2).fit(X, y).predict(X)
    assert torch.equal(torch.rand(1), expected_next)
    b = LSTMForecaster(**FAST, dropout=0.2, num_layers=2).fit(X, y).predict(X)
    c = LSTMForecaster(**{**FAST, "random_state": 1}).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_pickle_and_clone_round_trip(windows, tmp_path):
    X, y = windows
    model = GRUForecaster(**FAST).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    # read-only memory maps, as joblib hands them to workers
    path = tmp_path / "X.npy"
    np.save(path, X)
    X_map = np.load(path, mmap_mode="r")
    np.testing.assert_array_equal(restored.predict(X_map), model.predict(X))
    params = clone(model).get_params()
    assert params == model.get_params() and not hasattr(clone(model), "net_")


@pytest.mark.parametrize("layer_norm", [False, True])
def test_stacked_layers_dropout_and_layer_norm(windows, layer_norm):
    X, y = windows
    model = LSTMForecaster(
        hidden_size=8,
        num_layers=3,
        dropout=0.1,
        layer_norm=layer_norm,
        max_epochs=4,
        random_state=0,
    ).fit(X, y)
    module = model.net_.module_
    if layer_norm:
        assert len(module.layers) == 3 and len(module.norms) == 3
    else:
        assert module.layers[0].num_layers == 3 and module.layers[0].dropout == 0.1
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < losses[0]


def test_relu_simple_rnn_and_float64(windows):
    X, y = windows
    model = SimpleRNNForecaster(
        **FAST, nonlinearity="relu", dtype="float64", optimizer="sgd", lr=0.01
    ).fit(X, y)
    assert model.net_.module_.layers[0].mode == "RNN_RELU"
    assert model.net_.module_.head.weight.dtype == torch.float64
    assert model.predict(X).dtype == np.float64


def test_diverging_loss_stops_with_a_hint(windows):
    X, y = windows
    with pytest.raises(ValueError, match="diverged.*lr"):
        SimpleRNNForecaster(**FAST, scale=False, optimizer="sgd", lr=1e6).fit(
            X * 1e6, y * 1e6
        )


class _GradNorms(Callback):
    """Total gradient norm of every step, as the optimizer will see it."""

    def __init__(self, norms):
        self.norms = norms

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [p.grad for _, p in named_parameters if p.grad is not None]
        self.norms.append(
            float(
                torch.linalg.vector_norm(
                    torch.stack([torch.linalg.vector_norm(g) for g in grads])
                )
            )
        )


def test_gradient_clip_bounds_the_gradient_norm(windows):
    X, y = windows

    def norms(**params):
        model = SimpleRNNForecaster(**FAST, callbacks=[_GradNorms([])], **params)
        # the estimator fits a copy of its callbacks: read the fitted one
        (recorder,) = [
            cb
            for _, cb in model.fit(X, y).net_.callbacks_
            if isinstance(cb, _GradNorms)
        ]
        return recorder.norms

    # callbacks run after the clipping: they see the gradients of the step
    clipped, free = norms(gradient_clip=0.05), norms()
    assert len(clipped) == len(free) > 0
    assert max(free) > 0.05  # the bound binds
    assert max(clipped) <= 0.05 * (1 + 1e-5)


def test_wrong_feature_count_at_predict(windows):
    X, y = windows
    model = LSTMForecaster(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="12 steps x 2 features.*12 steps x 1"):
        model.predict(np.concatenate([X, X], axis=2))
    with pytest.raises(ValueError, match="2-D .* or 3-D"):
        model.predict(X[..., None])


def test_user_callbacks_are_copied_not_modified(windows):
    from skorch.callbacks import EpochScoring

    X, y = windows
    callback = EpochScoring("r2", on_train=True, name="train_r2")
    model = LSTMForecaster(**FAST, callbacks=[callback]).fit(X, y)
    assert "train_r2" in model.history_[-1]
    assert not hasattr(callback, "best_score_")


def test_verbose_zero_prints_nothing(windows, capsys):
    X, y = windows
    LSTMForecaster(**FAST, early_stopping=True, patience=1).fit(X, y)
    assert capsys.readouterr().out == ""


def test_grid_search_over_cell_and_hidden_size_with_time_series_folds(prices):
    X, y = make_supervised(prices, prices["Close"], horizon=1)
    pipe = make_pipeline(
        MovingAverageTransformer(windows=(3, 5), columns=["Close"]),
        StandardScaler(),
        LagWindowTransformer(window_length=10),
        RecurrentForecaster(max_epochs=3, random_state=0),
    )
    grid = {
        "recurrentforecaster__cell": ["lstm", "gru", "rnn"],
        "recurrentforecaster__hidden_size": [8, 16],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning from any step
        search = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(3), n_jobs=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.predict(X.iloc[-5:]).shape == (5,)


# ------------------------------------------------------------- window_norm


@pytest.mark.parametrize("how", ["last", "mean"])
def test_window_norm_makes_forecasts_shift_equivariant(how, windows):
    X, y = windows
    model = LSTMForecaster(**FAST, window_norm=how).fit(X, y)
    # A level never seen in training: the forecast moves with the level.
    np.testing.assert_allclose(
        model.predict(X + 100.0), model.predict(X) + 100.0, atol=1e-4
    )
    plain = LSTMForecaster(**FAST, window_norm=None).fit(X, y)
    assert np.abs(plain.predict(X + 100.0) - plain.predict(X) - 100.0).min() > 50


def test_last_plus_level_gives_the_network_the_level_a_shift_removes():
    # white noise around 10, one step per window: shifted by its last value a
    # window holds nothing, so "last" can only add a constant change (error
    # variance 2); with the removed level as input the network learns that
    # the next value is 10 whatever the last one was (variance 1)
    rng = np.random.default_rng(0)
    series = 10 + rng.standard_normal(2001)
    X, y = series[:-1, np.newaxis], series[1:]
    errors = {}
    for how in ("last", "last+level"):
        model = LSTMForecaster(
            hidden_size=8, max_epochs=20, random_state=0, window_norm=how
        ).fit(X[:1500], y[:1500])
        errors[how] = np.mean((model.predict(X[1500:]) - y[1500:]) ** 2)
    assert model.window_norm_ == "last+level"
    assert model.net_.module_.layers[0].input_size == 2  # the step and the level
    assert errors["last+level"] < 1.2 < 1.6 < errors["last"]


def test_window_norm_extrapolates_a_trend_beyond_the_training_range():
    t = np.arange(300.0)
    series = 0.05 * t + np.sin(2 * np.pi * t / 12)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 24)
    y = series[24:]
    train = slice(0, 200)  # the test windows lie above every training level
    errors = {}
    for how in ("last", None):
        model = GRUForecaster(
            hidden_size=16, max_epochs=20, random_state=0, window_norm=how
        ).fit(X[train], y[train])
        errors[how] = np.abs(model.predict(X[200:]) - y[200:]).mean()
    assert errors["last"] < 0.3 < errors[None]


def test_window_norm_auto_shifts_windows_whose_first_feature_is_the_targets_past(
    windows, prices
):
    walk = np.random.default_rng(0).normal(size=300).cumsum()
    X = np.lib.stride_tricks.sliding_window_view(walk[:-1], 12)[..., None]
    assert LSTMForecaster(**FAST).fit(X, walk[12:]).window_norm_ == "last"
    # Close first, unscaled: tomorrow's close is the last close of the next window
    X, y = make_supervised(prices[["Close", "Open"]], "Close")
    X3 = LagWindowTransformer(window_length=5).fit_transform(X)[4:]
    y = y.to_numpy()[4:]
    model = LSTMForecaster(**FAST).fit(X3, y)
    assert model.window_norm_ == "last"
    # every feature and the forecast move with the level
    np.testing.assert_allclose(
        model.predict(X3 + 1000.0), model.predict(X3) + 1000.0, atol=1e-3
    )
    # other quantities first (scaled windows, as before): levels, silently
    scaled = (X3 - X3.mean(axis=(0, 1))) / X3.std(axis=(0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert LSTMForecaster(**FAST).fit(scaled, y).window_norm_ is None


def test_window_norm_auto_keeps_the_level_of_mean_reverting_series(windows):
    # The textbook's layout: every row a series of its own (two noisy sines
    # of random phases and frequencies), the next value its target
    rng = np.random.default_rng(0)
    t = np.linspace(0, 1, 21)
    offset, freq = rng.uniform(size=(2, 500, 1))
    series = 0.5 * np.sin((t - offset) * (freq * 10 + 10))
    series = series + 0.1 * rng.uniform(size=series.shape)
    X, y = series[:, :-1, None], series[:, -1]
    assert LSTMForecaster(**FAST).fit(X, y).window_norm_ is None
    # one long noisy sine, windowed in time order
    assert LSTMForecaster(**FAST).fit(*windows).window_norm_ is None


def test_window_norm_warns_when_the_targets_past_is_not_the_first_feature(prices):
    # the user's table: Open first, Close (the target) fourth
    ohlc = prices[["Open", "High", "Low", "Close"]]
    X, y = make_supervised(ohlc, "Close")
    X3, y = LagWindowTransformer(window_length=5).fit_transform(X)[4:], y[4:]
    remedy = (
        r"Feature 3 of the windows is the target's own past \(the targets "
        r"reappear as its last values 1 row\(s\) later\).*Put that column first"
    )
    with pytest.warns(UserWarning, match=remedy + ".*window_norm=None") as record:
        model = LSTMForecaster(**FAST).fit(X3, y)
    assert record[0].filename == __file__  # the line that called fit
    assert model.window_norm_ is None  # levels, as the warning says
    with pytest.warns(UserWarning, match="window_norm='last' takes the targets"):
        LSTMForecaster(**FAST, window_norm="last").fit(X3, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # levels asked for
        LSTMForecaster(**FAST, window_norm=None).fit(X3, y)


@pytest.mark.slow
def test_ohlcv_pipeline_with_the_close_first_is_as_good_as_naive_by_default():
    # issue 31: make_supervised -> moving averages -> windows -> LSTM forecast
    # price levels, far worse than "tomorrow = today", unless told window_norm
    prices = load_prices()[["Close", "Open", "High", "Low", "Volume"]].iloc[-600:]
    X, y = make_supervised(prices, "Close")
    pipe = make_pipeline(
        MovingAverageTransformer(windows=(3, 5), columns=["Close"]),
        LagWindowTransformer(window_length=10),
        LSTMForecaster(hidden_size=16, max_epochs=5, random_state=0),
    )
    train, test = slice(0, -100), slice(-100, None)
    pipe.fit(X[train], y[train])
    naive = np.abs(X["Close"][test] - y[test]).mean()
    assert pipe[-1].window_norm_ == "last"
    assert np.abs(pipe.predict(X[test]) - y[test]).mean() < 1.2 * naive
    pipe.set_params(lstmforecaster__window_norm=None).fit(X[train], y[train])
    assert np.abs(pipe.predict(X[test]) - y[test]).mean() > 1.5 * naive


def test_window_norm_never_shifts_per_step_targets_by_a_later_level(sine):
    X = LagWindowTransformer(window_length=8).fit_transform(sine[:-1, None])
    Y = LagWindowTransformer(window_length=8).fit_transform(sine[1:, None])[..., 0]
    Y = np.nan_to_num(Y)
    model = GRUForecaster(**FAST, output="sequence").fit(X, Y)
    assert model.window_norm_ is None  # "auto"
    # Step 3's forecast does not depend on the window's later steps.
    later = X[50:60].copy()
    later[:, 4:] += 5.0
    np.testing.assert_array_equal(
        model.predict(later)[:, :4], model.predict(X[50:60])[:, :4]
    )
    with pytest.raises(ValueError, match="future of the window's earlier steps"):
        GRUForecaster(**FAST, output="sequence", window_norm="last").fit(X, Y)


# ------------------------------------------------------------ ensemble_size


def test_ensemble_rejects_step_by_step_options(windows):
    X, y = windows
    with pytest.raises(ValueError, match="ensemble_size > 1 .* decoder"):
        LSTMForecaster(**FAST, ensemble_size=2, decoder=True).fit(X, y)


@pytest.mark.parametrize("loss, centre", [("mse", 2.0), ("mae", 0.0)])
def test_loss_sets_what_the_forecast_estimates(loss, centre):
    # Targets unrelated to the windows: 0 four times in five, else 10. The
    # squared error is minimized by their mean (2), the absolute by the median.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 4))
    y = np.where(rng.random(500) < 0.8, 0.0, 10.0)
    model = LSTMForecaster(
        hidden_size=4,
        max_epochs=30,
        lr=0.01,
        loss=loss,
        window_norm=None,
        random_state=0,
    ).fit(X, y)
    assert abs(np.median(model.predict(X)) - centre) < 0.5


@pytest.mark.parametrize("ensemble_size", [1, 3])
def test_zero_head_starts_at_the_mean_forecast(windows, ensemble_size):
    X, y = windows
    model = LSTMForecaster(
        hidden_size=8,
        max_epochs=1,
        lr=1e-12,  # one epoch that barely moves the weights
        weight_init="zero_head",
        ensemble_size=ensemble_size,
        window_norm="last",
        random_state=0,
    ).fit(X, y)
    # the mean change, added to every window's level
    expected = X[:, -1, 0] + np.mean(y - X[:, -1, 0])
    np.testing.assert_allclose(model.predict(X), expected, atol=1e-6)


def test_window_norm_warns_when_the_first_feature_is_not_the_targets_past(prices):
    close = prices["Close"].to_numpy()
    raw = LagWindowTransformer(window_length=10).fit_transform(
        prices[["Close", "Open"]]
    )
    X, y = raw[10:-1], close[11:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LSTMForecaster(**FAST, window_norm="last").fit(X, y)
    scaled = (X - X.mean(axis=(0, 1))) / X.std(axis=(0, 1))  # X scaled, y not
    with pytest.warns(UserWarning, match="is the first feature the target's own"):
        LSTMForecaster(**FAST, window_norm="last").fit(scaled, y)


# ------------------------------------------- schedules, gaps and NaN targets


def test_cosine_lr_schedule_anneals_the_optimizer_to_zero():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 5, 1))
    y = X[:, -1, 0]
    model = LSTMForecaster(
        hidden_size=4, max_epochs=4, lr=0.1, lr_schedule="cosine", random_state=0
    ).fit(X, y)
    # lr_e = lr (1 + cos(pi e / max_epochs)) / 2 during epoch e
    expected = 0.1 * (1 + np.cos(np.pi * np.arange(4) / 4)) / 2
    np.testing.assert_allclose(model.history_[:, "event_lr"], expected)
    assert model.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(0.0)
    constant = LSTMForecaster(hidden_size=4, max_epochs=2, lr=0.1, random_state=0)
    constant.fit(X, y)
    assert constant.net_.optimizer_.param_groups[0]["lr"] == 0.1


def test_gaps_restart_reads_a_window_as_the_history_after_its_gap(windows):
    X, y = windows
    gapped = X.copy()
    gapped[3, 5, 0] = np.nan
    gapped[7, 2, 0] = np.nan
    before = gapped.copy()
    # the same windows written by hand as histories that start after the gap
    restarted = X.copy()
    restarted[3, :6, 0] = np.nan
    restarted[7, :3, 0] = np.nan
    model = LSTMForecaster(**FAST, gaps="restart").fit(gapped, y)
    by_hand = LSTMForecaster(**FAST).fit(restarted, y)
    np.testing.assert_array_equal(model.predict(gapped), by_hand.predict(restarted))
    np.testing.assert_array_equal(gapped, before, strict=True)  # not in place
    assert np.isfinite(model.predict(gapped)).all()
    ends_missing = gapped.copy()
    ends_missing[4, -1, 0] = np.nan
    with pytest.raises(ValueError, match=r"X\[4, \d+\] is NaN: window 4 ends with"):
        model.predict(ends_missing)
    with pytest.raises(ValueError, match="gaps='restart'"):
        LSTMForecaster(**FAST).fit(gapped, y)


def test_nan_targets_say_which_rows_to_drop():
    # the target windows of a sequence model start before the series
    series = np.sin(np.arange(60.0))[:, np.newaxis]
    windows = LagWindowTransformer(window_length=10).fit_transform(series)
    X, Y = windows[:-1], windows[1:, :, 0]
    model = LSTMForecaster(output="sequence", max_epochs=1)
    with pytest.raises(ValueError, match=r"Input y contains NaN\. .*X\[w - 1:\]"):
        model.fit(X, Y)
    assert model.fit(X[9:], Y[9:]).predict(X[9:]).shape == (50, 10)
