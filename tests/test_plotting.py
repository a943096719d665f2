"""Seeing training: the epoch table, a progress bar and the loss curves."""

import sys

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from skorch.callbacks import ProgressBar

from skrnn import LSTMForecaster
from tests.conftest import FAST


def _fit(**params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    params = {**FAST, "hidden_size": 4, "max_epochs": 2, **params}
    return LSTMForecaster(**params).fit(X, X.sum(axis=1))


@pytest.fixture
def plot_history():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skrnn.plotting import plot_history

    yield plot_history
    plt.close("all")


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


def test_plot_history_draws_exactly_the_recorded_losses(plot_history):
    model = _fit(max_epochs=3, validation_fraction=0.2)
    ax = plot_history(model)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["train_loss", "valid_loss"]
    for key, line in lines.items():
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(line.get_ydata(), model.history_[:, key])


def test_plot_history_without_validation_rows(plot_history):
    model = _fit()
    ax = plot_history(model)
    assert [line.get_label() for line in ax.get_lines()] == ["train_loss"]
    with pytest.raises(ValueError, match="no validation loss.*validation_fraction"):
        plot_history(model, keys=["train_loss", "valid_loss"])
    with pytest.raises(ValueError, match="'valid_mae' is not in the history"):
        plot_history(model, keys=["valid_mae"])


def test_plot_history_needs_a_fitted_forecaster(plot_history):
    with pytest.raises(NotFittedError):
        plot_history(LSTMForecaster())
    X = np.ones((5, 2))
    with pytest.raises(TypeError, match=r"no training history.*pipe\[-1\]"):
        plot_history(Ridge().fit(X, X[:, 0]))


def test_verbose_2_adds_a_progress_bar_over_exactly_the_batches_of_an_epoch(capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    X[:5, :2] = np.nan  # five windows without full history: batched apart
    y = np.nansum(X, axis=1)
    params = {**FAST, "hidden_size": 4, "max_epochs": 2, "validation_fraction": 0.2}
    model = LSTMForecaster(**params, verbose=2).fit(X, y)
    out, err = capsys.readouterr()
    assert "train_loss" in out and "valid_loss" in out  # the table of verbose=1
    callbacks = dict(model.net_.callbacks_)
    bar = callbacks["progress_bar"].pbar_  # the last epoch's
    # training: 43 full windows in 2 batches of 32, the 5 short ones in 1;
    # validation: 12 windows in 1 (skorch's own count, rows / 32, says 3)
    assert bar.n == bar.total == len(model.history_[-1, "batches"]) == 4
    assert "/4 [" in err  # tqdm writes to stderr
    # the bar is closed before the epoch's row of the table is printed
    names = [name for name, _ in model.net_.callbacks_]
    assert names.index("progress_bar") < names.index("print_log")
    # verbose changes what is printed, nothing else
    quiet = LSTMForecaster(**params).fit(X, y)
    assert capsys.readouterr() == ("", "")
    np.testing.assert_array_equal(model.predict(X), quiet.predict(X))
    LSTMForecaster(**params, verbose=1).fit(X, y)
    out, err = capsys.readouterr()
    assert "train_loss" in out and err == ""
