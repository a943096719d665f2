"""Tests of skrnn._training: the skorch net and its data path."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from skrnn import LSTMForecaster
from skrnn._training import WindowLoss


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

