"""Tests of skrnn._network, the torch modules: the networks of the step-by-step
cells, encoder-decoder, convolutional front end, WaveNet and ensembles (the
cells themselves: tests/test_cells.py; initialization: test_initialization.py)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline

import skrnn._cells as cells
from skrnn import GRUForecaster, RecurrentForecaster, WaveNetForecaster
from skrnn._cells import CellLayer
from skrnn._network import RecurrentNetwork
from skrnn._training import WindowLoss
from skrnn.wavenet import WaveNetNetwork
from tests.conftest import FAST

CELLS = ["lstm", "gru", "rnn"]
TINY = {**FAST, "batch_size": 16}


@pytest.fixture
def sine_xy(sine):
    """120 windows of 10 steps and 3 horizons of the noisy sine."""
    X = np.lib.stride_tricks.sliding_window_view(sine[:-3], 10)[:120, :, None]
    Y = np.column_stack([sine[10 + h : 130 + h] for h in range(3)])
    return X, Y


def test_weight_init_reaches_the_network(sine_xy):
    X, Y = sine_xy
    fits = {
        scheme: RecurrentForecaster(cell="rnn", weight_init=scheme, **TINY).fit(X, Y)
        for scheme in ("keras", "pytorch")
    }
    keras_rnn = fits["keras"].net_.module_.layers[0]
    pytorch_rnn = fits["pytorch"].net_.module_.layers[0]
    # Adam moves each weight by at most about lr per step: a few steps keep
    # the starting points apart.
    assert keras_rnn.bias_hh_l0.abs().max() < 0.1
    assert pytorch_rnn.bias_hh_l0.abs().max() > 0.2
    assert not np.allclose(fits["keras"].predict(X), fits["pytorch"].predict(X))


_CONFIGS = {
    "recurrent_dropout": dict(recurrent_dropout=0.3, num_layers=2),
    "cell_layer_norm": dict(layer_norm="cell", num_layers=2),
    "between_layer_norm": dict(layer_norm="between", num_layers=2),
    "decoder": dict(decoder=True, layer_norm="cell"),
    "decoder_fused": dict(decoder=True, num_layers=2),
    "conv": dict(conv_filters=4, conv_kernel_size=3, conv_stride=2),
    "conv_sequence": dict(conv_filters=4, conv_kernel_size=2, output="sequence"),
    "ensemble": dict(ensemble_size=3, num_layers=2),
    "ensemble_sequence": dict(ensemble_size=3, output="sequence"),
}


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("config", list(_CONFIGS), ids=str)
def test_missing_history_equals_the_shorter_window(cell, config):
    torch.manual_seed(0)
    net = RecurrentNetwork(3, 2, cell=cell, hidden_size=5, **_CONFIGS[config]).eval()
    x = torch.randn(3, 8, 3)
    n_missing = 3
    padded = x.clone()
    padded[:, :n_missing] = 12345.0  # ignored values
    lengths = torch.full((3,), 8 - n_missing)
    with torch.no_grad():
        got = net(padded, lengths)
        expected = net(x[:, n_missing:])
    if got.ndim == 3:
        assert torch.isnan(got[:, :n_missing]).all()
        got = got[:, n_missing:]
    torch.testing.assert_close(got, expected)


def test_wavenet_missing_history_equals_the_shorter_window():
    torch.manual_seed(0)
    for output in ("last", "sequence"):
        net = WaveNetNetwork(
            2, 3, filters=4, output=output, weight_init="pytorch"
        ).eval()
        x = torch.randn(3, 12, 2)
        lengths = torch.tensor([12, 7, 7])
        padded = x.clone()
        padded[1:, :5] = -99.0
        with torch.no_grad():
            got = net(padded, lengths)[1:]
            expected = net(x[1:, 5:])
        if output == "sequence":
            assert torch.isnan(got[:, :5]).all()
            got = got[:, 5:]
        torch.testing.assert_close(got, expected)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize(
    "params",
    [dict(recurrent_dropout=0.2), dict(layer_norm="cell")],
    ids=["recurrent_dropout", "cell_layer_norm"],
)
def test_step_by_step_cells_learn(cell, params, sine_xy):
    X, Y = sine_xy
    model = RecurrentForecaster(cell=cell, **TINY, **params)
    model.set_params(max_epochs=8, lr=0.01)
    model.fit(X, Y)
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert isinstance(model.net_.module_.layers[0], CellLayer)
    assert model.predict(X[:5]).shape == (5, 3)


def test_default_options_keep_the_fused_kernels(sine_xy):
    X, Y = sine_xy
    for layer_norm in (False, True, "between"):
        model = RecurrentForecaster(layer_norm=layer_norm, **TINY).fit(X, Y)
        assert isinstance(model.net_.module_.layers[0], torch.nn.LSTM)


def test_layer_norm_true_means_between(sine_xy):
    X, Y = sine_xy
    a = RecurrentForecaster(layer_norm=True, num_layers=2, **TINY).fit(X, Y)
    b = RecurrentForecaster(layer_norm="between", num_layers=2, **TINY).fit(X, Y)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


@pytest.mark.parametrize("cell", CELLS)
def test_decoder_unrolls_every_horizon(cell, sine_xy):
    X, Y = sine_xy
    model = RecurrentForecaster(cell=cell, decoder=True, **TINY).fit(X, Y)
    module = model.net_.module_
    assert module.decoder is not None and module.head.out_features == 1
    assert model.predict(X[:4]).shape == (4, 3)
    one = RecurrentForecaster(cell=cell, decoder=True, **TINY).fit(X, Y[:, 0])
    assert one.predict(X[:4]).shape == (4,)


def test_teacher_forcing_feeds_targets_in_training_only(sine_xy, monkeypatch):
    X, Y = sine_xy
    seen = []
    decode = RecurrentNetwork._decode

    def spy(self, states, batch, like, targets=None):
        seen.append((self.training, targets is not None))
        return decode(self, states, batch, like, targets)

    monkeypatch.setattr(RecurrentNetwork, "_decode", spy)
    model = RecurrentForecaster(decoder=True, teacher_forcing=1.0, **TINY).fit(X, Y)
    assert (True, True) in seen
    assert all(has_targets == training for training, has_targets in seen)
    seen.clear()
    pred = model.predict(X)
    assert seen == [(False, False)]
    # Targets reach the module as an argument of the batch, never as state.
    assert not hasattr(model.net_.module_, "teacher_targets")
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), pred)
    free = RecurrentForecaster(decoder=True, **TINY).fit(X, Y)
    assert not np.allclose(free.predict(X), pred)


def test_decoder_needs_output_last(sine_xy):
    X, Y = sine_xy
    with pytest.raises(ValueError, match="decoder=True.*output='last'"):
        RecurrentForecaster(decoder=True, output="sequence", **TINY).fit(
            X, np.repeat(X, 2, axis=2)
        )


def test_strided_conv_sequence_targets_are_aligned_to_the_last_step(sine):
    X = np.lib.stride_tricks.sliding_window_view(sine[:-1], 9)[:100, :, None]
    Y = np.lib.stride_tricks.sliding_window_view(sine[1:], 9)[:100]
    # scale=False: with scaling, the statistics of y would see the other steps.
    params = dict(
        conv_filters=4,
        conv_kernel_size=4,
        conv_stride=3,
        output="sequence",
        scale=False,
        **TINY,
    )
    model = RecurrentForecaster(**params).fit(X, Y)
    pred = model.predict(X)
    # Steps 8, 5 and 2 (every third counted back from the last) are predicted.
    trained = np.zeros(9, dtype=bool)
    trained[2::3] = True
    assert np.isfinite(pred[:, trained]).all()
    assert np.isnan(pred[:, ~trained]).all()
    # Targets of the other steps do not take part in training.
    Y_other = Y.copy()
    Y_other[:, ~trained] = 1e3
    other = RecurrentForecaster(**params).fit(X, Y_other)
    np.testing.assert_allclose(
        other.history_[:, "train_loss"], model.history_[:, "train_loss"], rtol=1e-5
    )
    # And output="last" reads the last convolution output.
    last = RecurrentForecaster(conv_filters=4, conv_stride=3, **TINY).fit(X, Y[:, -1])
    assert last.predict(X).shape == (100,)


def test_conv_front_end_accepts_missing_history(sine_xy):
    X, Y = sine_xy
    X = X.copy()
    X[:10, :4] = np.nan
    model = RecurrentForecaster(conv_filters=4, conv_stride=2, cell="gru", **TINY)
    assert np.isfinite(model.fit(X, Y).predict(X)).all()


@pytest.mark.parametrize("output", ["last", "sequence"])
def test_wavenet_learns(output, sine):
    X = np.lib.stride_tricks.sliding_window_view(sine[:-1], 16)[:200, :, None]
    y = sine[16:216]
    if output == "sequence":
        y = np.lib.stride_tricks.sliding_window_view(sine[1:], 16)[:200]
    model = WaveNetForecaster(
        filters=8,
        dilations=(1, 2, 4),
        n_blocks=1,
        output=output,
        lr=0.01,
        max_epochs=10,
        batch_size=16,
        random_state=0,
    )
    model.fit(X, y)
    losses = model.history_[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert model.predict(X[:3]).shape == y[:3].shape
    assert "cell" not in model.get_params()
    clone(model)


def test_wavenet_rejects_bad_dilations(sine_xy):
    X, Y = sine_xy
    with pytest.raises(ValueError, match="dilations"):
        WaveNetForecaster(dilations=(1, 0), max_epochs=1).fit(X, Y)


def test_grid_search_compares_wavenet_with_recurrent_cells(sine_xy):
    X, Y = sine_xy
    pipe = Pipeline([("model", GRUForecaster())])
    grid = GridSearchCV(
        pipe,
        [
            {"model": [GRUForecaster(hidden_size=8, max_epochs=2, random_state=0)]},
            {"model": [WaveNetForecaster(filters=8, max_epochs=2, random_state=0)]},
        ],
        cv=TimeSeriesSplit(2),
        scoring="neg_mean_squared_error",
    ).fit(X, Y)
    assert len(grid.cv_results_["params"]) == 2
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


# ----------------------------------------------------------------- ensembles


@pytest.mark.parametrize("cell", CELLS)
def test_ensemble_members_start_as_networks_drawn_in_turn(cell):
    torch.manual_seed(0)
    ensemble = RecurrentNetwork(1, 2, cell=cell, hidden_size=8, ensemble_size=4)
    torch.manual_seed(0)
    singles = [RecurrentNetwork(1, 2, cell=cell, hidden_size=8) for _ in range(4)]
    for m, single in enumerate(singles):
        for name, value in single.layers[0].named_parameters():
            assert torch.equal(getattr(ensemble.layers, name)[m], value)
        assert torch.equal(ensemble.head.weight[m], single.head.weight)
        assert torch.equal(ensemble.head.bias[m], single.head.bias)


def _members_and_singles(cell, k, **params):
    """An ensemble and ``k`` single networks holding its members' weights."""
    torch.manual_seed(0)
    ensemble = RecurrentNetwork(2, 3, cell=cell, ensemble_size=k, **params)
    torch.manual_seed(0)
    singles = [RecurrentNetwork(2, 3, cell=cell, **params) for _ in range(k)]
    return ensemble.double(), [single.double() for single in singles]


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("fused_lstm", [True, False])
def test_each_member_trains_as_it_would_alone(cell, missing, fused_lstm, monkeypatch):
    """Same start, same batches: every member ends where it would alone.

    Plain SGD (a step proportional to the gradient) and per-member clipping,
    which a gradient shared between members would change. In float64; the
    GRU and the simple RNN differ from torch's own kernels in the order of
    their sums only, hence the tight tolerance instead of equality.
    """
    if not fused_lstm:
        monkeypatch.setattr(cells, "_FUSED_LSTM_WIDTH", 0)
    k, clip = 3, 0.05
    ensemble, singles = _members_and_singles(cell, k, hidden_size=5, num_layers=2)
    optimizers = [torch.optim.SGD(net.parameters(), lr=0.3) for net in singles]
    optimizer = torch.optim.SGD(ensemble.parameters(), lr=0.3)
    loss = WindowLoss()
    generator = torch.Generator().manual_seed(1)
    for _ in range(4):
        x = torch.randn(16, 6, 2, generator=generator, dtype=torch.float64)
        y = torch.randn(16, 3, generator=generator, dtype=torch.float64)
        lengths = torch.randint(2, 7, (16,), generator=generator) if missing else None
        optimizer.zero_grad()
        loss(ensemble.train()(x, lengths), y).backward()
        ensemble.clip_member_gradients(clip)
        optimizer.step()
        for net, opt in zip(singles, optimizers, strict=True):
            opt.zero_grad()
            loss(net.train()(x, lengths), y).backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
            opt.step()
    x = torch.randn(8, 6, 2, generator=generator, dtype=torch.float64)
    with torch.no_grad():
        members = ensemble.train()(x)
        alone = torch.stack([net(x) for net in singles], 1)
        median = ensemble.eval()(x)
    torch.testing.assert_close(members, alone, rtol=1e-12, atol=1e-12)
    assert (members[:, 1:] - members[:, :1]).abs().amax(dim=(0, 2)).min() > 0.01
    torch.testing.assert_close(median, members.median(dim=1).values)


