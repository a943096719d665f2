"""Plots of training curves and of backtest results (forecasts, score bars)."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

# matplotlib is imported inside the functions: ``import skrnn`` must work
# without it (it is the optional ``plot`` extra).

import itertools

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

__all__ = ["plot_forecasts", "plot_history", "plot_leaderboard", "plot_scores"]

# per kind of model (networks, combinations with one, the rest): bar colour,
# legend label and forecast line style
_KINDS = {
    "recurrent": ("tab:orange", "recurrent network", {"linewidth": 2.0, "ls": "-"}),
    "combined": ("tab:purple", "network + classical", {"linewidth": 1.6, "ls": "-."}),
    "classical": ("tab:blue", "classical", {"linewidth": 1.3, "ls": "--"}),
}


# open shapes that stay told apart when drawn on top of each other; 14 shapes
# and matplotlib's 10 colours give 70 models before a (colour, shape) repeats
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "p", "h", "*", "8", "d")


def _kind(name: str, result) -> str:
    """``"recurrent"``, ``"combined"`` or ``"classical"``: what model ``name`` is."""
    for kind in ("recurrent", "combined"):
        if name in getattr(result, kind, ()):
            return kind
    return "classical"


def _x(index) -> np.ndarray:
    """Plottable x values: timestamps for time indexes, numbers otherwise."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp().to_numpy()
    if isinstance(index, pd.DatetimeIndex):
        return index.to_numpy()
    return np.asarray(index)


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    return ax


