"""Seeing training: the epoch table, a progress bar and the loss curves."""

import sys

import numpy as np

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
