"""Figures: the epoch table, a progress bar, the loss curves and the leaderboard."""

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from skorch.callbacks import ProgressBar

from skrnn import LSTMForecaster
from skrnn.compare import ComparisonResult
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


# The leaderboard's figures (a ComparisonResult of skrnn.compare)
def test_plots(airline_naive, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skrnn.plotting import plot_forecasts, plot_leaderboard, plot_scores

    ax = plot_forecasts(airline_naive)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "actual" and set(labels[1:]) >= {"naive", "snaive"}
    ax = plot_scores(airline_naive, metric="RMSE")
    assert len(ax.patches) == 2
    # the dotted line at the naive forecast's score is explained
    (naive,) = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert naive.get_xdata()[0] == airline_naive.leaderboard.loc["naive", "RMSE"]
    assert ax.get_xlabel().endswith("dotted line: the naive forecast's score")
    with pytest.raises(ValueError, match="metric must be"):
        plot_scores(airline_naive, metric="R2")
    # colours by kind: a combination with a network is neither of the others
    kinds = ComparisonResult(
        **{**vars(airline_naive), "recurrent": ("snaive",), "combined": ("naive",)}
    )
    ax = plot_scores(kinds)
    colours = {
        label.get_text(): patch.get_facecolor()
        for label, patch in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert colours["snaive"] != colours["naive"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "recurrent network",
        "network + classical",
    ]
    # the legend covers no bar and no error bar, even with bars of one length
    equal = kinds.leaderboard.assign(MASE=1.0, MASE_std=0.2)
    for result in (kinds, ComparisonResult(**{**vars(kinds), "leaderboard": equal})):
        fig, ax = plt.subplots(figsize=(5, 3))
        plot_scores(result, ax=ax)
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        # bars, error-bar caps and the naive line; the error bars themselves
        # (a collection) have no window extent, only data limits
        boxes = [a.get_window_extent() for a in [*ax.patches, *ax.lines]]
        boxes += [
            ax.transData.transform_bbox(c.get_datalim(ax.transData))
            for c in ax.collections
        ]
        assert len(boxes) == 6
        assert not any(legend.overlaps(box) for box in boxes)
    path = tmp_path / "board.png"
    fig = plot_leaderboard(airline_naive, path=path)
    assert len(fig.axes) == 3 and path.stat().st_size > 1000
    plt.close("all")


def test_every_models_forecast_shows_in_the_leaderboard_figure(airline_naive):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    from skrnn.plotting import plot_forecasts, plot_leaderboard

    # three networks with one forecast (as on a random walk): drawn alike on
    # one axes, the last one drawn hid the others
    snaive = airline_naive.forecasts["snaive"]
    forecasts = airline_naive.forecasts.assign(lstm=snaive, gru=snaive, rnn=snaive)
    board = airline_naive.leaderboard
    networks = board.loc[["snaive"] * 3].set_axis(["lstm", "gru", "rnn"])
    result = ComparisonResult(
        **{
            **vars(airline_naive),
            "forecasts": forecasts[["lstm", "gru", "rnn", "naive", "snaive"]],
            "leaderboard": pd.concat([networks, board]),
            "recurrent": ("lstm", "gru", "rnn"),
        }
    )
    fig = plot_leaderboard(result)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
    height = image.shape[0]
    *panels, scores = fig.axes
    assert scores.get_title() == "MASE by model"
    # one panel per model, in the leaderboard's order, holding its forecast alone
    assert [ax.get_title().split()[0] for ax in panels] == list(
        result.leaderboard.index
    )
    for ax, name in zip(panels, result.leaderboard.index, strict=True):
        lines = [
            line for line in ax.get_lines() if not line.get_label().startswith("_")
        ]
        assert [line.get_label() for line in lines] == ["actual", name]
        np.testing.assert_array_equal(lines[1].get_ydata(), result.forecasts[name])
        # and its colour is on the panel's pixels
        box = ax.get_window_extent()
        rows = slice(int(height - box.y1), int(height - box.y0))
        cols = slice(int(box.x0), int(box.x1))
        colour = np.array(to_rgb(lines[1].get_color()))
        close = np.abs(image[rows, cols] - colour).max(axis=-1) < 0.05
        assert close.sum() > 50, name
    plt.close("all")
    # drawn together, each model has its own marker, and lines drawn earlier
    # are wider, so that they show around equal ones drawn over them
    ax = plot_forecasts(result)
    lines = [line for line in ax.get_lines() if line.get_label() in forecasts]
    assert len({line.get_marker() for line in lines}) == len(lines) == 5
    networks = [line.get_linewidth() for line in lines[:3]]
    assert networks == sorted(networks, reverse=True) and len(set(networks)) == 3
    plt.close("all")


def test_date_labels_of_the_forecast_panel_do_not_overlap():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pytest.importorskip("sktime")
    from skrnn.compare import compare_forecasters
    from skrnn.plotting import plot_leaderboard

    days = pd.date_range("2023-01-01", periods=240, freq="D")
    y = pd.Series(np.arange(240.0) % 7 + 10, index=days)
    result = compare_forecasters(y, ["naive", "snaive"], fh=7, n_folds=2)
    fig = plot_leaderboard(result)  # the figure skrnn compare --plot saves
    fig.canvas.draw()
    boxes = [
        label.get_window_extent()
        for label in fig.axes[0].get_xticklabels()
        if label.get_text()
    ]
    assert len(boxes) >= 3
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:], strict=False))
    plt.close("all")
