"""Seeing training: the epoch table, a progress bar and the loss curves."""

import sys

import numpy as np
from skorch.callbacks import ProgressBar

from skrnn import LSTMForecaster


def _fit(**params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    model = LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0, **params)
    return model.fit(X, X.sum(axis=1))


def test_epoch_table_is_plain_text_when_stdout_is_not_a_terminal(capsys, monkeypatch):
    _fit(verbose=1, validation_fraction=0.2)
    out = capsys.readouterr().out
    assert "train_loss" in out and "valid_loss" in out
    assert "\x1b[" not in out  # no ANSI colour codes in a log file
    # on a terminal, skorch's colours of the best losses stay
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    _fit(verbose=1)
    assert "\x1b[" in capsys.readouterr().out


def test_progress_bar_counts_every_batch_of_skrnns_training_loop(capsys):
    model = _fit(callbacks=[ProgressBar()], validation_fraction=0.2)
    bar = dict(model.net_.callbacks_)["ProgressBar"].pbar_  # the last epoch's
    # 48 training windows in batches of 32, then 12 validation windows in one
    assert bar.n == bar.total == 3
    assert "/3 [" in capsys.readouterr().err  # tqdm writes to stderr
