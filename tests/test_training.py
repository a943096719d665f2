"""Tests of skrnn._training: the skorch net and its data path."""

import numpy as np
from skorch.callbacks import Callback

from skrnn import LSTMForecaster


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
