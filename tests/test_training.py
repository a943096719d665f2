"""Tests of skrnn._training: the skorch net and its data path."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from skrnn import LSTMForecaster
from skrnn._training import WindowDataset, WindowLoss, predict_windows


class EvaluateEveryBatch(Callback):
    """Evaluate inside the epoch (as a monitoring callback may) and record the
    mode of every forward pass."""

    def on_train_begin(self, net, **kwargs):
        self.modes = []
        net.module_.register_forward_pre_hook(
            lambda module, args: self.modes.append(module.training)
        )

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if training:
            net.evaluation_step(batch)  # leaves the module in eval mode


def test_every_training_batch_runs_in_training_mode():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 6))
    y = rng.normal(size=64)
    model = LSTMForecaster(
        hidden_size=4,
        max_epochs=2,
        batch_size=16,
        callbacks=[EvaluateEveryBatch()],
        random_state=0,
    ).fit(X, y)
    probe = dict(model.net_.callbacks_)["EvaluateEveryBatch"]
    # 4 training batches per epoch, each followed by one evaluation
    assert probe.modes == [True, False] * 8


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
@pytest.mark.parametrize("masked", [False, True])
def test_each_member_gets_the_gradient_of_its_own_loss(loss, masked):
    generator = torch.Generator().manual_seed(0)
    shape = (6, 4, 3, 2)  # batch, step, member, output
    pred = torch.randn(*shape, generator=generator, dtype=torch.float64)
    if masked:
        pred[:2, :3] = float("nan")  # steps without history
    pred.requires_grad_()
    y = torch.randn(6, 4, 2, generator=generator, dtype=torch.float64)
    criterion = WindowLoss(loss, masked=masked)
    total = criterion(pred, y)
    total.backward()
    alone = []
    for m in range(3):
        member = pred.detach()[:, :, m].clone().requires_grad_()
        value = criterion(member, y)
        value.backward()
        alone.append((value, member.grad))
    # the reported value is the members' mean loss
    torch.testing.assert_close(total, torch.stack([v for v, _ in alone]).mean())
    for m, (_, grad) in enumerate(alone):
        torch.testing.assert_close(pred.grad[:, :, m], grad, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("masked", [False, True])
def test_each_member_of_a_quantile_head_gets_its_own_pinball_gradient(masked):
    generator = torch.Generator().manual_seed(0)
    shape = (6, 4, 3, 2, 3)  # batch, step, member, output, quantile
    pred = torch.randn(*shape, generator=generator, dtype=torch.float64)
    if masked:
        pred[:2, :3] = float("nan")  # steps without history
    pred.requires_grad_()
    y = torch.randn(6, 4, 2, generator=generator, dtype=torch.float64)
    criterion = WindowLoss(masked=masked, quantiles=[0.1, 0.5, 0.9])
    total = criterion(pred, y)
    total.backward()
    alone = []
    for m in range(3):
        member = pred.detach()[:, :, m].clone().requires_grad_()
        value = criterion(member, y)
        value.backward()
        alone.append((value, member.grad))
        # the pinball loss by hand, over the observed predictions
        diff = y[..., None] - member.detach()
        levels = torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)
        errors = torch.where(diff >= 0, levels * diff, (levels - 1) * diff)
        torch.testing.assert_close(value, errors[~torch.isnan(errors)].mean())
    torch.testing.assert_close(total, torch.stack([v for v, _ in alone]).mean())
    for m, (_, grad) in enumerate(alone):
        torch.testing.assert_close(pred.grad[:, :, m], grad, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize(
    "params",
    [
        dict(),
        dict(dtype="float64"),
        dict(ensemble_size=3),
        dict(output="sequence", window_norm=None),
        dict(loss="pinball", quantiles=(0.1, 0.5, 0.9), ensemble_size=3),
    ],
    ids=["float32", "float64", "ensemble", "sequence", "quantile-ensemble"],
)
def test_a_window_predicts_the_same_without_the_iterator(params, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 6))
    y = X if params.get("output") == "sequence" else rng.normal(size=64)
    model = LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0, **params)
    model.fit(X, y)
    few = X[:3].copy()
    few[1, :2] = np.nan  # a window without full history
    dataset = model._dataset(model._windows(few, reset=False), None, True)
    with monkeypatch.context() as patch:
        patch.setattr(model.net_, "get_iterator", None)  # one batch: not called
        fast = predict_windows(model.net_, dataset)
    # the same batch through skorch's iterator and evaluation_step
    through = model.net_.forward(dataset, training=False).numpy()
    np.testing.assert_array_equal(fast, through)
    assert fast.dtype == np.float64
    assert not any(m.training for m in model.net_.module_.modules())


def test_a_few_windows_are_checked_as_many_are():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    model = LSTMForecaster(hidden_size=2, max_epochs=1, random_state=0)
    model.fit(X, rng.normal(size=40))
    bad = X[:2].copy()
    bad[1, 3] = np.inf
    with pytest.raises(ValueError, match=r"X\[1, 3\] is inf"):
        model.predict(bad)
    bad[1, 3] = np.nan
    with pytest.raises(ValueError, match=r"X\[1, 3\] is NaN after observed values"):
        model.predict(bad)
    with pytest.raises(ValueError, match="5 features"):
        model.predict(X[:1, :4])


def test_level_input_is_the_removed_level_standardized_at_every_step():
    X = np.arange(24.0).reshape(4, 3, 2)  # 4 windows, 3 steps, 2 features
    y = np.arange(4.0)[:, None]
    levels = X[:, -1, :]
    data = WindowDataset(
        X, y, None, None, False, torch.float64, levels, level_stats=(10.0, 4.0)
    )
    x, target = data.batch(slice(0, 4))
    assert x.shape == (4, 3, 3)  # one more feature per step
    np.testing.assert_array_equal(x[..., :2], X - levels[:, None, :])
    expected = (levels[:, 0] - 10.0) / 4.0  # the first feature's level
    np.testing.assert_array_equal(x[..., 2], np.repeat(expected[:, None], 3, 1))
    np.testing.assert_array_equal(target, y - levels[:, :1])
    assert data.subset(slice(1, 3)).batch(slice(0, 2))[0].shape == (2, 3, 3)