def test_ensemble_clips_each_member_on_its_own():
    torch.manual_seed(0)
    module = RecurrentNetwork(2, 3, hidden_size=4, num_layers=2, ensemble_size=3)
    x = torch.randn(7, 5, 2)
    weights = [1000.0, 1e-3, 1.0]  # one member's gradient far above the bound

    def gradient(members):
        module.zero_grad()
        out = module.train()(x)  # (batch, member, output)
        sum(weights[m] * out[:, m].pow(2).mean() for m in members).backward()
        return [p.grad.clone() for p in module.parameters()]

    def norm(grads):
        return torch.sqrt(sum(g.pow(2).sum() for g in grads))

    alone = [gradient([m]) for m in range(3)]  # each member's own gradient
    norms = [norm(g) for g in alone]
    assert norms[0] > 1 > norms[1]
    gradient(range(3))
    module.clip_member_gradients(1.0)
    # each member scaled to norm <= 1 by its own norm, as if trained alone
    expected = [
        sum(min(1.0, 1 / float(n)) * g[i] for g, n in zip(alone, norms, strict=True))
        for i in range(len(alone[0]))
    ]
    for param, want in zip(module.parameters(), expected, strict=True):
        torch.testing.assert_close(param.grad, want, rtol=1e-4, atol=1e-7)


def test_ensemble_forecaster_clips_members_and_predicts_their_median(sine_xy):
    X, Y = sine_xy
    model = GRUForecaster(**TINY, ensemble_size=3, gradient_clip=0.5).fit(X, Y)
    callbacks = dict(model.net_.callbacks_)
    assert "clip_member_gradients" in callbacks and "gradient_clip" not in callbacks
    module = model.net_.module_
    xs = torch.as_tensor((X[:5] - X[:5, -1:] - model.x_mean_) / model.x_scale_)
    with torch.no_grad():
        members = module.train()(xs.float()).numpy()
        median = module.eval()(xs.float()).numpy()
    assert members.shape == (5, 3, 3) and median.shape == (5, 3)
    np.testing.assert_allclose(median, np.median(members, axis=1), rtol=1e-6)