def _draw_forecasts(ax, result, names, n_history, colors=None, max_date_ticks=None):
    """Draw the actual series, the last cutoff and the forecasts of ``names``.

    ``colors``: one per name (None: matplotlib's colour cycle);
    ``max_date_ticks``: fewer date labels for a narrow panel.
    """
    y, forecasts = result.y, result.forecasts
    if len(forecasts):
        start = y.index.get_loc(forecasts.index[0])
        stop = y.index.get_loc(forecasts.index[-1]) + 1
    else:
        start = stop = len(y)
    shown = y.iloc[max(0, start - n_history) : stop]
    ax.plot(
        _x(shown.index), shown.to_numpy(), color="black", linewidth=1.5, label="actual"
    )
    if result.cutoff is not None and len(forecasts):
        ax.axvline(
            _x(y.index[start - 1 : start])[0],
            color="grey",
            linewidth=0.8,
            linestyle=":",
        )
    # Close forecasts (three networks) would hide each other: each model gets
    # its own open marker shape, and lines and markers drawn earlier are wider,
    # so that each shows around those drawn over it, even where they are equal.
    # Markers also show a one-step forecast, which a line alone does not.
    every = max(1, len(forecasts) // 12)
    for i, (name, marker) in enumerate(zip(names, itertools.cycle(_MARKERS))):
        style = dict(_KINDS[_kind(name, result)][2])
        wider = (len(names) - 1 - i) / max(len(names) - 1, 1)  # 1 first, 0 last
        style["linewidth"] += 1.6 * wider
        if colors is not None:
            style["color"] = colors[i]
        ax.plot(
            _x(forecasts.index),
            forecasts[name].to_numpy(),
            label=name,
            marker=marker,
            markersize=5 + 5 * wider,
            markerfacecolor="none",
            markeredgewidth=1.2,
            markevery=(i % every, every),
            **style,
        )
    if isinstance(y.index, pd.DatetimeIndex | pd.PeriodIndex):
        # matplotlib's default labels of daily dates run into each other
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = (
            AutoDateLocator()
            if max_date_ticks is None
            else AutoDateLocator(minticks=3, maxticks=max_date_ticks)
        )
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def plot_forecasts(result, ax=None, n_history=None):
    """Plot the last fold's forecasts of every model over the actual series.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skrnn.compare.compare_forecasters`.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.
    n_history : int, default=None
        Training points shown before the last cutoff. None: four horizons or
        three seasons, whichever is longer.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. The actual series is black; each model has its own colour
        and open marker shape, recurrent networks solid lines, combinations
        with one dash-dotted, classical models dashed. Lines drawn earlier
        are wider, so that a model whose forecasts equal a later one's still
        shows around it; with many models, :func:`plot_leaderboard` gives
        each its own panel.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.plotting import plot_forecasts
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> ax = plot_forecasts(result)
    >>> ax.get_legend_handles_labels()[1]
    ['actual', 'naive', 'snaive']
    """
    ax = _axes(ax)
    if n_history is None:
        n_history = max(4 * int(np.max(result.fh)), 3 * result.seasonal_period)
    _draw_forecasts(ax, result, list(result.forecasts.columns), n_history)
    ax.set_title("Last fold: forecasts from the last origin")
    y = result.y
    ax.set_ylabel(y.name if y.name is not None else "y")
    ax.legend(fontsize="small", ncol=2)
    return ax


def plot_scores(result, metric="MASE", ax=None):
    """Bar chart of a backtest metric per model, with the spread over folds.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skrnn.compare.compare_forecasters`.
    metric : {"MASE", "sMAPE", "RMSE"}, default="MASE"
        Leaderboard column to draw; the error bars are ``{metric}_std``, the
        standard deviation over folds.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The axes: one horizontal bar per model, best on top (recurrent
        networks orange, combinations with a network purple, classical
        models blue), with a dotted vertical line
        at the naive forecast's score.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.plotting import plot_scores
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> ax = plot_scores(result)
    >>> len(ax.patches)
    2
    """
    if metric not in ("MASE", "sMAPE", "RMSE"):
        raise ValueError(f"metric must be 'MASE', 'sMAPE' or 'RMSE'; got {metric!r}.")
    ax = _axes(ax)
    board = result.leaderboard.iloc[::-1]  # barh draws bottom-up: best on top
    values = board[metric].to_numpy(dtype=float)
    errors = board[f"{metric}_std"].fillna(0.0).to_numpy(dtype=float)
    kinds = [_kind(name, result) for name in board.index]
    colors = [_KINDS[kind][0] for kind in kinds]
    positions = np.arange(len(board))
    ax.barh(positions, np.nan_to_num(values), xerr=errors, color=colors, capsize=3)
    ax.set_yticks(positions, labels=list(board.index))
    if "naive" in result.leaderboard.index:
        ax.axvline(
            result.leaderboard.loc["naive", metric],
            color="grey",
            linestyle=":",
            linewidth=1,
        )
    if set(kinds) - {"classical"}:
        from matplotlib.patches import Patch

        ax.legend(
            handles=[
                Patch(color=color, label=label)
                for kind, (color, label, _) in _KINDS.items()
                if kind in kinds
            ],
            fontsize="small",
            loc="upper right",
        )
        # room on the right for the legend, beside the longest bar and its error
        longest = np.max(np.nan_to_num(values) + errors, initial=0.0)
        if longest > 0:
            ax.set_xlim(right=1.7 * longest)
    folds = result.folds["fold"].nunique()
    label = f"{metric}, mean ± std over {folds} fold(s) (lower is better)"
    if "naive" in result.leaderboard.index:
        label += "\ndotted line: the naive forecast's score"
    ax.set_xlabel(label)
    ax.set_title(f"{metric} by model")
    return ax


def plot_leaderboard(result, path=None, metric="MASE"):
    """Figure of a backtest: each model's last-fold forecast and the scores.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skrnn.compare.compare_forecasters`.
    path : str or path-like, default=None
        If given, the figure is saved there (format from the extension).
    metric : {"MASE", "sMAPE", "RMSE"}, default="MASE"
        Metric of the score panel.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. On the left, one small panel per model (best first, up
        to three a row, on shared axes), its forecast from the last origin
        over the actual series in the colour of its kind: drawn together,
        close forecasts hid each other (:func:`plot_forecasts` draws them
        together). On the right, :func:`plot_scores`. Models that failed
        have a bar but no panel.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.plotting import plot_leaderboard
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> [ax.get_title() for ax in plot_leaderboard(result).axes]
    ['snaive (MASE 1.61)', 'naive (MASE 2.85)', 'MASE by model']
    """
    import matplotlib.pyplot as plt

    board = result.leaderboard
    names = [name for name in board.index if name in result.forecasts.columns]
    ncols = min(3, max(len(names), 1))
    nrows = max(1, -(-len(names) // ncols))
    fig = plt.figure(figsize=(13, max(4.5, 1.6 + 1.5 * nrows)), layout="constrained")
    left, right = fig.add_gridspec(1, 2, width_ratios=[1.8, 1])
    panels = left.subgridspec(nrows, ncols).subplots(
        sharex=True, sharey=True, squeeze=False
    )
    # a panel's window: two horizons or two seasons, at least 12 points
    fh_max, sp = int(np.max(result.fh)), result.seasonal_period
    n_history = max(2 * fh_max, 2 * sp, 12)
    for ax, name in zip(panels.flat, names, strict=False):
        _draw_forecasts(
            ax,
            result,
            [name],
            n_history,
            colors=[_KINDS[_kind(name, result)][0]],
            max_date_ticks=6,
        )
        value = board.loc[name, metric]
        ax.set_title(
            f"{name} ({metric} {value:.{4 if metric == 'sMAPE' else 2}f})",
            fontsize="medium",
        )
    for row in range(nrows):
        for col in range(ncols):
            ax = panels[row, col]
            if row * ncols + col >= len(names):
                ax.remove()
            elif row == nrows - 1 or (row + 1) * ncols + col >= len(names):
                # the last panel of its column shows the dates
                ax.xaxis.set_tick_params(labelbottom=True)
    y = result.y
    for ax in panels[:, 0]:
        ax.set_ylabel(y.name if y.name is not None else "y")
    plot_scores(result, metric=metric, ax=fig.add_subplot(right))
    if path is not None:
        fig.savefig(path, dpi=110)
    return fig


def plot_history(estimator, keys=None, ax=None):
    """Plot a fitted forecaster's losses per epoch (its training curve).

    Parameters
    ----------
    estimator : fitted forecaster
        A fitted skrnn forecaster, whose ``history_`` (skorch's ``History``)
        holds the losses; for a fitted pipeline, its last step (``pipe[-1]``).
    keys : list of str, default=None
        Per-epoch entries of the history to draw. None: ``"train_loss"``, and
        ``"valid_loss"`` when the forecaster validated (``validation_fraction
        > 0`` or ``early_stopping=True``).
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, one line per key against the epoch number. With
        ``scale=True`` the losses are in units of the standardized target.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the forecaster is not fitted.
    ValueError
        If a key is not in the history, such as ``"valid_loss"`` of a
        forecaster fitted without validation rows.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skrnn import GRUForecaster
    >>> from skrnn.plotting import plot_history
    >>> X = np.random.default_rng(0).normal(size=(50, 5))
    >>> model = GRUForecaster(hidden_size=4, max_epochs=3, validation_fraction=0.2,
    ...                       random_state=0).fit(X, X[:, -1])
    >>> ax = plot_history(model)
    >>> [line.get_label() for line in ax.get_lines()]
    ['train_loss', 'valid_loss']
    """
    check_is_fitted(estimator)
    history = getattr(estimator, "history_", None)
    if history is None:
        raise TypeError(
            f"{type(estimator).__name__} has no training history (history_): "
            "pass a fitted skrnn forecaster; for a pipeline its last step "
            "(pipe[-1]), for a RecurrentImputer its forecaster_."
        )
    if keys is None:
        validated = any("valid_loss" in epoch for epoch in history)
        keys = ["train_loss", "valid_loss"] if validated else ["train_loss"]
    curves = {}
    for key in keys:
        try:
            curves[key] = np.array(history[:, ("epoch", key)], dtype=float)
        except KeyError:
            if key == "valid_loss":
                raise ValueError(
                    "The forecaster recorded no validation loss: it was fitted "
                    "without validation rows. Refit with validation_fraction > 0 "
                    "(for example 0.1) or early_stopping=True."
                ) from None
            recorded = sorted({k for epoch in history for k in epoch} - {"batches"})
            raise ValueError(
                f"{key!r} is not in the history; its per-epoch keys are {recorded}."
            ) from None
    from matplotlib.ticker import MaxNLocator

    ax = _axes(ax)
    for key, curve in curves.items():
        ax.plot(curve[:, 0], curve[:, 1], marker=".", label=key)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
    ax.set_xlabel("epoch")
    scaled = getattr(estimator, "scale", False)
    ax.set_ylabel("loss (standardized target)" if scaled else "loss")
    ax.set_title(f"Training curve of {type(estimator).__name__}")
    ax.legend()
    return ax
